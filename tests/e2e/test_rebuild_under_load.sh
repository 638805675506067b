#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Rebuilds under load: while UDP flows both ways between A and B through their SAs, A's state
# is rebuilt 200 times: 100 SIGHUP reloads and 100 batches refused after their first line
# applied (line 1 a new SA, line 2 the same name again: rolled back). A also holds 300
# unrelated SAs and policies, so that each rebuild takes a while, as an operator's would.
# Every rebuild makes new SA objects while the packet threads still use the old ones: the
# capture of the link shows no (SPI, sequence number) pair twice from A, B refused nothing of
# A's as a replay, and afterwards every captured ESP packet, sent again, is refused by its
# receiver as a replay and counted there.
# Run from a sanitizer build (ThreadSanitizer in CI), both daemons' logs hold no report.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh" "$1"

ROUNDS=${E2E_ROUNDS:-100}
RATE=${E2E_RATE:-60M} # per direction, in datagrams of 400 bytes
UNRELATED=${E2E_UNRELATED:-300}

two_hosts
daemon_start a
daemon_start b
configure_pair aes128-cbc hmac-sha1

# The unrelated SAs and policies, one batch; then the batch that is refused at its second line.
alg_keys aes128-cbc hmac-sha1
for i in $(seq "$UNRELATED"); do
	printf 'sa add --sa-name=sa_u%d --sa-source=%s --sa-destination=2001:db8:9::%x ' "$i" "$A" "$i"
	printf -- '--sa-spi=0x%x --encryption-algorithm=aes128-cbc %s=%s ' $((0x6000 + i)) "${E2E_EKEY[@]}"
	printf -- '--integrity-algorithm=hmac-sha1 --integrity-key=%s\n' "$E2E_IKEY"
	printf 'sp add --sp-name=sp_u%d --sp-source=%s/128 --sp-destination=2001:db8:9::%x/128 ' "$i" "$A" "$i"
	printf -- '--flow-direction=out --action=ipsec --sa-name=sa_u%d\n' "$i"
done >"$E2E_TMP/unrelated"
check "$UNRELATED unrelated SAs and policies added on A" cli a ipsec6 -f "$E2E_TMP/unrelated"
extra="sa add --sa-name=sa_extra --sa-source=$A --sa-destination=2001:db8:8::1 --sa-spi=0x7000"
extra+=" --encryption-algorithm=null --integrity-algorithm=hmac-sha1 --integrity-key=$E2E_IKEY"
printf '%s\n%s\n' "$extra" "$extra" >"$E2E_TMP/refused"
sa_list0=$(cli a ipsec6 --formatter=csv sa list | md5sum)

pcap=$E2E_TMP/wire.pcap
capture_start b veth-b "$pcap" 'ip6 proto 50'
bg b "$E2E_TMP/iperf-server.log" iperf3 -s -p 5201
wait_listen b 5201 tcp
bg a "$E2E_TMP/iperf.log" iperf3 -c "$B" -p 5201 -u -b "$RATE" -l 400 --bidir -t 600
iperf=$E2E_BG
flowing() {
	local i
	for i in $(seq 100); do
		[ "$(sa_counter a sa_out packets-out)" -gt 10000 ] &&
		    [ "$(sa_counter a sa_in packets-in)" -gt 10000 ] && return 0
		sleep 0.1
	done
	return 1
}
check "UDP flows both ways through A's SAs" flowing
replays_b0=$(drops b sa_in replay)
replays_a0=$(drops a sa_in replay)

# reloaded: how many reloads A's log reports
reloaded() { grep -c 'reloaded the configuration' "$E2E_TMP/a.log" || true; }
refused=0
reloads0=$(reloaded)
started=$SECONDS
for i in $(seq "$ROUNDS"); do
	want=$((reloads0 + i))
	kill -HUP "$E2E_PID_a"
	for _ in $(seq 500); do
		[ "$(reloaded)" -ge "$want" ] && break
		sleep 0.01
	done
	out=$(cli a ipsec6 -f "$E2E_TMP/refused" 2>&1) ||
	    case $out in *"line 2: SA 'sa_extra' already exists"*) refused=$((refused + 1)) ;; esac
done
churn_s=$((SECONDS - started))
check "$ROUNDS SIGHUP reloads done under load ($churn_s s)" is "$(reloaded)" -eq $((reloads0 + ROUNDS))
check "$ROUNDS batches refused at line 2 and rolled back" is "$refused" -eq "$ROUNDS"
check "the traffic still ran at the end" kill -0 "$iperf"
kill "$iperf"
wait "$iperf" 2>/dev/null || true
sleep 0.5
capture_stop
check "A's state is what it was" is "$(cli a ipsec6 --formatter=csv sa list | md5sum)" = "$sa_list0"
check "A's ipsec6d runs" alive a

# seqs SRC MIN: no (SPI, sequence) pair from SRC twice in the capture, and at least MIN frames
seqs() {
	local out n
	out=$("$PY" "$E2E_DIR/esp_wire.py" seqs "$pcap" "$1") || { echo "$out"; return 1; }
	note "from $1: $out"
	n=${out%% frames*}
	is "$n" -ge "$2"
}
check "A never sent a sequence number twice under one SPI" seqs "$A" 50000
check "B never sent a sequence number twice under one SPI" seqs "$B" 50000
check "B refused none of A's packets as a replay meanwhile" \
    is "$(drops b sa_in replay)" -eq "$replays_b0"
check "A refused none of B's packets as a replay meanwhile" \
    is "$(drops a sa_in replay)" -eq "$replays_a0"

# Every captured ESP packet again, to its receiver: each one refused as a replay and counted.
# replayed HOST IF SRC: send SRC's frames from the capture out of HOST's IF (to the peer)
replay_all() {
	local host=$1 ifc=$2 src=$3 peer=$4 r0 in0 n
	r0=$(drops "$peer" sa_in replay)
	in0=$(sa_counter "$peer" sa_in packets-in)
	n=$(py "$host" esp_wire.py replay "$ifc" "$pcap" "$src") || return 1
	# The last bursts may still be on their way through a loaded machine: wait for the count
	# (up to 10 s), then hold it to exactly n.
	for _ in $(seq 100); do
		[ "$(($(drops "$peer" sa_in replay) - r0))" -ge "$n" ] && break
		sleep 0.1
	done
	note "$n of $src's packets sent again to $peer: $(($(drops "$peer" sa_in replay) - r0))" \
	    "refused as replays, $(($(sa_counter "$peer" sa_in packets-in) - in0)) accepted"
	is "$(($(drops "$peer" sa_in replay) - r0))" -eq "$n" &&
	    is "$(sa_counter "$peer" sa_in packets-in)" -eq "$in0"
}
check "every captured packet of A's, sent again, is refused by B as a replay" \
    replay_all a veth-a "$A" b
check "every captured packet of B's, sent again, is refused by A as a replay" \
    replay_all b veth-b "$B" a

stopped_clean a b
e2e_done
