#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The requests of doc/control-protocol.md against a live ipsec6d: changes, list records,
used-by in SPD order, all-or-nothing transactions that name the bad line, queries that must
stand alone, save and the Wireshark export."""

import os
import stat

from daemonlib import Daemon, check, init, key_hex, records, sa_line, sp_line


def test_records(d):
    d.ok(sa_line(1, name="sa_a", src="2001:DB8:0:0::1", dst="any"))
    d.ok(sa_line(2, name="sa_b", enc="null", auth="hmac-sha1", mode="tunnel"))
    d.ok(sp_line("p2", sa="sa_a"))
    d.ok(sp_line("p0", action="discard", direction="in", src="any", dst="2001:db8::/32"))
    d.ok(sp_line("p1", sa="sa_a"))
    sa = d.ok("sa list")
    check(sa == [
        "name=sa_a\tsource=2001:db8::1\tdestination=any\tspi=0x1001\tmode=transport\t"
        "encryption=aes128-cbc\tintegrity=hmac-sha2-256\tused-by=p2,p1\tstate=mature\tencapsulation=none",
        "name=sa_b\tsource=2001:db8::1\tdestination=2001:db8::2\tspi=0x1002\tmode=tunnel\t"
        "encryption=null\tintegrity=hmac-sha1\tused-by=\tstate=mature\tencapsulation=none",
    ], "sa list records: %r" % sa)
    sp = records(d.ok("sp list"))
    check([r["name"] for r in sp] == ["p2", "p0", "p1"], "sp list order: %r" % sp)
    check(sp[1] == {"name": "p0", "source": "any", "destination": "2001:db8::/32",
                    "source-port": "any", "destination-port": "any", "protocol": "any",
                    "direction": "in", "action": "discard", "mode": "transport",
                    "sa-name": ""}, "sp record: %r" % sp[1])
    check(sp[0]["sa-name"] == "sa_a", "bound policy names its SA")


def test_refusals(d):
    status, lines = d.request("sa remove --sa-name=sa_a")
    check(status == "error SA 'sa_a' is in use by policies: p2, p1", status)
    check(lines == [], "no records after an error")
    status, _ = d.request("sa remove --sa-name=nosuch")
    check(status == "error SA 'nosuch' does not exist", status)
    status, _ = d.request("sa add --sa-name=x")
    check(status.startswith("error Missing required parameter"), status)
    status, _ = d.request("sa list --bogus")
    check(status == "error Invalid option --bogus", status)


def test_transaction_all_or_nothing(d):
    before_sa, before_sp, before_file = d.ok("sa list"), d.ok("sp list"), d.file_bytes()
    # The bad line is the third; the two before it applied and are undone.
    status, _ = d.request("\n".join([sa_line(10), sp_line("t1", sa="sa10"),
                                     sa_line(11, name="sa_a")]))
    check(status == "error line 3: SA 'sa_a' already exists", "names line 3: %r" % status)
    # A removal of an SA in use by nothing, a policy removal, then a refusal.
    status, _ = d.request("\n".join(["sp remove --sp-name=p0", "sa remove -n sa_b",
                                     "# a comment line counts", "sp remove -n nosuch"]))
    check(status == "error line 4: policy 'nosuch' does not exist", status)
    check(d.ok("sa list") == before_sa, "sa list unchanged after refused transactions")
    check(d.ok("sp list") == before_sp, "sp list unchanged after refused transactions")
    check(d.file_bytes() == before_file, "file unchanged after refused transactions")
    # A parse error on a later line: nothing applied either.
    status, _ = d.request(sa_line(12) + "\nsa add --sa-name=y --bogus=1")
    check(status == "error line 2: Invalid option --bogus", status)
    check(d.ok("sa list") == before_sa, "parse error undoes the earlier line")
    # And a good transaction: one write, all present.
    d.ok("\n".join([sa_line(20), sa_line(21), sp_line("t20", sa="sa20")]))
    names = [r["name"] for r in records(d.ok("sa list"))]
    check(names[-2:] == ["sa20", "sa21"], "transaction applied in order: %r" % names)


def test_queries_alone(d):
    for text in ["sa list\nsp list", sa_line(30) + "\nsa list", "save\n" + sa_line(31),
                 "sa list\n" + sa_line(32)]:
        status, _ = d.request(text)
        check(status == "error line 2: queries (list, save, export, stats) must stand alone "
              "in a request", "%r -> %r" % (text[:20], status))
    names = [r["name"] for r in records(d.ok("sa list"))]
    check("sa30" not in names and "sa31" not in names and "sa32" not in names,
          "no change from a refused mixed request")
    status, _ = d.request("sa export")
    check(status == "error sa export needs exactly --wireshark", status)
    status, _ = d.request("# only a comment")
    check(status == "error empty request: no command", status)


def test_save_and_export(d):
    text = "\n".join(d.ok("save")) + "\n"
    check(text.encode() == d.file_bytes(), "save prints the file's text")
    check(key_hex(1, 16, 0xe) in text, "save includes keys")
    export = d.ok("sa export --wireshark")
    check(export[0] == '"IPv6","2001:db8::1","*","0x00001001","AES-CBC [RFC3602]","0x%s",'
          '"HMAC-SHA-256-128 [RFC4868]","0x%s"' % (key_hex(1, 16, 0xe), key_hex(1, 32, 0xa)),
          "export line: %r" % export[0])
    check(export[1].startswith('"IPv6","2001:db8::1","2001:db8::2","0x00001002","NULL","",'
                               '"HMAC-SHA-1-96 [RFC2404]","0x'), "null export: %r" % export[1])
    mode = stat.S_IMODE(os.stat(d.config).st_mode)
    check(mode == 0o600, "config mode %o" % mode)


def main():
    init()
    with Daemon() as d:
        d.start()
        test_records(d)
        test_refusals(d)
        test_transaction_all_or_nothing(d)
        test_queries_alone(d)
        test_save_and_export(d)
        d.stop()
    print("ok")


if __name__ == "__main__":
    main()
