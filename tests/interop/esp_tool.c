// SPDX-License-Identifier: MIT
/* esp_tool: runs libipsec6's engine over the packets of a pcap file, so that independent ESP
 * implementations (scapy, tshark) can check what it writes and feed it what they make. A test
 * program, not part of the library: it allocates per packet and prints one verdict per line. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec6/bytes.h"
#include "ipsec6/conf.h"
#include "ipsec6/crypto.h"
#include "ipsec6/db.h"
#include "ipsec6/drop.h"
#include "ipsec6/engine.h"
#include "ipsec6/err.h"
#include "ipsec6/esp.h"
#include "ipsec6/pkt.h"
#include "ipsec6/replay.h"
#include "ipsec6/sad.h"

/* Classic libpcap format (not pcapng): a 24-byte file header, a 16-byte header per record. */
#define PCAP_MAGIC_US    0xa1b2c3d4u
#define PCAP_MAGIC_NS    0xa1b23c4du
#define PCAP_FILE_HDR    24
#define PCAP_REC_HDR     16
#define LINKTYPE_RAW     101 /* raw IP; the version nibble tells v4 from v6 */
#define LINKTYPE_IPV6    229 /* raw IPv6 */
#define PCAP_SNAPLEN     65535u
#define PKT_MAX_CAPTURED 65535u

#define IPPROTO_ESP_NUM 50

struct pcap_in {
	FILE *f;
	bool swapped;
};

/* One packet with head- and tailroom for the engine, and its capture timestamp. */
struct tool_pkt {
	uint8_t *mem;
	struct pkt pkt;
	uint32_t ts_sec;
	uint32_t ts_usec;
	bool esp_ok; /* decap: the record held an IPv6 packet carrying ESP */
};

static uint32_t
rd32(const uint8_t *b, bool swapped)
{
	uint32_t v =
	    (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;

	if (swapped)
		v = (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24);
	return v;
}

static void
wr32(uint8_t *b, uint32_t v)
{
	/* Written in little-endian order; readers detect the order from the magic number. */
	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
	b[2] = (uint8_t)(v >> 16);
	b[3] = (uint8_t)(v >> 24);
}

static int
pcap_open_in(struct pcap_in *in, const char *path)
{
	uint8_t hdr[PCAP_FILE_HDR];
	uint32_t magic;
	uint32_t linktype;

	in->f = fopen(path, "rb");
	if (in->f == NULL) {
		fprintf(stderr, "esp_tool: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fread(hdr, 1, sizeof(hdr), in->f) != sizeof(hdr)) {
		fprintf(stderr, "esp_tool: %s: not a pcap file (short header)\n", path);
		return -1;
	}
	magic = rd32(hdr, false);
	in->swapped = false;
	if (magic != PCAP_MAGIC_US && magic != PCAP_MAGIC_NS) {
		in->swapped = true;
		magic = rd32(hdr, true);
		if (magic != PCAP_MAGIC_US && magic != PCAP_MAGIC_NS) {
			fprintf(stderr, "esp_tool: %s: not a classic pcap file\n", path);
			return -1;
		}
	}
	linktype = rd32(hdr + 20, in->swapped) & 0x0fffffffu; /* upper bits: FCS info */
	if (linktype != LINKTYPE_IPV6 && linktype != LINKTYPE_RAW) {
		fprintf(stderr, "esp_tool: %s: link type %u, want 229 (IPv6) or 101 (raw)\n", path,
		    linktype);
		return -1;
	}
	return 0;
}

/* Reads the next record into a fresh tool_pkt. Returns 1 for a packet, 0 at the end, -1 on a
 * truncated or oversized record. */
static int
pcap_read(struct pcap_in *in, struct tool_pkt *tp)
{
	uint8_t rec[PCAP_REC_HDR];
	size_t got = fread(rec, 1, sizeof(rec), in->f);
	uint32_t caplen;

	if (got == 0 && feof(in->f))
		return 0;
	if (got != sizeof(rec)) {
		fprintf(stderr, "esp_tool: truncated pcap record header\n");
		return -1;
	}
	caplen = rd32(rec + 8, in->swapped);
	if (caplen > PKT_MAX_CAPTURED) {
		fprintf(stderr, "esp_tool: pcap record of %u bytes is too large\n", caplen);
		return -1;
	}
	tp->mem = calloc(1, PKT_HEADROOM + caplen + PKT_TAILROOM);
	if (tp->mem == NULL) {
		fprintf(stderr, "esp_tool: out of memory\n");
		return -1;
	}
	if (fread(tp->mem + PKT_HEADROOM, 1, caplen, in->f) != caplen) {
		fprintf(stderr, "esp_tool: truncated pcap record\n");
		return -1;
	}
	tp->pkt.buf = tp->mem;
	tp->pkt.size = PKT_HEADROOM + caplen + PKT_TAILROOM;
	tp->pkt.off = PKT_HEADROOM;
	tp->pkt.len = caplen;
	tp->ts_sec = rd32(rec, in->swapped);
	tp->ts_usec = rd32(rec + 4, in->swapped);
	return 1;
}

static int
pcap_open_out(FILE **out, const char *path)
{
	uint8_t hdr[PCAP_FILE_HDR] = { 0 };

	*out = fopen(path, "wb");
	if (*out == NULL) {
		fprintf(stderr, "esp_tool: %s: %s\n", path, strerror(errno));
		return -1;
	}
	wr32(hdr, PCAP_MAGIC_US);
	hdr[4] = 2; /* version 2.4 */
	hdr[6] = 4;
	wr32(hdr + 16, PCAP_SNAPLEN);
	wr32(hdr + 20, LINKTYPE_IPV6);
	if (fwrite(hdr, 1, sizeof(hdr), *out) != sizeof(hdr)) {
		fprintf(stderr, "esp_tool: %s: write failed\n", path);
		return -1;
	}
	return 0;
}

static int
pcap_write(FILE *out, const struct tool_pkt *tp)
{
	uint8_t rec[PCAP_REC_HDR];

	wr32(rec, tp->ts_sec);
	wr32(rec + 4, tp->ts_usec);
	wr32(rec + 8, tp->pkt.len);
	wr32(rec + 12, tp->pkt.len);
	if (fwrite(rec, 1, sizeof(rec), out) != sizeof(rec) ||
	    fwrite(pkt_data(&tp->pkt), 1, tp->pkt.len, out) != tp->pkt.len) {
		fprintf(stderr, "esp_tool: write failed\n");
		return -1;
	}
	return 0;
}

static bool
ext_hdr_skippable(uint8_t nh)
{
	/* RFC 8200 section 4: hop-by-hop (0), routing (43), fragment (44), destination options
	 * (60) may precede ESP. */
	return nh == 0 || nh == 43 || nh == 44 || nh == 60;
}

/* Decap input: reduce a whole IPv6 packet to its ESP part (SPI onwards), as the raw ESP socket
 * delivers it, and fill meta from the IPv6 header. False when the record is no IPv6 packet
 * carrying ESP. */
static bool
strip_to_esp(struct tool_pkt *tp, struct esp_meta *meta)
{
	const uint8_t *d = pkt_data(&tp->pkt);
	uint32_t len = tp->pkt.len;
	uint32_t end;
	uint32_t off = IPV6_HDR_LEN;
	uint8_t nh;

	if (len < IPV6_HDR_LEN || (d[0] >> 4) != 6)
		return false;
	end = IPV6_HDR_LEN + load_be16(d + 4);
	if (end > len)
		return false;
	nh = d[6];
	while (ext_hdr_skippable(nh)) {
		uint32_t ext_len;

		if (off + 8 > end)
			return false;
		ext_len = nh == 44 ? 8u : ((uint32_t)d[off + 1] + 1u) * 8u;
		nh = d[off];
		off += ext_len;
	}
	if (nh != IPPROTO_ESP_NUM || off > end)
		return false;
	memcpy(&meta->src, d + 8, sizeof(meta->src));
	memcpy(&meta->dst, d + 24, sizeof(meta->dst));
	meta->hop_limit = d[7];
	meta->tclass = (uint8_t)((d[0] & 0x0fu) << 4 | d[1] >> 4);
	tp->pkt.off += off;
	tp->pkt.len = end - off;
	return true;
}

static void
print_result(const char *ok_word, const struct engine_result *r)
{
	switch (r->verdict) {
	case ENGINE_PASS:
		printf("pass\n");
		break;
	case ENGINE_DROP:
		printf("drop %s\n", pkt_drop_name(r->drop));
		break;
	case ENGINE_PROTECT:
	case ENGINE_DELIVER:
		printf("%s\n", ok_word);
		break;
	}
}

/* Runs one burst through the engine, writes the packets it protected or delivered and prints
 * one line per packet. */
static int
run_burst(struct engine *engine, const struct db_snap *snap, bool encap, struct tool_pkt *tps,
    size_t n, FILE *out)
{
	struct pkt pkts[ENGINE_BURST_MAX];
	struct esp_meta meta[ENGINE_BURST_MAX];
	struct engine_result res[ENGINE_BURST_MAX];
	size_t idx[ENGINE_BURST_MAX];
	size_t m = 0;

	memset(meta, 0, sizeof(meta));
	memset(res, 0, sizeof(res));
	for (size_t i = 0; i < n; i++) {
		tps[i].esp_ok = encap || strip_to_esp(&tps[i], &meta[m]);
		if (tps[i].esp_ok) {
			pkts[m] = tps[i].pkt;
			idx[m++] = i;
		}
	}
	if (encap)
		engine_out_burst(engine, snap, pkts, m, res);
	else
		engine_in_burst(engine, snap, pkts, meta, m, res);

	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		if (j >= m || idx[j] != i) {
			/* Not a tool-level ESP packet: not an engine reason, so named apart. */
			printf("drop not-esp\n");
			continue;
		}
		tps[i].pkt = pkts[j];
		print_result(encap ? "protect" : "deliver", &res[j]);
		if ((res[j].verdict == ENGINE_PROTECT || res[j].verdict == ENGINE_DELIVER) &&
		    pcap_write(out, &tps[i]) != 0)
			return -1;
		j++;
	}
	return 0;
}

static int
process(struct engine *engine, const struct db_snap *snap, bool encap, const char *in_path,
    const char *out_path)
{
	struct pcap_in in = { 0 };
	struct tool_pkt tps[ENGINE_BURST_MAX];
	FILE *out = NULL;
	size_t n = 0;
	int rc = -1;
	int r;

	memset(tps, 0, sizeof(tps));
	if (pcap_open_in(&in, in_path) != 0 || pcap_open_out(&out, out_path) != 0)
		goto out_close;
	for (;;) {
		r = pcap_read(&in, &tps[n]);
		if (r < 0)
			goto out_close;
		if (r > 0)
			n++;
		if (n == ENGINE_BURST_MAX || (r == 0 && n > 0)) {
			if (run_burst(engine, snap, encap, tps, n, out) != 0)
				goto out_close;
			for (size_t i = 0; i < n; i++)
				free(tps[i].mem);
			memset(tps, 0, sizeof(tps));
			n = 0;
		}
		if (r == 0)
			break;
	}
	rc = 0;
out_close:
	for (size_t i = 0; i < ENGINE_BURST_MAX; i++)
		free(tps[i].mem);
	if (in.f != NULL)
		fclose(in.f);
	if (out != NULL && fclose(out) != 0)
		rc = -1;
	return rc;
}

/* Reads the whole configuration file; *len gets its length. NULL on failure. */
static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t cap = 0;
	size_t n = 0;

	if (f == NULL) {
		fprintf(stderr, "esp_tool: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n == cap) {
			char *bigger;

			cap = cap ? cap * 2 : 4096;
			bigger = realloc(text, cap);
			if (bigger == NULL) {
				free(text);
				text = NULL;
				goto out_close;
			}
			text = bigger;
		}
		size_t got = fread(text + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "esp_tool: %s: read error\n", path);
		free(text);
		text = NULL;
	}
	*len = n;
out_close:
	fclose(f);
	return text;
}

static int
usage(void)
{
	fprintf(stderr,
	    "usage: esp_tool --backend openssl|ipsec-mb --conf FILE [--seq-start N] "
	    "(encap|decap) IN.pcap OUT.pcap\n"
	    "  --seq-start N: SAs with extended sequence numbers send from N on and accept from\n"
	    "  N on (as after a restart whose saved top was N - 1)\n");
	return 2;
}

/* Every ESN SA of db sends from start on and has seen everything below it. */
static void
seq_start(const struct db *db, uint64_t start)
{
	const struct sad *sad = db_sad(db);

	for (size_t i = 0; i < sad_count(sad); i++) {
		struct sa *sa = sad_at(sad, i);

		if (!sa->esn || start < 2)
			continue;
		atomic_store(&sa->live->seq_out, start - 1);
		replay_restart(&sa->live->replay, start - 1);
	}
}

int
main(int argc, char **argv)
{
	const char *backend_text = NULL;
	const char *conf_path = NULL;
	uint64_t start = 1;
	enum crypto_backend backend;
	struct err err = { { 0 } };
	struct db *db = NULL;
	struct db_snap *snap = NULL;
	struct engine *engine = NULL;
	char *conf = NULL;
	size_t conf_len = 0;
	bool encap;
	int i = 1;
	int rc = 1;

	for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		if (strcmp(argv[i], "--backend") == 0)
			backend_text = argv[i + 1];
		else if (strcmp(argv[i], "--conf") == 0)
			conf_path = argv[i + 1];
		else if (strcmp(argv[i], "--seq-start") == 0)
			start = strtoull(argv[i + 1], NULL, 0);
		else
			return usage();
	}
	if (backend_text == NULL || conf_path == NULL || argc - i != 3)
		return usage();
	if (strcmp(argv[i], "encap") == 0)
		encap = true;
	else if (strcmp(argv[i], "decap") == 0)
		encap = false;
	else
		return usage();
	if (crypto_backend_parse(backend_text, &backend, &err) != 0) {
		fprintf(stderr, "esp_tool: %s\n", err.msg);
		return usage();
	}

	conf = read_file(conf_path, &conf_len);
	if (conf == NULL)
		goto out_free;
	db = db_new(backend);
	if (db == NULL) {
		fprintf(stderr, "esp_tool: out of memory\n");
		goto out_free;
	}
	if (conf_load(db, conf, conf_len, &err) != 0) {
		fprintf(stderr, "esp_tool: %s: %s\n", conf_path, err.msg);
		goto out_free;
	}
	seq_start(db, start);
	snap = db_snapshot(db);
	if (snap == NULL) {
		fprintf(stderr, "esp_tool: out of memory\n");
		goto out_free;
	}
	if (engine_new(backend, &engine, &err) != 0) {
		fprintf(stderr, "esp_tool: engine: %s\n", err.msg);
		goto out_free;
	}
	if (process(engine, snap, encap, argv[i + 1], argv[i + 2]) == 0)
		rc = 0;
	if (fflush(stdout) != 0)
		rc = 1;
out_free:
	engine_free(engine);
	db_snap_free(snap);
	db_free(db);
	if (conf != NULL) {
		/* The configuration holds keys. */
		explicit_bzero(conf, conf_len);
		free(conf);
	}
	return rc;
}
