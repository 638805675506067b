#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""ESP as captured on the wire, for captures too large for tshark's pace (hundreds of thousands
of frames). Reads the pcap itself: Ethernet, IPv6 with ESP as its next header.

  esp_wire.py seqs PCAP SRC       the ESP frames from SRC: prints "N frames, D repeated (SPI,
                                  sequence) pairs", then each repeated pair with its count
                                  (at most 20); exits 1 if a pair repeats
  esp_wire.py spis PCAP SRC       the SPIs of SRC's ESP frames in the order they first appear,
                                  one line each: "0xSPI N FIRST MIN MAX" (frames, the first
                                  sequence number seen under it, the lowest, the highest)
  esp_wire.py replay IFACE PCAP SRC [--pps N] [--spi SPI] [--last N]
                                  every ESP frame from SRC sent again on IFACE, byte for byte,
                                  in capture order, at most N frames a second (default 20000:
                                  the receiver must see each one, not lose it in a full queue);
                                  only those under SPI, only the last N of them; prints the
                                  number sent
"""
import argparse
import collections
import ipaddress
import socket
import struct
import sys
import time

from scapy.utils import RawPcapReader

ETH_P_IPV6 = 0x86DD
ESP = 50


def esp_frames(pcap, src):
    """(frame bytes, SPI, sequence number) of each ESP frame from src, in capture order."""
    want = ipaddress.IPv6Address(src).packed
    for frame, _ in RawPcapReader(pcap):
        if len(frame) < 14 + 40 + 8 or struct.unpack_from("!H", frame, 12)[0] != ETH_P_IPV6:
            continue
        if frame[14 + 6] != ESP or frame[14 + 8:14 + 24] != want:
            continue
        spi, seq = struct.unpack_from("!II", frame, 14 + 40)
        yield frame, spi, seq


def seqs(a):
    count = collections.Counter((spi, seq) for _, spi, seq in esp_frames(a.pcap, a.src))
    repeated = {k: n for k, n in count.items() if n > 1}
    print("%d frames, %d repeated (SPI, sequence) pairs" % (sum(count.values()), len(repeated)))
    for (spi, seq), n in sorted(repeated.items())[:20]:
        print("  SPI 0x%x sequence %d: %d times" % (spi, seq, n))
    # No ESP at all proves nothing about repeats: a failure too.
    return 1 if repeated or not count else 0


def spis(a):
    seen = {}
    for _, spi, seq in esp_frames(a.pcap, a.src):
        if spi not in seen:
            seen[spi] = [0, seq, seq, seq]
        s = seen[spi]
        s[0] += 1
        s[2] = min(s[2], seq)
        s[3] = max(s[3], seq)
    for spi, (n, first, low, high) in seen.items():
        print("0x%x %d %d %d %d" % (spi, n, first, low, high))
    return 0


def replay(a):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((a.iface, 0))
    frames = [f for f, spi, _ in esp_frames(a.pcap, a.src)
              if a.spi is None or spi == int(a.spi, 0)]
    if a.last is not None:
        frames = frames[max(0, len(frames) - a.last):]
    start = time.monotonic()
    sent = 0
    for frame in frames:
        s.send(frame)
        sent += 1
        if sent % 64 == 0:
            ahead = sent / a.pps - (time.monotonic() - start)
            if ahead > 0:
                time.sleep(ahead)
    print(sent)
    return 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("seqs")
    p.add_argument("pcap")
    p.add_argument("src")
    r = sub.add_parser("replay")
    r.add_argument("iface")
    r.add_argument("pcap")
    r.add_argument("src")
    r.add_argument("--pps", type=int, default=20000)
    r.add_argument("--spi")
    r.add_argument("--last", type=int)
    i = sub.add_parser("spis")
    i.add_argument("pcap")
    i.add_argument("src")
    a = ap.parse_args()
    return {"seqs": seqs, "spis": spis, "replay": replay}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
