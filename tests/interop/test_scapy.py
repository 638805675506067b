# SPDX-License-Identifier: MIT
"""ipsec6's ESP against scapy's, for every algorithm pair in both modes and one backend:
(a) esp_tool encapsulates, scapy verifies and decrypts to exactly the original packet;
(b) scapy encapsulates, esp_tool decapsulates to the original packet;
(c) tunnel mode: the outer header's ECN field reaches the inner packet (RFC 6040).
SAs with extended sequence numbers (RFC 4303 section 2.2.1) start below 2^32 and cross it:
the high half, never sent, must be in the ICV (or GCM's AAD) both ways.

Normalisation (what RFC 4303 lets differ, and nothing else):
- (b), transport mode: the receiver rebuilds the IPv6 header from what the raw ESP socket
  reports (source, destination, hop limit, traffic class); the extension headers in front of
  ESP were never protected and are not part of the delivered packet, and the flow label is not
  reported, so it is not compared. Everything else (addresses, hop limit, traffic class,
  payload length, next header) and every protected byte must be equal.
- ipsec6 inserts ESP before a destination options header that is not followed by a routing
  header, scapy after it (RFC 4303 section 3.1.1 allows both); the expected output follows
  the layout of the side that encapsulated.
- (b), tunnel mode: the inner ECN field takes the outer header's congestion marks as RFC 6040
  section 4.2 says (a packet that is not ECN-capable under an outer CE is dropped); (c) tries
  every pair of inner and outer ECN fields.

usage: test_scapy.py ESP_TOOL BACKEND"""

import os
import random
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from interop_common import (  # noqa: E402
    IPPROTO_ESP,
    IPPROTO_IPV6,
    Checker,
    ESN_START,
    ESP,
    IPv6,
    _build,
    esn_icv,
    esn_resign,
    esp_offset,
    ipv6_tc,
    make_combos,
    make_packets,
    pad_len_for,
    protected_len,
    run_tool,
    unprotected_len,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402
from scapy.layers.ipsec import AUTH_ALGOS, CRYPT_ALGOS  # noqa: E402


def interleave(per_combo):
    """[(combo, packet index, packet)] round robin over the combos, so bursts mix SAs."""
    out = []
    for j in range(max(len(p) for _, p in per_combo)):
        for combo, pkts in per_combo:
            if j < len(pkts):
                out.append((combo, j, pkts[j]))
    return out


def addr(text):
    return socket.inet_pton(socket.AF_INET6, text)


def check_outer(ck, combo, orig, out, what):
    """The unprotected part of our ESP packet: RFC 4303 section 3.1.1 (transport) and the
    outer header of section 3.1.2 as the engine documents it (tunnel)."""
    off = esp_offset(out)
    if not ck.check(off is not None, "%s: no ESP header in output" % what):
        return None
    ck.equal(len(out) - 40, int.from_bytes(out[4:6], "big"), "%s: payload length" % what)
    if combo.mode == "tunnel":
        ck.equal(off, 40, "%s: ESP offset (tunnel)" % what)
        ck.equal(out[0] >> 4, 6, "%s: outer version" % what)
        ck.equal(ipv6_tc(out), ipv6_tc(orig), "%s: outer traffic class copied" % what)
        ck.equal(out[7], 64, "%s: outer hop limit" % what)
        ck.equal(out[8:24], addr(combo.sa_src), "%s: outer source is the SA's" % what)
        ck.equal(out[24:40], addr(combo.sa_dst), "%s: outer destination is the SA's" % what)
    else:
        front = unprotected_len(orig, "ipsec6")
        ck.equal(off, front, "%s: ESP offset (transport)" % what)
        a, b = bytearray(out[:off]), bytearray(orig[:front])
        # Payload length and the next-header byte pointing at ESP are all that may change.
        a[4:6] = b[4:6] = b"\0\0"
        nh_at = 6 if front == 40 else 40 + sum(ln for _, ln in ext_hdr_list(orig, front)[:-1])
        ck.equal(a[nh_at], IPPROTO_ESP, "%s: next header before ESP" % what)
        a[nh_at] = b[nh_at]
        ck.equal(bytes(a), bytes(b), "%s: headers in front of ESP" % what)
    return off


def ext_hdr_list(pkt, front):
    """Extension headers within the first front bytes: [(type, length)]."""
    out, nh, off = [], pkt[6], 40
    while off < front:
        length = (pkt[off + 1] + 1) * 8
        out.append((nh, length))
        nh, off = pkt[off], off + length
    return out


def esp_plaintext(sa, combo, esp, hi):
    """Payload, padding and trailer of an ESP packet, decrypted with scapy's cipher objects.
    (scapy 2.5.0's CryptAlgo.decrypt cuts the padding out after it has already shortened the
    data, so its .padding is wrong; the bytes are taken here instead.)"""
    body = esp[8 + combo.iv_len:len(esp) - combo.icv_len]
    if not combo.iv_len:
        return body
    if combo.aead:
        # RFC 4106: nonce = salt + IV, AAD = SPI [+ ESN high half] + sequence number, tag after
        # the ciphertext.
        aad = esp[:4] + (hi.to_bytes(4, "big") if combo.esn else b"") + esp[4:8]
        return AESGCM(sa.crypt_key).decrypt(sa.crypt_salt + esp[8:16], esp[16:], aad)
    dec = sa.crypt_algo.new_cipher(sa.crypt_key, esp[8:8 + combo.iv_len]).decryptor()
    return dec.update(body) + dec.finalize()


def test_encap(ck, tool, backend, combos, per_combo):
    order = interleave(per_combo)
    lines, outs = run_tool(tool, backend, combos, "encap", [p for _, _, p in order],
                           seq_start=ESN_START)
    ck.equal(lines.count("protect"), len(order), "encap: every packet protected")
    if len(outs) != len(order):
        ck.check(False, "encap: %d output packets for %d inputs" % (len(outs), len(order)))
        return
    seqs = {c.spi: [] for c in combos}
    pads = {c.spi: set() for c in combos}
    ivs = set()
    for (combo, j, orig), out in zip(order, outs):
        what = "encap %s %s pkt %d" % (backend, combo, j)
        off = check_outer(ck, combo, orig, out, what)
        if off is None:
            continue
        esp = out[off:]
        hi, lo = combo.seq(j, ESN_START)
        ck.equal(int.from_bytes(esp[0:4], "big"), combo.spi, what + ": SPI")
        seqs[combo.spi].append(int.from_bytes(esp[4:8], "big"))
        if combo.iv_len:
            ivs.add((combo.spi, esp[8:8 + combo.iv_len]))
        if combo.aead:
            # RFC 4106 section 3.1: the IV is the 64-bit sequence number.
            ck.equal(esp[8:16], (hi << 32 | lo).to_bytes(8, "big"),
                     what + ": GCM IV = sequence number")
        plen = protected_len(combo, orig, "ipsec6")
        pad = pad_len_for(combo, plen)
        ck.equal(len(esp), 8 + combo.iv_len + plen + pad + 2 + combo.icv_len,
                 what + ": ESP length (minimal padding)")

        # scapy verifies the ICV (and raises if it is wrong), then decrypts.
        sa = combo.scapy_sa()
        try:
            if combo.esn and not combo.aead:
                ck.equal(esp[-combo.icv_len:], esn_icv(sa, esp[:-combo.icv_len], hi),
                         what + ": ICV with the ESN high half (RFC 4303 section 3.3.2.1)")
            else:
                sa.auth_algo.verify(IPv6(out)[ESP], sa.auth_key)
            inner = sa.decrypt(IPv6(out), verify=not combo.esn or combo.aead,
                               esn_en=combo.esn, esn=hi)
            plain = esp_plaintext(sa, combo, esp, hi)
        except Exception as e:  # noqa: BLE001 — any scapy failure is a test failure
            ck.check(False, "%s: scapy failed: %r" % (what, e))
            continue
        padlen, nh = plain[-2], plain[-1]
        ck.equal(padlen, pad, what + ": pad length")
        ck.equal(plain[len(plain) - 2 - padlen:-2], bytes(range(1, padlen + 1)),
                 what + ": padding bytes 1, 2, 3, ... (RFC 4303 section 2.4)")
        pads[combo.spi].add(padlen)
        if combo.mode == "tunnel":
            ck.equal(nh, IPPROTO_IPV6, what + ": next header 41")
        ck.equal(bytes(inner), orig, what + ": scapy's decryption equals the original")
    for c in combos:
        ck.equal(seqs[c.spi], [c.seq(k, ESN_START)[1] for k in range(len(seqs[c.spi]))],
                 "encap %s %s: sequence numbers in order (ESN: low halves across 2^32)"
                 % (backend, c))
        if c.esn:
            ck.check(c.seq(len(seqs[c.spi]) - 1, ESN_START)[0] == 1,
                     "encap %s %s: the numbers crossed 2^32" % (backend, c))
        ck.equal(pads[c.spi], set(range(c.align)),
                 "encap %s %s: every pad length occurred" % (backend, c))
    n_iv = sum(len(p) for c, p in per_combo if c.iv_len)
    ck.equal(len(ivs), n_iv, "encap %s: every IV distinct under its key" % backend)


# RFC 6040 section 4.2, Figure 4: the ECN field a packet leaves a tunnel with, by (inner,
# outer) field: Not-ECT 0, ECT(1) 1, ECT(0) 2, CE 3; None: the packet is dropped.
ECN_DECAP = {
    (0, 0): 0, (0, 1): 0, (0, 2): 0, (0, 3): None,
    (1, 0): 1, (1, 1): 1, (1, 2): 1, (1, 3): 3,
    (2, 0): 2, (2, 1): 1, (2, 2): 2, (2, 3): 3,
    (3, 0): 3, (3, 1): 3, (3, 2): 3, (3, 3): 3,
}


def expected_decap(combo, orig, outer_tc):
    """What the receiver delivers for a packet scapy encapsulated (see the module doc); None
    when it drops it (RFC 6040: congestion marked outside, the inner packet not ECN-capable)."""
    if combo.mode == "tunnel":
        ecn = ECN_DECAP[(ipv6_tc(orig) & 3, outer_tc & 3)]
        if ecn is None:
            return None
        return orig[:1] + bytes([orig[1] & 0xCF | ecn << 4]) + orig[2:]
    front = unprotected_len(orig, "scapy")
    exts = ext_hdr_list(orig, front)
    nh = orig[6]
    if exts:
        # The next header of the last unprotected extension header names the first
        # protected one.
        nh = orig[40 + sum(ln for _, ln in exts[:-1])]
    hdr = bytearray(orig[:40])
    hdr[4:6] = (len(orig) - front).to_bytes(2, "big")
    hdr[6] = nh
    return bytes(hdr) + orig[front:]


def without_flow_label(pkt):
    return pkt[:1] + bytes([pkt[1] & 0xF0, 0, 0]) + pkt[4:]


def test_decap(ck, tool, backend, combos, per_combo):
    rng = random.Random(2)
    order = interleave(per_combo)
    sas = {c.spi: c.scapy_sa(tunnel_hlim=rng.choice([1, 64, 255]),
                              tunnel_tc=rng.randrange(256)) for c in combos}
    esp_pkts = []
    for combo, j, orig in order:
        sa = sas[combo.spi]
        hi, lo = combo.seq(j, ESN_START)
        # scapy 2.5.0 reads an explicit 0 as "the SA's own" (seq_num or self.seq_num, esn or
        # self.esn): the SA's own are set to the same numbers.
        sa.seq_num, sa.esn = lo, hi
        enc = bytes(sa.encrypt(IPv6(orig), seq_num=lo, esn_en=combo.esn, esn=hi))
        enc = esn_resign(combo, sa, enc, hi)
        off = esp_offset(enc)
        plen = protected_len(combo, orig, "scapy")
        ck.equal(len(enc) - off, 8 + combo.iv_len + plen + pad_len_for(combo, plen) + 2
                 + combo.icv_len, "scapy %s pkt %d: ESP length" % (combo, j))
        esp_pkts.append(enc)
    lines, outs = run_tool(tool, backend, combos, "decap", esp_pkts, seq_start=ESN_START)
    wants = [expected_decap(combo, orig, sas[combo.spi].tunnel_header.tc
                            if combo.mode == "tunnel" else 0) for combo, _, orig in order]
    for (combo, j, _), line, want in zip(order, lines, wants):
        ck.equal(line, "deliver" if want is not None else "drop ecn",
                 "decap %s %s pkt %d: verdict" % (backend, combo, j))
    delivered = [(o, w) for o, w in zip(order, wants) if w is not None]
    if not ck.equal(len(outs), len(delivered), "decap %s: delivered packets" % backend):
        return
    for ((combo, j, orig), want), got in zip(delivered, outs):
        what = "decap %s %s pkt %d" % (backend, combo, j)
        if combo.mode == "transport":
            got, want = without_flow_label(got), without_flow_label(want)
        if not ck.equal(got, want, what + ": delivered packet") and ck.failures < 4:
            IPv6(got).show()
            IPv6(want).show()


def test_decap_ecn(ck, tool, backend, combos):
    """Tunnel mode, every inner ECN field under every outer one: a congestion mark set on the
    way (outer CE) reaches the inner packet, ECT(1) outside turns ECT(0) inside into ECT(1),
    and a packet whose transport is not ECN-capable is dropped rather than marked (RFC 6040
    section 4.2, which updates RFC 4301 section 5.1.2.1). The DSCPs differ inside and out:
    the inner one is kept."""
    rng = random.Random(6040)
    cases, pkts = [], []
    for combo in (c for c in combos if c.mode == "tunnel"):
        for inner_ecn in range(4):
            for outer_ecn in range(4):
                orig = _build(combo, "udp", "none", 29, 64, 0x28 << 2 | inner_ecn, 0, rng)
                sa = combo.scapy_sa(seq_num=1 + len(cases), tunnel_tc=0x2E << 2 | outer_ecn)
                hi, lo = combo.seq(len(cases), 1)
                enc = bytes(sa.encrypt(IPv6(orig), esn_en=combo.esn, esn=hi))
                pkts.append(esn_resign(combo, sa, enc, hi))
                cases.append((combo, inner_ecn, outer_ecn, orig))
    lines, outs = run_tool(tool, backend, combos, "decap", pkts)
    delivered = []
    for (combo, inner_ecn, outer_ecn, orig), line in zip(cases, lines):
        ecn = ECN_DECAP[(inner_ecn, outer_ecn)]
        what = "decap %s %s ECN inner %d outer %d" % (backend, combo, inner_ecn, outer_ecn)
        ck.equal(line, "drop ecn" if ecn is None else "deliver", what + ": verdict")
        if ecn is not None:
            delivered.append((what, orig[:1] + bytes([orig[1] & 0xCF | ecn << 4]) + orig[2:]))
    if ck.equal(len(outs), len(delivered), "decap %s ECN: delivered packets" % backend):
        for (what, want), got in zip(delivered, outs):
            ck.equal(got, want, what + ": delivered packet")


def main():
    tool, backend = sys.argv[1], sys.argv[2]
    ck = Checker("scapy interop (%s)" % backend)
    combos = make_combos()
    rng = random.Random(1)
    for c in combos:
        icv = CRYPT_ALGOS[c.scapy_enc].icv_size if c.aead else AUTH_ALGOS[c.scapy_auth].icv_size
        ck.equal(icv, c.icv_len, "scapy %s ICV length" % c)
    per_combo = [(c, make_packets(c, rng)) for c in combos]
    test_encap(ck, tool, backend, combos, per_combo)
    test_decap(ck, tool, backend, combos, per_combo)
    test_decap_ecn(ck, tool, backend, combos)
    ck.finish()


if __name__ == "__main__":
    main()
