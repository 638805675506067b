#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Live interop: host A runs ipsec6d; host B runs no ipsec6d but scapy_peer.py, whose ESP is
# scapy's. Transport mode, three algorithm pairs: ping both ways and TCP transfers both ways
# arrive intact, the link carries only ESP for them, and tshark decrypts it all with A's SAs.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh" "$1"

two_hosts
daemon_start a

# peer_start ENC AUTH: scapy_peer.py on B with the keys of sa_add, B -> A SPI 0x1001
peer_start() {
	local crypt auth ckey=""
	alg_keys "$1" "$2"
	case $1 in null) crypt=NULL ;; 3des-cbc) crypt=3DES ;; aes128-cbc) crypt=AES-CBC ;; esac
	case $2 in hmac-sha1) auth=HMAC-SHA1-96 ;; hmac-sha2-256) auth=SHA2-256-128 ;; esac
	[ ${#E2E_EKEY[@]} -gt 0 ] && ckey=${E2E_EKEY[1]#0x}
	scapy_peer "$E2E_TMP/peer-$1-$2.log" --spi-out 0x1001 --spi-in 0x1000 --crypt "$crypt" \
	    --ckey "$ckey" --auth "$auth" --akey "${E2E_IKEY#0x}"
}
peer_stop() {
	kill -TERM "$E2E_PEER"
	wait "$E2E_PEER" || true
	note "$(tail -n 1 "$E2E_TMP/peer-$1-$2.log")"
}

head -c $((1 * 1024 * 1024)) /dev/urandom >"$E2E_TMP/file"
no_daemon_b() { lacks ipsec6 on b ip -o link show && empty on b nft list tables; }
check "host B runs no ipsec6d (no ipsec6 device, no steering table)" no_daemon_b
for pair in "aes128-cbc hmac-sha1" "null hmac-sha2-256" "3des-cbc hmac-sha2-256"; do
	# shellcheck disable=SC2086 # the pair is two words
	set -- $pair
	configure_host a "$1" "$2"
	peer_start "$1" "$2"
	pcap=$E2E_TMP/wire-$1-$2.pcap
	capture_start b veth-b "$pcap"
	check "$1/$2: ping A -> scapy B" on a ping -6 -c 3 -i 0.2 -W 2 "$B"
	check "$1/$2: ping scapy B -> A" on b ping -6 -c 3 -i 0.2 -W 2 "$A"
	check "$1/$2: 1 MB over TCP A -> scapy B arrive intact" tcp_transfer a b "$B" 1
	check "$1/$2: 1 MB over TCP scapy B -> A arrive intact" tcp_transfer b a "$A" 1
	capture_stop
	peer_stop "$1" "$2"
	check "$1/$2: no clear TCP or echo on the wire" no_clear "$pcap"
	check "$1/$2: tshark decrypts every ESP packet of both, ICV good" tshark_all_good a "$pcap"
	both() {
		local from_a from_b
		from_a=$(count "$pcap" "esp and ipv6.src == $A")
		from_b=$(count "$pcap" "esp and ipv6.src == $B")
		note "ESP from ipsec6d: $from_a, from scapy: $from_b"
		is "$from_a" -gt 500 && is "$from_b" -gt 500 && is "$(drops a sa_in icv)" -eq 0
	}
	check "$1/$2: both sides sent ESP; ipsec6d found no bad ICV" both
done
e2e_done
