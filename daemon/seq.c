// SPDX-License-Identifier: MIT
/* Durable sequence numbers: one line per SA, "NAME 0xSPI NEXT TOP" (outbound reservation, highest
 * inbound number accepted; both 64-bit decimal, as extended sequence numbers need), in a file
 * beside the configuration, written as the configuration is (temporary file, fsync, rename). */
#include "seq.h"

#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec6/replay.h"
#include "loop.h"
#include "proto.h"
#include "store.h"

struct seq_keeper {
	char *path;
	int64_t tops_written_ms; /* loop_now_ms() */
};

int
seq_keeper_new(const char *config_path, struct seq_keeper **out, struct err *err)
{
	struct seq_keeper *k = calloc(1, sizeof(*k));

	if (k == NULL || asprintf(&k->path, "%s.seq", config_path) < 0) {
		free(k);
		return err_set(err, ENOMEM, "out of memory for sequence reservations");
	}
	*out = k;
	return 0;
}

void
seq_keeper_free(struct seq_keeper *k)
{
	if (k == NULL)
		return;
	free(k->path);
	free(k);
}

static int
seq_keeper_write(struct seq_keeper *k, const struct db *db, struct err *err)
{
	const struct sad *sad = db_sad(db);
	struct proto_buf b = { 0 };
	int rc = proto_buf_append(&b, "", 0);

	for (size_t i = 0; rc == 0 && i < sad_count(sad); i++) {
		struct sa *sa = sad_at(sad, i);

		sa->live->seq_in_saved =
		    atomic_load_explicit(&sa->live->seq_in_top, memory_order_relaxed);
		rc = proto_buf_printf(&b, "%s 0x%x %" PRIu64 " %" PRIu64 "\n", sa->name, sa->spi,
		    sa->live->seq_reserved, sa->live->seq_in_saved);
	}
	k->tops_written_ms = loop_now_ms();
	if (rc != 0)
		rc = err_set(err, ENOMEM, "out of memory for sequence reservations");
	else
		rc = store_write(k->path, b.data, b.len, err);
	proto_buf_fini(&b);
	/* Durable now: the packet threads may use the new blocks. */
	for (size_t i = 0; rc == 0 && i < sad_count(sad); i++) {
		struct sa *sa = sad_at(sad, i);

		atomic_store_explicit(
		    &sa->live->seq_limit, sa->live->seq_reserved, memory_order_release);
	}
	return rc;
}

/* Apply one saved line, "NAME 0xSPI NEXT [TOP]" (files of earlier versions have no TOP, or one of
 * 32 bits), to the SA of that name and SPI if it still exists. */
static void
seq_keeper_apply(const struct db *db, char *line)
{
	char *spi_text = strchr(line, ' ');
	char *next_text, *end;
	unsigned long spi;
	unsigned long long next, top = 0;
	struct sa *sa;

	if (spi_text == NULL)
		return;
	*spi_text++ = '\0';
	errno = 0;
	spi = strtoul(spi_text, &next_text, 16);
	if (errno != 0 || next_text == spi_text || *next_text != ' ')
		return;
	next = strtoull(next_text + 1, &end, 10);
	if (*end == ' ')
		top = strtoull(end + 1, &end, 10);
	if (errno != 0 || *end != '\0' || next == 0)
		return;
	sa = sad_lookup_name(db_sad(db), line);
	if (sa == NULL || sa->spi != spi)
		return;
	/* Everything below next may have been sent before the restart. */
	atomic_store(&sa->live->seq_out, (uint64_t)next - 1);
	/* Everything up to top was accepted: a copy of it replayed now is refused. */
	if (top > 0) {
		replay_restart(&sa->live->replay, (uint64_t)top);
		atomic_store(&sa->live->seq_in_top, (uint64_t)top);
		sa->live->seq_in_saved = (uint64_t)top;
	}
}

int
seq_keeper_restore(struct seq_keeper *k, const struct db *db, struct err *err)
{
	char *text = NULL;
	size_t len = 0;
	mode_t mode;
	int rc;

	rc = store_read(k->path, &text, &len, &mode, err);
	if (rc == -ENOENT) {
		err_clear(err);
		rc = 0;
	} else if (rc == 0) {
		for (char *line = text, *nl; line != NULL && line < text + len; line = nl) {
			nl = memchr(line, '\n', (size_t)(text + len - line));
			if (nl != NULL)
				*nl++ = '\0';
			seq_keeper_apply(db, line);
		}
	}
	free(text);
	if (rc != 0)
		return rc;
	for (size_t i = 0; i < sad_count(db_sad(db)); i++)
		sad_at(db_sad(db), i)->live->seq_reserved = 0; /* forces a new block each */
	return seq_keeper_tick(k, db, err);
}

int
seq_keeper_tick(struct seq_keeper *k, const struct db *db, struct err *err)
{
	const struct sad *sad = db_sad(db);
	bool reserve = false, tops = false;

	for (size_t i = 0; i < sad_count(sad); i++) {
		struct sa *sa = sad_at(sad, i);
		uint64_t next = atomic_load_explicit(&sa->live->seq_out, memory_order_relaxed) + 1;

		if (sa->live->seq_reserved == 0 || next + SEQ_BLOCK / 2 > sa->live->seq_reserved) {
			sa->live->seq_reserved = next + SEQ_BLOCK;
			reserve = true;
		}
		tops = tops ||
		    atomic_load_explicit(&sa->live->seq_in_top, memory_order_relaxed) !=
			sa->live->seq_in_saved;
	}
	/* Reservations cannot wait; the inbound tops are saved at most every SEQ_TOP_EVERY_MS,
	 * which bounds what a crash may let be replayed once. */
	if (reserve || (tops && loop_now_ms() - k->tops_written_ms >= SEQ_TOP_EVERY_MS))
		return seq_keeper_write(k, db, err);
	return 0;
}

int
seq_keeper_admit(struct seq_keeper *k, const struct db *db, struct err *err)
{
	const struct sad *sad = db_sad(db);

	for (size_t i = 0; i < sad_count(sad); i++) {
		if (sad_at(sad, i)->live->seq_reserved == 0)
			return seq_keeper_tick(k, db, err);
	}
	return 0;
}

int
seq_keeper_flush(struct seq_keeper *k, const struct db *db, struct err *err)
{
	return seq_keeper_write(k, db, err);
}
