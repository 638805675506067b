#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build the libFuzzer harnesses with clang, ASan and UBSan in build-fuzz/, then run each for
# SECONDS (first argument) on its seed corpus. Fails on any crash, leak or UB report.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
dir=build-fuzz
if [ ! -f "$dir/build.ninja" ]; then
	CC=clang meson setup "$dir" -Dfuzz=true -Dtests=false -Db_sanitize=address,undefined \
	    -Db_lundef=false -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C "$dir" >/dev/null

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
status=0
for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	corpus_seed=tests/fuzz/corpus/${name#fuzz_}
	work=$(mktemp -d)
	[ -d "$corpus_seed" ] && cp -r "$corpus_seed"/. "$work"/
	echo "fuzz: $name for ${seconds}s"
	if ! "$dir/tests/fuzz/$name" -max_total_time="$seconds" -print_final_stats=0 \
	    -artifact_prefix="$dir/$name-" "$work" >"$dir/$name.log" 2>&1; then
		echo "fuzz: $name FAILED; log: $dir/$name.log" >&2
		tail -n 40 "$dir/$name.log" >&2
		status=1
	else
		grep -E '^(#[0-9]+\s+DONE|Done)' "$dir/$name.log" | tail -n1 || true
	fi
	rm -rf "$work"
done
exit $status
