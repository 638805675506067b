// SPDX-License-Identifier: MIT
/* SPD lookup throughput: outbound lookups per second through spd_snap_lookup_burst() at 10,
 * 1,000 and 100,000 policies of a realistic mix (host and subnet prefixes of several lengths,
 * some services by protocol and port, a default policy last). Prints a table, or CSV with
 * --csv (burst figures only). The table adds one-by-one spd_snap_lookup() for comparison. A
 * benchmark, not a test: it prints figures and checks nothing. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ipsec6/spd.h"

#define BENCH_BURST   32
#define BENCH_PACKETS 8192 /* distinct packets, cycled through */
#define BENCH_SECONDS 0.5

static uint64_t bench_rng = 0x243f6a8885a308d3ULL;

static uint32_t
bench_below(uint32_t n)
{
	/* xorshift64*: the same policy set and packets on every run. */
	bench_rng ^= bench_rng >> 12;
	bench_rng ^= bench_rng << 25;
	bench_rng ^= bench_rng >> 27;
	return (uint32_t)(((bench_rng * 0x2545F4914F6CDD1DULL) >> 32) % n);
}

static double
bench_now(void)
{
	struct timespec ts;

	/* CPU time of this process: on a busy build machine, wall time would measure the others. */
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Site i's address: 2001:db8:SITE::/48 with hosts below it; policy i picks a prefix length. */
static struct prefix6
bench_prefix(uint32_t site, uint32_t host, uint8_t len)
{
	struct prefix6 p;

	memset(&p, 0, sizeof(p));
	p.addr.s6_addr[0] = 0x20;
	p.addr.s6_addr[1] = 0x01;
	p.addr.s6_addr[2] = 0x0d;
	p.addr.s6_addr[3] = 0xb8;
	p.addr.s6_addr[4] = (uint8_t)(site >> 8);
	p.addr.s6_addr[5] = (uint8_t)site;
	p.addr.s6_addr[6] = (uint8_t)(host >> 16);
	p.addr.s6_addr[7] = (uint8_t)(host >> 8);
	p.addr.s6_addr[14] = (uint8_t)(host >> 8);
	p.addr.s6_addr[15] = (uint8_t)host;
	p.len = len;
	for (unsigned b = len; b < 128; b++)
		p.addr.s6_addr[b / 8] &= (uint8_t) ~(0x80u >> (b % 8));
	return p;
}

static void
bench_spec(struct sp_spec *s, uint32_t i)
{
	static const uint8_t dst_lens[] = { 48, 56, 64, 64, 64, 128, 128, 128 };
	static const uint8_t src_lens[] = { 0, 0, 0, 48, 64, 128 };
	static const int32_t ports[] = { 22, 53, 80, 443, 500, 3306, 4500, 5432, 8080 };

	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "p%u", i);
	s->dst = bench_prefix(
	    bench_below(4096), bench_below(1u << 24), dst_lens[bench_below(sizeof(dst_lens))]);
	s->src = bench_prefix(
	    bench_below(4096), bench_below(1u << 24), src_lens[bench_below(sizeof(src_lens))]);
	s->sport = SP_PORT_ANY;
	s->dport = SP_PORT_ANY;
	s->proto = SP_PROTO_ANY;
	switch (bench_below(4)) {
	case 0:
		s->proto = IPPROTO_TCP;
		s->dport = ports[bench_below(sizeof(ports) / sizeof(ports[0]))];
		break;
	case 1:
		s->proto = IPPROTO_UDP;
		s->dport = ports[bench_below(sizeof(ports) / sizeof(ports[0]))];
		break;
	default:
		break;
	}
	s->dir = bench_below(2) ? SP_DIR_OUT : SP_DIR_IN;
	s->action = (enum sp_action)bench_below(3);
}

static struct spd *
bench_spd(uint32_t n)
{
	struct spd *spd = spd_new();
	struct sp_spec s;
	struct err e = { "" };

	if (spd == NULL)
		return NULL;
	for (uint32_t i = 0; i + 1 < n; i++) {
		bench_spec(&s, i);
		if (spd_add(spd, &s, NULL, &e) != 0)
			goto fail;
	}
	/* The default: everything else goes in the clear. */
	memset(&s, 0, sizeof(s));
	snprintf(s.name, sizeof(s.name), "default");
	s.sport = SP_PORT_ANY;
	s.dport = SP_PORT_ANY;
	s.proto = SP_PROTO_ANY;
	s.dir = SP_DIR_OUT;
	if (spd_add(spd, &s, NULL, &e) != 0)
		goto fail;
	return spd;
fail:
	fprintf(stderr, "spd_bench: %s\n", e.msg);
	spd_free(spd);
	return NULL;
}

/* Packets: four in five aimed at an outbound policy (inside its prefixes, its protocol and
 * port), the rest random within the sites (mostly caught by the default). */
static void
bench_packets(const struct spd *spd, struct pkt_sel *sels, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct pkt_sel *p = &sels[i];
		const struct sp *sp = spd_at(spd, bench_below((uint32_t)spd_count(spd)));

		memset(p, 0, sizeof(*p));
		p->src = bench_prefix(bench_below(4096), bench_below(1u << 24), 128).addr;
		p->dst = bench_prefix(bench_below(4096), bench_below(1u << 24), 128).addr;
		p->proto = bench_below(2) ? IPPROTO_TCP : IPPROTO_UDP;
		p->sport = (int32_t)(1024 + bench_below(60000));
		p->dport = (int32_t)bench_below(65536);
		if (bench_below(5) == 0 || sp->dir != SP_DIR_OUT)
			continue;
		for (int b = 0; b < 16; b++) {
			uint8_t keep = (uint8_t)(sp->dst.len >= (b + 1) * 8 ? 0xff
				: sp->dst.len > b * 8 ? 0xff << (8 - (sp->dst.len - b * 8))
						      : 0);
			p->dst.s6_addr[b] = (uint8_t)((sp->dst.addr.s6_addr[b] & keep) |
			    (p->dst.s6_addr[b] & (uint8_t)~keep));
		}
		if (sp->src.len > 0)
			p->src = sp->src.addr;
		if (sp->proto != SP_PROTO_ANY)
			p->proto = sp->proto;
		if (sp->dport != SP_PORT_ANY)
			p->dport = sp->dport;
	}
}

/* Lookups per second over the packets, in bursts or one by one, for BENCH_SECONDS. */
static double
bench_run(const struct spd_snap *snap, const struct pkt_sel *sels, int burst, uint64_t *matched)
{
	const struct sp_rule *out[BENCH_BURST];
	uint64_t lookups = 0;
	double t0 = bench_now();
	double t;

	do {
		for (size_t i = 0; i < BENCH_PACKETS; i += BENCH_BURST) {
			if (burst) {
				spd_snap_lookup_burst(snap, SP_DIR_OUT, &sels[i], BENCH_BURST, out);
			} else {
				for (size_t j = 0; j < BENCH_BURST; j++)
					out[j] = spd_snap_lookup(snap, SP_DIR_OUT, &sels[i + j]);
			}
			*matched += out[0] != NULL;
		}
		lookups += BENCH_PACKETS;
		t = bench_now();
	} while (t - t0 < BENCH_SECONDS);
	return (double)lookups / (t - t0);
}

static int
bench_one(uint32_t n, double *burst_rate, double *single_rate)
{
	static struct pkt_sel sels[BENCH_PACKETS];
	struct spd *spd = bench_spd(n);
	struct spd_snap *snap;
	uint64_t matched = 0;

	if (spd == NULL)
		return -ENOMEM;
	snap = spd_snapshot(spd);
	if (snap == NULL) {
		spd_free(spd);
		return -ENOMEM;
	}
	bench_packets(spd, sels, BENCH_PACKETS);
	*burst_rate = bench_run(snap, sels, 1, &matched);
	if (single_rate != NULL)
		*single_rate = bench_run(snap, sels, 0, &matched);
	spd_snap_free(snap);
	spd_free(spd);
	/* Keep the result alive so that the lookups cannot be optimized away. */
	return matched > 0 ? 0 : -ENOENT;
}

int
main(int argc, char **argv)
{
	static const uint32_t sizes[] = { 10, 1000, 100000 };
	int csv = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--csv") == 0) {
			csv = 1;
		} else {
			fprintf(stderr, "usage: spd_bench [--csv]\n");
			return strcmp(argv[i], "--help") == 0 ? 0 : 2;
		}
	}
	if (csv)
		printf("policies,lookups_per_sec\n");
	else
		printf("%10s  %16s  %10s  %16s\n", "policies", "lookups/s", "ns/lookup",
		    "unbatched/s");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		double rate = 0;
		double single = 0;

		if (bench_one(sizes[i], &rate, csv ? NULL : &single) != 0) {
			fprintf(stderr, "spd_bench: %u policies failed\n", sizes[i]);
			return 1;
		}
		if (csv)
			printf("%u,%.0f\n", sizes[i], rate);
		else
			printf(
			    "%10u  %16.0f  %10.1f  %16.0f\n", sizes[i], rate, 1e9 / rate, single);
	}
	return 0;
}
