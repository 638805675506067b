// SPDX-License-Identifier: MIT
/* The configuration text: canonical text loads and saves back byte for byte, any accepted
 * spelling saves in the canonical form, a bad line stops the load with "line N: reason", and
 * random databases (remove-all included) survive save, load, save unchanged. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ipsec6/algo.h"
#include "ipsec6/conf.h"
#include "testlib.h"

static const char canonical[] =
    "# ipsec6 configuration\n"
    "sa add --sa-name=sa_2 --sa-source=3ffe:501:ffff::a --sa-destination=3ffe:501:ffff:1::a "
    "--sa-spi=0x1000 --sa-mode=transport --encryption-algorithm=3des-cbc "
    "--encryption-key=0x6970763672656164796c6f676f336465736362636f757432 "
    "--integrity-algorithm=hmac-sha1 --integrity-key=0x6970763672656164796c6f67736861316f757432\n"
    "sa add --sa-name=t.1 --sa-source=any --sa-destination=2001:db8::2 --sa-spi=0xffffffff "
    "--sa-mode=tunnel --encryption-algorithm=null --integrity-algorithm=hmac-sha2-256 "
    "--integrity-key=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f "
    "--replay-window=128\n"
    "sa add --sa-name=a-3 --sa-source=2001:db8::1 --sa-destination=any --sa-spi=0x100 "
    "--sa-mode=transport --encryption-algorithm=aes128-cbc "
    "--encryption-key=0xffeeddccbbaa99887766554433221100 --integrity-algorithm=hmac-sha1 "
    "--integrity-key=0x0000000000000000000000000000000000000000\n"
    "sa add --sa-name=g --sa-source=2001:db8::1 --sa-destination=2001:db8::3 --sa-spi=0x2000 "
    "--sa-mode=tunnel --encryption-algorithm=aes256-gcm16 "
    "--encryption-key=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1fcafebabe "
    "--replay-window=65536 --esn\n"
    "sa add --sa-name=h --sa-source=2001:db8::1 --sa-destination=2001:db8::4 --sa-spi=0x2001 "
    "--sa-mode=transport --encryption-algorithm=aes256-cbc "
    "--encryption-key=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f "
    "--integrity-algorithm=hmac-sha2-384 "
    "--integrity-key=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    "202122232425262728292a2b2c2d2e2f --esn\n"
    "sa add --sa-name=u --sa-source=2001:db8::1 --sa-destination=2001:db8::5 --sa-spi=0x2002 "
    "--sa-mode=transport --encryption-algorithm=aes128-gcm16 "
    "--encryption-key=0x000102030405060708090a0b0c0d0e0fdeadbeef --encapsulation=udp\n"
    "sa add --sa-name=u2 --sa-source=any --sa-destination=2001:db8::6 --sa-spi=0x2003 "
    "--sa-mode=tunnel --encryption-algorithm=null --integrity-algorithm=hmac-sha1 "
    "--integrity-key=0x0000000000000000000000000000000000000000 --esn --encapsulation=udp "
    "--encapsulation-ports=1:65535\n"
    "sp add --sp-name=sp_2 --sp-source=2001:db8:1::/48 --sp-destination=2001:db8:2::/48 "
    "--source-port=23 --destination-port=25 --upper-layer-protocol=tcp --flow-direction=out "
    "--action=ipsec --sp-mode=transport --sa-name=sa_2\n"
    "sp add --sp-name=d --sp-source=any --sp-destination=any --source-port=any "
    "--destination-port=any --upper-layer-protocol=any --flow-direction=in --action=discard "
    "--sp-mode=transport\n"
    "sp add --sp-name=icmp --sp-source=fe80::/10 --sp-destination=2001:db8::2/128 "
    "--source-port=any --destination-port=135 --upper-layer-protocol=icmp6 "
    "--flow-direction=in --action=ipsec --sp-mode=tunnel\n"
    "sp add --sp-name=gone --sp-source=any --sp-destination=any --source-port=any "
    "--destination-port=0 --upper-layer-protocol=udp --flow-direction=out --action=ipsec "
    "--sp-mode=tunnel --sa-name=old --dangling\n"
    "sp add --sp-name=t --sp-source=any --sp-destination=::/1 --source-port=any "
    "--destination-port=any --upper-layer-protocol=any --flow-direction=in --action=ipsec "
    "--sp-mode=tunnel --sa-name=t.1\n";

static char *
save_ok(const struct db *db)
{
	char *out = NULL;
	size_t len = 0;

	assert_int_equal(conf_save(db, &out, &len), 0);
	assert_non_null(out);
	assert_int_equal(strlen(out), len);
	return out;
}

static void
test_canonical_text_round_trips(void **state)
{
	struct db *db = tl_db_load(CRYPTO_BACKEND_OPENSSL, canonical, strlen(canonical));
	char *out = save_ok(db);

	assert_string_equal(out, canonical);
	assert_int_equal(sad_count(db_sad(db)), 7);
	assert_true(sad_lookup_name(db_sad(db), "g")->esn);
	assert_false(sa_is_encap(sad_lookup_name(db_sad(db), "g")));
	assert_int_equal(sad_lookup_name(db_sad(db), "u")->encap_sport, 4500);
	assert_int_equal(sad_lookup_name(db_sad(db), "u")->encap_dport, 4500);
	assert_int_equal(sad_lookup_name(db_sad(db), "u2")->encap_sport, 1);
	assert_int_equal(sad_lookup_name(db_sad(db), "u2")->encap_dport, 65535);
	assert_int_equal(sad_lookup_name(db_sad(db), "g")->auth, ALGO_AUTH_NONE);
	assert_false(sad_lookup_name(db_sad(db), "a-3")->esn);
	assert_int_equal(spd_count(db_spd(db)), 5);
	assert_null(spd_lookup_name(db_spd(db), "gone")->sa);
	assert_non_null(spd_lookup_name(db_spd(db), "t")->sa);
	free(out);
	db_free(db);
}

static void
test_empty_database(void **state)
{
	struct db *db = tl_db_load(CRYPTO_BACKEND_OPENSSL, "", 0);
	char *out = save_ok(db);

	assert_string_equal(out, "# ipsec6 configuration\n");
	free(out);
	db_free(db);
}

static void
test_any_spelling_saves_canonically(void **state)
{
	static const char text[] =
	    "  # comment, blank lines, CRLF, short options, ASCII keys, upper case\r\n"
	    "\n"
	    "network ip ipsec sa add -s 3FFE:501:FFFF:0::A -d 3ffe:501:ffff:0001:0000:0000:0000:a "
	    "-p 0X1000 -e 3des-cbc -k ipv6readylogo3descbcout2 -i hmac-sha1 -K "
	    "'ipv6readylogsha1out2' -n sa_2\r\n"
	    "\t\n"
	    "add --sp-source=2001:0DB8:0001:/48 --sp-destination=2001:0DB8:0002:/48 "
	    "--source-port=23 --destination-port=25 --upper-layer-protocol=tcp "
	    "--flow-direction=out --action=ipsec --sp-mode=transport --sp-name sp_2 -a sa_2\n"
	    "sp add -n d -s any -d ::/0 -w in -A discard # trailing comment\n"
	    "sa add -n x -s any -d any -p 0x2000 -e null -i hmac-sha1 -K 01234567890123456789 "
	    "--replay-window 64";
	static const char want[] =
	    "# ipsec6 configuration\n"
	    "sa add --sa-name=sa_2 --sa-source=3ffe:501:ffff::a --sa-destination=3ffe:501:ffff:1::a "
	    "--sa-spi=0x1000 --sa-mode=transport --encryption-algorithm=3des-cbc "
	    "--encryption-key=0x6970763672656164796c6f676f336465736362636f757432 "
	    "--integrity-algorithm=hmac-sha1 "
	    "--integrity-key=0x6970763672656164796c6f67736861316f757432\n"
	    "sa add --sa-name=x --sa-source=any --sa-destination=any --sa-spi=0x2000 "
	    "--sa-mode=transport --encryption-algorithm=null --integrity-algorithm=hmac-sha1 "
	    "--integrity-key=0x3031323334353637383930313233343536373839\n"
	    "sp add --sp-name=sp_2 --sp-source=2001:db8:1::/48 --sp-destination=2001:db8:2::/48 "
	    "--source-port=23 --destination-port=25 --upper-layer-protocol=tcp "
	    "--flow-direction=out --action=ipsec --sp-mode=transport --sa-name=sa_2\n"
	    "sp add --sp-name=d --sp-source=any --sp-destination=any --source-port=any "
	    "--destination-port=any --upper-layer-protocol=any --flow-direction=in "
	    "--action=discard --sp-mode=transport\n";
	struct db *db = tl_db_load(CRYPTO_BACKEND_OPENSSL, text, strlen(text));
	char *out = save_ok(db);

	assert_string_equal(out, want);
	free(out);
	db_free(db);
}

/* After `sa remove -a`, the policies that named the SAs are saved with --dangling and load
 * back; the mode of a policy whose SA is gone is its own. */
static void
test_remove_all_saves_dangling_policies(void **state)
{
	static const char text[] =
	    "sa add -n s -s any -d any -p 0x1000 -m tunnel -e null -i hmac-sha1 -K "
	    "01234567890123456789\n"
	    "sp add -n p -s any -d any -w out -A ipsec -a s\n"
	    "sp add -n q -s any -d any -w out -A ipsec\n"
	    "sa remove -a\n";
	static const char want[] =
	    "# ipsec6 configuration\n"
	    "sp add --sp-name=p --sp-source=any --sp-destination=any --source-port=any "
	    "--destination-port=any --upper-layer-protocol=any --flow-direction=out "
	    "--action=ipsec --sp-mode=tunnel --sa-name=s --dangling\n"
	    "sp add --sp-name=q --sp-source=any --sp-destination=any --source-port=any "
	    "--destination-port=any --upper-layer-protocol=any --flow-direction=out "
	    "--action=ipsec --sp-mode=transport\n";
	struct db *db = tl_db_load(CRYPTO_BACKEND_OPENSSL, text, strlen(text));
	char *out = save_ok(db);
	struct db *again;
	char *out2;

	assert_string_equal(out, want);
	again = tl_db_load(CRYPTO_BACKEND_OPENSSL, out, strlen(out));
	out2 = save_ok(again);
	assert_string_equal(out2, want);
	free(out);
	free(out2);
	db_free(db);
	db_free(again);
}

static void
test_bad_line_stops_the_load(void **state)
{
	static const struct {
		const char *text;
		size_t len; /* 0: strlen */
		int rc;
		const char *msg;
		size_t sas; /* applied before the bad line */
	} cases[] = {
		{ "sa add --bogus\n", 0, -EINVAL, "line 1: Invalid option --bogus", 0 },
		{ "# c\n\nsa list\n", 0, -EINVAL, "line 3: 'sa list' does not change anything", 0 },
		{ "sa add -n a -s any -d any -p 0x1000 -e null -i hmac-sha1 -K 01234567890123456789\n"
		  "sp add -n p -s any -d any -w out -A ipsec -a nope\n"
		  "sa add -n b -s any -d any -p 0x2000 -e null -i hmac-sha1 -K 01234567890123456789\n",
		    0, -ENOENT, "line 2: SA 'nope' does not exist", 1 },
		{ "sa add -n a -s any -d any -p 0x1000 -e null -i hmac-sha1 -K 01234567890123456789\n"
		  "sa add -n a -s any -d any -p 0x2000 -e null -i hmac-sha1 -K 01234567890123456789\n",
		    0, -EEXIST, "line 2: SA 'a' already exists", 1 },
		{ "\nsa add -K 'abc\n", 0, -EINVAL, "line 2: unterminated single quote", 0 },
		{ "\n\nsa list\0\n", 10, -EINVAL, "line 3: NUL byte in the line", 0 },
		{ "sp remove -n x", 0, -ENOENT, "line 1: policy 'x' does not exist", 0 },
		{ "sa add -n a -s any -d any -p 0x10 -e null -i hmac-sha1 -K 01234567890123456789\r\n",
		    0, -EINVAL, "line 1: SPI '0x10' is reserved (0x1-0xff)", 0 },
		{ "sa add -n a -s any -d any -p 0x1000 -e null -i hmac-sha1 -K 01234567890123456789 "
		  "--encapsulation=esp\n",
		    0, -EINVAL, "line 1: invalid encapsulation 'esp': use udp or none", 0 },
		{ "sa add -n a -s any -d any -p 0x1000 -e null -i hmac-sha1 -K 01234567890123456789 "
		  "--encapsulation-ports=4500:0\n",
		    0, -EINVAL,
		    "line 1: invalid encapsulation ports '4500:0': use SPORT:DPORT, each 1-65535",
		    0 },
		{ "sa add -n a -s any -d any -p 0x1000 -e null -i hmac-sha1 -K 01234567890123456789 "
		  "--encapsulation-ports=99999:4500\n",
		    0, -EINVAL,
		    "line 1: invalid encapsulation ports '99999:4500': use SPORT:DPORT, each "
		    "1-65535",
		    0 },
		{ "sa add -n a -s any -d any -p 0x1000 -e null -i hmac-sha1 -K 01234567890123456789 "
		  "--encapsulation-ports=:4500\n",
		    0, -EINVAL,
		    "line 1: invalid encapsulation ports ':4500': use SPORT:DPORT, each 1-65535",
		    0 },
		{ "sa add -n a -s any -d any -p 0x1000 -e null -i hmac-sha1 -K 01234567890123456789 "
		  "--encapsulation=none --encapsulation-ports=4500:4500\n",
		    0, -EINVAL, "line 1: --encapsulation-ports needs --encapsulation=udp", 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct db *db = db_new(CRYPTO_BACKEND_OPENSSL);
		struct err err = { "" };
		size_t len = cases[i].len != 0 ? cases[i].len : strlen(cases[i].text);

		assert_int_equal(conf_load(db, cases[i].text, len, &err), cases[i].rc);
		assert_string_equal(err.msg, cases[i].msg);
		assert_int_equal(sad_count(db_sad(db)), cases[i].sas);
		db_free(db);
	}
}

static void
test_length_bounds_the_text(void **state)
{
	static const char text[] =
	    "sa add -n a -s any -d any -p 0x1000 -e null -i hmac-sha1 -K 01234567890123456789\n"
	    "this line is past the length";
	struct db *db = tl_db_load(
	    CRYPTO_BACKEND_OPENSSL, text, strlen(text) - strlen("this line is past the length"));

	assert_int_equal(sad_count(db_sad(db)), 1);
	db_free(db);
}

/* ---- random databases ---------------------------------------------------------------- */

#define PICK(s, arr) (arr)[tl_rand_next(s) % (sizeof(arr) / sizeof((arr)[0]))]

static const char *const addrs[] = { "any", "2001:db8::1", "2001:DB8::2", "::1", "fe80::1",
	"2001:db8:0:0:1::" };
static const char *const prefixes[] = { "any", "::/0", "2001:db8::/32", "2001:db8:1:/48",
	"fe80::/10", "::1/128", "2001:db8::2/127" };
static const char *const spis[] = { "0x100", "0x1000", "0xffffffff", "0x00001001", "0x10" };
static const char *const encs[] = { "null", "3des-cbc", "aes128-cbc", "aes256-cbc", "aes128-gcm16",
	"aes256-gcm16" };
static const char *const auths[] = { "hmac-sha1", "hmac-sha2-256", "hmac-sha2-384",
	"hmac-sha2-512" };
static const char *const modes[] = { "transport", "tunnel" };
static const char *const protos[] = { "any", "tcp", "udp", "icmp6" };
static const char *const ports[] = { "any", "0", "22", "65535", "128" };
static const char *const dirs[] = { "in", "out" };
static const char *const actions[] = { "none", "discard", "ipsec", "ipsec" };

/* A key of len bytes, as hex or as ASCII (then quoted, it may hold blanks). */
static void
rand_key(uint64_t *s, size_t len, char *buf, size_t size)
{
	size_t n = 0;
	bool hex = tl_rand_next(s) % 2 == 0;

	n += (size_t)snprintf(buf + n, size - n, hex ? "0x" : "'");
	for (size_t i = 0; i < len; i++)
		n += (size_t)snprintf(buf + n, size - n, hex ? "%02x" : "%c",
		    hex ? (unsigned)(tl_rand_next(s) & 0xff)
			: (unsigned)('a' + tl_rand_next(s) % 26));
	if (!hex)
		(void)snprintf(buf + n, size - n, "'");
}

static void
rand_sa_add(uint64_t *s, char *line, size_t size)
{
	const char *enc = PICK(s, encs);
	const char *auth = PICK(s, auths);
	enum algo_enc e;
	enum algo_auth a;
	char ekey[200] = "";
	char ikey[200] = "";
	char extra[128] = "";

	assert_int_equal(algo_enc_lookup(enc, &e, NULL), 0);
	assert_int_equal(algo_auth_lookup(auth, &a, NULL), 0);
	if (algo_enc_info(e)->key_len != 0) {
		char k[180];

		rand_key(s, algo_enc_info(e)->key_len, k, sizeof(k));
		snprintf(ekey, sizeof(ekey), " -k %s", k);
	}
	/* A combined mode takes no integrity algorithm. */
	if (!algo_enc_is_aead(e)) {
		char k[180];

		rand_key(s, algo_auth_info(a)->key_len, k, sizeof(k));
		snprintf(ikey, sizeof(ikey), " -i %s -K %s", auth, k);
	}
	if (tl_rand_next(s) % 4 == 0)
		snprintf(extra, sizeof(extra), " --replay-window=%u",
		    32 + (unsigned)(tl_rand_next(s) % 65505));
	if (tl_rand_next(s) % 3 == 0)
		snprintf(
		    extra + strlen(extra), sizeof(extra) - strlen(extra), " -m %s", PICK(s, modes));
	if (tl_rand_next(s) % 3 == 0)
		snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra), " --esn");
	if (tl_rand_next(s) % 4 == 0)
		snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra), " --encapsulation%s",
		    tl_rand_next(s) % 2 == 0 ? "=udp" : "-ports=4500:1");
	snprintf(line, size, "sa add --sa-name=s%u -s %s -d %s -p %s -e %s%s%s%s",
	    (unsigned)(tl_rand_next(s) % 6), PICK(s, addrs), PICK(s, addrs), PICK(s, spis), enc,
	    ekey, ikey, extra);
}

static void
rand_sp_add(uint64_t *s, char *line, size_t size)
{
	const char *proto = PICK(s, protos);
	const char *action = PICK(s, actions);
	char extra[128] = "";
	size_t n = 0;

	if (strcmp(proto, "any") != 0 && tl_rand_next(s) % 2 == 0)
		n += (size_t)snprintf(extra + n, sizeof(extra) - n, " -t %s", PICK(s, ports));
	if ((strcmp(proto, "tcp") == 0 || strcmp(proto, "udp") == 0) && tl_rand_next(s) % 2 == 0)
		n += (size_t)snprintf(extra + n, sizeof(extra) - n, " -o %s", PICK(s, ports));
	if (tl_rand_next(s) % 2 == 0)
		n += (size_t)snprintf(extra + n, sizeof(extra) - n, " -m %s", PICK(s, modes));
	if (strcmp(action, "ipsec") == 0 && tl_rand_next(s) % 3 != 0)
		n += (size_t)snprintf(extra + n, sizeof(extra) - n, " -a s%u%s",
		    (unsigned)(tl_rand_next(s) % 6), tl_rand_next(s) % 4 == 0 ? " --dangling" : "");
	snprintf(line, size, "sp add -n p%u -s %s -d %s -P %s -w %s -A %s%s",
	    (unsigned)(tl_rand_next(s) % 8), PICK(s, prefixes), PICK(s, prefixes), proto,
	    PICK(s, dirs), action, extra);
}

static void
rand_line(uint64_t *s, char *line, size_t size)
{
	switch (tl_rand_next(s) % 10) {
	case 0:
		snprintf(line, size, "sa remove -n s%u", (unsigned)(tl_rand_next(s) % 6));
		break;
	case 1:
		snprintf(
		    line, size, "%s", tl_rand_next(s) % 3 == 0 ? "sa remove -a" : "sp remove -a");
		break;
	case 2:
		snprintf(line, size, "sp remove -n p%u", (unsigned)(tl_rand_next(s) % 8));
		break;
	case 3:
		snprintf(line, size, "sa remove -n auto -s %s -d %s -p %s", PICK(s, addrs),
		    PICK(s, addrs), PICK(s, spis));
		break;
	case 4:
	case 5:
	case 6:
		rand_sa_add(s, line, size);
		break;
	default:
		rand_sp_add(s, line, size);
		break;
	}
}

static void
test_random_databases_survive_save_and_load(void **state)
{
	uint64_t seed = 0x9e3779b97f4a7c15u;
	size_t applied = 0, total = 0, dangling = 0;

	for (int round = 0; round < 300; round++) {
		struct db *db = db_new(CRYPTO_BACKEND_OPENSSL);
		struct db *again;
		char *text, *text2;

		for (int step = 0; step < 40; step++) {
			char line[512];

			rand_line(&seed, line, sizeof(line));
			total++;
			/* Refusals are expected (duplicates, unknown names, bad combinations). */
			if (conf_load(db, line, strlen(line), NULL) == 0)
				applied++;
		}
		text = save_ok(db);
		dangling += strstr(text, "--dangling") != NULL;
		again = tl_db_load(CRYPTO_BACKEND_OPENSSL, text, strlen(text));
		text2 = save_ok(again);
		if (strcmp(text, text2) != 0)
			fail_msg("round %d:\n%s\n---\n%s", round, text, text2);
		assert_int_equal(sad_count(db_sad(db)), sad_count(db_sad(again)));
		assert_int_equal(spd_count(db_spd(db)), spd_count(db_spd(again)));
		free(text);
		free(text2);
		db_free(db);
		db_free(again);
	}
	print_message("%zu of %zu random commands applied; %zu configurations with dangling "
		      "policies\n",
	    applied, total, dangling);
	/* The generator must exercise the interesting cases, not only refusals. */
	assert_true(applied > total / 4);
	assert_true(dangling > 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical_text_round_trips),
		cmocka_unit_test(test_empty_database),
		cmocka_unit_test(test_any_spelling_saves_canonically),
		cmocka_unit_test(test_remove_all_saves_dangling_policies),
		cmocka_unit_test(test_bad_line_stops_the_load),
		cmocka_unit_test(test_length_bounds_the_text),
		cmocka_unit_test(test_random_databases_survive_save_and_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
