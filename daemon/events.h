/* SPDX-License-Identifier: MIT */
/* The event stream of `ipsec6 monitor` (doc/control-protocol.md, "monitor"): one record line per
 * event, `time=... event=NAME [sa=... sp=... reason=... count=...] text=SENTENCE`, handed to
 * the one sink (the control socket's monitors) as it happens. Nothing is formatted while no one
 * listens. No event carries a key. Control thread only. */
#ifndef IPSEC6_EVENTS_H
#define IPSEC6_EVENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "ipsec6/db.h"
#include "proto.h"

struct dataplane;

/* Where events go: fn(ctx, line, len) for each (len includes the '\n'). wanted() says whether
 * anyone listens now. */
void events_set_sink(
    void (*fn)(void *ctx, const char *line, size_t len), bool (*wanted)(void *ctx), void *ctx);
bool events_wanted(void);

/* One event. fields: TAB-separated key=value pairs of names and numbers (may be NULL or "");
 * then the sentence of text_fmt, with TABs and newlines made spaces. */
__attribute__((format(printf, 3, 4))) void events_emit(
    const char *event, const char *fields, const char *text_fmt, ...);

/* The same line appended to out, for one monitor only (its greeting, its lost events).
 * Returns 0 or -ENOMEM. */
__attribute__((format(printf, 4, 5), warn_unused_result)) int events_append(
    struct proto_buf *out, const char *event, const char *fields, const char *text_fmt, ...);

/* The names of db's SAs and policies, to diff against a later state: take them before a
 * change, then events_changes() emits sa-added, sa-removed, sa-replaced (same name, another
 * SA), sp-added and sp-removed. Both do nothing (and take nothing) while no one listens. */
struct events_names;
struct events_names *events_names_take(const struct db *db);
void events_names_free(struct events_names *n);
void events_changes(struct events_names *before, const struct db *after, const char *why);

/* Once a second: one drops event per SA and reason (and per reason for drops without an SA)
 * that counted since the last call: "sa_in: 12 icv drops (integrity check failed)". dp may be
 * NULL (no data path: no global drops). A first call after someone starts listening only
 * takes the counts. */
void events_drops_tick(const struct db *db, struct dataplane *dp);

#endif
