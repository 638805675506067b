#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build the libFuzzer harnesses with clang, ASan and UBSan in build-fuzz/, then run each for
# SECONDS (first argument) on its seed corpus, one after the other. Fails on any crash, leak,
# UB report or broken invariant. Prints per target the executions, the coverage (cov: edges,
# ft: features) and the corpus size before and after.
#
# FUZZ_TARGETS="cmd conf" runs only those. FUZZ_KEEP=DIR keeps each target's corpus in
# DIR/NAME (seeded from tests/fuzz/corpus/NAME the first time) so that a long campaign grows
# it; `scripts/fuzz.sh merge DIR` then minimises DIR/NAME and the seeds into a fresh
# tests/fuzz/corpus/NAME (libFuzzer -merge=1), to be reviewed and committed.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=build-fuzz
# One build at a time: runs started together (the lanes of a campaign) would otherwise run ninja
# in one directory at once, which corrupts its dependency log (objects then go stale).
exec 9>"$dir.lock"
flock 9
if [ ! -f "$dir/build.ninja" ]; then
	CC=clang meson setup "$dir" -Dfuzz=true -Dtests=false -Db_sanitize=address,undefined \
	    -Db_lundef=false -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C "$dir" >/dev/null
flock -u 9

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
targets=${FUZZ_TARGETS:-$(for f in tests/fuzz/fuzz_*.c; do basename "$f" .c; done | sed 's/^fuzz_//')}

if [ "${1:-}" = merge ]; then
	keep=${2:?usage: scripts/fuzz.sh merge DIR}
	for name in $targets; do
		seed=tests/fuzz/corpus/$name
		fresh=$(mktemp -d)
		before=$(find "$seed" -type f 2>/dev/null | wc -l)
		"$dir/tests/fuzz/fuzz_$name" -merge=1 "$fresh" "$seed" "$keep/$name" \
		    >"$dir/fuzz_$name-merge.log" 2>&1
		rm -rf "$seed"
		mkdir -p "$seed"
		cp "$fresh"/. "$seed"/ -r
		rm -rf "$fresh"
		echo "fuzz: $name: corpus $before -> $(find "$seed" -type f | wc -l) files"
	done
	exit 0
fi

seconds=${1:-60}
status=0
for name in $targets; do
	seed=tests/fuzz/corpus/$name
	if [ -n "${FUZZ_KEEP:-}" ]; then
		work=$FUZZ_KEEP/$name
		mkdir -p "$work"
		[ -n "$(ls -A "$work")" ] || { [ ! -d "$seed" ] || cp -r "$seed"/. "$work"/; }
	else
		work=$(mktemp -d)
		[ ! -d "$seed" ] || cp -r "$seed"/. "$work"/
	fi
	before=$(find "$work" -type f | wc -l)
	echo "fuzz: fuzz_$name for ${seconds}s"
	log=$dir/fuzz_$name.log
	if ! "$dir/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -print_final_stats=1 \
	    -timeout=10 -artifact_prefix="$dir/fuzz_$name-" "$work" >"$log" 2>&1; then
		echo "fuzz: fuzz_$name FAILED; log: $log" >&2
		tail -n 40 "$log" >&2
		status=1
	else
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n1)
		echo "fuzz: fuzz_$name: ${execs:-?} executions, $cov," \
		    "corpus $before -> $(find "$work" -type f | wc -l) files"
	fi
	[ -n "${FUZZ_KEEP:-}" ] || rm -rf "$work"
done
exit $status
