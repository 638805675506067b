#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A TCP stream of paced random data that lasts as long as a test needs it, for checks made
while traffic flows. Every 1024 bytes begin with MARKER, so that a capture holding the stream in
the clear, or any part of it, is found by a search for MARKER.

  stream.py recv PORT                 accept one connection on PORT, read until its end; print
                                      "BYTES SHA256" of what arrived
  stream.py send ADDR PORT --until FILE [--rate MB] [--min MB] [--max-seconds S]
                                      send at most MB megabytes a second (default 8) until FILE
                                      exists and at least --min MB are sent (default 16), then
                                      close; print "BYTES SHA256" of what was sent. Exits 1 when
                                      --max-seconds (default 60) pass first.
"""
import argparse
import hashlib
import os
import socket
import sys
import time

MARKER = b"ipsec6 stream.py cleartext marker"
BLOCK = 1024
CHUNK = 64 * BLOCK


def chunk():
    """CHUNK bytes: in each BLOCK, MARKER and then random bytes."""
    rand = os.urandom(CHUNK)
    n = BLOCK - len(MARKER)
    return b"".join(MARKER + rand[i:i + n] for i in range(0, CHUNK, BLOCK))


def recv(a):
    ls = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("::", a.port))
    ls.listen(1)
    s, _ = ls.accept()
    ls.close()
    h, n = hashlib.sha256(), 0
    while True:
        b = s.recv(1 << 20)
        if not b:
            break
        h.update(b)
        n += len(b)
    print(n, h.hexdigest(), flush=True)
    s.close()
    return 0


def send(a):
    s = socket.create_connection((a.addr, a.port), timeout=a.max_seconds)
    h, n = hashlib.sha256(), 0
    rate, least = a.rate * 1e6, a.min * 1e6
    start = time.monotonic()
    while n < least or not os.path.exists(a.until):
        elapsed = time.monotonic() - start
        if elapsed > a.max_seconds:
            print("%d bytes sent in %d s, and %s is not there" % (n, a.max_seconds, a.until))
            return 1
        ahead = n / rate - elapsed
        if ahead > 0:
            time.sleep(ahead)
        b = chunk()
        s.sendall(b)
        h.update(b)
        n += len(b)
    s.shutdown(socket.SHUT_WR)
    # The receiver closes once it has read everything: then all of it has arrived.
    s.settimeout(a.max_seconds)
    while s.recv(1 << 16):
        pass
    s.close()
    print(n, h.hexdigest())
    return 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("recv")
    r.add_argument("port", type=int)
    s = sub.add_parser("send")
    s.add_argument("addr")
    s.add_argument("port", type=int)
    s.add_argument("--until", required=True)
    s.add_argument("--rate", type=float, default=8)
    s.add_argument("--min", type=float, default=16)
    s.add_argument("--max-seconds", type=float, default=60)
    a = ap.parse_args()
    return recv(a) if a.cmd == "recv" else send(a)


if __name__ == "__main__":
    sys.exit(main())
