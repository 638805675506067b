#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Datagrams larger than the TUN device's MTU, which the kernel fragments before ipsec6d sees
# them: an echo request of 3000 bytes and a UDP datagram of 4000, A -> B, under transport mode
# (plain ESP and ESP in UDP) and under tunnel mode (host to host), aes128-gcm16. Transport-mode
# ESP is applied only to whole datagrams (RFC 4303 section 3.3.4): ipsec6d reassembles the
# fragments first, and the ESP packet, longer than the link, is fragmented after ESP; the
# receiver reassembles it before ESP (section 3.4.1). Tunnel mode carries the fragments as they
# are (RFC 4301 section 7), and the receiving ipsec6d makes them whole before its TUN device.
# Checked on the wire: only ESP (tshark reassembles the fragments and authenticates and decrypts
# every ESP packet), in fragments for transport mode, and no fragment given up.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh" "$1"

two_hosts
daemon_start a
daemon_start b

# udp_to_b TENTHS SEND [ARGS...]: a UDP socket on B takes a datagram into $E2E_TMP/udp.recv
# while SEND PORT ARGS... sends to its port, waited for up to TENTHS tenths of a second
udp_to_b() {
	local tenths=$1 port=$((6000 + RANDOM % 2000)) server
	shift
	rm -f "$E2E_TMP/udp.recv"
	on b timeout 5 socat -u "UDP6-RECV:$port" "OPEN:$E2E_TMP/udp.recv,creat,trunc" &
	server=$!
	wait_listen b "$port" udp
	"$1" "$port" "${@:2}"
	for _ in $(seq "$tenths"); do
		[ -s "$E2E_TMP/udp.recv" ] && break
		sleep 0.1
	done
	kill "$server" 2>/dev/null
	wait "$server" 2>/dev/null
}

# big_udp: 4000 bytes from A arrive whole at B
send_big() { on a socat -u "OPEN:$E2E_TMP/udp.send" "UDP6-SENDTO:[$B]:$1"; }
big_udp() {
	head -c 4000 /dev/urandom >"$E2E_TMP/udp.send"
	udp_to_b 50 send_big
	cmp "$E2E_TMP/udp.send" "$E2E_TMP/udp.recv"
}

# tunnel_host HOST: host to host tunnel-mode SAs and policies (the SAs' addresses the hosts')
tunnel_host() {
	local h=$1 me=$A peer=$B out=0x1000 in=0x1001
	[ "$h" = b ] && me=$B peer=$A out=0x1001 in=0x1000
	clear_all "$h"
	sa_add "$h" sa_out "$me" "$peer" "$out" aes128-gcm16 none tunnel
	sa_add "$h" sa_in "$peer" "$me" "$in" aes128-gcm16 none tunnel
	cli "$h" esxcli network ip ipsec sp add --sp-source "$me/128" --sp-destination "$peer/128" \
	    --flow-direction out --action ipsec --sp-mode tunnel --sa-name sa_out --sp-name sp_out
	cli "$h" esxcli network ip ipsec sp add --sp-source "$peer/128" --sp-destination "$me/128" \
	    --flow-direction in --action ipsec --sp-mode tunnel --sa-name sa_in --sp-name sp_in
}

# wire MODE PCAP: what A sent for the big datagrams, captured on A's link
wire() {
	local udp=()
	[ "$1" = transport-udp ] && udp=(udp)
	check "$1: only ESP on the wire" no_clear "$2"
	if [ "$1" = tunnel ]; then
		# RFC 4301 section 7: tunnel mode carries the fragments as they are, each whole
		# in its ESP packet; the receiver's kernel reassembles the inner datagram.
		check "$1: the ESP did not need fragmenting" is "$(count "$2" 'ipv6.fraghdr')" -eq 0
	else
		check "$1: the ESP left in fragments" is "$(count "$2" 'ipv6.fraghdr')" -gt 0
	fi
	check "$1: tshark authenticates and decrypts every (reassembled) ESP packet" \
	    tshark_all_good a "$2" "${udp[@]}"
	check "$1: no fragment given up" is "$(drops a "" reassembly)" -eq 0
}

for mode in transport transport-udp tunnel; do
	case $mode in
	transport) configure_pair aes128-gcm16 none ;;
	transport-udp) configure_pair aes128-gcm16 none --encapsulation=udp ;;
	tunnel)
		tunnel_host a
		tunnel_host b
		;;
	esac
	check "$mode: ping A -> B" on a ping -6 -c 2 -i 0.2 -W 2 "$B"
	capture_start a veth-a "$E2E_TMP/$mode.pcap"
	check "$mode: ping A -> B of 3000 bytes (fragmented at the TUN MTU)" \
	    on a ping -6 -c 2 -i 0.2 -W 2 -s 3000 "$B"
	check "$mode: a UDP datagram of 4000 bytes A -> B arrives whole" big_udp
	capture_stop
	wire "$mode" "$E2E_TMP/$mode.pcap"
done

# A peer that tunnels fragments (RFC 4301 section 7 lets tunnel mode carry them; strongSwan's
# kernel-libipsec does): B's kernel reassembles the inner fragments that ipsec6d writes into its
# TUN device. Its input chain lets UDP fragments after the first pass, for fragmented ESP in UDP
# (steer.c): a datagram whose first fragment came in ESP and whose others came in the clear
# must not reach a socket, they are plaintext that B's in-policy says must be protected.
# injected SEQ MARK [--all-esp]: frag_inject.py on A's link, A -> B, from sequence number SEQ
# (above what A's ipsec6d sent under SPI 0x1000: B keeps the window of an SA added again); what
# B's socket got
send_injected() {
	local port=$1
	shift
	alg_keys aes128-gcm16 none 0x1000
	py a frag_inject.py veth-a "$(mac b veth-b)" "$A" "$B" "$port" 0x1000 \
	    "${E2E_EKEY[1]#0x}" "$@" >/dev/null
}
injected() {
	udp_to_b 20 send_injected "$@"
	cat "$E2E_TMP/udp.recv" 2>/dev/null
}
clear_all b
sa_add b sa_in "$A" "$B" 0x1000 aes128-gcm16 none tunnel --encapsulation=udp
sa_add b sa_out "$B" "$A" 0x1001 aes128-gcm16 none tunnel --encapsulation=udp
cli b esxcli network ip ipsec sp add --sp-source "$A/128" --sp-destination "$B/128" \
    --flow-direction in --action ipsec --sp-mode tunnel --sa-name sa_in --sp-name sp_in
check "inner fragments, all in ESP in UDP: the datagram arrives" has GOOD \
    injected 3000000000 GOOD --all-esp
check "first fragment in ESP, the others in the clear: nothing arrives" empty \
    injected 3000000010 EVIL
check "B decrypted the four fragments that came in ESP" is "$(sa_counter b sa_in packets-in)" -eq 4

# Bursts that the sender thread takes (more than a few packets) and that end with a datagram made
# whole, which the worker swaps into the burst with its big buffer; the last bursts before the
# stop are not filled again: ipsec6d stops cleanly all the same.
on a "$PY" -c '
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
for _ in range(50):
    for _ in range(16):
        s.sendto(b"x" * 100, (sys.argv[1], 9))
    s.sendto(b"y" * 3000, (sys.argv[1], 9))
' "$B"
sleep 0.5
stopped_clean a
e2e_done
