#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A hub between two tunnels: netB — gwB ==ESP== hub ==ESP== gwC — netC. What the hub decrypts
# from gwB for netC is forwarded, and its out-policy for netB -> netC (RFC 4301 section 5.2:
# forwarded traffic meets the outbound SPD whatever brought it) protects it again towards gwC;
# so back. A ping from netB to netC gets its replies, and neither link carries it in the clear:
# hub -> gwC only as ESP that tshark decrypts with the hub's SAs.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh" "$1"

NET_B=2001:db8:b::/64 NET_C=2001:db8:c::/64 HB=2001:db8:b::1 HC=2001:db8:c::1
B1=2001:db8:1::2 G1=2001:db8:1::1 G2=2001:db8:2::1 C2=2001:db8:2::2
for h in gb hub gc; do host_add $h; done
link gb wan0 "$B1/64" hub wb "$G1/64"
link hub wc "$G2/64" gc wan0 "$C2/64"
on gb ip addr add "$HB/128" dev lo
on gc ip addr add "$HC/128" dev lo
on gb ip -6 route add "$NET_C" via "$G1"
on hub ip -6 route add "$NET_C" via "$C2"
on hub ip -6 route add "$NET_B" via "$B1"
on gc ip -6 route add "$NET_B" via "$G2"
on hub sysctl -qw net.ipv6.conf.all.forwarding=1
for h in gb hub gc; do daemon_start $h; done

# tunnel HOST NAME SRC DST SPI: a tunnel-mode SA
tunnel() { sa_add "$1" "$2" "$3" "$4" "$5" aes128-cbc hmac-sha1 tunnel; }
# sp HOST SRC DST DIR SA NAME: a tunnel-mode ipsec policy
sp() {
	cli "$1" esxcli network ip ipsec sp add --sp-source "$2" --sp-destination "$3" \
	    --flow-direction "$4" --action ipsec --sp-mode tunnel --sa-name "$5" --sp-name "$6"
}
tunnel gb sa_out "$B1" "$G1" 0x3000
tunnel gb sa_in "$G1" "$B1" 0x3003
sp gb "$NET_B" "$NET_C" out sa_out sp_out
sp gb "$NET_C" "$NET_B" in sa_in sp_in
tunnel hub sa_in_b "$B1" "$G1" 0x3000
tunnel hub sa_out_b "$G1" "$B1" 0x3003
tunnel hub sa_out_c "$G2" "$C2" 0x3001
tunnel hub sa_in_c "$C2" "$G2" 0x3002
sp hub "$NET_B" "$NET_C" in sa_in_b sp_in_b
sp hub "$NET_B" "$NET_C" out sa_out_c sp_out_c
sp hub "$NET_C" "$NET_B" in sa_in_c sp_in_c
sp hub "$NET_C" "$NET_B" out sa_out_b sp_out_b
tunnel gc sa_in "$G2" "$C2" 0x3001
tunnel gc sa_out "$C2" "$G2" 0x3002
sp gc "$NET_B" "$NET_C" in sa_in sp_in
sp gc "$NET_C" "$NET_B" out sa_out sp_out

pcap_b=$E2E_TMP/b.pcap pcap_c=$E2E_TMP/c.pcap
capture_start gb wan0 "$pcap_b"
pcap_b_pid=$E2E_CAPTURE
capture_start gc wan0 "$pcap_c"
check "a ping from netB to netC through the hub gets its replies" \
    on gb ping -6 -c 5 -i 0.2 -W 1 -I "$HB" "$HC"
capture_stop
E2E_CAPTURE=$pcap_b_pid E2E_PCAP=$pcap_b
capture_stop
for p in "$pcap_b" "$pcap_c"; do
	check "$(basename "$p"): the ping only as ESP" no_clear "$p"
done
check "hub -> gwC: no echo request in the clear" is "$(count "$pcap_c" 'icmpv6.type == 128')" -eq 0
check "hub -> gwC: tshark decrypts every ESP packet, ICV good" tshark_all_good hub "$pcap_c"
check "the hub's out-policy to netC protected the echo requests" is "$(sp_matches hub sp_out_c)" -ge 5
stopped_clean gb hub gc
e2e_done
