#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fail closed: while a ping (every 10 ms) and a TCP stream run A -> B, ipsec6d on A is killed
# with SIGKILL. The capture of the link never shows a clear packet of those flows; while the
# daemon is dead the traffic stops (its steering table and blackhole route stay); restarted with
# the same configuration, the traffic resumes and `sa list` is what it was. Then a clean stop
# (SIGTERM): exit status 0, the table, the rule, the routes and the TUN device are gone, and the
# log says so.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh" "$1"

PORT=6000
two_hosts
daemon_start a
daemon_start b
configure_pair aes128-cbc hmac-sha1

# rx_bytes: what B's end of the stream has received so far; nothing when the connection is not
# established (a comparison with it then fails)
rx_bytes() {
	on b ss -tinH state established "( sport = :$PORT )" |
	    awk 'match($0, /bytes_received:[0-9]+/) && !done { print substr($0, RSTART + 15,
		RLENGTH - 15); done = 1 }'
}

pcap=$E2E_TMP/wire.pcap
capture_start b veth-b "$pcap"
bg b "$E2E_TMP/sink.log" socat -u "TCP6-LISTEN:$PORT,reuseaddr" OPEN:/dev/null
wait_listen b $PORT tcp
# A stream of about 6 MB/s: steady, without filling both cores.
bg a "$E2E_TMP/stream.log" "$PY" -c 'import socket, sys, time
s = socket.create_connection((sys.argv[1], int(sys.argv[2])))
buf = bytes(65536)
while True:
    s.sendall(buf)
    time.sleep(0.01)' "$B" $PORT
stream=$E2E_BG
bg a "$E2E_TMP/ping.log" ping -6 -D -n -i 0.01 "$B"
pinger=$E2E_BG
sleep 1
check "before: the stream flows" is "$(rx_bytes)" -gt 1000000
check "before: ping gets replies" is "$(replies_since 0)" -gt 20
sa_before=$(cli a esxcli network ip ipsec sa list)

daemon_stop a KILL
check "SIGKILL: ipsec6d on A died of it" is "$E2E_STATUS" -eq 137
sleep 0.5
dead_rx=$(rx_bytes)
dead_t=$(date +%s.%N)
check "dead: the steering table stays" on a nft list table ip6 ipsec6
check "dead: the blackhole route stays" \
    has '^blackhole default ' on a ip -6 route show table 6936 type blackhole
# no_answer: a ping that did send (not one that could not run) got no reply
no_answer() {
	local out rc=0
	out=$(on a ping -6 -c 2 -i 0.2 -W 1 "$B" 2>&1) || rc=$?
	echo "$out (exit status $rc)"
	[ "$rc" -eq 1 ] && grep -Eq '^[1-9][0-9]* packets transmitted, 0 received' <<<"$out"
}
check "dead: a protected ping gets no answer" no_answer
sleep 1
check "dead: the stream stopped" is "$(rx_bytes)" -eq "$dead_rx"
no_replies() { is "$(replies_since "$dead_t")" -eq 0 && kill -0 "$pinger"; }
check "dead: ping got no replies (and still runs)" no_replies

restart_t=$(date +%s.%N)
restart_rx=$(rx_bytes)
replay0=$(drops b sa_in replay) # before A sends again
daemon_start a
resumed() {
	local i
	for i in $(seq 100); do
		[ "$(rx_bytes)" -gt $((restart_rx + 1000000)) ] &&
		    [ "$(replies_since "$restart_t")" -gt 20 ] && break
		sleep 0.2
	done
	note "after the restart: $(($(rx_bytes) - restart_rx)) bytes more," \
	    "$(replies_since "$restart_t") echo replies"
	is "$(rx_bytes)" -gt $((restart_rx + 1000000)) && is "$(replies_since "$restart_t")" -gt 20
}
check "restarted: the stream and the ping resume" resumed
# RFC 4303 section 3.3.3: a sender never reuses a sequence number under one SA; had A started
# its SAs again at 1, B would take the new packets for replays.
check "restarted: B took none of A's new packets for a replay" \
    is "$(drops b sa_in replay)" -eq "$replay0"
check "restarted: the stream's TCP connection survived" kill -0 "$stream"
check "restarted: sa list unchanged" [ "$(cli a esxcli network ip ipsec sa list)" = "$sa_before" ]
kill "$pinger" "$stream"
wait "$pinger" "$stream" || true
capture_stop
check "the link never carried the ping or the stream in the clear" protected_only "$pcap" 1000
check "tshark decrypts every ESP packet, ICV good" tshark_all_good a "$pcap"
note "A's stats: $(stats a | grep '^type=sa' | tr '\t' ' ' | tr '\n' ';')"
note "B's stats: $(stats b | grep -v '^type=sp' | tr '\t' ' ' | tr '\n' ';')"

daemon_stop a TERM
check "SIGTERM: ipsec6d exits with status 0" is "$E2E_STATUS" -eq 0
check "clean stop: no nftables table left" empty on a nft list tables
check "clean stop: no fwmark rule left" lacks fwmark on a ip -6 rule
# no_routes_left: the routes of every table but the veth's and the local table's, from a listing
# that has the veth's (so it is A's, and complete)
no_routes_left() {
	local all left
	all=$(on a ip -6 route show table all) || { echo "cannot list A's routes"; return 1; }
	grep -q 'dev veth-a' <<<"$all" || { echo "no route of veth-a in: $all"; return 1; }
	left=$(grep -v 'table local\|dev veth-a' <<<"$all") || true # status 1: none left
	[ -z "$left" ] || { echo "$left"; return 1; }
}
check "clean stop: no route left in ipsec6d's table" no_routes_left
# tun_gone: the device does not exist (not: ip failed for another reason)
tun_gone() {
	local out
	out=$(on a ip link show ipsec6 2>&1) && { echo "$out"; return 1; }
	has 'does not exist' echo "$out"
}
check "clean stop: no TUN device left" tun_gone
check "clean stop: the log says so" grep -q 'data path stopped: TUN device, steering table' \
    "$E2E_TMP/a.log"
e2e_done
