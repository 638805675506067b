#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Packets the steering marks but the routes send past the TUN device: a socket bound to an
# interface (ping -I, SO_BINDTODEVICE) asks the kernel for a route
# through that interface, which table 6936's route to the TUN device is not, so the lookup goes
# on to the main table; so does a link-local destination (its scope is an interface), and the
# local table, ahead of ipsec6d's rule, routes multicast, as does any rule of the
# administrator's ahead of it. None of them may reach the link in the clear: with ipsec6d
# running, with it killed, and under a policy that covers every destination.
# Unbound traffic to B still flows, as ESP.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh" "$1"

two_hosts
daemon_start a
daemon_start b
configure_pair aes128-cbc hmac-sha1
LL_B=$(on b ip -6 addr show dev veth-b scope link | sed -n 's/.*inet6 \(fe80[^/]*\).*/\1/p')

# send_bound ADDR TEXT: UDP datagrams to ADDR port 7777 from A's socket bound to veth-a; a
# refused send is no failure (it is what should happen), only the wire says whether anything
# leaked.
send_bound() {
	on a "$PY" -c 'import socket, sys
addr, text = sys.argv[1], sys.argv[2].encode()
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"veth-a")
for _ in range(3):
    try:
        s.sendto(text + b"-bound", (addr, 7777))
    except OSError as e:
        print("bound:", e)' "$@"
}

pcap=$E2E_TMP/wire.pcap
capture_start b veth-b "$pcap"
check "unbound: a ping to B gets its replies" on a ping -6 -c 2 -i 0.2 -W 1 "$B"
on a ping -6 -c 3 -i 0.2 -W 1 -I veth-a "$B" >"$E2E_TMP/ping-bound.log" 2>&1 || true
send_bound "$B" running

daemon_stop a KILL
check "SIGKILL: ipsec6d on A died of it" is "$E2E_STATUS" -eq 137
on a ping -6 -c 3 -i 0.2 -W 1 -I veth-a "$B" >>"$E2E_TMP/ping-bound.log" 2>&1 || true
send_bound "$B" dead

daemon_start a
cli a esxcli network ip ipsec sp add --sp-source ::/0 --sp-destination ::/0 \
    --flow-direction out --action ipsec --sa-name sa_out --sp-name sp_all
on a "$PY" -c 'import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, socket.if_nametoindex("veth-a"))
for addr in ("ff02::1%veth-a", sys.argv[1] + "%veth-a", "ff0e::1234"):
    try:
        s.sendto(b"covered", (addr, 7777))
    except OSError as e:
        print(addr, e)' "$LL_B" || true
check "any to any: a ping to B still gets its replies" on a ping -6 -c 2 -i 0.2 -W 1 "$B"
# A rule of the administrator's ahead of ipsec6d's (priority 6936) routes A's packets itself.
on a ip -6 route add default dev veth-a table 100
on a ip -6 rule add pref 100 from "$A" lookup 100
on a "$PY" -c 'import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
try:
    s.sendto(b"ruled", (sys.argv[1], 7777))
except OSError as e:
    print(e)' "$B"
capture_stop

# leaked: the clear packets of the flows above in the capture, listed
leaked() {
	local n
	n=$(count "$pcap" 'udp.dstport == 7777 or icmpv6.type == 128') || return 1
	[ "$n" -eq 0 ] && return 0
	tshark -r "$pcap" -Y 'udp.dstport == 7777 or icmpv6.type == 128' 2>/dev/null
	return 1
}
check "nothing bound, link-local, multicast or ruled reached the link in the clear" leaked
check "the unbound pings crossed as ESP" is "$(count "$pcap" esp)" -ge 8
check "tshark decrypts every ESP packet, ICV good" tshark_all_good a "$pcap"
check "A counts the packets its steering dropped since its restart (misrouted)" \
    is "$(drops a "" misrouted)" -ge 4
stopped_clean a b
e2e_done
