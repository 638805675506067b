#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""State survives restarts byte for byte; SIGHUP reloads a valid file and refuses a broken one
(keeping the old state, and saying why in the log); a broken file at start-up stops the daemon
with "PATH:N: reason" and is left untouched; a missing file is an empty state."""

import os
import signal
import subprocess
import time

import daemonlib
from daemonlib import Daemon, check, init, records, sa_line, sp_line


def lists(d):
    return d.ok("sa list"), d.ok("sp list"), d.ok("save")


def test_restart_keeps_everything(d):
    d.ok(sa_line(1, name="sa_2", enc="3des-cbc", auth="hmac-sha1", dst="any"))
    d.ok(sa_line(2, enc="null", mode="tunnel"))
    d.ok(sa_line(3, src="any", dst="any"))
    d.ok(sp_line("sp_2", sa="sa_2"))
    d.ok(sp_line("sp_t", sa="sa2", mode="tunnel", direction="in"))
    d.ok(sp_line("sp_d", action="discard", src="any", dst="any"))
    d.ok("\n".join([sa_line(4), sa_line(5), "sa remove -n sa4"]))
    # remove-all leaves policies that name their SA: they must come back dangling.
    before = lists(d)
    d.restart()
    check(lists(d) == before, "lists differ after a restart")
    d.ok("sa remove --remove-all")
    before = lists(d)
    check(records(before[1])[0]["sa-name"] == "sa_2", "dangling policy keeps its SA name")
    d.restart()
    check(lists(d) == before, "lists differ after a restart with dangling policies")
    d.ok(sa_line(1, name="sa_2", enc="3des-cbc", auth="hmac-sha1", dst="any"))
    used = records(d.ok("sa list"))[0]["used-by"]
    check(used == "sp_2", "re-added SA binds its dangling policy again: %r" % used)


def test_sighup(d):
    before = lists(d)
    good = d.file_bytes()
    # A broken file: SIGHUP is refused, the state stays, the log names the line.
    with open(d.config, "ab") as f:
        f.write(b"sa add --sa-name=broken\n")
    nlines = good.count(b"\n") + 1
    d.signal(signal.SIGHUP)
    want = "%s:%d: " % (d.config, nlines)
    end = time.monotonic() + 10
    while want not in d.log_text() and time.monotonic() < end:
        time.sleep(0.02)
    log = d.log_text()
    check(want in log and "reload refused" in log, "log says why: %r" % log[-300:])
    check("Missing required parameter" in log.split(want, 1)[1], "reason in the log")
    check(lists(d) == before, "state kept after a refused reload")
    # A valid edit: SIGHUP makes it the state.
    with open(d.config, "wb") as f:
        f.write(good + (sa_line(40) + "\n").encode())
    d.signal(signal.SIGHUP)
    end = time.monotonic() + 10
    while time.monotonic() < end:
        names = [r["name"] for r in records(d.ok("sa list"))]
        if "sa40" in names:
            break
        time.sleep(0.02)
    check("sa40" in names, "reload applied: %r" % names)
    check(d.proc.poll() is None, "still running after reloads")


def test_broken_file_at_start(tmp):
    d = Daemon(tmp=tmp)
    os.makedirs(os.path.dirname(d.config), exist_ok=True)
    text = ("# hand edited\n" + sa_line(1) + "\nsp add --sp-name=p --bogus\n").encode()
    with open(d.config, "wb") as f:
        f.write(text)
    os.chmod(d.config, 0o644)
    st = os.stat(d.config)
    r = subprocess.run(d.argv(), capture_output=True, text=True, timeout=20)
    check(r.returncode == 1, "exit status %d" % r.returncode)
    check("%s:3: Invalid option --bogus" % d.config in r.stderr, "message: %r" % r.stderr)
    st2 = os.stat(d.config)
    check(d.file_bytes() == text and st2.st_mtime_ns == st.st_mtime_ns and
          st2.st_mode == st.st_mode, "broken file left untouched")
    check(not os.path.exists(d.sock), "no socket when start-up fails")


def test_missing_file_is_empty(tmp):
    with Daemon(tmp=tmp) as d:
        d.config = os.path.join(tmp, "new", "ipsec6.conf")
        d.sock = os.path.join(tmp, "run2", "s")
        d.start()
        check(d.ok("sa list") == [] and d.ok("sp list") == [], "empty state")
        check(not os.path.exists(d.config), "no file before the first change")
        d.ok(sa_line(1))
        check(os.path.exists(d.config), "file created by the first change")
        check(os.stat(os.path.dirname(d.config)).st_mode & 0o777 == 0o700, "config dir 0700")
        d.stop()


def running(pid):
    """The process exists and is not a zombie (an orphan's zombie may wait for a reaper)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def detached_pid(sock):
    """The pid of the ipsec6d serving sock, from /proc (a detached child is not ours to wait
    for), or None."""
    for p in (p for p in os.listdir("/proc") if p.isdigit()):
        try:
            with open("/proc/%s/cmdline" % p, "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if argv[:1] == [daemonlib.IPSEC6D.encode()] and sock.encode() in argv and running(int(p)):
            return int(p)
    return None


def serves(sock):
    try:
        return daemonlib.request(sock, "sa list", timeout=10)[0] == "ok"
    except OSError:
        return False


def test_detached_start(tmp):
    """Without --foreground: the command returns once the socket serves."""
    cfg = os.path.join(tmp, "bg.conf")
    sock = os.path.join(tmp, "bg", "s")
    r = subprocess.run([daemonlib.IPSEC6D, "--no-dataplane", "--config", cfg, "--socket", sock],
                       capture_output=True, text=True, timeout=20)
    check(r.returncode == 0, "detached start: %d %r" % (r.returncode, r.stderr))
    pid = detached_pid(sock)
    check(pid is not None, "found the detached daemon")
    try:
        check(serves(sock), "detached daemon serves at once")
        # A second daemon on the same socket is refused, the first keeps serving.
        r2 = subprocess.run([daemonlib.IPSEC6D, "--foreground", "--no-dataplane", "--config",
                             cfg, "--socket", sock], capture_output=True, text=True, timeout=20)
        check(r2.returncode == 1 and "another ipsec6d is serving" in r2.stderr, r2.stderr)
        check(serves(sock), "the first keeps serving after the second is refused")
        # It serves up to the signal: the socket's absence afterwards is the daemon's doing.
        os.kill(pid, signal.SIGTERM)
        end = time.monotonic() + 10
        while (os.path.exists(sock) or running(pid)) and time.monotonic() < end:
            time.sleep(0.02)
        check(not running(pid), "detached daemon exits on SIGTERM")
        check(not os.path.exists(sock), "detached daemon removed its socket on SIGTERM")
    finally:
        if running(pid):
            os.kill(pid, signal.SIGKILL)


def test_options(tmp):
    r = subprocess.run([daemonlib.IPSEC6D, "--help"], capture_output=True, text=True)
    check(r.returncode == 0 and "--no-dataplane" in r.stdout, "help")
    r = subprocess.run([daemonlib.IPSEC6D, "--version"], capture_output=True, text=True)
    check(r.returncode == 0 and r.stdout.startswith("ipsec6d "), "version")
    r = subprocess.run([daemonlib.IPSEC6D, "--bogus"], capture_output=True, text=True)
    check(r.returncode == 2 and "unknown option --bogus" in r.stderr, r.stderr)
    r = subprocess.run([daemonlib.IPSEC6D, "--foreground", "--no-dataplane", "--crypto", "rot13",
                        "--config", os.path.join(tmp, "x")], capture_output=True, text=True)
    check(r.returncode == 2 and "rot13" in r.stderr, r.stderr)
    r = subprocess.run([daemonlib.IPSEC6D, "--foreground", "--no-dataplane", "--group", "no-such-grp",
                        "--config", os.path.join(tmp, "x")], capture_output=True, text=True)
    check(r.returncode == 1 and "no-such-grp: no such group" in r.stderr, r.stderr)


def test_stale_socket(tmp):
    d = Daemon(tmp=tmp)
    d.config = os.path.join(tmp, "stale.conf")
    d.sock = os.path.join(tmp, "stale", "s")
    try:
        d.start()
        d.ok(sa_line(7))
        d.kill()  # leaves the socket file behind
        check(os.path.exists(d.sock), "SIGKILL leaves the socket")
        d.start()
        check([r["name"] for r in records(d.ok("sa list"))] == ["sa7"], "state after kill")
        d.stop()
    finally:
        d.kill()


def main():
    init()
    with Daemon() as d:
        d.start()
        test_restart_keeps_everything(d)
        test_sighup(d)
        d.stop()
        test_broken_file_at_start(os.path.join(d.tmp, "b"))
        test_missing_file_is_empty(d.tmp)
        test_detached_start(d.tmp)
        test_options(d.tmp)
        test_stale_socket(d.tmp)
    print("ok")


if __name__ == "__main__":
    main()
