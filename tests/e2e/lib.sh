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

# on HOST CMD...: run CMD inside host
on() {
	local host=$1
	shift
	ip netns exec "$(ns "$host")" "$@"
}

# host_add NAME
host_add() {
	ip netns add "$(ns "$1")"
	E2E_NETNS+=("$(ns "$1")")
	on "$1" ip link set lo up
	on "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
}

# link HOST_A IF_A ADDR_A HOST_B IF_B ADDR_B (addresses with prefix length)
link() {
	ip link add "$2" netns "$(ns "$1")" type veth peer name "$5" netns "$(ns "$4")"
	on "$1" ip addr add "$3" dev "$2" nodad
	on "$4" ip addr add "$6" dev "$5" nodad
	on "$1" ip link set "$2" up
	on "$4" ip link set "$5" up
}

# daemon_start HOST [extra ipsec6d args...]: ipsec6d in the foreground, logging to a file
daemon_start() {
	local host=$1
	shift
	on "$host" "${IPSEC6D_WRAPPER[@]}" "$IPSEC6D" --foreground --config "$E2E_TMP/$host.conf" \
	    --socket "$E2E_TMP/$host.sock" "$@" >>"$E2E_TMP/$host.log" 2>&1 &
	E2E_PIDS+=($!)
	eval "E2E_PID_$host=$!"
	local i
	for i in $(seq 100); do
		[ -S "$E2E_TMP/$host.sock" ] && on "$host" ip link show ipsec6 >/dev/null 2>&1 && return 0
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
	on "$host" env IPSEC6_SOCKET="$E2E_TMP/$host.sock" "$E2E_TMP/bin/$name" "$@"
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

# configure_pair ENC AUTH: replace the SAs and policies of hosts a and b (A <-> B, transport)
# by a pair of SAs with these algorithms, typed as esxcli commands.
configure_pair() {
	local enc=$1 auth=$2 ek=() ik
	case $enc in
	null) ek=() ;;
	3des-cbc) ek=(--encryption-key 0x000102030405060708090a0b0c0d0e0f1011121314151617) ;;
	aes128-cbc) ek=(--encryption-key 0x00112233445566778899aabbccddeeff) ;;
	esac
	case $auth in
	hmac-sha1) ik=0x0102030405060708090a0b0c0d0e0f1011121314 ;;
	hmac-sha2-256) ik=0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20 ;;
	esac
	local h me peer out in
	for h in a b; do
		if [ $h = a ]; then me=$A peer=$B out=0x1000 in=0x1001; else me=$B peer=$A out=0x1001 in=0x1000; fi
		cli $h esxcli network ip ipsec sp remove --remove-all
		cli $h esxcli network ip ipsec sa remove --remove-all
		cli $h esxcli network ip ipsec sa add --sa-source "$me" --sa-destination "$peer" \
		    --sa-mode transport --sa-spi $out --encryption-algorithm "$enc" "${ek[@]}" \
		    --integrity-algorithm "$auth" --integrity-key "$ik" --sa-name sa_out
		cli $h esxcli network ip ipsec sa add --sa-source "$peer" --sa-destination "$me" \
		    --sa-mode transport --sa-spi $in --encryption-algorithm "$enc" "${ek[@]}" \
		    --integrity-algorithm "$auth" --integrity-key "$ik" --sa-name sa_in
		cli $h esxcli network ip ipsec sp add --sp-source "$me/128" --sp-destination "$peer/128" \
		    --flow-direction out --action ipsec --sa-name sa_out --sp-name sp_out
		cli $h esxcli network ip ipsec sp add --sp-source "$peer/128" --sp-destination "$me/128" \
		    --flow-direction in --action ipsec --sa-name sa_in --sp-name sp_in
	done
}

# capture_start HOST IF PCAP / capture_stop
capture_start() {
	on "$1" tcpdump -i "$2" -U -s 0 -w "$3" ip6 >/dev/null 2>&1 &
	E2E_CAPTURE=$!
	E2E_PIDS+=($!)
	local i
	for i in $(seq 50); do [ -s "$3" ] && break; sleep 0.05; done
	sleep 0.2
}
capture_stop() {
	sleep 0.3
	kill -TERM "$E2E_CAPTURE" 2>/dev/null || true
	wait "$E2E_CAPTURE" 2>/dev/null || true
}

# tcp_transfer FROM TO TO_ADDR MB: send MB megabytes of $E2E_TMP/file, compare checksums
tcp_transfer() {
	local from=$1 to=$2 addr=$3 mb=$4 port=$((5000 + RANDOM % 1000))
	head -c $((mb * 1024 * 1024)) "$E2E_TMP/file" >"$E2E_TMP/send"
	rm -f "$E2E_TMP/recv"
	on "$to" timeout 60 socat -u "TCP6-LISTEN:$port,reuseaddr" "OPEN:$E2E_TMP/recv,creat,trunc" &
	local server=$!
	sleep 0.3
	on "$from" timeout 60 socat -u "OPEN:$E2E_TMP/send" "TCP6:[$addr]:$port" || return 1
	wait "$server" || return 1
	cmp -s "$E2E_TMP/send" "$E2E_TMP/recv"
}

# no_clear PCAP: no TCP segment and no echo request/reply appears outside ESP
no_clear() {
	local n
	n=$(tshark -r "$1" -Y 'tcp or icmpv6.type == 128 or icmpv6.type == 129' 2>/dev/null | wc -l)
	[ "$n" -eq 0 ] || { echo "  $n clear packets in $1" >&2; return 1; }
}

# tshark_opts HOST: -o options for tshark with the SAs of HOST (keys included)
tshark_opts() {
	local line
	E2E_TSHARK=(-o esp.enable_encryption_decode:TRUE -o esp.enable_authentication_check:TRUE)
	while IFS= read -r line; do
		E2E_TSHARK+=(-o "uat:esp_sa:$line")
	done < <(cli "$1" ipsec6 sa export --wireshark --show-keys)
}

# tshark_all_good HOST PCAP: every ESP packet in PCAP is decrypted with a good ICV
tshark_all_good() {
	tshark_opts "$1"
	local total good
	total=$(tshark -r "$2" -Y esp 2>/dev/null | wc -l)
	good=$(tshark -r "$2" "${E2E_TSHARK[@]}" -Y 'esp.icv_good == 1' 2>/dev/null | wc -l)
	echo "  $good of $total ESP packets authenticated and decrypted by tshark"
	[ "$total" -gt 0 ] && [ "$good" -eq "$total" ]
}
