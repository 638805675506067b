#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Selectors and order, two hosts in transport mode: only TCP 23 -> 25 protected while another
# port passes in the clear; an icmp6 type selector (echo request one way, echo reply the other);
# `discard` blocks, outbound and inbound, and is counted; `none` bypasses; when policies overlap
# the first match wins (the same policies in another order give another result). Every claim is
# read off a capture of the link.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh" "$1"

two_hosts
daemon_start a
daemon_start b
sa_pair aes128-cbc hmac-sha1

# sp HOST NAME DIR SRC DST ACTION [esxcli sp add options...]: a policy; ipsec uses sa_DIR
sp() {
	local host=$1 name=$2 dir=$3 src=$4 dst=$5 action=$6 sa=()
	shift 6
	[ "$action" = ipsec ] && sa=(--sa-name "sa_$dir")
	cli "$host" esxcli network ip ipsec sp add --sp-name "$name" --flow-direction "$dir" \
	    --sp-source "$src/128" --sp-destination "$dst/128" --action "$action" "${sa[@]}" "$@"
}
sp_clear() {
	cli a esxcli network ip ipsec sp remove -a && cli b esxcli network ip ipsec sp remove -a
}

# udp_send FROM ADDR PORT N: N datagrams "datagram I" (errors ignored: a discard refuses them)
udp_send() {
	local i
	for i in $(seq "$4"); do
		echo "datagram $i" | on "$1" socat -u - "UDP6-SENDTO:[$2]:$3" 2>/dev/null || true
	done
}
# udp_listen HOST PORT: a listener writing what it receives to $E2E_TMP/udp-PORT
udp_listen() {
	bg "$1" "$E2E_TMP/udp-$2" socat -u "UDP6-RECV:$2" STDOUT
	wait_listen "$1" "$2" udp
}
received() { wc -l <"$E2E_TMP/udp-$1"; }

# Ports: TCP 23 -> 25 and its replies only.
sp a sp_o25 out "$A" "$B" ipsec -P tcp -o 23 -t 25
sp a sp_i25 in "$B" "$A" ipsec -P tcp -o 25 -t 23
sp b sp_i25 in "$A" "$B" ipsec -P tcp -o 23 -t 25
sp b sp_o25 out "$B" "$A" ipsec -P tcp -o 25 -t 23
pcap=$E2E_TMP/ports.pcap
capture_start b veth-b "$pcap"
check "ports: 2 MB TCP 23 -> 25 intact" tcp_transfer a b "$B" 2 25 23
check "ports: 2 MB TCP 2300 -> 26 intact" tcp_transfer a b "$B" 2 26 2300
check "ports: ping A -> B (no policy)" on a ping -6 -c 2 -i 0.2 -W 2 "$B"
capture_stop
ports() {
	local c25 c26 esp echo
	c25=$(count "$pcap" 'tcp.port == 25')
	c26=$(count "$pcap" 'tcp.port == 26')
	echo=$(count "$pcap" 'icmpv6.type == 128')
	esp=$(count "$pcap" esp)
	note "clear: $c25 TCP segments of port 25, $c26 of port 26, $echo echo requests; $esp ESP"
	is "$c25" -eq 0 && is "$c26" -gt 100 && is "$echo" -eq 2 && is "$esp" -gt 100
}
check "ports: port 25 only as ESP, port 26 and ping in the clear" ports
check "ports: tshark decrypts every ESP packet, ICV good" tshark_all_good a "$pcap"
ports_inner() {
	local esp in
	esp=$(count "$pcap" esp)
	in=$(count "$pcap" 'esp and ((tcp.srcport == 23 and tcp.dstport == 25) or
	    (tcp.srcport == 25 and tcp.dstport == 23))' "${E2E_TSHARK[@]}")
	note "$in of $esp ESP packets hold TCP 23 <-> 25"
	is "$in" -eq "$esp"
}
check "ports: every ESP packet holds TCP 23 <-> 25" ports_inner
check "ports: sp_o25 counted matches on A" is "$(sp_matches a sp_o25)" -gt 10

# An icmp6 type selector: echo requests A -> B and echo replies B -> A, nothing else.
sp_clear
sp a sp_req out "$A" "$B" ipsec -P icmp6 -t 128
sp a sp_rep in "$B" "$A" ipsec -P icmp6 -t 129
sp b sp_req in "$A" "$B" ipsec -P icmp6 -t 128
sp b sp_rep out "$B" "$A" ipsec -P icmp6 -t 129
on a ip -6 neigh flush dev veth-a
on b ip -6 neigh flush dev veth-b
pcap=$E2E_TMP/icmp6.pcap
capture_start b veth-b "$pcap"
check "icmp6: ping A -> B (protected)" on a ping -6 -c 3 -i 0.2 -W 2 "$B"
check "icmp6: ping B -> A (requests from B match no policy)" on b ping -6 -c 3 -i 0.2 -W 2 "$A"
udp_send a "$B" 9 1 # to a closed port: B answers with a clear destination unreachable
capture_stop
icmp6() {
	local req_a rep_b req_b rep_a unreach nd esp
	req_a=$(count "$pcap" "icmpv6.type == 128 and ipv6.src == $A")
	rep_b=$(count "$pcap" "icmpv6.type == 129 and ipv6.src == $B")
	req_b=$(count "$pcap" "icmpv6.type == 128 and ipv6.src == $B")
	rep_a=$(count "$pcap" "icmpv6.type == 129 and ipv6.src == $A")
	unreach=$(count "$pcap" 'icmpv6.type == 1')
	nd=$(count "$pcap" 'icmpv6.type == 135 or icmpv6.type == 136')
	esp=$(count "$pcap" esp)
	note "clear: $req_a requests A -> B, $rep_b replies B -> A, $req_b requests B -> A," \
	    "$rep_a replies A -> B, $unreach unreachables, $nd ND; $esp ESP"
	is "$req_a" -eq 0 && is "$rep_b" -eq 0 && is "$req_b" -eq 3 && is "$rep_a" -eq 3 &&
	    is "$unreach" -ge 1 && is "$nd" -ge 2 && is "$esp" -eq 6
}
check "icmp6: only A's echo requests and B's replies as ESP; the rest and ND clear" icmp6
check "icmp6: tshark decrypts every ESP packet, ICV good" tshark_all_good a "$pcap"
icmp6_inner() {
	local n
	n=$(count "$pcap" "esp and ((icmpv6.type == 128 and ipv6.dst == $B) or
	    (icmpv6.type == 129 and ipv6.dst == $A))" "${E2E_TSHARK[@]}")
	is "$n" -eq 6
}
check "icmp6: the ESP packets hold the echo requests A -> B and replies B -> A" icmp6_inner

# discard and none, then first match. On each host, in this order: bypass TCP port 26 and
# UDP port 9998, discard UDP 9999 (out, on A) and UDP 9998 (in, on B), protect everything else.
sp_clear
sp a a_none26 out "$A" "$B" none -P tcp -t 26
sp a a_none98 out "$A" "$B" none -P udp -t 9998
sp a a_drop99 out "$A" "$B" discard -P udp -t 9999
sp a a_all out "$A" "$B" ipsec
sp a a_none26i in "$B" "$A" none -P tcp -o 26
sp a a_alli in "$B" "$A" ipsec
sp b b_none26i in "$A" "$B" none -P tcp -t 26
sp b b_drop98i in "$A" "$B" discard -P udp -t 9998
sp b b_alli in "$A" "$B" ipsec
sp b b_none26 out "$B" "$A" none -P tcp -o 26
sp b b_all out "$B" "$A" ipsec
udp_listen b 9999
udp_listen b 9998
udp_listen b 9997
pcap=$E2E_TMP/order.pcap
capture_start b veth-b "$pcap"
check "none: 2 MB TCP to port 26 intact" tcp_transfer a b "$B" 2 26
check "ipsec: 2 MB TCP to port 27 intact" tcp_transfer a b "$B" 2 27
check "ipsec: ping A -> B" on a ping -6 -c 2 -i 0.2 -W 2 "$B"
udp_send a "$B" 9999 5
udp_send a "$B" 9998 5
udp_send a "$B" 9997 5
sleep 0.5
capture_stop
check "discard (out): nothing arrives on UDP 9999" is "$(received 9999)" -eq 0
check "discard (in): nothing arrives on UDP 9998" is "$(received 9998)" -eq 0
check "ipsec: UDP 9997 arrives" is "$(received 9997)" -eq 5
check "discard (out): A's a_drop99 counted the 5 datagrams" is "$(sp_matches a a_drop99)" -ge 5
check "discard (in): B's b_drop98i counted the 5 datagrams" is "$(sp_matches b b_drop98i)" -ge 5
check "none: A's a_none26 counted the bypassed segments" is "$(sp_matches a a_none26)" -gt 10
order() {
	local c26 c27 u99 u98 u97 echo esp
	c26=$(count "$pcap" 'tcp.port == 26')
	c27=$(count "$pcap" 'tcp.port == 27')
	u99=$(count "$pcap" 'udp.port == 9999')
	u98=$(count "$pcap" 'udp.port == 9998')
	u97=$(count "$pcap" 'udp.port == 9997')
	echo=$(count "$pcap" 'icmpv6.type == 128 or icmpv6.type == 129')
	esp=$(count "$pcap" esp)
	note "clear: TCP 26: $c26, TCP 27: $c27, UDP 9999: $u99, 9998: $u98, 9997: $u97," \
	    "echo: $echo; ESP: $esp"
	is "$c26" -gt 100 && is "$c27" -eq 0 && is "$u99" -eq 0 && is "$u98" -eq 5 &&
	    is "$u97" -eq 0 && is "$echo" -eq 0 && is "$esp" -gt 100
}
check "wire: port 26 and UDP 9998 clear, 9999 absent, the rest ESP only" order
check "tshark decrypts every ESP packet, ICV good" tshark_all_good a "$pcap"

# First match: the same bypass policies moved behind the ipsec ones no longer match.
before=$(sp_matches a a_none26)
drop99=$(sp_matches a a_drop99)
drop98i=$(sp_matches b b_drop98i)
for h in a b; do
	for p in "${h}_none26" "${h}_none26i"; do cli "$h" esxcli network ip ipsec sp remove -n "$p"; done
done
sp a a_none26 out "$A" "$B" none -P tcp -t 26
sp a a_none26i in "$B" "$A" none -P tcp -o 26
sp b b_none26i in "$A" "$B" none -P tcp -t 26
sp b b_none26 out "$B" "$A" none -P tcp -o 26
# kept: the counts from before (the 5 datagrams each, at least) are still there
kept() {
	is "$drop99" -ge 5 && is "$drop98i" -ge 5 &&
	    is "$(sp_matches a a_drop99)/$(sp_matches b b_drop98i)" = "$drop99/$drop98i"
}
check "policy changes: the other policies' matches go on counting" kept
pcap=$E2E_TMP/order2.pcap
capture_start b veth-b "$pcap"
check "first match: 2 MB TCP to port 26 intact" tcp_transfer a b "$B" 2 26
capture_stop
check "first match: port 26 now only as ESP" no_clear "$pcap"
check "first match: tshark decrypts every ESP packet, ICV good" tshark_all_good a "$pcap"
check "first match: the bypass policy behind 'ipsec any' matched nothing" \
    is "$(sp_matches a a_none26)" -eq 0
note "a_none26 matched $before packets in front, $(sp_matches a a_none26) behind"

cli_matches() { # the policy's Matches in the table of `ipsec6 stats`
	cli a ipsec6 stats | awk -v n="$1" '/^Security Policies:/ { p = 1 } p && $1 == n { print $4 }'
}
# same_matches: the table's count is the socket's, and not 0 (the 5 datagrams at least)
same_matches() {
	local m
	m=$(cli_matches a_drop99)
	is "$m" -ge 5 && is "$m" = "$(sp_matches a a_drop99)"
}
check "ipsec6 stats (table) shows a_drop99's matches as the socket does" same_matches
e2e_done
