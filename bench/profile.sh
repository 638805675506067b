#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Where the CPU goes while one TCP stream runs A -> B through ipsec6d (transport mode, ENC+AUTH,
# default aes128-cbc hmac-sha1): `perf record` of the whole machine (software clock: these VMs
# have no hardware counters), then the share of each thread kind and the top functions, kernel
# and user, of both hosts together. Root.
# Usage: bench/profile.sh [BUILD_DIR] [ENC AUTH [SA OPTIONS...]]; E2E_SECONDS (default 8). SA
# OPTIONS are native sa add options, e.g. --encapsulation=udp for ESP in UDP.
source "$(dirname "$0")/../tests/e2e/lib.sh" "${1:-build}"

SECONDS_RUN=${E2E_SECONDS:-8}
ENC=${2:-aes128-cbc}
AUTH=${3:-hmac-sha1}
EXTRA=("${@:4}")

two_hosts
daemon_start a
daemon_start b
configure_pair "$ENC" "$AUTH" "${EXTRA[@]}" >/dev/null
on b iperf3 -s -1 -p 5301 >/dev/null 2>&1 &
E2E_PIDS+=("$!")
wait_listen b 5301 tcp
on a iperf3 -c "$B" -p 5301 -t $((SECONDS_RUN + 2)) >"$E2E_TMP/iperf.log" 2>&1 &
E2E_PIDS+=("$!")
sleep 1
perf record -q -e cpu-clock -F 1999 -a -g -o "$E2E_TMP/perf.data" -- sleep "$SECONDS_RUN" \
    >/dev/null 2>&1
wait "${E2E_PIDS[-1]}" 2>/dev/null || true
grep -E 'receiver' "$E2E_TMP/iperf.log" | sed 's/^/iperf3: /'
echo "== CPU by thread (comm), all samples"
perf report -q -i "$E2E_TMP/perf.data" --no-children --sort comm --stdio -g none 2>/dev/null |
    grep -v '^$' | head -n 14
echo "== top functions, all threads"
perf report -q -i "$E2E_TMP/perf.data" --no-children --sort comm,sym --stdio -g none \
    2>/dev/null | grep -v '^$' | head -n 40
