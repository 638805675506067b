# SPDX-License-Identifier: MIT
# Shared set-up for the end-to-end tests: hosts as network namespaces of our own (removed on
# exit, with every process still running in them), ipsec6d started in each, the CLI run inside
# them, captures, transfers and the daemon's counters. Sourced by tests/e2e/*.sh.
# Usage: source lib.sh BUILD_DIR. E2E_KEEP=1 keeps the temporary directory (logs, captures).

set -euo pipefail

E2E_BUILD=$(cd "${1:?build dir}" && pwd)
E2E_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
E2E_DIR=$E2E_SRC/tests/e2e
E2E_TAG=i6e$$
E2E_TMP=$(mktemp -d /tmp/ipsec6-e2e.XXXXXX)
E2E_NETNS=()
E2E_PIDS=()
E2E_FAILED=0
E2E_CHECKS=0
E2E_START=$SECONDS
IPSEC6D=$E2E_BUILD/daemon/ipsec6d
IPSEC6=$E2E_BUILD/cli/ipsec6
PY=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1
mkdir -p "$E2E_TMP/bin"
ln -sf "$IPSEC6" "$E2E_TMP/bin/esxcli"
ln -sf "$IPSEC6" "$E2E_TMP/bin/vicfg-ipsec"
ln -sf "$IPSEC6" "$E2E_TMP/bin/ipsec6"
exec 3>&1 # check captures the output of its command; notes go to fd 3, the test's output

e2e_cleanup() {
	local pid ns i live=()
	set +e
	# Our background processes that still run (a pid whose process ended may belong to another
	# process by now: only our children count), then whatever else runs in our namespaces.
	for pid in "${E2E_PIDS[@]}"; do
		[ "$(ps -o ppid= -p "$pid" 2>/dev/null | tr -d ' ')" = "$$" ] && live+=("$pid")
	done
	for ns in "${E2E_NETNS[@]}"; do
		mapfile -t -O "${#live[@]}" live < <(ip netns pids "$ns" 2>/dev/null)
	done
	E2E_PIDS=("${live[@]}")
	for pid in "${E2E_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
	for i in $(seq 50); do
		local alive=0
		for pid in "${E2E_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
		[ $alive -eq 0 ] && break
		sleep 0.1
	done
	for pid in "${E2E_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; done
	for pid in "${E2E_PIDS[@]}"; do wait "$pid" 2>/dev/null; done
	for ns in "${E2E_NETNS[@]}"; do ip netns del "$ns" 2>/dev/null; done
	if [ -n "${E2E_KEEP:-}" ]; then echo "kept $E2E_TMP" >&2; else rm -rf "$E2E_TMP"; fi
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

# bg HOST OUT CMD...: start CMD in host in the background, output to file OUT. The process is
# CMD itself (exec), so E2E_BG is its pid and signals reach it. Killed at exit.
bg() {
	local host=$1 out=$2
	shift 2
	(exec ip netns exec "$(ns "$host")" "$@" >"$out" 2>&1 </dev/null) &
	E2E_BG=$!
	E2E_PIDS+=("$E2E_BG")
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
	link_ready "$1" "$2"
	link_ready "$4" "$5"
}

# link_ready HOST IF: until IF's addresses are usable. The kernel turns a veth's carrier on up
# to a second after "up" (link watch); till then its addresses, nodad or not, are tentative,
# and a neighbour solicitation for them goes unanswered.
link_ready() {
	local i
	for i in $(seq 60); do
		[ -z "$(on "$1" ip -6 addr show dev "$2" tentative)" ] && return 0
		sleep 0.05
	done
	echo "$1/$2: addresses still tentative" >&2
	return 1
}

# mac HOST IF: the interface's MAC address
mac() { on "$1" cat "/sys/class/net/$2/address"; }

# daemon_start HOST [extra ipsec6d args...]: ipsec6d in the foreground, its output appended to
# $E2E_TMP/HOST.log, with $E2E_TMP/HOST.conf and HOST.sock; E2E_PID_HOST is its pid. Returns
# once the daemon answers on its socket (it serves only after its data path is up).
# IPSEC6D_WRAPPER (an array) prefixes the command, e.g. (env ASAN_OPTIONS=...);
# IPSEC6D_BIN replaces the binary for this start. Once set up, the daemons run as E2E_USER
# (default nobody; empty: stay root, but without CAP_DAC_OVERRIDE): $E2E_TMP, where both write
# their files, is root's and the group's of E2E_USER, mode 0770.
daemon_start() {
	local host=$1 bin=${IPSEC6D_BIN:-$IPSEC6D} pid i user=()
	shift
	[ -n "$E2E_USER" ] && user=(--user "$E2E_USER")
	echo "--- ipsec6d start $(date +%T.%N)" >>"$E2E_TMP/$host.log"
	(exec ip netns exec "$(ns "$host")" "${IPSEC6D_WRAPPER[@]}" "$bin" --foreground \
	    --config "$E2E_TMP/$host.conf" --socket "$E2E_TMP/$host.sock" "${user[@]}" "$@" \
	    >>"$E2E_TMP/$host.log" 2>&1 </dev/null) &
	pid=$!
	E2E_PIDS+=("$pid")
	eval "E2E_PID_$host=$pid"
	for i in $(seq 200); do
		if ! kill -0 "$pid" 2>/dev/null; then
			break
		fi
		if [ -S "$E2E_TMP/$host.sock" ] && cli "$host" ipsec6 sa list >/dev/null 2>&1 &&
		    on "$host" ip link show ipsec6 >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.05
	done
	echo "ipsec6d did not come up on $host:" >&2
	cat "$E2E_TMP/$host.log" >&2
	return 1
}
IPSEC6D_WRAPPER=()
# faulty_hosts: two_hosts and their daemons, A's reading injected failures (dataplane/fault.h)
# from FAULTS, a file the test writes to arm them; CONF is A's configuration file
faulty_hosts() {
	FAULTS=$E2E_TMP/faults
	CONF=$E2E_TMP/a.conf
	two_hosts
	IPSEC6D_WRAPPER=(env "IPSEC6D_FAULTS=$FAULTS")
	daemon_start a
	IPSEC6D_WRAPPER=()
	daemon_start b
}
E2E_USER=${E2E_USER-nobody}
[ -z "$E2E_USER" ] || { chgrp "$(id -g "$E2E_USER")" "$E2E_TMP" && chmod 0770 "$E2E_TMP"; }

# daemon_stop HOST SIGNAL: signal ipsec6d on HOST and wait for it; E2E_STATUS is its exit
# status (128 + signal number when the signal killed it).
daemon_stop() {
	local pid
	eval "pid=\$E2E_PID_$1"
	kill -"$2" "$pid"
	E2E_STATUS=0
	wait "$pid" 2>/dev/null || E2E_STATUS=$?
}

# alive HOST: ipsec6d on HOST still runs
alive() {
	local pid
	eval "pid=\$E2E_PID_$1"
	kill -0 "$pid" 2>/dev/null
}

# cli HOST NAME ARGS...: run the CLI as NAME (esxcli, vicfg-ipsec, ipsec6) on HOST
cli() {
	local host=$1 name=$2
	shift 2
	on "$host" env IPSEC6_SOCKET="$E2E_TMP/$host.sock" "$E2E_TMP/bin/$name" "$@"
}

# note TEXT...: a line for the reader, also from inside a check
note() { echo "  $*" >&3; }

# check DESCRIPTION CMD...: run CMD, count and report the result; CMD's output is shown only
# when it fails.
check() {
	local what=$1 out=$E2E_TMP/check.out
	shift
	E2E_CHECKS=$((E2E_CHECKS + 1))
	if "$@" >"$out" 2>&1; then
		echo "ok - $what"
	else
		echo "not ok - $what"
		sed 's/^/    | /' "$out" | tail -n 40
		E2E_FAILED=$((E2E_FAILED + 1))
	fi
}

# is A OP B: a numeric comparison that says what it compared when it fails
is() {
	local a=$1 op=$2 b=$3
	test "$a" "$op" "$b" && return 0
	echo "expected $a $op $b" >&2
	return 1
}

# not CMD...: CMD fails (for check), for whatever reason: a missing file or namespace passes
# too. Where CMD lists something that must not be there, use lacks.
not() { ! "$@"; }

# has PATTERN CMD...: CMD succeeds and prints a line that matches the extended regular
# expression PATTERN (its output is shown when it does not)
has() {
	local pattern=$1 out
	shift
	out=$("$@" 2>&1) || { printf '%s\n' "$out"; echo "failed: $*"; return 1; }
	grep -Eq -- "$pattern" <<<"$out" && return 0
	printf '%s\n' "$out"
	echo "no line matches '$pattern' in the output of: $*"
	return 1
}

# lacks PATTERN CMD...: CMD succeeds and prints no line that matches PATTERN: a listing that
# could not be made is a failure, not an empty listing (the lines that match are shown)
lacks() {
	local pattern=$1 out
	shift
	out=$("$@" 2>&1) || { printf '%s\n' "$out"; echo "failed: $*"; return 1; }
	grep -E -- "$pattern" <<<"$out" || return 0
	echo "(these lines match '$pattern' in the output of: $*)"
	return 1
}

# empty CMD...: CMD succeeds and prints nothing
empty() { lacks . "$@"; }

e2e_done() {
	echo "$((E2E_CHECKS - E2E_FAILED)) passed, $E2E_FAILED failed ($((SECONDS - E2E_START)) s)"
	[ "$E2E_FAILED" -eq 0 ]
}

# The two hosts of the seed, A and B, on one link (veth-a, veth-b).
A=2001:db8:1::121
B=2001:db8:1::122
two_hosts() {
	host_add a
	host_add b
	link a veth-a "$A/64" b veth-b "$B/64"
}

# A path narrower than the link: A — R — B, R forwarding, R's link to B and B's interface
# 1400 bytes, A's 1500 (test_pmtu.sh, test_pmtu_big.sh)
narrow_path() {
	A=2001:db8:1::121 R_A=2001:db8:1::1
	B=2001:db8:2::122 R_B=2001:db8:2::1
	host_add a
	host_add r
	host_add b
	link a veth-a "$A/64" r to-a "$R_A/64"
	link r to-b "$R_B/64" b veth-b "$B/64"
	on r ip link set to-b mtu 1400
	on b ip link set veth-b mtu 1400
	on a ip -6 route add default via "$R_A"
	on b ip -6 route add default via "$R_B"
	on r sysctl -qw net.ipv6.conf.all.forwarding=1
}

# Two tunnel-mode gateways and a host behind each: hostA — gwA ==wan0== gwB — hostB, four
# namespaces; the hosts route the other net via their gateway, the gateways forward (enabled by
# us, as the docs tell users: ipsec6d changes no sysctl) and route the other net via each other.
HA=2001:db8:a::10 GA_IN=2001:db8:a::1 NET_A=2001:db8:a::/64
HB=2001:db8:b::10 GB_IN=2001:db8:b::1 NET_B=2001:db8:b::/64
GA=2001:db8:ff::1 GB=2001:db8:ff::2
gateway_hosts() {
	local h
	for h in ha ga gb hb; do host_add $h; done
	link ha eth0 "$HA/64" ga lan0 "$GA_IN/64"
	link ga wan0 "$GA/64" gb wan0 "$GB/64"
	link gb lan0 "$GB_IN/64" hb eth0 "$HB/64"
	on ha ip -6 route add "$NET_B" via "$GA_IN"
	on hb ip -6 route add "$NET_A" via "$GB_IN"
	on ga ip -6 route add "$NET_B" via "$GB"
	on gb ip -6 route add "$NET_A" via "$GA"
	on ga sysctl -qw net.ipv6.conf.all.forwarding=1
	on gb sysctl -qw net.ipv6.conf.all.forwarding=1
}

# gateway GW ME PEER MY_NET PEER_NET OUT_SPI IN_SPI ENC AUTH [SELECTOR...]: the gateway's
# tunnel-mode SAs and policies (SELECTOR: esxcli options that narrow both), and nothing else
gateway() {
	local g=$1
	clear_all "$g"
	sa_add "$g" sa_out "$2" "$3" "$6" "$8" "$9" tunnel
	sa_add "$g" sa_in "$3" "$2" "$7" "$8" "$9" tunnel
	cli "$g" esxcli network ip ipsec sp add --sp-source "$4" --sp-destination "$5" \
	    --flow-direction out --action ipsec --sp-mode tunnel --sa-name sa_out --sp-name sp_out \
	    "${@:10}"
	cli "$g" esxcli network ip ipsec sp add --sp-source "$5" --sp-destination "$4" \
	    --flow-direction in --action ipsec --sp-mode tunnel --sa-name sa_in --sp-name sp_in \
	    "${@:10}"
}

# The seed SAs of VMware's "Setting Up IPsec" page and their mirror, for hosts ::121 and ::122.
SEED_EKEY=0x6970763672656164796c6f676f336465736362636f757432
SEED_IKEY=0x6970763672656164796c6f67736861316f757432

# alg_keys ENC AUTH [SPI]: E2E_EKEY (an array of the options, empty for null) and E2E_IKEY (the
# key; empty for AES-GCM, AUTH none) with E2E_IOPTS (its options), fixed test keys for these
# algorithms. AES-GCM keys have the SPI's digits: no two SAs may hold one (RFC 4106 3.1).
alg_keys() {
	local spi
	spi=$(printf %08x "$((${3:-0x1000}))")
	case $1 in
	null) E2E_EKEY=() ;;
	3des-cbc) E2E_EKEY=(--encryption-key 0x000102030405060708090a0b0c0d0e0f1011121314151617) ;;
	aes128-cbc) E2E_EKEY=(--encryption-key 0x00112233445566778899aabbccddeeff) ;;
	aes256-cbc)
		E2E_EKEY=(--encryption-key
		    0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff) ;;
	aes128-gcm16) E2E_EKEY=(--encryption-key "0x0011223344556677${spi}aabbccddcafebabe") ;;
	aes256-gcm16)
		E2E_EKEY=(--encryption-key
		    "0x00112233445566778899aabbccddeeff0011223344556677${spi}aabbccdddecafbad") ;;
	esac
	case $2 in
	none) E2E_IKEY= ;;
	hmac-sha1) E2E_IKEY=0x0102030405060708090a0b0c0d0e0f1011121314 ;;
	hmac-sha2-256) E2E_IKEY=0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20 ;;
	hmac-sha2-512)
		E2E_IKEY=0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20
		E2E_IKEY+=2122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f40 ;;
	esac
	E2E_IOPTS=()
	[ -z "$E2E_IKEY" ] || E2E_IOPTS=(--integrity-algorithm "$2" --integrity-key "$E2E_IKEY")
}

# sa_add HOST NAME SRC DST SPI ENC AUTH [MODE [EXTRA...]]: one SA with the test keys, as esxcli
# adds it (AUTH none: AES-GCM's, no integrity algorithm); EXTRA: native options (ipsec6 then)
sa_add() {
	local name=esxcli
	alg_keys "$6" "$7" "$5"
	[ $# -gt 8 ] && name=ipsec6
	cli "$1" "$name" network ip ipsec sa add --sa-source "$3" --sa-destination "$4" \
	    --sa-mode "${8:-transport}" --sa-spi "$5" --encryption-algorithm "$6" "${E2E_EKEY[@]}" \
	    "${E2E_IOPTS[@]}" --sa-name "$2" "${@:9}"
}

# sa_pair_host HOST ENC AUTH [EXTRA...]: the SAs sa_out and sa_in of host a ($A) or b ($B) for
# transport mode between them, A -> B SPI 0x1000, B -> A SPI 0x1001, with the native options
# EXTRA (--encapsulation=udp, say); nothing else is changed.
sa_pair_host() {
	if [ "$1" = a ]; then
		sa_add a sa_out "$A" "$B" 0x1000 "$2" "$3" transport "${@:4}"
		sa_add a sa_in "$B" "$A" 0x1001 "$2" "$3" transport "${@:4}"
	else
		sa_add b sa_out "$B" "$A" 0x1001 "$2" "$3" transport "${@:4}"
		sa_add b sa_in "$A" "$B" 0x1000 "$2" "$3" transport "${@:4}"
	fi
}
sa_pair() { sa_pair_host a "$1" "$2" && sa_pair_host b "$1" "$2"; }

# clear_all HOST...: remove every policy and SA
clear_all() {
	local h
	for h in "$@"; do
		cli "$h" esxcli network ip ipsec sp remove --remove-all
		cli "$h" esxcli network ip ipsec sa remove --remove-all
	done
}

# configure_host HOST ENC AUTH [EXTRA...]: replace the SAs and policies of host a or b by
# sa_pair_host's (with EXTRA) and the policies sp_out and sp_in (peer to peer, any protocol,
# action ipsec), typed as esxcli commands.
configure_host() {
	local h=$1 me=$A peer=$B
	[ "$h" = b ] && me=$B peer=$A
	clear_all "$h"
	sa_pair_host "$h" "$2" "$3" "${@:4}"
	cli "$h" esxcli network ip ipsec sp add --sp-source "$me/128" --sp-destination "$peer/128" \
	    --flow-direction out --action ipsec --sa-name sa_out --sp-name sp_out
	cli "$h" esxcli network ip ipsec sp add --sp-source "$peer/128" --sp-destination "$me/128" \
	    --flow-direction in --action ipsec --sa-name sa_in --sp-name sp_in
}

# configure_pair ENC AUTH [EXTRA...]: configure_host for both hosts
configure_pair() { configure_host a "$@" && configure_host b "$@"; }

# capture_start HOST IF PCAP [FILTER]: tcpdump on IF (default filter: ip6), ready on return.
# --immediate-mode: otherwise the last packets wait in a kernel buffer block for up to a second
# and are lost when tcpdump is stopped. In that mode the ring has one slot per packet, of the
# snapshot length; -s 2048 (whole ESP packets of a 1500-byte link; clear TCP that GRO merged is
# cut, its headers stay) and -B 32 MiB give 16384 slots, so that ESP at full speed is not dropped
# while the test's other processes have the CPUs.
capture_start() {
	local log=$3.log i
	bg "$1" "$log" tcpdump --immediate-mode -B 32768 -s 2048 -i "$2" -U -w "$3" "${4:-ip6}"
	E2E_CAPTURE=$E2E_BG
	E2E_PCAP=$3
	for i in $(seq 100); do grep -q 'listening on' "$log" 2>/dev/null && break; sleep 0.05; done
	sleep 0.1
}
# capture_stop: once the file has stopped growing, stop tcpdump; then a check that it kept
# every packet (a claim that something is absent from a capture needs the whole capture)
capture_stop() {
	local size=-1 now i
	for i in $(seq 50); do
		sleep 0.2
		now=$(stat -c %s "$E2E_PCAP")
		[ "$now" = "$size" ] && break
		size=$now
	done
	kill -TERM "$E2E_CAPTURE" 2>/dev/null || true
	wait "$E2E_CAPTURE" 2>/dev/null || true
	check "capture $(basename "$E2E_PCAP") complete" capture_complete "$E2E_PCAP"
}
capture_complete() {
	local log=$1.log got seen dropped
	got=$(sed -n 's/^\([0-9]*\) packets\? captured$/\1/p' "$log")
	seen=$(sed -n 's/^\([0-9]*\) packets\? received by filter$/\1/p' "$log")
	dropped=$(sed -n 's/^\([0-9]*\) packets\? dropped by kernel$/\1/p' "$log")
	note "$got packets captured, $seen seen by the filter, $dropped dropped by the kernel"
	[ -n "$got" ] && [ "$got" = "$seen" ] && [ "$dropped" = 0 ]
}

# count PCAP FILTER [tshark options...]: how many packets of PCAP match the display filter.
# When tshark fails (a filter it refuses, a file it cannot read) or PCAP is empty (tcpdump never
# wrote its header), it prints nothing and fails, so that the count is not taken for a 0.
count() {
	local pcap=$1 filter=$2 n
	shift 2
	if [ ! -s "$pcap" ]; then
		echo "count: $pcap is missing or empty" >&2
		return 1
	fi
	n=$(tshark -r "$pcap" "$@" -Y "$filter" 2>"$E2E_TMP/tshark.err" | wc -l) || {
		echo "count: tshark -Y '$filter' failed on $pcap:" >&2
		grep -v "^Running as user" "$E2E_TMP/tshark.err" >&2
		return 1
	}
	echo "$n"
}

# tcp_transfer FROM TO TO_ADDR MB [PORT [SOURCE_PORT]]: send MB megabytes of $E2E_TMP/file,
# compare checksums
tcp_transfer() {
	local from=$1 to=$2 addr=$3 mb=$4 port=${5:-$((5000 + RANDOM % 1000))} sport=${6:-}
	local opt=""
	[ -n "$sport" ] && opt=",sourceport=$sport,reuseaddr"
	[ -f "$E2E_TMP/file" ] || head -c $((mb * 1024 * 1024)) /dev/urandom >"$E2E_TMP/file"
	head -c $((mb * 1024 * 1024)) "$E2E_TMP/file" >"$E2E_TMP/send"
	rm -f "$E2E_TMP/recv"
	on "$to" timeout 60 socat -u "TCP6-LISTEN:$port,reuseaddr" "OPEN:$E2E_TMP/recv,creat,trunc" &
	local server=$!
	wait_listen "$to" "$port" tcp
	on "$from" timeout 60 socat -u "OPEN:$E2E_TMP/send" "TCP6:[$addr]:$port$opt" || {
		kill "$server" 2>/dev/null
		wait "$server" 2>/dev/null
		return 1
	}
	wait "$server" || return 1
	cmp "$E2E_TMP/send" "$E2E_TMP/recv"
}

# wait_listen HOST PORT tcp|udp: until a socket listens on PORT in HOST
wait_listen() {
	local i opt=-tln
	[ "$3" = udp ] && opt=-uln
	for i in $(seq 100); do
		on "$1" ss -H "$opt" "sport = :$2" | grep -q . && return 0
		sleep 0.02
	done
	return 1
}

# no_clear PCAP: no TCP segment and no echo request/reply appears outside ESP, in a capture
# that holds ESP (an empty capture, or one of the wrong link, shows no clear packets either)
no_clear() {
	local n esp
	n=$(count "$1" 'tcp or icmpv6.type == 128 or icmpv6.type == 129') || return 1
	esp=$(count "$1" esp) || return 1
	if [ "$esp" -eq 0 ]; then
		echo "  no ESP in $1: it does not show the protected flows" >&2
		return 1
	fi
	[ "$n" -eq 0 ] || { echo "  $n clear packets in $1" >&2; return 1; }
}

# stopped_clean HOST...: SIGTERM to ipsec6d on each HOST: exit status 0, and its log, there and
# not empty, holds no sanitizer report (instrumented daemons: change_under_load's, and suite
# 'tsan' in a ThreadSanitizer build)
stopped_clean() {
	local h
	for h in "$@"; do
		daemon_stop "$h" TERM
		check "SIGTERM: ipsec6d on ${h^^} exits with status 0" is "$E2E_STATUS" -eq 0
		check "no sanitizer report in ${h^^}'s log" sanitizer_clean "$E2E_TMP/$h.log"
	done
}
sanitizer_clean() {
	[ -s "$1" ] &&
	    lacks 'WARNING: ThreadSanitizer|ERROR: (Address|Leak)Sanitizer|runtime error|SUMMARY: ' \
		cat "$1"
}

# protected_only PCAP MIN: the capture shows the protected flows as ESP only (no_clear), in at
# least MIN ESP packets
protected_only() {
	local esp
	esp=$(count "$1" esp) || return 1
	note "$esp ESP packets captured"
	no_clear "$1" && is "$esp" -gt "$2"
}

# replies_since T: echo replies that a `ping -D` writing $E2E_TMP/ping.log printed after time T
# (seconds since the epoch)
replies_since() {
	sed -n 's/^\[\([0-9.]*\)\] .* bytes from .*/\1/p' "$E2E_TMP/ping.log" |
	    awk -v t="$1" '$1 > t { n++ } END { print n + 0 }'
}

# logged HOST TEXT: ipsec6d's log on HOST has a line with TEXT within 3 seconds
logged() {
	local i
	for i in $(seq 30); do
		grep -qF -- "$2" "$E2E_TMP/$1.log" && return 0
		sleep 0.1
	done
	echo "no line with '$2' in $1's log" >&2
	return 1
}

# tshark_opts HOST: -o options for tshark with the SAs of HOST (keys included)
tshark_opts() {
	local line
	# Without TCP sequence analysis and reassembly: with them, tshark takes minutes on the
	# decrypted stream of a 50 MB transfer instead of seconds.
	E2E_TSHARK=(-o esp.enable_encryption_decode:TRUE -o esp.enable_authentication_check:TRUE
	    -o tcp.analyze_sequence_numbers:FALSE -o tcp.desegment_tcp_streams:FALSE)
	while IFS= read -r line; do
		E2E_TSHARK+=(-o "uat:esp_sa:$line")
	done < <(cli "$1" ipsec6 sa export --wireshark --show-keys)
}

# tshark_all_good HOST PCAP [udp]: every ESP packet in PCAP is decrypted with a good ICV.
# tshark shows the ICV status after the payload's dissection, which a heuristic dissector may
# abort on random TCP data (e.g. Thrift: "BoundError"), so TCP and UDP are not dissected here;
# with udp, UDP is (ESP in UDP: it carries the ESP).
tshark_all_good() {
	tshark_opts "$1"
	local total good no_udp=(--disable-protocol udp)
	[ "${3:-}" = udp ] && no_udp=()
	total=$(count "$2" esp)
	good=$(count "$2" 'esp.icv_good == 1' "${E2E_TSHARK[@]}" --disable-protocol tcp \
	    "${no_udp[@]}")
	note "$good of $total ESP packets authenticated and decrypted by tshark"
	[ "$total" -gt 0 ] && [ "$good" -eq "$total" ]
}

# stats HOST: the daemon's `stats` records, read from its control socket (the documented
# record format: doc/control-protocol.md). Fails without an "ok" answer, so that a check of
# what the records lack cannot pass on no records at all.
stats() {
	local out
	out=$(printf 'stats\n' | socat - "UNIX-CONNECT:$E2E_TMP/$1.sock") || return 1
	[ "${out%%$'\n'*}" = ok ] || return 1
	sed 1d <<<"$out"
}

# stat_field HOST TYPE NAME FIELD: one field of the record TYPE named NAME (the global record
# has no name: give "")
stat_field() {
	stats "$1" | awk -F'\t' -v t="type=$2" -v n="name=$3" -v f="$4" '
	    $1 == t && (n == "name=" || $2 == n) {
		for (i = 2; i <= NF; i++) if (index($i, f "=") == 1) print substr($i, length(f) + 2)
	    }'
}

# drops HOST SA|"" REASON: the drop counter REASON of SA (or the global one), 0 when the
# record has no such reason; nothing when there is no such record (or no answer), so that a
# comparison with it fails. An SA that `sa rekey` replaced has rows of its retired SPIs too:
# the sum over them all.
drops() {
	local t=sa
	[ -z "$2" ] && t=global
	stats "$1" | awk -F'\t' -v t="type=$t" -v n="name=$2" -v r="$3" '
	    $1 == t && (n == "name=" || $2 == n) {
		found = 1
		for (i = 2; i <= NF; i++) {
			if (index($i, "drops=") != 1)
				continue
			k = split(substr($i, 7), list, ",")
			for (j = 1; j <= k; j++)
				if (split(list[j], rc, ":") == 2 && rc[1] == r)
					n_r += rc[2]
		}
	    }
	    END { if (found) print n_r + 0 }'
}

# sp_matches HOST SP: the policy's match counter
sp_matches() { stat_field "$1" sp "$2" matches; }

# sa_counter HOST SA FIELD (packets-in, bytes-in, packets-out, bytes-out)
sa_counter() { stat_field "$1" sa "$2" "$3"; }

# py HOST SCRIPT ARGS...: a helper of tests/e2e run with Debian's python (scapy) on HOST
py() {
	local host=$1 script=$2
	shift 2
	on "$host" "$PY" "$E2E_DIR/$script" "$@"
}

# scapy_peer LOG ARGS...: scapy_peer.py on B (TUN sp0, link veth-b, local $B, peer $A) with
# ARGS, its output in LOG; ready on return, sp0 quiet (no link-local address, no solicitations),
# small enough for the ESP overhead, and routed to A. E2E_PEER is its pid.
scapy_peer() {
	local log=$1 i
	shift
	bg b "$log" "$PY" "$E2E_DIR/scapy_peer.py" --tun sp0 --dev veth-b --local "$B" \
	    --peer "$A" "$@"
	E2E_PEER=$E2E_BG
	for i in $(seq 200); do
		grep -q 'scapy peer ready' "$log" && break
		sleep 0.05
	done
	on b ip link set sp0 addrgenmode none mtu 1400 up
	on b ip -6 route add "$A/128" dev sp0 src "$B"
}
