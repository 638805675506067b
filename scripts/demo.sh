#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make demo: two hosts (network namespaces, one veth link, 2001:db8:1::121 and ::122) protect
# their traffic with ipsec6, configured with the esxcli commands of VMware's "Setting Up
# IPsec" page (sa_2 with 3des-cbc and hmac-sha1, and its mirror). They ping and move a file
# over TCP; the capture shows only ESP on the wire, tshark decrypts it with the keys that
# `ipsec6 sa export --wireshark` prints, and `ipsec6 stats` shows the counters. On the way, the
# SAs of A -> B get new keys with `ipsec6 sa rekey` under a ping, in the order that loses nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
source tests/e2e/lib.sh "$BUILD"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '%s$ %s\n' "${HOST_PROMPT:-}" "$*" >&2; "$@"; }


say "Two hosts: A ($A) and B ($B) on one link"
two_hosts
daemon_start a
daemon_start b

configure() { # HOST LOCAL PEER SPI_OUT SPI_IN
	local h=$1 me=$2 peer=$3
	say "Host $h: the SAs and policies, as an ESXi administrator types them"
	HOST_PROMPT="[$h] " run cli "$h" esxcli network ip ipsec sa add --sa-source "$me" \
	    --sa-destination "$peer" --sa-mode transport --sa-spi "$4" \
	    --encryption-algorithm 3des-cbc --encryption-key "$SEED_EKEY" \
	    --integrity-algorithm hmac-sha1 --integrity-key "$SEED_IKEY" --sa-name sa_out
	HOST_PROMPT="[$h] " run cli "$h" esxcli network ip ipsec sa add --sa-source "$peer" \
	    --sa-destination "$me" --sa-mode transport --sa-spi "$5" \
	    --encryption-algorithm 3des-cbc --encryption-key "$SEED_EKEY" \
	    --integrity-algorithm hmac-sha1 --integrity-key "$SEED_IKEY" --sa-name sa_in
	HOST_PROMPT="[$h] " run cli "$h" esxcli network ip ipsec sp add --sp-source="$me/128" \
	    --sp-destination="$peer/128" --upper-layer-protocol=any --flow-direction=out \
	    --action=ipsec --sp-mode=transport --sa-name=sa_out --sp-name sp_out
	HOST_PROMPT="[$h] " run cli "$h" esxcli network ip ipsec sp add --sp-source="$peer/128" \
	    --sp-destination="$me/128" --upper-layer-protocol=any --flow-direction=in \
	    --action=ipsec --sp-mode=transport --sa-name=sa_in --sp-name sp_in
	HOST_PROMPT="[$h] " run cli "$h" esxcli network ip ipsec sa list
	HOST_PROMPT="[$h] " run cli "$h" esxcli network ip ipsec sp list
}
configure a "$A" "$B" 0x1000 0x1001
configure b "$B" "$A" 0x1001 0x1000

say "Capturing the link on host B"
on b tcpdump -i veth-b -U -w "$E2E_TMP/wire.pcap" ip6 >/dev/null 2>&1 &
E2E_PIDS+=($!)
sleep 1

say "Ping from A to B"
HOST_PROMPT="[a] " run on a ping -6 -c 3 -i 0.2 "$B"

say "A 4 MiB file from A to B over TCP"
head -c 4194304 /dev/urandom >"$E2E_TMP/file"
on b socat -u TCP6-LISTEN:5001,reuseaddr "OPEN:$E2E_TMP/received,creat,trunc" &
server=$!
sleep 0.3
HOST_PROMPT="[a] " run on a socat -u "OPEN:$E2E_TMP/file" "TCP6:[$B]:5001"
wait "$server"
sha256sum "$E2E_TMP/file" "$E2E_TMP/received" | sed "s|$E2E_TMP/||"
cmp -s "$E2E_TMP/file" "$E2E_TMP/received" && echo "the file arrived intact"

say "New keys under traffic (ipsec6 sa rekey): B's inbound SA first, then A's outbound"
NEW_EKEY=0x4e65772033444553206b657920666f72206120726f756e64
NEW_IKEY=0x6e657720686d61632d73686131206b6579212121
on a ping -6 -c 20 -i 0.1 "$B" >"$E2E_TMP/ping.txt" &
pinger=$!
sleep 0.5
HOST_PROMPT="[b] " run cli b ipsec6 sa rekey -n sa_in -p 0x2000 -k "$NEW_EKEY" -K "$NEW_IKEY"
HOST_PROMPT="[a] " run cli a ipsec6 sa rekey -n sa_out -p 0x2000 -k "$NEW_EKEY" -K "$NEW_IKEY"
wait "$pinger"
grep 'packets transmitted' "$E2E_TMP/ping.txt"
HOST_PROMPT="[b] " run cli b ipsec6 sa list
sleep 0.5
kill "${E2E_PIDS[-1]}" 2>/dev/null || true
sleep 0.3

say "What crossed the wire (protocols seen on veth-b)"
tshark -r "$E2E_TMP/wire.pcap" -q -z io,phs 2>/dev/null | sed -n '/Protocol Hierarchy/,$p'

say "tshark decrypting the capture with the keys from 'ipsec6 sa export --wireshark'"
HOST_PROMPT="[a] " run cli a ipsec6 sa export --wireshark --show-keys | tee "$E2E_TMP/esp_sa"
opts=()
while IFS= read -r line; do opts+=(-o "uat:esp_sa:$line"); done <"$E2E_TMP/esp_sa"
tshark -r "$E2E_TMP/wire.pcap" "${opts[@]}" -o esp.enable_encryption_decode:TRUE \
    -o esp.enable_authentication_check:TRUE -Y esp -T fields -E header=y \
    -e frame.number -e esp.spi -e esp.sequence -e esp.icv_good -e _ws.col.Protocol \
    -e _ws.col.Info 2>/dev/null | sed -n '1,9p' 
# One line per frame (-T fields): a summary line may wrap or repeat for reassembled data.
frames() { tshark -r "$E2E_TMP/wire.pcap" "$@" -T fields -e frame.number 2>/dev/null | wc -l; }
total=$(frames -Y esp)
good=$(frames "${opts[@]}" -o esp.enable_encryption_decode:TRUE \
    -o esp.enable_authentication_check:TRUE -Y 'esp.icv_good == 1')
clear=$(frames -Y '(tcp or icmpv6.type == 128 or icmpv6.type == 129) and not esp')
echo "ESP packets: $total, with a good ICV: $good; clear TCP or echo packets: $clear"

say "Counters"
HOST_PROMPT="[a] " run cli a ipsec6 stats
HOST_PROMPT="[b] " run cli b ipsec6 stats

say "Cleaning up (namespaces and daemons are removed)"
