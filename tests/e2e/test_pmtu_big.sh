#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Datagrams longer than the link over a path narrower than the link (RFC 4301 section 8.2,
# RFC 8201): A — R — B as in test_pmtu.sh (R's link to B and B's interface 1400 bytes, A's 1500).
# A UDP datagram of 4000 bytes from A under transport mode is made whole by ipsec6d and its ESP,
# longer than A's link, leaves in ipsec6d's own fragments of 1500 bytes, which R drops: R's
# Packet Too Big quotes one of those fragments (IPv6 header, Fragment header, ESP or UDP), and
# ipsec6d must learn from it as from one that quotes a whole ESP packet, or every such datagram
# is lost for good. Each mode starts with a fresh ipsec6d on A, which knows no path MTU yet and
# sends nothing but the big datagrams: the first is lost (R drops it), a later one arrives.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh" "$1"

narrow_path
# R answers every packet it cannot forward (no rate limit between the attempts).
on r sysctl -qw net.ipv6.icmp.ratelimit=0
daemon_start a
daemon_start b

# udp_to_b PORT: one datagram of 4000 bytes ($E2E_TMP/udp.send) arrives whole on B's PORT
# within a second
send_big() { on a socat -u "OPEN:$E2E_TMP/udp.send" "UDP6-SENDTO:[$B]:$1"; }
udp_to_b() {
	local port=$1 server
	rm -f "$E2E_TMP/udp.recv"
	on b timeout 5 socat -u "UDP6-RECV:$port" "OPEN:$E2E_TMP/udp.recv,creat,trunc" &
	server=$!
	wait_listen b "$port" udp
	send_big "$port"
	for _ in $(seq 10); do
		[ -s "$E2E_TMP/udp.recv" ] && break
		sleep 0.1
	done
	kill "$server" 2>/dev/null
	wait "$server" 2>/dev/null
	cmp -s "$E2E_TMP/udp.send" "$E2E_TMP/udp.recv"
}

# big_udp_arrives: of up to 5 datagrams of 4000 bytes, sent one after the other (each to a
# port of its own), one arrives
big_udp_arrives() {
	local port=$((6000 + RANDOM % 2000)) i
	head -c 4000 /dev/urandom >"$E2E_TMP/udp.send"
	for i in 1 2 3 4 5; do
		if udp_to_b $((port + i)); then
			note "attempt $i arrived"
			return 0
		fi
	done
	return 1
}

# big_after_ptb MODE N: the datagram arrives, R's Packet Too Big quoted a fragment, and A has
# logged B's path MTU N times (once per ipsec6d)
big_after_ptb() {
	# Neighbour discovery (ICMPv6 133-137), which comes at any time, is left out: one that
	# arrives as the capture stops makes it incomplete (as in test_pmtu.sh).
	capture_start r to-a "$E2E_TMP/$1.pcap" "icmp6 and not (ip6[40] >= 133 and ip6[40] <= 137)"
	check "$1: a UDP datagram of 4000 bytes A -> B arrives (after a Packet Too Big)" \
	    big_udp_arrives
	capture_stop
	check "$1: R's Packet Too Big quoted a fragment of A's" \
	    is "$(count "$E2E_TMP/$1.pcap" 'icmpv6.type == 2 and ipv6.fraghdr')" -gt 0
	check "$1: A logged the path MTU it learnt" \
	    is "$(grep -c "path MTU to $B: 1400 bytes" "$E2E_TMP/a.log")" -eq "$2"
}
configure_pair aes128-cbc hmac-sha1
big_after_ptb transport 1
# What A learnt is kept for 10 minutes: ESP in UDP learns it with an ipsec6d of its own.
daemon_stop a TERM
daemon_start a
configure_pair aes128-cbc hmac-sha1 --encapsulation=udp
big_after_ptb transport-udp 2
# Guarantee 7 on the narrower path: A knows B's path MTU, so every full-sized ESP packet of a TCP
# transfer A -> B leaves in fragments; bursts of them cost a sendmmsg() each, not one per
# packet (strace counts A's calls).
syscalls() {
	local pid tracer
	eval "pid=\$E2E_PID_a"
	strace -f -qq -c -e trace=sendmmsg -o "$E2E_TMP/strace.txt" -p "$pid" &
	tracer=$!
	sleep 0.5
	capture_start a veth-a "$E2E_TMP/burst.pcap" "ip6 and src host $A"
	tcp_transfer a b "$B" 4 || return 1
	capture_stop
	kill -INT "$tracer"
	wait "$tracer" || true
}
check "TCP A -> B, 4 MB, A's ESP in fragments, traced" syscalls
calls=$(awk '$NF == "sendmmsg" { print $4 }' "$E2E_TMP/strace.txt")
frags=$(count "$E2E_TMP/burst.pcap" 'ipv6.fraghdr')
note "$calls sendmmsg calls for $((frags / 2)) packets in fragments"
check "fragmented ESP costs a sendmmsg a burst, not one a packet" \
    is "$((${calls:-0} * 4))" -le "$((frags / 2))"

# Packet Too Big messages that R could forge (ICMP is not authenticated), each quoting ESP of
# 1500 bytes from A under an SA of A's (RFC 4301 section 8.2.1: the message is mapped to the SA
# by the quoted SPI): A has SAs to C, D, ... (SPI 0x2000 on), whose path MTUs it does not know.
C=2001:db8:2::99 D=2001:db8:2::98 E=2001:db8:2::97 F=2001:db8:2::96 G=2001:db8:2::95
H=2001:db8:2::94 I=2001:db8:2::93 J=2001:db8:2::92
spi=0x2000
for dst in "$C" "$D" "$E" "$F" "$G" "$H" "$I" "$J"; do
	sa_add a "sa_$spi" "$A" "$dst" "$(printf 0x%x "$spi")" aes128-cbc hmac-sha1 transport
	spi=$((spi + 1))
done
forge() { py r ptb_forge.py "$R_A" "$A" "$A" "$@"; }
# One whose MTU is not below the length of the packet it quotes did not say that packet was too
# big, and teaches nothing (RFC 8201 section 4: a path MTU is never raised by one, nor said to
# be what it is not); one below it does, as a check of the forging.
forge "$C" 9000 1500 --spi 0x2000
forge "$C" 1500 1500 --spi 0x2000
forge "$D" 1300 1500 --spi 0x2001
check "a Packet Too Big below the quoted packet's length is learnt" \
    logged a "path MTU to $D: 1300 bytes"
check "one of an MTU not below it (9000, 1500 bytes) is not" \
    is "$(grep -c "path MTU to $C:" "$E2E_TMP/a.log")" -eq 0
# What the quoted packet may be (A serves ESP in UDP on 4500 now): ESP behind a hop-by-hop
# header (transport mode puts it after the headers a packet had) and ESP in UDP from 4500, whole
# or in the first fragment, are A's; a fragment after the first (no SPI to see, no port), UDP
# from a port A does not serve, and ESP under an SPI of no SA of A's to that destination are
# not.
forge "$E" 1300 1500 --spi 0x2002 --hbh
forge "$F" 1300 1500 --spi 0x2003 --later
forge "$G" 1300 1500 --spi 0x2004 --udp 4500
forge "$H" 1300 1500 --spi 0x2005 --udp 4500 --later
forge "$I" 1300 1500 --spi 0x2006 --udp 4501
forge "$J" 1300 1500 --spi 0x2000
check "quoted ESP behind a hop-by-hop header is A's" logged a "path MTU to $E: 1300 bytes"
check "quoted ESP in UDP from A's port is A's" logged a "path MTU to $G: 1300 bytes"
for no in "$F|a quoted fragment of ESP after the first" \
    "$H|a quoted fragment of UDP after the first" "$I|quoted UDP from a port A does not serve" \
    "$J|quoted ESP under an SPI of no SA of A's to its destination"; do
	check "${no#*|} is not A's" is "$(grep -c "path MTU to ${no%%|*}:" "$E2E_TMP/a.log")" -eq 0
done

# A flood: 300 messages for B, each of an MTU lower than the last. Each lowers B's path MTU (to
# 1280 at most), but the log, which a forger can fill this way, gets a few lines a minute and a
# count of the rest, and the control thread keeps answering.
before=$(grep -c "path MTU to " "$E2E_TMP/a.log")
forge "$B" 1399 1500 --count 300 --step 1
check "A answers during the flood" cli a ipsec6 sa list
sleep 1
lines=$(($(grep -c "path MTU to " "$E2E_TMP/a.log") - before))
note "$lines lines for 300 messages"
check "the flood logged at most 8 lines of path MTUs in its minute" is "$lines" -le 8
stopped_clean a b
e2e_done
