#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Debian package, whole, on the machine the test runs on (CI's is disposable): `make deb`
# builds it from a clean copy of the tree and lintian passes it; dpkg -i installs it; ipsec6d
# starts as its systemd unit would start it; the seed's esxcli commands configure it; it
# upgrades over itself, is removed and purged, and each step leaves what it should.
#
# systemd is not PID 1 here, so the unit's ExecStart runs by hand with what the unit gives it:
# its User and Group, its AmbientCapabilities as the only capabilities (CapabilityBoundingSet),
# no_new_privs, its UMask and LimitMEMLOCK, the StateDirectory the package made, a private
# RuntimeDirectory, and (ProtectKernelTunables, ProtectSystem=strict) /proc/sys, /usr and /etc
# read-only, in a network namespace of its own so that its TUN device and nftables table stay
# out of the machine's. A machine that has the package installed already is left alone (skip).
# Purge leaves the system user ipsec6 behind, as Debian packages leave theirs (ids are not reused).
source "$(dirname "$0")/lib.sh" "$1"

PKG=ipsec6
UNIT=/lib/systemd/system/ipsec6d.service
STATE=/var/lib/ipsec6
CONF=$STATE/ipsec6.conf
SEED=$E2E_SRC/tests/golden/seed_esxcli.t

if dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q 'install ok'; then
	echo "1..0 # SKIP the package $PKG is installed on this machine: not touching it"
	exit 77
fi

# No service starts from maintainer scripts during the test (deb-systemd-invoke honours
# policy-rc.d); one the machine has already is left as it is.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\n# ipsec6 test_package.sh: no service starts while it runs\nexit 101\n' >"$policy"
	chmod 755 "$policy"
	own_policy=1
fi
package_cleanup() {
	set +e
	[ -n "${UNIT_PID:-}" ] && kill "$UNIT_PID" 2>/dev/null && wait "$UNIT_PID" 2>/dev/null
	dpkg-query -W "$PKG" >/dev/null 2>&1 && dpkg -P "$PKG" >/dev/null 2>&1
	[ "$own_policy" -eq 1 ] && rm -f "$policy"
	e2e_cleanup
}
trap package_cleanup EXIT

# unit_value KEY: the value of KEY= in the installed unit (the last one, as systemd reads it)
unit_value() { sed -n "s/^$1=//p" "$UNIT" | tail -n1; }

# unit_start: run the unit's ExecStart the way systemd would (see above); UNIT_PID is the daemon.
unit_start() {
	local user group caps exec memlock umask_
	user=$(unit_value User)
	group=$(unit_value Group)
	exec=$(unit_value ExecStart)
	memlock=$(unit_value LimitMEMLOCK)
	umask_=$(unit_value UMask)
	# CAP_NET_ADMIN CAP_NET_RAW -> +net_admin,+net_raw
	caps=$(unit_value AmbientCapabilities | tr 'A-Z' 'a-z' | sed 's/cap_/+/g; s/ /,/g')
	[ "$caps" = "$(unit_value CapabilityBoundingSet | tr 'A-Z' 'a-z' | sed 's/cap_/+/g; s/ /,/g')" ] ||
		return 1
	# unshare execs sh, which execs setpriv, which execs ipsec6d: UNIT_PID is the daemon.
	# shellcheck disable=SC2016
	ip netns exec "$(ns unit)" unshare -m --propagation private sh -ec '
		user=$1 group=$2 caps=$3
		mount -t tmpfs -o mode=0755 tmpfs /run
		install -d -m 0700 -o "$user" -g "$group" /run/ipsec6
		# Debian (udev) makes /dev/net/tun 0666; a container may not: the same node, as Debian has it.
		if [ "$(stat -c %a /dev/net/tun)" != 666 ]; then
			mknod -m 0666 /run/tun c 10 200
			mount --bind /run/tun /dev/net/tun
		fi
		for d in /proc/sys /usr /etc; do mount --bind "$d" "$d"; mount -o remount,bind,ro "$d"; done
		umask "$4"
		# Raising the hard limit takes CAP_SYS_RESOURCE, which some containers withhold.
		ulimit -l $(($5 / 1024)) 2>/dev/null ||
			echo "unit: LimitMEMLOCK not applied here (no CAP_SYS_RESOURCE): $(ulimit -l) KiB" >&2
		shift 5
		exec setpriv --reuid="$user" --regid="$group" --init-groups --inh-caps=-all,"$caps" \
		    --ambient-caps=-all,"$caps" --bounding-set=-all,"$caps" --no-new-privs "$@"
	' unit "$user" "$group" "$caps" "$umask_" "$((${memlock%M} * 1024 * 1024))" $exec \
	    >>"$E2E_TMP/unit.log" 2>&1 </dev/null &
	UNIT_PID=$!
	for _ in $(seq 100); do
		unit_cli esxcli network ip ipsec sa list >/dev/null 2>&1 && return 0
		kill -0 "$UNIT_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# unit_cli NAME ARGS...: the installed command NAME (ipsec6, or a compat name) run in the
# daemon's namespaces, where its socket is.
unit_cli() {
	local name=$1 prog
	shift
	case $name in
	ipsec6) prog=/usr/bin/ipsec6 ;;
	*) prog=/usr/libexec/ipsec6/compat/$name ;;
	esac
	nsenter -t "$UNIT_PID" -m -n -- "$prog" "$@"
}

unit_stop() {
	UNIT_STATUS=-1
	kill -TERM "$UNIT_PID" 2>/dev/null || return 0
	UNIT_STATUS=0
	wait "$UNIT_PID" || UNIT_STATUS=$?
	UNIT_PID=
}

# seed: the seed transcript's commands up to its first refusal, and what they must print.
awk '/^# The same policy again/ {exit} /^\$ / {print substr($0, 3)}' "$SEED" >"$E2E_TMP/seed.sh"
awk '/^# The same policy again/ {exit} /^\| / {print substr($0, 3)} /^\|$/ {print ""}' "$SEED" \
    >"$E2E_TMP/seed.want"
seed_run() {
	local words
	while read -r -a words; do
		unit_cli "${words[@]}" || return 1
	done <"$E2E_TMP/seed.sh"
}
lists() {
	unit_cli esxcli network ip ipsec sa list && unit_cli esxcli network ip ipsec sp list
}

in_status() { sed -n "s/^$2:\t//p" "/proc/$1/status"; }
owner() { stat -c '%U:%G %a' "$1"; }
# files_gone LIST: no path of LIST (dpkg -L output, directories aside) exists any more
files_gone() {
	local f left=0
	while read -r f; do
		[ -d "$f" ] && continue
		if [ -e "$f" ] || [ -L "$f" ]; then echo "left: $f"; left=1; fi
	done <"$1"
	return $left
}

# 1. Build and lint.
check "make deb builds the package; lintian: no errors, no warnings" \
    "$E2E_SRC/scripts/deb.sh" "$E2E_TMP/deb"
deb=$(ls "$E2E_TMP"/deb/ipsec6_*_amd64.deb)

# 2. Install.
check "dpkg -i installs it" dpkg -i "$deb"
dpkg -L "$PKG" >"$E2E_TMP/files"
for f in /usr/sbin/ipsec6d /usr/bin/ipsec6 /usr/libexec/ipsec6/compat/esxcli \
    /usr/libexec/ipsec6/compat/vicfg-ipsec "$UNIT" /usr/share/man/man8/ipsec6.8.gz \
    /usr/share/man/man8/ipsec6d.8.gz /usr/share/man/man5/ipsec6.conf.5.gz \
    /usr/share/bash-completion/completions/ipsec6; do
	check "installed: $f" grep -qx "$f" "$E2E_TMP/files"
done
check "the unit runs ipsec6d from /usr/sbin as the user ipsec6" \
    has '^ExecStart=/usr/sbin/ipsec6d --foreground$' cat "$UNIT"
# systemd-analyze's exposure score, 0-10 (--threshold is tenths): the unit's hardening holds.
check "systemd-analyze security rates the unit 2.0 or better" \
    systemd-analyze security --offline=true --threshold=20 "$UNIT"
check "a system user and group ipsec6 exist" \
    is "$(id -u ipsec6 2>/dev/null || echo 65535)" -lt 1000
check "its state directory is its own, 0700" is "$(owner "$STATE")" = "ipsec6:ipsec6 700"
check "the unit is enabled (multi-user.target wants it)" \
    test -L /etc/systemd/system/multi-user.target.wants/ipsec6d.service

# 3. Run as the unit would; the seed's commands.
host_add unit
check "ipsec6d starts as the unit starts it" unit_start
check "the seed's esxcli commands succeed" seed_run
lists >"$E2E_TMP/lists.got" 2>&1 || true
check "sa list and sp list print what the seed transcript says" \
    diff -u "$E2E_TMP/seed.want" "$E2E_TMP/lists.got"
uid=$(id -u ipsec6)
check "the daemon runs as ipsec6" has "^$uid\s+$uid\s+$uid\s+$uid$" in_status "$UNIT_PID" Uid
check "with CAP_NET_ADMIN and CAP_NET_RAW only" \
    is "$(in_status "$UNIT_PID" CapEff)/$(in_status "$UNIT_PID" CapBnd)" = \
    0000000000003000/0000000000003000
check "no_new_privs and its seccomp filter" \
    is "$(in_status "$UNIT_PID" NoNewPrivs)/$(in_status "$UNIT_PID" Seccomp)" = 1/2
check "the configuration is in $STATE, the daemon's, 0600" is "$(owner "$CONF")" = \
    "ipsec6:ipsec6 600"
check "it holds the seed's SA and policy" has '^sp add .*--sp-name=sp_2' cat "$CONF"
unit_stop
check "SIGTERM stops it with status 0" is "$UNIT_STATUS" -eq 0
# state_sum: the checksums of the state the daemon left (its configuration and .seq file)
state_sum() { sha256sum "$CONF" "$CONF.seq" >"$E2E_TMP/conf.sum"; }
state_sum

# 4. Upgrade over itself.
check "dpkg -i over itself upgrades" dpkg -i "$deb"
check "the configuration survives the upgrade unchanged" sha256sum -c "$E2E_TMP/conf.sum"
check "ipsec6d starts again after the upgrade" unit_start
lists >"$E2E_TMP/lists.again" 2>&1 || true
check "with the same SAs and policies" diff -u "$E2E_TMP/seed.want" "$E2E_TMP/lists.again"
unit_stop
state_sum # a start reserves sequence numbers anew: the .seq file moved on

# 5. Remove: the programs go, the configuration stays.
check "dpkg -r removes it" dpkg -r "$PKG"
check "its files are gone" files_gone "$E2E_TMP/files"
check "the configuration survives remove unchanged" sha256sum -c "$E2E_TMP/conf.sum"
check "dpkg knows it as removed, configuration kept" \
    has '^deinstall ok config-files$' dpkg-query -W -f='${Status}\n' "$PKG"

# 6. Purge: the state goes, and the purge says so.
check "dpkg -P purges it" sh -c "dpkg -P $PKG 2>$E2E_TMP/purge.err"
check "the purge says it deletes the SAs and keys" \
    has "purging $STATE" cat "$E2E_TMP/purge.err"
check "$STATE is gone" not test -e "$STATE"
check "the unit is no longer enabled" \
    not test -L /etc/systemd/system/multi-user.target.wants/ipsec6d.service
check "dpkg no longer knows it" not dpkg-query -W "$PKG"

e2e_done
