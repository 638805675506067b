#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""An IPv6 host whose ESP is scapy's, not ipsec6's: the independent peer of the live interop
test. Its kernel sends packets for the peer into a TUN device; we encrypt them with scapy's
SecurityAssociation and send them raw on the link (bound to --dev, so that they do not
follow the route to the peer back into the TUN device). ESP from the peer arrives on a raw
protocol-50 socket; scapy decrypts it and we write the inner packet into the TUN device, where
the kernel answers pings and runs TCP as usual. Runs until SIGTERM, then prints its counts.
Used by test_interop_peer.sh. Algorithm names are scapy's (NULL, AES-CBC, 3DES, AES-GCM;
HMAC-SHA1-96, SHA2-256-128, NULL with AES-GCM); keys in hex without 0x, --ckey "" for NULL.
With --encap PORT the ESP goes in UDP (RFC 3948) from and to PORT: scapy's nat_t_header out,
a UDP socket on PORT in (used by test_encap_interop.sh). Its UDP checksum (--udp-checksum):
computed here (the default), zero as scapy writes it (RFC 3948 section 2.1's SHOULD, which
RFC 6935 lets a tunnel's receiver take over IPv6), or wrong (computed, then changed, never 0)."""
import argparse
import atexit
import fcntl
import os
import select
import signal
import socket
import struct
import sys

from scapy.layers.inet import UDP
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
    ap.add_argument("--encap", type=int, default=0)
    ap.add_argument("--ckey-in", default=None)  # when the SAs' keys differ (AES-GCM)
    ap.add_argument("--udp-checksum", choices=("computed", "zero", "wrong"), default="computed")
    a = ap.parse_args()
    ckey = bytes.fromhex(a.ckey) if a.ckey else None
    ckey_in = bytes.fromhex(a.ckey_in) if a.ckey_in else ckey
    akey = bytes.fromhex(a.akey) if a.auth != "NULL" else None
    auth = a.auth if a.auth != "NULL" else None
    nat_t = UDP(sport=a.encap, dport=a.encap) if a.encap else None
    sa_out = SecurityAssociation(ESP, spi=int(a.spi_out, 0), crypt_algo=a.crypt, crypt_key=ckey,
                                 auth_algo=auth, auth_key=akey, nat_t_header=nat_t)
    sa_in = SecurityAssociation(ESP, spi=int(a.spi_in, 0), crypt_algo=a.crypt, crypt_key=ckey_in,
                                auth_algo=auth, auth_key=akey)
    tun = open_tun(a.tun)
    tx = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
    tx.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, a.dev.encode())
    if a.encap:
        rx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        rx.bind(("::", a.encap))
    else:
        rx = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 50)
    rx.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)
    rx.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1)
    print("scapy peer ready", flush=True)
    counts = {"out": 0, "in": 0, "dropped": 0}
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    atexit.register(lambda: print("scapy peer: %(out)d ESP sent, %(in)d received, "
                                  "%(dropped)d dropped" % counts, flush=True))
    while True:
        ready, _, _ = select.select([tun, rx], [], [])
        if tun in ready:
            to_peer(a, tun, tx, sa_out, counts)
        if rx in ready:
            from_peer(a, tun, rx, sa_in, counts)


def to_peer(a, tun, tx, sa_out, counts):
    """One packet of the kernel's, from the TUN device, as ESP to the peer."""
    pkt = IPv6(os.read(tun, 65535))
    if pkt.dst != a.peer:  # router solicitations, MLD: not for the peer
        return
    esp = sa_out.encrypt(pkt)
    if UDP in esp:
        assert esp[UDP].sport == esp[UDP].dport == a.encap
        esp[UDP].chksum = 0 if a.udp_checksum == "zero" else None  # None: computed
        esp = IPv6(bytes(esp))
        if a.udp_checksum == "wrong":
            esp[UDP].chksum = esp[UDP].chksum ^ 0x0101 or 0x0202
    try:
        tx.sendto(bytes(esp), (a.peer, 0))
        counts["out"] += 1
    except OSError as e:  # a full socket buffer drops, as a link would
        print("scapy peer: not sent:", e, flush=True)


def from_peer(a, tun, rx, sa_in, counts):
    """One ESP packet from the raw socket or the UDP socket (ESP header onwards), decrypted
    into the TUN."""
    data, anc, _, src = rx.recvmsg(65535, 256)
    dst, hlim = a.local, 64
    for level, typ, val in anc:
        if level == socket.IPPROTO_IPV6 and typ == IPV6_PKTINFO:
            dst = socket.inet_ntop(socket.AF_INET6, val[:16])
        elif level == socket.IPPROTO_IPV6 and typ == IPV6_HOPLIMIT:
            hlim = struct.unpack("i", val)[0]
    outer = IPv6(bytes(IPv6(src=src[0], dst=dst, nh=50, hlim=hlim) / ESP(data)))
    try:
        inner = sa_in.decrypt(outer)
    except Exception as e:  # a bad ICV or padding: drop, as a host would
        counts["dropped"] += 1
        print("scapy peer: dropped:", e, flush=True)
        return
    os.write(tun, bytes(inner))
    counts["in"] += 1

if __name__ == "__main__":
    main()
