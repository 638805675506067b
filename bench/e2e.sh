#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# End-to-end figures between two hosts (network namespaces on a veth pair), over plain veth and
# through ipsec6d in transport mode with aes128-cbc + hmac-sha1, aes128-gcm16 and null +
# hmac-sha1, and the first two again as ESP in UDP (--encapsulation=udp, rows ending in /udp):
# - TCP, one stream and four (iperf3 -P 4), A -> B: Gbit/s and the fraction of plain veth's,
#   packets per second on the link (for ipsec6, ESP packets both ways, from the SAs' counters),
#   CPU of the whole machine per such packet, TCP retransmits, queue-full drops;
# - UDP, 1400-byte IPv6 packets as fast as iperf3 sends them: Gbit/s received and the loss;
# - ping RTT: sparse (20 pings 0.2 s apart, idle link) and under load (during the TCP stream).
# Root; namespaces of its own, removed afterwards.
# Usage: bench/e2e.sh [BUILD_DIR] (default build). E2E_SECONDS (default 10), E2E_CRYPTO (ipsec6d
# --crypto, default auto), E2E_FORMAT=kv: "NAME VALUE" lines instead of the table (for
# bench/compare.sh), E2E_ROWS (default "plain aes128-cbc+hmac-sha1 aes128-gcm16 null+hmac-sha1
# aes128-cbc+hmac-sha1/udp aes128-gcm16/udp"; a row is plain, ENC+AUTH, or an AES-GCM ENC alone,
# with /udp for ESP in UDP). A /udp row is left out for a build without --encapsulation.
source "$(dirname "$0")/../tests/e2e/lib.sh" "${1:-build}"

SECONDS_RUN=${E2E_SECONDS:-10}
CRYPTO=${E2E_CRYPTO:-auto}
FORMAT=${E2E_FORMAT:-table}
ROWS=${E2E_ROWS:-plain aes128-cbc+hmac-sha1 aes128-gcm16 null+hmac-sha1 aes128-cbc+hmac-sha1/udp aes128-gcm16/udp}

two_hosts

# busy_jiffies: CPU time of the whole machine so far (all cores, in USER_HZ ticks), but for
# niced processes' (a background fuzzer's, say): user, system, irq and softirq
busy_jiffies() { awk '/^cpu / { print $2 + $4 + $7 + $8 }' /proc/stat; }
# link_packets: frames through A's end of the link, both ways
link_packets() { on a cat /sys/class/net/veth-a/statistics/{tx,rx}_packets | awk '{ s += $1 } END { print s }'; }
# esp_packets: ESP packets A and B sent (from their SAs' counters); without ipsec6: link frames
esp_packets() {
	if [ "$ROW" = plain ]; then
		link_packets
	else
		echo $(($(sa_counter a sa_out packets-out) + $(sa_counter b sa_out packets-out)))
	fi
}
queue_full() {
	[ "$ROW" = plain ] && { echo 0; return; }
	echo $(($(drops a "" queue-full) + $(drops b "" queue-full)))
}

# iperf STREAMS [udp]: one run A -> B; sets GBPS, RETR (TCP) or LOSS (UDP, percent)
iperf() {
	local port=$((5201 + RANDOM % 1000)) server json args=(-P "$1")
	[ "${2:-}" = udp ] && args+=(-u -b 0 -l 1352) # 1400-byte IPv6 packets
	on b iperf3 -s -1 -p "$port" >/dev/null 2>&1 &
	server=$!
	E2E_PIDS+=("$server")
	wait_listen b "$port" tcp
	json=$(on a iperf3 -c "$B" -p "$port" -t "$SECONDS_RUN" -J "${args[@]}" 2>/dev/null) || true
	wait "$server" 2>/dev/null || true
	read -r GBPS RETR LOSS < <($PY -c 'import json, sys
try:
    e = json.load(sys.stdin)["end"]
    if sys.argv[1] == "udp":
        print("%.2f - %.2f" % (e["sum_received"]["bits_per_second"] / 1e9,
                               e["sum"]["lost_percent"]))
    else:
        print("%.2f %d -" % (e["sum_received"]["bits_per_second"] / 1e9,
                             e["sum_sent"].get("retransmits", 0)))
except Exception:
    print("0.00 - -")' "${2:-tcp}" <<<"$json")
}

# ping_rtt COUNT INTERVAL: the average RTT in ms of COUNT pings A -> B
ping_rtt() {
	on a ping -6 -n -q -c "$1" -i "$2" -W 2 "$B" 2>/dev/null |
	    sed -n 's|^rtt .* = [0-9.]*/\([0-9.]*\)/.*|\1|p' | grep . || echo -
}

# out NAME VALUE: one figure (table cells are kept for the row's line)
CELLS=()
out() {
	if [ "$FORMAT" = kv ]; then
		printf '%s.%s %s\n' "$ROW" "$1" "$2"
	else
		CELLS+=("$2")
	fi
}

# measured STREAMS: a TCP run with the packets and CPU it took; the ping under load runs
# beside the single stream
measured() {
	local p0 j0 q0 pkts cpu_us pinger
	p0=$(esp_packets)
	j0=$(busy_jiffies)
	q0=$(queue_full)
	if [ "$1" = 1 ]; then
		(sleep 2 && ping_rtt 20 0.2 >"$E2E_TMP/loaded") &
		pinger=$!
	fi
	iperf "$1"
	pkts=$(($(esp_packets) - p0))
	cpu_us=$(awk -v j="$(($(busy_jiffies) - j0))" -v hz="$(getconf CLK_TCK)" -v n="$pkts" \
	    'BEGIN { if (n > 0) printf "%.2f", j / hz * 1e6 / n; else print "-" }')
	[ -n "${pinger:-}" ] && wait "$pinger"
	[ "$ROW" = plain ] && PLAIN[$1]=$GBPS
	out "tcp$1.gbps" "$GBPS"
	out "tcp$1.ratio" "$(awk -v g="$GBPS" -v p="${PLAIN[$1]:-0}" \
	    'BEGIN { if (p > 0) printf "%.3f", g / p; else print "-" }')"
	out "tcp$1.kpps" "$(awk -v n="$pkts" -v s="$SECONDS_RUN" 'BEGIN { printf "%.0f", n / s / 1000 }')"
	out "tcp$1.cpu_us_per_pkt" "$cpu_us"
	out "tcp$1.retransmits" "$RETR"
	out "tcp$1.queue_full" "$(($(queue_full) - q0))"
}

declare -A PLAIN
if [ "$FORMAT" = table ]; then
	printf 'iperf3 %s s, host A -> host B (%s cores, crypto %s, load %s)\n' "$SECONDS_RUN" \
	    "$(nproc)" "$CRYPTO" "$(cut -d' ' -f1-3 /proc/loadavg)"
	printf '%-24s | %s\n' "" \
	    "TCP 1 stream: Gbit/s ratio kpps us/pkt retr qfull | TCP 4 streams: same | UDP 1400: Gbit/s loss% | ping ms: sparse loaded"
fi
started=false
for ROW in $ROWS; do
	CELLS=()
	algs=${ROW%/udp}
	encap=()
	if [ "$algs" != "$ROW" ]; then
		"$IPSEC6" sa add --help 2>/dev/null | grep -q -- --encapsulation || continue
		encap=(--encapsulation=udp)
	fi
	if [ "$ROW" != plain ]; then
		if ! $started; then
			daemon_start a --crypto "$CRYPTO"
			daemon_start b --crypto "$CRYPTO"
			started=true
		fi
		if [[ $algs == *+* ]]; then
			configure_pair "${algs%%+*}" "${algs#*+}" "${encap[@]}" >/dev/null
		else
			# AES-GCM: no integrity algorithm
			configure_pair "$algs" none "${encap[@]}" >/dev/null
		fi
		on a ping -6 -c 1 -W 2 "$B" >/dev/null || echo "warning: ping through $ROW failed" >&2
	fi
	out "ping.sparse_ms" "$(ping_rtt 20 0.2)"
	measured 1
	out "ping.loaded_ms" "$(cat "$E2E_TMP/loaded")"
	measured 4
	iperf 1 udp
	out "udp1400.gbps" "$GBPS"
	out "udp1400.loss_pct" "$LOSS"
	if [ "$FORMAT" = table ]; then
		# CELLS: sparse, 6 of tcp1, loaded, 6 of tcp4, udp gbps, loss
		printf '%-24s | %s %s %s %s %s %s | %s %s %s %s %s %s | %s %s | %s %s\n' "$ROW" \
		    "${CELLS[@]:1:6}" "${CELLS[@]:8:6}" "${CELLS[@]:14:2}" "${CELLS[0]}" "${CELLS[7]}"
	fi
done
