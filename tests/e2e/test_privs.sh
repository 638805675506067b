#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Least privilege, read from the kernel: once set up, every thread of ipsec6d (control and
# packet threads) runs as --user's uid and gid, with CAP_NET_ADMIN and CAP_NET_RAW only (in the
# effective, permitted and bounding sets; none inheritable or ambient), no_new_privs and a
# seccomp filter (/proc/PID/task/TID/status). So run, it still does its work: traffic through
# the SAs, changes written to its file, a reload, a clean stop that removes its socket and
# firewall table. Without --user it stays root but with the same two capabilities. A call off
# the allow-list (the test-only fault "syscall") ends it by SIGSYS with a log line, and its
# policies stay enforced by the table it leaves. Bad --user values are refused at start.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh" "$1"

NOBODY=$(id -u nobody)
NOGROUP=$(id -g nobody)
CAPS=0000000000003000 # CAP_NET_ADMIN (12) and CAP_NET_RAW (13)

# status_all PID FIELD: FIELD's value in the status of every thread of PID, one line each
status_all() {
	local t
	for t in /proc/"$1"/task/*; do
		sed -n "s/^$2:\t//p" "$t/status"
	done
}

# threads_have PID FIELD VALUE: every thread of PID (there are several) shows VALUE for FIELD
threads_have() {
	local n lines
	lines=$(status_all "$1" "$2")
	n=$(wc -l <<<"$lines")
	printf '%s\n' "$lines"
	[ "$n" -ge 3 ] || { echo "only $n threads"; return 1; }
	[ -z "$(grep -vxF -- "$3" <<<"$lines")" ] || { echo "not all $2 are '$3'"; return 1; }
}

# privileged PID UID GID: the whole picture for one daemon
privileged() {
	threads_have "$1" Uid "$2	$2	$2	$2" && threads_have "$1" Gid "$3	$3	$3	$3" &&
	    threads_have "$1" CapEff "$CAPS" && threads_have "$1" CapPrm "$CAPS" &&
	    threads_have "$1" CapBnd "$CAPS" && threads_have "$1" CapInh 0000000000000000 &&
	    threads_have "$1" CapAmb 0000000000000000 && threads_have "$1" NoNewPrivs 1 &&
	    threads_have "$1" Seccomp 2
}

two_hosts
E2E_USER=nobody daemon_start a
E2E_USER="" daemon_start b
check "A's daemon and packet threads: uid and gid nobody, 2 capabilities, no_new_privs, seccomp" \
    privileged "$E2E_PID_a" "$NOBODY" "$NOGROUP"
check "B's, without --user: root, with the same 2 capabilities, no_new_privs, seccomp" \
    privileged "$E2E_PID_b" 0 0

configure_pair aes128-cbc hmac-sha1
check "A's changes went to its file, written as nobody" \
    is "$(stat -c %u "$E2E_TMP/a.conf")" = "$NOBODY"
check "ping A -> B through the SAs" on a ping -6 -c 3 -i 0.2 -W 2 "$B"
check "sa_out counted the packets" is "$(sa_counter a sa_out packets-out)" -ge 3
kill -HUP "$E2E_PID_a"
check "a reload as nobody reads its file" logged a "reloaded the configuration: 2 SAs, 2 policies"
check "still running as nobody with its 2 capabilities after the reload" \
    privileged "$E2E_PID_a" "$NOBODY" "$NOGROUP"
daemon_stop a TERM
check "a clean stop as nobody: exit status 0" is "$E2E_STATUS" -eq 0
check "and its socket removed" not test -e "$E2E_TMP/a.sock"
check "and its firewall table" lacks ipsec6 on a nft list tables

# A forbidden call ends the daemon: SIGSYS, and the log says which call.
echo syscall >"$E2E_TMP/faults"
IPSEC6D_WRAPPER=(env IPSEC6D_FAULTS="$E2E_TMP/faults")
E2E_USER=nobody daemon_start a
IPSEC6D_WRAPPER=()
# killed_by_seccomp: ipsec6d ends within a few seconds, by SIGSYS (exit status 128 + 31)
killed_by_seccomp() {
	timeout 10 tail --pid="$E2E_PID_a" -f /dev/null || return 1
	E2E_STATUS=0
	wait "$E2E_PID_a" || E2E_STATUS=$?
	is "$E2E_STATUS" = 159
}
check "a call off the allow-list kills ipsec6d with SIGSYS" killed_by_seccomp
check "and the log names the call" \
    has "^ipsec6d: seccomp: system call [0-9]+ is not allowed: stopping$" cat "$E2E_TMP/a.log"
check "its firewall table stays, enforcing its policies" has ipsec6 on a nft list tables
capture_start b veth-b "$E2E_TMP/killed.pcap"
on a ping -6 -c 3 -i 0.2 -W 1 "$B" >/dev/null 2>&1 || true
capture_stop
check "nothing in the clear from A once it is gone" \
    is "$(count "$E2E_TMP/killed.pcap" 'icmpv6.type == 128')" -eq 0

# Refused at start, with the reason.
# refused ARGS... PATTERN: ipsec6d exits non-zero and says PATTERN
refused() {
	local pattern=${!#} out rc=0
	out=$(on a "$IPSEC6D" --foreground --config "$E2E_TMP/r/ipsec6.conf" \
	    --socket "$E2E_TMP/r/ipsec6.sock" --tun refused0 "${@:1:$#-1}" 2>&1) || rc=$?
	printf '%s\n' "$out"
	[ "$rc" -ne 0 ] && grep -Eq -- "$pattern" <<<"$out"
}
mkdir -p "$E2E_TMP/r"
check "--user of no such user" refused --user no-such-user-i6 "--user no-such-user-i6: no such user"
chmod 0700 "$E2E_TMP/r"
check "--user whose configuration directory it cannot write" \
    refused --user nobody "/r/ipsec6.conf: Permission denied, as uid $NOBODY with CAP_NET_ADMIN and CAP_NET_RAW only"
e2e_done
