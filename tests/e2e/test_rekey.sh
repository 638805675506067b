#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `ipsec6 sa rekey` under traffic (issue 11 part 2). Hosts A and B, transport mode, aes128-cbc
# and hmac-sha1, four SAs (sa_out and sa_in on each host). A paced TCP stream runs each way
# while all four SAs get new SPIs and keys, 4 times, in the documented order: the receiver's
# inbound SA first, then the sender's outbound SA (keys on the command line in rounds 1-2, from
# files in rounds 3-4). Then: both streams arrive intact; no drop is counted on either host (per
# SA, retired SAs included, or globally); the wire carries no clear TCP and no byte of the
# streams in the clear; it carries each new SPI in turn, each starting at sequence number 1, and
# no (SPI, sequence number) twice; tshark decrypts and authenticates every ESP packet with what
# `ipsec6 sa export --wireshark --show-keys` prints (old and new SPIs, while both live);
# `ipsec6 sa list` shows each SA's predecessors as `retired` rows; no key reaches a log or an
# event.
# Then the wrong order, A -> B: A's outbound SA first, 1.5 s of traffic, then B's inbound SA:
# B drops A's packets under the SPI it does not know yet, counts them as `no-sa` (and nothing
# else), its monitor reports them, and TCP's retransmissions still bring the stream through.
# Then a grace period of 3 s: during it, A's last packet under the retired SPI, sent again,
# still reaches the retired SA (refused there as a replay, not as an unknown SPI); after it,
# the retired row is gone, the monitor says `sa-retired`, and the same packet is refused as
# `no-sa`. B's monitor has an `sa-rekeyed` event for each rekey, with the old and new SPI.
# Inside the grace of the other retired SAs: A crashes (SIGKILL) and starts again, lists its
# retired SAs again and sends no (SPI, sequence number) twice; an out-policy that names no SA
# sends under the current SPI, never a retired one; B reloads (SIGHUP), then stops and starts
# again, and each time still lists them and refuses an old packet under a retired SPI as a
# replay (its window kept), neither taking it as new nor as an unknown SPI.
# Last, an SPI whose grace has ended (on A: `sa remove -n auto`) is taken again, with new keys:
# A numbers from 1 again and B takes every packet, before and after a restart.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh" "$1"

RATE=${E2E_REKEY_RATE:-8} # MB/s per direction
MARKER='ipsec6 stream.py cleartext marker' # tests/e2e/stream.py's, at the start of each KB

two_hosts
daemon_start a
daemon_start b
configure_pair aes128-cbc hmac-sha1
check "ping A -> B over ESP" on a ping -6 -c 2 -i 0.2 -W 2 "$B"

# B's events, as `ipsec6 monitor` prints them in JSON, for the whole test.
bg b "$E2E_TMP/events.json" env IPSEC6_SOCKET="$E2E_TMP/b.sock" "$E2E_TMP/bin/ipsec6" \
    --formatter=json monitor
sleep 0.3

# keys SPI: key files for the SA of SPI (made once, random, the same on both hosts):
# $E2E_TMP/keys/SPI.enc (aes128-cbc, 16 bytes) and SPI.int (hmac-sha1, 20 bytes), "0x..." each
keys() {
	local k=$E2E_TMP/keys/$1
	mkdir -p "$E2E_TMP/keys"
	[ -f "$k.enc" ] || echo "0x$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')" >"$k.enc"
	[ -f "$k.int" ] || echo "0x$(od -An -tx1 -N20 /dev/urandom | tr -d ' \n')" >"$k.int"
}

# rekey HOST SA SPI file|line [EXTRA...]: `ipsec6 sa rekey` of SA to SPI with keys(SPI), given
# as key files or on the command line (short options), and the options EXTRA
rekey() {
	local host=$1 sa=$2 spi=$3 how=$4 k=$E2E_TMP/keys/$3
	shift 4
	keys "$spi"
	if [ "$how" = file ]; then
		cli "$host" ipsec6 sa rekey --sa-name "$sa" --sa-spi "$spi" \
		    --encryption-key-file "$k.enc" --integrity-key-file "$k.int" "$@"
	else
		cli "$host" ipsec6 sa rekey -n "$sa" -p "$spi" -k "$(cat "$k.enc")" \
		    -K "$(cat "$k.int")" "$@"
	fi
}

# stream_start TAG PORT: stream.py's streams A -> B (to PORT) and B -> A (to PORT + 1), until
# the file $E2E_TMP/stop-TAG exists; their output in $E2E_TMP/{send,recv}-{ab,ba}-TAG
stream_start() {
	local tag=$1 port=$2 stop=$E2E_TMP/stop-$1
	E2E_STREAMS=()
	bg b "$E2E_TMP/recv-ab-$tag" "$PY" "$E2E_DIR/stream.py" recv "$port"
	E2E_STREAMS+=("$E2E_BG")
	bg a "$E2E_TMP/recv-ba-$tag" "$PY" "$E2E_DIR/stream.py" recv $((port + 1))
	E2E_STREAMS+=("$E2E_BG")
	wait_listen b "$port" tcp
	wait_listen a $((port + 1)) tcp
	bg a "$E2E_TMP/send-ab-$tag" "$PY" "$E2E_DIR/stream.py" send "$B" "$port" --until "$stop" \
	    --rate "$RATE"
	E2E_STREAMS+=("$E2E_BG")
	bg b "$E2E_TMP/send-ba-$tag" "$PY" "$E2E_DIR/stream.py" send "$A" $((port + 1)) \
	    --until "$stop" --rate "$RATE"
	E2E_STREAMS+=("$E2E_BG")
}
# streaming: every process of the streams still runs
streaming() {
	local pid
	for pid in "${E2E_STREAMS[@]}"; do kill -0 "$pid" 2>/dev/null || return 1; done
}
# stream_stop TAG: tell the senders to finish, wait for the four processes (their statuses are
# in the intact checks)
stream_stop() {
	local pid
	touch "$E2E_TMP/stop-$1"
	for pid in "${E2E_STREAMS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
# intact TAG ab|ba: the receiver got as many bytes as were sent (at least 16 MB), same SHA-256
intact() {
	local sent got
	sent=$(cat "$E2E_TMP/send-$2-$1")
	got=$(cat "$E2E_TMP/recv-$2-$1")
	note "$2: sent $sent, received $got"
	[ -n "$sent" ] && [ "$sent" = "$got" ] && is "${sent%% *}" -ge $((16 * 1000 * 1000))
}

# rows HOST SA: the SA's rows in ipsec6's list, "SPI:STATE" sorted, on one line
rows() {
	cli "$1" ipsec6 --formatter=csv sa list | awk -F, -v n="$2" '
	    NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "SPI") p = i; if ($i == "State") s = i } }
	    NR > 1 && $1 == n { print $p ":" $s }' | sort | paste -sd' '
}
# no_drops HOST: no SA record (retired ones included) and not the global one counts a drop
no_drops() { lacks 'drops=[a-z]' stats "$1"; }
# no_marker PCAP: the capture is there and holds no byte sequence of stream.py's marker
no_marker() { [ -s "$1" ] && not grep -qaF "$MARKER" "$1"; }

# spis_from PCAP SRC: esp_wire.py's SPIs of SRC ("0xSPI N FIRST MIN MAX" lines)
spis_from() { "$PY" "$E2E_DIR/esp_wire.py" spis "$1" "$2"; }
# new_spis PCAP SRC SPI...: SRC's ESP in PCAP shows the SPIs in this order of first appearance
# (after those it had before), each in more than 100 frames, its first frame and its lowest
# number being sequence number 1
new_spis() {
	local pcap=$1 src=$2 out spi line n first low
	shift 2
	out=$(spis_from "$pcap" "$src") || return 1
	note "from $src: $(paste -sd';' <<<"$out")"
	[ "$(awk '{ print $1 }' <<<"$out" | tail -n $# | paste -sd' ')" = "$*" ] ||
	    { echo "SPIs in order: $(awk '{ print $1 }' <<<"$out" | paste -sd' '), want ... $*"; return 1; }
	for spi in "$@"; do
		line=$(awk -v s="$spi" '$1 == s' <<<"$out")
		read -r _ n first low _ <<<"$line"
		if [ "$n" -le 100 ] || [ "$first" -ne 1 ] || [ "$low" -ne 1 ]; then
			echo "SPI $spi: $n frames, first sequence number $first, lowest $low"
			return 1
		fi
	done
}
# unique_seqs PCAP SRC: no (SPI, sequence number) pair twice from SRC
unique_seqs() { "$PY" "$E2E_DIR/esp_wire.py" seqs "$1" "$2"; }

# events EVENT FIELD...: B's monitor events EVENT, the values of FIELDs on one line each
events() {
	"$PY" - "$E2E_TMP/events.json" "$@" <<'PYEOF'
import json, sys
path, event, fields = sys.argv[1], sys.argv[2], sys.argv[3:]
for line in open(path):
    e = json.loads(line)
    if e["event"] == event:
        print(" ".join(str(e.get(f, "-")) for f in fields))
PYEOF
}

# 1. The documented order, 4 rounds, under a stream each way.
SPI_AB=(0x1000 0x1100 0x1200 0x1300 0x1400) # A -> B: A's sa_out, B's sa_in
SPI_BA=(0x1001 0x1101 0x1201 0x1301 0x1401) # B -> A: B's sa_out, A's sa_in
pcap1=$E2E_TMP/wire1.pcap
capture_start b veth-b "$pcap1"
stream_start 1 6100
sleep 1
rounds=0
flowing=yes
for r in 1 2 3 4; do
	how=line
	[ $r -ge 3 ] && how="file"
	streaming || flowing=no
	rekey b sa_in "${SPI_AB[r]}" $how && rekey a sa_out "${SPI_AB[r]}" $how &&
	    rekey a sa_in "${SPI_BA[r]}" $how && rekey b sa_out "${SPI_BA[r]}" $how &&
	    rounds=$((rounds + 1))
	sleep 0.8
done
streaming || flowing=no
stream_stop 1
capture_stop
check "order: 4 rounds of 4 rekeys done" is "$rounds" -eq 4
check "order: the streams ran through every round" is "$flowing" = yes
check "order: the stream A -> B arrived intact" intact 1 ab
check "order: the stream B -> A arrived intact" intact 1 ba
check "order: no drop counted on A" no_drops a
check "order: no drop counted on B" no_drops b
check "order: no clear TCP on the wire, ESP there" no_clear "$pcap1"
check "order: no byte of the streams in the clear on the wire" no_marker "$pcap1"
check "order: A sent under each new SPI in turn, each from sequence number 1" \
    new_spis "$pcap1" "$A" "${SPI_AB[@]:1}"
check "order: B sent under each new SPI in turn, each from sequence number 1" \
    new_spis "$pcap1" "$B" "${SPI_BA[@]:1}"
check "order: tshark decrypts every ESP packet with the keys A exports, ICV good" \
    tshark_all_good a "$pcap1"
check "order: no (SPI, sequence number) twice from A" unique_seqs "$pcap1" "$A"
check "order: no (SPI, sequence number) twice from B" unique_seqs "$pcap1" "$B"
retired() { # retired SPI...: the rows of an SA with these retired SPIs, then the current one
	local spi out=()
	for spi in "${@:1:$#-1}"; do out+=("$spi:retired"); done
	echo "${out[*]} ${*: -1}:mature"
}
check "order: A lists sa_out's 4 predecessors as retired" \
    is "$(rows a sa_out)" = "$(retired "${SPI_AB[@]}")"
check "order: A lists sa_in's 4 predecessors as retired" \
    is "$(rows a sa_in)" = "$(retired "${SPI_BA[@]}")"
check "order: B lists sa_out's 4 predecessors as retired" \
    is "$(rows b sa_out)" = "$(retired "${SPI_BA[@]}")"
check "order: B lists sa_in's 4 predecessors as retired" \
    is "$(rows b sa_in)" = "$(retired "${SPI_AB[@]}")"
check "order: esxcli's list shows the current SAs only" \
    is "$(cli a esxcli --formatter=csv network ip ipsec sa list | tail -n +2 | cut -d, -f1,4 |
	sort | paste -sd' ')" = "sa_in,0x1401 sa_out,0x1400"

# 2. The wrong order, A -> B: A's outbound SA first, B's inbound SA 1.5 s later.
pcap2=$E2E_TMP/wire2.pcap
capture_start b veth-b "$pcap2"
stream_start 2 6200
sleep 1
nosa0=$(drops b "" no-sa)
check "wrong order: A's sa_out rekeyed to 0x1500 first" rekey a sa_out 0x1500 line
sleep 1.5
meanwhile=$(($(drops b "" no-sa) - nosa0))
check "wrong order: then B's sa_in" rekey b sa_in 0x1500 line
sleep 1.5
flowing=$(streaming && echo yes || echo no)
stream_stop 2
capture_stop
lost=$(($(drops b "" no-sa) - nosa0))
note "B dropped $lost of A's packets under 0x1500 ($meanwhile of them before its rekey)"
check "wrong order: B dropped A's packets meanwhile, counted as no-sa" is "$meanwhile" -gt 0
check "wrong order: the only drops on B are these" \
    is "$(stats b | grep -o 'drops=[^[:space:]]*' | sort -u | paste -sd' ')" = \
    "drops= drops=no-sa:$((nosa0 + lost))"
check "wrong order: nothing dropped on A" no_drops a
check "wrong order: the streams ran meanwhile" is "$flowing" = yes
check "wrong order: the stream A -> B still arrived intact (TCP retransmitted)" intact 2 ab
check "wrong order: the stream B -> A arrived intact" intact 2 ba
check "wrong order: no clear TCP on the wire, ESP there" no_clear "$pcap2"
check "wrong order: no byte of the streams in the clear on the wire" no_marker "$pcap2"
check "wrong order: A sent under 0x1500 from sequence number 1" new_spis "$pcap2" "$A" 0x1500
sleep 1.2 # the drops are reported once a second
check "wrong order: B's monitor reported the no-sa drops, all of them" \
    is "$(events drops reason count | awk '$1 == "no-sa" { n += $2 } END { print n + 0 }')" \
    -eq "$((nosa0 + lost))"

# 3. A grace period of 3 s: B's sa_in to 0x1600 (then A's sa_out), 0x1500 retired on B.
replays() { drops b sa_in replay; }
# send_again: A's last packet under 0x1500 in the second capture sent again to B
send_again() {
	py a esp_wire.py replay veth-a "$pcap2" "$A" --spi 0x1500 --last 1 >/dev/null ||
	    note "esp_wire.py replay failed"
}
check "grace: B's sa_in rekeyed to 0x1600 with a grace of 3 s" \
    rekey b sa_in 0x1600 line --grace-period=3
retired_at=$SECONDS
check "grace: then A's sa_out" rekey a sa_out 0x1600 line
check "grace: B lists 0x1500 as retired" has '0x1500:retired' rows b sa_in
r0=$(replays)
nosa0=$(drops b "" no-sa)
send_again
sleep 0.3
check "grace: a packet under 0x1500 still reaches its retired SA (a replay there)" \
    is "$(replays)/$(drops b "" no-sa)" = "$((r0 + 1))/$nosa0"
for _ in $(seq 100); do
	[[ "$(rows b sa_in)" == *0x1500* ]] || break
	sleep 0.1
done
gone_after=$((SECONDS - retired_at))
check "grace: 0x1500 is no longer listed, 2-5 s after the rekey ($gone_after s)" \
    lacks 0x1500 rows b sa_in
check "grace: it was listed till the grace ended" is "$gone_after" -ge 2
check "grace: and gone soon after" is "$gone_after" -le 5
check "grace: the other retired SAs stay" \
    is "$(rows b sa_in)" = "$(retired "${SPI_AB[@]}" 0x1600)"
send_again
sleep 0.3
check "grace: after it, the same packet is dropped as an unknown SPI" \
    is "$(replays)/$(drops b "" no-sa)" = "$r0/$((nosa0 + 1))"
check "grace: ping A -> B over the new SAs" on a ping -6 -c 2 -i 0.2 -W 2 "$B"
check "grace: B's monitor says sa-retired for 0x1500, once" \
    is "$(events sa-retired sa spi | paste -sd';')" = "sa_in 0x1500"

check "monitor: an sa-rekeyed event for each of B's rekeys, old and new SPI" \
    is "$(events sa-rekeyed sa old-spi spi | paste -sd';')" = \
    "sa_in 0x1000 0x1100;sa_out 0x1001 0x1101;sa_in 0x1100 0x1200;sa_out 0x1101 0x1201;\
sa_in 0x1200 0x1300;sa_out 0x1201 0x1301;sa_in 0x1300 0x1400;sa_out 0x1301 0x1401;\
sa_in 0x1400 0x1500;sa_in 0x1500 0x1600"

# 4. Crashes, reloads and restarts inside the grace. A crashes and starts again: its SAs come
# back, retired ones included, and it sends no sequence number twice under an SPI.
pcap3=$E2E_TMP/wire3.pcap
capture_start b veth-b "$pcap3"
check "crash: ping A -> B before" on a ping -6 -c 3 -i 0.2 -W 2 "$B"
daemon_stop a KILL
daemon_start a
check "crash: ping A -> B after A's crash and restart" on a ping -6 -c 3 -i 0.2 -W 2 "$B"
capture_stop
check "crash: A sent no (SPI, sequence number) twice across it" unique_seqs "$pcap3" "$A"
check "crash: A lists its SAs as they were, retired ones included" \
    is "$(rows a sa_out)" = "$(retired "${SPI_AB[@]}" 0x1500 0x1600)"
# A policy that names no SA picks, per packet, the first SA of its addresses: never a retired
# one (B would still take 0x1000..0x1400, in their grace: only the wire shows it).
cli a esxcli network ip ipsec sp remove --sp-name sp_out
cli a esxcli network ip ipsec sp add --sp-source "$A/128" --sp-destination "$B/128" \
    --flow-direction out --action ipsec --sp-name sp_out
pcap4=$E2E_TMP/wire4.pcap
capture_start b veth-b "$pcap4"
check "auto: ping A -> B through a policy without an SA" on a ping -6 -c 3 -i 0.2 -W 2 "$B"
capture_stop
only_current() {
	local out
	out=$(spis_from "$pcap4" "$A") || return 1
	note "from $A: $(paste -sd';' <<<"$out")"
	is "$(awk '{ print $1 }' <<<"$out" | paste -sd' ')" = 0x1600
}
check "auto: A sent under the current SPI only" only_current
# B reloads, then stops and starts again, within the grace of 0x1300 (A -> B): A's last packet
# under it, sent again, is refused each time by the retired SA as a replay (its window kept),
# neither taken as new nor unknown.
send_old() {
	py a esp_wire.py replay veth-a "$pcap1" "$A" --spi 0x1300 --last 1 >/dev/null ||
	    note "esp_wire.py replay failed"
}
# b_in: the packets B took in under sa_in, all its rows (SPIs) together
b_in() { stat_field b sa sa_in packets-in | awk '{ n += $1 } END { print n + 0 }'; }
# refused_as_replay: send_old, and B counts one replay on sa_in, no no-sa, takes nothing
refused_as_replay() {
	local r0 n0 in0
	r0=$(drops b sa_in replay)
	n0=$(drops b "" no-sa)
	in0=$(b_in)
	send_old
	sleep 0.3
	is "$(drops b sa_in replay)/$(drops b "" no-sa)" = "$((r0 + 1))/$n0" &&
	    is "$(b_in)" -eq "$in0"
}
# shellcheck disable=SC2154 # daemon_start sets it
kill -HUP "$E2E_PID_b"
check "reload: B reloaded" logged b "reloaded the configuration"
check "reload: B still lists the retired SAs" \
    is "$(rows b sa_in)" = "$(retired "${SPI_AB[@]}" 0x1600)"
check "reload: an old packet under retired 0x1300 is refused as a replay" refused_as_replay
daemon_stop b TERM
daemon_start b
check "restart: B lists the retired SAs again" \
    is "$(rows b sa_in)" = "$(retired "${SPI_AB[@]}" 0x1600)"
check "restart: the old packet under 0x1300 is still refused as a replay" refused_as_replay

# 5. An SPI whose grace has ended is free again, with fresh state: on A, `sa remove -n auto`
# ends the grace of its retired 0x1500 early; then B's sa_in and A's sa_out go back to 0x1500,
# with new keys. A's pings all get through, before and after a restart of B (no stale window
# or sequence number of the old 0x1500 comes back), and A numbers them from 1 again.
for f in "$E2E_TMP"/keys/0x1500.*; do mv "$f" "${f/0x1500/0x1500-was}"; done
check "reuse: A ends the grace of its retired 0x1500" \
    cli a ipsec6 sa remove -n auto -s "$A" -d "$B" -p 0x1500
check "reuse: A lists its other retired SAs only" \
    is "$(rows a sa_out)" = "$(retired "${SPI_AB[@]}" 0x1600)"
check "reuse: B's sa_in to 0x1500 again" rekey b sa_in 0x1500 line
check "reuse: A's sa_out to 0x1500 again" rekey a sa_out 0x1500 line
pcap5=$E2E_TMP/wire5.pcap
capture_start b veth-b "$pcap5"
replays0=$(drops b sa_in replay)
check "reuse: 5 of 5 pings answered" has ' 5 received' on a ping -6 -c 5 -i 0.2 -W 2 "$B"
check "reuse: B refused none as a replay" is "$(drops b sa_in replay)" -eq "$replays0"
daemon_stop b TERM
daemon_start b
check "reuse: after B's restart, 5 of 5 again" has ' 5 received' on a ping -6 -c 5 -i 0.2 -W 2 "$B"
check "reuse: B dropped nothing since its restart" no_drops b
capture_stop
from_one() {
	local out
	out=$(spis_from "$pcap5" "$A") || return 1
	note "from $A: $(paste -sd';' <<<"$out")"
	is "$out" = "0x1500 10 1 1 10"
}
check "reuse: A sent the 10 under 0x1500, numbered from 1" from_one
# keys_nowhere: no key of a rekey, in hex, in the logs or B's events
keys_nowhere() {
	sed 's/^0x//' "$E2E_TMP"/keys/* >"$E2E_TMP/key-patterns"
	not grep -iF -f "$E2E_TMP/key-patterns" "$E2E_TMP/a.log" "$E2E_TMP/b.log" \
	    "$E2E_TMP/events.json"
}
check "no key in the daemons' logs or B's events" keys_nowhere
stopped_clean a b
e2e_done
