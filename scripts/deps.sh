#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install every Debian package that building and testing ipsec6 needs; idempotent: apt-get
# update runs once, and only when something is missing.
set -euo pipefail

pkgs=(
	build-essential clang meson ninja-build pkg-config
	libssl-dev libipsec-mb-dev libcmocka-dev libmnl-dev libnftables-dev liburcu-dev
	libcap-ng-dev libseccomp-dev
	libclang-rt-14-dev
	python3 python3-scapy python3-prometheus-client prometheus tshark tcpdump
	mandoc bash-completion
	iproute2 iputils-ping nftables socat iperf3 procps gdb
	debhelper dpkg-dev lintian adduser util-linux
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages: ${missing[*]} (run as root to install them)" >&2
	exit 1
fi
echo "deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
