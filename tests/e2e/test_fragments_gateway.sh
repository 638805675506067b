#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fragments of the hosts behind two tunnel-mode gateways: hostA — gwA ==ESP== gwB — hostB (the
# topology of test_tunnel), aes128-gcm16. The hosts fragment what is larger than their path MTU
# themselves (RFC 8200 section 5: routers do not), gwA forwards the fragments: they must reach
# hostB as ESP only. An echo request of 3000 bytes and UDP datagrams of 4000, under a policy of
# the whole nets and under one of a single UDP port (RFC 4301 section 7: the non-first
# fragments carry no ports, yet belong to the protected datagram). Checked: what arrives, and
# the gateway link holds no clear fragment of the hosts'.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh" "$1"

HA=2001:db8:a::10 GA_IN=2001:db8:a::1 NET_A=2001:db8:a::/64
HB=2001:db8:b::10 GB_IN=2001:db8:b::1 NET_B=2001:db8:b::/64
GA=2001:db8:ff::1 GB=2001:db8:ff::2
PORT=7000
for h in ha ga gb hb; do host_add $h; done
link ha eth0 "$HA/64" ga lan0 "$GA_IN/64"
link ga wan0 "$GA/64" gb wan0 "$GB/64"
link gb lan0 "$GB_IN/64" hb eth0 "$HB/64"
on ha ip -6 route add "$NET_B" via "$GA_IN"
on hb ip -6 route add "$NET_A" via "$GB_IN"
on ga ip -6 route add "$NET_B" via "$GB"
on gb ip -6 route add "$NET_A" via "$GA"
on ga sysctl -qw net.ipv6.conf.all.forwarding=1
on gb sysctl -qw net.ipv6.conf.all.forwarding=1
daemon_start ga
daemon_start gb

# gateway ME PEER MY_NET PEER_NET OUT_SPI IN_SPI [SELECTOR...]: the gateway's tunnel SAs and
# policies (SELECTOR: esxcli options that narrow both), and nothing else
gateway() {
	local g=$1
	clear_all "$g"
	sa_add "$g" sa_out "$2" "$3" "$6" aes128-gcm16 none tunnel
	sa_add "$g" sa_in "$3" "$2" "$7" aes128-gcm16 none tunnel
	cli "$g" esxcli network ip ipsec sp add --sp-source "$4" --sp-destination "$5" \
	    --flow-direction out --action ipsec --sp-mode tunnel --sa-name sa_out --sp-name sp_out \
	    "${@:8}"
	cli "$g" esxcli network ip ipsec sp add --sp-source "$5" --sp-destination "$4" \
	    --flow-direction in --action ipsec --sp-mode tunnel --sa-name sa_in --sp-name sp_in \
	    "${@:8}"
}

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
gateway ga "$GA" "$GB" "$NET_A" "$NET_B" 0x2000 0x2001
gateway gb "$GB" "$GA" "$NET_B" "$NET_A" 0x2001 0x2000
check "nets: ping hostA -> hostB through the tunnel" on ha ping -6 -c 2 -i 0.2 -W 2 "$HB"
capture_start ga wan0 "$E2E_TMP/nets.pcap"
check "nets: echo requests of 3000 bytes hostA -> hostB answered" big_ping
check "nets: a UDP datagram of 4000 bytes hostA -> hostB arrives whole" big_udp $((PORT + 1))
capture_stop
check "nets: no clear fragment of the hosts' on the gateway link" clear_frags "$E2E_TMP/nets.pcap"

# one port: UDP to $PORT is protected, the rest of the hosts' traffic not
gateway ga "$GA" "$GB" "$NET_A" "$NET_B" 0x2000 0x2001 --upper-layer-protocol udp \
    --destination-port $PORT
gateway gb "$GB" "$GA" "$NET_B" "$NET_A" 0x2001 0x2000 --upper-layer-protocol udp \
    --destination-port $PORT
capture_start ga wan0 "$E2E_TMP/port.pcap"
check "port: a UDP datagram of 4000 bytes hostA -> hostB:$PORT arrives whole" big_udp $PORT
capture_stop
check "port: no clear fragment of the hosts' on the gateway link" clear_frags "$E2E_TMP/port.pcap"
e2e_done
