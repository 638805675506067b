#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Durability: a stream of acknowledged changes with SIGKILL of the daemon at random moments
and restarts. Every acknowledged change is present afterwards, the file always loads (the
daemon refuses to start on a file that does not), and a multi-line transaction is there
entirely or not at all. And a change whose rename cannot be made durable (the directory's
fsync fails, injected) is refused and leaves the file as it was acknowledged, so that a crash
does not put it in force."""

import os
import random
import threading
import time

from daemonlib import Daemon, check, init, records, sa_line

TARGET = 1000  # acknowledged requests


def writer(d, state, stop):
    """Send adds back to back until the daemon dies; record what was acknowledged."""
    while not stop.is_set():
        i = state["next"]
        state["next"] += 1
        if i % 10 == 0:
            names = ["sa%d" % i, "sa%db" % i, "sa%dc" % i]
            text = "\n".join(sa_line(i * 3 + k + 100000, name=n) for k, n in enumerate(names))
            state["batches"].append(names)
        else:
            names = ["sa%d" % i]
            text = sa_line(i, name=names[0])
        try:
            status, _ = d.request(text, timeout=10)
        except OSError:
            return  # killed mid-request: neither acknowledged nor refused
        if status == "":
            return  # killed before it answered
        if status != "ok":
            state["errors"].append(status)
            return
        state["acked"].extend(names)
        state["requests"] += 1


def verify(d, state):
    present = [r["name"] for r in records(d.ok("sa list"))]
    have = set(present)
    check(len(have) == len(present), "duplicate names after restart")
    missing = [n for n in state["acked"] if n not in have]
    check(not missing, "acknowledged but lost: %r" % missing[:5])
    for batch in state["batches"]:
        there = [n in have for n in batch]
        check(all(there) or not any(there), "torn transaction: %r %r" % (batch, there))


def arm(path, line):
    """Injected failures for the daemon (IPSEC6D_FAULTS): the file appears whole or not at all."""
    with open(path + ".new", "w") as f:
        f.write(line + "\n")
    os.rename(path + ".new", path)


def names(d):
    return [r["name"] for r in records(d.ok("sa list"))]


def refused(d, text, reason):
    status, _ = d.request(text)
    check(status.startswith("error cannot save %s: fsync of " % d.config) and reason in status,
          "refused for the directory's fsync, %r: %r" % (reason, status))


def test_unsynced_change_undone():
    """The directory's fsync fails after the rename: the change is refused and the file is the
    one acknowledged last (none before the first change), in memory, on disk, and after a crash.
    When even the previous file cannot be put back, the refusal and the log say so."""
    with Daemon() as d:
        faults = os.path.join(d.tmp, "faults")
        d.env["IPSEC6D_FAULTS"] = faults
        d.start()
        arm(faults, "dirsync")
        refused(d, sa_line(1), "(the previous file is back)")
        check(not os.path.exists(d.config), "a refused first change leaves no file")
        d.ok(sa_line(1))
        acked = d.file_bytes()
        arm(faults, "dirsync")
        refused(d, sa_line(2), "(the previous file is back)")
        check(names(d) == ["sa1"], "the refused change is not in force: %r" % names(d))
        check(d.file_bytes() == acked, "the file is the acknowledged one again")
        d.kill()
        d.start()
        check(names(d) == ["sa1"], "after a crash, what was acknowledged: %r" % names(d))
        # The put-back's own fsync fails too: nothing can say what the disk holds.
        arm(faults, "dirsync 2")
        refused(d, sa_line(3), "a restart may put this refused change in force")
        check("the previous file cannot be put back" in d.log_text(), "logged loudly")
        check(names(d) == ["sa1"], "refused, not in force: %r" % names(d))
        # The next change saved writes the acknowledged state whole.
        d.ok(sa_line(4))
        d.kill()
        d.start()
        check(names(d) == ["sa1", "sa4"], "after a crash: %r" % names(d))
        d.stop()


def main():
    init()
    test_unsynced_change_undone()
    rnd = random.Random(6)
    state = {"next": 0, "acked": [], "batches": [], "requests": 0, "errors": []}
    kills = 0
    t0 = time.monotonic()
    with Daemon() as d:
        while state["requests"] < TARGET:
            check(kills < 400, "too few acknowledgements: %d after %d kills" % (state["requests"], kills))
            d.start()  # a file that does not load stops the daemon: start() fails the test
            verify(d, state)
            stop = threading.Event()
            t = threading.Thread(target=writer, args=(d, state, stop))
            t.start()
            time.sleep(rnd.uniform(0.005, 0.4))
            d.kill()
            kills += 1
            stop.set()
            t.join()
            check(not state["errors"], "a change was refused: %r" % state["errors"][:3])
        d.start()
        verify(d, state)
        d.stop()
    print("ok: %d acknowledged requests (%d SAs), %d kills, %.1f s" %
          (state["requests"], len(state["acked"]), kills, time.monotonic() - t0))


if __name__ == "__main__":
    main()
