#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A batch undone after it was in force leaves no packet to be accepted twice, when it had put
# an inbound SA back with another replay window (doc/ipsec6d.md, "Transactions"). While UDP
# flows both ways between A and B, A runs 20 times a batch that removes its inbound SA sa_in
# (window 65536) and adds it back with the same SPI and keys but another window; the fsync of
# the configuration file's directory fails (IPSEC6D_FAULTS dirsync), after the batch was put in
# force, so each is refused and rolled back. While in force, the batch's SA, whose window
# starts empty, accepts what B sends; the SA brought back must refuse all of that as what it
# accepted itself. Every ESP packet that reached A, sent again afterwards, is refused as a
# replay: the in-force ones are well within the window of 65536 that comes back, which an SA
# brought back blind to them would accept again (before 6e346e3 A accepted again exactly what
# the batches' SAs had accepted, some 360 packets). The traffic flows on through the rollbacks.
# It cannot see the hold while the rollback is put in force: the copies come afterwards
# (tests/daemon/test_seq.c rollback_other_window sends one then).
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh" "$1"

ROUNDS=${E2E_ROUNDS:-20}
RATE=${E2E_ROLLBACK_RATE:-4M} # per direction, in datagrams of 400 bytes: ~1250 a second
WINDOW=65536                  # sa_in's: every packet of the run stays within it

faulty_hosts
configure_host b aes128-cbc hmac-sha1
clear_all a
sa_add a sa_out "$A" "$B" 0x1000 aes128-cbc hmac-sha1
sa_add a sa_in "$B" "$A" 0x1001 aes128-cbc hmac-sha1 transport --replay-window=$WINDOW
sp_in="sp add --sp-name=sp_in --sp-source=$B/128 --sp-destination=$A/128 --flow-direction=in"
sp_in+=" --action=ipsec --sa-name=sa_in"
cli a ipsec6 -f - <<EOF
sp add --sp-name=sp_out --sp-source=$A/128 --sp-destination=$B/128 --flow-direction=out --action=ipsec --sa-name=sa_out
$sp_in
EOF

# The batch of round i: sa_in removed and added back as it is but for its window (32 to 4096)
alg_keys aes128-cbc hmac-sha1
batch() {
	printf 'sp remove --sp-name=sp_in\nsa remove --sa-name=sa_in\n'
	printf 'sa add --sa-name=sa_in --sa-source=%s --sa-destination=%s --sa-spi=0x1001 ' "$B" "$A"
	printf -- '--sa-mode=transport --encryption-algorithm=aes128-cbc %s=%s ' "${E2E_EKEY[@]}"
	printf -- '--integrity-algorithm=hmac-sha1 --integrity-key=%s ' "$E2E_IKEY"
	printf -- '--replay-window=%d\n%s\n' $((32 << ($1 % 8))) "$sp_in"
}
sa_list0=$(cli a ipsec6 --formatter=csv sa list | md5sum)
cp "$CONF" "$E2E_TMP/conf0"

pcap=$E2E_TMP/wire.pcap
capture_start a veth-a "$pcap" 'ip6 proto 50'
in0=$(sa_counter a sa_in packets-in)
replays0=$(drops a sa_in replay)
bg b "$E2E_TMP/iperf-server.log" iperf3 -s -p 5201
wait_listen b 5201 tcp
bg a "$E2E_TMP/iperf.log" iperf3 -c "$B" -p 5201 -u -b "$RATE" -l 400 --bidir -t 300
iperf=$E2E_BG
# flowing N: sa_in accepts more than N packets of B's within 10 s, sa_out sends as many
flowing() {
	local in out
	in=$(sa_counter a sa_in packets-in)
	out=$(sa_counter a sa_out packets-out)
	for _ in $(seq 100); do
		[ "$(sa_counter a sa_in packets-in)" -gt $((in + $1)) ] &&
		    [ "$(sa_counter a sa_out packets-out)" -gt $((out + $1)) ] && return 0
		sleep 0.1
	done
	echo "sa_in accepted $(($(sa_counter a sa_in packets-in) - in)) packets," \
	    "sa_out sent $(($(sa_counter a sa_out packets-out) - out)), in 10 s" >&2
	return 1
}
check "UDP flows both ways through A's SAs" flowing 1000

# Each round: "dirsync 1 1" lets the first fsync of a directory pass and fails the second. The
# batch's new SA (a live state of its own) makes it write PATH.seq first, as it is put in force
# (the first fsync), then the configuration file: the second fails, the previous file is put
# back (a third, which passes) and the batch is undone. The fault file is read at the next
# fault point, the 100 ms tick's too, which also writes PATH.seq once a second while the tops
# move: a round whose PATH.seq write by the tick took the first fsync is refused before it is in
# force ("cannot save .../a.conf.seq"), and tried again. The file is armed a while after the
# last write (the one that follows each change), and the batch sent once it was read.
in_force=0 early=0 other=0
started=$SECONDS
while [ "$in_force" -lt "$ROUNDS" ] && [ $((in_force + early + other)) -lt $((ROUNDS * 2)) ]; do
	batch "$in_force" >"$E2E_TMP/batch"
	sleep 0.3
	echo "dirsync 1 1" >"$FAULTS"
	for _ in $(seq 100); do
		[ -e "$FAULTS" ] || break
		sleep 0.01
	done
	if out=$(cli a ipsec6 -f "$E2E_TMP/batch" 2>&1); then
		out="accepted"
	fi
	case $out in
	*"cannot save $CONF: fsync of "*"(the previous file is back)"*)
		in_force=$((in_force + 1)) ;;
	*"cannot save $CONF.seq"*) early=$((early + 1)) ;;
	*)
		other=$((other + 1))
		note "round $((in_force + early + other)): $out" ;;
	esac
done
churn_s=$((SECONDS - started))
check "$ROUNDS batches put in force, refused as the file was saved, rolled back ($churn_s s, $early tried again)" \
    is "$in_force" -eq "$ROUNDS"
check "no batch had another outcome" is "$other" -eq 0
check "the injected failures were logged" logged a 'injected failure: dirsync'
check "the traffic still flows after the rollbacks" flowing 1000
kill "$iperf"
wait "$iperf" 2>/dev/null || true
sleep 0.5
capture_stop
check "A's SAs are what they were (sa_in's window $WINDOW)" \
    is "$(cli a ipsec6 --formatter=csv sa list | md5sum)" = "$sa_list0"
check "A's file is what it was" cmp "$CONF" "$E2E_TMP/conf0"
check "A's ipsec6d runs" alive a

# What sa_in's own live state did not see of B's packets (accepted, or dropped, by the SAs of
# the batches while in force), against what came: the rounds had something to refuse again
n=$("$PY" "$E2E_DIR/esp_wire.py" seqs "$pcap" "$B") || true
n=${n%% frames*}
taken=$(($(sa_counter a sa_in packets-in) - in0 + $(drops a sa_in replay) - replays0))
note "$n ESP packets of B's captured at A; sa_in took $taken of them, the batches' SAs the rest"
check "the batches' SAs took some of B's packets while in force" is "$n" -gt "$taken"
check "A never saw a sequence number of B's twice under one SPI" \
    "$PY" "$E2E_DIR/esp_wire.py" seqs "$pcap" "$B"

# Every captured packet of B's again, to A: each one refused as a replay and counted.
replay_all() {
	local r0 in0 n
	r0=$(drops a sa_in replay)
	in0=$(sa_counter a sa_in packets-in)
	n=$(py b esp_wire.py replay veth-b "$pcap" "$B") || return 1
	# The last bursts may still be on their way through a loaded machine: wait for the count
	# (up to 10 s), then hold it to exactly n.
	for _ in $(seq 100); do
		[ $(($(drops a sa_in replay) + $(sa_counter a sa_in packets-in) - r0 - in0)) -ge "$n" ] &&
		    break
		sleep 0.1
	done
	note "$n of B's packets sent again to A: $(($(drops a sa_in replay) - r0)) refused as" \
	    "replays, $(($(sa_counter a sa_in packets-in) - in0)) accepted"
	is "$(($(drops a sa_in replay) - r0))" -eq "$n" &&
	    is "$(sa_counter a sa_in packets-in)" -eq "$in0"
}
check "every captured packet of B's, sent again, is refused by A as a replay" replay_all

# After the replays, the traffic flows as before, both ways.
bg a "$E2E_TMP/iperf2.log" iperf3 -c "$B" -p 5201 -u -b "$RATE" -l 400 --bidir -t 60
iperf=$E2E_BG
check "the traffic flows after the replays" flowing 1000
kill "$iperf"
wait "$iperf" 2>/dev/null || true
stopped_clean a b
e2e_done
