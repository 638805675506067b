#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Concurrency: 4 clients x 500 adds at once, each add its own connection as the CLI does it.
All are acknowledged and present exactly once, in the list and in the file, and the file
loads back to the same state."""

import threading
import time

from daemonlib import Daemon, check, init, records, sa_line, sp_line

CLIENTS = 4
ADDS = 500


def client(d, k, errors):
    for j in range(ADDS):
        i = k * ADDS + j
        # Every fifth add is a policy bound to the client's previous SA.
        if j % 5 == 4:
            text = sp_line("sp%d" % i, sa="sa%d" % (i - 1))
        else:
            text = sa_line(i)
        try:
            status, _ = d.request(text)
        except OSError as e:
            status = "exception %s" % e
        if status != "ok":
            errors.append((i, status))


def main():
    init()
    t0 = time.monotonic()
    with Daemon() as d:
        d.start()
        errors = []
        threads = [threading.Thread(target=client, args=(d, k, errors)) for k in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        check(not errors, "refused or failed: %r" % errors[:5])
        sas = [r["name"] for r in records(d.ok("sa list"))]
        sps = [r["name"] for r in records(d.ok("sp list"))]
        want_sa = {"sa%d" % i for i in range(CLIENTS * ADDS) if i % ADDS % 5 != 4}
        want_sp = {"sp%d" % i for i in range(CLIENTS * ADDS) if i % ADDS % 5 == 4}
        check(len(sas) == len(set(sas)) and set(sas) == want_sa, "SAs: %d" % len(sas))
        check(len(sps) == len(set(sps)) and set(sps) == want_sp, "SPs: %d" % len(sps))
        text = d.file_bytes().decode()
        check(text.count("\nsa add ") == len(want_sa) and text.count("\nsp add ") == len(want_sp),
              "file has each change once")
        before = (d.ok("sa list"), d.ok("sp list"))
        d.restart()
        check((d.ok("sa list"), d.ok("sp list")) == before, "file loads to the same state")
        d.stop()
    print("ok: %d requests from %d clients in %.1f s" % (CLIENTS * ADDS, CLIENTS,
                                                        time.monotonic() - t0))


if __name__ == "__main__":
    main()
