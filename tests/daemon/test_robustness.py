#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Protocol robustness: oversized lines and requests, NUL and control bytes, garbage, a client
that sends half a request and goes silent (others are still served; it is cut off after the
idle timeout), clients that vanish mid-request or without reading, and 100 clients at once.
A FIFO (or anything but a regular file) at the configuration path is refused at start and on
SIGHUP with a clear message, without hanging the daemon."""

import os
import random
import signal
import socket
import subprocess
import threading
import time

from daemonlib import Daemon, check, init, raw, records, request, sa_line

TOO_LONG = b"error request too long: a line may have 65536 bytes, a request 64 MiB\n"
MALFORMED = b"error malformed request: NUL or control byte, or no command\n"


def alive(d):
    check(d.proc.poll() is None, "daemon died")
    check(request(d.sock, "sa list")[0] == "ok", "daemon still serves")


def test_oversized(d):
    check(raw(d.sock, b"a" * 70000) == TOO_LONG, "long line without LF")
    check(raw(d.sock, b"sa list " + b"x" * 65536 + b"\n\n") == TOO_LONG, "long line")
    # Exactly at the limit is a line like any other (refused as a command, not framed out).
    out = raw(d.sock, b"sa list " + b"x" * (65536 - 8) + b"\n\n")
    check(out.startswith(b"error ") and out != TOO_LONG, "65536-byte line framed: %r" % out[:60])
    # The request limit: 64 MiB of short comment lines. The daemon may stop reading and
    # answer before we are done sending.
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(d.sock)
    chunk = (b"#" + b"c" * 1022 + b"\n") * 1024
    try:
        for _ in range(65):
            s.sendall(chunk)
    except OSError:
        pass
    out = s.recv(4096)
    s.close()
    check(out == TOO_LONG, "request over 64 MiB: %r" % out[:80])
    alive(d)


def test_bad_bytes(d):
    for data in [b"sa list\0\n\n", b"\0", b"sa \x01list\n\n", b"\x1b[2J\n\n", b"\xff\x7f\n"]:
        check(raw(d.sock, data) == MALFORMED, "bad byte %r" % data)
    check(raw(d.sock, b"") == MALFORMED, "nothing then EOF")
    check(raw(d.sock, b"\n") == b"error empty request: no command\n", "empty line")
    alive(d)


def test_garbage(d):
    rnd = random.Random(3)
    printable = bytes(range(0x20, 0x7f)) + b"\t\"'\\# "
    for n in range(300):
        line = bytes(rnd.choice(printable) for _ in range(rnd.randrange(0, 200)))
        out = raw(d.sock, line + b"\n\n")
        check(out.startswith(b"error ") or out.startswith(b"ok\n"), "garbage %r -> %r" % (line, out))
        check(out.count(b"\n") >= 1, "one status line")
    for n in range(100):
        blob = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 3000)))
        out = raw(d.sock, blob)
        check(out.startswith(b"error ") or out.startswith(b"ok\n"), "binary -> %r" % out[:60])
    alive(d)


def test_half_sent(d):
    slow = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    slow.connect(d.sock)
    slow.sendall(b"sa add --sa-name=half --sa-sou")
    t0 = time.monotonic()
    # Others are served at once while it is silent.
    for i in range(20):
        check(request(d.sock, "sa list")[0] == "ok", "served beside a half-sent request")
    check(request(d.sock, sa_line(1))[0] == "ok", "changes too")
    check(time.monotonic() - t0 < 5, "others were not delayed")
    # The silent one is cut off after the idle timeout, with a reason.
    slow.settimeout(20)
    out = slow.recv(4096)
    waited = time.monotonic() - t0
    slow.close()
    check(out == b"error timeout: no complete request within 10 s\n", "timeout: %r" % out)
    check(9 <= waited <= 15, "cut off after %.1f s" % waited)
    check("half" not in [r["name"] for r in records(d.ok("sa list"))], "half request not applied")


def test_vanishing_clients(d):
    # Connect and close at once; send and close without reading; close mid-line.
    for _ in range(50):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(d.sock)
        s.close()
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(d.sock)
        s.sendall(b"sa list\n\n")
        s.close()
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(d.sock)
        s.sendall(b"sp li")
        s.close()
    alive(d)


def test_many_at_once(d):
    socks = []
    for _ in range(100):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(20)
        s.connect(d.sock)
        socks.append(s)
    for s in socks:
        s.sendall(b"sa list\n\n")
    outs = []
    for s in socks:
        data = b""
        while True:
            b = s.recv(65536)
            if not b:
                break
            data += b
        outs.append(data)
        s.close()
    check(all(o.startswith(b"ok\n") for o in outs), "100 clients served")
    check(len(set(outs)) == 1, "100 clients got the same list")
    # And 100 threads, each a full request at the same moment.
    results = []
    barrier = threading.Barrier(100)

    def one(i):
        barrier.wait()
        results.append(request(d.sock, sa_line(1000 + i))[0])

    threads = [threading.Thread(target=one, args=(i,)) for i in range(100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(results.count("ok") == 100, "100 concurrent changes: %r" % set(results))
    alive(d)


def test_fifo_config():
    """open() of a FIFO blocks until a writer comes: ipsec6d must not wait for one."""
    # At start: refused at once, exit status 1, the reason on stderr.
    with Daemon() as d:
        os.makedirs(os.path.dirname(d.config))
        os.mkfifo(d.config, 0o600)
        try:
            r = subprocess.run(d.argv(), capture_output=True, timeout=10)
        except subprocess.TimeoutExpired:
            check(False, "ipsec6d hangs at start on a FIFO at the configuration path")
        check(r.returncode == 1, "start with a FIFO: exit status %d" % r.returncode)
        want = "%s: not a regular file" % d.config
        check(want in r.stderr.decode(), "start with a FIFO: %r" % r.stderr.decode())
    # On SIGHUP: the reload is refused, the daemon keeps serving and stops on SIGTERM.
    with Daemon() as d:
        d.start()
        d.ok(sa_line(1))
        os.unlink(d.config)
        os.mkfifo(d.config, 0o600)
        d.signal(signal.SIGHUP)
        end = time.monotonic() + 10
        while "reload refused" not in d.log_text() and time.monotonic() < end:
            time.sleep(0.05)
        check("reload refused, the previous state stays: %s: not a regular file" % d.config
              in d.log_text(), "SIGHUP with a FIFO: log says why:\n" + d.log_text())
        check(len(records(d.ok("sa list"))) == 1, "SIGHUP with a FIFO: the state stays")
        d.stop()


def main():
    init()
    test_fifo_config()
    with Daemon() as d:
        d.start()
        # The half-sent client waits out the idle timeout while the rest runs.
        failed = []

        def half():
            try:
                test_half_sent(d)
            except SystemExit:
                failed.append(True)

        t = threading.Thread(target=half)
        t.start()
        test_oversized(d)
        test_bad_bytes(d)
        test_garbage(d)
        test_vanishing_clients(d)
        t.join()
        check(not failed, "half-sent request test failed")
        test_many_at_once(d)
        d.stop()
    print("ok")


if __name__ == "__main__":
    main()
