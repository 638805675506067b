#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The bash completion, driven through bash's own completion machinery for each of the three
names: bash sources the shim (alone, and through the bash-completion package's loader, which
finds the esxcli and vicfg-ipsec names as symlinks), the test sets COMP_WORDS, COMP_CWORD,
COMP_LINE and COMP_POINT as readline would and calls the function `complete -p NAME`
registered, then reads COMPREPLY. The SA and policy names come from an ipsec6d the test
starts on a private socket.

Usage: test_completion.py SHIM IPSEC6 IPSEC6D
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "daemon"))
import daemonlib  # noqa: E402
from daemonlib import check, fail  # noqa: E402

BASH_COMPLETION = "/usr/share/bash-completion/bash_completion"
ENC = ["null", "3des-cbc", "aes128-cbc", "aes256-cbc", "aes128-gcm16", "aes256-gcm16"]
AUTH = ["hmac-sha1", "hmac-sha2-256", "hmac-sha2-384", "hmac-sha2-512"]

# One bash run: register the completion, then for each line print the candidates.
DRIVER = r'''
set -u
case $MODE in
shim) source "$SHIM" ;;
loader)
	# bash-completion's loader finds a command's file by the command's name, here in the
	# user directory laid out as meson installs it.
	source "$BASH_COMPLETION"
	;;
esac
complete_line()
{
	local line=$1 spec fn
	COMP_LINE=$line
	COMP_POINT=${#line}
	# COMP_WORDS as readline splits the line (COMP_WORDBREAKS: '=' and ':' end words too).
	COMP_WORDS=()
	local rest=$line word
	while [[ $rest =~ ^[[:space:]]*([^[:space:]=:]+|[=:]+) ]]; do
		word=${BASH_REMATCH[1]}
		COMP_WORDS+=("$word")
		rest=${rest:${#BASH_REMATCH[0]}}
	done
	[[ $line =~ [[:space:]]$ || ${#COMP_WORDS[@]} -eq 0 ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_TYPE=9
	COMP_KEY=9
	spec=$(complete -p "${COMP_WORDS[0]}" 2>/dev/null)
	if [[ -z $spec && $MODE == loader ]]; then
		# What bash does for a command without a spec: the default (-D) function loads one.
		fn=$(complete -p -D | sed -n 's/.*-F \([^ ]*\).*/\1/p')
		"$fn" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		spec=$(complete -p "${COMP_WORDS[0]}" 2>/dev/null)
	fi
	fn=$(sed -n 's/.*-F \([^ ]*\).*/\1/p' <<<"$spec")
	COMPREPLY=()
	"$fn" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}" "---$fn"
}
while IFS= read -r line; do
	complete_line "$line"
done
'''


class Bash:
    def __init__(self, tmp, shim, sock):
        self.env = dict(os.environ)
        self.env["PATH"] = os.path.join(tmp, "bin") + ":" + os.environ.get("PATH", "/usr/bin:/bin")
        self.env["IPSEC6_SOCKET"] = sock
        self.env["SHIM"] = shim
        self.env["BASH_COMPLETION"] = BASH_COMPLETION
        self.env["BASH_COMPLETION_USER_DIR"] = os.path.join(tmp, "bash-completion")
        self.env["HOME"] = tmp

    def complete(self, lines, mode="shim", env=None):
        """The candidates for each line (the cursor at its end), as a list of lists."""
        e = dict(self.env, MODE=mode, **(env or {}))
        r = subprocess.run(["bash", "--norc", "--noprofile", "-c", DRIVER], input="\n".join(lines) + "\n",
                           env=e, capture_output=True, text=True, timeout=120)
        check(r.returncode == 0, "bash failed (%d): %s" % (r.returncode, r.stderr))
        out, cur = [], []
        for line in r.stdout.split("\n")[:-1]:
            if line.startswith("---"):
                check(line == "---_ipsec6", "the completion function is %r, not _ipsec6" % line[3:])
                out.append(cur)
                cur = []
            else:
                cur.append(line)
        check(len(out) == len(lines), "bash answered %d lines of %d: %s" % (len(out), len(lines), r.stderr))
        return out


def expect(bash, cases, mode="shim", env=None):
    """cases: (line, expected candidates in order, or a set that must be included / excluded)."""
    got = bash.complete([c[0] for c in cases], mode, env)
    for (line, want, *rest), have in zip(cases, got):
        if isinstance(want, list):
            check(have == want, "[%s] (%s): expected %r, got %r" % (line, mode, want, have))
        else:
            check(want <= set(have), "[%s] (%s): %r missing from %r" % (line, mode, want - set(have), have))
        if rest:
            check(not (rest[0] & set(have)), "[%s] (%s): %r must not be offered" % (line, mode, rest[0] & set(have)))


def help_options(ipsec6, env, *words):
    """The long options that `WORDS --help` lists."""
    r = subprocess.run([ipsec6, *words, "--help"], env=env, capture_output=True, text=True)
    check(r.returncode == 0, "%s --help failed" % " ".join(words))
    opts = r.stdout.split("Cmd options:")[1] if "Cmd options:" in r.stdout else r.stdout
    return set(re.findall(r"--([a-z][a-z0-9-]*)", opts))


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    shim, ipsec6, ipsec6d = (os.path.abspath(a) for a in sys.argv[1:])
    daemonlib.IPSEC6D = ipsec6d
    tmp = tempfile.mkdtemp(prefix="ipsec6-completion-")
    d = daemonlib.Daemon(tmp=tmp)
    try:
        os.makedirs(os.path.join(tmp, "bin"))
        comp = os.path.join(tmp, "bash-completion", "completions")
        os.makedirs(comp)
        shutil.copy(shim, os.path.join(comp, "ipsec6"))
        for name in ("ipsec6", "esxcli", "vicfg-ipsec"):
            os.symlink(ipsec6, os.path.join(tmp, "bin", name))
            if name != "ipsec6":
                os.symlink("ipsec6", os.path.join(comp, name))
        d.start()
        for i, name in enumerate(("sa_a", "sa_b")):
            d.ok(daemonlib.sa_line(i, name=name, enc="aes128-cbc", auth="hmac-sha1"))
        d.ok(daemonlib.sp_line("sp_1", sa="sa_a"))
        d.ok(daemonlib.sp_line("sp_2", action="discard"))
        bash = Bash(tmp, shim, d.sock)
        run(bash, ipsec6, d)
        print("ok")
    finally:
        d.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)


def run(bash, ipsec6, d):
    native = [
        ("ipsec6 ", {"network", "sa", "sp", "save", "stats"}, {"add", "list", "remove", "rekey", "export"}),
        ("ipsec6 s", ["sa", "sp", "save", "stats"]),
        ("ipsec6 sa ", ["add", "list", "remove", "rekey", "export"]),
        ("ipsec6 network ip ipsec sp ", ["add", "list", "remove"]),
        ("ipsec6 -", {"--formatter", "--socket", "--file", "--debug", "--help"}),
        ("ipsec6 --formatter=", ["table", "xml", "csv", "keyvalue", "json"]),
        ("ipsec6 --formatter j", ["json"]),
        ("ipsec6 sa add --sa-m", ["--sa-mode"]),
        ("ipsec6 sa add --encryption-algorithm ", ENC),
        ("ipsec6 sa add -e aes128-cbc -i hmac-sha2-", AUTH[1:]),
        ("ipsec6 sa add --esn --e", ["--encapsulation", "--encapsulation-ports",
                                     "--encryption-algorithm", "--encryption-key",
                                     "--encryption-key-file"]),
        ("ipsec6 sa add --encapsulation ", ["none", "udp"]),
        ("ipsec6 sa add --", {"--replay-window", "--esn", "--sa-spi"}),
        ("ipsec6 sa add --sa-mode ", ["transport", "tunnel"]),
        ("ipsec6 sp add --sp-source 2001:db8:1::/48 --act", ["--action"]),
        ("ipsec6 sp add --action ", ["none", "discard", "ipsec"]),
        ("ipsec6 sp add --sa-name ", ["sa_a", "sa_b"]),
        ("ipsec6 sp add --sa-name=sa_", ["sa_a", "sa_b"]),
        ("ipsec6 sp remove --sp-name ", ["sp_1", "sp_2"]),
        ("ipsec6 sp remove -n sp_2 ", {"--remove-all"}, {"--sp-name"}),
        ("ipsec6 sa remove --sa-name ", ["auto", "sa_a", "sa_b"]),
        ("ipsec6 sa list ", ["--help"]),
        ("ipsec6 bogus ", []),
    ]
    esxcli = [
        ("esxcli ", ["network"]),
        ("esxcli network ", ["ip"]),
        ("esxcli network ip ipsec ", ["sa", "sp"]),
        ("esxcli network ip ipsec sa ", ["add", "list", "remove"]),
        ("esxcli network ip ipsec sa add --", {"--sa-source", "--integrity-key"},
         {"--esn", "--replay-window", "--encryption-key-file"}),
        ("esxcli network ip ipsec sa add --encryption-algorithm=aes2", ["aes256-cbc", "aes256-gcm16"]),
        ("esxcli network ip ipsec sa add -i ", AUTH),
        ("esxcli network ip ipsec sa add --encap", ["--encapsulation", "--encapsulation-ports"]),
        ("esxcli network ip ipsec sa add --encapsulation=", ["none", "udp"]),
        ("esxcli network ip ipsec sp add --upper-layer-protocol ", ["any", "tcp", "udp", "icmp6"]),
        ("esxcli network ip ipsec sp add --flow-direction ", ["in", "out"]),
        ("esxcli network ip ipsec sp add --sp-mode=t", ["transport", "tunnel"]),
        ("esxcli network ip ipsec sp add --sa-name s", ["sa_a", "sa_b"]),
        ("esxcli network ip ipsec sa remove -n sa_", ["sa_a", "sa_b"]),
        ("esxcli network ip ipsec sp remove --sp-name=", ["sp_1", "sp_2"]),
    ]
    vicfg = [
        ("vicfg-ipsec --add-sp --d", ["--dst-port", "--dir"]),
        ("vicfg-ipsec --add-sa --ealgo ", ENC),
        ("vicfg-ipsec --add-sa --ialgo=hmac-sha1 --ea", ["--ealgo"]),
        ("vicfg-ipsec --add-sp --ulproto ", ["any", "tcp", "udp", "icmp6"]),
        ("vicfg-ipsec --add-sp --dir ", ["in", "out"]),
        ("vicfg-ipsec --add-sp --sa-name ", ["sa_a", "sa_b"]),
        ("vicfg-ipsec --remove-sa ", ["sa_a", "sa_b"]),
        ("vicfg-ipsec --remove-sp sp", ["sp_1", "sp_2"]),
        ("vicfg-ipsec --list-s", ["--list-sa", "--list-sp"]),
    ]
    for mode in ("shim", "loader"):
        if mode == "loader" and not os.path.exists(BASH_COMPLETION):
            fail("%s is missing: scripts/deps.sh installs bash-completion" % BASH_COMPLETION)
        expect(bash, native + esxcli + vicfg, mode)

    # Completion is the parser's table: every option that a command's help lists is offered.
    env = dict(bash.env)
    for words, prog in ((("sa", "add"), "ipsec6"), (("sp", "add"), "ipsec6"),
                        (("network", "ip", "ipsec", "sa", "add"), "esxcli"),
                        (("network", "ip", "ipsec", "sp", "remove"), "esxcli")):
        listed = help_options(os.path.join(env["PATH"].split(":")[0], prog), env, *words) - {"help"}
        (offered,) = bash.complete(["%s %s --" % (prog, " ".join(words))])
        check(listed and {"--" + o for o in listed} | {"--help"} == set(offered),
              "%s %s: help lists %r, completion offers %r" % (prog, " ".join(words), sorted(listed), offered))

    # The socket named on the line is the one asked.
    (names,) = bash.complete(["ipsec6 --socket %s sp add --sa-name " % d.sock], env={"IPSEC6_SOCKET": "/nonexistent"})
    check(names == ["sa_a", "sa_b"], "--socket on the line: got %r" % names)

    # Without a daemon: no names, nothing else, and no wait.
    d.stop()
    got = bash.complete(["ipsec6 sp add --sa-name ", "vicfg-ipsec --remove-sp ", "esxcli network ip ipsec sa remove -n "])
    check(got == [[], [], ["auto"]], "without a daemon: %r" % got)


if __name__ == "__main__":
    main()
