# SPDX-License-Identifier: MIT
"""Shared helpers for the ipsec6d tests: start and stop a daemon in a private temporary
directory, and speak the control protocol (doc/control-protocol.md) over its socket."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

IPSEC6D = None  # set by init() from argv


def init():
    """Take the daemon's path from argv[1]; returns it."""
    global IPSEC6D
    if len(sys.argv) < 2:
        sys.exit("usage: %s PATH-TO-IPSEC6D" % sys.argv[0])
    IPSEC6D = os.path.abspath(sys.argv[1])
    return IPSEC6D


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def sa_line(i, name=None, src="2001:db8::1", dst="2001:db8::2", enc="aes128-cbc",
            auth="hmac-sha2-256", mode="transport"):
    """An `sa add` line with keys derived from i, so that tests can look for them."""
    name = name or "sa%d" % i
    ekey = {"null": None, "3des-cbc": 24, "aes128-cbc": 16}[enc]
    akey = {"hmac-sha1": 20, "hmac-sha2-256": 32}[auth]
    words = ["sa add", "--sa-name=" + name, "--sa-source=" + src, "--sa-destination=" + dst,
             "--sa-spi=0x%x" % (0x1000 + i), "--sa-mode=" + mode,
             "--encryption-algorithm=" + enc]
    if ekey:
        words.append("--encryption-key=0x" + key_hex(i, ekey, 0xe))
    words += ["--integrity-algorithm=" + auth, "--integrity-key=0x" + key_hex(i, akey, 0xa)]
    return " ".join(words)


def key_hex(i, n, tag):
    """n key bytes, distinct per i and tag, as hex."""
    seed = ("%02x%08x" % (tag, i)) * n
    return seed[: 2 * n]


def sp_line(name, sa=None, action="ipsec", direction="out", src="2001:db8:1::/48",
            dst="2001:db8:2::/48", mode="transport"):
    words = ["sp add", "--sp-name=" + name, "--sp-source=" + src, "--sp-destination=" + dst,
             "--flow-direction=" + direction, "--action=" + action, "--sp-mode=" + mode]
    if sa:
        words.append("--sa-name=" + sa)
    return " ".join(words)


def raw(path, data, timeout=30.0, shut=True):
    """Send bytes, shut our writing side, read until the daemon closes. Returns bytes."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect(path)
        if data:
            s.sendall(data)
        if shut:
            s.shutdown(socket.SHUT_WR)
        chunks = []
        while True:
            b = s.recv(1 << 20)
            if not b:
                break
            chunks.append(b)
        return b"".join(chunks)
    finally:
        s.close()


def request(path, text, timeout=30.0):
    """One request (lines without the final empty line). Returns (status, lines after it)."""
    if not text.endswith("\n"):
        text += "\n"
    out = raw(path, (text + "\n").encode(), timeout=timeout).decode()
    lines = out.split("\n")
    check(lines and lines[-1] == "", "response does not end with a newline: %r" % out[-80:])
    return lines[0], lines[1:-1]


def ok(path, text):
    """A request that must succeed; returns its lines."""
    status, lines = request(path, text)
    check(status == "ok", "expected ok for %r, got %r" % (text.split(" --")[0], status))
    return lines


def records(lines):
    """Record lines as dicts."""
    out = []
    for line in lines:
        out.append(dict(f.split("=", 1) for f in line.split("\t")))
    return out


class Daemon:
    """An ipsec6d in the foreground with its own config, socket and log in a temporary dir."""

    def __init__(self, tmp=None, args=(), config=None, sock=None, env=None):
        self.tmp = tmp or tempfile.mkdtemp(prefix="ipsec6d-test-")
        self.own_tmp = tmp is None
        self.config = config or os.path.join(self.tmp, "etc", "ipsec6.conf")
        self.sock = sock or os.path.join(self.tmp, "run", "ipsec6.sock")
        self.log = os.path.join(self.tmp, "daemon.log")
        self.args = list(args)
        self.env = dict(env or {})  # added to the daemon's environment
        self.proc = None

    def argv(self):
        return [IPSEC6D, "--foreground", "--no-dataplane", "--config", self.config,
                "--socket", self.sock] + self.args

    def start(self, wait=True):
        logf = open(self.log, "a")
        self.proc = subprocess.Popen(self.argv(), stdout=logf, stderr=logf,
                                     env=dict(os.environ, **self.env))
        logf.close()
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout=20.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                fail("ipsec6d exited with %s; log:\n%s" % (self.proc.returncode, self.log_text()))
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.sock)
                s.close()
                return
            except OSError:
                time.sleep(0.01)
        fail("ipsec6d did not start serving %s" % self.sock)

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self):
        """SIGTERM; the daemon must exit 0 and remove its socket."""
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(timeout=20)
        self.proc = None
        check(rc == 0, "ipsec6d exited %d on SIGTERM; log:\n%s" % (rc, self.log_text()))
        check(not os.path.exists(self.sock), "socket left behind after SIGTERM")

    def kill(self):
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=20)
            self.proc = None

    def restart(self):
        self.stop()
        return self.start()

    def log_text(self):
        try:
            with open(self.log) as f:
                return f.read()
        except OSError:
            return ""

    def request(self, text, timeout=30.0):
        return request(self.sock, text, timeout)

    def ok(self, text):
        return ok(self.sock, text)

    def file_bytes(self):
        with open(self.config, "rb") as f:
            return f.read()

    def cleanup(self):
        self.kill()
        if self.own_tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cleanup()
        return False
