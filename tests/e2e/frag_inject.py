#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A datagram whose first fragment comes protected and whose other fragments come in the clear,
put on the link with scapy at layer 2. Used by test_fragments.sh:

  frag_inject.py IFACE DST_MAC SRC DST PORT SPI CKEY SEQ MARK [--all-esp]
      a UDP datagram SRC -> DST:PORT of 2000 bytes, its data MARK repeated, in fragments of
      1024; the first fragment inside ESP in UDP 4500, tunnel mode SRC -> DST, SPI, AES-GCM
      with CKEY (hex, salt included), sequence number SEQ; the rest in the clear, so that what
      DST's sockets then get is plaintext that no policy let in. With --all-esp every fragment
      goes in ESP (SEQ, SEQ + 1, ...), as a peer that tunnels fragments sends them.
"""
import argparse

from scapy.all import Ether, IPv6, Raw, UDP, fragment6, sendp
from scapy.layers.inet6 import IPv6ExtHdrFragment
from scapy.layers.ipsec import ESP, SecurityAssociation


def main():
    ap = argparse.ArgumentParser()
    for name in ("iface", "dst_mac", "src", "dst", "port", "spi", "ckey", "seq", "mark"):
        ap.add_argument(name)
    ap.add_argument("--all-esp", action="store_true")
    a = ap.parse_args()
    mark = a.mark.encode()
    data = (mark * (2000 // len(mark) + 1))[:2000]
    dgram = IPv6(src=a.src, dst=a.dst) / IPv6ExtHdrFragment(id=0x5eed) / \
        UDP(sport=40000, dport=int(a.port)) / Raw(data)
    frags = fragment6(dgram, 1024)
    sa = SecurityAssociation(ESP, spi=int(a.spi, 0), crypt_algo="AES-GCM",
                             crypt_key=bytes.fromhex(a.ckey),
                             nat_t_header=UDP(sport=4500, dport=4500),
                             tunnel_header=IPv6(src=a.src, dst=a.dst))
    out = []
    for i, f in enumerate(frags):
        if i > 0 and not a.all_esp:
            out.append(Ether(dst=a.dst_mac) / f)
            continue
        esp = sa.encrypt(IPv6(bytes(f)), seq_num=int(a.seq) + i)
        esp[UDP].chksum = None  # scapy writes 0, which no IPv6 receiver takes
        out.append(Ether(dst=a.dst_mac) / IPv6(bytes(esp)))
    sendp(out, iface=a.iface, verbose=False)
    print("sent %d fragments, %s in ESP" % (len(frags), "all" if a.all_esp else "the first"))


main()
