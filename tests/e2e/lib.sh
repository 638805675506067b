# SPDX-License-Identifier: MIT
# Shared set-up for the end-to-end tests: hosts as network namespaces of our own (removed on
# exit), ipsec6d started in each, the CLI run inside them. Sourced by tests/e2e/*.sh.
# Usage: source lib.sh BUILD_DIR

set -euo pipefail

E2E_BUILD=$(cd "${1:?build dir}" && pwd)
E2E_TAG=i6e$$
E2E_TMP=$(mktemp -d /tmp/ipsec6-e2e.XXXXXX)
E2E_NETNS=()
E2E_PIDS=()
E2E_FAILED=0
E2E_CHECKS=0
IPSEC6D=$E2E_BUILD/daemon/ipsec6d
IPSEC6=$E2E_BUILD/cli/ipsec6
PY=/usr/bin/python3
mkdir -p "$E2E_TMP/bin"
ln -sf "$IPSEC6" "$E2E_TMP/bin/esxcli"
ln -sf "$IPSEC6" "$E2E_TMP/bin/vicfg-ipsec"
ln -sf "$IPSEC6" "$E2E_TMP/bin/ipsec6"

e2e_cleanup() {
	local pid ns
	for pid in "${E2E_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${E2E_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
	for ns in "${E2E_NETNS[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
	rm -rf "$E2E_TMP"
}
trap e2e_cleanup EXIT

# ns NAME: the namespace name for host NAME
ns() { echo "${E2E_TAG}-$1"; }

# in HOST CMD...: run CMD inside host
in() {
	local host=$1
	shift
	ip netns exec "$(ns "$host")" "$@"
}

# host_add NAME
host_add() {
	ip netns add "$(ns "$1")"
	E2E_NETNS+=("$(ns "$1")")
	in "$1" ip link set lo up
	in "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
}

# link HOST_A IF_A ADDR_A HOST_B IF_B ADDR_B (addresses with prefix length)
link() {
	ip link add "$2" netns "$(ns "$1")" type veth peer name "$5" netns "$(ns "$4")"
	in "$1" ip addr add "$3" dev "$2" nodad
	in "$4" ip addr add "$6" dev "$5" nodad
	in "$1" ip link set "$2" up
	in "$4" ip link set "$5" up
}

# daemon_start HOST [extra ipsec6d args...]: ipsec6d in the foreground, logging to a file
daemon_start() {
	local host=$1
	shift
	in "$host" "${IPSEC6D_WRAPPER[@]}" "$IPSEC6D" --foreground --config "$E2E_TMP/$host.conf" \
	    --socket "$E2E_TMP/$host.sock" "$@" >>"$E2E_TMP/$host.log" 2>&1 &
	E2E_PIDS+=($!)
	eval "E2E_PID_$host=$!"
	local i
	for i in $(seq 100); do
		[ -S "$E2E_TMP/$host.sock" ] && in "$host" ip link show ipsec6 >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	echo "ipsec6d did not come up on $host:" >&2
	cat "$E2E_TMP/$host.log" >&2
	return 1
}
IPSEC6D_WRAPPER=()

# cli HOST NAME ARGS...: run the CLI as NAME (esxcli, vicfg-ipsec, ipsec6) on HOST
cli() {
	local host=$1 name=$2
	shift 2
	in "$host" env IPSEC6_SOCKET="$E2E_TMP/$host.sock" "$E2E_TMP/bin/$name" "$@"
}

# check DESCRIPTION CMD...: run CMD, count and report the result
check() {
	local what=$1
	shift
	E2E_CHECKS=$((E2E_CHECKS + 1))
	if "$@"; then
		echo "ok - $what"
	else
		echo "not ok - $what"
		E2E_FAILED=$((E2E_FAILED + 1))
	fi
}

e2e_done() {
	echo "$((E2E_CHECKS - E2E_FAILED)) passed, $E2E_FAILED failed"
	[ "$E2E_FAILED" -eq 0 ]
}

# The seed SAs of VMware's "Setting Up IPsec" page and their mirror, for hosts ::121 and ::122.
SEED_EKEY=0x6970763672656164796c6f676f336465736362636f757432
SEED_IKEY=0x6970763672656164796c6f67736861316f757432
