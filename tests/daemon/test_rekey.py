#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""`sa rekey` in the daemon (issue 11 part 2), over the control socket: an SA that an
out-policy names and one that an in-policy names get a new SPI and keys, the policies
untouched; the old SA stays listed as `retired` (a stats row of its own, exported with its
keys, written to the file with --retired and --grace-period) until its grace ends, then it is
gone from the list, the export and the file, with an `sa-retired` event; `sa-rekeyed` says old
and new SPI. Refused rekeys (unknown SA, the same SPI, an SPI another SA or a retired one holds,
missing keys, keys of the wrong length, a key for null encryption, an AES-GCM key equal to the
current one, a bad grace period, a batch that fails after the rekey) change nothing and make no
event; neither does an `sa add` of a retired SA's SPI. Null and AES-GCM SAs take the keys their
algorithms need; grace 0 ends the old SPI at once. A rekey gives a fresh lifetime (it expires
again, with its event). A retired SA survives a restart for the rest of its grace, not more,
and a restart after its grace does not bring it back. `sa remove -n` takes the retired
predecessors along, `-a` all; `-n auto ... -p OLD` ends one grace early. The CLI passes key
files and wipes keys from its argv; no key reaches the log or an event. Packets under the old
and new SPI are tests/e2e/test_rekey.sh's (this daemon runs without a data path)."""

import os
import re
import socket
import subprocess
import tempfile
import time

import daemonlib
from daemonlib import Daemon, check, init, key_hex, records, sa_line, sp_line
from test_monitor import Monitor

A, B = "2001:db8::1", "2001:db8::2"
KEYS = []  # every key used, as hex without 0x: none may appear in the log or an event
EVENTS = []  # every event read


def key(i, n, tag):
    k = key_hex(i, n, tag)
    KEYS.append(k)
    return "0x" + k


def rekey(name, spi, ekey=None, ikey=None, grace=None):
    words = ["sa rekey", "--sa-name=" + name, "--sa-spi=" + spi]
    if ekey:
        words.append("--encryption-key=" + ekey)
    if ikey:
        words.append("--integrity-key=" + ikey)
    if grace is not None:
        words.append("--grace-period=%s" % grace)
    return " ".join(words)


def rows(d, name):
    """The SA's records of `sa list`, by SPI."""
    return {r["spi"]: r for r in records(d.ok("sa list")) if r["name"] == name}


def states(d, name):
    return {spi: r["state"] for spi, r in rows(d, name).items()}


def export(d):
    return d.ok("sa export --wireshark")


def exported(d, spi):
    """The export lines of SPI (0x + 8 digits there)."""
    return [l for l in export(d) if '"0x%08x"' % int(spi, 16) in l]


def conf_lines(d, spi):
    return [l for l in d.file_bytes().decode().splitlines() if "--sa-spi=%s " % spi in l + " "]


SYNCS = [0]


def sync(d, mon):
    """The events since the last sync: a policy is added and removed, and the events up to its
    addition are read (a change's events come in order, so all before it have come)."""
    SYNCS[0] += 1
    name = "sync%d" % SYNCS[0]
    d.ok(sp_line(name, action="discard"))
    evs = []
    while not evs or (evs[-1]["event"], evs[-1].get("sp")) != ("sp-added", name):
        evs += mon.events(1)
    d.ok("sp remove -n " + name)
    evs += mon.events(1)
    check((evs[-1]["event"], evs[-1].get("sp")) == ("sp-removed", name), "sync: %r" % evs[-1])
    EVENTS.extend(evs)
    return evs[:-2]


def brief(evs, *fields):
    return [tuple([e["event"]] + [e.get(f, "") for f in fields]) for e in evs]


def retired_line(d, spi, grace):
    """The file's line of the retired SA of spi says --retired=EPOCH and --grace-period; EPOCH"""
    lines = conf_lines(d, spi)
    check(len(lines) == 1, "one line of SPI %s in the file: %r" % (spi, lines))
    m = re.search(r"--retired=(\d+)(\s|$)", lines[0])
    check(m is not None and re.search(r"--grace-period=%d(\s|$)" % grace, lines[0]),
          "the retired SA's line: %r" % lines[0])
    return int(m.group(1))


def wait_gone(d, name, spi, timeout):
    """Seconds (monotonic) at which SPI is no longer among name's rows."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if spi not in rows(d, name):
            return time.monotonic()
        time.sleep(0.05)
    check(False, "retired SA %s %s still listed after %.1f s: %r" % (name, spi, timeout,
                                                                    states(d, name)))
    return None


def gone_from_file(d, spi, keys):
    """Within a second, the file has no line of spi and none of keys (hex)."""
    end = time.monotonic() + 1.0
    while True:
        text = d.file_bytes().decode()
        left = [k for k in keys if k in text]
        if (not conf_lines(d, spi) and not left) or time.monotonic() > end:
            break
        time.sleep(0.05)
    check(conf_lines(d, spi) == [] and left == [],
          "the retired SA %s and its keys are gone from the file once it is: %r" %
          (spi, conf_lines(d, spi)))


def until_event(mon, event, timeout):
    """The events up to the first EVENT, which comes within timeout seconds."""
    evs = []
    while not evs or evs[-1]["event"] != event:
        evs += mon.events(1, timeout=timeout)
    EVENTS.extend(evs)
    return evs


def setup(d, mon):
    d.ok("\n".join([
        sa_line(1, name="out", src=A, dst=B),
        sa_line(2, name="in", src=B, dst=A),
        sa_line(3, name="other", src=A, dst=B),
        sa_line(4, name="nul", src=A, dst=B, enc="null", auth="hmac-sha1"),
        "sa add --sa-name=gcm --sa-source=%s --sa-destination=%s --sa-spi=0x1005 "
        "--encryption-algorithm=aes128-gcm16 --encryption-key=%s" % (A, B, key(5, 20, 0xe)),
        sp_line("po", sa="out", direction="out", src=A + "/128", dst=B + "/128"),
        sp_line("pi", sa="in", direction="in", src=B + "/128", dst=A + "/128"),
    ]))
    for i in (1, 2, 3):
        key(i, 16, 0xe)
        key(i, 32, 0xa)
    key(4, 20, 0xa)
    check([e[0] for e in brief(sync(d, mon))] == ["sa-added"] * 5 + ["sp-added"] * 2,
          "the set-up's events")


def test_rekey_out(d, mon):
    """The SA of an out-policy: new SPI and keys, the old one retired (default grace)."""
    before = rows(d, "out")["0x1001"]
    sp_before = d.ok("sp list")
    ek, ik = key(101, 16, 0xe), key(101, 32, 0xa)
    t0 = int(time.time())
    check(d.ok(rekey("out", "0x2001", ek, ik)) == [], "a rekey answers ok with nothing")
    t1 = int(time.time())
    r = rows(d, "out")
    check(set(r) == {"0x2001", "0x1001"}, "out: the new and the retired SA: %r" % r)
    new, old = r["0x2001"], r["0x1001"]
    check(new["state"] == "mature" and old["state"] == "retired",
          "states: %s, %s" % (new["state"], old["state"]))
    for f in ("source", "destination", "mode", "encryption", "integrity", "encapsulation"):
        check(new[f] == before[f] == old[f], "out: %s kept: %r" % (f, (before, new, old)))
    check(new["used-by"] == "po", "the policy uses the new SA: %r" % new)
    check(d.ok("sp list") == sp_before, "the policies are untouched")
    st = [(r["name"], r["spi"]) for r in records(d.ok("stats")) if r["type"] == "sa"]
    check(("out", "0x2001") in st and ("out", "0x1001") in st, "stats: a row each: %r" % st)
    evs = brief(sync(d, mon), "sa", "spi", "old-spi")
    check(evs == [("sa-rekeyed", "out", "0x2001", "0x1001")], "sa-rekeyed: %r" % evs)
    # Both SPIs in the export, each with its own keys.
    check(exported(d, "0x2001") == ['"IPv6","%s","%s","0x00002001","AES-CBC [RFC3602]","%s",'
                                    '"HMAC-SHA-256-128 [RFC4868]","%s"' % (A, B, ek, ik)],
          "export: the new SPI with the new keys: %r" % exported(d, "0x2001"))
    check(exported(d, "0x1001") == ['"IPv6","%s","%s","0x00001001","AES-CBC [RFC3602]","0x%s",'
                                    '"HMAC-SHA-256-128 [RFC4868]","0x%s"' %
                                    (A, B, key_hex(1, 16, 0xe), key_hex(1, 32, 0xa))],
          "export: the old SPI with the old keys: %r" % exported(d, "0x1001"))
    # The file: the new SA, and the old one with --retired and the default grace of 300 s.
    cur = conf_lines(d, "0x2001")
    check(len(cur) == 1 and ek in cur[0] and "--retired" not in cur[0], "file: %r" % cur)
    check("--sa-name=out " in conf_lines(d, "0x1001")[0], "the retired SA keeps its name")
    t = retired_line(d, "0x1001", 300)
    check(t0 <= t <= t1, "--retired=%d is when it was retired (%d-%d)" % (t, t0, t1))


def test_rekey_in(d, mon):
    """The SA of an in-policy, with a grace of 2 s: retired, then gone for good."""
    sp_before = d.ok("sp list")
    ek, ik = key(102, 16, 0xe), key(102, 32, 0xa)
    t0 = time.monotonic()
    d.ok(rekey("in", "0x2002", ek, ik, grace=2))
    check(states(d, "in") == {"0x2002": "mature", "0x1002": "retired"},
          "in: %r" % states(d, "in"))
    check(rows(d, "in")["0x2002"]["used-by"] == "pi", "the in-policy uses the new SA")
    check(d.ok("sp list") == sp_before, "the policies are untouched")
    retired_line(d, "0x1002", 2)
    evs = brief(sync(d, mon), "sa", "spi", "old-spi")
    check(evs == [("sa-rekeyed", "in", "0x2002", "0x1002")], "sa-rekeyed: %r" % evs)
    gone = wait_gone(d, "in", "0x1002", 5.0) - t0
    check(1.5 <= gone <= 4.0, "the retired SA went %.1f s after a rekey with a grace of 2 s" %
          gone)
    check(states(d, "in") == {"0x2002": "mature"}, "in: only the new SA: %r" % states(d, "in"))
    check(exported(d, "0x1002") == [], "the old SPI is no longer exported")
    # Gone from the file too, by itself (before any other change writes the file).
    gone_from_file(d, "0x1002", [key_hex(2, 16, 0xe), key_hex(2, 32, 0xa)])
    evs = brief(sync(d, mon), "sa", "spi")
    check(evs == [("sa-retired", "in", "0x1002")], "sa-retired: %r" % evs)


def test_refusals(d, mon):
    """Refused rekeys name the problem and change nothing."""
    sa_before, file_before = d.ok("sa list"), d.file_bytes()
    ek, ik = key(103, 16, 0xe), key(103, 32, 0xa)
    cases = [
        (rekey("nosuch", "0x5000", ek, ik), "'nosuch'"),
        (rekey("out", "0x2001", ek, ik), "0x2001"),  # its current SPI
        (rekey("out", "0x1003", ek, ik), "0x1003"),  # other's (same addresses)
        (rekey("out", "0x1001", ek, ik), "0x1001"),  # its own retired predecessor's
        (rekey("out", "0x10", ek, ik), "0x10"),  # reserved
        ("sa rekey --sa-name=out --encryption-key=%s --integrity-key=%s" % (ek, ik),
         "Missing required parameter -p|--sa-spi"),
        (rekey("out", "0x5000", ikey=ik), "Missing required parameter -k|--encryption-key"),
        (rekey("out", "0x5000", ekey=ek), "Missing required parameter -K|--integrity-key"),
        (rekey("out", "0x5000", "0x" + key_hex(104, 15, 0xe), ik), "key"),
        (rekey("out", "0x5000", ek, "0x" + key_hex(104, 20, 0xa)), "key"),  # sha1's length
        (rekey("nul", "0x5000", ek, ik), "key"),  # null encryption takes none
        (rekey("gcm", "0x5000", "0x" + key_hex(5, 20, 0xe)), "key"),  # the current key
        (rekey("gcm", "0x5000", "0x" + key_hex(104, 20, 0xe), ik), "integrity key"),
        (rekey("out", "0x5000", ek, ik, grace="soon"), "soon"),
        (rekey("out", "0x5000", ek, ik, grace="-1"), "-1"),
        # An SA added with a retired SA's addresses and SPI: the inbound SPI would be ambiguous.
        (sa_line(99, name="dup", src=A, dst=B).replace("--sa-spi=0x1063", "--sa-spi=0x1001"),
         "0x1001"),
        # A batch: the rekey applied, then a refusal: rolled back, the old SA current again.
        (rekey("out", "0x5000", ek, ik) + "\n" + sa_line(3, name="other"), "line 2"),
    ]
    for text, want in cases:
        status, lines = d.request(text)
        check(status.startswith("error ") and want in status and lines == [],
              "%r: refused with %r in the message, got %r" % (text, want, status))
    check(d.ok("sa list") == sa_before, "sa list unchanged after the refusals")
    check(d.file_bytes() == file_before, "file unchanged after the refusals")
    check(sync(d, mon) == [], "no event from a refusal")


def test_algorithms(d, mon):
    """Null takes no encryption key, AES-GCM no integrity key; the SPI is unique per address
    pair, not across pairs; the new SA's algorithms are the old one's; grace 0 ends the old SPI
    at once."""
    d.ok(rekey("nul", "0x2004", ikey=key(106, 20, 0xa), grace=0))
    check(states(d, "nul") == {"0x2004": "mature"}, "grace 0: the old SPI gone at once: %r" %
          states(d, "nul"))
    d.ok(rekey("gcm", "0x2005", ekey=key(107, 20, 0xe), grace=0))
    check(rows(d, "gcm")["0x2005"]["encryption"] == "aes128-gcm16", "gcm stays gcm")
    # 0x2002 is in's (B -> A); other is A -> B: no conflict.
    d.ok(rekey("other", "0x2002", key(108, 16, 0xe), key(108, 32, 0xa), grace=0))
    check(states(d, "other") == {"0x2002": "mature"}, "%r" % states(d, "other"))
    evs = brief(sync(d, mon), "sa", "spi")
    check([e for e in evs if e[0] != "sa-retired"] == [
        ("sa-rekeyed", "nul", "0x2004"), ("sa-rekeyed", "gcm", "0x2005"),
        ("sa-rekeyed", "other", "0x2002")], "the rekeys' events: %r" % evs)
    check(set(e for e in evs if e[0] == "sa-retired") <= {
        ("sa-retired", "nul", "0x1004"), ("sa-retired", "gcm", "0x1005"),
        ("sa-retired", "other", "0x1003")}, "sa-retired, if any, names the old SPIs: %r" % evs)


def test_lifetime_reset(d, mon):
    """A hard-expired SA, rekeyed, is mature again, with its limits, added now."""
    d.ok(sa_line(9, name="life", src=A, dst=B) + " --time-hard=1")
    key(9, 16, 0xe)
    key(9, 32, 0xa)
    evs = until_event(mon, "sa-hard-expired", 4.0)
    check(brief(evs, "sa") == [("sa-added", "life"), ("sa-hard-expired", "life")],
          "life added, hard-expired: %r" % evs)
    check(states(d, "life") == {"0x1009": "hard-expired"}, "%r" % states(d, "life"))
    t0 = int(time.time())
    d.ok(rekey("life", "0x2009", key(109, 16, 0xe), key(109, 32, 0xa)))
    check(states(d, "life") == {"0x2009": "mature", "0x1009": "retired"},
          "a fresh lifetime: %r" % states(d, "life"))
    cur = conf_lines(d, "0x2009")
    m = re.search(r"--time-hard=1 .*--added=(\d+)", cur[0]) if len(cur) == 1 else None
    check(m is not None and int(m.group(1)) >= t0, "the limit kept, added now: %r" % cur)
    evs = until_event(mon, "sa-hard-expired", 4.0)
    check(brief(evs, "sa") == [("sa-rekeyed", "life"), ("sa-hard-expired", "life")],
          "life rekeyed, hard-expired again: %r" % evs)
    check(rows(d, "life")["0x2009"]["state"] == "hard-expired", "%r" % states(d, "life"))
    d.ok("sa remove -n life")
    check(rows(d, "life") == {}, "sa remove -n takes the retired SA along")
    sync(d, mon)


def test_remove(d, mon):
    """`sa remove -n NAME` removes the retired predecessors too; `-n auto` one of them."""
    d.ok(rekey("out", "0x3001", key(110, 16, 0xe), key(110, 32, 0xa)))
    check(states(d, "out") == {"0x3001": "mature", "0x2001": "retired", "0x1001": "retired"},
          "two retired SAs of one name: %r" % states(d, "out"))
    d.ok("sa remove -n auto -s %s -d %s -p 0x1001" % (A, B))
    check(states(d, "out") == {"0x3001": "mature", "0x2001": "retired"},
          "-n auto ends one grace: %r" % states(d, "out"))
    check(exported(d, "0x1001") == [] and conf_lines(d, "0x1001") == [], "and it is gone")
    status, _ = d.request("sa remove -n out")
    check(status == "error SA 'out' is in use by policy: po", status)
    check(len(rows(d, "out")) == 2, "a refused remove removes no retired SA either")
    d.ok("sp remove -n po\nsa remove -n out")
    check(rows(d, "out") == {}, "out and its retired predecessor removed: %r" % rows(d, "out"))
    check(exported(d, "0x2001") == [] and exported(d, "0x3001") == [], "none exported")
    check("--sa-name=out " not in d.file_bytes().decode(), "none in the file")
    evs = brief(sync(d, mon), "sa")
    check(evs[0] == ("sa-rekeyed", "out") and ("sa-removed", "out") in evs,
          "rekeyed, removed: %r" % evs)


def test_restart(d, mon):
    """A retired SA survives a restart for the rest of its grace; not after it."""
    d.ok(sa_line(11, name="keep", src=A, dst=B) + "\n" + sa_line(12, name="late", src=A, dst=B))
    for i in (11, 12):
        key(i, 16, 0xe)
        key(i, 32, 0xa)
    t0, m0 = int(time.time()), time.monotonic()
    d.ok(rekey("keep", "0x2011", key(111, 16, 0xe), key(111, 32, 0xa), grace=5))
    d.ok(rekey("late", "0x2012", key(112, 16, 0xe), key(112, 32, 0xa), grace=1))
    t1 = int(time.time())
    t = retired_line(d, "0x100b", 5)
    check(t0 <= t <= t1, "--retired=%d is when it was retired (%d-%d)" % (t, t0, t1))
    d.stop()
    EVENTS.extend(mon.rest())
    time.sleep(2.5)  # late's grace ends while the daemon is down
    d.start()
    mon = Monitor(d.sock)
    check(states(d, "keep") == {"0x2011": "mature", "0x100b": "retired"},
          "keep's retired SA is back after the restart: %r" % states(d, "keep"))
    check(len(exported(d, "0x100b")) == 1, "and exported with its keys")
    # late's grace ended while the daemon was down: it is not loaded, or gone at the first tick
    wait_gone(d, "late", "0x100c", 1.5)
    check(states(d, "late") == {"0x2012": "mature"}, "late: %r" % states(d, "late"))
    gone = wait_gone(d, "keep", "0x100b", 6.0) - m0
    check(3.5 <= gone <= 6.8, "keep's old SA went %.1f s after the rekey (grace 5 s), not 5 s "
          "after the restart" % gone)
    gone_from_file(d, "0x100b", [key_hex(11, 16, 0xe), key_hex(11, 32, 0xa)])
    gone_from_file(d, "0x100c", [key_hex(12, 16, 0xe), key_hex(12, 32, 0xa)])
    evs = [e for e in brief(sync(d, mon), "sa", "spi") if e != ("sa-retired", "late", "0x100c")]
    check(evs == [("sa-retired", "keep", "0x100b")], "%r" % evs)
    return mon


def cli_path():
    return os.path.join(os.path.dirname(os.path.dirname(daemonlib.IPSEC6D)), "cli", "ipsec6")


def test_cli_key_files(d):
    """The CLI reads key files, sends the keys, prints nothing on success."""
    ek, ik = key(113, 16, 0xe), key(113, 32, 0xa)
    d.ok(sa_line(13, name="kf", src=A, dst=B))
    with tempfile.TemporaryDirectory() as tmp:
        ef, af = os.path.join(tmp, "enc"), os.path.join(tmp, "int")
        for path, k in ((ef, ek), (af, ik)):
            with open(path, "w") as f:
                f.write(k + "\n")
        r = subprocess.run([cli_path(), "--socket=" + d.sock, "sa", "rekey", "-n", "kf", "-p",
                            "0x2013", "--encryption-key-file", ef, "--integrity-key-file", af],
                           capture_output=True, text=True, timeout=30)
    check(r.returncode == 0 and r.stdout == "" and r.stderr == "",
          "ipsec6 sa rekey with key files: %r" % r)
    check(exported(d, "0x2013") == ['"IPv6","%s","%s","0x00002013","AES-CBC [RFC3602]","%s",'
                                    '"HMAC-SHA-256-128 [RFC4868]","%s"' % (A, B, ek, ik)],
          "the keys of the files: %r" % exported(d, "0x2013"))


def test_cli_argv():
    """While the CLI waits for the daemon's answer, its argv holds no key."""
    ek, ik = key(114, 16, 0xe), key(114, 32, 0xa)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "fake.sock")
        ls = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        ls.bind(path)
        ls.listen(1)
        ls.settimeout(20)
        p = subprocess.Popen([cli_path(), "--socket=" + path, "sa", "rekey", "-n", "x", "-p",
                              "0x3000", "-k", ek, "--integrity-key=" + ik],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            try:
                c, _ = ls.accept()
            except socket.timeout:
                p.kill()
                check(False, "the CLI did not connect: %r" % (p.communicate(),))
            c.settimeout(20)
            req = b""
            while not req.endswith(b"\n\n"):
                b = c.recv(4096)
                if not b:
                    break
                req += b
            with open("/proc/%d/cmdline" % p.pid, "rb") as f:
                argv = f.read()
            c.sendall(b"error no\n")
            c.close()
        finally:
            p.wait(timeout=20)
            ls.close()
    check(ek.encode() in req and ik.encode() in req, "the request carries the keys")
    check(b"rekey" in argv and ek[2:].encode() not in argv and ik[2:].encode() not in argv,
          "no key in argv: %r" % argv)


def main():
    init()
    with Daemon() as d:
        d.start()
        mon = Monitor(d.sock)
        setup(d, mon)
        test_rekey_out(d, mon)
        test_rekey_in(d, mon)
        test_refusals(d, mon)
        test_algorithms(d, mon)
        test_lifetime_reset(d, mon)
        test_remove(d, mon)
        mon = test_restart(d, mon)
        test_cli_key_files(d)
        test_cli_argv()
        d.ok("sp remove -a\nsa remove -a")
        check(d.ok("sa list") == [] and export(d) == [] and
              "sa add" not in d.file_bytes().decode(), "sa remove -a: retired SAs too")
        sync(d, mon)
        d.stop()
        EVENTS.extend(mon.rest())
        check(EVENTS[-1]["event"] == "stop", "the events end with the stop")
        log, events = d.log_text().lower(), str(EVENTS).lower()
        for k in KEYS:
            check(k not in log, "no key in the log")
            check(k not in events, "no key in an event")
    print("ok")


if __name__ == "__main__":
    main()
