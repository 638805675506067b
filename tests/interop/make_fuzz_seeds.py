# SPDX-License-Identifier: MIT
"""Writes the seed corpus of tests/fuzz/fuzz_decap.c: valid ESP packets made by scapy under the
harness's fixed configuration (same SPIs, keys and addresses), decrypted plaintexts for the
esp_decap_finish path, bursts and unflipped round trips. Run again when the harness's
configuration or input layout changes:

    /usr/bin/python3 tests/interop/make_fuzz_seeds.py tests/fuzz/corpus/decap"""

import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from interop_common import UDP, IPv6, Raw, esp_offset  # noqa: E402
from scapy.layers.inet6 import IPv6ExtHdrHopByHop, PadN  # noqa: E402
from scapy.layers.ipsec import ESP, SecurityAssociation, _ESPPlain  # noqa: E402

# Must match fz_conf_line() in tests/fuzz/fuzz_decap.c.
ENC = [("NULL", b"", 1, 0),
       ("3DES", bytes.fromhex("0123456789abcdef" * 3), 8, 8),
       ("AES-CBC", bytes.fromhex("00112233445566778899aabbccddeeff"), 16, 16)]
AUTH = [("HMAC-SHA1-96", bytes(range(1, 21)), 12), ("SHA2-256-128", bytes(range(1, 33)), 16)]
OP_RAW, OP_FLIP, OP_FINISH, OP_BURST = 0, 1, 2, 3
FLAG_IPSECMB, FLAG_HBH = 0x04, 0x40


def sa_of(k):
    enc, auth, tunnel = ENC[k // 4], AUTH[(k // 2) % 2], k % 2 == 1
    net = "ff" if tunnel else "1"
    src, dst = "2001:db8:%s:%x::1" % (net, k), "2001:db8:%s:%x::2" % (net, k)
    sa = SecurityAssociation(
        ESP, spi=0x1000 + k, crypt_algo=enc[0], crypt_key=enc[1] or None, auth_algo=auth[0],
        auth_key=auth[1], tunnel_header=IPv6(src=src, dst=dst) if tunnel else None)
    return sa, enc, auth, tunnel, src, dst


def inner(k, size, hbh=False):
    ip = IPv6(src="2001:db8:1:%x::1" % k, dst="2001:db8:1:%x::2" % k)
    if hbh:
        ip = ip / IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0" * 4)])
    return ip / UDP(sport=40000, dport=9000 + k) / Raw(bytes(range(size % 256)) * (size // 256)
                                                         + bytes(size % 256))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    seeds = []
    for k in range(12):
        sa, enc, auth, tunnel, _, _ = sa_of(k)
        esps = []
        for seq, size in enumerate((1, 30, 200), start=1):
            pkt = bytes(sa.encrypt(inner(k, size, hbh=size == 30), seq_num=seq))
            esps.append(pkt[esp_offset(pkt):])
        for backend in (0, FLAG_IPSECMB):
            seeds.append(bytes([OP_RAW | backend, k]) + esps[0])
            seeds.append(bytes([OP_FLIP | backend, k, 0]) + bytes(40))
            seeds.append(bytes([OP_FLIP | backend | FLAG_HBH, k, 1, 0, 9, 0x80]) + bytes(17))
        burst = b"".join(len(e).to_bytes(2, "big") + e for e in esps + esps[:1])
        seeds.append(bytes([OP_BURST, k]) + burst)
        # A decrypted packet: header, IV, payload + padding + trailer, ICV (not checked).
        data = bytes(inner(k, 20))
        if not tunnel:
            data, nh = data[40:], 17
        else:
            nh = 41
        align = max(enc[2], 4)
        padlen = -(len(data) + 2) % align
        plain = _ESPPlain(spi=0x1000 + k, seq=1, iv=bytes(enc[3]), data=Raw(data),
                          padding=bytes(range(1, padlen + 1)), padlen=padlen, nh=nh)
        seeds.append(bytes([OP_FINISH, k]) + bytes(plain)[:8 + enc[3]]
                     + plain.data_for_encryption() + bytes(auth[2]))
    for s in seeds:
        name = hashlib.sha1(s).hexdigest()
        with open(os.path.join(out, name), "wb") as f:
            f.write(s)
    print("%d seeds in %s" % (len(seeds), out))


if __name__ == "__main__":
    main()
