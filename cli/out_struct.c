// SPDX-License-Identifier: MIT
/* The formatters meant for programs, in esxcli's shapes: XML (<output><root><list
 * type="structure"><structure typeName=...><field name=...><string>), keyvalue
 * (Type.Field.string=value, a blank line between records) and JSON (an array of objects).
 * Field names are the column titles without blanks, as esxcli's are. Every value is a string:
 * SPIs are hex and ports may be "any". */
#include <stdio.h>
#include <string.h>

#include "out.h"

/* XML 1.0 section 2.4: '<' and '&' must be escaped in character data, and '"' inside
 * attribute values; '>' and '\'' are escaped too so that any reader is content. */
static void
out_xml_text(struct out_sink *s, const char *text)
{
	while (*text != '\0') {
		size_t plain = strcspn(text, "<>&\"'");

		out_put(s, text, plain);
		text += plain;
		switch (*text) {
		case '<':
			out_puts(s, "&lt;");
			break;
		case '>':
			out_puts(s, "&gt;");
			break;
		case '&':
			out_puts(s, "&amp;");
			break;
		case '"':
			out_puts(s, "&quot;");
			break;
		case '\'':
			out_puts(s, "&apos;");
			break;
		default:
			return; /* the end of the text */
		}
		text++;
	}
}

/* One row as a <structure>, indent columns in; its fields and their values go three and six
 * columns further, as esxcli indents them. */
static void
out_xml_row(struct out_sink *s, const struct out_rows *rows, size_t r, size_t indent)
{
	const struct out_list *l = rows->list;

	out_repeat(s, ' ', indent);
	out_puts(s, "<structure typeName=\"");
	out_puts(s, l->type_name);
	out_puts(s, "\">\n");
	for (size_t c = 0; c < l->n_cols; c++) {
		out_repeat(s, ' ', indent + 3);
		out_puts(s, "<field name=\"");
		out_puts(s, l->cols[c].field);
		out_puts(s, "\">\n");
		out_repeat(s, ' ', indent + 6);
		out_puts(s, "<string>");
		out_xml_text(s, out_cell(rows, r, c));
		out_puts(s, "</string>\n");
		out_repeat(s, ' ', indent + 3);
		out_puts(s, "</field>\n");
	}
	out_repeat(s, ' ', indent);
	out_puts(s, "</structure>\n");
}

void
out_xml_list(struct out_sink *s, const struct out_rows *rows, size_t indent)
{
	out_repeat(s, ' ', indent);
	out_puts(s, "<list type=\"structure\">\n");
	for (size_t r = 0; r < rows->n_rows; r++) {
		out_xml_row(s, rows, r, indent + 3);
		out_row_done(s);
	}
	out_repeat(s, ' ', indent);
	out_puts(s, "</list>\n");
}

void
out_xml(struct out_sink *s, const struct out_rows *rows)
{
	out_puts(s, OUT_XML_HEAD);
	out_xml_list(s, rows, 3);
	out_puts(s, OUT_XML_TAIL);
}

void
out_keyvalue_records(struct out_sink *s, const struct out_rows *rows, bool *any)
{
	const struct out_list *l = rows->list;

	for (size_t r = 0; r < rows->n_rows; r++) {
		if (*any)
			out_put(s, "\n", 1);
		*any = true;
		for (size_t c = 0; c < l->n_cols; c++) {
			out_puts(s, l->type_name);
			out_put(s, ".", 1);
			out_puts(s, l->cols[c].field);
			out_puts(s, ".string=");
			out_puts(s, out_cell(rows, r, c));
			out_put(s, "\n", 1);
		}
		out_row_done(s);
	}
}

void
out_keyvalue(struct out_sink *s, const struct out_rows *rows)
{
	bool any = false;

	out_keyvalue_records(s, rows, &any);
}

void
out_json_string(struct out_sink *s, const char *text)
{
	out_put(s, "\"", 1);
	while (*text != '\0') {
		size_t plain = 0;
		char esc[8];

		while (text[plain] != '\0' && text[plain] != '"' && text[plain] != '\\' &&
		    (unsigned char)text[plain] >= 0x20)
			plain++;
		out_put(s, text, plain);
		text += plain;
		if (*text == '\0')
			break;
		if (*text == '"' || *text == '\\')
			(void)snprintf(esc, sizeof(esc), "\\%c", *text);
		else
			(void)snprintf(esc, sizeof(esc), "\\u%04x", (unsigned)(unsigned char)*text);
		out_puts(s, esc);
		text++;
	}
	out_put(s, "\"", 1);
}

void
out_json_array(struct out_sink *s, const struct out_rows *rows)
{
	const struct out_list *l = rows->list;

	out_put(s, "[", 1);
	for (size_t r = 0; r < rows->n_rows; r++) {
		out_puts(s, r == 0 ? "{" : ", {");
		for (size_t c = 0; c < l->n_cols; c++) {
			out_puts(s, c == 0 ? "\"" : ", \"");
			out_puts(s, l->cols[c].field);
			out_puts(s, "\": ");
			out_json_string(s, out_cell(rows, r, c));
		}
		out_put(s, "}", 1);
		out_row_done(s);
	}
	out_put(s, "]", 1);
}

void
out_json(struct out_sink *s, const struct out_rows *rows)
{
	out_json_array(s, rows);
	out_put(s, "\n", 1);
}
