/* SPDX-License-Identifier: MIT */
/* The words of the grammar's fixed values other than the algorithms (those are algo's): modes,
 * flow directions, actions and upper layer protocols, one table each. The SAD and SPD parse and
 * print with them (indexed by the enums of sad.h and spd.h); the CLI, which links neither,
 * offers the same words for completion (cmd_opts_values_each()). Tables only: no code. */
#ifndef IPSEC6_WORDS_H
#define IPSEC6_WORDS_H

#define WORDS_SA_MODES   2
#define WORDS_SP_DIRS    2
#define WORDS_SP_ACTIONS 3
#define WORDS_SP_PROTOS  4
#define WORDS_SA_ENCAPS  2

/* By enum sa_mode: "transport", "tunnel" (the SA's and the policy's mode alike). */
extern const char *const words_sa_mode[WORDS_SA_MODES];
/* By enum sp_dir: "in", "out". */
extern const char *const words_sp_dir[WORDS_SP_DIRS];
/* By enum sp_action: "none", "discard", "ipsec". */
extern const char *const words_sp_action[WORDS_SP_ACTIONS];

/* An SA's encapsulation: "none" (plain ESP), "udp" (ESP in UDP, RFC 3948). */
extern const char *const words_sa_encap[WORDS_SA_ENCAPS];

struct words_proto {
	const char *name; /* "any", "tcp", "udp", "icmp6" */
	int proto;        /* SP_PROTO_ANY or IPPROTO_* */
};

extern const struct words_proto words_sp_proto[WORDS_SP_PROTOS];

#endif
