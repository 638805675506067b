#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Seed corpus of fuzz_udp: runs of sends and receives in fuzz_udp.c's input format that take
io_udp_recv() down each of its ways (a super-datagram cut, segments straight into the packets,
a changed segment size, a shorter last segment, packets too small, what is not ESP).

Usage: seed_udp.py OUTDIR   (files are named by the SHA-1 of their contents)
"""

import hashlib
import os
import struct
import sys


def esp(*seqs, spi=0x1234):
    """The first 8 bytes of datagrams: SPI and sequence number, one per datagram in turn."""
    return b"".join(struct.pack(">II", spi, s) for s in seqs)


def send(h, seg, length, pat):
    return bytes([h]) + struct.pack(">HHB", seg, length, len(pat)) + pat


def recv(n, room, room_b=None, mask=0):
    if room_b is None:
        return bytes([0x80 | (n - 1)]) + struct.pack(">H", room)
    return bytes([0xc0 | (n - 1)]) + struct.pack(">HHB", room, room_b, mask)


SEEDS = [
    # 40 segments of 1200 bytes and a shorter last one: one super-datagram, cut.
    send(0x21, 1200, 40 * 1200 + 700, esp(*range(1, 42))[:248]) + recv(64, 1500),
    # The segment size learnt, then 20 segments straight into the packets, 8 at a time, one
    # with a zero SPI among them; a datagram longer than the guess; other segments.
    send(0x05, 1460, 3 * 1460, esp(1, 2, 3)) + recv(64, 1500)
    + send(0x06, 1460, 20 * 1460, esp(4, 5, 6) + esp(7, spi=0) + esp(8)) + recv(8, 1500)
    + send(0x07, 0, 2000, esp(30)) + send(0x08, 900, 2700, esp(31, 32, 33)) + recv(16, 1500),
    # Not ESP: the keep-alive, 7 bytes, a zero SPI; then one that is.
    send(0x01, 0, 1, b"\xff") + send(0x02, 0, 7, esp(1)) + send(0x03, 0, 100, esp(2, spi=0))
    + send(0x04, 0, 100, esp(3)) + recv(4, 1500),
    # Every other packet too small for a segment, cut and then straight in.
    send(0x10, 1000, 10000, esp(*range(1, 11))) + recv(4, 1500, 500, 0xaa)
    + send(0x11, 1000, 10000, esp(*range(11, 21))) + recv(4, 1500, 500, 0xaa),
    # A shorter last segment straight into its packet; a plain datagram of the guessed size,
    # one shorter, and a segment size no shorter than the send.
    send(0x12, 900, 2300, esp(1, 2, 3)) + recv(64, 1500) + send(0x13, 900, 2300, esp(4, 5, 6))
    + recv(3, 1500) + send(0x14, 0, 900, esp(7)) + send(0x15, 0, 500, esp(8))
    + send(0x16, 900, 900, esp(9)) + recv(2, 1500),
    # The segment size changes: the segments received into the packets go back.
    send(0x20, 1000, 5000, esp(*range(1, 6))) + recv(64, 1500)
    + send(0x22, 600, 3000, esp(*range(6, 11))) + recv(64, 1500)
    + send(0x23, 1400, 7000, esp(*range(11, 16))) + recv(64, 1500),
    # A datagram of no bytes (not ESP, counted), then ESP behind it.
    send(0x01, 0, 0, b"") + send(0x02, 0, 100, esp(1)) + recv(4, 1500),
    # The largest: 64 segments, and a plain datagram of 64 KB.
    send(0x24, 1023, 65472, esp(1, 2, 3)) + send(0x25, 0, 65507, esp(4)) + recv(64, 65535),
]


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for seed in SEEDS:
        with open(os.path.join(out, hashlib.sha1(seed).hexdigest()), "wb") as f:
            f.write(seed)


if __name__ == "__main__":
    main()
