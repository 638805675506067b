#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Packets that a well-behaved ipsec6 peer would never send, put on the link with scapy at
layer 2 (so the sender's own steering never sees them). Used by test_inbound.sh:

  inject.py IFACE plain DST_MAC SRC DST PORT N   N UDP datagrams SRC -> DST:PORT in the clear,
                                                 then N echo requests
  inject.py IFACE esp PCAP SRC INDEX... [--flip] [--spi SPI] [--frag] [--dstopts]
                                                 the ESP frames from SRC in PCAP (0-based
                                                 indexes among them, or "all"), sent again as
                                                 captured, or with one bit of the ciphertext
                                                 flipped, or with another SPI, or in two IPv6
                                                 fragments, or behind a destination options
                                                 header (both legal, and both reach ipsec6d
                                                 by its raw socket, not its packet ring)
"""
import argparse
import sys

from scapy.all import (Ether, ICMPv6EchoRequest, IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment,
                       PadN, Raw, UDP, fragment6, rdpcap, sendp)
from scapy.layers.ipsec import ESP


def plain(a):
    frames = []
    for i in range(a.n):
        frames.append(Ether(dst=a.dst_mac) / IPv6(src=a.src, dst=a.dst) /
                      UDP(sport=40000 + i, dport=a.port) / Raw(b"injected %d\n" % i))
    for i in range(a.n):
        frames.append(Ether(dst=a.dst_mac) / IPv6(src=a.src, dst=a.dst) /
                      ICMPv6EchoRequest(id=0x4242, seq=i))
    sendp(frames, iface=a.iface, verbose=False)
    print("sent %d clear datagrams and %d echo requests" % (a.n, a.n))


def esp(a):
    frames = [p for p in rdpcap(a.pcap) if ESP in p and p[IPv6].src == a.src]
    pick = range(len(frames)) if a.index == ["all"] else [int(i) for i in a.index]
    out = []
    for i in pick:
        raw = bytearray(bytes(frames[i]))
        esp_off = len(raw) - len(bytes(frames[i][ESP]))
        if a.flip:
            # A bit in the middle of the ciphertext: well past the header and IV, before the ICV.
            raw[esp_off + 8 + (len(raw) - esp_off - 8) // 2] ^= 0x10
        if a.spi is not None:
            raw[esp_off:esp_off + 4] = int(a.spi, 0).to_bytes(4, "big")
        frame = Ether(bytes(raw))
        if a.frag or a.dstopts:
            ip, eth = frame[IPv6], Ether(src=frame.src, dst=frame.dst)
            outer = IPv6(src=ip.src, dst=ip.dst, hlim=ip.hlim, tc=ip.tc, fl=ip.fl)
            payload = Raw(bytes(raw[esp_off:]))
            if a.frag:
                whole = outer / IPv6ExtHdrFragment(nh=50) / payload
                out.extend(eth / f for f in fragment6(whole, 40 + 8 + len(payload) // 2 + 8))
                continue
            pad = PadN(optdata=b"\0" * 4)
            frame = eth / outer / IPv6ExtHdrDestOpt(nh=50, options=[pad]) / payload
        out.append(frame)
    if not out:
        sys.exit("no ESP frame from %s in %s" % (a.src, a.pcap))
    sendp(out, iface=a.iface, verbose=False)
    seqs = ",".join(str(frames[i][ESP].seq) for i in pick)
    print("sent %d frames of ESP (seq %s)%s%s%s%s" % (
        len(out), seqs, " flipped" if a.flip else "", " SPI " + a.spi if a.spi else "",
        " in fragments" if a.frag else "", " behind destination options" if a.dstopts else ""))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("iface")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("plain")
    for name in ("dst_mac", "src", "dst"):
        p.add_argument(name)
    p.add_argument("port", type=int)
    p.add_argument("n", type=int)
    e = sub.add_parser("esp")
    e.add_argument("pcap")
    e.add_argument("src")
    e.add_argument("index", nargs="+")
    e.add_argument("--flip", action="store_true")
    e.add_argument("--spi")
    e.add_argument("--frag", action="store_true")
    e.add_argument("--dstopts", action="store_true")
    a = ap.parse_args()
    plain(a) if a.cmd == "plain" else esp(a)


if __name__ == "__main__":
    main()
