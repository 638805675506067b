#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Keys stay out of core dumps (issue 8, part 3). By default ipsec6d is not dumpable and writes no
# core, even when started with an unlimited core size. With --allow-core-dump, for each crypto
# backend: traffic
# through SAs of every cipher and MAC (fresh random keys, given in lower and in upper case), two
# generations of SAs removed after carrying traffic, a reload, a key export; then a core forced
# with SIGABRT on both hosts holds none of the keys, neither raw nor as hex text in either case,
# nor what derives from them (HMAC pad blocks and states, AES round keys: core_search.py).
# Positive controls in the same cores keep the search from passing vacuously: the names of two
# SAs are hex text like a key (one lower, one upper case) and one SA's address is 12 random
# bytes, all in ordinary memory, and each must be found.
# The cores are the kernel's where kernel.core_pattern is "core" (a file in the daemon's working
# directory), as on the machines this was written on; elsewhere (a pipe to systemd-coredump, say)
# or with E2E_CORE_VIA=gcore, gdb's gcore of the running daemon, which leaves MADV_DONTDUMP
# mappings out as the kernel does (gdb 13, checked; were it not so, key memory would show up in
# the core and the test fail, never pass).
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh" "$1"

two_hosts

# randhex N: N random bytes as lower-case hex
randhex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

KEYS=() # LABEL=HEX of every key given to a daemon in this test

# key_new VAR LABEL BYTES: a fresh key into VAR, remembered for the search
key_new() {
	local hex
	hex=$(randhex "$3")
	KEYS+=("$2=$hex")
	printf -v "$1" %s "$hex"
}

# sa_keyed HOST NAME SRC DST SPI ENC EKEY AUTH AKEY: one transport SA; the key text exactly as
# given (0x + the hex, whatever its case); EKEY is empty for null
sa_keyed() {
	local ekey=()
	[ -n "$7" ] && ekey=(--encryption-key "0x$7")
	cli "$1" esxcli network ip ipsec sa add --sa-source "$3" --sa-destination "$4" \
	    --sa-mode transport --sa-spi "$5" --encryption-algorithm "$6" "${ekey[@]}" \
	    --integrity-algorithm "$8" --integrity-key "0x$9" --sa-name "$2"
}

# generation N ENC EBYTES AUTH ABYTES CASE: new SAs and policies between A and B under fresh
# keys (upper-case key text when CASE is upper), replacing the previous generation's, then a
# ping and a TCP transfer through them
generation() {
	local n=$1 enc=$2 auth=$4 ek_ab="" ek_ba="" ak_ab ak_ba h me peer spi_out spi_in
	[ "$enc" != null ] && key_new ek_ab "gen$n-enc-A->B" "$3" && key_new ek_ba "gen$n-enc-B->A" "$3"
	key_new ak_ab "gen$n-auth-A->B" "$5"
	key_new ak_ba "gen$n-auth-B->A" "$5"
	if [ "$6" = upper ]; then
		ek_ab=${ek_ab^^} ek_ba=${ek_ba^^} ak_ab=${ak_ab^^} ak_ba=${ak_ba^^}
	fi
	for h in a b; do
		me=$A peer=$B
		printf -v spi_out 0x%x $((0x2000 + n * 2))
		printf -v spi_in 0x%x $((0x2001 + n * 2))
		if [ "$h" = b ]; then
			me=$B peer=$A
			printf -v spi_out 0x%x $((0x2001 + n * 2))
			printf -v spi_in 0x%x $((0x2000 + n * 2))
		fi
		cli "$h" esxcli network ip ipsec sp remove --sp-name sp_out 2>/dev/null || true
		cli "$h" esxcli network ip ipsec sp remove --sp-name sp_in 2>/dev/null || true
		cli "$h" esxcli network ip ipsec sa remove --sa-name out 2>/dev/null || true
		cli "$h" esxcli network ip ipsec sa remove --sa-name in 2>/dev/null || true
		if [ "$h" = a ]; then
			sa_keyed a out "$A" "$B" "$spi_out" "$enc" "$ek_ab" "$auth" "$ak_ab"
			sa_keyed a in "$B" "$A" "$spi_in" "$enc" "$ek_ba" "$auth" "$ak_ba"
		else
			sa_keyed b out "$B" "$A" "$spi_out" "$enc" "$ek_ba" "$auth" "$ak_ba"
			sa_keyed b in "$A" "$B" "$spi_in" "$enc" "$ek_ab" "$auth" "$ak_ab"
		fi
		cli "$h" esxcli network ip ipsec sp add --sp-source "$me/128" \
		    --sp-destination "$peer/128" --flow-direction out --action ipsec --sa-name out \
		    --sp-name sp_out
		cli "$h" esxcli network ip ipsec sp add --sp-source "$peer/128" \
		    --sp-destination "$me/128" --flow-direction in --action ipsec --sa-name in \
		    --sp-name sp_in
	done
	check "$BACKEND gen$n $enc/$auth: ping A -> B" on a ping -6 -c 3 -i 0.2 -W 2 "$B"
	check "$BACKEND gen$n $enc/$auth: 2 MB over TCP arrive intact" tcp_transfer a b "$B" 2
	check "$BACKEND gen$n $enc/$auth: B received over the SA" \
	    is "$(sa_counter b in packets-in)" -gt 100
}

# core_clean RESULTS: every key absent in every form (core_search.py: raw, hex text in either
# case, and for HMAC and AES keys their pad blocks, HMAC states and last round key)
core_clean() {
	local found
	found=$(grep -v '^control' "$1" | grep -c ' found$' || true)
	grep -v '^control' "$1" | grep ' found$' | sed 's/^/  in the core: /' >&2
	is "$found" -eq 0 && is "$(grep -v '^control' "$1" | grep -c ' raw ')" -eq ${#KEYS[@]}
}

# core_controls RESULTS: every control found in the forms it exists in
core_controls() {
	grep -q '^control-name-lower hex found$' "$1" &&
	    grep -q '^control-name-upper HEX found$' "$1" &&
	    grep -q '^control-address raw found$' "$1"
}

# start HOST DIR ARGS...: ipsec6d with an unlimited core size, working directory DIR (a core
# pattern "core" puts the file there, written as the daemon's user)
start() {
	local host=$1 dir=$2
	shift 2
	mkdir -p "$dir"
	[ -z "$E2E_USER" ] || chown "$E2E_USER" "$dir"
	pushd "$dir" >/dev/null
	IPSEC6D_WRAPPER=(prlimit --core=unlimited)
	daemon_start "$host" "$@"
	IPSEC6D_WRAPPER=()
	popd >/dev/null
}

# take_core HOST DIR WHAT: a core of ipsec6d on HOST as DIR/core, and the daemon stopped: by
# SIGABRT (the kernel's core), or by gcore and then SIGTERM
take_core() {
	local pid
	eval "pid=\$E2E_PID_$1"
	if [ "$CORE_VIA" = kernel ]; then
		daemon_stop "$1" ABRT
		check "$3: ipsec6d on $1 ended by SIGABRT" is "$E2E_STATUS" -eq 134
	else
		gcore -o "$2/gcore" "$pid" >"$2/gcore.log" 2>&1 || true
		[ -s "$2/gcore.$pid" ] && mv "$2/gcore.$pid" "$2/core"
		daemon_stop "$1" TERM
	fi
}

# core_limit HOST: ipsec6d's core size limit, "soft/hard"
core_limit() {
	local pid
	eval "pid=\$E2E_PID_$1"
	awk '/^Max core file size/ { print $5 "/" $6 }' "/proc/$pid/limits"
}

# dumpable HOST: PR_GET_DUMPABLE of ipsec6d, asked inside the process through gdb
dumpable() {
	local pid
	eval "pid=\$E2E_PID_$1"
	# shellcheck disable=SC2016 # gdb's $1, not the shell's
	timeout 60 gdb -p "$pid" -batch -ex 'print (int)prctl(3, 0, 0, 0, 0)' 2>/dev/null |
	    sed -n 's/^\$1 = //p'
}

CORE_VIA=${E2E_CORE_VIA:-kernel}
pattern=$(cat /proc/sys/kernel/core_pattern)
if [ "$pattern" != core ]; then
	CORE_VIA=gcore
fi
note "cores by $CORE_VIA (kernel.core_pattern '$pattern')"

# 1. The default: not dumpable, no core, whatever the limit the daemon was started with.
dir=$E2E_TMP/default
start a "$dir"
check "default: core size limit turned to 0" is "$(core_limit a)" = 0/0
check "default: not dumpable" is "$(dumpable a)" = 0
if [ "$CORE_VIA" = kernel ]; then
	take_core a "$dir" default
	check "default: no core file" not test -e "$dir/core"
else
	daemon_stop a TERM
fi
rm -f "$E2E_TMP"/a.conf* "$E2E_TMP"/a.seq

# 2. Each backend: traffic, removals, a reload, an export, then the cores.
for BACKEND in openssl ipsec-mb; do
	for h in a b; do
		rm -f "$E2E_TMP/$h.conf" "$E2E_TMP/$h.conf.seq"
		start "$h" "$E2E_TMP/$BACKEND-$h" --crypto "$BACKEND" --allow-core-dump
	done
	check "$BACKEND: --allow-core-dump keeps the limit it was started with" \
	    is "$(core_limit a)" = unlimited/unlimited
	check "$BACKEND: --allow-core-dump keeps it dumpable" is "$(dumpable a)" = 1
	check "$BACKEND: the data path runs it" grep -q "crypto $BACKEND\$" "$E2E_TMP/a.log"

	# The controls: SAs that carry nothing, named like hex keys, one at a random address.
	ctl_lower=$(randhex 16)
	ctl_upper=$(randhex 16)
	ctl_upper=${ctl_upper^^}
	ctl_addr=2001:db8:$(randhex 12 | sed 's/\(....\)/\1:/g; s/:$//')
	ctl_raw=$("$PY" -c 'import ipaddress, sys; print(ipaddress.IPv6Address(sys.argv[1]).packed.hex())' "$ctl_addr")
	ck=""
	key_new ck "$BACKEND-control-sa-auth" 20
	for h in a b; do
		sa_keyed "$h" "$ctl_lower" "$A" "$B" 0x3000 null "" hmac-sha1 "$ck"
		sa_keyed "$h" "$ctl_upper" "$A" "$ctl_addr" 0x3001 null "" hmac-sha1 "$ck"
	done

	generation 1 aes128-cbc 16 hmac-sha1 20 lower
	generation 2 3des-cbc 24 hmac-sha2-256 32 upper
	generation 3 null 0 hmac-sha1 20 lower
	generation 4 aes128-cbc 16 hmac-sha2-256 32 upper
	for h in a b; do
		cli "$h" ipsec6 sa export --wireshark --show-keys >/dev/null
		eval "kill -HUP \$E2E_PID_$h"
	done
	sleep 0.5
	check "$BACKEND: traffic after the reload" on a ping -6 -c 2 -i 0.2 -W 2 "$B"

	for h in a b; do
		take_core "$h" "$E2E_TMP/$BACKEND-$h" "$BACKEND"
		core=$E2E_TMP/$BACKEND-$h/core
		check "$BACKEND: a core of $h" test -s "$core"
		[ -s "$core" ] || continue
		note "$h: core of $(($(stat -c %s "$core") / 1024)) KB"
		"$PY" "$E2E_DIR/core_search.py" "$core" "${KEYS[@]}" "control-name-lower=$ctl_lower" \
		    "control-name-upper=$ctl_upper" "control-address=$ctl_raw" \
		    >"$E2E_TMP/$BACKEND-$h/search"
		check "$BACKEND: $h's core holds the controls (the search works)" \
		    core_controls "$E2E_TMP/$BACKEND-$h/search"
		check "$BACKEND: $h's core holds none of the ${#KEYS[@]} keys, raw, hex or derived" \
		    core_clean "$E2E_TMP/$BACKEND-$h/search"
		rm -f "$core"
	done
done
e2e_done
