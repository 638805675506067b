#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Tunnel mode between two gateways: hostA — gwA ==ESP== gwB — hostB, four namespaces. The hosts
# run no ipsec6d and only route the other net via their gateway; the gateways forward (enabled
# by us, as the docs tell users: ipsec6d changes no sysctl) and protect hostA-net <-> hostB-net
# with tunnel-mode SAs between their own addresses, under aes128-cbc + hmac-sha2-256 and under
# AES-GCM (128 and 256). Ping and a TCP transfer work; the gateway link carries the flows only as
# ESP between the gateways; tshark decrypts it all, ICVs good.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh" "$1"

gateway_hosts
daemon_start ga
daemon_start gb

gw_only() {
	local esp bad hosts
	esp=$(count "$pcap" esp)
	bad=$(count "$pcap" "esp and not (ipv6.src in {$GA, $GB} and ipv6.dst in {$GA, $GB})")
	hosts=$(count "$pcap" "ipv6.addr in {$HA, $HB}")
	note "$esp ESP packets on the gateway link, $bad with other outer addresses," \
	    "$hosts packets in the clear with a host's address"
	is "$esp" -gt 1000 && is "$bad" -eq 0 && is "$hosts" -eq 0
}

inner() {
	local n m
	n=$(count "$pcap" "esp and tcp and ipv6.src == $HA and ipv6.dst == $HB" \
	    "${E2E_TSHARK[@]}")
	m=$(count "$pcap" "esp and icmpv6.type == 129 and ipv6.src == $HB" \
	    "${E2E_TSHARK[@]}")
	note "decrypted: $n TCP segments hostA -> hostB, $m echo replies from hostB"
	is "$n" -gt 1000 && is "$m" -ge 3
}

counters() {
	local out in m
	out=$(sa_counter ga sa_out packets-out)
	in=$(sa_counter ga sa_in packets-in)
	m=$(sp_matches ga sp_out)
	note "gwA: sa_out $out packets out, sa_in $in packets in, sp_out $m matches"
	is "$out" -gt 1000 && is "$in" -gt 100 && is "$m" -gt 10
}

# run ENC AUTH: both gateways under this pair, the traffic, and every check of the wire
run() {
	gateway ga "$GA" "$GB" "$NET_A" "$NET_B" 0x2000 0x2001 "$1" "$2"
	gateway gb "$GB" "$GA" "$NET_B" "$NET_A" 0x2001 0x2000 "$1" "$2"
	pcap=$E2E_TMP/wan-$1.pcap
	capture_start ga wan0 "$pcap"
	check "$1: ping hostA -> hostB through the tunnel" on ha ping -6 -c 3 -i 0.2 -W 2 "$HB"
	check "$1: ping hostB -> hostA through the tunnel" on hb ping -6 -c 3 -i 0.2 -W 2 "$HA"
	check "$1: 20 MB over TCP hostA -> hostB arrive intact" tcp_transfer ha hb "$HB" 20
	check "$1: 5 MB over TCP hostB -> hostA arrive intact" tcp_transfer hb ha "$HA" 5
	capture_stop
	check "$1: gateway link: no clear TCP or echo" no_clear "$pcap"
	check "$1: gateway link: the hosts' flows only as ESP between the gateways" gw_only
	check "$1: tshark decrypts every ESP packet, ICV good" tshark_all_good ga "$pcap"
	check "$1: the decrypted packets are the hosts' own (inner addresses)" inner
	check "$1: gwA counts the tunnel's packets per SA and policy" counters
}
run aes128-cbc hmac-sha2-256
run aes128-gcm16 none
run aes256-gcm16 none
e2e_done
