#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The CLI against a scripted daemon: what a real ipsec6d never does, or what cannot be seen
from the outside of one command.

Usage: client.py IPSEC6

- keys given on the command line are gone from /proc/PID/cmdline while the command waits
  for its answer, in every spelling (-k KEY, -K=KEY, --encryption-key KEY, --ikey KEY, ...),
  yet reach the daemon intact; --debug never shows them;
- a malformed record in the middle of a list prints nothing of the list (output is held
  back until the whole answer is read), and an error;
- a daemon that closes without answering, or answers nonsense, gives one clear line;
- a value with a line break (it would be a second command line) is refused;
- a list of 100,000 SAs is formatted, in every formatter, in well under a second of CPU;
- `ipsec6 stats` with counters that are not 0 (a real ipsec6d --no-dataplane only has zeros):
  every formatter's whole output, and a malformed answer that prints nothing.
"""

import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading

KEY_A = "0123456789abcdefSECRETA1"  # 24 bytes, ASCII form
KEY_B = "0x53454352455442534543524554423132"  # hex form
KEY_C = "SECRETC-twenty-bytes"

failures = 0


def check(cond, what):
    global failures
    if cond:
        print("ok   " + what)
    else:
        failures += 1
        print("FAIL " + what)


class FakeDaemon:
    """Accepts one connection, reads the request to EOF, then answers as told."""

    def __init__(self, path):
        self.path = path
        self.srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.srv.bind(path)
        self.srv.listen(1)
        self.request = b""
        self.got_request = threading.Event()
        self.answer_now = threading.Event()
        self.answer = b"ok\n"

    def serve(self):
        conn, _ = self.srv.accept()
        with conn:
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                self.request += data
            self.got_request.set()
            self.answer_now.wait(10)
            if self.answer:
                conn.sendall(self.answer)

    def start(self):
        t = threading.Thread(target=self.serve, daemon=True)
        t.start()
        return t

    def close(self):
        self.srv.close()
        os.unlink(self.path)


def run_waiting(ipsec6, argv0, args, sock, answer=b"ok\n"):
    """Run the CLI; while it waits for the answer, read its cmdline. Returns (cmdline,
    request, stdout, stderr, status)."""
    d = FakeDaemon(sock)
    d.answer = answer
    t = d.start()
    env = {"IPSEC6_SOCKET": sock, "PATH": "/usr/bin:/bin"}
    proc = subprocess.Popen([argv0] + args, executable=ipsec6, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    d.got_request.wait(10)
    with open("/proc/%d/cmdline" % proc.pid, "rb") as f:
        cmdline = f.read()
    d.answer_now.set()
    out, err = proc.communicate(timeout=10)
    t.join(10)
    d.close()
    return cmdline, d.request, out, err, proc.returncode


def test_wipe(ipsec6, tmp):
    sock = os.path.join(tmp, "s")
    cases = [
        ("ipsec6", ["--debug", "sa", "add", "-n", "x", "-s", "any", "-d", "any", "-p",
                    "0x1000", "-e", "3des-cbc", "-k", KEY_A, "-i", "hmac-sha1",
                    "-K=" + KEY_C]),
        ("esxcli", ["network", "ip", "ipsec", "sa", "add", "--sa-name", "x",
                    "--sa-source", "any", "--sa-destination", "any", "--sa-spi", "0x1000",
                    "--encryption-algorithm", "aes128-cbc", "--encryption-key=" + KEY_B,
                    "--integrity-algorithm", "hmac-sha1", "--integrity-key", KEY_C]),
        ("vicfg-ipsec", ["--add-sa", "--sa-src", "any", "--sa-dst", "any", "--spi",
                         "0x1000", "--ealgo", "3des-cbc", "--ekey", KEY_A, "--ialgo",
                         "hmac-sha1", "--ikey=" + KEY_C, "x"]),
        ("ipsec6", ["--debug", "sa", "rekey", "-n", "x", "-p", "0x1100", "-k", KEY_B,
                    "--integrity-key=" + KEY_C, "--grace-period", "30"]),
    ]
    for argv0, args in cases:
        keys = [k for k in (KEY_A, KEY_B, KEY_C) if any(k in a for a in args)]
        cmdline, request, out, err, status = run_waiting(ipsec6, argv0, args, sock)
        words = cmdline.split(b"\0")
        check(status == 0, "%s: exit status 0" % argv0)
        check(all(k.encode() not in cmdline for k in keys),
              "%s: keys are gone from /proc/PID/cmdline" % argv0)
        check(b"x" in words and (b"any" in words or b"rekey" in words),
              "%s: the other words stay in /proc/PID/cmdline" % argv0)
        check(all(k.encode() in request for k in keys),
              "%s: the keys reach the daemon" % argv0)
        check(all(k.encode() not in out + err for k in keys),
              "%s: no key in the output" % argv0)
        if "--debug" in args:
            check(b"--encryption-key=<hidden>" in err and b"--integrity-key=<hidden>" in err,
                  "%s: --debug shows the request with the keys hidden" % argv0)


def test_held_back(ipsec6, tmp):
    sock = os.path.join(tmp, "s")
    good = b"name=sa_1\tsource=any\tdestination=any\tspi=0x1000\tmode=transport\t" \
           b"encryption=null\tintegrity=hmac-sha1\tused-by=\n"
    answer = b"ok\n" + good * 3 + b"no equals sign here\n" + good
    _, _, out, err, status = run_waiting(ipsec6, "ipsec6", ["sa", "list"], sock, answer)
    check(status == 1, "malformed record: exit status 1")
    check(out == b"", "malformed record: nothing of the table is printed")
    check(err == b"ipsec6: unexpected answer from ipsec6d: record field 1 has no '='\n",
          "malformed record: one line says why (%r)" % err)

    _, _, out, err, status = run_waiting(ipsec6, "esxcli",
                                         ["network", "ip", "ipsec", "sp", "list"], sock, b"")
    check(status == 1 and out == b"", "no answer: exit status 1, nothing printed")
    check(err == b"esxcli: ipsec6d closed the connection without answering\n",
          "no answer: one line says so (%r)" % err)

    _, _, out, err, status = run_waiting(ipsec6, "ipsec6", ["sp", "list"], sock,
                                         b"HTTP/1.0 200 OK\r\n\r\n")
    check(status == 1 and out == b"", "nonsense: exit status 1, nothing printed")
    check(err == b"ipsec6: unexpected answer from ipsec6d: 'HTTP/1.0 200 OK'\n",
          "nonsense: one line says so (%r)" % err)

    _, _, out, err, status = run_waiting(ipsec6, "ipsec6", ["sa", "list"], sock,
                                         b"error permission denied: uid 65534\n")
    check(status == 1 and out == b"" and err == b"permission denied: uid 65534\n",
          "error answer: printed as it is")


def test_line_break(ipsec6, tmp):
    """A value with a line break would be a second command line: refused before sending."""
    env = {"IPSEC6_SOCKET": os.path.join(tmp, "none"), "PATH": "/usr/bin:/bin"}
    for argv0, args, name in (
            ("ipsec6", ["sp", "remove", "-n", "x\nsa remove --remove-all"], "sp-name"),
            ("vicfg-ipsec", ["--remove-sa", "x\nsp remove --remove-all"], "sa-name")):
        proc = subprocess.run([argv0] + args, executable=ipsec6, env=env,
                              capture_output=True, timeout=10)
        want = "%s: the value of --%s holds a line break\n" % (argv0, name)
        check(proc.returncode == 1 and proc.stdout == b"" and proc.stderr == want.encode(),
              "%s: a line break in a value is refused (%r)" % (argv0, proc.stderr))


def test_large_list(ipsec6, tmp):
    sock = os.path.join(tmp, "s")
    n = 100000
    lines = b"".join(b"name=sa_%d\tsource=2001:db8::%x\tdestination=2001:db8:1::%x\t"
                     b"spi=0x%x\tmode=transport\tencryption=aes128-cbc\t"
                     b"integrity=hmac-sha2-256\tused-by=\n" % (i, i, i, 0x100 + i)
                     for i in range(n))
    for fmt in ("table", "xml", "csv", "keyvalue", "json"):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        _, _, out, err, status = run_waiting(ipsec6, "ipsec6",
                                             ["--formatter=" + fmt, "sa", "list"], sock,
                                             b"ok\n" + lines)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # CPU time, not wall time: the machine may be busy, the fake daemon is slow.
        elapsed = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        rows = {
            "table": out.count(b"\n") - 2,
            "csv": out.count(b"\n") - 1,
            "xml": out.count(b"<structure typeName=\"IPsecSA\">"),
            "keyvalue": out.count(b"IPsecSA.Name.string=sa_"),
            "json": out.count(b'{"Name": "sa_'),
        }[fmt]
        check(status == 0 and rows == n and out.count(b"sa_99999") == 1,
              "100,000 SAs, %s: all listed" % fmt)
        check(elapsed < 1.0, "100,000 SAs, %s: %.3f s of CPU (< 1 s)" % (fmt, elapsed))


STATS_ANSWER = (
    b"ok\n"
    b"type=sa\tname=sa_2\tspi=0x1002\tpackets-in=12\tbytes-in=1248\tpackets-out=12\tbytes-out=1248\t"
    b"drops=icv:2,replay:1\n"
    b"type=sa\tname=sa_3\tspi=0x10003\tpackets-in=0\tbytes-in=0\tpackets-out=7\tbytes-out=700\tdrops=\n"
    b"type=sp\tname=sp_2\tdirection=out\taction=ipsec\tmatches=12\n"
    b"type=later\tname=a record type this CLI does not know\n"
    b"type=global\tdrops=no-sa:3,malformed:1\n")

STATS_OUTPUT = {
    "table": """Security Associations:
Name  SPI      Packets In  Bytes In  Packets Out  Bytes Out  Drops
----  -------  ----------  --------  -----------  ---------  ---------------
sa_2   0x1002          12      1248           12       1248  icv:2, replay:1
sa_3  0x10003           0         0            7        700

Security Policies:
Name  Direction  Action  Matches
----  ---------  ------  -------
sp_2  out        ipsec        12

Global Drops:
Reason     Packets
---------  -------
no-sa            3
malformed        1
""",
    "csv": """Name,SPI,Packets In,Bytes In,Packets Out,Bytes Out,Drops
sa_2,0x1002,12,1248,12,1248,"icv:2, replay:1"
sa_3,0x10003,0,0,7,700,

Name,Direction,Action,Matches
sp_2,out,ipsec,12

Reason,Packets
no-sa,3
malformed,1
""",
    "keyvalue": """IPsecSAStats.Name.string=sa_2
IPsecSAStats.SPI.string=0x1002
IPsecSAStats.PacketsIn.string=12
IPsecSAStats.BytesIn.string=1248
IPsecSAStats.PacketsOut.string=12
IPsecSAStats.BytesOut.string=1248
IPsecSAStats.Drops.string=icv:2, replay:1

IPsecSAStats.Name.string=sa_3
IPsecSAStats.SPI.string=0x10003
IPsecSAStats.PacketsIn.string=0
IPsecSAStats.BytesIn.string=0
IPsecSAStats.PacketsOut.string=7
IPsecSAStats.BytesOut.string=700
IPsecSAStats.Drops.string=

IPsecSPStats.Name.string=sp_2
IPsecSPStats.Direction.string=out
IPsecSPStats.Action.string=ipsec
IPsecSPStats.Matches.string=12

IPsecDropStats.Reason.string=no-sa
IPsecDropStats.Packets.string=3

IPsecDropStats.Reason.string=malformed
IPsecDropStats.Packets.string=1
""",
    "json": '{"SecurityAssociations": [{"Name": "sa_2", "SPI": "0x1002", "PacketsIn": "12", '
            '"BytesIn": "1248", "PacketsOut": "12", "BytesOut": "1248", "Drops": "icv:2, '
            'replay:1"}, {"Name": "sa_3", "SPI": "0x10003", "PacketsIn": "0", "BytesIn": "0", '
            '"PacketsOut": "7", '
            '"BytesOut": "700", "Drops": ""}], "SecurityPolicies": [{"Name": "sp_2", '
            '"Direction": "out", "Action": "ipsec", "Matches": "12"}], "GlobalDrops": '
            '[{"Reason": "no-sa", "Packets": "3"}, {"Reason": "malformed", "Packets": "1"}]}\n',
}


def xml_fields(name, value, indent):
    pad = " " * indent
    return ('%s<field name="%s">\n%s   <string>%s</string>\n%s</field>\n'
            % (pad, name, pad, value, pad))


def xml_structure(type_name, fields):
    return ('            <structure typeName="%s">\n' % type_name
            + "".join(xml_fields(n, v, 15) for n, v in fields)
            + '            </structure>\n')


def xml_section(name, structures):
    return ('      <field name="%s">\n         <list type="structure">\n' % name
            + "".join(structures) + '         </list>\n      </field>\n')


def stats_xml():
    sa = [("sa_2", "0x1002", "12", "1248", "12", "1248", "icv:2, replay:1"),
          ("sa_3", "0x10003", "0", "0", "7", "700", "")]
    sa_names = ("Name", "SPI", "PacketsIn", "BytesIn", "PacketsOut", "BytesOut", "Drops")
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<output xmlns="http://www.vmware.com/Products/ESX/5.0/esxcli">\n<root>\n'
            '   <structure typeName="IPsecStats">\n'
            + xml_section("SecurityAssociations",
                          [xml_structure("IPsecSAStats", zip(sa_names, row)) for row in sa])
            + xml_section("SecurityPolicies", [xml_structure("IPsecSPStats", zip(
                ("Name", "Direction", "Action", "Matches"), ("sp_2", "out", "ipsec", "12")))])
            + xml_section("GlobalDrops", [
                xml_structure("IPsecDropStats", [("Reason", "no-sa"), ("Packets", "3")]),
                xml_structure("IPsecDropStats", [("Reason", "malformed"), ("Packets", "1")])])
            + '   </structure>\n</root>\n</output>\n')


def test_stats(ipsec6, tmp):
    sock = os.path.join(tmp, "s")
    want = dict(STATS_OUTPUT, xml=stats_xml())
    for fmt in ("table", "csv", "keyvalue", "xml", "json"):
        _, request, out, err, status = run_waiting(ipsec6, "ipsec6",
                                                   ["--formatter=" + fmt, "stats"], sock,
                                                   STATS_ANSWER)
        check(request == b"stats\n", "stats, %s: the request is the one word" % fmt)
        check(status == 0 and err == b"", "stats, %s: exit status 0, nothing on stderr" % fmt)
        same = out.decode() == want[fmt]
        check(same, "stats, %s: the three sections%s" % (fmt, "" if same else " (got %r)" % out))

    bad = STATS_ANSWER.replace(b"drops=no-sa:3", b"drops=no-sa")
    _, _, out, err, status = run_waiting(ipsec6, "ipsec6", ["stats"], sock, bad)
    check(status == 1 and out == b"", "stats, malformed drops: exit status 1, nothing printed")
    check(err == b"ipsec6: unexpected answer from ipsec6d: 'no-sa' is not NAME:COUNT\n",
          "stats, malformed drops: one line says why (%r)" % err)


def main():
    ipsec6 = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="ipsec6-client-") as tmp:
        test_wipe(ipsec6, tmp)
        test_held_back(ipsec6, tmp)
        test_line_break(ipsec6, tmp)
        test_large_list(ipsec6, tmp)
        test_stats(ipsec6, tmp)
    print("%d failed" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
