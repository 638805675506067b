#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The event stream (`monitor` on the control socket): 20 monitors at once each get the same
events in the order of the changes that made them (SAs and policies added, removed, replaced;
reloads accepted and refused; a refused batch makes none); a monitor that stops reading loses
its own events, is told how many, and never slows the daemon or the other monitors; no event
carries a key; a clean stop is the last event, then the end of the stream."""

import re
import signal
import socket
import time

from daemonlib import Daemon, check, init, key_hex, records, sa_line, sp_line


class Monitor:
    def __init__(self, path, rcvbuf=None):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        if rcvbuf:
            self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.s.connect(path)
        self.s.sendall(b"monitor\n\n")
        self.s.shutdown(socket.SHUT_WR)
        self.buf = b""
        self.eof = False
        first = self.lines(2)
        check(first[0] == "ok" and "\tevent=subscribed\t" in first[1],
              "subscribed: %r" % first)

    def lines(self, n, timeout=10.0):
        """The next n lines (fewer at the end of the stream)."""
        self.s.settimeout(timeout)
        while self.buf.count(b"\n") < n and not self.eof:
            b = self.s.recv(1 << 16)
            if not b:
                self.eof = True
            self.buf += b
        out = self.buf.split(b"\n")
        got, rest = out[:n], out[n:]
        self.buf = b"\n".join(rest)
        return [l.decode() for l in got if l or not self.eof]

    def events(self, n, timeout=10.0):
        return [rec_of(l) for l in self.lines(n, timeout)]

    def rest(self, timeout=10.0):
        """Everything until the daemon closes the stream."""
        self.s.settimeout(timeout)
        while not self.eof:
            b = self.s.recv(1 << 16)
            if not b:
                self.eof = True
            self.buf += b
        return [rec_of(l.decode()) for l in self.buf.split(b"\n") if l]


def rec_of(line):
    return dict(f.split("=", 1) for f in line.split("\t"))


def brief(evs):
    return [(e["event"], e.get("sa") or e.get("sp") or "") for e in evs]


def main():
    init()
    with Daemon() as d:
        d.start()
        mons = [Monitor(d.sock) for _ in range(20)]
        d.ok(sa_line(1, name="a"))
        d.ok(sp_line("p", sa="a"))
        d.ok(sa_line(2, name="b") + "\n" + sp_line("q", sa="b"))
        status, _ = d.request(sa_line(3, name="c") + "\n" + sa_line(1, name="a"))  # refused
        check(status.startswith("error line 2"), "batch refused: %r" % status)
        d.ok("sp remove -n q\nsa remove -n b\n" + sa_line(4, name="b", mode="tunnel"))
        d.signal(signal.SIGHUP)
        want = [("sa-added", "a"), ("sp-added", "p"), ("sa-added", "b"), ("sp-added", "q"),
                ("sp-removed", "q"), ("sa-replaced", "b"), ("reload", "")]
        for i, m in enumerate(mons):
            got = m.events(len(want))
            check(brief(got) == want, "monitor %d: %r" % (i, brief(got)))
        ts = [e["time"] for e in got]
        check(ts == sorted(ts) and all(re.match(r"\d{4}-\d\d-\d\dT[\d:.]+Z$", t) for t in ts),
              "times in order: %r" % ts)
        check(got[0]["spi"] == "0x1001" and "any" not in got[0]["text"] and
              "aes128-cbc+hmac-sha2-256" in got[0]["text"], "sa-added says what: %r" % got[0])
        # A batch that puts an SA back as it was makes no event; one that changes its key under
        # the same SPI, or only its ESN, replaces it (and no event carries the keys: below).
        k1 = sa_line(5, name="k")
        k2 = k1.replace(key_hex(5, 32, 0xa), key_hex(6, 32, 0xa))
        check(k2 != k1, "the second key differs")
        d.ok(k1)
        d.ok("sa remove -n k\n" + k1)
        d.ok("sa remove -n k\n" + k2)
        d.ok("sa remove -n k\n" + k2 + " --esn")
        want = [("sa-added", "k"), ("sa-replaced", "k"), ("sa-replaced", "k")]
        for i, m in enumerate(mons):
            kevs = m.events(len(want))
            check(brief(kevs) == want, "monitor %d, key and ESN changes: %r" % (i, brief(kevs)))
        # A reload that fails: an event with the reason.
        with open(d.config, "ab") as f:
            f.write(b"sa add --sa-name=broken\n")
        d.signal(signal.SIGHUP)
        e = mons[0].events(1)[0]
        check(e["event"] == "reload-refused" and "Missing required parameter" in e["text"],
              "reload refused: %r" % e)
        for m in mons[1:]:
            check(m.events(1)[0]["event"] == "reload-refused", "every monitor hears of it")
        d.ok(sp_line("r", action="discard"))  # the next change rewrites the file
        for m in mons:
            check(brief(m.events(1)) == [("sp-added", "r")], "after the refused reload")

        # A monitor that does not read, and one that does, through 6 batches of 500 adds
        # (about 570 KB of events: more than a socket and a monitor's queue hold).
        slow = Monitor(d.sock, rcvbuf=4096)
        fast = mons[0]
        for m in mons[1:]:
            m.s.close()  # the daemon notices their hang-up
        n, got, took = 3000, [], 0.0
        for b in range(6):
            batch = "\n".join(sa_line(100 + i, name="s%d" % i) for i in range(b * 500, b * 500 + 500))
            start = time.monotonic()
            d.ok(batch)
            took = max(took, time.monotonic() - start)
            got += fast.events(500, timeout=30)
        check([e.get("sa") for e in got] == ["s%d" % i for i in range(n)],
              "the reading monitor gets all %d in order" % n)
        # The daemon answers at once while the slow one's queue is full.
        start = time.monotonic()
        d.ok("sa list")
        check(time.monotonic() - start < 1.0, "the daemon is not held up by a slow monitor")
        check(took < 10, "a batch of 500 adds in %.1f s" % took)
        d.ok(sp_line("after", action="discard"))
        check(brief(fast.events(1)) == [("sp-added", "after")], "the fast one goes on")
        # Now the slow one reads: the first adds, then how many events it lost (the rest of
        # the adds and "after"), then, once it has caught up, the events that follow.
        evs = []
        while not evs or evs[-1]["event"] != "lost":
            evs += slow.events(1, timeout=10)
        adds = evs[:-1]
        count = int(re.match(r"(\d+) events were lost", evs[-1]["text"]).group(1))
        check(all(e["event"] == "sa-added" for e in adds) and
              [e["sa"] for e in adds] == ["s%d" % i for i in range(len(adds))],
              "what it received is in order, up to the gap")
        check(count > 0 and len(adds) + count == n + 1,
              "received %d + lost %d == %d + 1" % (len(adds), count, n))
        d.ok(sp_line("later", action="discard"))
        check(brief(slow.events(1)) == [("sp-added", "later")], "then it hears again")
        check(brief(fast.events(1)) == [("sp-added", "later")], "as does the fast one")
        evs += got

        # No key in any event.
        for i in (1, 2, 4, 5, 6, 100):
            for n_, tag in ((16, 0xe), (32, 0xa)):
                k = key_hex(i, n_, tag)
                check(k not in "".join(str(e) for e in got + evs + kevs), "no key in an event")

        # A clean stop: the stop event, then the end of the stream.
        d.signal(signal.SIGTERM)
        rest = fast.rest()
        check(brief(rest) == [("stop", "")], "stop, then the end: %r" % brief(rest))
        d.proc.wait(timeout=10)
    print("ok")


if __name__ == "__main__":
    main()
