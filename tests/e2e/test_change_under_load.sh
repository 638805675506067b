#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Change under load: while a TCP transfer A -> B runs (paced by a rate limit on A's link), A's
# SPD and SAD change: unrelated SAs and policies come and go; the policy in use is removed and
# added again (both directions); the SAs in use are replaced by new ones with new SPIs on both
# hosts (a rekey, to a pair with a larger overhead) and the old ones removed. ipsec6d on A runs
# under ASan and UBSan (built here in BUILD_DIR/../build-e2e-asan, or $IPSEC6D_ASAN). No crash,
# the transfer completes intact, and at the end SIGTERM gives exit status 0 and a log without a
# sanitizer report.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh" "$1"

MB=${E2E_LOAD_MB:-40}

asan_daemon() {
	local dir
	if [ -n "${IPSEC6D_ASAN:-}" ]; then
		echo "$IPSEC6D_ASAN"
		return
	fi
	dir=$(dirname "$E2E_BUILD")/build-e2e-asan
	mkdir -p "$dir"
	(
		flock 9 # tests of several build directories may share it
		if [ ! -f "$dir/build.ninja" ]; then
			meson setup "$dir" "$E2E_SRC" -Db_sanitize=address,undefined -Db_lundef=false \
			    -Dtests=false >"$dir/e2e-setup.log" 2>&1 ||
			    { cat "$dir/e2e-setup.log" >&2; exit 1; }
		fi
		ninja -C "$dir" daemon/ipsec6d >"$dir/e2e-ninja.log" 2>&1 ||
		    { cat "$dir/e2e-ninja.log" >&2; exit 1; }
	) 9>"$dir/e2e.lock" || return 1
	echo "$dir/daemon/ipsec6d"
}
asan=$(asan_daemon)

two_hosts
on a tc qdisc add dev veth-a root tbf rate 100mbit burst 64kb latency 50ms
IPSEC6D_WRAPPER=(env ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1)
IPSEC6D_BIN=$asan daemon_start a
IPSEC6D_WRAPPER=()
daemon_start b
check "ipsec6d on A is the sanitized build" grep -q __asan_init <(nm -D "$asan")
configure_pair aes128-cbc hmac-sha1

esx() { cli "$@" >/dev/null; }
spx() { # spx HOST NAME DIR SRC DST SA: an ipsec policy between /128s
	esx "$1" esxcli network ip ipsec sp add --sp-name "$2" --flow-direction "$3" \
	    --sp-source "$4/128" --sp-destination "$5/128" --action ipsec --sa-name "$6"
}
# switch HOST NAME DIR SRC DST SA: the policy NAME removed and added again, naming SA
switch() { esx "$1" esxcli network ip ipsec sp remove --sp-name "$2" && spx "$@"; }
# churn N: an unrelated SA and policy added and removed on A, four commands
churn() {
	local spi peer=2001:db8:9::$1
	spi=$(printf 0x%x $((0x5000 + $1)))
	sa_add a "sa_x$1" "$A" "$peer" "$spi" null hmac-sha2-256 &&
	    esx a esxcli network ip ipsec sp add --sp-name "sp_x$1" --flow-direction out \
		--sp-source "$A/128" --sp-destination 2001:db8:9::/64 --action ipsec \
		--sa-name "sa_x$1" &&
	    esx a esxcli network ip ipsec sp remove --sp-name "sp_x$1" &&
	    esx a esxcli network ip ipsec sa remove --sa-name "sa_x$1"
}

head -c $((MB * 1024 * 1024)) /dev/urandom >"$E2E_TMP/file"
tcp_transfer a b "$B" "$MB" 6000 >"$E2E_TMP/transfer.log" 2>&1 &
transfer=$!
sleep 0.5
steps=()
step() { steps+=("$1"); }
running() { kill -0 "$transfer" 2>/dev/null; }
churn 1 && step "churn"
esx a esxcli network ip ipsec sp remove --sp-name sp_out && sleep 0.3 &&
    spx a sp_out out "$A" "$B" sa_out && step "in-use out-policy removed and re-added"
churn 2 && step "churn"
esx a esxcli network ip ipsec sp remove --sp-name sp_in && sleep 0.3 &&
    spx a sp_in in "$B" "$A" sa_in && step "in-use in-policy removed and re-added"
churn 3 && step "churn"
# Rekey: new SAs (new SPIs) on both hosts, the policies switched to them, the old SAs removed.
# hmac-sha2-256 has a longer ICV than hmac-sha1: the TUN MTU shrinks under the running flow.
sa_add b sa_in2 "$A" "$B" 0x1100 aes128-cbc hmac-sha2-256 &&
    sa_add a sa_out2 "$A" "$B" 0x1100 aes128-cbc hmac-sha2-256 &&
    sa_add a sa_in2 "$B" "$A" 0x1101 aes128-cbc hmac-sha2-256 &&
    sa_add b sa_out2 "$B" "$A" 0x1101 aes128-cbc hmac-sha2-256 &&
    switch b sp_in in "$A" "$B" sa_in2 && switch a sp_out out "$A" "$B" sa_out2 &&
    switch a sp_in in "$B" "$A" sa_in2 && switch b sp_out out "$B" "$A" sa_out2 &&
    esx a esxcli network ip ipsec sa remove --sa-name sa_out &&
    esx a esxcli network ip ipsec sa remove --sa-name sa_in &&
    esx b esxcli network ip ipsec sa remove --sa-name sa_out &&
    esx b esxcli network ip ipsec sa remove --sa-name sa_in && step "rekey of the SAs in use"
under_load=$(running && echo yes || echo no)
n=3
while running && [ $n -lt 200 ]; do
	n=$((n + 1))
	churn $n && step "churn"
done
check "changes applied: ${#steps[@]} steps ($(printf '%s\n' "${steps[@]}" | sort | uniq -c |
    sed 's/^ *//' | paste -sd, | sed 's/,/, /g'))" is "${#steps[@]}" -eq $((n + 3))
check "the fixed steps ran while the transfer was running" is "$under_load" = yes
check "$MB MB over TCP arrive intact" wait "$transfer"
check "no crash: ipsec6d runs on A and B" eval 'alive a && alive b'
counters() {
	local out in
	out=$(sa_counter a sa_out2 packets-out)
	in=$(sa_counter b sa_in2 packets-in)
	note "after the rekey: A's sa_out2 sent $out packets, B's sa_in2 received $in"
	is "$out" -gt 100 && is "$in" -gt 100
}
check "the transfer continued on the new SAs" counters
note "A: $(stats a | grep -v '^type=sp' | tr '\t' ' ' | tr '\n' ';')"
note "B: $(stats b | grep -v '^type=sp' | tr '\t' ' ' | tr '\n' ';')"
check "the state is what the changes left" \
    is "$(cli a ipsec6 --formatter=csv sa list | tail -n +2 | cut -d, -f1 | sort | paste -sd' ')" \
    = "sa_in2 sa_out2"
check "ping A -> B after the changes" on a ping -6 -c 2 -i 0.2 -W 2 "$B"

stopped_clean a
e2e_done
