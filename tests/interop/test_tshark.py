# SPDX-License-Identifier: MIT
"""ipsec6's ESP against Wireshark's dissector (tshark 4.0): esp_tool encapsulates varied packets
under every SA (every algorithm pair, both modes) with both crypto backends; tshark, given the
SAs, must decrypt every packet (the inner protocols dissected as they are in the original),
report its ICV good and read the pad length and next header we meant. A copy with one byte
changed (sequence number, IV or payload, ICV) must be reported bad. tshark 4.0 knows no
extended sequence numbers (its esp_sa table has no field for them, and it computes ICVs and
GCM's AAD without the high half): the ESN SAs are left to scapy (test_scapy.py) and
test_negative.py, and check_no_esn() shows that tshark indeed finds their ICVs bad.

usage: test_tshark.py ESP_TOOL TSHARK"""

import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from interop_common import (  # noqa: E402
    BACKENDS,
    IPPROTO_IPV6,
    Checker,
    esp_offset,
    make_combos,
    make_packets,
    pad_len_for,
    protected_len,
    run_tool,
    unprotected_len,
    write_pcap,
)

FIELDS = ["frame.number", "esp.spi", "esp.sequence", "esp.icv_good", "esp.icv_bad",
          "esp.pad_len", "esp.protocol", "frame.protocols"]


def tshark(exe, pcap, combos, fields, decrypt=True):
    # The payloads are random bytes: have them shown as data, so that no heuristic dissector
    # (RTCP, TLS, ...) throws on them, which would stop the ESP dissector before it adds the
    # trailer and ICV fields.
    args = [exe, "-n", "-r", pcap, "-d", "udp.port==9000-9099,data", "-d", "tcp.port==443,data"]
    if decrypt:
        for c in combos:
            args += ["-o", c.tshark_uat()]
        args += ["-o", "esp.enable_encryption_decode:TRUE",
                 "-o", "esp.enable_authentication_check:TRUE"]
    args += ["-T", "fields", "-E", "separator=\t", "-E", "occurrence=f"]
    for f in fields:
        args += ["-e", f]
    r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       check=False)
    if r.returncode != 0:
        raise RuntimeError("tshark failed (%d): %s" % (r.returncode, r.stderr))
    return [line.split("\t") for line in r.stdout.splitlines()]


def tamper(i, c, p):
    """One changed byte that the ICV covers but that leaves the decrypted packet dissectable
    (a dissector that throws on garbage would stop tshark before it reports the ICV): the
    sequence number, the last IV byte (CBC: flips one bit of the first plaintext block) or
    the last payload byte (null), or the ICV, in turn."""
    off = esp_offset(p)
    if i % 3 == 0:
        at = off + 7
    elif i % 3 == 1:
        at = off + 8 + c.iv_len - 1 if c.iv_len else len(p) - c.icv_len - 2 - p[-c.icv_len - 2] - 1
    else:
        at = len(p) - 1
    return p[:at] + bytes([p[at] ^ 0x01]) + p[at + 1:]


def first_protected_nh(combo, orig):
    if combo.mode == "tunnel":
        return IPPROTO_IPV6
    front = unprotected_len(orig, "ipsec6")
    nh, off = orig[6], 40
    while off < front:
        nh, off = orig[off], off + (orig[off + 1] + 1) * 8
    return nh


def expected_chain(combo, orig, orig_chain):
    """frame.protocols of the ESP packet: the original's with "esp" where ESP went."""
    parts = orig_chain.split(":")
    if combo.mode == "tunnel":
        return ":".join(["ipv6", "esp"] + parts)
    # "ipv6" plus one name per extension header in front of ESP.
    n_front, off = 1, 40
    while off < unprotected_len(orig, "ipsec6"):
        n_front += 1
        off += (orig[off + 1] + 1) * 8
    return ":".join(parts[:n_front] + ["esp"] + parts[n_front:])


def check_no_esn(ck, tool, exe):
    """tshark 4.0 cannot check an ESN SA's packets: it leaves the high half out of the ICV (or
    AAD), so even with a high half of 0 it finds every ICV bad. If a later tshark finds them
    good, it has learnt ESN: extend the main test to the ESN SAs then."""
    every = make_combos()
    esn = [c for c in every if c.esn]
    pkts = [p for c in esn for p in make_packets(c, random.Random(7), count=4)[:4]]
    _, outs = run_tool(tool, "openssl", every, "encap", pkts)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "esn.pcap")
        write_pcap(path, outs)
        rows = tshark(exe, path, every, FIELDS)
    ck.equal(len(rows), len(pkts), "tshark ESN: one row per packet")
    for row in rows:
        f = dict(zip(FIELDS, row + [""] * len(FIELDS)))
        ck.equal((f["esp.icv_good"], f["esp.icv_bad"]), ("0", "1"),
                 "tshark 4.0 has no ESN: ICV of an ESN packet reported bad")


def main():
    tool, exe = sys.argv[1], sys.argv[2]
    ck = Checker("tshark interop")
    combos = make_combos(esn=False)
    check_no_esn(ck, tool, exe)
    rng = random.Random(3)
    per_combo = [(c, make_packets(c, rng)) for c in combos]
    order = [(c, p) for c, pkts in per_combo for p in pkts]

    esp, meta = [], []
    for backend in BACKENDS:
        lines, outs = run_tool(tool, backend, combos, "encap", [p for _, p in order])
        ck.equal(lines.count("protect"), len(order), "encap %s: every packet protected"
                 % backend)
        if not ck.equal(len(outs), len(order), "encap %s: output packets" % backend):
            continue
        esp += outs
        meta += [(backend, c, p) for c, p in order]

    with tempfile.TemporaryDirectory() as d:
        orig_pcap = os.path.join(d, "orig.pcap")
        esp_pcap = os.path.join(d, "esp.pcap")
        bad_pcap = os.path.join(d, "tampered.pcap")
        # The originals in the same order as their ESP packets, so that tshark's TCP analysis
        # (which calls a repeated segment a retransmission) sees the same history.
        write_pcap(orig_pcap, [p for _, _, p in meta])
        write_pcap(esp_pcap, esp)
        tampered = [tamper(i, c, p) for i, ((_, c, _), p) in enumerate(zip(meta, esp))]
        write_pcap(bad_pcap, tampered)

        orig_chains = [r[0] for r in tshark(exe, orig_pcap, combos, ["frame.protocols"],
                                            decrypt=False)]
        rows = tshark(exe, esp_pcap, combos, FIELDS)
        bad_rows = tshark(exe, bad_pcap, combos, FIELDS)

    ck.equal(len(rows), len(esp), "tshark: one row per packet")
    ck.equal(len(bad_rows), len(esp), "tshark: one row per tampered packet")
    seq = {}
    for i, ((backend, c, orig), row) in enumerate(zip(meta, rows)):
        f = dict(zip(FIELDS, row + [""] * len(FIELDS)))
        what = "tshark %s %s packet %d" % (backend, c, i % len(order))
        seq[(backend, c.spi)] = seq.get((backend, c.spi), 0) + 1
        ck.equal(f["esp.spi"], "0x%08x" % c.spi, what + ": SPI")
        ck.equal(f["esp.sequence"], str(seq[(backend, c.spi)]), what + ": sequence number")
        ck.equal(f["esp.icv_good"], "1", what + ": ICV good")
        ck.equal(f["esp.icv_bad"], "0", what + ": ICV not bad")
        plen = protected_len(c, orig, "ipsec6")
        ck.equal(f["esp.pad_len"], str(pad_len_for(c, plen)), what + ": pad length")
        ck.equal(f["esp.protocol"], "0x%02x" % first_protected_nh(c, orig),
                 what + ": next header")
        ck.equal(f["frame.protocols"], expected_chain(c, orig, orig_chains[i]),
                 what + ": decrypted inner protocols")
    for i, ((backend, c, _), row) in enumerate(zip(meta, bad_rows)):
        f = dict(zip(FIELDS, row + [""] * len(FIELDS)))
        what = "tshark tampered %s %s packet %d" % (backend, c, i % len(order))
        ck.equal((f["esp.icv_good"], f["esp.icv_bad"]), ("0", "1"), what + ": ICV bad")
    ck.finish()


if __name__ == "__main__":
    main()
