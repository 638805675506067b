#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The cost of an SPD change with the data path on: ipsec6d rewrites its nftables table in one
# transaction per change, so a change costs more as policies accumulate. For N policies (loaded
# in one `ipsec6 -f` batch) it prints the batch's time, the median of 5 single `sp add`s, the
# time of `ipsec6 stats` (which reads every policy's counter), and the single add as a multiple
# of the one at the smallest N. Root; a namespace of its own, removed afterwards.
# Usage: bench/steer_bench.sh [BUILD_DIR] (default build); STEER_SIZES (default "10 1000 10000").
source "$(dirname "$0")/../tests/e2e/lib.sh" "${1:-build}"

SIZES=${STEER_SIZES:-10 1000 10000}

two_hosts

# seconds CMD...: wall-clock seconds of one run of CMD, output discarded
seconds() {
	local t0 t1
	t0=$(date +%s%N)
	"$@" >/dev/null
	t1=$(date +%s%N)
	awk -v d=$((t1 - t0)) 'BEGIN { printf "%.3f", d / 1e9 }'
}

printf 'SPD changes with the data path on (%s cores, load %s)\n' "$(nproc)" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%10s %10s %12s %10s %8s\n' policies batch_s one_add_s stats_s ratio
base=
for n in $SIZES; do
	daemon_start a
	"$PY" -c 'import sys
for i in range(int(sys.argv[1])):
    print("sp add --sp-source 2001:db8:5::%x/128 --sp-destination 2001:db8:6::1/128"
          " --flow-direction out --action none --sp-name p%d" % (i + 1, i))' "$n" \
	    >"$E2E_TMP/batch"
	batch=$(seconds cli a ipsec6 -f "$E2E_TMP/batch")
	adds=()
	for i in 1 2 3 4 5; do
		adds+=("$(seconds cli a ipsec6 sp add --sp-source "2001:db8:7::$i/128" \
		    --sp-destination 2001:db8:6::1/128 --flow-direction out --action none \
		    --sp-name "q$i")")
	done
	one=$(printf '%s\n' "${adds[@]}" | sort -n | sed -n 3p)
	stats=$(seconds cli a ipsec6 stats)
	[ -z "$base" ] && base=$one
	printf '%10s %10s %12s %10s %8s\n' "$n" "$batch" "$one" "$stats" \
	    "$(awk -v a="$one" -v b="$base" 'BEGIN { printf "%.1f", a / b }')"
	daemon_stop a TERM
	rm -f "$E2E_TMP/a.conf" "$E2E_TMP/a.conf.seq"
done
