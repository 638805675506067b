#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""SA lifetimes in the daemon: an SA with time limits of 1 and 2 seconds goes from mature to
soft-expired to hard-expired on its own, each change logged once; the time it was added is in
the configuration file, so that a restart finds it as old as it is (and as expired); a rebuild
of the state (a refused batch, a reload) neither rejuvenates nor resets it, but a reload that
raises its hard limit lets it carry traffic again; SAs without limits stay mature. The engine's own checks (packets, bytes, the expired flag) are
tests/unit/test_engine.c's; the traffic is tests/e2e/test_lifetimes.sh's."""

import re
import signal
import time

from daemonlib import Daemon, check, init, records, sa_line


def state(d, name):
    for r in records(d.ok("sa list")):
        if r["name"] == name:
            return r["state"]
    raise AssertionError("no SA %s" % name)


def wait_state(d, name, want, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        got = state(d, name)
        if got == want:
            return time.monotonic()
        time.sleep(0.05)
    check(False, "SA %s did not become %s within %.1f s (it is %s)" %
          (name, want, timeout, state(d, name)))
    return None


def lines(d, pattern):
    return [l for l in d.log_text().splitlines() if re.search(pattern, l)]


def main():
    init()
    with Daemon() as d:
        d.start()
        t0 = int(time.time())
        d.ok(sa_line(1, name="short") + " --time-soft=1 --time-hard=2")
        d.ok(sa_line(2, name="plain"))
        d.ok(sa_line(3, name="counted") + " --packet-soft=10 --byte-hard=1000000")
        t1 = int(time.time())
        check(state(d, "short") == "mature", "a new SA is mature")
        start = time.monotonic()
        soft_at = wait_state(d, "short", "soft-expired", 3.0)
        hard_at = wait_state(d, "short", "hard-expired", 3.0)
        check(0.9 <= soft_at - start <= 2.5, "soft at ~1 s: %.2f" % (soft_at - start))
        check(1.9 <= hard_at - start <= 3.5, "hard at ~2 s: %.2f" % (hard_at - start))
        time.sleep(1.5)  # the daemon's tick runs again: no second line
        soft = lines(d, r"SA 'short': soft lifetime reached \(time: 1 s\)")
        hard = lines(d, r"SA 'short': hard lifetime reached \(time: 2 s\): it carries no more")
        check(len(soft) == 1 and len(hard) == 1, "each change logged once: %r" % (soft + hard))
        check(state(d, "plain") == "mature" and state(d, "counted") == "mature",
              "SAs without a limit reached stay mature")
        check(not lines(d, r"SA '(plain|counted)'"), "nothing logged for them")

        # The file keeps the time added (only for the SA with a time limit) and the limits.
        conf = d.file_bytes().decode()
        m = re.search(r"--sa-name=short .*--time-soft=1 --time-hard=2 --added=(\d+)\n", conf)
        check(m is not None and t0 <= int(m.group(1)) <= t1, "--added in the file: %r" % conf)
        check("--byte-hard=1000000 --packet-soft=10\n" in conf, "counted's limits kept")
        check(re.search(r"--sa-name=(plain|counted) .*--added", conf) is None,
              "no --added where no time limit needs it")

        # A refused batch and a reload rebuild the state: short stays hard-expired.
        d.request(sa_line(4, name="x") + "\n" + sa_line(5, name="short"))
        check(state(d, "short") == "hard-expired", "still hard-expired after a rollback")
        d.signal(signal.SIGHUP)
        time.sleep(0.5)
        check(state(d, "short") == "hard-expired", "still hard-expired after a reload")
        check(len(lines(d, r"SA 'short': hard lifetime")) == 1, "and not logged again")

        # A restart: as old as it was, from the file.
        d.restart()
        check(state(d, "short") == "hard-expired", "hard-expired after a restart")
        check(state(d, "plain") == "mature", "plain still mature after a restart")

        # Its hard limit raised in the file and reloaded: short carries traffic again (its soft
        # limit is still reached). First the daemon's tick puts the limit in force again.
        time.sleep(1.2)
        logged = len(lines(d, r"SA 'short': hard lifetime"))
        conf = d.file_bytes().decode()
        raised = conf.replace("--time-hard=2 ", "--time-hard=3600 ")
        check(raised != conf, "the file has short's hard limit")
        with open(d.config, "w") as f:
            f.write(raised)
        d.signal(signal.SIGHUP)
        time.sleep(0.5)
        check(state(d, "short") == "soft-expired", "soft-expired after a reload raised the hard "
              "limit: %s" % state(d, "short"))
        check(len(lines(d, r"SA 'short': hard lifetime")) == logged, "no new line for it")
        d.stop()
    print("ok")


if __name__ == "__main__":
    main()
