// SPDX-License-Identifier: MIT
/* The word tables of ipsec6/words.h. Only the enums of sad.h and spd.h are used here, so that
 * the CLI can link this file without the SAD, the SPD or a crypto library. */
#include "ipsec6/words.h"

#include <netinet/in.h>

#include "ipsec6/sad.h"
#include "ipsec6/spd.h"

const char *const words_sa_mode[WORDS_SA_MODES] = {
	[SA_MODE_TRANSPORT] = "transport",
	[SA_MODE_TUNNEL] = "tunnel",
};

const char *const words_sp_dir[WORDS_SP_DIRS] = {
	[SP_DIR_IN] = "in",
	[SP_DIR_OUT] = "out",
};

const char *const words_sp_action[WORDS_SP_ACTIONS] = {
	[SP_ACTION_NONE] = "none",
	[SP_ACTION_DISCARD] = "discard",
	[SP_ACTION_IPSEC] = "ipsec",
};

const char *const words_sa_encap[WORDS_SA_ENCAPS] = { "none", "udp" };

const struct words_proto words_sp_proto[WORDS_SP_PROTOS] = {
	{ "any", SP_PROTO_ANY },
	{ "tcp", IPPROTO_TCP },
	{ "udp", IPPROTO_UDP },
	{ "icmp6", IPPROTO_ICMPV6 },
};
