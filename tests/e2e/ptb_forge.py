#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""ICMPv6 Packet Too Big messages (RFC 4443 section 3.2) that a router on the path could send,
sent from the host this runs on with scapy (its kernel routes them). Used by test_pmtu_big.sh:

  ptb_forge.py FROM TO INNER_SRC INNER_DST MTU LEN [--count N] [--step S]
      N messages (default 1) from FROM to TO, each quoting a plain ESP packet INNER_SRC ->
      INNER_DST of LEN bytes (as much of it as fits 1280 bytes); the i-th (from 0) reports an MTU
      of MTU - i * S (default S: 0)
"""
import argparse
import logging

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import ICMPv6PacketTooBig, IPv6, Raw, send  # noqa: E402


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
    a = p.parse_args()
    # The packet that did not fit: ESP (SPI, sequence number, then the ciphertext).
    inner = IPv6(src=a.inner_src, dst=a.inner_dst, nh=50, plen=a.len - 40) / Raw(
        b"\x00\x00\x10\x00\x00\x00\x00\x01" + b"\xab" * (a.len - 48))
    quoted = bytes(inner)[:1280 - 48]
    pkts = [IPv6(src=a.src, dst=a.dst) / ICMPv6PacketTooBig(mtu=a.mtu - i * a.step) / Raw(quoted)
            for i in range(a.count)]
    send(pkts, verbose=False)


if __name__ == "__main__":
    main()
