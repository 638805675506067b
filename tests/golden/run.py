#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Golden tests of the ipsec6 CLI: run transcripts against a real ipsec6d.

Usage: run.py IPSEC6 IPSEC6D CASE.t [CASE.t ...]      (UPDATE=1 rewrites the transcripts)

A transcript is a list of commands and what each must print, run in order against one
daemon (started fresh for each file with --foreground --no-dataplane, in a temporary
directory that is also the commands' working directory):

    # a comment                      kept as it is
    $ esxcli network ip ipsec sa list   a command: shell words; leading VAR=value set the
                                     environment; the program is ipsec6, esxcli or
                                     vicfg-ipsec (symlinks to the binary under test)
    < text                           a line of the command's standard input
    | text                           a line it must print on standard output ("|" alone:
                                     an empty line)
    ! text                           a line it must print on standard error
    ? 1                              the exit status it must return
    %file NAME                       the "<" lines that follow are written to NAME
    %restart                         stop the daemon and start it again on the same files

With UPDATE=1 the "|", "!" and "?" lines are rewritten from what the commands did: review
every change by eye (git diff) -- a golden file states what a user must see.
"""

import difflib
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

NAMES = ("ipsec6", "esxcli", "vicfg-ipsec")
SOCKET = "run/ipsec6.sock"  # relative: the transcripts must not depend on the temp dir
CONFIG = "ipsec6.conf"


class Daemon:
    def __init__(self, binary, workdir):
        self.binary = binary
        self.workdir = workdir
        self.proc = None
        self.log = open(os.path.join(workdir, "ipsec6d.log"), "ab")

    def start(self):
        self.proc = subprocess.Popen(
            [self.binary, "--foreground", "--no-dataplane", "--config", CONFIG,
             "--socket", SOCKET],
            cwd=self.workdir, stdout=self.log, stderr=self.log)
        path = os.path.join(self.workdir, SOCKET)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("ipsec6d exited with status %d" % self.proc.returncode)
            if os.path.exists(path):
                try:
                    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                        s.connect(path)
                    return
                except OSError:
                    pass
            time.sleep(0.01)
        raise RuntimeError("ipsec6d did not open its socket")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


def parse(path):
    """The transcript as a list of items: ('text', line) kept verbatim, ('cmd', dict)."""
    items = []
    cmd = None
    pending_file = None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for line in lines:
        tag, rest = line[:1], line[2:] if len(line) > 1 else ""
        if line.startswith("$ "):
            cmd = {"line": line[2:], "stdin": [], "out": [], "err": [], "status": None}
            pending_file = None
            items.append(("cmd", cmd))
        elif line.startswith("%file "):
            pending_file = {"name": line[6:], "lines": []}
            cmd = None
            items.append(("file", pending_file))
        elif line == "%restart":
            cmd = None
            pending_file = None
            items.append(("restart", None))
        elif tag == "<" and pending_file is not None:
            pending_file["lines"].append(rest)
        elif tag == "<" and cmd is not None:
            cmd["stdin"].append(rest)
        elif tag == "|" and cmd is not None:
            cmd["out"].append(rest)
        elif tag == "!" and cmd is not None:
            cmd["err"].append(rest)
        elif tag == "?" and cmd is not None:
            cmd["status"] = int(line[2:])
        else:
            if line.strip() and not line.startswith("#"):
                raise ValueError("%s: cannot read line: %r" % (path, line))
            items.append(("text", line))
            cmd = None
            pending_file = None
    return items


def split_output(data):
    text = data.decode("utf-8", "replace")
    if text == "":
        return []
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    else:
        lines.append("\\ no newline at end")
    return lines


def run_command(cmd, bindir, workdir):
    words = shlex.split(cmd["line"])
    env = {"PATH": bindir, "LC_ALL": "C", "IPSEC6_SOCKET": SOCKET}
    for name in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if name in os.environ:
            env[name] = os.environ[name]
    while words and "=" in words[0] and not words[0].startswith("-"):
        key, _, value = words.pop(0).partition("=")
        env[key] = value
    if not words or words[0] not in NAMES:
        raise ValueError("not one of %s: %s" % (", ".join(NAMES), cmd["line"]))
    words[0] = os.path.join(bindir, words[0])
    stdin = "".join(l + "\n" for l in cmd["stdin"]).encode()
    proc = subprocess.run(words, input=stdin, capture_output=True, cwd=workdir, env=env,
                          timeout=60)
    return split_output(proc.stdout), split_output(proc.stderr), proc.returncode


def render(items):
    out = []
    for kind, item in items:
        if kind == "text":
            out.append(item)
        elif kind == "restart":
            out.append("%restart")
        elif kind == "file":
            out.append("%file " + item["name"])
            out.extend("< " + l if l else "<" for l in item["lines"])
        else:
            out.append("$ " + item["line"])
            out.extend("< " + l if l else "<" for l in item["stdin"])
            out.extend("| " + l if l else "|" for l in item["out"])
            out.extend("! " + l if l else "!" for l in item["err"])
            out.append("? %d" % item["status"])
    return "\n".join(out) + "\n"


def run_file(path, ipsec6, ipsec6d, update):
    items = parse(path)
    workdir = tempfile.mkdtemp(prefix="ipsec6-golden-")
    bindir = os.path.join(workdir, "bin")
    os.mkdir(bindir)
    for name in NAMES:
        os.symlink(os.path.abspath(ipsec6), os.path.join(bindir, name))
    daemon = Daemon(os.path.abspath(ipsec6d), workdir)
    failures = 0
    try:
        daemon.start()
        for kind, item in items:
            if kind == "file":
                with open(os.path.join(workdir, item["name"]), "w") as f:
                    f.write("".join(l + "\n" for l in item["lines"]))
                continue
            if kind == "restart":
                daemon.stop()
                daemon.start()
                continue
            if kind != "cmd":
                continue
            out, err, status = run_command(item, bindir, workdir)
            want = (item["out"], item["err"], item["status"])
            if (out, err, status) != want:
                failures += 1
                if not update:
                    report(path, item, want, (out, err, status))
            item["out"], item["err"], item["status"] = out, err, status
    finally:
        daemon.stop()
        keep = failures and not update
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print("%s: work directory kept in %s" % (path, workdir))
    if update:
        new = render(items)
        with open(path, encoding="utf-8") as f:
            old = f.read()
        if new != old:
            with open(path, "w", encoding="utf-8") as f:
                f.write(new)
            print("%s: updated" % path)
        return 0
    return failures


def report(path, item, want, got):
    def block(out, err, status):
        return (["| " + l for l in out] + ["! " + l for l in err] +
                ["? %s" % status])

    print("FAIL %s: $ %s" % (path, item["line"]))
    for line in difflib.unified_diff(block(*want), block(*got), "expected", "actual",
                                     lineterm=""):
        print("    " + line)


def main():
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    ipsec6, ipsec6d, cases = sys.argv[1], sys.argv[2], sys.argv[3:]
    update = os.environ.get("UPDATE") == "1"
    commands = failures = 0
    for path in cases:
        failures += run_file(path, ipsec6, ipsec6d, update)
        commands += sum(1 for kind, _ in parse(path) if kind == "cmd")
    print("%d commands, %d failed" % (commands, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
