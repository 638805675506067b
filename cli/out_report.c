// SPDX-License-Identifier: MIT
/* Reports: answers whose records belong to several lists, told apart by their "type" field.
 * The one report is `stats` (CLI.md "stats"; doc/control-protocol.md): the counters per SA,
 * per policy, and the drops that no SA can be blamed for. Its column tables here drive every
 * formatter, as the lists' do. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"

static const struct out_col out_stats_sa_cols[] = {
	{ "Name", "Name", "name", false, false },
	{ "SPI", "SPI", "spi", true, false },
	{ "Packets In", "PacketsIn", "packets-in", true, false },
	{ "Bytes In", "BytesIn", "bytes-in", true, false },
	{ "Packets Out", "PacketsOut", "packets-out", true, false },
	{ "Bytes Out", "BytesOut", "bytes-out", true, false },
	{ "Drops", "Drops", "drops", false, true },
};

static const struct out_col out_stats_sp_cols[] = {
	{ "Name", "Name", "name", false, false },
	{ "Direction", "Direction", "direction", false, false },
	{ "Action", "Action", "action", false, false },
	{ "Matches", "Matches", "matches", true, false },
};

/* The two cells of an item of the global record's drops: "reason:count". */
static const struct out_col out_stats_drop_cols[] = {
	{ "Reason", "Reason", NULL, false, false },
	{ "Packets", "Packets", NULL, true, false },
};

#define OUT_N(t) (sizeof(t) / sizeof((t)[0]))

static const struct out_list out_stats_sa = { "IPsecSAStats", out_stats_sa_cols,
	OUT_N(out_stats_sa_cols), false };
static const struct out_list out_stats_sp = { "IPsecSPStats", out_stats_sp_cols,
	OUT_N(out_stats_sp_cols), false };
static const struct out_list out_stats_drops = { "IPsecDropStats", out_stats_drop_cols,
	OUT_N(out_stats_drop_cols), false };

static const struct out_section out_stats_sections[] = {
	{ "sa", "Security Associations", "SecurityAssociations", &out_stats_sa, NULL },
	{ "sp", "Security Policies", "SecurityPolicies", &out_stats_sp, NULL },
	{ "global", "Global Drops", "GlobalDrops", &out_stats_drops, "drops" },
};

const struct out_report out_stats = {
	"IPsecStats",
	out_stats_sections,
	OUT_N(out_stats_sections),
};

/* ---- parsing -------------------------------------------------------------------------- */

/* Each "name:count" item of text as a row of two cells, copied into rows->spill. */
static int
out_report_split(struct out_rows *rows, const char *text, struct err *err)
{
	while (*text != '\0') {
		size_t len = strcspn(text, ",");
		const char *colon = memchr(text, ':', len);
		char *name = rows->spill + rows->spill_used;

		if (colon == NULL || colon == text || colon + 1 == text + len)
			return err_set(err, EINVAL, "'%.*s' is not NAME:COUNT", (int)len, text);
		if (rows->n_rows == rows->max_rows)
			return err_set(err, EINVAL, "more items than counted");
		/* "name:count" becomes "name\0count\0": as long as the item and its separator. */
		memcpy(name, text, len);
		name[colon - text] = '\0';
		name[len] = '\0';
		rows->spill_used += len + 1;
		rows->cells[rows->n_rows * 2] = name;
		rows->cells[rows->n_rows * 2 + 1] = name + (colon - text) + 1;
		rows->n_rows++;
		text += len;
		text += *text == ',';
	}
	return 0;
}

/* Route one record to its section. */
static int
out_report_record(void *ctx, const struct proto_record *rec, struct err *err)
{
	struct out_report_rows *r = ctx;
	const char *type = proto_record_get(rec, "type");

	for (size_t i = 0; type != NULL && i < r->report->n_sections; i++) {
		const struct out_section *sec = &r->report->sections[i];
		const char *text;

		if (strcmp(type, sec->type) != 0)
			continue;
		if (sec->split == NULL)
			return out_rows_add(&r->rows[i], rec, err);
		text = proto_record_get(rec, sec->split);
		return text != NULL ? out_report_split(&r->rows[i], text, err) : 0;
	}
	return 0;
}

int
out_report_parse(struct out_report_rows *r, const struct out_report *report, char *body, size_t len,
    struct err *err)
{
	size_t lines = out_count_lines(body, len);
	size_t items = lines;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	r->report = report;
	for (size_t i = 0; i < len; i++)
		items += body[i] == ',';
	for (size_t i = 0; rc == 0 && i < report->n_sections; i++) {
		const struct out_section *sec = &report->sections[i];

		rc = out_rows_init(&r->rows[i], sec->list, sec->split != NULL ? items : lines, len);
		/* The items, copied: never longer than the body. */
		if (rc == 0 && sec->split != NULL && r->rows[i].spill == NULL) {
			r->rows[i].spill = malloc(len + 1);
			rc = r->rows[i].spill == NULL ? -ENOMEM : 0;
		}
	}
	if (rc == 0)
		rc = out_records(body, len, out_report_record, r, err);
	if (rc != 0)
		out_report_fini(r);
	return rc;
}

void
out_report_fini(struct out_report_rows *r)
{
	for (size_t i = 0; i < OUT_SECTIONS_MAX; i++)
		out_rows_fini(&r->rows[i]);
}

/* ---- formatting ----------------------------------------------------------------------- */

static void
out_report_xml(struct out_sink *s, const struct out_report_rows *r)
{
	const struct out_report *rep = r->report;

	out_puts(s, OUT_XML_HEAD);
	out_puts(s, "   <structure typeName=\"");
	out_puts(s, rep->type_name);
	out_puts(s, "\">\n");
	for (size_t i = 0; i < rep->n_sections; i++) {
		out_puts(s, "      <field name=\"");
		out_puts(s, rep->sections[i].field);
		out_puts(s, "\">\n");
		out_xml_list(s, &r->rows[i], 9);
		out_puts(s, "      </field>\n");
	}
	out_puts(s, "   </structure>\n");
	out_puts(s, OUT_XML_TAIL);
}

static void
out_report_json(struct out_sink *s, const struct out_report_rows *r)
{
	const struct out_report *rep = r->report;

	out_put(s, "{", 1);
	for (size_t i = 0; i < rep->n_sections; i++) {
		out_puts(s, i == 0 ? "\"" : ", \"");
		out_puts(s, rep->sections[i].field);
		out_puts(s, "\": ");
		out_json_array(s, &r->rows[i]);
	}
	out_puts(s, "}\n");
}

int
out_report_format(struct out_sink *s, const struct out_report_rows *r, enum out_format format)
{
	const struct out_report *rep = r->report;
	bool any = false;

	for (size_t i = 0; i < rep->n_sections; i++) {
		switch (format) {
		case OUT_TABLE:
			out_puts(s, i == 0 ? "" : "\n");
			out_puts(s, rep->sections[i].title);
			out_puts(s, ":\n");
			out_table(s, &r->rows[i]);
			break;
		case OUT_CSV:
			out_puts(s, i == 0 ? "" : "\n");
			out_csv(s, &r->rows[i]);
			break;
		case OUT_KEYVALUE:
			out_keyvalue_records(s, &r->rows[i], &any);
			break;
		case OUT_XML:
		case OUT_JSON:
			break;
		}
	}
	if (format == OUT_XML)
		out_report_xml(s, r);
	if (format == OUT_JSON)
		out_report_json(s, r);
	return s->error;
}
