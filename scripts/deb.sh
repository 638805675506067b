#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build the Debian binary package from a clean copy of the tree (the files git tracks or would
# track, as they are now: no build directories, nothing ignored) with dpkg-buildpackage -b -us
# -uc, then check it with lintian. The .deb and the lintian report land in OUT (default
# build-deb/). Needs debhelper, dpkg-dev and lintian (scripts/deps.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(realpath -m "${1:-build-deb}")
version=$(dpkg-parsechangelog -S Version)
upstream=$(sed -n "s/^ *version *: *'\([^']*\)'.*/\1/p" meson.build | head -n1)
if [ "${version%%-*}" != "$upstream" ]; then
	echo "deb.sh: debian/changelog says $version, meson.build says $upstream" >&2
	exit 1
fi

rm -rf "$out"
src=$out/ipsec6-$upstream
mkdir -p "$src"
git ls-files -z --cached --others --exclude-standard | tar --null -T - -c | tar -x -C "$src"

(cd "$src" && dpkg-buildpackage -b -us -uc) >"$out/build.log" 2>&1 || {
	tail -n 40 "$out/build.log" >&2
	echo "deb.sh: dpkg-buildpackage failed; the whole log is $out/build.log" >&2
	exit 1
}
rm -rf "$src"

deb=$(ls "$out"/ipsec6_"$version"_*.deb)
# --fail-on warning: a warning fails the build as an error does.
lintian --fail-on error,warning --info --display-info "$deb" "$out"/*.changes \
    | tee "$out/lintian.txt"
echo "$deb"
