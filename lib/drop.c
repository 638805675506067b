// SPDX-License-Identifier: MIT
/* Names and descriptions of drop reasons, generated from the one list in drop.h. */
#include "ipsec6/drop.h"

#include <stddef.h>

static const char *const drop_names[] = {
#define PKT_DROP_NAME(e, name, text) [PKT_DROP_##e] = (name),
	PKT_DROP_LIST(PKT_DROP_NAME)
#undef PKT_DROP_NAME
};

static const char *const drop_texts[] = {
#define PKT_DROP_TEXT(e, name, text) [PKT_DROP_##e] = (text),
	PKT_DROP_LIST(PKT_DROP_TEXT)
#undef PKT_DROP_TEXT
};

const char *
pkt_drop_name(enum pkt_drop drop)
{
	if ((unsigned)drop >= PKT_DROP__COUNT)
		return "unknown";
	return drop_names[drop];
}

const char *
pkt_drop_text(enum pkt_drop drop)
{
	if ((unsigned)drop >= PKT_DROP__COUNT)
		return "unknown drop reason";
	return drop_texts[drop];
}
