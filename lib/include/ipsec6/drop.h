/* SPDX-License-Identifier: MIT */
/* The one list of reasons a packet is dropped. It generates the enum, the counter names and the
 * text shown by tools; every drop increments exactly one counter (per SA, or global). */
#ifndef IPSEC6_DROP_H
#define IPSEC6_DROP_H

/* X(ENUM_SUFFIX, "counter-name", "description") */
#define PKT_DROP_LIST(X)                                                                          \
	X(NONE, "none", "not dropped")                                                            \
	X(MALFORMED, "malformed", "not a well-formed IPv6 packet")                                \
	X(TOO_BIG, "too-big", "no room for the ESP overhead")                                     \
	X(POLICY_DISCARD, "policy-discard", "a policy with action discard matched")               \
	X(NO_POLICY, "no-policy", "no policy matched a packet that must be protected")            \
	X(NO_SA, "no-sa", "no SA for the policy or the SPI")                                      \
	X(SA_MISMATCH, "sa-mismatch", "the SA does not serve this source")                        \
	X(SEQ_OVERFLOW, "seq-overflow", "the SA's 32-bit sequence number is exhausted")           \
	X(SEQ_UNRESERVED, "seq-unreserved",                                                       \
	    "sequence numbers, or packets of a hard packet limit, not yet durably reserved")      \
	X(EXPIRED, "expired", "the SA's hard lifetime is reached: it carries no more traffic")    \
	X(SHORT, "short", "ESP packet shorter than its headers, IV and ICV")                      \
	X(BAD_LENGTH, "bad-length", "ciphertext not a multiple of the cipher block")              \
	X(REPLAY, "replay", "sequence number replayed or left of the window")                     \
	X(ICV, "icv", "integrity check failed")                                                   \
	X(BAD_PADDING, "bad-padding", "padding bytes or pad length invalid")                      \
	X(BAD_NEXT_HEADER, "bad-next-header", "next header not allowed for the SA's mode")        \
	X(DUMMY, "dummy", "dummy packet (next header 59)")                                        \
	X(INNER_MALFORMED, "inner-malformed", "decrypted inner packet is not well-formed IPv6")   \
	X(ECN, "ecn",                                                                             \
	    "congestion marked on the tunnel (outer CE) of an inner packet not ECN-capable")      \
	X(POLICY_MISMATCH, "policy-mismatch", "inner packet not allowed by the SA's in-policies") \
	X(ND_ROUTER, "nd-router",                                                                 \
	    "a router message (RS, RA, redirect) through an SA: not for the TUN device's link")   \
	X(CRYPTO, "crypto", "the crypto backend failed the operation")                            \
	X(QUEUE_FULL, "queue-full", "the receive ring was full: ipsec6d fell behind the link")    \
	X(SEND_FAILED, "send-failed",                                                             \
	    "the kernel refused to send (no route, too big, queue full)")                         \
	X(TUN_WRITE, "tun-write", "the TUN device refused a decrypted packet (down, gone)")       \
	X(FAIL_CLOSED, "fail-closed",                                                             \
	    "ipsec6d failed closed: its state could not be put in force")                         \
	X(NOT_ESP, "not-esp",                                                                     \
	    "a datagram on an ESP-in-UDP port that is not ESP (zero SPI marker, too short)")      \
	X(ENCAP_MISMATCH, "encap-mismatch",                                                       \
	    "not as the SA's encapsulation says: ESP plain, in UDP or on other ports; out, "      \
	    "extension headers that a UDP socket cannot send")                                    \
	X(MISROUTED, "misrouted",                                                                 \
	    "a packet to protect that the routes would send past the TUN device (a socket bound " \
	    "to an interface, a link-local or multicast destination): dropped by the steering")   \
	X(FRAGMENT, "fragment",                                                                   \
	    "a fragment after the first (no ports) under a policy that names ports: dropped by "  \
	    "the steering, which keeps no state across fragments")                                \
	X(REASSEMBLY, "reassembly",                                                               \
	    "a fragment of a datagram that could not be made whole before ESP (overlapping, "     \
	    "too long, malformed, timed out, or no room)")

enum pkt_drop {
#define PKT_DROP_ENUM(e, name, text) PKT_DROP_##e,
	PKT_DROP_LIST(PKT_DROP_ENUM)
#undef PKT_DROP_ENUM
	PKT_DROP__COUNT
};

/* Counter name ("icv", "replay", ...) of a reason; never NULL. */
const char *pkt_drop_name(enum pkt_drop drop);

/* One-line description of a reason; never NULL. */
const char *pkt_drop_text(enum pkt_drop drop);

#endif
