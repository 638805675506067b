#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# No change is acknowledged that is not in force. While A pings B through their SAs, changes on
# A meet failures, injected where they cannot be had for real (IPSEC6D_FAULTS, doc/ipsec6d.md)
# and real where they can:
# - nftables refuses the steering rules (the script gets a line nftables really refuses), and
#   the data path's snapshot is not allocated: the change (sp_out replaced by a discard policy)
#   is refused with the reason, the state, the file and the rules in force stay as they were,
#   and the ping goes on, protected;
# - the configuration file cannot be written (a directory where its temporary file goes) after
#   the change was put in force, and the previous state cannot be put back in force either: the
#   change is refused, ipsec6d fails closed (no ping gets through, nothing leaves in the clear,
#   the drops are counted), and opens again by itself once the state can be put in force;
# - the TUN device is deleted under ipsec6d: it fails closed within a second, refuses changes
#   with the reason, and a restart brings everything back;
# - B's TUN device is down: what B decrypts and cannot deliver is counted (tun-write).
# Throughout, the capture of the link shows the ping only as ESP. Run from a sanitizer build
# (ThreadSanitizer in CI), both daemons' logs hold no report.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh" "$1"

faulty_hosts
configure_pair aes128-cbc hmac-sha1

pcap=$E2E_TMP/wire.pcap
capture_start b veth-b "$pcap"
bg a "$E2E_TMP/ping.log" ping -6 -D -n -i 0.02 "$B"
pinger=$E2E_BG

# flows: the ping gets replies now (more than 10 in the next second)
flows() {
	local t
	t=$(date +%s.%N)
	sleep 1
	is "$(replies_since "$t")" -gt 10
}
# stopped: the ping gets no reply at all for a second
stopped() {
	local t
	t=$(date +%s.%N)
	sleep 1
	is "$(replies_since "$t")" -eq 0
}
check "the ping flows through the SAs" flows

# The change: sp_out replaced by a policy that discards what it protected. In force, it would
# stop the ping.
cat >"$E2E_TMP/change" <<EOF
sp remove --sp-name=sp_out
sp add --sp-name=sp_out --sp-source=$A/128 --sp-destination=$B/128 --flow-direction=out --action=discard
EOF
# refused TEXT: the change is refused (exit status 1) with a message holding TEXT
refused() {
	local out
	if out=$(cli a ipsec6 -f "$E2E_TMP/change" 2>&1); then
		echo "accepted: $out"
		return 1
	fi
	note "refused: $out"
	case $out in *"$1"*) return 0 ;; esac
	echo "not the reason expected: $1"
	return 1
}
# rules: the steering rules of A's policies as the kernel has them (counts left out)
rules() {
	on a nft list table ip6 ipsec6 | grep 'comment "sp_' | sed 's/packets [0-9]* bytes [0-9]* //'
}
sa0=$(cli a ipsec6 sa list)
sp0=$(cli a ipsec6 sp list)
rules0=$(rules)
cp "$CONF" "$E2E_TMP/conf0"
# unchanged: the state, the file and the rules in force are what they were
unchanged() {
	[ "$(cli a ipsec6 sa list)" = "$sa0" ] && [ "$(cli a ipsec6 sp list)" = "$sp0" ] &&
	    cmp "$CONF" "$E2E_TMP/conf0" && [ "$(rules)" = "$rules0" ] && [ -n "$rules0" ]
}

echo nft >"$FAULTS"
check "nftables refuses the rules: the change is refused, with nftables' reason" \
    refused "nftables refused the rules: Error:"
check "nftables refuses: state, file and rules unchanged" unchanged
check "nftables refuses: the ping goes on" flows

echo snapshot >"$FAULTS"
check "no memory for the snapshot: the change is refused, with the reason" \
    refused "out of memory for the data path's snapshot"
check "no memory for the snapshot: state, file and rules unchanged" unchanged
check "no memory for the snapshot: the ping goes on" flows
check "no failure so far made A fail closed" lacks 'failing closed' cat "$E2E_TMP/a.log"

# In force, then the file cannot be written: the change is withdrawn; its withdrawal fails too
# (the snapshot of the previous state, three times: the first publish and two retries).
mkdir "$CONF.tmp"
echo "snapshot 3 1" >"$FAULTS"
closed0=$(drops a "" fail-closed)
matches0=$(sp_matches a sp_out)
check "unwritable file: the change is refused, with the reason" refused "cannot save"
check "unwritable file, previous state not in force: A fails closed" \
    logged a 'failing closed (out of memory'
same_state() { [ "$(cli a ipsec6 sp list)" = "$sp0" ] && cmp "$CONF" "$E2E_TMP/conf0"; }
check "failed closed: the state is what it was" same_state
check "failed closed: the ping gets no reply" stopped
# all_drop: the rules of A's policies (both) each drop and count
all_drop() {
	rules | sed 's/^/  /' >&3
	is "$(rules | wc -l)" -eq 2 &&
	    is "$(rules | grep -vc 'counter name "sp_[0-9a-f]*" drop comment')" -eq 0
}
check "failed closed: every rule of A's policies drops, and counts" all_drop
check "failed closed: the ping's packets are counted where they were stopped" \
    is "$(($(sp_matches a sp_out) - matches0 + $(drops a "" fail-closed) - closed0))" -gt 20
rmdir "$CONF.tmp"
reopened() { logged a 'open again' && unchanged && flows; }
check "A opens again by itself once the state can be put in force; the ping flows" reopened
check "a change after that is in force and acknowledged" \
    cli a esxcli network ip ipsec sp add --sp-name sp_x --sp-source "$A/128" \
    --sp-destination 2001:db8:9::/64 --flow-direction out --action discard

# The TUN device deleted under ipsec6d.
on a ip link del ipsec6
check "TUN device deleted: A fails closed within a second or two" \
    logged a "failing closed (the TUN device ipsec6 is gone"
check "TUN device deleted: the ping gets no reply" stopped
check "TUN device deleted: a change is refused, with the reason" \
    refused "the TUN device ipsec6 is gone: restart ipsec6d"
check "TUN device deleted: stats still answer" has '^type=sa' stats a
# A clean stop lifts the protection (doc/ipsec6d.md): the ping pauses meanwhile.
kill "$pinger"
wait "$pinger" 2>/dev/null || true
daemon_stop a TERM
check "TUN device deleted: SIGTERM, exit status 0" is "$E2E_STATUS" -eq 0
daemon_start a
bg a "$E2E_TMP/ping.log" ping -6 -D -n -i 0.02 "$B"
pinger=$E2E_BG
check "restarted: the ping flows again" flows

# B cannot hand what it decrypts to its TUN device: while it is down, what B decrypted is
# counted as tun-write, until B notices (once a second) and fails closed; back up, B opens again.
tun0=$(drops b "" tun-write)
closed0=$(drops b "" fail-closed)
in0=$(sa_counter b sa_in packets-in)
on b ip link set ipsec6 down
sleep 1.5
undelivered() {
	local w=$(($(drops b "" tun-write) - tun0)) c=$(($(drops b "" fail-closed) - closed0))
	local d=$(($(sa_counter b sa_in packets-in) - in0))
	note "B decrypted $d packets, could not deliver $w of them, dropped $c unread (closed)"
	is "$w" -le "$d" && is $((w + c)) -gt 20
}
check "B's TUN device down: every packet B could not deliver is counted" undelivered
check "B's TUN device down: B fails closed" \
    logged b 'failing closed (the TUN device ipsec6 is down)'
on b ip link set ipsec6 up
reopened_b() { logged b 'open again' && flows; }
check "B's TUN device up again: B opens, the ping flows" reopened_b

kill "$pinger"
wait "$pinger" 2>/dev/null || true
capture_stop
check "the link never carried the ping in the clear" protected_only "$pcap" 500
stopped_clean a b
e2e_done
