#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ESP in UDP (RFC 3948, issue 13) between two ipsec6d hosts: transport and tunnel mode with
# --encapsulation=udp, aes128-cbc + hmac-sha1 and aes128-gcm16. Ping works, a TCP transfer
# arrives intact, the link carries the protected flows only as ESP inside UDP from and to port
# 4500 (no plain ESP, nothing in the clear), and tshark decrypts every packet with the SAs of
# `sa export --wireshark`. Inbound enforcement: plain ESP for an SA in UDP, and ESP in UDP for a
# plain SA, are dropped and counted (encap-mismatch), and plaintext that an in-policy protects
# still is dropped; ports other than the SA's likewise. A datagram with a zero SPI (RFC 3948's
# non-ESP marker) and garbage, and a too short one, sent to port 4500 are dropped and counted
# (not-esp), and nothing else can have the port. Runs of ESP packets leave as UDP_SEGMENT
# super-datagrams (and the receiver's UDP_GRO socket takes them whole); SAs on other ports use
# them; an SA that would need more than 16 ports is refused. Fail closed with encapsulation:
# ipsec6d killed, no clear packet leaves and the traffic stops; restarted, it resumes.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh" "$1"

two_hosts
daemon_start a
daemon_start b

MB=${E2E_MB:-20}
head -c $((MB * 1024 * 1024)) /dev/urandom >"$E2E_TMP/file"

# configure_encap HOST ENC AUTH MODE A_EXTRA B_EXTRA: host a's or b's SAs and policies as
# configure_host's, in MODE, each SA with the native options in A_EXTRA (the SA from A to B)
# or B_EXTRA (from B to A), e.g. --encapsulation=udp; "" for none
configure_encap() {
	local h=$1 me=$A peer=$B ab=() ba=()
	[ -n "$5" ] && read -ra ab <<<"$5"
	[ -n "$6" ] && read -ra ba <<<"$6"
	[ "$h" = b ] && me=$B peer=$A
	clear_all "$h"
	if [ "$h" = a ]; then
		sa_add a sa_out "$A" "$B" 0x1000 "$2" "$3" "$4" --replay-window=64 "${ab[@]}"
		sa_add a sa_in "$B" "$A" 0x1001 "$2" "$3" "$4" --replay-window=64 "${ba[@]}"
	else
		sa_add b sa_out "$B" "$A" 0x1001 "$2" "$3" "$4" --replay-window=64 "${ba[@]}"
		sa_add b sa_in "$A" "$B" 0x1000 "$2" "$3" "$4" --replay-window=64 "${ab[@]}"
	fi
	cli "$h" ipsec6 sp add --sp-source "$me/128" --sp-destination "$peer/128" \
	    --flow-direction out --action ipsec --sa-name sa_out --sp-name sp_out
	cli "$h" ipsec6 sp add --sp-source "$peer/128" --sp-destination "$me/128" \
	    --flow-direction in --action ipsec --sa-name sa_in --sp-name sp_in
}

# udp_only PCAP MIN: the protected flows appear only as ESP in UDP, from and to port 4500: at
# least MIN such packets, no plain ESP, no clear TCP or echo
udp_only() {
	local inudp plain other
	inudp=$(count "$1" 'esp and udp.srcport == 4500 and udp.dstport == 4500') || return 1
	plain=$(count "$1" 'esp and not udp') || return 1
	other=$(count "$1" 'udp and not (udp.srcport == 4500 and udp.dstport == 4500)') || return 1
	note "$inudp ESP-in-UDP packets, $plain plain ESP, $other other UDP"
	no_clear "$1" && is "$inudp" -gt "$2" && is "$plain" -eq 0 && is "$other" -eq 0
}

# segments N: the veth pair segments what is bigger than N segments before the capture taps
# see it (1: so that each ESP packet is a packet of the capture, as on a real link; the default
# 65535: UDP_SEGMENT's super-datagrams cross the pair whole)
segments() {
	on a ip link set veth-a gso_max_segs "$1"
	on b ip link set veth-b gso_max_segs "$1"
}

# no_drops HOST: no SA of HOST and no global counter has dropped a packet
no_drops() { lacks 'drops=[a-z]' stats "$1"; }

segments 1
for mode in transport tunnel; do
	for pair in "aes128-cbc hmac-sha1" "aes128-gcm16 none"; do
		# shellcheck disable=SC2086 # the pair is two words
		set -- $pair
		configure_encap a "$1" "$2" "$mode" --encapsulation=udp --encapsulation=udp
		configure_encap b "$1" "$2" "$mode" --encapsulation=udp --encapsulation=udp
		t="$mode $1/$2 in UDP"
		pcap=$E2E_TMP/wire-$mode-$1.pcap
		capture_start b veth-b "$pcap"
		check "$t: ping A -> B" on a ping -6 -c 3 -i 0.2 -W 2 "$B"
		check "$t: $MB MB over TCP A -> B arrive intact" tcp_transfer a b "$B" "$MB"
		check "$t: 2 MB over TCP B -> A arrive intact" tcp_transfer b a "$A" 2
		capture_stop
		check "$t: only ESP in UDP 4500 on the wire" udp_only "$pcap" 1000
		check "$t: tshark decrypts every ESP packet, ICV good" tshark_all_good a "$pcap" udp
		check "$t: no drops on A" no_drops a
		check "$t: no drops on B" no_drops b
		check "$t: B's sa_in received what A's sa_out sent" \
		    is "$(sa_counter b sa_in packets-in)" -eq "$(sa_counter a sa_out packets-out)"
	done
done
# UDP_SEGMENT: runs of ESP packets leave A as one super-datagram, cut by the kernel.
segments 65535
pcap=$E2E_TMP/wire-gso.pcap
capture_start a veth-a "$pcap" "ip6 src $A and udp port 4500"
check "GSO: 4 MB over TCP A -> B arrive intact" tcp_transfer a b "$B" 4
capture_stop
gso_sends() {
	local big
	big=$(count "$pcap" 'frame.len > 3000') || return 1
	note "$big super-datagrams of more than 3000 bytes left A"
	is "$big" -gt 10
}
check "GSO: A sends runs of ESP packets as UDP_SEGMENT super-datagrams" gso_sends
segments 1
check "A's UDP socket on port 4500 is ipsec6d's" has 'ipsec6d' on a ss -ulpnH 'sport = :4500'
check "the native sa list shows the encapsulation" \
    has '^sa_out .* udp 4500:4500$' cli a ipsec6 sa list
check "esxcli's sa list does not" lacks 'udp' cli a esxcli network ip ipsec sa list

# --- other ports -----------------------------------------------------------------------------
configure_encap a aes128-cbc hmac-sha1 transport --encapsulation-ports=4501:4502 \
    --encapsulation-ports=4503:4504
configure_encap b aes128-cbc hmac-sha1 transport --encapsulation-ports=4501:4502 \
    --encapsulation-ports=4503:4504
pcap=$E2E_TMP/wire-ports.pcap
capture_start b veth-b "$pcap"
check "ports 4501:4502 and 4503:4504: ping A -> B" on a ping -6 -c 3 -i 0.2 -W 2 "$B"
check "ports: 2 MB over TCP A -> B arrive intact" tcp_transfer a b "$B" 2
capture_stop
ports_used() {
	local ab ba other
	ab=$(count "$pcap" "ipv6.src == $A and udp.srcport == 4501 and udp.dstport == 4502")
	ba=$(count "$pcap" "ipv6.src == $B and udp.srcport == 4503 and udp.dstport == 4504")
	other=$(count "$pcap" "esp or (udp and not udp.port in {4501, 4502, 4503, 4504})")
	note "A -> B 4501:4502: $ab, B -> A 4503:4504: $ba, anything else: $other"
	is "$ab" -gt 100 && is "$ba" -gt 10 && is "$other" -eq 0 && no_clear_tcp
}
no_clear_tcp() { is "$(count "$pcap" 'tcp or icmpv6.type == 128 or icmpv6.type == 129' \
    -d udp.port==4501,udpencap -d udp.port==4503,udpencap)" -eq 0; }
check "ports: the SA's ports on the wire, nothing in the clear" ports_used
check "ports: A listens on 4501-4504, no longer on 4500" \
    is "$(on a ss -ulnH 'sport >= :4500 and sport <= :4504' | wc -l)" -eq 4

# --- inbound enforcement ---------------------------------------------------------------------
# B sends plain ESP for A's sa_in, which takes only ESP in UDP.
configure_encap a aes128-cbc hmac-sha1 transport --encapsulation=udp --encapsulation=udp
configure_encap b aes128-cbc hmac-sha1 transport --encapsulation=udp ""
no_reply() { not on a ping -6 -c 3 -i 0.2 -W 1 "$B"; }
check "plain ESP for an SA in UDP: no ping reply" no_reply
check "plain ESP for an SA in UDP: dropped as encap-mismatch" \
    is "$(drops a sa_in encap-mismatch)" -ge 3
# B sends ESP in UDP for A's plain sa_in; another SA keeps A's port 4500 open.
configure_encap a aes128-cbc hmac-sha1 transport --encapsulation=udp ""
configure_encap b aes128-cbc hmac-sha1 transport --encapsulation=udp --encapsulation=udp
check "ESP in UDP for a plain SA: no ping reply" no_reply
check "ESP in UDP for a plain SA: dropped as encap-mismatch" \
    is "$(drops a sa_in encap-mismatch)" -ge 3
# B sends from other ports than A's sa_in says.
configure_encap a aes128-cbc hmac-sha1 transport --encapsulation=udp --encapsulation=udp
configure_encap b aes128-cbc hmac-sha1 transport --encapsulation=udp \
    --encapsulation-ports=4500:4500
cli b ipsec6 sp remove -n sp_out
cli b ipsec6 sa remove -n sa_out
sa_add b sa_out "$B" "$A" 0x1001 aes128-cbc hmac-sha1 transport --encapsulation-ports=4509:4500
cli b ipsec6 sp add --sp-source "$B/128" --sp-destination "$A/128" --flow-direction out \
    --action ipsec --sa-name sa_out --sp-name sp_out
check "ESP in UDP from another port: no ping reply" no_reply
check "ESP in UDP from another port: dropped as encap-mismatch" \
    is "$(drops a sa_in encap-mismatch)" -ge 3
# Plaintext that A's in-policy protects, from B without policies, is still dropped.
configure_encap a aes128-cbc hmac-sha1 transport --encapsulation=udp --encapsulation=udp
clear_all b
before=$(sp_matches a sp_in)
check "plaintext B -> A: no ping reply" not on b ping -6 -c 3 -i 0.2 -W 1 "$A"
check "plaintext B -> A: dropped by A's in-policy" is "$(sp_matches a sp_in)" -ge $((before + 3))

# --- not ESP on the port ---------------------------------------------------------------------
send_udp() {
	on b "$PY" -c 'import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.sendto(bytes.fromhex(sys.argv[3]), (sys.argv[1], int(sys.argv[2])))' "$A" 4500 "$1"
}
pcap=$E2E_TMP/wire-not-esp.pcap
capture_start a veth-a "$pcap" 'ip6 and (udp or icmp6)'
before=$(drops a "" not-esp)
send_udp 00000000deadbeefdeadbeefdeadbeefdeadbeef # zero SPI, then garbage
send_udp 00000000                                 # zero SPI alone
send_udp ff                                       # a NAT keep-alive, too short for ESP
send_udp 0102030405                               # shorter than an ESP header
sleep 0.5
capture_stop
check "zero SPI, keep-alive, short datagrams: each dropped and counted as not-esp" \
    is "$(drops a "" not-esp)" -eq $((before + 4))
check "the datagrams reached A (steering let them in)" \
    is "$(count "$pcap" "udp.dstport == 4500 and ipv6.dst == $A")" -eq 4
check "A answered none of them (no port unreachable)" is "$(count "$pcap" "icmpv6.type == 1")" -eq 0
check "nothing else can bind A's port 4500" not on a "$PY" -c 'import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", 4500))'

# --- fail closed -----------------------------------------------------------------------------
configure_encap b aes128-cbc hmac-sha1 transport --encapsulation=udp --encapsulation=udp
check "before the kill: ping A -> B" on a ping -6 -c 2 -i 0.2 -W 2 "$B"
pcap=$E2E_TMP/wire-closed.pcap
capture_start b veth-b "$pcap"
bg a "$E2E_TMP/ping.log" ping -6 -D -n -i 0.01 "$B"
sleep 0.5
daemon_stop a KILL
check "SIGKILL: ipsec6d on A died of it" is "$E2E_STATUS" -eq 137
sleep 0.3
dead_t=$(date +%s.%N)
sleep 1
check "dead: no replies" is "$(replies_since "$dead_t")" -eq 0
daemon_start a
sleep 1
check "restarted: replies again" is "$(replies_since "$(date -d '-0.8 sec' +%s.%N)")" -gt 10
capture_stop
check "fail closed: nothing in the clear, ESP only in UDP" udp_only "$pcap" 50
daemon_stop a KILL
# Port 4500 is free while ipsec6d is dead: a local process may bind it, but clear datagrams
# from B that A's in-policy wants protected must not reach it (only ipsec6d's own sockets are
# let through, by their mark).
bg a "$E2E_TMP/squatter.log" socat -u UDP6-RECV:4500,reuseaddr OPEN:"$E2E_TMP/squatted",creat
squatter=$E2E_BG
wait_listen a 4500 udp
py b inject.py veth-b plain "$(mac a veth-a)" "$B" "$A" 4500 5 | sed 's/^/  /' >&3
sleep 0.5
check "dead: clear datagrams to port 4500 reach no squatter" not test -s "$E2E_TMP/squatted"
kill "$squatter" 2>/dev/null || true
wait "$squatter" 2>/dev/null || true
daemon_start a

# --- at most 16 ports ------------------------------------------------------------------------
# 4500 and 14 more are 15 ports; an SA that needs two more is refused, and nothing changes.
for i in $(seq 7); do
	sa_add a "many$i" "$A" "2001:db8:9::$i" "$(printf 0x%x $((0x2000 + i)))" aes128-cbc \
	    hmac-sha1 transport --encapsulation-ports=$((5000 + 2 * i)):$((5001 + 2 * i))
done
too_many() {
	local out
	out=$(sa_add a many8 "$A" 2001:db8:9::8 0x2008 aes128-cbc hmac-sha1 transport \
	    --encapsulation-ports=6000:6001 2>&1) && { echo "accepted"; return 1; }
	echo "$out"
	grep -q "needs more than 16 local ports" <<<"$out" &&
	    lacks many8 cli a ipsec6 sa list && is "$(on a ss -ulnH | wc -l)" -eq 15
}
check "an SA whose ports would make 17 is refused; 15 sockets stay" too_many
check "and traffic still flows" on a ping -6 -c 2 -i 0.2 -W 2 "$B"
stopped_clean a b
e2e_done
