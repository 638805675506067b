#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Hard lifetimes fail closed, on the wire. A's SA to B has a hard limit of 20 packets (and B's
# SA from A the same): a ping of 30 gets 20 answers, the other 10 are dropped on A as expired
# and counted, never sent in the clear, and the SA is listed hard-expired. Then SAs with a hard
# time limit of 3 seconds: a ping every 50 ms is answered for about 3 seconds, then dropped as
# expired, and again nothing leaves in the clear. The capture shows only ESP, and exactly 20
# packets of the first SA's SPI. `ipsec6 monitor` on A sees it all: the SAs added and removed,
# the expiry, the expired drops to the packet, and the stop. Last, a hard byte limit reached
# after a restart, counting what the SA carried before it; a hard packet limit, which counts
# packets, not the sequence numbers that restarts skip; and a hard packet limit that a crash
# does not let an SA pass.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh" "$1"

two_hosts
daemon_start a
daemon_start b

# policies HOST: out and in, peer to peer, bound to sa_out and sa_in
policies() {
	local me=$A peer=$B
	[ "$1" = b ] && me=$B peer=$A
	cli "$1" esxcli network ip ipsec sp add --sp-source "$me/128" --sp-destination "$peer/128" \
	    --flow-direction out --action ipsec --sa-name sa_out --sp-name sp_out
	cli "$1" esxcli network ip ipsec sp add --sp-source "$peer/128" --sp-destination "$me/128" \
	    --flow-direction in --action ipsec --sa-name sa_in --sp-name sp_in
}

# limited_pairs SPI OPTION: A's SA out (SPI) and B's SA in with the lifetime OPTION, the SAs back
# (SPI + 1) without, and the policies of both
limited_pairs() {
	local back
	back=$(printf '0x%x' $(($1 + 1)))
	sa_add a sa_out "$A" "$B" "$1" aes128-cbc hmac-sha1 transport "$2"
	sa_add a sa_in "$B" "$A" "$back" aes128-cbc hmac-sha1
	sa_add b sa_out "$B" "$A" "$back" aes128-cbc hmac-sha1
	sa_add b sa_in "$A" "$B" "$1" aes128-cbc hmac-sha1 transport "$2"
	policies a
	policies b
}

# state HOST SA: the SA's state in ipsec6's own list
state() {
	cli "$1" ipsec6 --formatter=csv sa list | awk -F, -v n="$2" '
	    NR == 1 { for (i = 1; i <= NF; i++) if ($i == "State") c = i }
	    NR > 1 && $1 == n && c { print $c }'
}

pcap=$E2E_TMP/wire.pcap
capture_start b veth-b "$pcap"

# A's events, as `ipsec6 monitor` prints them in JSON, for the whole test.
bg a "$E2E_TMP/events.json" env IPSEC6_SOCKET="$E2E_TMP/a.sock" "$E2E_TMP/bin/ipsec6" \
    --formatter=json monitor
monitor=$E2E_BG
sleep 0.3

# events_sum EVENT SA [REASON]: from A's monitor, how many EVENT records name SA (and REASON),
# or the sum of their counts for drops
events_sum() {
	"$PY" - "$E2E_TMP/events.json" "$@" <<'PYEOF'
import json, sys
path, event, sa = sys.argv[1:4]
reason = sys.argv[4] if len(sys.argv) > 4 else None
n = 0
for line in open(path):
    e = json.loads(line)
    if e["event"] == event and e.get("sa") == sa and (reason is None or e.get("reason") == reason):
        n += e.get("count", 1)
print(n)
PYEOF
}

# 1. A hard packet limit.
limited_pairs 0x1000 --packet-hard=20
check "packets: a new SA is mature" is "$(state a sa_out)" = mature
on a ping -6 -n -c 30 -i 0.05 -W 1 "$B" >"$E2E_TMP/ping1.log" 2>&1 || true
check "packets: 20 of 30 pings answered" \
    has '^30 packets transmitted, 20 received' cat "$E2E_TMP/ping1.log"
check "packets: the other 10 dropped on A as expired" is "$(drops a sa_out expired)" -eq 10
check "packets: A's SA is hard-expired" is "$(state a sa_out)" = hard-expired
check "packets: so is B's, after its 20th packet" is "$(state b sa_in)" = hard-expired
check "packets: the SAs back are not" is "$(state a sa_in)/$(state b sa_out)" = mature/mature
check "packets: logged" logged a "SA 'sa_out': hard lifetime reached (packets: 20)"
sleep 1.2 # the drops are reported once a second
check "monitor: the SAs added" is "$(events_sum sa-added sa_out)/$(events_sum sa-added sa_in)" = 1/1
check "monitor: sa_out hard-expired, once" is "$(events_sum sa-hard-expired sa_out)" -eq 1
check "monitor: its 10 expired drops, counted to the packet" \
    is "$(events_sum drops sa_out expired)" -eq 10

# 2. A hard time limit, on SAs of their own.
clear_all a b
sa_add a sa_out "$A" "$B" 0x2000 aes128-cbc hmac-sha1 transport --time-hard=3
sa_add a sa_in "$B" "$A" 0x2001 aes128-cbc hmac-sha1 transport --time-hard=3
sa_add b sa_out "$B" "$A" 0x2001 aes128-cbc hmac-sha1 transport --time-hard=3
sa_add b sa_in "$A" "$B" 0x2000 aes128-cbc hmac-sha1 transport --time-hard=3
added=$(date +%s.%N)
policies a
policies b
bg a "$E2E_TMP/ping.log" ping -6 -D -n -i 0.05 "$B"
sleep 5.5
kill "$E2E_BG"
answered_until=$(sed -n 's/^\[\([0-9.]*\)\] .* bytes from .*/\1/p' "$E2E_TMP/ping.log" | tail -n1)
check "time: pings answered at first" is "$(replies_since 0)" -gt 20
check "time: the last answer within 2-4.5 s of the add" \
    awk -v a="$added" -v l="${answered_until:-0}" 'BEGIN { d = l - a; print d; exit !(d > 2 && d < 4.5) }'
check "time: then dropped as expired on A" is "$(drops a sa_out expired)" -gt 10
check "time: all four SAs hard-expired" is \
    "$(state a sa_out)/$(state a sa_in)/$(state b sa_out)/$(state b sa_in)" = \
    hard-expired/hard-expired/hard-expired/hard-expired
check "time: logged" logged a "SA 'sa_out': hard lifetime reached (time: 3 s)"

check "monitor: the SAs removed and added again" \
    is "$(events_sum sa-removed sa_out)/$(events_sum sa-added sa_out)" = 1/2
daemon_stop a TERM
mstatus=0
wait "$monitor" || mstatus=$?
check "monitor: the stop is the last event, then the stream ends" \
    has '"event": "stop"' tail -n1 "$E2E_TMP/events.json"
check "monitor: exit status 0" is "$mstatus" -eq 0

# 3. A hard byte limit counts across a restart: 15000 bytes on A's SA out, pings of 1048 bytes
# (IPv6, ICMPv6, 1000 of data). Ten before a restart, ten after: the count goes on from 10480,
# so 4 more stay below the limit, the 5th crosses it (the check is before each packet), and the
# other 5 are dropped as expired. Without the saved count all ten would go.
daemon_start a
clear_all a b
sa_add a sa_out "$A" "$B" 0x3000 aes128-cbc hmac-sha1 transport --byte-hard=15000
sa_add a sa_in "$B" "$A" 0x3001 aes128-cbc hmac-sha1
sa_add b sa_out "$B" "$A" 0x3001 aes128-cbc hmac-sha1
sa_add b sa_in "$A" "$B" 0x3000 aes128-cbc hmac-sha1
policies a
policies b
on a ping -6 -n -c 10 -i 0.05 -W 1 -s 1000 "$B" >"$E2E_TMP/ping3.log" 2>&1 || true
check "bytes: 10 pings of 1048 bytes answered" \
    has '^10 packets transmitted, 10 received' cat "$E2E_TMP/ping3.log"
check "bytes: none expired yet" is "$(drops a sa_out expired)" -eq 0
daemon_stop a TERM
check "bytes: the count is saved at the stop" \
    has '^@bytes sa_out 0x3000 10480$' cat "$E2E_TMP/a.conf.seq"
daemon_start a
check "bytes: mature after the restart" is "$(state a sa_out)" = mature
on a ping -6 -n -c 10 -i 0.05 -W 1 -s 1000 "$B" >"$E2E_TMP/ping4.log" 2>&1 || true
check "bytes: 5 more go out, the 5 after the limit are dropped as expired" \
    is "$(drops a sa_out expired)" -eq 5
check "bytes: A's SA is hard-expired" is "$(state a sa_out)" = hard-expired
check "bytes: logged" logged a "SA 'sa_out': hard lifetime reached (bytes: 15000)"
daemon_stop a TERM

# 4. A hard packet limit counts packets, not sequence numbers, across restarts of both ends: 15
# on A's SA out and on B's SA in. Ten pings, both daemons restarted (A's numbers go on a
# reservation block, 2^20, further), ten more: 5 go out and are taken in, the other 5 are
# dropped on A as expired. Counting numbers, both SAs would be hard-expired after the restart.
daemon_start a
clear_all a b
limited_pairs 0x4000 --packet-hard=15
on a ping -6 -n -c 10 -i 0.05 -W 1 "$B" >"$E2E_TMP/ping5.log" 2>&1 || true
check "packets, restarts: 10 pings answered" \
    has '^10 packets transmitted, 10 received' cat "$E2E_TMP/ping5.log"
daemon_stop a TERM
daemon_stop b TERM
check "packets, restarts: the counts are saved at the stop" \
    is "$(grep -c '^@packets sa_\(out\|in\) 0x4000 10$' "$E2E_TMP/a.conf.seq" \
	"$E2E_TMP/b.conf.seq" | tr '\n' ' ')" = "$E2E_TMP/a.conf.seq:1 $E2E_TMP/b.conf.seq:1 "
daemon_start a
daemon_start b
check "packets, restarts: both SAs mature after the restart" \
    is "$(state a sa_out)/$(state b sa_in)" = mature/mature
on a ping -6 -n -c 10 -i 0.05 -W 1 "$B" >"$E2E_TMP/ping6.log" 2>&1 || true
check "packets, restarts: 5 more answered" \
    has '^10 packets transmitted, 5 received' cat "$E2E_TMP/ping6.log"
check "packets, restarts: the 5 after the limit dropped on A as expired" \
    is "$(drops a sa_out expired)" -eq 5
check "packets, restarts: both SAs hard-expired" \
    is "$(state a sa_out)/$(state b sa_in)" = hard-expired/hard-expired
daemon_stop a TERM

# 5. A hard packet limit is never passed across a crash: 15 on A's SA out and on B's SA in. Ten
# pings, then both daemons killed (SIGKILL), before the counts are written (at most once a
# second): what they carried since is lost, but each had written, before it carried anything,
# that it might carry all 15 ("@packets-allowed": below 1024 the whole limit is allowed at once),
# and a restart after a crash counts that as carried. Both SAs are hard-expired after the
# restart, and the ten pings then are dropped on A: 10 packets of the SA on the wire, not 25.
daemon_start a
clear_all a b
limited_pairs 0x5000 --packet-hard=15
on a ping -6 -n -c 10 -i 0.05 -W 1 "$B" >"$E2E_TMP/ping7.log" 2>&1 || true
check "packets, crash: 10 pings answered" \
    has '^10 packets transmitted, 10 received' cat "$E2E_TMP/ping7.log"
check "packets, crash: the packets allowed are written ahead" \
    is "$(grep -c '^@packets-allowed sa_\(out\|in\) 0x5000 15$' "$E2E_TMP/a.conf.seq" \
	"$E2E_TMP/b.conf.seq" | tr '\n' ' ')" = "$E2E_TMP/a.conf.seq:1 $E2E_TMP/b.conf.seq:1 "
daemon_stop a KILL
daemon_stop b KILL
daemon_start a
daemon_start b
check "packets, crash: both SAs hard-expired after the restart" \
    is "$(state a sa_out)/$(state b sa_in)" = hard-expired/hard-expired
on a ping -6 -n -c 10 -i 0.05 -W 1 "$B" >"$E2E_TMP/ping8.log" 2>&1 || true
check "packets, crash: none answered" \
    has '^10 packets transmitted, 0 received' cat "$E2E_TMP/ping8.log"
check "packets, crash: the 10 dropped on A as expired" is "$(drops a sa_out expired)" -eq 10
daemon_stop a TERM

capture_stop
check "nothing in the clear, ESP on the wire" no_clear "$pcap"
check "exactly 20 packets of the packet-limited SA on the wire" \
    is "$(count "$pcap" 'esp.spi == 0x1000')" -eq 20
check "10 packets of the SA limited to 15 across a crash on the wire, not more" \
    is "$(count "$pcap" 'esp.spi == 0x5000')" -eq 10
e2e_done
