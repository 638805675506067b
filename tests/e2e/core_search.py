# SPDX-License-Identifier: MIT
"""Search a core file for keys and what is derived from them.

Usage: core_search.py CORE LABEL=HEX...

Prints one line per form searched, "LABEL FORM found|absent". Every key is searched as its raw
bytes and as hex text in lower and in upper case. A LABEL containing "auth" is an HMAC key of
20 (SHA-1) or 32 (SHA-256) bytes: also searched are the blocks K ^ ipad and K ^ opad and the hash
states after them (RFC 2104 section 4; 16 bytes, as stored big- or little-endian per word). A
LABEL containing "enc" with a 16-byte key is an AES-128 key: also searched is its last round
key (both word orders). Labels starting with "control" are searched as raw bytes and text only.
"""
import struct
import sys


def rol(x, n):
    return ((x << n) | (x >> (32 - n))) & 0xFFFFFFFF


def ror(x, n):
    return ((x >> n) | (x << (32 - n))) & 0xFFFFFFFF


def sha1_block(block):
    """SHA-1's state after one block from the initial value."""
    h = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]
    w = list(struct.unpack(">16I", block))
    for i in range(16, 80):
        w.append(rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1))
    a, b, c, d, e = h
    for i in range(80):
        if i < 20:
            f, k = (b & c) | (~b & d), 0x5A827999
        elif i < 40:
            f, k = b ^ c ^ d, 0x6ED9EBA1
        elif i < 60:
            f, k = (b & c) | (b & d) | (c & d), 0x8F1BBCDC
        else:
            f, k = b ^ c ^ d, 0xCA62C1D6
        a, b, c, d, e = (rol(a, 5) + f + e + k + w[i]) & 0xFFFFFFFF, a, rol(b, 30), c, d
    return [(x + y) & 0xFFFFFFFF for x, y in zip(h, [a, b, c, d, e])]


K256 = [
    0x428A2F98, 0x71374491, 0xB5C0FBCF, 0xE9B5DBA5, 0x3956C25B, 0x59F111F1, 0x923F82A4,
    0xAB1C5ED5, 0xD807AA98, 0x12835B01, 0x243185BE, 0x550C7DC3, 0x72BE5D74, 0x80DEB1FE,
    0x9BDC06A7, 0xC19BF174, 0xE49B69C1, 0xEFBE4786, 0x0FC19DC6, 0x240CA1CC, 0x2DE92C6F,
    0x4A7484AA, 0x5CB0A9DC, 0x76F988DA, 0x983E5152, 0xA831C66D, 0xB00327C8, 0xBF597FC7,
    0xC6E00BF3, 0xD5A79147, 0x06CA6351, 0x14292967, 0x27B70A85, 0x2E1B2138, 0x4D2C6DFC,
    0x53380D13, 0x650A7354, 0x766A0ABB, 0x81C2C92E, 0x92722C85, 0xA2BFE8A1, 0xA81A664B,
    0xC24B8B70, 0xC76C51A3, 0xD192E819, 0xD6990624, 0xF40E3585, 0x106AA070, 0x19A4C116,
    0x1E376C08, 0x2748774C, 0x34B0BCB5, 0x391C0CB3, 0x4ED8AA4A, 0x5B9CCA4F, 0x682E6FF3,
    0x748F82EE, 0x78A5636F, 0x84C87814, 0x8CC70208, 0x90BEFFFA, 0xA4506CEB, 0xBEF9A3F7,
    0xC67178F2,
]


def sha256_block(block):
    """SHA-256's state after one block from the initial value."""
    h = [0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB,
         0x5BE0CD19]
    w = list(struct.unpack(">16I", block))
    for i in range(16, 64):
        s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3)
        s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10)
        w.append((w[i - 16] + s0 + w[i - 7] + s1) & 0xFFFFFFFF)
    a, b, c, d, e, f, g, hh = h
    for i in range(64):
        t1 = (hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] +
              w[i]) & 0xFFFFFFFF
        t2 = ((ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) & 0xFFFFFFFF
        hh, g, f, e, d, c, b, a = g, f, e, (d + t1) & 0xFFFFFFFF, c, b, a, (t1 + t2) & 0xFFFFFFFF
    return [(x + y) & 0xFFFFFFFF for x, y in zip(h, [a, b, c, d, e, f, g, hh])]


def sbox():
    """The AES S-box, computed (FIPS 197 section 5.1.1)."""
    box = [0] * 256
    p = q = 1
    while True:
        p = p ^ ((p << 1) & 0xFF) ^ (0x1B if p & 0x80 else 0)
        q ^= q << 1
        q ^= q << 2
        q ^= q << 4
        q &= 0xFF
        if q & 0x80:
            q ^= 0x09
        x = q ^ rol8(q, 1) ^ rol8(q, 2) ^ rol8(q, 3) ^ rol8(q, 4)
        box[p] = x ^ 0x63
        if p == 1:
            break
    box[0] = 0x63
    return box


def rol8(x, n):
    return ((x << n) | (x >> (8 - n))) & 0xFF


def aes128_round_keys(key):
    """The 11 round keys of AES-128 (FIPS 197 section 5.2), as bytes."""
    box = sbox()
    words = [list(key[i:i + 4]) for i in range(0, 16, 4)]
    rcon = 1
    for i in range(4, 44):
        t = list(words[i - 1])
        if i % 4 == 0:
            t = [box[b] for b in t[1:] + t[:1]]
            t[0] ^= rcon
            rcon = ((rcon << 1) ^ (0x1B if rcon & 0x80 else 0)) & 0xFF
        words.append([a ^ b for a, b in zip(words[i - 4], t)])
    flat = bytes(b for w in words for b in w)
    return [flat[16 * r:16 * r + 16] for r in range(11)]


def swap_words(b):
    return b"".join(b[i:i + 4][::-1] for i in range(0, len(b), 4))


def self_check():
    import hashlib
    msg = b"abc"
    block = msg + b"\x80" + b"\0" * (55 - len(msg)) + struct.pack(">Q", 8 * len(msg))
    assert struct.pack(">5I", *sha1_block(block)) == hashlib.sha1(msg).digest()
    assert struct.pack(">8I", *sha256_block(block)) == hashlib.sha256(msg).digest()
    # FIPS 197 appendix A.1
    rk = aes128_round_keys(bytes.fromhex("2b7e151628aed2a6abf7158809cf4f3c"))
    assert rk[10] == bytes.fromhex("d014f9a8c9ee2589e13f0cc8b6630ca6")


def forms(label, text):
    key = bytes.fromhex(text)
    out = {"raw": key, "hex": text.lower().encode(), "HEX": text.upper().encode()}
    if label.startswith("control"):
        return out
    if "auth" in label and len(key) in (20, 32):
        block = key.ljust(64, b"\0")
        for name, pad in (("ipad", 0x36), ("opad", 0x5C)):
            padded = bytes(b ^ pad for b in block)
            state = sha1_block(padded) if len(key) == 20 else sha256_block(padded)
            be = struct.pack(">%dI" % len(state), *state)[:16]
            out["K^" + name] = padded[:16]
            out[name + "-state-be"] = be
            out[name + "-state-le"] = swap_words(be)
    if "enc" in label and len(key) == 16:
        last = aes128_round_keys(key)[10]
        out["aes-rk10"] = last
        out["aes-rk10-swapped"] = swap_words(last)
    return out


def main():
    self_check()
    with open(sys.argv[1], "rb") as f:
        core = f.read()
    for spec in sys.argv[2:]:
        label, text = spec.split("=", 1)
        for form, needle in forms(label, text).items():
            print(label, form, "found" if core.find(needle) >= 0 else "absent")


if __name__ == "__main__":
    main()
