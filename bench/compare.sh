#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A/B of two trees in one run: builds REV in a temporary worktree, then runs bench/e2e.sh (this
# tree's script) with REV's binaries and with this tree's, alternately, ROUNDS times (default
# 3; the order swaps every round), and prints every figure of every round and the ratio of the
# medians (this tree / REV). The tool for every performance claim: these machines are noisy,
# so only figures taken side by side in one run are compared. A row REV cannot run (ESP in UDP,
# ROW/udp, before issue 13) is compared with REV's row ROW: plain ESP then.
# Usage: bench/compare.sh REV [ROUNDS] (root). BUILD (default build) is this tree's build
# directory; E2E_SECONDS, E2E_CRYPTO and E2E_ROWS are passed to bench/e2e.sh. Both sides' daemons
# stay root (E2E_USER empty): older trees have no --user, which changes nothing on the data path.
set -euo pipefail
cd "$(dirname "$0")/.."

rev=${1:?usage: bench/compare.sh REV [ROUNDS]}
rounds=${2:-3}
build=${BUILD:-build}
tmp=$(mktemp -d /tmp/ipsec6-compare.XXXXXX)
cleanup() {
	git worktree remove --force "$tmp/src" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

short=$(git rev-parse --short "$rev")
echo "building $short in $tmp/src"
git worktree add --detach "$tmp/src" "$rev" >/dev/null 2>&1
meson setup "$tmp/build" "$tmp/src" -Dtests=false >"$tmp/setup.log" 2>&1 ||
    { cat "$tmp/setup.log"; exit 1; }
ninja -C "$tmp/build" daemon/ipsec6d cli/ipsec6 >"$tmp/ninja.log" 2>&1 ||
    { cat "$tmp/ninja.log"; exit 1; }
ninja -C "$build" daemon/ipsec6d cli/ipsec6 >/dev/null
work=$(git describe --always --dirty)

for r in $(seq "$rounds"); do
	order=("$short" work)
	[ $((r % 2)) -eq 0 ] && order=(work "$short")
	for side in "${order[@]}"; do
		dir=$tmp/build
		[ "$side" = work ] && dir=$build
		echo "round $r: $side (load $(cut -d' ' -f1 /proc/loadavg))"
		E2E_USER="" E2E_FORMAT=kv bench/e2e.sh "$dir" >"$tmp/$side.$r" 2>"$tmp/$side.$r.err" ||
		    { cat "$tmp/$side.$r.err"; exit 1; }
	done
done

# One line per figure: the rounds of REV, the rounds of this tree, both medians and the ratio.
/usr/bin/python3 - "$tmp" "$short" "$work" "$rounds" <<'EOF'
import statistics, sys

tmp, rev, work, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])


def figures(side):
    runs = []
    for r in range(1, rounds + 1):
        run = {}
        with open("%s/%s.%d" % (tmp, side, r)) as f:
            for line in f:
                name, value = line.split()
                run[name] = value
        runs.append(run)
    return runs


a, b = figures(rev), figures("work")
print("%-40s %-26s %-26s %9s %9s %7s" % ("figure", rev + " (rounds)", work + " (rounds)",
                                          "median", "median", "ratio"))


def median(values):
    nums = [float(v) for v in values if v not in ("-", "")]
    return statistics.median(nums) if nums else None


names = list(a[0]) + [n for n in b[0] if n not in a[0]]
for name in names:
    row, _, fig = name.partition(".")
    base = name
    if name not in a[0] and row.endswith("/udp"):
        base = row[:-len("/udp")] + "." + fig  # REV's plain ESP row
    va = [run.get(base, "-") for run in a]
    vb = [run.get(name, "-") for run in b]
    ma, mb = median(va), median(vb)
    ratio = "%.3f" % (mb / ma) if ma and mb is not None else "-"
    label = name if base == name else "%s (%s: %s)" % (name, rev, base)
    print("%-40s %-26s %-26s %9s %9s %7s" % (
        label, " ".join(va), " ".join(vb), "-" if ma is None else "%g" % ma,
        "-" if mb is None else "%g" % mb, ratio))
EOF
