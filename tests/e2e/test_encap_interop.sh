#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Live interop of ESP in UDP (RFC 3948): host A runs ipsec6d with --encapsulation=udp SAs; host
# B runs no ipsec6d but scapy_peer.py --encap 4500, whose ESP in UDP is scapy's (its
# SecurityAssociation with nat_t_header). Transport mode, aes128-cbc + hmac-sha1 and
# aes128-gcm16: ping both ways and TCP transfers both ways arrive intact, the link carries them
# only as ESP in UDP from and to port 4500, and tshark decrypts it all with A's SAs.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh" "$1"

two_hosts
daemon_start a
# Each ESP packet one packet of the capture (no UDP_SEGMENT super-datagram crosses the pair).
on a ip link set veth-a gso_max_segs 1
on b ip link set veth-b gso_max_segs 1

# configure_a ENC AUTH: configure_host's SAs and policies, the SAs in UDP
configure_a() {
	clear_all a
	sa_add a sa_out "$A" "$B" 0x1000 "$1" "$2" transport --encapsulation=udp
	sa_add a sa_in "$B" "$A" 0x1001 "$1" "$2" transport --encapsulation=udp
	cli a esxcli network ip ipsec sp add --sp-source "$A/128" --sp-destination "$B/128" \
	    --flow-direction out --action ipsec --sa-name sa_out --sp-name sp_out
	cli a esxcli network ip ipsec sp add --sp-source "$B/128" --sp-destination "$A/128" \
	    --flow-direction in --action ipsec --sa-name sa_in --sp-name sp_in
}

# peer_start ENC AUTH: scapy_peer.py on B in UDP 4500 with the keys of sa_add, B -> A SPI 0x1001
# (AES-GCM keys differ by SPI)
peer_start() {
	local crypt auth=NULL ckey="" ckey_in=()
	alg_keys "$1" "$2" 0x1000
	[ ${#E2E_EKEY[@]} -gt 0 ] && ckey_in=(--ckey-in "${E2E_EKEY[1]#0x}")
	alg_keys "$1" "$2" 0x1001
	case $1 in aes128-cbc) crypt=AES-CBC ;; aes128-gcm16) crypt=AES-GCM ;; esac
	case $2 in hmac-sha1) auth=HMAC-SHA1-96 ;; esac
	[ ${#E2E_EKEY[@]} -gt 0 ] && ckey=${E2E_EKEY[1]#0x}
	scapy_peer "$E2E_TMP/peer-$1.log" --spi-out 0x1001 --spi-in 0x1000 --crypt "$crypt" \
	    --ckey "$ckey" --auth "$auth" --akey "${E2E_IKEY#0x}" --encap 4500 "${ckey_in[@]}"
}
peer_stop() {
	kill -TERM "$E2E_PEER"
	wait "$E2E_PEER" || true
	note "$(tail -n 1 "$E2E_TMP/peer-$1.log")"
}

head -c $((1 * 1024 * 1024)) /dev/urandom >"$E2E_TMP/file"
for pair in "aes128-cbc hmac-sha1" "aes128-gcm16 none"; do
	# shellcheck disable=SC2086 # the pair is two words
	set -- $pair
	configure_a "$1" "$2"
	peer_start "$1" "$2"
	pcap=$E2E_TMP/wire-$1.pcap
	capture_start b veth-b "$pcap"
	check "$1: ping A -> scapy B" on a ping -6 -c 3 -i 0.2 -W 2 "$B"
	check "$1: ping scapy B -> A" on b ping -6 -c 3 -i 0.2 -W 2 "$A"
	check "$1: 1 MB over TCP A -> scapy B arrive intact" tcp_transfer a b "$B" 1
	check "$1: 1 MB over TCP scapy B -> A arrive intact" tcp_transfer b a "$A" 1
	capture_stop
	peer_stop "$1"
	both() {
		local from_a from_b plain
		from_a=$(count "$pcap" "esp and ipv6.src == $A and udp.srcport == 4500 and udp.dstport == 4500")
		from_b=$(count "$pcap" "esp and ipv6.src == $B and udp.srcport == 4500 and udp.dstport == 4500")
		plain=$(count "$pcap" 'esp and not udp')
		note "ESP in UDP from ipsec6d: $from_a, from scapy: $from_b; plain ESP: $plain"
		is "$from_a" -gt 500 && is "$from_b" -gt 500 && is "$plain" -eq 0 &&
		    is "$(drops a sa_in icv)" -eq 0 && is "$(drops a sa_in encap-mismatch)" -eq 0
	}
	check "$1: both sides sent ESP in UDP 4500 only; ipsec6d refused none" both
	check "$1: no clear TCP or echo on the wire" no_clear "$pcap"
	check "$1: tshark decrypts every ESP packet of both, ICV good" \
	    tshark_all_good a "$pcap" udp
done
e2e_done
