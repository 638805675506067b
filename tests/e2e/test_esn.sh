#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Extended sequence numbers on the wire (RFC 4303 section 2.2.1): two hosts whose AES-GCM SAs
# with --esn start just below 2^32 (their .seq files say so, as after a long life) cross it under
# a TCP transfer, both directions, without a single drop: every number is sent once, the
# receivers infer the high half (Appendix A) and authenticate it in GCM's AAD. Beside them an
# SA without ESN, also near 2^32 - 1, sends up to the last number and then stops: the rest is
# counted as seq-overflow and the log says so. tshark 4.0 cannot check ESN packets (no field for
# it in esp_sa): the receivers' verdicts and the sequence numbers on the wire are the evidence.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh" "$1"

two_hosts
daemon_start a
daemon_start b

# esn_host HOST ME PEER OUT_SPI IN_SPI: GCM SAs with ESN for everything between the two, and
# SAs without ESN for UDP to port 7000 (their policies first: the first match wins)
esn_host() {
	sa_add "$1" sa_out "$2" "$3" "$4" aes128-gcm16 none transport --esn
	sa_add "$1" sa_in "$3" "$2" "$5" aes128-gcm16 none transport --esn
	sa_add "$1" ne_out "$2" "$3" "$(printf 0x%x $(($4 + 0x100)))" aes128-cbc hmac-sha1
	sa_add "$1" ne_in "$3" "$2" "$(printf 0x%x $(($5 + 0x100)))" aes128-cbc hmac-sha1
	cli "$1" esxcli network ip ipsec sp add --sp-source "$2/128" --sp-destination "$3/128" \
	    --upper-layer-protocol udp --destination-port 7000 --flow-direction out \
	    --action ipsec --sa-name ne_out --sp-name ne_out
	cli "$1" esxcli network ip ipsec sp add --sp-source "$3/128" --sp-destination "$2/128" \
	    --upper-layer-protocol udp --destination-port 7000 --flow-direction in \
	    --action ipsec --sa-name ne_in --sp-name ne_in
	cli "$1" esxcli network ip ipsec sp add --sp-source "$2/128" --sp-destination "$3/128" \
	    --flow-direction out --action ipsec --sa-name sa_out --sp-name sp_out
	cli "$1" esxcli network ip ipsec sp add --sp-source "$3/128" --sp-destination "$2/128" \
	    --flow-direction in --action ipsec --sa-name sa_in --sp-name sp_in
}
esn_host a "$A" "$B" 0x1000 0x1001
esn_host b "$B" "$A" 0x1001 0x1000

# start_at HOST SA NEXT: the SA's next outbound number in HOST's .seq file (ipsec6d stopped)
start_at() {
	local f=$E2E_TMP/$1.conf.seq
	awk -v n="$2" -v v="$3" '$1 == n { $3 = v } { print }' "$f" >"$f.new"
	mv "$f.new" "$f"
}
B32=4294967296
stopped_clean a b
start_at a sa_out $((B32 - 20000))
start_at b sa_out $((B32 - 300))
start_at a ne_out $((B32 - 100))
daemon_start a
daemon_start b

MB=${E2E_MB:-60}
pcap=$E2E_TMP/wire.pcap
capture_start b veth-b "$pcap" "ip6 and ip6[6] == 50"
check "$MB MB over TCP A -> B arrive intact across 2^32" tcp_transfer a b "$B" "$MB"

# 150 datagrams for the SA without ESN, which has 100 numbers left.
udp_150() {
	on a "$PY" -c "
import socket, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
for i in range(150):
    s.sendto(b'x' * 100, ('$B', 7000))
    time.sleep(0.002)
"
}
on b timeout 20 socat -u UDP6-RECV:7000 /dev/null &
wait_listen b 7000 udp
check "150 UDP datagrams sent on the SA without ESN" udp_150
sleep 1
capture_stop

no_drops() {
	local d1 d2 d3 d4
	d1=$(stat_field a sa sa_out drops) d2=$(stat_field b sa sa_in drops)
	d3=$(stat_field b sa sa_out drops) d4=$(stat_field a sa sa_in drops)
	note "drops: A sa_out '$d1', B sa_in '$d2', B sa_out '$d3', A sa_in '$d4'"
	[ -z "$d1$d2$d3$d4" ] && [ -n "$(stat_field a sa sa_out packets-out)" ]
}
check "ESN SAs: not a single drop either way" no_drops
crossed() {
	local spi=$1 low high
	low=$(count "$pcap" "esp.spi == $spi && esp.sequence < 1000000")
	high=$(count "$pcap" "esp.spi == $spi && esp.sequence > 4294000000")
	note "SPI $spi: $high packets just below 2^32, $low after it (low half restarted)"
	is "$low" -gt 100 && is "$high" -gt 100
}
check "A -> B: the sequence numbers crossed 2^32 on the wire" crossed 0x00001000
check "B -> A: the sequence numbers crossed 2^32 on the wire" crossed 0x00001001
delivered() {
	local out in full
	out=$(sa_counter a sa_out packets-out)
	in=$(sa_counter b sa_in packets-in)
	full=$(drops b "" queue-full)
	note "A sa_out $out packets out, B sa_in $in packets in; B's global drops:" \
	    "'$(stat_field b global "" drops)'"
	is "$out" -gt 20000 && is "$in" -eq $((out - full))
}
check "every ESN packet A sent was delivered by B" delivered

spent() {
	local sent got over
	sent=$(sa_counter a ne_out packets-out)
	got=$(sa_counter b ne_in packets-in)
	over=$(drops a ne_out seq-overflow)
	note "SA without ESN: $sent sent, $got delivered, $over dropped as seq-overflow"
	is "$sent" -eq 100 && is "$got" -eq 100 && is "$over" -eq 50
}
check "the SA without ESN stops at 2^32 - 1: the rest counted as seq-overflow" spent
check "A's log says the SA without ESN is spent" \
    logged a "SA 'ne_out' has used all its sequence numbers (2^32 - 1, without --esn)"
check "no number past 2^32 - 1 under the SA without ESN on the wire" \
    is "$(count "$pcap" "esp.spi == 0x00001100 && esp.sequence < 1000000")" -eq 0
stopped_clean a b
next_of() { awk -v n="$2" '$1 == n { print $3 }' "$E2E_TMP/$1.conf.seq"; }
check "A's saved reservation for sa_out is past 2^32" is "$(next_of a sa_out)" -gt "$B32"
e2e_done
