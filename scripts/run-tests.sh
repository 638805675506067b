#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run every test of `make test`: the Meson suites (unit, vectors, interop) in BUILD, then each
# libFuzzer harness for FUZZ_SECONDS (default 20) in its own clang build. SUITE="A B" runs only
# those Meson suites. Prints the plain closing line "N passed, N failed"; with TALLY=FILE also
# appends "N N" to FILE.
set -uo pipefail
cd "$(dirname "$0")/.."

build=${1:-build}
fuzz_seconds=${FUZZ_SECONDS:-20}
passed=0
failed=0

count_meson() {
	local log=$1 ok fail
	ok=$(awk '/^Ok:/ {print $2}' "$log" | tail -n1)
	fail=$(awk '/^(Fail|Timeout|Unexpected Pass):/ {s += $NF} END {print s + 0}' "$log")
	passed=$((passed + ${ok:-0}))
	failed=$((failed + ${fail:-0}))
}

log=$(mktemp)
suite_args=()
for s in ${SUITE:-}; do suite_args+=(--suite "$s"); done
meson test -C "$build" "${suite_args[@]}" --print-errorlogs --num-processes 2 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
count_meson "$log"
if [ "$rc" -ne 0 ] && ! grep -q '^Fail:' "$log"; then
	failed=$((failed + 1)) # meson itself failed
fi
rm -f "$log"

if [ "$fuzz_seconds" -gt 0 ]; then
	if scripts/fuzz.sh "$fuzz_seconds"; then
		passed=$((passed + $(ls tests/fuzz/fuzz_*.c | wc -l)))
	else
		failed=$((failed + 1))
	fi
fi

[ -n "${TALLY:-}" ] && echo "$passed $failed" >>"$TALLY"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
