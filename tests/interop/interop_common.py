# SPDX-License-Identifier: MIT
"""Shared pieces of the interop tests: the SA table (every algorithm pair in both modes), the
ipsec6 configuration made from it, a classic-pcap reader/writer, varied test packets, and a
runner for esp_tool. Pure Python plus Debian's scapy; run with /usr/bin/python3."""

import os
import random
import struct
import subprocess
import sys
import tempfile
import warnings

# cryptography warns that TripleDES is deprecated; the warning is noise for these tests.
warnings.filterwarnings("ignore", message=".*TripleDES.*")
warnings.filterwarnings("ignore", category=DeprecationWarning)

from scapy.layers.inet import TCP, UDP  # noqa: E402
from scapy.layers.inet6 import (  # noqa: E402
    ICMPv6EchoRequest,
    IPv6,
    IPv6ExtHdrDestOpt,
    IPv6ExtHdrHopByHop,
    PadN,
    RouterAlert,
)
from scapy.layers.ipsec import ESP, SecurityAssociation  # noqa: E402
from scapy.packet import Raw  # noqa: E402

# (cli name, scapy name, tshark name, key length, block length, iv length)
ENCS = [
    ("null", "NULL", "NULL", 0, 1, 0),
    ("3des-cbc", "3DES", "TripleDES-CBC [RFC2451]", 24, 8, 8),
    ("aes128-cbc", "AES-CBC", "AES-CBC [RFC3602]", 16, 16, 16),
    ("aes256-cbc", "AES-CBC", "AES-CBC [RFC3602]", 32, 16, 16),
    # RFC 4106: the AES key then the 4-byte salt (scapy and Wireshark take them so too).
    ("aes128-gcm16", "AES-GCM", "AES-GCM with 16 octet ICV [RFC4106]", 20, 1, 8),
    ("aes256-gcm16", "AES-GCM", "AES-GCM with 16 octet ICV [RFC4106]", 36, 1, 8),
]
# (cli name, scapy name, tshark name, key length, icv length)
AUTHS = [
    ("hmac-sha1", "HMAC-SHA1-96", "HMAC-SHA-1-96 [RFC2404]", 20, 12),
    ("hmac-sha2-256", "SHA2-256-128", "HMAC-SHA-256-128 [RFC4868]", 32, 16),
    ("hmac-sha2-384", "SHA2-384-192", "HMAC-SHA-384-192 [RFC4868]", 48, 24),
    ("hmac-sha2-512", "SHA2-512-256", "HMAC-SHA-512-256 [RFC4868]", 64, 32),
    # AES-GCM's own: no integrity algorithm, the cipher's 16-byte ICV.
    ("none", None, "NULL", 0, 16),
]
# The algorithm pairs under test: every ESXi pair, then the extensions (issue 10), each new
# algorithm with more than one partner; then SAs with extended sequence numbers (RFC 4303
# section 2.2.1), listed apart in ESN_PAIRS.
PAIRS = [(e, a) for e in ("null", "3des-cbc", "aes128-cbc") for a in ("hmac-sha1", "hmac-sha2-256")]
PAIRS += [
    ("aes256-cbc", "hmac-sha1"),
    ("aes256-cbc", "hmac-sha2-384"),
    ("aes256-cbc", "hmac-sha2-512"),
    ("aes128-cbc", "hmac-sha2-384"),
    ("3des-cbc", "hmac-sha2-512"),
    ("null", "hmac-sha2-512"),
    ("aes128-gcm16", "none"),
    ("aes256-gcm16", "none"),
]
ESN_PAIRS = [
    ("aes128-gcm16", "none"),
    ("aes256-gcm16", "none"),
    ("aes256-cbc", "hmac-sha2-512"),
    ("aes128-cbc", "hmac-sha1"),
    ("null", "hmac-sha2-256"),
]
MODES = ["transport", "tunnel"]
# Where ESN SAs start numbering when a test asks (esp_tool --seq-start): below 2^32, so that
# their packets cross into the next 2^32 and the high half changes under way.
ESN_START = (1 << 32) - 8

BACKENDS = ["openssl", "ipsec-mb"]

IPPROTO_HOPOPTS = 0
IPPROTO_DSTOPTS = 60
IPPROTO_ESP = 50
IPPROTO_IPV6 = 41
IPPROTO_NONE = 59


class Combo:
    """One SA of the test configuration, with its hosts, gateways and in/out policies.

    Combo i protects traffic between the hosts 2001:db8:1:<i>::1 and ::2; in tunnel mode
    between the gateways 2001:db8:ff:<i>::1 and ::2 (the SA's addresses)."""

    def __init__(self, index, enc, auth, mode, rng, esn=False):
        self.index = index
        self.esn = esn
        (self.enc, self.scapy_enc, self.tshark_enc, self.enc_key_len, self.block,
         self.iv_len) = enc
        self.auth, self.scapy_auth, self.tshark_auth, self.auth_key_len, self.icv_len = auth
        self.mode = mode
        self.name = "sa%d" % index
        # SPIs that differ in every byte, so that a changed byte never turns one SPI into
        # another.
        self.spi = (0x11 + index) * 0x01010101
        self.enc_key = bytes(rng.getrandbits(8) for _ in range(self.enc_key_len))
        self.auth_key = bytes(rng.getrandbits(8) for _ in range(self.auth_key_len))
        self.host_src = "2001:db8:1:%x::1" % index
        self.host_dst = "2001:db8:1:%x::2" % index
        if mode == "tunnel":
            self.sa_src = "2001:db8:ff:%x::1" % index
            self.sa_dst = "2001:db8:ff:%x::2" % index
        else:
            self.sa_src = self.host_src
            self.sa_dst = self.host_dst

    def __repr__(self):
        return "%s(%s/%s/%s%s spi=0x%x)" % (self.name, self.enc, self.auth, self.mode,
                                            "/esn" if self.esn else "", self.spi)

    @property
    def align(self):
        # RFC 4303 section 2.4: pad to the cipher block and to 4 bytes.
        return self.block * 4 // _gcd(self.block, 4)

    @property
    def aead(self):
        return self.auth == "none"

    def conf_lines(self):
        enc_key = " --encryption-key=0x" + self.enc_key.hex() if self.enc_key else ""
        auth = "" if self.aead else " --integrity-algorithm=%s --integrity-key=0x%s" % (
            self.auth, self.auth_key.hex())
        return [
            "sa add --sa-name=%s --sa-source=%s --sa-destination=%s --sa-spi=0x%x "
            "--sa-mode=%s --encryption-algorithm=%s%s%s%s" % (
                self.name, self.sa_src, self.sa_dst, self.spi, self.mode, self.enc,
                enc_key, auth, " --esn" if self.esn else ""),
            "sp add --sp-name=out%d --sp-source=%s/128 --sp-destination=%s/128 "
            "--flow-direction=out --action=ipsec --sa-name=%s"
            % (self.index, self.host_src, self.host_dst, self.name),
            "sp add --sp-name=in%d --sp-source=%s/128 --sp-destination=%s/128 "
            "--flow-direction=in --action=ipsec --sa-name=%s"
            % (self.index, self.host_src, self.host_dst, self.name),
        ]

    def scapy_sa(self, spi=None, auth_key=None, seq_num=1, tunnel_hlim=64, tunnel_tc=0):
        tunnel = None
        if self.mode == "tunnel":
            tunnel = IPv6(src=self.sa_src, dst=self.sa_dst, hlim=tunnel_hlim, tc=tunnel_tc)
        return SecurityAssociation(
            ESP, spi=self.spi if spi is None else spi, seq_num=seq_num,
            crypt_algo=self.scapy_enc, crypt_key=self.enc_key or None,
            auth_algo=self.scapy_auth,
            auth_key=(self.auth_key if auth_key is None else auth_key) or None,
            tunnel_header=tunnel, esn_en=self.esn, esn=0)

    def seq(self, k, start):
        """The full sequence number of this SA's packet k (0-based) when ESN SAs start at
        start: (high half, low half)."""
        n = (start if self.esn else 1) + k
        return n >> 32, n & 0xFFFFFFFF

    def tshark_uat(self):
        return ('uat:esp_sa:"IPv6","%s","%s","0x%08x","%s","0x%s","%s","0x%s"'
                % (self.sa_src, self.sa_dst, self.spi, self.tshark_enc, self.enc_key.hex(),
                   self.tshark_auth, self.auth_key.hex()))


def esn_icv(sa, esp_wo_icv, hi):
    """RFC 4303 section 3.3.2.1: the ICV of an ESN SA with an integrity algorithm covers the
    ESP header, IV and ciphertext and then the high half of the sequence number. scapy 2.5.0
    appends it for AH and puts it in GCM's AAD, but not into ESP's HMAC: here it is done with
    scapy's own MAC objects."""
    mac = sa.auth_algo.new_mac(sa.auth_key)
    mac.update(esp_wo_icv + struct.pack("!L", hi))
    return mac.finalize()[:sa.auth_algo.icv_size]


def esn_resign(combo, sa, pkt_bytes, hi):
    """pkt_bytes (ESP last) with its ICV made the ESN way when combo needs it."""
    if not combo.esn or combo.aead:
        return pkt_bytes
    n = combo.icv_len
    return pkt_bytes[:-n] + esn_icv(sa, pkt_bytes[esp_offset(pkt_bytes):-n], hi)


def _gcd(a, b):
    while b:
        a, b = b, a % b
    return a


def make_combos(seed=4303, esn=True):
    """Every pair in both modes; with esn, the ESN_PAIRS too, with extended sequence
    numbers."""
    rng = random.Random(seed)
    combos = []
    encs = {e[0]: e for e in ENCS}
    auths = {a[0]: a for a in AUTHS}
    for pairs, with_esn in ((PAIRS, False), (ESN_PAIRS if esn else [], True)):
        for enc, auth in pairs:
            for mode in MODES:
                combos.append(Combo(len(combos), encs[enc], auths[auth], mode, rng,
                                    with_esn))
    return combos


def conf_text(combos):
    lines = ["# ipsec6 interop test configuration"]
    for c in combos:
        lines += c.conf_lines()
    return "\n".join(lines) + "\n"


# Classic pcap, linktype 229 (LINKTYPE_IPV6); reading accepts 101 (LINKTYPE_RAW) too.
PCAP_MAGIC = 0xA1B2C3D4


def write_pcap(path, packets, linktype=229):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", PCAP_MAGIC, 2, 4, 0, 0, 65535, linktype))
        for i, p in enumerate(packets):
            f.write(struct.pack("<IIII", 1700000000 + i // 1000, (i % 1000) * 1000,
                                len(p), len(p)))
            f.write(p)


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise ValueError("%s: short pcap header" % path)
    for endian in "<>":
        magic, = struct.unpack(endian + "I", data[:4])
        if magic in (0xA1B2C3D4, 0xA1B23C4D):
            break
    else:
        raise ValueError("%s: not a classic pcap file" % path)
    linktype, = struct.unpack(endian + "I", data[20:24])
    if linktype not in (229, 101):
        raise ValueError("%s: link type %d" % (path, linktype))
    out, off = [], 24
    while off < len(data):
        _, _, caplen, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        off += 16
        out.append(data[off:off + caplen])
        off += caplen
    return out


def run_tool(tool, backend, combos_or_conf, verb, packets, workdir=None, seq_start=None):
    """Runs esp_tool over packets (bytes); returns (verdict lines, output packets). seq_start:
    where ESN SAs start (esp_tool --seq-start)."""
    conf = combos_or_conf if isinstance(combos_or_conf, str) else conf_text(combos_or_conf)
    with tempfile.TemporaryDirectory(dir=workdir) as d:
        conf_path = os.path.join(d, "ipsec6.conf")
        in_path = os.path.join(d, "in.pcap")
        out_path = os.path.join(d, "out.pcap")
        with open(conf_path, "w") as f:
            f.write(conf)
        write_pcap(in_path, packets)
        start = [] if seq_start is None else ["--seq-start", str(seq_start)]
        r = subprocess.run([tool, "--backend", backend, "--conf", conf_path] + start
                           + [verb, in_path, out_path], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, check=False)
        if r.returncode != 0:
            raise RuntimeError("esp_tool %s failed (%d): %s" % (verb, r.returncode, r.stderr))
        lines = r.stdout.splitlines()
        if len(lines) != len(packets):
            raise RuntimeError("esp_tool printed %d lines for %d packets"
                               % (len(lines), len(packets)))
        return lines, read_pcap(out_path)


# Test packets.

def ext_headers(pkt_bytes):
    """Lengths of the extension headers before the upper layer: [(type, length), ...]."""
    nh, off, out = pkt_bytes[6], 40, []
    while nh in (0, 43, 44, 60):
        length = 8 if nh == 44 else (pkt_bytes[off + 1] + 1) * 8
        out.append((nh, length))
        nh, off = pkt_bytes[off], off + length
    return out


def unprotected_len(pkt_bytes, layout):
    """Bytes in front of ESP in transport mode (IPv6 header included).

    layout "ipsec6": after hop-by-hop, routing and fragment headers and after destination
    options that precede a routing header (RFC 4303 section 3.1.1; the engine's pkt_layout).
    layout "scapy": scapy's split_for_transport, which walks hop-by-hop, routing and
    destination options and stops only at destination options after a routing header, so it
    leaves destination options without a routing header in front of ESP (RFC 4303 allows
    both placements)."""
    exts = ext_headers(pkt_bytes)
    off, seen_routing = 40, False
    for i, (nh, length) in enumerate(exts):
        if layout == "ipsec6":
            if nh == 60 and not any(t == 43 for t, _ in exts[i + 1:]):
                break
        else:
            if nh not in (0, 43, 60) or (nh == 60 and seen_routing):
                break
            seen_routing = seen_routing or nh == 43
        off += length
    return off


def protected_len(combo, pkt_bytes, layout):
    if combo.mode == "tunnel":
        return len(pkt_bytes)
    return len(pkt_bytes) - unprotected_len(pkt_bytes, layout)


def _build(combo, kind, ext, size, hlim, tc, fl, rng):
    ip = IPv6(src=combo.host_src, dst=combo.host_dst, hlim=hlim, tc=tc, fl=fl)
    if ext in ("hbh", "both"):
        ip = ip / IPv6ExtHdrHopByHop(options=[RouterAlert(value=0)])
    if ext in ("dst", "both"):
        ip = ip / IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\x00" * 4)])
    body = bytes(rng.getrandbits(8) for _ in range(size))
    if kind == "icmp":
        l4 = ICMPv6EchoRequest(id=rng.randrange(65536), seq=rng.randrange(65536), data=body)
    elif kind == "tcp":
        l4 = TCP(sport=rng.randrange(1024, 65536), dport=443, seq=rng.getrandbits(32),
                 flags="PA") / Raw(body)
    else:
        l4 = UDP(sport=rng.randrange(10000, 60000), dport=9000 + combo.index) / Raw(body)
    return bytes(ip / l4)


def make_packets(combo, rng, count=24):
    """At least count varied packets for combo. For every pad length 0..align-1 there is a
    packet without destination options (so ipsec6's and scapy's transport layouts agree)
    whose protected part needs exactly that much padding; the rest vary freely."""
    kinds = ["icmp", "tcp", "udp"]
    exts_plain = ["none", "hbh"]
    exts_all = ["none", "hbh", "dst", "both"]
    out = []
    align = combo.align
    n_targeted = align
    for i in range(max(count, n_targeted)):
        kind = kinds[i % 3]
        hlim, tc, fl = rng.choice([1, 64, 255]), rng.randrange(256), rng.randrange(1 << 20)
        # Sizes spread over 1..1400.
        size = 1 + (i * 1399 // max(count - 1, 1) + rng.randrange(0, 40)) % 1400
        if i < n_targeted:
            ext = exts_plain[i % 2]
            want_pad = i
            pkt = _build(combo, kind, ext, size, hlim, tc, fl, random.Random(i))
            plen = protected_len(combo, pkt, "ipsec6")
            # pad = -(plen + 2) mod align: grow the payload until it needs want_pad bytes.
            grow = (-(plen + 2) - want_pad) % align
            if size + grow > 1400:
                grow -= align * ((size + grow - 1400 + align - 1) // align)
            size += grow
        else:
            ext = exts_all[i % 4]
        out.append(_build(combo, kind, ext, size, hlim, tc, fl, rng))
    return out


def pad_len_for(combo, plen):
    return -(plen + 2) % combo.align


def esp_offset(pkt_bytes):
    """Offset of the ESP header in an IPv6 packet, or None."""
    nh, off = pkt_bytes[6], 40
    while nh in (0, 43, 44, 60):
        length = 8 if nh == 44 else (pkt_bytes[off + 1] + 1) * 8
        nh, off = pkt_bytes[off], off + length
    return off if nh == IPPROTO_ESP else None


def ipv6_tc(pkt_bytes):
    return ((pkt_bytes[0] & 0x0F) << 4) | (pkt_bytes[1] >> 4)


def ipv6_fl(pkt_bytes):
    return ((pkt_bytes[1] & 0x0F) << 16) | (pkt_bytes[2] << 8) | pkt_bytes[3]


class Checker:
    """Counts checks and failures; prints each failure once and a summary at the end."""

    def __init__(self, name):
        self.name = name
        self.checks = 0
        self.failures = 0

    def check(self, cond, what):
        self.checks += 1
        if not cond:
            self.failures += 1
            if self.failures <= 40:
                print("FAIL: %s" % what)
            elif self.failures == 41:
                print("FAIL: ... (further failures not shown)")
        return cond

    def equal(self, got, want, what):
        return self.check(got == want, "%s: got %r, want %r" % (what, got, want))

    def finish(self):
        print("%s: %d checks, %d failed" % (self.name, self.checks, self.failures))
        sys.exit(1 if self.failures or not self.checks else 0)
