#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""An IPv6 host whose ESP is scapy's, not ipsec6's: the independent peer of the live interop
test. Its kernel sends packets for the peer into a TUN device; we encrypt them with scapy's
SecurityAssociation and send them raw on the link. ESP from the peer arrives on a raw
protocol-50 socket; scapy decrypts it and we write the inner packet into the TUN device, where
the kernel answers pings and runs TCP as usual. Runs until killed."""
import argparse
import fcntl
import os
import select
import socket
import struct

from scapy.layers.inet6 import IPv6
from scapy.layers.ipsec import ESP, SecurityAssociation

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
IPV6_RECVPKTINFO = 49
IPV6_PKTINFO = 50
IPV6_RECVHOPLIMIT = 51
IPV6_HOPLIMIT = 52


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def main():
    ap = argparse.ArgumentParser()
    for opt in ("tun", "dev", "local", "peer", "spi_out", "spi_in", "crypt", "ckey", "auth",
                "akey"):
        ap.add_argument("--" + opt.replace("_", "-"), required=True)
    a = ap.parse_args()
    ckey = bytes.fromhex(a.ckey) if a.ckey else None
    akey = bytes.fromhex(a.akey)
    sa_out = SecurityAssociation(ESP, spi=int(a.spi_out, 0), crypt_algo=a.crypt, crypt_key=ckey,
                                 auth_algo=a.auth, auth_key=akey)
    sa_in = SecurityAssociation(ESP, spi=int(a.spi_in, 0), crypt_algo=a.crypt, crypt_key=ckey,
                                auth_algo=a.auth, auth_key=akey)
    tun = open_tun(a.tun)
    tx = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
    tx.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, a.dev.encode())
    rx = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 50)
    rx.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)
    rx.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1)
    print("scapy peer ready", flush=True)
    while True:
        ready, _, _ = select.select([tun, rx], [], [])
        if tun in ready:
            pkt = IPv6(os.read(tun, 65535))
            if pkt.dst == a.peer:
                out = sa_out.encrypt(pkt)
                tx.sendto(bytes(out), (a.peer, 0))
        if rx in ready:
            data, anc, _, src = rx.recvmsg(65535, 256)
            dst, hlim = a.local, 64
            for level, typ, val in anc:
                if level == socket.IPPROTO_IPV6 and typ == IPV6_PKTINFO:
                    dst = socket.inet_ntop(socket.AF_INET6, val[:16])
                elif level == socket.IPPROTO_IPV6 and typ == IPV6_HOPLIMIT:
                    hlim = struct.unpack("i", val)[0]
            outer = IPv6(src=src[0], dst=dst, nh=50, hlim=hlim) / ESP(data)
            outer = IPv6(bytes(outer))
            try:
                inner = sa_in.decrypt(outer)
            except Exception as e:  # a bad ICV: drop, as a host would
                print("scapy peer: dropped:", e, flush=True)
                continue
            os.write(tun, bytes(inner))


if __name__ == "__main__":
    main()
