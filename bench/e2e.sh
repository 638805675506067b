#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# End-to-end throughput: iperf3 TCP (one stream) from host A to host B over a plain veth, then
# through ipsec6d in transport mode with aes128-cbc + hmac-sha1 and null + hmac-sha1, and each
# figure as a fraction of the plain one. Root; namespaces of its own, removed afterwards.
# Usage: bench/e2e.sh [BUILD_DIR] (default build); E2E_SECONDS (default 10), E2E_CRYPTO
# (ipsec6d --crypto, default auto).
source "$(dirname "$0")/../tests/e2e/lib.sh" "${1:-build}"

SECONDS_RUN=${E2E_SECONDS:-10}
CRYPTO=${E2E_CRYPTO:-auto}

two_hosts

# iperf_gbps: one TCP stream A -> B for SECONDS_RUN seconds; prints the receiver's Gbit/s.
iperf_gbps() {
	local port=$((5201 + RANDOM % 1000)) server json
	on b iperf3 -s -1 -p "$port" >/dev/null 2>&1 &
	server=$!
	E2E_PIDS+=("$server")
	sleep 0.5
	json=$(on a iperf3 -c "$B" -p "$port" -t "$SECONDS_RUN" -J 2>/dev/null) || true
	wait "$server" 2>/dev/null || true
	$PY -c 'import json, sys
try:
    print("%.2f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e9))
except Exception:
    print("0.00")' <<<"$json"
}

# row NAME GBPS: a line of the table, with GBPS as a fraction of the plain figure
row() {
	local ratio
	ratio=$(awk -v g="$2" -v p="$plain" 'BEGIN { if (p > 0) printf "%.3f", g / p; else print "-" }')
	printf '%-40s %8s Gbit/s %7s\n' "$1" "$2" "$ratio"
}

# Other work on the machine takes its share of the cores: the load says how much.
printf 'iperf3 TCP, 1 stream, %s s, host A -> host B (%s cores, crypto %s, load %s)\n' \
    "$SECONDS_RUN" "$(nproc)" "$CRYPTO" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-40s %15s %7s\n' path throughput ratio
plain=$(iperf_gbps)
row "plain veth" "$plain"

daemon_start a --crypto "$CRYPTO"
daemon_start b --crypto "$CRYPTO"
for pair in "aes128-cbc hmac-sha1" "null hmac-sha1"; do
	set -- $pair
	configure_pair "$1" "$2"
	on a ping -6 -c 1 -W 2 "$B" >/dev/null || echo "warning: ping through $1/$2 failed" >&2
	row "ipsec6 transport $1+$2" "$(iperf_gbps)"
done
