#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Security: modes of the file (0600), socket (0600, or 0660 with --group) and its directory
(0700 / 0750); SO_PEERCRED refuses a client that is neither root nor in the group, even when
the file system would let it connect, and it changes nothing; a group member (primary or
supplementary) reads lists and counters but is refused changes and whatever shows keys (save,
sa export); lists, counters and logs never contain key material, in any spelling."""

import grp
import os
import stat
import subprocess

from daemonlib import Daemon, check, init, key_hex, raw, sa_line, sp_line

NOBODY = 65534
OTHER = 1  # uid/gid "daemon": in no group of interest


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def as_user(sock, text, uid, gid, groups=None):
    """Run socat as uid/gid; returns (exit status, stdout, stderr)."""
    cmd = ["setpriv", "--reuid", str(uid), "--regid", str(gid)]
    cmd += ["--groups", ",".join(map(str, groups))] if groups else ["--clear-groups"]
    cmd += ["socat", "-t", "5", "-", "UNIX-CONNECT:" + sock]
    r = subprocess.run(cmd, input=(text + "\n\n").encode(), capture_output=True, timeout=30)
    return r.returncode, r.stdout.decode(), r.stderr.decode()


def loosen(d):
    """Let anyone reach the socket through the file system, so that only the daemon's own
    credential check stands between a client and the state."""
    os.chmod(d.tmp, 0o755)
    os.chmod(os.path.dirname(d.sock), 0o755)
    os.chmod(d.sock, 0o666)


def test_root_only(d):
    d.ok(sa_line(1))
    d.ok(sp_line("p1", sa="sa1"))
    check(mode(d.config) == 0o600, "file mode %o" % mode(d.config))
    check(mode(d.sock) == 0o600, "socket mode %o" % mode(d.sock))
    check(mode(os.path.dirname(d.sock)) == 0o700, "dir mode %o" % mode(os.path.dirname(d.sock)))
    before = (d.ok("sa list"), d.file_bytes())
    # The file system already stops nobody.
    rc, out, err = as_user(d.sock, sa_line(2), NOBODY, NOBODY)
    check(rc != 0 and out == "" and "ermission denied" in err, "fs refusal: %r %r" % (out, err))
    # With the file system opened up, the daemon's own check refuses.
    loosen(d)
    for text in [sa_line(3), "sa remove --remove-all", "sa list", "save"]:
        rc, out, err = as_user(d.sock, text, NOBODY, NOBODY)
        check(out == "error permission denied: only root may use ipsec6d\n",
              "refusal for %r: %r %r" % (text[:12], out, err))
    check((d.ok("sa list"), d.file_bytes()) == before, "refused clients changed nothing")
    check("refused a client with uid 65534" in d.log_text(), "refusal logged")


READ_ONLY = ("error permission denied: this group may list and read counters; changes, save "
             "and export are for root\n")


def test_group(d):
    gid = grp.getgrnam("nogroup").gr_gid
    check(mode(d.sock) == 0o660 and os.stat(d.sock).st_gid == gid, "group socket 0660")
    rdir = os.path.dirname(d.sock)
    check(mode(rdir) == 0o750 and os.stat(rdir).st_gid == gid, "group dir 0750")
    os.chmod(d.tmp, 0o755)  # the test's own directory; the daemon's are as made
    d.ok(sa_line(5))
    d.ok(sp_line("p1", sa="sa1"))
    before = (d.ok("sa list"), d.ok("sp list"), d.file_bytes())
    # Primary group member, then supplementary group member: each reads what root reads...
    for who, uid, g, groups in (("primary", NOBODY, gid, None),
                                ("supplementary", OTHER, OTHER, [gid])):
        for query in ("sa list", "sp list"):
            rc, out, err = as_user(d.sock, query, uid, g, groups)
            check(out == "ok\n" + "".join(l + "\n" for l in d.ok(query)),
                  "%s member reads %s: %r %r" % (who, query, out[:60], err))
        rc, out, err = as_user(d.sock, "stats", uid, g, groups)
        check(out.startswith("ok\n") and "type=sa\tname=sa1\t" in out,
              "%s member reads the counters: %r %r" % (who, out[:60], err))
        if who == "primary":  # socat waits out its -t 5 on a monitor: once is enough
            rc, out, err = as_user(d.sock, "monitor", uid, g, groups)
            check(out.startswith("ok\ntime=") and "\tevent=subscribed\t" in out,
                  "%s member may monitor: %r %r" % (who, out[:60], err))
        # ... and is refused every change and everything that shows keys.
        for text in (sa_line(7), "sa remove --sa-name=sa5", "sp remove --sp-name=p1",
                     "sa remove --remove-all", "sp remove --remove-all",
                     sp_line("p2", sa="sa5"), "save", "sa export --wireshark",
                     "# a comment first\n" + sa_line(8)):
            rc, out, err = as_user(d.sock, text, uid, g, groups)
            check(out == READ_ONLY or out == "error line 2: " + READ_ONLY[len("error "):],
                  "%s member refused %r: %r %r" % (who, text[:24], out, err))
    check((d.ok("sa list"), d.ok("sp list"), d.file_bytes()) == before,
          "group members changed nothing")
    loosen(d)
    rc, out, err = as_user(d.sock, sa_line(7), OTHER, OTHER)
    check(out == "error permission denied: only root and group 'nogroup' may use ipsec6d\n",
          "non-member refused: %r %r" % (out, err))
    check((d.ok("sa list"), d.file_bytes()) == before[0::2], "non-member changed nothing")
    check(mode(d.config) == 0o600, "file stays 0600 with --group")


def spellings(hexkey):
    """A key as it could leak: lower and upper case hex, and the raw bytes."""
    return [hexkey.encode(), hexkey.upper().encode(), bytes.fromhex(hexkey)]


def test_no_keys(d):
    keys = []
    for i in (1, 5):
        keys += [key_hex(i, 16, 0xe), key_hex(i, 32, 0xa)]
    seen = b"".join(raw(d.sock, (q + "\n\n").encode()) for q in ("sa list", "sp list", "stats"))
    with open(d.log, "rb") as f:
        log = f.read()
    for k in keys:
        for spelled in spellings(k):
            check(spelled not in seen, "key material in a list or the counters")
            check(spelled not in log, "key material in the log")
    check(keys[0] in "\n".join(d.ok("save")), "save does carry keys (the test sees them)")


def test_loose_file_rewritten(tmp):
    with Daemon(tmp=tmp) as d:
        os.makedirs(os.path.dirname(d.config))
        with open(d.config, "w") as f:
            f.write(sa_line(9) + "\n")
        os.chmod(d.config, 0o644)
        d.start()
        check("has mode 0644 but holds keys" in d.log_text(), "loose mode warned")
        d.ok(sa_line(10))
        check(mode(d.config) == 0o600, "rewritten 0600")
        d.stop()


def main():
    init()
    with Daemon(args=["--debug"]) as d:
        d.start()
        test_root_only(d)
        d.stop()
    with Daemon(args=["--group", "nogroup", "--debug"]) as d:
        d.start()
        d.ok(sa_line(1))
        test_group(d)
        test_no_keys(d)
        d.stop()
        test_loose_file_rewritten(os.path.join(d.tmp, "l"))
    print("ok")


if __name__ == "__main__":
    main()
