#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""ICMPv6 Packet Too Big messages (RFC 4443 section 3.2) that a router on the path could send,
sent from the host this runs on with scapy (its kernel routes them). Used by test_pmtu_big.sh:

  ptb_forge.py FROM TO INNER_SRC INNER_DST MTU LEN [--count N] [--step S]
      N messages (default 1) from FROM to TO, each quoting a plain ESP packet INNER_SRC ->
      INNER_DST of LEN bytes (as much of it as fits 1280 bytes); the i-th (from 0) reports an MTU
      of MTU - i * S (default S: 0); with --hbh the quoted ESP follows a hop-by-hop header,
      with --udp PORT it is ESP in UDP from PORT to 4500, with --later it is a fragment after
      the first of such a packet, with --spread the i-th message quotes a packet to
      INNER_DST + i (its last 16 bits), and --spi SPI is the quoted ESP's (default 0x1000);
      with --echo the quoted packet is no ESP but an ICMPv6 echo request (still behind a
      hop-by-hop header with --hbh, or a first fragment's header with --first)
"""
import argparse
import ipaddress
import logging

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

from scapy.all import (ICMPv6PacketTooBig, IPv6, IPv6ExtHdrFragment,  # noqa: E402
                       IPv6ExtHdrHopByHop, Raw, UDP, send)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("src")
    p.add_argument("dst")
    p.add_argument("inner_src")
    p.add_argument("inner_dst")
    p.add_argument("mtu", type=int)
    p.add_argument("len", type=int)
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--step", type=int, default=0)
    p.add_argument("--hbh", action="store_true")
    p.add_argument("--udp", type=int)
    p.add_argument("--later", action="store_true")
    p.add_argument("--first", action="store_true")
    p.add_argument("--echo", action="store_true")
    p.add_argument("--spread", action="store_true")
    p.add_argument("--spi", type=lambda v: int(v, 0), default=0x1000)
    a = p.parse_args()
    pkts = []
    for i in range(a.count):
        dst = ipaddress.IPv6Address(a.inner_dst) + (i if a.spread else 0)
        # The packet that did not fit: ESP (SPI, sequence number, then the ciphertext).
        esp = a.spi.to_bytes(4, "big") + b"\x00\x00\x00\x01" + b"\xab" * 2000
        upper = Raw(esp) if a.udp is None else UDP(sport=a.udp, dport=4500) / Raw(esp)
        first = 50 if a.udp is None else 17  # the fragmentable part's first header
        if a.echo:
            # An echo request (type 128, code 0, checksum, identifier, sequence number).
            upper = Raw(b"\x80\x00\x00\x00\x12\x34\x00\x01" + b"\xab" * 2000)
            first = 58
        chain = [44] if a.later or a.first else []
        if a.later:
            upper = Raw(esp)
        inner = IPv6(src=a.inner_src, dst=str(dst), nh=0 if a.hbh else (chain + [first])[0])
        if a.hbh:
            inner = inner / IPv6ExtHdrHopByHop(nh=(chain + [first])[0])
        if a.later:
            inner = inner / IPv6ExtHdrFragment(offset=1448 // 8, m=1, id=7, nh=first)
        elif a.first:
            inner = inner / IPv6ExtHdrFragment(offset=0, m=1, id=7, nh=first)
        whole = bytearray(bytes(inner / upper)[:a.len])
        whole[4:6] = (a.len - 40).to_bytes(2, "big")
        quoted = bytes(whole)[:1280 - 48]
        pkts.append(IPv6(src=a.src, dst=a.dst) / ICMPv6PacketTooBig(mtu=a.mtu - i * a.step) /
                    Raw(quoted))
    send(pkts, verbose=False)


if __name__ == "__main__":
    main()
