#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Live interop of ESP in UDP (RFC 3948): host A runs ipsec6d with --encapsulation=udp SAs; host
# B runs no ipsec6d but scapy_peer.py --encap 4500, whose ESP in UDP is scapy's (its
# SecurityAssociation with nat_t_header). Transport mode, aes128-cbc + hmac-sha1 and
# aes128-gcm16: ping both ways and TCP transfers both ways arrive intact, the link carries them
# only as ESP in UDP from and to port 4500, and tshark decrypts it all with A's SAs.
# Then scapy sends its ESP in UDP with checksum 0, as scapy writes it (RFC 3948 section 2.1 has
# senders send zero; RFC 6935 lets a tunnel's receiver take it over IPv6): it arrives, while
# what ipsec6d sends has real checksums; and with a wrong non-zero checksum, which A's kernel
# drops (and counts) before ipsec6d sees it.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh" "$1"

two_hosts
daemon_start a
# Each ESP packet one packet of the capture (no UDP_SEGMENT super-datagram crosses the pair).
on a ip link set veth-a gso_max_segs 1
on b ip link set veth-b gso_max_segs 1

# The SPIs of A -> B and B -> A: new ones for a new peer whose numbers start again at 1
spi_out=0x1000
spi_in=0x1001

# configure_a ENC AUTH: configure_host's SAs and policies, the SAs in UDP
configure_a() {
	clear_all a
	sa_add a sa_out "$A" "$B" "$spi_out" "$1" "$2" transport --encapsulation=udp
	sa_add a sa_in "$B" "$A" "$spi_in" "$1" "$2" transport --encapsulation=udp
	cli a esxcli network ip ipsec sp add --sp-source "$A/128" --sp-destination "$B/128" \
	    --flow-direction out --action ipsec --sa-name sa_out --sp-name sp_out
	cli a esxcli network ip ipsec sp add --sp-source "$B/128" --sp-destination "$A/128" \
	    --flow-direction in --action ipsec --sa-name sa_in --sp-name sp_in
}

# peer_start ENC AUTH [ARGS...]: scapy_peer.py on B in UDP 4500 with the keys of sa_add (AES-GCM
# keys differ by SPI), and ARGS; its log is $peer_log
peer_start() {
	local crypt auth=NULL ckey="" ckey_in=()
	alg_keys "$1" "$2" "$spi_out"
	[ ${#E2E_EKEY[@]} -gt 0 ] && ckey_in=(--ckey-in "${E2E_EKEY[1]#0x}")
	alg_keys "$1" "$2" "$spi_in"
	case $1 in aes128-cbc) crypt=AES-CBC ;; aes128-gcm16) crypt=AES-GCM ;; esac
	case $2 in hmac-sha1) auth=HMAC-SHA1-96 ;; esac
	[ ${#E2E_EKEY[@]} -gt 0 ] && ckey=${E2E_EKEY[1]#0x}
	peer_log=$E2E_TMP/peer-$1-$spi_out${3:+-${4:-}}.log
	scapy_peer "$peer_log" --spi-out "$spi_in" --spi-in "$spi_out" --crypt "$crypt" \
	    --ckey "$ckey" --auth "$auth" --akey "${E2E_IKEY#0x}" --encap 4500 "${ckey_in[@]}" \
	    "${@:3}"
}
peer_stop() {
	kill -TERM "$E2E_PEER"
	wait "$E2E_PEER" || true
	note "$(tail -n 1 "$peer_log")"
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
	peer_stop
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

# csum_errors: A's kernel's count of UDP datagrams dropped for a wrong checksum
csum_errors() { on a sed -n 's/^Udp6InCsumErrors[[:space:]]*//p' /proc/net/snmp6; }
spi_out=0x2000
spi_in=0x2001
configure_a aes128-gcm16 none
peer_start aes128-gcm16 none --udp-checksum zero
pcap=$E2E_TMP/wire-zero.pcap
capture_start b veth-b "$pcap"
check "checksum 0: ping scapy B -> A" on b ping -6 -c 3 -i 0.2 -W 2 "$A"
check "checksum 0: ping A -> scapy B" on a ping -6 -c 3 -i 0.2 -W 2 "$B"
check "checksum 0: 1 MB over TCP scapy B -> A arrive intact" tcp_transfer b a "$A" 1
capture_stop
peer_stop
zero_checksums() {
	local from_b zero_b from_a zero_a
	from_b=$(count "$pcap" "esp and ipv6.src == $B and udp.dstport == 4500")
	zero_b=$(count "$pcap" "esp and ipv6.src == $B and udp.dstport == 4500 and udp.checksum == 0")
	from_a=$(count "$pcap" "esp and ipv6.src == $A and udp.srcport == 4500")
	zero_a=$(count "$pcap" "esp and ipv6.src == $A and udp.checksum == 0")
	note "ESP in UDP from scapy: $from_b, $zero_b of them with checksum 0; from ipsec6d: $from_a," \
	    "$zero_a of them with checksum 0"
	is "$from_b" -gt 500 && is "$zero_b" -eq "$from_b" && is "$from_a" -gt 10 && is "$zero_a" -eq 0
}
check "checksum 0: scapy sent all its ESP in UDP so; ipsec6d none of its own" zero_checksums
check "checksum 0: tshark decrypts every ESP packet of both, ICV good" \
    tshark_all_good a "$pcap" udp

# New SAs, whose numbers scapy's start again at 1: were the datagrams let through, they would
# arrive.
spi_out=0x3000
spi_in=0x3001
configure_a aes128-gcm16 none
peer_start aes128-gcm16 none --udp-checksum wrong
errors0=$(csum_errors)
in0=$(sa_counter a sa_in packets-in)
drops0=$(stats a | grep -o 'drops=[^[:space:]]*')
check "wrong checksum: ping scapy B -> A gets no reply" not on b ping -6 -c 3 -i 0.2 -W 1 "$A"
peer_stop
check "wrong checksum: A's kernel dropped the 3 echo requests as checksum errors" \
    is "$(csum_errors)" -ge $((errors0 + 3))
check "wrong checksum: none of them reached ipsec6d" is "$(sa_counter a sa_in packets-in)" -eq "$in0"
check "wrong checksum: ipsec6d counted no drop either" \
    test "$(stats a | grep -o 'drops=[^[:space:]]*')" = "$drops0"
e2e_done
