#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The manual pages: clean under mandoc's strictest lint, and saying what the programs do, so
that they cannot silently drift from the tables the programs are built from.

Usage: test_man.py lint DIR                  mandoc -Tlint -W all on every page in DIR
       test_man.py options DIR IPSEC6 IPSEC6D  every namespace, command, option and fixed
                                              value of the CLI (its completion mode lists
                                              them from lib/cmd_opts.c and the other tables),
                                              and every option and default of `ipsec6d
                                              --help`, in the page that documents it
"""

import os
import re
import shutil
import subprocess
import sys

PAGES = ("ipsec6.8", "ipsec6d.8", "ipsec6.conf.5")

# The one message lint may give, and why: mandoc looks a cross-reference up among the manuals
# installed on the machine, where these pages are only once installed (together), and where
# the others may not be (manpages-dev, or no manuals at all in a minimal system). That says
# nothing about the page; any other reference (a typo) is still an error.
XREFS = {"ipsec6 8", "ipsec6d 8", "ipsec6.conf 5", "tshark 1", "sh 1", "ptrace 2", "seccomp 2",
         "syslog 3", "systemd.exec 5", "ip-xfrm 8", "nft 8"}
ALLOWED = re.compile(r"STYLE: referenced manual not found: Xr (?P<xr>\S+ \d)")
MESSAGE = re.compile(r"^mandoc: (?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<level>[A-Z]+): (?P<text>.*)$")


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def allowed(message):
    m = ALLOWED.match(message)
    return m is not None and m["xr"] in XREFS


def lint(mandir):
    mandoc = shutil.which("mandoc")
    if mandoc is None:
        fail("mandoc is not installed (scripts/deps.sh installs it)")
    bad = []
    for page in PAGES:
        path = os.path.join(mandir, page)
        r = subprocess.run([mandoc, "-Tlint", "-W", "all", path], capture_output=True, text=True)
        messages = [m for m in (MESSAGE.match(line) for line in (r.stdout + r.stderr).splitlines()) if m]
        bad += ["%s:%s: %s: %s" % (page, m["line"], m["level"], m["text"])
                for m in messages if not allowed("%s: %s" % (m["level"], m["text"]))]
        # The page renders, and says something.
        out = subprocess.run([mandoc, "-Tascii", path], capture_output=True, text=True)
        text = re.sub(".\x08", "", out.stdout)  # overstrike: bold and underline
        if out.returncode != 0 or "NAME" not in text or len(text) < 2000:
            bad.append("%s does not render: %s" % (page, out.stderr))
    if bad:
        fail("mandoc -Tlint -W all:\n  " + "\n  ".join(bad))
    print("lint: %d pages clean" % len(PAGES))


def source(mandir, page):
    """The page's text, with the zero-width escapes that keep punctuation literal removed."""
    with open(os.path.join(mandir, page)) as f:
        return f.read().replace("\\&", "")


def complete(ipsec6, *words):
    """What the CLI's completion mode offers after WORDS (the last one being completed)."""
    env = dict(os.environ, IPSEC6_SOCKET="/nonexistent/ipsec6.sock")
    r = subprocess.run([ipsec6, "--complete", "--", *words], capture_output=True, text=True,
                       env=env, timeout=30)
    if r.returncode != 0:
        fail("ipsec6 --complete -- %s: exit %d" % (" ".join(words), r.returncode))
    return r.stdout.split()


def has_flag(text, name):
    """`Fl -name` or `Fl x` as a whole word in the page source (also as an alternative:
    `Fl -help | -version`)."""
    return re.search(r"\bFl (?:[^\n]* \| )?" + re.escape(name) + r"(?![\w-])", text) is not None


def has_cm(text, word):
    return re.search(r"\bCm (?:[^\n]* )?" + re.escape(word) + r"(?![\w-])", text) is not None


def check_cli(mandir, ipsec6):
    page = source(mandir, "ipsec6.8")
    conf = source(mandir, "ipsec6.conf.5")
    missing = []
    # Namespaces and commands, under each grammar.
    for words in (("ipsec6", ""), ("ipsec6", "sa", ""), ("ipsec6", "sp", ""), ("esxcli", ""),
                  ("esxcli", "network", ""), ("esxcli", "network", "ip", ""),
                  ("esxcli", "network", "ip", "ipsec", "")):
        missing += ["command word %r" % w for w in complete(ipsec6, *words) if not has_cm(page, w)]
    # Options: the global ones, every command's, vicfg-ipsec's.
    commands = [("sa", "add"), ("sa", "remove"), ("sp", "add"), ("sp", "remove"), ("sa", "export")]
    option_sets = [("ipsec6", "-"), ("vicfg-ipsec", "--")]
    option_sets += [("ipsec6",) + c + ("--",) for c in commands]
    option_sets += [("esxcli", "network", "ip", "ipsec") + c + ("--",) for c in commands[:4]]
    seen = 0
    for words in option_sets:
        for opt in complete(ipsec6, *words):
            seen += 1
            if not has_flag(page, opt[1:]):
                missing.append("option %s (%s)" % (opt, " ".join(words[:-1])))
    if seen < 40:
        fail("the completion mode listed only %d options: is it broken?" % seen)
    # Short names, as the help pages pair them with the long ones.
    for words in (("sa", "add"), ("sa", "remove"), ("sp", "add"), ("sp", "remove"), ()):
        env = dict(os.environ, IPSEC6_SOCKET="/nonexistent/ipsec6.sock")
        out = subprocess.run([ipsec6, *words, "--help"], capture_output=True, text=True, env=env).stdout
        for short, long in re.findall(r"^\s+-(.)\|--([a-z0-9-]+)", out, re.M):
            if not re.search(r"\bFl " + re.escape(short) + r" , Fl -" + re.escape(long) + r"\b", page):
                missing.append("-%s, --%s paired (%s)" % (short, long, " ".join(words) or "global"))
    # The fixed values of every option that has them.
    for cmd, opts in ((("sa", "add"), ("--encryption-algorithm", "--integrity-algorithm", "--sa-mode")),
                      (("sp", "add"), ("--action", "--flow-direction", "--upper-layer-protocol",
                                       "--sp-mode", "--source-port", "--sp-source"))):
        for opt in opts:
            for value in complete(ipsec6, "ipsec6", *cmd, opt, ""):
                if not has_cm(page, value):
                    missing.append("value %s of %s" % (value, opt))
    for value in complete(ipsec6, "ipsec6", "--formatter", ""):
        if not has_cm(page, value):
            missing.append("formatter %s" % value)
    # The configuration file takes the daemon's options of each command (--help is the CLI's).
    for cmd in commands[:4]:
        for opt in complete(ipsec6, "ipsec6", *cmd, "--"):
            if opt != "--help" and not has_flag(conf, opt[1:]):
                missing.append("ipsec6.conf(5): option %s of %s" % (opt, " ".join(cmd)))
    return missing


def check_daemon(mandir, ipsec6d):
    page = source(mandir, "ipsec6d.8")
    out = subprocess.run([ipsec6d, "--help"], capture_output=True, text=True).stdout
    opts = re.findall(r"^\s+(--[a-z][a-z0-9-]*)", out, re.M)
    if len(opts) < 10:
        fail("ipsec6d --help listed only %r" % opts)
    missing = ["ipsec6d option %s" % o for o in opts if not has_flag(page, o[1:])]
    synopsis = page.split(".Sh DESCRIPTION")[0]
    missing += ["ipsec6d option %s in the SYNOPSIS" % o for o in opts if not has_flag(synopsis, o[1:])]
    # Every default path it states, where the page says what that option defaults to.
    for path in re.findall(r"\(default (/[^)\s]+)\)", out):
        if not re.search(r"\.Pa " + re.escape(path) + r"\b", page):
            missing.append("ipsec6d default %s" % path)
    return missing


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "lint":
        lint(sys.argv[2])
    elif len(sys.argv) == 5 and sys.argv[1] == "options":
        missing = check_cli(sys.argv[2], sys.argv[3]) + check_daemon(sys.argv[2], sys.argv[4])
        if missing:
            fail("not in the manual pages:\n  " + "\n  ".join(missing))
        print("options: every one documented")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
