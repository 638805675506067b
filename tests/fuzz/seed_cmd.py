#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Seed corpus of fuzz_cmd from the golden transcripts: every command line of tests/golden/*.t
in fuzz_cmd.c's input format, with the file it names (a %file of its transcript) and an answer
of the kind its command reads.

Usage: seed_cmd.py OUTDIR TRANSCRIPT.t...   (files are named by the SHA-1 of their contents)
"""

import hashlib
import os
import shlex
import sys

PROGS = {"ipsec6": 0, "esxcli": 1, "vicfg-ipsec": 2}
SA = (b"name=sa_1\tsource=2001:db8::1\tdestination=2001:db8::2\tspi=0x1001\tmode=tunnel\t"
      b"encryption=aes128-cbc\tintegrity=hmac-sha2-256\tused-by=sp_1\n")
SP = (b"name=sp_1\tsource=2001:db8::1/128\tdestination=2001:db8::2/128\tsource-port=500\t"
      b"destination-port=any\tprotocol=udp\tdirection=out\taction=ipsec\tmode=tunnel\t"
      b"sa-name=sa_1\n")
STATS = (b"type=sa\tname=sa_2\tpackets-in=12\tbytes-in=1248\tpackets-out=12\tbytes-out=1248\t"
         b"drops=icv:2,replay:1\ntype=sp\tname=sp_2\tdirection=out\taction=ipsec\tmatches=12\n"
         b"type=global\tdrops=no-sa:3\n")
TEXT = b"sa add --sa-name=x --sa-source=any --sa-destination=any --sa-spi=0x1000\n"


def answer(words):
    if "stats" in words:
        return b"ok\n" + STATS
    if "save" in words or "export" in words:
        return b"ok\n" + TEXT
    if "--list-sp" in words or ("list" in words and "sa" not in words):
        return b"ok\n" + SP
    if "--list-sa" in words or "list" in words:
        return b"ok\n" + SA
    return None


def seeds(path):
    files = {}
    name = None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("%file "):
            name = line.split(None, 1)[1]
            files[name] = b""
        elif line.startswith("<") and name is not None:
            files[name] += line[2:].encode() + b"\n"
        elif line.startswith("$ "):
            name = None
            words = shlex.split(line[2:])
            while words and "=" in words[0] and not words[0].startswith("-"):
                words.pop(0)
            if not words or words[0] not in PROGS:
                continue
            data = bytes([PROGS[words[0]]]) + b"".join(w.encode() + b"\0" for w in words[1:])
            named = [files[w] for w in words[1:] if w in files]
            reply = answer(words[1:])
            if named or reply is not None:
                data += b"\0" + (named[0] if named else b"")
            if reply is not None:
                data += b"\0" + reply
            yield data


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for path in sys.argv[2:]:
        for data in seeds(path):
            with open(os.path.join(out, hashlib.sha1(data).hexdigest()), "wb") as f:
                f.write(data)


if __name__ == "__main__":
    main()
