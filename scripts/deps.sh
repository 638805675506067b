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
	iproute2 iputils-ping nftables socat iperf3 procps gdb strace
	debhelper dpkg-dev lintian adduser util-linux systemd
	openssh-client openssh-server
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
# openssh-server is for the tests, which run sshd themselves (tests/e2e/test_remote.sh): the
# package must neither start the machine's sshd nor have it start at boot. policy-rc.d keeps
# the installation from starting services; /etc/ssh/sshd_not_to_be_run (Debian's switch, read
# by ssh.service and /etc/init.d/ssh) keeps it off afterwards. A machine that had the server
# already keeps it as it was.
policy=/usr/sbin/policy-rc.d
own_policy=
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\n# deps.sh: no service starts while packages are installed\nexit 101\n' >"$policy"
	chmod 0755 "$policy"
	own_policy=1
fi
trap '[ -z "$own_policy" ] || rm -f "$policy"' EXIT
if [[ " ${missing[*]} " == *" openssh-server "* ]]; then
	mkdir -p /etc/ssh
	touch /etc/ssh/sshd_not_to_be_run
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
