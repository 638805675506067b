#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""`ipsec6d --metrics`: GET /metrics answers in Prometheus's text format (checked with the
prometheus_client parser), with every SA and policy and no key in any spelling; anything else
is refused (404, 405, 400, 431); 16 scrapes at once are all answered while the control socket
keeps serving; a silent connection is closed after its idle time; a bad --metrics value is a
start-up error."""

import os
import socket
import subprocess
import threading
import time

from prometheus_client.parser import text_string_to_metric_families

from daemonlib import Daemon, check, init, key_hex, sa_line, sp_line


def free_port():
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.bind(("::1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def http(port, request, timeout=10):
    """Send raw request bytes, read the whole response."""
    s = socket.create_connection(("::1", port), timeout=timeout)
    try:
        s.sendall(request)
        chunks = []
        while True:
            b = s.recv(65536)
            if not b:
                break
            chunks.append(b)
        return b"".join(chunks)
    finally:
        s.close()


def status(resp):
    return int(resp.split(b" ", 2)[1])


def body(resp):
    head, _, rest = resp.partition(b"\r\n\r\n")
    return head.decode(), rest


def wait_port(port):
    for _ in range(200):
        try:
            socket.create_connection(("::1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.02)
    check(False, "metrics port %d never opened" % port)


def test_page(d, port):
    d.ok(sa_line(1))
    d.ok(sa_line(2, name="sa_two", auth="hmac-sha1"))
    d.ok(sp_line("p1", sa="sa1"))
    d.ok(sa_line(3, name="sa_old") + " --time-soft=60 --time-hard=3600 --packet-hard=1000 "
         "--added=%d" % (int(time.time()) - 120))
    resp = http(port, b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
    check(status(resp) == 200, "GET /metrics: %r" % resp[:80])
    head, page = body(resp)
    check("Content-Type: text/plain; version=0.0.4" in head, "content type: %r" % head)
    check("Content-Length: %d" % len(page) in head, "content length matches the body")
    families = {f.name: f for f in text_string_to_metric_families(page.decode())}
    check("ipsec6_info" in families, "info family")
    info = families["ipsec6_info"].samples[0].labels
    check(info["version"] != "" and info["crypto"] != "", "info labels: %r" % info)
    # prometheus_client strips _total from counter family names.
    pkts = families["ipsec6_sa_packets"]
    check(families["ipsec6_sa_packets"].type == "counter", "SA packets are a counter")
    got = sorted((s.labels["sa"], s.labels["spi"], s.labels["direction"]) for s in pkts.samples)
    check(got == [("sa1", "0x1001", "in"), ("sa1", "0x1001", "out"),
                  ("sa_old", "0x1003", "in"), ("sa_old", "0x1003", "out"),
                  ("sa_two", "0x1002", "in"), ("sa_two", "0x1002", "out")],
          "one packets sample per SA (name and SPI) and direction: %r" % got)
    # The lifecycle: the state as an enum, the age, the limits where there are any.
    states = {(s.labels["sa"], s.labels["state"]): s.value
              for s in families["ipsec6_sa_state"].samples}
    check(states[("sa_old", "soft-expired")] == 1 and states[("sa_old", "mature")] == 0 and
          states[("sa1", "mature")] == 1 and sum(states.values()) == 3,
          "one state per SA, sa_old soft-expired: %r" % states)
    ages = {s.labels["sa"]: s.value for s in families["ipsec6_sa_age_seconds"].samples}
    check(119 <= ages["sa_old"] <= 130 and ages["sa1"] < 60, "ages: %r" % ages)
    limits = sorted((f, s.labels["sa"], s.labels["level"], s.value)
                    for f in ("seconds", "bytes", "packets")
                    for s in families["ipsec6_sa_lifetime_limit_" + f].samples)
    check(limits == [("packets", "sa_old", "hard", 1000), ("seconds", "sa_old", "hard", 3600),
                     ("seconds", "sa_old", "soft", 60)], "limits: %r" % limits)
    check([s.labels["sp"] for s in families["ipsec6_sp_matches"].samples] == ["p1"],
          "one matches sample per policy")
    check(all(s.value == 0 for s in pkts.samples), "no packets without a data path")
    reasons = {s.labels["reason"] for s in families["ipsec6_drops"].samples}
    check({"replay", "icv", "no-sa"} <= reasons, "global drops by reason: %r" % reasons)
    # A rekeyed SA's counters go on under its old SPI for the grace, beside the new SPI's.
    d.ok("sa rekey --sa-name=sa1 --sa-spi=0x2001 --encryption-key=0x%s --integrity-key=0x%s"
         % (key_hex(9, 16, 0xe), key_hex(9, 32, 0xa)))
    page = body(http(port, b"GET /metrics HTTP/1.0\r\n\r\n"))[1]
    families = {f.name: f for f in text_string_to_metric_families(page.decode())}
    for fam in ("ipsec6_sa_packets", "ipsec6_sa_bytes"):
        got = sorted((s.labels["spi"], s.labels["direction"]) for s in families[fam].samples
                     if s.labels["sa"] == "sa1")
        check(got == [("0x1001", "in"), ("0x1001", "out"), ("0x2001", "in"), ("0x2001", "out")],
              "%s: the retired SPI and the new one: %r" % (fam, got))
    for i, n, tag in ((1, 16, 0xe), (1, 32, 0xa), (2, 16, 0xe), (2, 20, 0xa), (3, 16, 0xe),
                      (3, 32, 0xa), (9, 16, 0xe), (9, 32, 0xa)):
        k = key_hex(i, n, tag)
        for spelled in (k.encode(), k.upper().encode(), bytes.fromhex(k)):
            check(spelled not in page, "key material in the metrics")
    # A query string is still /metrics; HTTP/1.0 too.
    check(status(http(port, b"GET /metrics?x=1 HTTP/1.0\r\n\r\n")) == 200, "query string")


def test_refusals(port):
    check(status(http(port, b"GET / HTTP/1.1\r\n\r\n")) == 404, "other path: 404")
    check(status(http(port, b"GET /metricsx HTTP/1.1\r\n\r\n")) == 404, "longer path: 404")
    check(status(http(port, b"POST /metrics HTTP/1.1\r\n\r\n")) == 405, "POST: 405")
    check(status(http(port, b"GET /metrics SPDY/9\r\n\r\n")) == 400, "not HTTP/1: 400")
    resp = http(port, b"GET /metrics HTTP/1.1\r\nX: " + b"a" * 9000 + b"\r\n\r\n")
    check(status(resp) == 431, "header too large: 431, got %r" % resp[:40])


def test_concurrent(d, port):
    results = []

    def scrape():
        try:
            results.append(status(http(port, b"GET /metrics HTTP/1.1\r\n\r\n")))
        except OSError as e:
            results.append(str(e))

    # 16 silent connections hold every slot for a moment; the control socket still answers.
    silent = [socket.create_connection(("::1", port)) for _ in range(16)]
    time.sleep(0.2)
    check(d.request("sa list")[0] == "ok", "control socket serves while scrapes are open")
    for s in silent:
        s.close()
    time.sleep(0.2)
    threads = [threading.Thread(target=scrape) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(results == [200] * 16, "16 scrapes at once all answered: %r" % results)


def test_idle(port):
    s = socket.create_connection(("::1", port), timeout=15)
    s.sendall(b"GET /metrics HTTP/1.1\r\n")  # never ends its header
    start = time.monotonic()
    got = s.recv(100)
    waited = time.monotonic() - start
    s.close()
    check(got == b"" and 4 <= waited <= 10, "idle scrape closed after ~5 s (%.1f s)" % waited)


def test_bad_option(tmp):
    for value, want in (("[::1]", "use [ADDR]:PORT or PORT"), ("0", "the port must be"),
                        ("[nonsense]:80", "is not an IPv6 address")):
        os.makedirs(os.path.join(tmp, "bad"), exist_ok=True)
        d = Daemon(tmp=os.path.join(tmp, "bad"), args=["--metrics", value])
        r = subprocess.run(d.argv(), capture_output=True, timeout=20)
        check(r.returncode == 1 and want in r.stderr.decode(),
              "--metrics %s: %d %r" % (value, r.returncode, r.stderr.decode()))


def main():
    init()
    port = free_port()
    with Daemon(args=["--metrics", str(port)]) as d:
        d.start()
        wait_port(port)
        test_page(d, port)
        test_refusals(port)
        test_concurrent(d, port)
        test_idle(port)
        d.stop()
        test_bad_option(d.tmp)
    print("ok")


if __name__ == "__main__":
    main()
