#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fragments of the hosts behind two tunnel-mode gateways: hostA — gwA ==ESP== gwB — hostB
# (lib.sh's gateway_hosts, as test_tunnel), aes128-gcm16. The hosts fragment what is larger than
# their path MTU themselves (RFC 8200 section 5: routers do not), gwA forwards the fragments:
# they must reach hostB as ESP only. An echo request of 3000 bytes and UDP datagrams of 4000,
# under a policy of the whole nets and under one of a single UDP port (RFC 4301 section 7: the
# non-first fragments carry no ports, yet belong to the protected datagram: they are dropped).
# Checked: what arrives, and the gateway link holds no clear fragment of the hosts'.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh" "$1"

PORT=7000
gateway_hosts
daemon_start ga
daemon_start gb

# big_udp PORT: 4000 bytes from hostA arrive whole at hostB on PORT. hostA's first datagram
# may teach it the tunnel's MTU (a Packet Too Big from gwA): it sends three, a second apart.
big_udp() {
	rm -f "$E2E_TMP/udp.recv"
	head -c 4000 /dev/urandom >"$E2E_TMP/udp.send"
	on hb timeout 8 socat -u "UDP6-RECV:$1" "OPEN:$E2E_TMP/udp.recv,creat,trunc" &
	local server=$! i
	wait_listen hb "$1" udp
	for i in 1 2 3; do
		on ha socat -u "OPEN:$E2E_TMP/udp.send" "UDP6-SENDTO:[$HB]:$1"
		for _ in $(seq 10); do
			[ -s "$E2E_TMP/udp.recv" ] && break 2
			sleep 0.1
		done
	done
	kill "$server" 2>/dev/null
	wait "$server" 2>/dev/null
	cmp "$E2E_TMP/udp.send" "$E2E_TMP/udp.recv"
}

# big_ping: echo requests of 3000 bytes hostA -> hostB; the first request and the first reply
# may be lost to the path MTU (each host learns the tunnel's from its gateway)
big_ping() {
	local got
	got=$(on ha ping -6 -c 5 -i 0.3 -W 2 -s 3000 "$HB" | sed -n 's/.* \([0-9]*\) received.*/\1/p')
	note "$got of 5 echo requests of 3000 bytes answered"
	is "${got:-0}" -ge 3
}

# clear_frags PCAP: fragments with a host's address on the gateway link, outside ESP
clear_frags() {
	local n
	n=$(count "$1" "ipv6.fraghdr and not esp and ipv6.addr in {$HA, $HB}") || return 1
	[ "$n" -eq 0 ] || { echo "  $n clear fragments of the hosts' in $1" >&2; return 1; }
}

# any: the nets, every protocol
gateway ga "$GA" "$GB" "$NET_A" "$NET_B" 0x2000 0x2001 aes128-gcm16 none
gateway gb "$GB" "$GA" "$NET_B" "$NET_A" 0x2001 0x2000 aes128-gcm16 none
check "nets: ping hostA -> hostB through the tunnel" on ha ping -6 -c 2 -i 0.2 -W 2 "$HB"
capture_start ga wan0 "$E2E_TMP/nets.pcap"
check "nets: echo requests of 3000 bytes hostA -> hostB answered" big_ping
check "nets: a UDP datagram of 4000 bytes hostA -> hostB arrives whole" big_udp $((PORT + 1))
capture_stop
check "nets: no clear fragment of the hosts' on the gateway link" clear_frags "$E2E_TMP/nets.pcap"

# one port: UDP to $PORT is protected, the rest of the hosts' traffic not
gateway ga "$GA" "$GB" "$NET_A" "$NET_B" 0x2000 0x2001 aes128-gcm16 none \
    --upper-layer-protocol udp --destination-port $PORT
gateway gb "$GB" "$GA" "$NET_B" "$NET_A" 0x2001 0x2000 aes128-gcm16 none \
    --upper-layer-protocol udp --destination-port $PORT
capture_start ga wan0 "$E2E_TMP/port.pcap"
# The fragments after the first carry no port: ipsec6 keeps no state across fragments (RFC 4301
# section 7 lets it), so under a policy that names ports they are dropped, not sent in the clear:
# the datagram does not arrive.
check "port: a UDP datagram of 4000 bytes hostA -> hostB:$PORT does not arrive (closed)" \
    not big_udp $PORT
capture_stop
check "port: no clear fragment of the hosts' on the gateway link" clear_frags "$E2E_TMP/port.pcap"
check "port: gwA counts the fragments it dropped (fragment)" is "$(drops ga "" fragment)" -gt 0
e2e_done
