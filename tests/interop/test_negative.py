# SPDX-License-Identifier: MIT
"""What ipsec6's inbound ESP must refuse, and why, for every SA kind and one backend. One
esp_tool decap run per backend over, per SA:

1. a packet we encapsulated (sequence number 1), with every byte of its ESP part flipped in
   turn (SPI -> no-sa, sequence number -> icv, or replay when it became 0; IV, ciphertext,
   ICV -> icv), truncated to every shorter length and lengthened by a few bytes (short,
   bad-length or icv, by RFC 4303 section 2 arithmetic), then the packet itself (deliver) and
   again (replay);
2. packets 2..71 out of order: the anti-replay window of 64 (RFC 4303 section 3.4.3);
3. packets scapy builds by hand with a valid ICV but a bad inside: padding bytes or pad length
   (bad-padding), next header (bad-next-header), 59 (dummy), a malformed inner packet
   (inner-malformed), an inner packet the in-policies do not allow (policy-mismatch); padding
   longer than needed but well-formed is delivered; a wrong integrity key (icv), an unknown SPI
   or another destination (no-sa), another source than the SA's (sa-mismatch).

The lines printed by esp_tool must name exactly the expected reason for every packet.

usage: test_negative.py ESP_TOOL BACKEND"""

import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from interop_common import (  # noqa: E402
    IPPROTO_IPV6,
    IPPROTO_NONE,
    Checker,
    IPv6,
    _build,
    esn_icv,
    esp_offset,
    make_combos,
    run_tool,
)
from scapy.layers.ipsec import _ESPPlain  # noqa: E402

REPLAY_WINDOW = 64
N_WINDOW = 71  # packets 2..71 exercise the window
HELD_BACK_IN_WINDOW = 50  # delivered late but inside the window
HELD_BACK_LEFT = 3  # delivered late, left of the window
CRAFT_SEQ0 = 1000  # crafted packets use sequence numbers from here on


def with_esp(pkt, esp_off, esp):
    """pkt's headers in front of ESP (payload length fixed up) followed by esp."""
    hdr = bytearray(pkt[:esp_off])
    hdr[4:6] = (esp_off - 40 + len(esp)).to_bytes(2, "big")
    return bytes(hdr) + esp


def tamper_cases(c, pkt, spis):
    """(packet, expected line, what) for every single-byte change and length change of the
    ESP part of pkt (sequence number 1 under combo c)."""
    off = esp_offset(pkt)
    esp = pkt[off:]
    cases = []
    for pos in range(len(esp)):
        for x in ((0x01, 0x80) if pos < 8 else (0x01 if pos % 2 else 0x80,)):
            t = bytearray(esp)
            t[pos] ^= x
            if pos < 4:
                spi = struct.unpack("!I", t[:4])[0]
                assert spi not in spis, "test bug: tampered SPI 0x%x is configured" % spi
                want = "drop no-sa"
            elif pos < 8 and struct.unpack("!I", t[4:8])[0] == 0:
                want = "drop replay"  # sequence number 0 is never valid
            else:
                want = "drop icv"
            cases.append((with_esp(pkt, off, bytes(t)), want, "byte %d ^ 0x%02x" % (pos, x)))
    # The smallest ESP packet: header, IV, one cipher block (the trailer for null), ICV.
    min_len = 8 + c.iv_len + max(c.block, 2) + c.icv_len
    for n in list(range(len(esp))) + [len(esp) + k for k in range(1, c.block + 4)]:
        t = esp[:n] + bytes(max(0, n - len(esp)))
        if n < 8 or n < min_len:
            want = "drop short"
        elif (n - 8 - c.iv_len - c.icv_len) % c.block:
            want = "drop bad-length"
        else:
            want = "drop icv"
        cases.append((with_esp(pkt, off, t), want, "length %d of %d" % (n, len(esp))))
    # Sequence number 0 with everything else intact: replay, checked before the ICV.
    t = esp[:4] + bytes(4) + esp[8:]
    cases.append((with_esp(pkt, off, t), "drop replay", "sequence number 0"))
    return cases


def window_cases(c, outs):
    """outs[k] holds sequence number k + 2. Returns (packet, expected, what). With ESN a
    number left of the window is read as the same low half 2^32 further on (RFC 4303 Appendix
    A2.2) and fails its ICV, which covers the true high half: dropped as icv; but inferred
    from the top the window had when its burst began, it may still have been inside the window
    then, pass its ICV and be refused by the update: dropped as replay. Either is a drop."""
    left = ("drop icv", "drop replay") if c.esn else "drop replay"
    def p(seq):
        return outs[seq - 2]
    order = [(2, "deliver"), (5, "deliver"), (4, "deliver"), (4, "drop replay")]
    order += [(s, "deliver") for s in range(6, N_WINDOW + 1) if s != HELD_BACK_IN_WINDOW]
    order += [(HELD_BACK_IN_WINDOW, "deliver"),  # late, inside the window
              (HELD_BACK_LEFT, left),  # never seen, left of the window
              (2, left),  # seen, left of the window
              (N_WINDOW - 10, "drop replay"),  # seen, inside the window
              (N_WINDOW, "drop replay")]  # the top
    assert N_WINDOW - HELD_BACK_LEFT >= REPLAY_WINDOW
    return [(p(s), want, "window seq %d" % s) for s, want in order]


class Crafter:
    """Builds ESP packets by hand with scapy's cipher and MAC, so the ICV is valid whatever is
    inside."""

    def __init__(self, c):
        self.c = c
        self.sa = c.scapy_sa()
        self.seq = CRAFT_SEQ0

    def make(self, data, nh, padlen=None, padding=None, auth_key=None, spi=None, src=None,
             dst=None, extra_pad=0):
        c = self.c
        self.seq += 1
        if padding is None:
            n = -(len(data) + 2) % c.align + extra_pad
            padding = bytes(range(1, n + 1))
        if padlen is None:
            padlen = len(padding)
        assert (len(data) + len(padding) + 2) % c.align == 0, "test bug: unaligned"
        plain = _ESPPlain(spi=c.spi if spi is None else spi, seq=self.seq,
                          iv=self.sa.crypt_algo.generate_iv(), data=data, padding=padding,
                          padlen=padlen, nh=nh)
        crypt_key = self.sa.crypt_key
        if c.aead and auth_key is not None:
            crypt_key = auth_key  # a combined mode: the wrong key is the cipher's
        # ESN SAs here number from 1: the high half is 0, but it is in the ICV all the same.
        esp = self.sa.crypt_algo.encrypt(self.sa, plain, crypt_key, esn_en=c.esn, esn=0)
        if c.esn and not c.aead:
            signer = self.sa if auth_key is None else c.scapy_sa(auth_key=auth_key)
            esp.data += esn_icv(signer, bytes(esp), 0)
        else:
            self.sa.auth_algo.sign(esp, self.sa.auth_key if auth_key is None else auth_key)
        if c.mode == "tunnel":
            outer = IPv6(src=src or c.sa_src, dst=dst or c.sa_dst, nh=50)
        else:
            outer = IPv6(src=src or c.host_src, dst=dst or c.host_dst, nh=50)
        return bytes(outer / esp)


def craft_cases(c, rng):
    k = Crafter(c)
    inner = _build(c, "udp", "none", 37, 64, 0, 0, rng)
    if c.mode == "tunnel":
        data, nh, wrong_nh = inner, IPPROTO_IPV6, 17
    else:
        data, nh, wrong_nh = inner[40:], inner[6], IPPROTO_IPV6
    # 37 + 8 (+ 40) + 2 is odd: every block size needs at least one padding byte.
    n_pad = -(len(data) + 2) % c.align
    assert n_pad > 0
    bad_bytes = bytearray(range(1, n_pad + 1))
    bad_bytes[-1] ^= 0xFF
    cases = [
        (k.make(data, nh), "deliver", "crafted, well-formed"),
        (k.make(data, nh, extra_pad=c.align), "deliver", "padding one block longer"),
        (k.make(data, nh, padding=bytes(bad_bytes)), "drop bad-padding", "padding byte"),
        (k.make(data, nh, padding=bytes(n_pad)), "drop bad-padding", "zero padding"),
        (k.make(data, nh, padlen=len(data) + n_pad + 1), "drop bad-padding",
         "pad length beyond the payload"),
        (k.make(data, wrong_nh), "drop bad-next-header", "next header %d" % wrong_nh),
        (k.make(data, IPPROTO_NONE), "drop dummy", "next header 59"),
        (k.make(data, nh, auth_key=bytes(c.enc_key_len - 4 if c.aead else c.auth_key_len)),
         "drop icv", "wrong integrity key (GCM: encryption key)"),
        (k.make(data, nh, spi=0xDEAD0000 + c.index), "drop no-sa", "unknown SPI"),
        (k.make(data, nh, dst="2001:db8:eeee::1"), "drop no-sa", "another destination"),
        (k.make(data, nh, src="2001:db8:eeee::2"), "drop sa-mismatch",
         "another source than the SA's"),
    ]
    if c.mode == "tunnel":
        v4 = bytes([0x45]) + inner[1:]
        short_plen = inner[:4] + (len(inner) - 40 + 8).to_bytes(2, "big") + inner[6:]
        stranger = _build(c, "udp", "none", 37, 64, 0, 0, rng)
        stranger = stranger[:8] + bytes.fromhex("20010db8eeee0000000000000000000a") + \
            stranger[24:]
        cases += [
            (k.make(v4, nh), "drop inner-malformed", "inner version 4"),
            (k.make(short_plen, nh), "drop inner-malformed",
             "inner payload length beyond the packet"),
            (k.make(inner[:39] + bytes(2), nh), "drop inner-malformed",
             "inner shorter than an IPv6 header"),
            (k.make(stranger, nh), "drop policy-mismatch",
             "inner source not allowed by the in-policies"),
        ]
    return cases


def main():
    tool, backend = sys.argv[1], sys.argv[2]
    ck = Checker("negative interop (%s)" % backend)
    combos = make_combos()
    spis = {c.spi for c in combos}
    rng = random.Random(5)

    # One encap run: per SA, sequence numbers 1..N_WINDOW.
    plain = []
    for c in combos:
        kinds = ["udp", "tcp", "icmp"]
        plain += [(c, _build(c, kinds[s % 3], ["none", "hbh"][s % 2], 20 + 7 * s, 64, 0, 0,
                             rng)) for s in range(1, N_WINDOW + 1)]
    lines, outs = run_tool(tool, backend, combos, "encap", [p for _, p in plain])
    if not ck.equal(len(outs), len(plain), "encap %s: every packet protected" % backend):
        ck.finish()
    by_combo = {c.spi: [] for c in combos}
    for (c, _), o in zip(plain, outs):
        by_combo[c.spi].append(o)

    cases = []
    for c in combos:
        first = by_combo[c.spi][0]
        cases += [(c, p, w, d) for p, w, d in tamper_cases(c, first, spis)]
        cases += [(c, first, "deliver", "seq 1, untouched"),
                  (c, first, "drop replay", "seq 1, again")]
        cases += [(c, p, w, d) for p, w, d in window_cases(c, by_combo[c.spi][1:])]
        cases += [(c, p, w, d) for p, w, d in craft_cases(c, rng)]

    lines, _ = run_tool(tool, backend, combos, "decap", [p for _, p, _, _ in cases])
    per_reason = {}
    for (c, _, want, what), got in zip(cases, lines):
        if isinstance(want, tuple):
            ck.check(got in want, "decap %s %s %s: got %r, want one of %r"
                     % (backend, c, what, got, want))
            want = got
        else:
            ck.equal(got, want, "decap %s %s %s" % (backend, c, what))
        per_reason[want] = per_reason.get(want, 0) + 1
    print("expected verdicts: " + ", ".join("%s %d" % kv for kv in sorted(per_reason.items())))
    ck.finish()


if __name__ == "__main__":
    main()
