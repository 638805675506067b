#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Metrics with the real thing: ipsec6d on A serves --metrics on [::1] in A's namespace, and a
# Prometheus server of the test's own (Debian's prometheus, its own configuration and storage
# in the test's directory, listening in A's namespace only) scrapes it every second. After a
# ping through A's SAs, Prometheus's HTTP API reports sa_out's packet counter as ipsec6 stats
# does, the policies' matches, and the daemon's info; no key appears in anything scraped.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh" "$1"

MPORT=9464
PPORT=9090
two_hosts
daemon_start a --metrics "$MPORT"
daemon_start b
configure_pair aes128-cbc hmac-sha1

mkdir -p "$E2E_TMP/prom"
cat >"$E2E_TMP/prom/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: ipsec6d
    static_configs:
      - targets: ['[::1]:$MPORT']
EOF
bg a "$E2E_TMP/prom/log" prometheus --config.file="$E2E_TMP/prom/prometheus.yml" \
    --storage.tsdb.path="$E2E_TMP/prom/data" --web.listen-address="[::1]:$PPORT"
# query EXPR: the value of the first sample of an instant query, through the HTTP API
query() {
	on a "$PY" - "$PPORT" "$1" <<'EOF'
import json, sys, urllib.parse, urllib.request
url = "http://[::1]:%s/api/v1/query?query=%s" % (sys.argv[1], urllib.parse.quote(sys.argv[2]))
r = json.load(urllib.request.urlopen(url, timeout=5))
res = r["data"]["result"]
print(res[0]["value"][1] if r["status"] == "success" and res else "")
EOF
}
# ready: Prometheus answers and has scraped ipsec6d at least once
ready() {
	local i
	for i in $(seq 150); do
		[ "$(query 'up{job="ipsec6d"}' 2>/dev/null)" = 1 ] && return 0
		sleep 0.2
	done
	tail -n 20 "$E2E_TMP/prom/log"
	return 1
}
check "Prometheus scrapes ipsec6d" ready

check "ping A -> B through the SAs" on a ping -6 -c 5 -i 0.2 -W 2 "$B"
sent=$(sa_counter a sa_out packets-out)
# scraped N EXPR: Prometheus reports N for EXPR within a few scrapes
scraped() {
	local i got=""
	for i in $(seq 50); do
		got=$(query "$2")
		[ "$got" = "$1" ] && return 0
		sleep 0.2
	done
	echo "Prometheus says '$got' for $2, ipsec6 stats $1"
	return 1
}
check "sa_out's packets out in Prometheus are ipsec6 stats' ($sent)" \
    scraped "$sent" 'ipsec6_sa_packets_total{sa="sa_out",direction="out"}'
check "sp_out's matches in Prometheus are ipsec6 stats'" \
    scraped "$(sp_matches a sp_out)" 'ipsec6_sp_matches_total{sp="sp_out"}'
check "the daemon's info is scraped" scraped 1 'ipsec6_info{crypto!=""}'
# no_keys: the page has SA names but none of the test keys, in any spelling
no_keys() {
	on a "$PY" - "$MPORT" "$SEED_EKEY" <<'EOF'
import sys, urllib.request
page = urllib.request.urlopen("http://[::1]:%s/metrics" % sys.argv[1], timeout=5).read()
assert b'sa="sa_out"' in page, "no sa_out in the page"
keys = ["00112233445566778899aabbccddeeff", "0102030405060708090a0b0c0d0e0f1011121314"]
for k in keys:
    for spelled in (k.encode(), k.upper().encode(), bytes.fromhex(k)):
        assert spelled not in page, "a key in the metrics"
EOF
}
check "no key in the scraped page" no_keys
stopped_clean a b
e2e_done
