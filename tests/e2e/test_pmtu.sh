#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ESP over a path narrower than the link (RFC 4301 section 8.2, RFC 4303 section 3.3.4, RFC 8201):
# A — R — B, where R's link to B and B's own interface have an MTU of 1400 while A's is 1500.
# The TUN MTU leaves room for ESP on a 1500-byte link, so full-sized ESP from A does not fit the
# path: R answers with ICMPv6 Packet Too Big, ipsec6d on A learns the path MTU and sends longer
# ESP to B in fragments; B's own interface is narrower than the link MTU, and ipsec6d on B sends
# its longer ESP in fragments from the first. Before this, both directions were black holes for
# full-sized packets (R dropped A's ESP; B's kernel refused B's). Checked: TCP transfers both
# ways and a ping that fills the path, the log line of what A learnt, on R's link to B only ESP,
# in fragments, every (reassembled) ESP packet authenticated and decrypted by tshark; in transport
# and tunnel mode, and ESP in UDP; and with an in-policy on A that protects everything from
# anywhere, which drops R's Packet Too Big (unprotected) unless the steering lets through those
# about ESP (RFC 4301 section 8.2.1: the message is for the IPsec implementation).
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh" "$1"

narrow_path
daemon_start a
daemon_start b

# tunnel_host HOST: host to host tunnel-mode SAs and policies (the SAs' addresses the hosts')
tunnel_host() {
	local h=$1 me=$A peer=$B out=0x1000 in=0x1001
	[ "$h" = b ] && me=$B peer=$A out=0x1001 in=0x1000
	clear_all "$h"
	sa_add "$h" sa_out "$me" "$peer" "$out" aes128-cbc hmac-sha1 tunnel
	sa_add "$h" sa_in "$peer" "$me" "$in" aes128-cbc hmac-sha1 tunnel
	cli "$h" esxcli network ip ipsec sp add --sp-source "$me/128" --sp-destination "$peer/128" \
	    --flow-direction out --action ipsec --sp-mode tunnel --sa-name sa_out --sp-name sp_out
	cli "$h" esxcli network ip ipsec sp add --sp-source "$peer/128" --sp-destination "$me/128" \
	    --flow-direction in --action ipsec --sp-mode tunnel --sa-name sa_in --sp-name sp_in
}

n=0
for mode in transport tunnel transport-udp transport-all; do
	# What A learnt is kept for 10 minutes: each mode learns it with a daemon of its own.
	if [ $n -gt 0 ]; then
		daemon_stop a TERM
		daemon_start a
	fi
	n=$((n + 1))
	case $mode in
	transport) configure_pair aes128-cbc hmac-sha1 ;;
	transport-udp) configure_pair aes128-cbc hmac-sha1 --encapsulation=udp ;;
	transport-all)
		configure_pair aes128-cbc hmac-sha1
		cli a esxcli network ip ipsec sp remove --sp-name sp_in
		cli a esxcli network ip ipsec sp add --sp-source any --sp-destination any \
		    --flow-direction in --action ipsec --sa-name sa_in --sp-name sp_in
		;;
	tunnel)
		tunnel_host a
		tunnel_host b
		;;
	esac
	check "$mode: ping A -> B" on a ping -6 -c 2 -i 0.2 -W 2 "$B"
	# ESP in UDP: B's runs of small ESP packets (the acknowledgements) leave as UDP_SEGMENT
	# super-datagrams, which a capture on the veth shows unsegmented and tshark cannot read:
	# A's side only, while A sends data.
	# Neighbour discovery (ICMPv6 133-137), which comes at any time, is left out: one that
	# arrives as the capture stops makes it incomplete.
	filter="ip6 and not (icmp6 and ip6[40] >= 133 and ip6[40] <= 137)"
	[ "$mode" = transport-udp ] && filter+=" and src host $A"
	capture_start r to-b "$E2E_TMP/$mode.pcap" "$filter"
	check "$mode: TCP A -> B, 2 MB, full-sized segments" tcp_transfer a b "$B" 2
	# An echo request of 1300 bytes: its ESP is longer than 1400 bytes either way.
	check "$mode: ping A -> B of 1300 bytes" on a ping -6 -c 3 -i 0.2 -W 2 -s 1300 "$B"
	capture_stop
	check "$mode: TCP B -> A, 2 MB" tcp_transfer b a "$A" 2
	check "$mode: on R's link to B only ESP" no_clear "$E2E_TMP/$mode.pcap"
	check "$mode: the ESP crossed it in fragments" \
	    is "$(count "$E2E_TMP/$mode.pcap" 'ipv6.fraghdr')" -gt 0
	udp=()
	[ "$mode" = transport-udp ] && udp=(udp)
	check "$mode: tshark authenticates and decrypts every (reassembled) ESP packet" \
	    tshark_all_good a "$E2E_TMP/$mode.pcap" "${udp[@]}"
	check "$mode: A logged the path MTU it learnt" \
	    is "$(grep -c "path MTU to $B: 1400 bytes" "$E2E_TMP/a.log")" -eq $n
done

# Still transport-all. What the steering lets through ahead of that in-policy is a Packet Too Big
# about ipsec6d's ESP, not one about anything else behind an extension header: the kernel acts
# on each it hears (an ICMPv6 error about an echo request lowers the path MTU of its destination,
# about TCP or UDP it reaches their sockets), which without policies it would, but which an
# in-policy that protects everything must keep from it. R forges them (ICMP is not
# authenticated): about an echo request A -> B, plain, behind a hop-by-hop header and in a first
# fragment, each of an MTU of 1280; A's kernel must not have taken it for B. And about A's ESP
# behind a hop-by-hop header and in a first fragment (SPI 0x1000, sa_out): ipsec6d learns those.
forge() { py r ptb_forge.py "$R_A" "$A" "$A" "$@"; }
forge "$B" 1280 1500 --echo
forge "$B" 1280 1500 --echo --hbh
forge "$B" 1280 1500 --echo --first
forge "$B" 1300 1500 --hbh
check "transport-all: ESP behind a hop-by-hop header is ipsec6d's" \
    logged a "path MTU to $B: 1300 bytes"
forge "$B" 1290 1500 --first
check "transport-all: ESP in a first fragment is ipsec6d's" \
    logged a "path MTU to $B: 1290 bytes"
forge "$B" 1285 1500 --hbh --first
check "transport-all: ESP in a first fragment behind a hop-by-hop header is ipsec6d's" \
    logged a "path MTU to $B: 1285 bytes"
check "transport-all: no Packet Too Big about an echo request reached A's kernel" \
    lacks "mtu 1280" on a ip -6 route get "$B"
# ESP in UDP (an SA of A's to C in UDP from 4500), whole and in a first fragment.
C=2001:db8:2::99 D=2001:db8:2::98
sa_add a sa_c "$A" "$C" 0x2000 aes128-cbc hmac-sha1 transport --encapsulation=udp
sa_add a sa_d "$A" "$D" 0x2001 aes128-cbc hmac-sha1 transport --encapsulation=udp
forge "$C" 1300 1500 --spi 0x2000 --udp 4500
forge "$D" 1300 1500 --spi 0x2001 --udp 4500 --first
check "transport-all: ESP in UDP from A's port is ipsec6d's" logged a "path MTU to $C: 1300 bytes"
check "transport-all: ESP in UDP in a first fragment is ipsec6d's" \
    logged a "path MTU to $D: 1300 bytes"
stopped_clean a b
e2e_done
