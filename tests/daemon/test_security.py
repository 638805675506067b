#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Security: modes of the file (0600), socket (0600, or 0660 with --group) and its directory
(0700 / 0750); SO_PEERCRED refuses a client that is neither root nor in the group, even when
the file system would let it connect, and it changes nothing; a group member is served; lists
and logs never contain key material."""

import grp
import os
import stat
import subprocess

from daemonlib import Daemon, check, init, key_hex, sa_line, sp_line

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


def test_group(d):
    gid = grp.getgrnam("nogroup").gr_gid
    check(mode(d.sock) == 0o660 and os.stat(d.sock).st_gid == gid, "group socket 0660")
    rdir = os.path.dirname(d.sock)
    check(mode(rdir) == 0o750 and os.stat(rdir).st_gid == gid, "group dir 0750")
    os.chmod(d.tmp, 0o755)  # the test's own directory; the daemon's are as made
    # Primary group member, then supplementary group member: both served.
    rc, out, err = as_user(d.sock, sa_line(5), NOBODY, gid)
    check(out == "ok\n", "primary member served: %r %r" % (out, err))
    rc, out, err = as_user(d.sock, sa_line(6), OTHER, OTHER, groups=[gid])
    check(out == "ok\n", "supplementary member served: %r %r" % (out, err))
    before = (d.ok("sa list"), d.file_bytes())
    loosen(d)
    rc, out, err = as_user(d.sock, sa_line(7), OTHER, OTHER)
    check(out == "error permission denied: only root and group 'nogroup' may use ipsec6d\n",
          "non-member refused: %r %r" % (out, err))
    check((d.ok("sa list"), d.file_bytes()) == before, "non-member changed nothing")
    check(mode(d.config) == 0o600, "file stays 0600 with --group")


def test_no_keys(d):
    keys = []
    for i in (1, 5, 6):
        keys += [key_hex(i, 16, 0xe), key_hex(i, 32, 0xa)]
    text = "\n".join(d.ok("sa list") + d.ok("sp list"))
    for k in keys:
        check(k not in text, "key material in a list")
        check(k not in d.log_text(), "key material in the log")
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
