#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Remote targeting over SSH, with the real thing: four hosts on one bridge, a workstation WS, a
# management host M (it plays vCenter: its inventory names H1 and H2) and two managed hosts H1
# and H2; M, H1 and H2 each run Debian's sshd (its configuration, host keys and the authorized
# key made here, in the test's directory: the machine's /etc/ssh is never read or written)
# and their own ipsec6d. sshd's SetEnv gives the sessions this build's ipsec6 on PATH, the
# host's socket and inventory. From WS the seed's commands run through --server and through
# --server M --vihost: every list read back equals the local one in every formatter, and the
# configuration lands on the host named, only there; batches, save, sa export and stats work
# remotely. Every error a user meets is one line and exit status 1: unreachable host, login
# refused, host key unknown, no ipsec6 there, another relay protocol, ipsec6d not running, no
# --vihost on M, an unknown --vihost, vicfg-ipsec --vihost. While a remote sa add waits on its
# (stopped) target daemon, no process on the machine has a key in its command line.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh" "$1"

SSHD=/usr/sbin/sshd
PREFIX=2001:db8:14:
WS=${PREFIX}:1
M=${PREFIX}:2
H1=${PREFIX}:11
H2=${PREFIX}:12
H1_OTHER=${PREFIX}:111 # H1 too, by an address not in known_hosts
NOBODY=${PREFIX}:99    # nothing there
SSHDIR=$E2E_TMP/ssh

# sshd's privilege separation directory is compiled in (/run/sshd); made for the test when the
# machine has none, and removed after it.
RUN_SSHD_MADE=
if [ ! -d /run/sshd ]; then
	mkdir -m 0755 /run/sshd
	RUN_SSHD_MADE=1
fi
remote_cleanup() {
	e2e_cleanup
	[ -z "$RUN_SSHD_MADE" ] || rmdir /run/sshd 2>/dev/null || true
}
trap remote_cleanup EXIT

# ---- the network: one bridge, in a namespace of its own ---------------------------------
host_add sw
on sw ip link add br0 type bridge
on sw ip link set br0 up
attach() {
	ip link add eth0 netns "$(ns "$1")" type veth peer name "p-$1" netns "$(ns sw)"
	on sw ip link set "p-$1" master br0 up
	on "$1" ip addr add "$2/64" dev eth0 nodad
	on "$1" ip link set eth0 up
	link_ready "$1" eth0
}
for h in ws m h1 h2; do host_add "$h"; done
attach ws "$WS"
attach m "$M"
attach h1 "$H1"
attach h2 "$H2"
on h1 ip addr add "$H1_OTHER/64" dev eth0 nodad
link_ready h1 eth0

# ---- keys and configurations -------------------------------------------------------------
mkdir -m 0700 "$SSHDIR" "$E2E_TMP/empty" "$E2E_TMP/other"
ssh-keygen -q -t ed25519 -N '' -C ipsec6-e2e -f "$SSHDIR/id_ed25519"
ssh-keygen -q -t ed25519 -N '' -C stranger -f "$SSHDIR/stranger"
cp "$SSHDIR/id_ed25519.pub" "$SSHDIR/authorized_keys"
: >"$SSHDIR/known_hosts"
# client_config NAME KEY: an ssh configuration that uses KEY and the test's known_hosts only
client_config() {
	cat >"$SSHDIR/$1" <<EOF
IdentityFile $SSHDIR/$2
IdentitiesOnly yes
IdentityAgent none
UserKnownHostsFile $SSHDIR/known_hosts
GlobalKnownHostsFile /dev/null
StrictHostKeyChecking yes
CheckHostIP no
EOF
}
client_config config id_ed25519
client_config stranger_config stranger
SSH_CMD="ssh -F $SSHDIR/config"

# A relay of another protocol, for the version check: what a newer ipsec6 would say.
cat >"$E2E_TMP/other/ipsec6" <<'EOF'
#!/bin/sh
printf 'ipsec6-relay 2 9.9.9\n'
cat >/dev/null
EOF
chmod 0755 "$E2E_TMP/other/ipsec6"

# sshd_start HOST ADDR PORT PATH: sshd in HOST on ADDR:PORT, its sessions' PATH as given
sshd_start() {
	local host=$1 addr=$2 port=$3 path=$4 dir=$E2E_TMP/sshd-$1-${2##*:}-$3 i
	mkdir -p "$dir"
	[ -f "$E2E_TMP/sshd-$host.key" ] ||
	    ssh-keygen -q -t ed25519 -N '' -C "$host" -f "$E2E_TMP/sshd-$host.key"
	cat >"$dir/sshd_config" <<EOF
ListenAddress $addr
Port $port
HostKey $E2E_TMP/sshd-$host.key
PidFile none
AuthorizedKeysFile $SSHDIR/authorized_keys
StrictModes no
UsePAM no
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
X11Forwarding no
AllowAgentForwarding no
PrintMotd no
LogLevel VERBOSE
SetEnv PATH=$path IPSEC6_SOCKET=$E2E_TMP/$host.sock IPSEC6_HOSTS=$E2E_TMP/$host.hosts "IPSEC6_SSH=$SSH_CMD"
EOF
	bg "$host" "$dir/log" "$SSHD" -D -e -f "$dir/sshd_config"
	for i in $(seq 100); do
		on "$host" ss -H -tln "src [$addr]:$port" | grep -q . && return 0
		sleep 0.05
	done
	cat "$dir/log" >&2
	return 1
}
known() {
	local line
	line=$(cut -d' ' -f1-2 "$E2E_TMP/sshd-$2.key.pub")
	echo "$1 $line" >>"$SSHDIR/known_hosts"
}
BIN_PATH=$E2E_TMP/bin:/usr/bin:/bin
sshd_start m "$M" 22 "$BIN_PATH"
sshd_start h1 "$H1" 22 "$BIN_PATH"
sshd_start h1 "$H1_OTHER" 22 "$BIN_PATH"
sshd_start h2 "$H2" 22 "$BIN_PATH"
sshd_start h2 "$H2" 2200 "$E2E_TMP/empty"             # no ipsec6 there
sshd_start h2 "$H2" 2201 "$E2E_TMP/other:/usr/bin:/bin" # an ipsec6 of another protocol
known "$M" m
known "$H1" h1
known "$H2,[$H2]:2200,[$H2]:2201" h2

cat >"$E2E_TMP/m.hosts" <<EOF
# The hosts M manages (doc/cli.md "The inventory")
esx-1   $H1
esx-2   $H2   port=22 user=root
esx-gone $NOBODY
EOF

daemon_start m
daemon_start h1
daemon_start h2

# ws NAME ARGS...: the CLI as NAME on the workstation, which has no ipsec6d
ws() {
	local name=$1
	shift
	on ws env IPSEC6_SSH="${WS_SSH:-$SSH_CMD}" IPSEC6_SOCKET="$E2E_TMP/ws.sock" \
	    "$E2E_TMP/bin/$name" "$@"
}

# same_output "LOCAL CMD" -- REMOTE CMD: both succeed with the same standard output, byte for
# byte (the local one is a `cli HOST NAME ...` line, run by eval)
same_output() {
	local local_cmd=$1 a b
	shift 2
	a=$(eval "$local_cmd" 2>&1) || { echo "local command failed: $a"; return 1; }
	b=$("$@" 2>&1) || { echo "remote command failed: $b"; return 1; }
	[ "$a" = "$b" ] && [ -n "$a" ] && return 0
	diff <(echo "$a") <(echo "$b")
	return 1
}

# one_error PATTERN CMD...: CMD fails with status 1, prints nothing on standard output and one
# line on standard error, which matches PATTERN
one_error() {
	local pattern=$1 status=0 out err
	shift
	out=$("$@" 2>"$E2E_TMP/err") || status=$?
	err=$(cat "$E2E_TMP/err")
	echo "status $status, stdout '$out', stderr '$err'"
	[ "$status" -eq 1 ] && [ -z "$out" ] && [ "$(wc -l <"$E2E_TMP/err")" -eq 1 ] &&
	    grep -Eq -- "$pattern" "$E2E_TMP/err"
}

SEED_SA=(--sa-source 3ffe:501:ffff:0::a --sa-destination 3ffe:501:ffff:0001:0000:0000:0000:a
    --sa-mode transport --sa-spi 0x1000 --encryption-algorithm 3des-cbc
    --encryption-key "$SEED_EKEY" --integrity-algorithm hmac-sha1 --integrity-key "$SEED_IKEY"
    --sa-name sa_2)
SEED_SP=(--sp-source=2001:0DB8:0001:/48 --sp-destination=2001:0DB8:0002:/48 --source-port=23
    --destination-port=25 --upper-layer-protocol=tcp --flow-direction=out --action=ipsec
    --sp-mode=transport)

# seed VIA...: the seed's commands (tests/golden/seed_esxcli.t), through the connection options
seed() {
	ws esxcli "$@" network ip ipsec sa add "${SEED_SA[@]}" &&
	    ws esxcli "$@" network ip ipsec sp add "${SEED_SP[@]}" --sp-name sp_2 &&
	    ws esxcli "$@" network ip ipsec add "${SEED_SP[@]}" --sa-name sa_2 --sp-name sp_3
}
# lists_equal HOST VIA...: sa list and sp list, in every formatter, read through VIA equal the
# lists read on HOST itself
lists_equal() {
	local host=$1 f l
	shift
	for l in sa sp; do
		for f in table xml csv keyvalue json; do
			same_output "cli $host esxcli --formatter=$f network ip ipsec $l list" -- \
			    ws esxcli --formatter="$f" "$@" network ip ipsec "$l" list || return 1
		done
	done
}
# configured HOST: the seed's configuration is on HOST
configured() { has '^sp_3 .* sa_2$' cli "$1" esxcli network ip ipsec sp list; }
unconfigured() { lacks '^s[ap] add' cli "$1" ipsec6 save; }

# ---- --server ------------------------------------------------------------------------------
check "the seed's commands through --server H1" seed --server "$H1" --username root
check "they are on H1" configured h1
check "lists through --server equal H1's, in every formatter" lists_equal h1 --server "$H1"
check "nothing on M" unconfigured m
check "nothing on H2" unconfigured h2
check "vicfg-ipsec --server lists as vicfg-ipsec on H1" \
    same_output "cli h1 vicfg-ipsec --list-sp" -- ws vicfg-ipsec --server "$H1" --list-sp
check "a refusal of H1's ipsec6d is its own message, exit status 1" \
    one_error "^policy 'sp_2' already exists$" ws esxcli --server "$H1" network ip ipsec sp add \
    "${SEED_SP[@]}" --sp-name sp_2
# syntax_as_locally: a syntax error is the same, and found before any connection (the server
# named does not exist)
syntax_as_locally() {
	local a b
	a=$(cli h1 esxcli network ip ipsec sa remove 2>&1; echo "status $?")
	b=$(ws esxcli --server "$NOBODY" network ip ipsec sa remove 2>&1; echo "status $?")
	[ "$a" = "$b" ] && [[ $a == *"status 1" ]] && return 0
	diff <(echo "$a") <(echo "$b")
	return 1
}
check "a syntax error is found before any connection, as locally" syntax_as_locally

# ---- --server M --vihost ---------------------------------------------------------------------
check "the inventory through --server M equals M's own hosts list" \
    same_output "on m env IPSEC6_HOSTS=$E2E_TMP/m.hosts $E2E_TMP/bin/ipsec6 hosts list" -- \
    ws ipsec6 --server "$M" hosts list
h1_before=$(cli h1 ipsec6 save)
check "the seed's commands through --server M --vihost esx-2" seed -s "$M" -h esx-2
check "they are on H2" configured h2
check "lists through --vihost equal H2's, in every formatter" lists_equal h2 -s "$M" -h esx-2
check "nothing on M" unconfigured m
check "H1 unchanged" test "$(cli h1 ipsec6 save)" = "$h1_before"

# Batches, save, export, stats.
cat >"$E2E_TMP/batch.conf" <<EOF
sp remove --sp-name sp_3
sp remove --sp-name sp_2

sa add --sa-name sa_b --sa-source 2001:db8::1 --sa-destination 2001:db8::2 --sa-spi 0x2000 --encryption-algorithm aes128-cbc --encryption-key 0x00112233445566778899aabbccddeeff --integrity-algorithm hmac-sha2-256 --integrity-key 0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20
EOF
check "a batch (-f) through --vihost esx-1" ws ipsec6 -s "$M" -h esx-1 -f "$E2E_TMP/batch.conf"
check "it is on H1" has '^sa_b ' cli h1 ipsec6 sa list
check "save through --vihost equals H1's" \
    same_output "cli h1 ipsec6 save" -- ws ipsec6 -s "$M" -h esx-1 save
check "sa export through --server equals H1's" \
    same_output "cli h1 ipsec6 sa export --wireshark --show-keys" -- \
    ws ipsec6 -s "$H1" sa export --wireshark --show-keys
check "stats through --vihost equal H1's" \
    same_output "cli h1 ipsec6 --formatter=json stats" -- \
    ws ipsec6 -s "$M" -h esx-1 --formatter=json stats
stdin_batch() { printf 'sa remove --sa-name sa_b\n' | ws ipsec6 -s "$H1" -f -; }
check "a batch from standard input through --server" stdin_batch
check "... applied on H1" lacks '^sa_b ' cli h1 ipsec6 sa list

# ---- no key in any command line while a remote sa add runs -------------------------------
# The target's ipsec6d is stopped: the chain WS ipsec6 -> ssh -> M's relay -> ssh -> H2's relay
# waits for its answer; meanwhile every process's command line is read.
KEY_E=0x5e7a1c0ffee15b0a7d2b9e4c3f6a8d1e2b4c6d8e0f1a2b3c
KEY_I=0x9a8b7c6d5e4f30211203f4e5d6c7b8a9f0e1d2c3
printf 'ASCII-encryption-key-24b\n' >"$E2E_TMP/ekey"
no_key_anywhere() {
	local pid n=0 i
	for i in $(seq 100); do
		n=$(pgrep -fc '^ipsec6 --relay$' || true)
		[ "$n" -ge 2 ] && break
		sleep 0.05
	done
	note "$n relays waiting"
	[ "$n" -ge 2 ] || return 1
	sleep 0.3
	for pid in /proc/[0-9]*; do
		tr '\0' ' ' <"$pid/cmdline" 2>/dev/null
		echo
	done >"$E2E_TMP/cmdlines"
	ps -eo args >>"$E2E_TMP/cmdlines"
	grep -c 'ipsec6' "$E2E_TMP/cmdlines" | sed 's/^/  command lines naming ipsec6: /' >&3
	lacks "${KEY_E#0x}|${KEY_I#0x}|ASCII-encryption-key" cat "$E2E_TMP/cmdlines"
}
remote_add_unseen() {
	local status=0
	daemon_stop_signal h2 STOP
	ws "$@" &
	local cmd=$!
	no_key_anywhere || status=1
	daemon_stop_signal h2 CONT
	wait "$cmd" || status=1
	return $status
}
daemon_stop_signal() {
	local pid
	eval "pid=\$E2E_PID_$1"
	kill -"$2" "$pid"
}
check "keys on the command line: in no process's command line while the remote sa add waits" \
    remote_add_unseen esxcli -s "$M" -h esx-2 network ip ipsec sa add --sa-source 2001:db8::1 \
    --sa-destination 2001:db8::2 --sa-spi 0x3000 --encryption-algorithm 3des-cbc \
    -k "$KEY_E" --integrity-algorithm hmac-sha1 -K "$KEY_I" --sa-name sa_k
check "key files: likewise" \
    remote_add_unseen ipsec6 -s "$M" -h esx-2 sa add --sa-source 2001:db8::1 \
    --sa-destination 2001:db8::2 --sa-spi 0x3001 --encryption-algorithm 3des-cbc \
    --encryption-key-file "$E2E_TMP/ekey" --integrity-algorithm hmac-sha1 \
    --integrity-key "$KEY_I" --sa-name sa_f
# arrived NAME KEY: H2's configuration has SA NAME with KEY (hex, without 0x)
arrived() { has "sa-name=$1 .*$2" cli h2 ipsec6 save; }
check "the SA arrived on H2 with its keys" arrived sa_k "${KEY_E#0x}"
check "the SA of the key file too" arrived sa_f "$(printf %s ASCII-encryption-key-24b | od -An -tx1 | tr -d ' \n')"

# ---- errors ----------------------------------------------------------------------------------
check "M without --vihost: must specify the managed host" \
    one_error "^esxcli: $M: must specify the managed host with --vihost" \
    ws esxcli -s "$M" network ip ipsec sa list
check "an unknown --vihost: cannot find it" \
    one_error "^esxcli: $M: cannot find managed host 'esx-9'" \
    ws esxcli -s "$M" -h esx-9 network ip ipsec sa list
check "vicfg-ipsec --vihost is refused" \
    one_error "^vicfg-ipsec: --vihost is not supported: vicfg-ipsec cannot go through" \
    ws vicfg-ipsec --server "$M" --vihost esx-1 --list-sa
check "--password is refused: SSH keys or an agent" \
    one_error "^esxcli: --password is not supported: .*SSH keys or an agent" \
    ws esxcli -s "$H1" --password secret network ip ipsec sa list
check "connection refused" \
    one_error "^esxcli: cannot reach $M over SSH \(ssh: connect to host $M port 2222: Connection refused\)$" \
    ws esxcli -s "$M" --portnumber 2222 network ip ipsec sa list
check "no host there" \
    one_error "^esxcli: cannot reach $NOBODY over SSH \(ssh: connect to host $NOBODY port 22: (No route to host|Connection timed out)\)$" \
    ws esxcli -s "$NOBODY" network ip ipsec sa list
check "a managed host that cannot be reached, through M" \
    one_error "^esxcli: $M: cannot reach esx-gone over SSH \(ssh: connect to host $NOBODY port 22: (No route to host|Connection timed out)\)$" \
    ws esxcli -s "$M" -h esx-gone network ip ipsec sa list
WS_SSH="ssh -F $SSHDIR/stranger_config"
check "login refused (a key H1 does not know)" \
    one_error "^esxcli: $H1 refused the SSH login \(.*Permission denied \(publickey\)\.\): ipsec6 logs in with SSH keys or an agent" \
    ws esxcli -s "$H1" network ip ipsec sa list
WS_SSH=
check "a host key not in known_hosts" \
    one_error "^esxcli: cannot verify the SSH host key of $H1_OTHER \(Host key verification failed\.\)" \
    ws esxcli -s "$H1_OTHER" network ip ipsec sa list
check "no ipsec6 on the host" \
    one_error "^esxcli: no ipsec6 on $H2 \(.*ipsec6: (command )?not found\): install it there$" \
    ws esxcli -s "$H2" --portnumber 2200 network ip ipsec sa list
check "an ipsec6 of another relay protocol" \
    one_error "^esxcli: ipsec6 on $H2 speaks relay protocol 2, this ipsec6 \(.*\) speaks 1: install the same version on both hosts$" \
    ws esxcli -s "$H2" --portnumber 2201 network ip ipsec sa list
daemon_stop h2 TERM
check "ipsec6d not running on the host" \
    one_error "^esxcli: $H2: cannot reach ipsec6d at $E2E_TMP/h2.sock \(.*\); start it with: ipsec6d" \
    ws esxcli -s "$H2" network ip ipsec sa list
check "ipsec6d not running on the managed host, through M" \
    one_error "^esxcli: $M: esx-2: cannot reach ipsec6d at $E2E_TMP/h2.sock" \
    ws esxcli -s "$M" -h esx-2 network ip ipsec sa list
stopped_clean m h1
e2e_done
