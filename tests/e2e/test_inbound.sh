#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Inbound enforcement on host B (transport mode, every packet A <-> B must be ESP):
# - plaintext that matches the in/ipsec policy, injected with scapy on the link (below A's own
#   steering), reaches the link but not B's application, and the policy counts it;
# - real ESP from A, held back on its way to B, then sent again by scapy: with one bit flipped
#   (dropped, "icv" on the SA), with a wrong SPI (dropped, global "no-sa"), intact (delivered:
#   the tampered copies were the only difference), and once more (dropped, "replay" on the SA);
#   ESP captured from the wire during normal traffic and replayed is dropped as "replay" too;
# - ESP that ipsec6d's packet ring does not take (in IPv6 fragments, behind a destination
#   options header) still arrives, through the raw socket;
# - B's window survives B's restarts: ESP accepted before a SIGKILL (and saved, once a second)
#   or before a clean stop (saved exactly) is refused as "replay" when sent again afterwards,
#   while A's new packets pass;
# - an address that B gets after an SA names it is served by B's packet ring within seconds.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh" "$1"

two_hosts
daemon_start a
daemon_start b
configure_pair aes128-cbc hmac-sha1
check "ping A -> B over ESP" on a ping -6 -c 2 -i 0.2 -W 2 "$B"

bg b "$E2E_TMP/udp.txt" socat -u UDP6-RECV:7777 STDOUT
wait_listen b 7777 udp
received() { grep -c "$1" "$E2E_TMP/udp.txt" || true; }
udp_send() { # udp_send TEXT: one datagram A -> B:7777 through ipsec6d
	echo "$1" | on a socat -u - "UDP6-SENDTO:[$B]:7777"
}
inject() { py a inject.py veth-a "$@" | sed 's/^/  /' >&3; }
# b_accounted: the packets B's sa_in took in, plus its drops and B's global drops: each ESP
# packet that reaches B moves exactly one of them (every drop is counted once, under a reason)
b_accounted() {
	stats b | awk -F'\t' '
	    ($1 == "type=sa" && $2 == "name=sa_in") || $1 == "type=global" {
		for (i = 2; i <= NF; i++) {
			if (index($i, "packets-in=") == 1)
				n += substr($i, 12)
			if (index($i, "drops=") != 1)
				continue
			k = split(substr($i, 7), list, ",")
			for (j = 1; j <= k; j++)
				if (split(list[j], rc, ":") == 2)
					n += rc[2]
		}
	    }
	    END { print n + 0 }'
}
# inject_esp N ARGS...: inject esp ARGS (N packets), then wait until B has dealt with all N, so
# that a check that nothing was delivered comes after the delivery that it rules out (a fixed
# pause can end before the packets arrive on a busy machine); then a moment for B's kernel to
# hand what was delivered to the application
inject_esp() {
	local n=$1 before i
	shift
	before=$(b_accounted)
	inject esp "$@"
	for i in $(seq 100); do
		[ "$(b_accounted)" -ge $((before + n)) ] && break
		sleep 0.05
	done
	[ "$(b_accounted)" -ge $((before + n)) ] ||
	    note "B dealt with $(($(b_accounted) - before)) of $n"
	sleep 0.2
}

# Plaintext that the in/ipsec policy covers.
m0=$(sp_matches b sp_in)
out0=$(sa_counter b sa_out packets-out)
pcap=$E2E_TMP/plain.pcap
capture_start b veth-b "$pcap"
inject plain "$(mac b veth-b)" "$A" "$B" 7777 5
capture_stop
check "plaintext: the 5 injected datagrams and 5 echo requests reached B's link" \
    is "$(count "$pcap" "udp.dstport == 7777 or icmpv6.type == 128")" -eq 10
check "plaintext: B's application received none of them" is "$(received injected)" -eq 0
check "plaintext: B answered none of the echo requests (no reply, clear or ESP)" \
    is "$(count "$pcap" "ipv6.src == $B and (esp or icmpv6.type == 129)")" -eq 0
check "plaintext: B's sa_out sent nothing meanwhile" \
    is "$(sa_counter b sa_out packets-out)" -eq "$out0"
check "plaintext: B's policy sp_in counted the 10 drops" \
    is "$(($(sp_matches b sp_in) - m0))" -ge 10

# The same datagrams through ipsec6d arrive; the wire copy is kept for a replay.
pcap_ok=$E2E_TMP/esp.pcap
capture_start b veth-b "$pcap_ok"
for i in 1 2 3 4 5; do udp_send "regular $i"; done
sleep 0.3
capture_stop
check "ESP: the 5 datagrams sent through ipsec6d arrive" is "$(received regular)" -eq 5

# Hold back three ESP packets: B's link drops ESP on ingress while A's side captures them.
on b nft -f - <<EOF
table netdev e2e_hold {
	chain in { type filter hook ingress device veth-b priority 0; ip6 nexthdr esp drop; }
}
EOF
held=$E2E_TMP/held.pcap
capture_start a veth-a "$held"
for i in 1 2 3; do udp_send "held $i"; done
capture_stop
on b nft delete table netdev e2e_hold
check "held back: B received none of the 3" is "$(received held)" -eq 0

icv0=$(drops b sa_in icv)
replay0=$(drops b sa_in replay)
nosa0=$(drops b "" no-sa)
in0=$(sa_counter b sa_in packets-in)
inject_esp 3 "$held" "$A" 0 1 2 --flip
check "flipped bit: nothing delivered" is "$(received held)" -eq 0
check "flipped bit: sa_in counts 3 'icv' drops" is "$(($(drops b sa_in icv) - icv0))" -eq 3
inject_esp 3 "$held" "$A" 0 1 2 --spi 0xdead
check "wrong SPI: nothing delivered" is "$(received held)" -eq 0
check "wrong SPI: 3 global 'no-sa' drops" is "$(($(drops b "" no-sa) - nosa0))" -eq 3
inject_esp 3 "$held" "$A" 0 1 2
check "intact: the 3 held-back datagrams are delivered" is "$(received held)" -eq 3
check "intact: sa_in counts 3 more packets in" \
    is "$(($(sa_counter b sa_in packets-in) - in0))" -eq 3
inject_esp 3 "$held" "$A" 0 1 2
inject_esp 5 "$pcap_ok" "$A" all
check "replayed: no datagram delivered twice" is "$(received held)/$(received regular)" = 3/5
check "replayed: sa_in counts 8 'replay' drops" is "$(($(drops b sa_in replay) - replay0))" -eq 8
check "replayed: the tampered packets moved no other counter" \
    is "$(drops b sa_in icv)/$(drops b "" no-sa)" = "$((icv0 + 3))/$((nosa0 + 3))"
# Fresh ESP, held back again, sent in fragments and behind a destination options header.
held2=$E2E_TMP/held2.pcap
on b nft -f - <<EOF
table netdev e2e_hold {
	chain in { type filter hook ingress device veth-b priority 0; ip6 nexthdr esp drop; }
}
EOF
capture_start a veth-a "$held2"
for i in 1 2 3; do udp_send "late $i"; done
capture_stop
on b nft delete table netdev e2e_hold
inject_esp 2 "$held2" "$A" 0 1 --frag
inject_esp 1 "$held2" "$A" 2 --dstopts
check "fragmented ESP and ESP behind destination options: all 3 delivered" \
    is "$(received late)" -eq 3

note "B: $(stats b | grep -v '^type=sp' | tr '\t' ' ' | tr '\n' ';')"
cli_drops() { # SA's Drops and the global no-sa, from `ipsec6 --formatter=json stats`
	cli b ipsec6 --formatter=json stats | "$PY" -c 'import json, sys
s = json.load(sys.stdin)
sa = [r["Drops"] for r in s["SecurityAssociations"] if r["Name"] == "sa_in"]
g = [r["Packets"] for r in s["GlobalDrops"] if r["Reason"] == "no-sa"]
print(sa[0] if sa else "?", "/ no-sa:" + (g[0] if g else "0"))'
}
check "ipsec6 stats (json) shows the same drops" \
    is "$(cli_drops)" = "replay:$((replay0 + 8)), icv:$((icv0 + 3)) / no-sa:$((nosa0 + 3))"

sleep 2.5 # B saves the top of its window at most once a second (and this machine is busy)
daemon_stop b KILL
daemon_start b
inject_esp 5 "$pcap_ok" "$A" all
inject_esp 3 "$held2" "$A" 0 1 2
check "restart after SIGKILL: none of the 8 old packets delivered again" \
    is "$(received regular)/$(received late)" = 5/3
check "restart after SIGKILL: sa_in counts 8 'replay' drops" is "$(drops b sa_in replay)" -eq 8

# "last 0" makes B save its top (a second after the last save, within a tick); "last 1" comes
# a moment later and B stops at once: only the stop itself can save that number.
last=$E2E_TMP/last.pcap
capture_start a veth-a "$last"
sleep 1.1
udp_send "last 0"
sleep 0.25
udp_send "last 1"
sleep 0.05
daemon_stop b TERM
capture_stop
daemon_start b
inject_esp 2 "$last" "$A" all
check "restart after a clean stop: the last packets before it are refused" \
    is "$(received last)/$(drops b sa_in replay)" = 2/2
udp_send "after 1"
sleep 0.3
check "restart: A's next packet passes" is "$(received after)" -eq 1

B2=2001:db8:1::123
sa_add b sa_late "$A" "$B2" 0x2000 aes128-cbc hmac-sha1
ring_rule() { on b nft list chain ip6 ipsec6 prerouting | grep 'ip6 nexthdr esp'; }
# ring_without_b2: the ring's rule is there, with B's address and without B2
ring_without_b2() {
	local rule
	rule=$(ring_rule) || { echo "no ring rule in B's prerouting chain"; return 1; }
	echo "$rule"
	grep -qF "$B" <<<"$rule" && ! grep -qF "$B2" <<<"$rule"
}
check "an SA's destination that is not B's: not in the ring's rule (B's is)" ring_without_b2
on b ip addr add "$B2/64" dev veth-b nodad
sleep 3 # B looks at its addresses once a second
check "the address added later: in the ring's rule, with B's own" \
    is "$(ring_rule | grep -F "$B2" | grep -cF "$B")" -eq 1
e2e_done
