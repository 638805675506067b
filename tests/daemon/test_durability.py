#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Durability: a stream of acknowledged changes with SIGKILL of the daemon at random moments
and restarts. Every acknowledged change is present afterwards, the file always loads (the
daemon refuses to start on a file that does not), and a multi-line transaction is there
entirely or not at all."""

import random
import threading
import time

from daemonlib import Daemon, check, init, records, sa_line

TARGET = 1000  # acknowledged requests


def writer(d, state, stop):
    """Send adds back to back until the daemon dies; record what was acknowledged."""
    while not stop.is_set():
        i = state["next"]
        state["next"] += 1
        if i % 10 == 0:
            names = ["sa%d" % i, "sa%db" % i, "sa%dc" % i]
            text = "\n".join(sa_line(i * 3 + k + 100000, name=n) for k, n in enumerate(names))
            state["batches"].append(names)
        else:
            names = ["sa%d" % i]
            text = sa_line(i, name=names[0])
        try:
            status, _ = d.request(text, timeout=10)
        except OSError:
            return  # killed mid-request: neither acknowledged nor refused
        if status == "":
            return  # killed before it answered
        if status != "ok":
            state["errors"].append(status)
            return
        state["acked"].extend(names)
        state["requests"] += 1


def verify(d, state):
    present = [r["name"] for r in records(d.ok("sa list"))]
    have = set(present)
    check(len(have) == len(present), "duplicate names after restart")
    missing = [n for n in state["acked"] if n not in have]
    check(not missing, "acknowledged but lost: %r" % missing[:5])
    for batch in state["batches"]:
        there = [n in have for n in batch]
        check(all(there) or not any(there), "torn transaction: %r %r" % (batch, there))


def main():
    init()
    rnd = random.Random(6)
    state = {"next": 0, "acked": [], "batches": [], "requests": 0, "errors": []}
    kills = 0
    t0 = time.monotonic()
    with Daemon() as d:
        while state["requests"] < TARGET:
            check(kills < 400, "too few acknowledgements: %d after %d kills" % (state["requests"], kills))
            d.start()  # a file that does not load stops the daemon: start() fails the test
            verify(d, state)
            stop = threading.Event()
            t = threading.Thread(target=writer, args=(d, state, stop))
            t.start()
            time.sleep(rnd.uniform(0.005, 0.4))
            d.kill()
            kills += 1
            stop.set()
            t.join()
            check(not state["errors"], "a change was refused: %r" % state["errors"][:3])
        d.start()
        verify(d, state)
        d.stop()
    print("ok: %d acknowledged requests (%d SAs), %d kills, %.1f s" %
          (state["requests"], len(state["acked"]), kills, time.monotonic() - t0))


if __name__ == "__main__":
    main()
