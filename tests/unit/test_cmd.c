// SPDX-License-Identifier: MIT
/* The command grammar: VMware's documented examples parse as written, every option form
 * esxcli takes, every refusal with its exact message, the option tables, and the splitter. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ipsec6/addr.h"
#include "ipsec6/cmd.h"

#define MAX_WORDS 64

/* Split line (a test literal) into words and parse them. */
static int
parse(const char *line, struct cmd *cmd, struct err *err)
{
	char buf[1024];
	char *argv[MAX_WORDS];
	size_t argc;

	assert_true(strlen(line) < sizeof(buf));
	memcpy(buf, line, strlen(line) + 1);
	assert_int_equal(cmd_split(buf, argv, MAX_WORDS, &argc, NULL), 0);
	return cmd_parse(argc, argv, cmd, err);
}

static void
parse_ok(const char *line, struct cmd *cmd)
{
	struct err err = { "" };
	int rc = parse(line, cmd, &err);

	if (rc != 0)
		fail_msg("'%s': %d %s", line, rc, err.msg);
}

static void
assert_addr(const struct in6_addr *a, const char *want)
{
	char buf[ADDR_TEXT_MAX];

	assert_string_equal(addr_is_any(a) ? "any" : addr_format(a, buf), want);
}

static void
assert_prefix(const struct prefix6 *p, const char *want)
{
	char buf[ADDR_TEXT_MAX];

	assert_string_equal(addr_prefix_format(p, buf), want);
}

static void
test_vmware_sa_add_example(void **state)
{
	static const uint8_t ekey[] = "ipv6readylogo3descbcout2";
	static const uint8_t ikey[] = "ipv6readylogsha1out2";
	struct cmd cmd;

	parse_ok("sa add --sa-source 3ffe:501:ffff:0::a --sa-destination "
		 "3ffe:501:ffff:0001:0000:0000:0000:a --sa-mode transport --sa-spi 0x1000 "
		 "--encryption-algorithm 3des-cbc --encryption-key "
		 "0x6970763672656164796c6f676f336465736362636f757432 --integrity-algorithm "
		 "hmac-sha1 --integrity-key 0x6970763672656164796c6f67736861316f757432 --sa-name "
		 "sa_2",
	    &cmd);
	assert_int_equal(cmd.verb, CMD_SA_ADD);
	assert_string_equal(cmd.sa.name, "sa_2");
	assert_addr(&cmd.sa.src, "3ffe:501:ffff::a");
	assert_addr(&cmd.sa.dst, "3ffe:501:ffff:1::a");
	assert_int_equal(cmd.sa.spi, 0x1000);
	assert_int_equal(cmd.sa.mode, SA_MODE_TRANSPORT);
	assert_int_equal(cmd.sa.enc, ALGO_ENC_3DES_CBC);
	assert_int_equal(cmd.sa.auth, ALGO_AUTH_HMAC_SHA1);
	assert_int_equal(cmd.sa.enc_key->len, 24);
	assert_memory_equal(cmd.sa.enc_key->bytes, ekey, 24);
	assert_int_equal(cmd.sa.auth_key->len, 20);
	assert_memory_equal(cmd.sa.auth_key->bytes, ikey, 20);
	assert_int_equal(cmd.sa.replay_window, 0);
	cmd_fini(&cmd);
	assert_null(cmd.sa.enc_key);
	assert_null(cmd.sa.auth_key);
}

/* The extensions of issue 10: AES-GCM takes the AES key and the salt and no integrity
 * algorithm; the SHA-2 HMACs a key as long as their digest. */
static void
test_extension_algorithms(void **state)
{
	struct cmd cmd;

	parse_ok("sa add -n g -s any -d any -p 0x1000 -e aes256-gcm16 -k "
		 "0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1fcafebabe",
	    &cmd);
	assert_int_equal(cmd.sa.enc, ALGO_ENC_AES256_GCM16);
	assert_int_equal(cmd.sa.auth, ALGO_AUTH_NONE);
	assert_int_equal(cmd.sa.enc_key->len, 36);
	assert_int_equal(cmd.sa.enc_key->bytes[35], 0xbe);
	assert_null(cmd.sa.auth_key);
	cmd_fini(&cmd);
	parse_ok("sa add -n c -s any -d any -p 0x1000 -e aes256-cbc -k "
		 "0123456789abcdef0123456789abcdef -i hmac-sha2-512 -K "
		 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	    &cmd);
	assert_int_equal(cmd.sa.enc, ALGO_ENC_AES256_CBC);
	assert_int_equal(cmd.sa.auth, ALGO_AUTH_HMAC_SHA512);
	assert_int_equal(cmd.sa.auth_key->len, 64);
	assert_false(cmd.sa.esn);
	cmd_fini(&cmd);
	/* --esn: a flag, native (the configuration grammar takes it). */
	parse_ok("sa add -n e -s any -d any -p 0x1000 -e null -i hmac-sha1 -K 01234567890123456789 "
		 "--esn",
	    &cmd);
	assert_true(cmd.sa.esn);
	cmd_fini(&cmd);
}

static void
test_vmware_sp_add_example(void **state)
{
	struct cmd cmd;

	parse_ok("sp add --sp-source=2001:0DB8:0001:/48 --sp-destination=2001:0DB8:0002:/48 "
		 "--source-port=23 --destination-port=25 --upper-layer-protocol=tcp "
		 "--flow-direction=out --action=ipsec --sp-mode=transport --sp-name sp_2",
	    &cmd);
	assert_int_equal(cmd.verb, CMD_SP_ADD);
	assert_string_equal(cmd.sp.name, "sp_2");
	assert_prefix(&cmd.sp.src, "2001:db8:1::/48");
	assert_prefix(&cmd.sp.dst, "2001:db8:2::/48");
	assert_int_equal(cmd.sp.sport, 23);
	assert_int_equal(cmd.sp.dport, 25);
	assert_int_equal(cmd.sp.proto, IPPROTO_TCP);
	assert_int_equal(cmd.sp.dir, SP_DIR_OUT);
	assert_int_equal(cmd.sp.action, SP_ACTION_IPSEC);
	assert_int_equal(cmd.sp.mode, SA_MODE_TRANSPORT);
	assert_true(cmd.sp.mode_given);
	assert_string_equal(cmd.sp.sa_name, "");
	assert_false(cmd.sa_dangling);
	cmd_fini(&cmd);
}

static void
test_esxcli_words_and_doc_form(void **state)
{
	static const struct {
		const char *line;
		enum cmd_verb verb;
	} cases[] = {
		{ "sa list", CMD_SA_LIST },
		{ "sp list", CMD_SP_LIST },
		{ "network ip ipsec sa list", CMD_SA_LIST },
		{ "network ip ipsec sp list", CMD_SP_LIST },
		{ "network ip ipsec list", CMD_SP_LIST },
		{ "list", CMD_SP_LIST },
		{ "network ip ipsec remove -a", CMD_SP_REMOVE },
		{ "remove --sp-name x", CMD_SP_REMOVE },
		{ "add -n p -s any -d any -w in -A none", CMD_SP_ADD },
		{ "sa remove -a", CMD_SA_REMOVE },
		{ "sp remove -a", CMD_SP_REMOVE },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cmd cmd;

		parse_ok(cases[i].line, &cmd);
		assert_int_equal(cmd.verb, cases[i].verb);
		cmd_fini(&cmd);
	}
}

static void
test_option_forms_are_equivalent(void **state)
{
	static const char *const lines[] = {
		"sp add --sp-name=p --sp-source=any --sp-destination=2001:db8::/32 "
		"--flow-direction=in --action=discard --upper-layer-protocol=udp --source-port=53",
		"sp add --sp-name p --sp-source any --sp-destination 2001:db8::/32 "
		"--flow-direction in --action discard --upper-layer-protocol udp --source-port 53",
		"sp add -n p -s any -d 2001:db8::/32 -w in -A discard -P udp -o 53",
		"sp add -n=p -s=any -d=2001:db8::/32 -w=in -A=discard -P=udp -o=53",
		"network ip ipsec sp add -o 53 -P=udp -A discard --flow-direction=in -d "
		"2001:DB8::/32 -s any --sp-name p",
	};

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct cmd cmd;

		parse_ok(lines[i], &cmd);
		assert_int_equal(cmd.verb, CMD_SP_ADD);
		assert_string_equal(cmd.sp.name, "p");
		assert_prefix(&cmd.sp.src, "any");
		assert_prefix(&cmd.sp.dst, "2001:db8::/32");
		assert_int_equal(cmd.sp.dir, SP_DIR_IN);
		assert_int_equal(cmd.sp.action, SP_ACTION_DISCARD);
		assert_int_equal(cmd.sp.proto, IPPROTO_UDP);
		assert_int_equal(cmd.sp.sport, 53);
		assert_int_equal(cmd.sp.dport, SP_PORT_ANY);
		assert_false(cmd.sp.mode_given);
		cmd_fini(&cmd);
	}
}

static void
test_defaults_and_optional_values(void **state)
{
	struct cmd cmd;

	parse_ok("sa add -n a -s any -d any -p 0x00000100 -e null -i hmac-sha2-256 -K "
		 "0123456789abcdef0123456789abcdef",
	    &cmd);
	assert_int_equal(cmd.sa.spi, 0x100);
	assert_int_equal(cmd.sa.mode, SA_MODE_TRANSPORT);
	assert_int_equal(cmd.sa.enc, ALGO_ENC_NULL);
	assert_null(cmd.sa.enc_key);
	assert_int_equal(cmd.sa.auth_key->len, 32);
	assert_addr(&cmd.sa.src, "any");
	assert_addr(&cmd.sa.dst, "any");
	cmd_fini(&cmd);

	parse_ok("sa add -n a -s :: -d 2001:db8::1 -p 0XFFFFFFFF -m tunnel -e aes128-cbc -k "
		 "0x00112233445566778899AABBCCDDEEFF -i hmac-sha1 -K 'an ASCII key, 20 chr' "
		 "--replay-window=4096",
	    &cmd);
	assert_int_equal(cmd.sa.spi, 0xffffffffu);
	assert_int_equal(cmd.sa.mode, SA_MODE_TUNNEL);
	assert_int_equal(cmd.sa.enc_key->bytes[15], 0xff);
	assert_int_equal(cmd.sa.auth_key->len, 20);
	assert_int_equal(cmd.sa.replay_window, 4096);
	cmd_fini(&cmd);

	parse_ok(
	    "sp add -n p -s any -d any -w out -A ipsec -a sa_1 -m tunnel -P icmp6 -t 128", &cmd);
	assert_string_equal(cmd.sp.sa_name, "sa_1");
	assert_int_equal(cmd.sp.proto, IPPROTO_ICMPV6);
	assert_int_equal(cmd.sp.dport, 128);
	assert_int_equal(cmd.sp.sport, SP_PORT_ANY);
	assert_true(cmd.sp.mode_given);
	assert_int_equal(cmd.sp.mode, SA_MODE_TUNNEL);
	cmd_fini(&cmd);

	parse_ok("sp add -n p -s any -d any -w out -A ipsec -a sa_1 --dangling -o any -t 0 -P tcp",
	    &cmd);
	assert_true(cmd.sa_dangling);
	assert_int_equal(cmd.sp.sport, SP_PORT_ANY);
	assert_int_equal(cmd.sp.dport, 0);
	cmd_fini(&cmd);
}

static void
test_remove_forms(void **state)
{
	struct cmd cmd;

	parse_ok("sa remove --remove-all", &cmd);
	assert_int_equal(cmd.verb, CMD_SA_REMOVE);
	assert_true(cmd.rm.all);
	cmd_fini(&cmd);

	parse_ok("sa remove -n sa_2", &cmd);
	assert_false(cmd.rm.all);
	assert_string_equal(cmd.rm.name, "sa_2");
	cmd_fini(&cmd);

	parse_ok("sa remove -n auto -s any -d 2001:DB8::1 -p 0x1000", &cmd);
	assert_string_equal(cmd.rm.name, "auto");
	assert_addr(&cmd.rm.src, "any");
	assert_addr(&cmd.rm.dst, "2001:db8::1");
	assert_int_equal(cmd.rm.spi, 0x1000);
	cmd_fini(&cmd);

	parse_ok("sp remove --sp-name=sp_2", &cmd);
	assert_int_equal(cmd.verb, CMD_SP_REMOVE);
	assert_string_equal(cmd.rm.name, "sp_2");
	cmd_fini(&cmd);

	parse_ok("sp remove -a", &cmd);
	assert_true(cmd.rm.all);
	cmd_fini(&cmd);
}

#define SA_OK "sa add -n a -s any -d any -p 0x1000 -e null -i hmac-sha1 -K 01234567890123456789"
#define SP_OK "sp add -n p -s any -d any -w out -A ipsec"

static const struct {
	const char *line;
	const char *msg;
} refusals[] = {
	/* Words. */
	{ "", "Missing command: use sa or sp, then add, list or remove" },
	{ "network", "Missing command after 'network'" },
	{ "network ip", "Missing command after 'network ip'" },
	{ "network ip ipsec", "Missing command: use sa or sp, then add, list or remove" },
	{ "network ip foo", "Unknown command or namespace network ip foo" },
	{ "network ipsec sa list", "Unknown command or namespace network ipsec" },
	{ "sx list", "Unknown command or namespace sx" },
	{ "ip ipsec sa list", "Unknown command or namespace ip" },
	{ "sa", "Missing command after 'sa': use add, list or remove" },
	{ "network ip ipsec sp",
	    "Missing command after 'network ip ipsec sp': use add, list or "
	    "remove" },
	{ "sa del", "Unknown command or namespace sa del" },
	{ "sa Add", "Unknown command or namespace sa Add" },
	{ "network ip ipsec sa frob", "Unknown command or namespace network ip ipsec sa frob" },
	/* Option syntax, as esxcli words it. */
	{ SA_OK " --bogus", "Invalid option --bogus" },
	{ SA_OK " --bogus=1", "Invalid option --bogus" },
	{ SA_OK " -x", "Invalid option -x" },
	{ SA_OK " -x=1", "Invalid option -x" },
	{ SA_OK " -nfoo", "Invalid option -nfoo" },
	{ SA_OK " --", "Invalid option --" },
	/* The files the CLI reads keys from are not options of the grammar: the CLI sends keys. */
	{ SA_OK " --encryption-key-file=k", "Invalid option --encryption-key-file" },
	{ SA_OK " --integrity-key-file k", "Invalid option --integrity-key-file" },
	{ SA_OK " -", "Invalid option -" },
	{ SA_OK " stray", "Invalid option stray" },
	{ "sa add --sa-nam=x", "Invalid option --sa-nam" },
	{ "sa add --SA-NAME=x", "Invalid option --SA-NAME" },
	{ "sa list -n x", "Invalid option -n" },
	{ "sp list --sp-name=x", "Invalid option --sp-name" },
	{ SA_OK " -n b", "Duplicated option -n" },
	{ SA_OK " --sa-name=b", "Duplicated option --sa-name" },
	{ "sa remove -a --remove-all", "Duplicated option --remove-all" },
	{ "sa remove --remove-all=yes", "'--remove-all' is a flag and cannot accept any values." },
	{ "sa remove -a=", "'-a' is a flag and cannot accept any values." },
	{ "sa remove -a yes", "Invalid option yes" },
	{ "sa add --sa-name --sa-spi 0x1000", "--sa-name must have value" },
	{ "sa add -n -p 0x1000", "-n must have value" },
	{ "sa add --sa-name", "--sa-name must have value" },
	{ SP_OK " -P tcp --source-port -1", "--source-port must have value" },
	/* Missing parameters, one line each, in help order. */
	{ "sa add -e null -i hmac-sha1 -K 01234567890123456789 -d any -s any -p 0x1000",
	    "Missing required parameter -n|--sa-name" },
	{ "sa add -n a -e null -i hmac-sha1 -K 01234567890123456789 -d any",
	    "Missing required parameter -s|--sa-source\nMissing required parameter -p|--sa-spi" },
	{ "sa add -n a -e 3des-cbc -i hmac-sha1 -K 01234567890123456789 -d any -s any -p 0x1000",
	    "Missing required parameter -k|--encryption-key" },
	{ "sa add -n a -i hmac-sha1 -K 01234567890123456789 -d any -s any -p 0x1000",
	    "Missing required parameter -e|--encryption-algorithm" },
	/* An unknown algorithm is reported as such, not as a missing key. */
	{ "sa add -n a -e des -i hmac-sha1 -K 01234567890123456789 -d any -s any -p 0x1000",
	    "invalid encryption algorithm 'des': use null, 3des-cbc, aes128-cbc, aes256-cbc, aes128-gcm16 or aes256-gcm16" },
	{ "sa add",
	    "Missing required parameter -e|--encryption-algorithm\n"
	    "Missing required parameter -i|--integrity-algorithm\n"
	    "Missing required parameter -K|--integrity-key\n"
	    "Missing required parameter -d|--sa-destination\n"
	    "Missing required parameter -n|--sa-name\n"
	    "Missing required parameter -s|--sa-source\n"
	    "Missing required parameter -p|--sa-spi" },
	{ "sp add -n p -s any -d any",
	    "Missing required parameter -A|--action\nMissing required parameter "
	    "-w|--flow-direction" },
	{ "sa remove -n auto -d any",
	    "Missing required parameter -s|--sa-source\nMissing required parameter -p|--sa-spi" },
	/* sa add values. */
	{ "sa add -n auto -s any -d any -p 0x1000 -e null -i hmac-sha1 -K 01234567890123456789",
	    "'auto' is reserved and cannot be an SA name" },
	{ "sa add -n 'a b' -s any -d any -p 0x1000 -e null -i hmac-sha1 -K 01234567890123456789",
	    "invalid SA name 'a b': use 1-64 of A-Za-z0-9_.-" },
	{ "sa add -n '' -s any -d any -p 0x1000 -e null -i hmac-sha1 -K 01234567890123456789",
	    "invalid SA name '': use 1-64 of A-Za-z0-9_.-" },
	{ "sa add -n "
	  "x12345678901234567890123456789012345678901234567890123456789012345 -s any -d any -p "
	  "0x1000 -e null -i hmac-sha1 -K 01234567890123456789",
	    "invalid SA name "
	    "'x12345678901234567890123456789012345678901234567890123456789012345': use 1-64 of "
	    "A-Za-z0-9_.-" },
	{ SA_OK " -m Tunnel", "invalid SA mode 'Tunnel': use transport or tunnel" },
	{ "sa add -n a -s 192.0.2.1 -d any -p 0x1000 -e null -i hmac-sha1 -K 01234567890123456789",
	    "'192.0.2.1' is an IPv4 address: only IPv6 is supported" },
	{ "sa add -n a -s any -d ANY -p 0x1000 -e null -i hmac-sha1 -K 01234567890123456789",
	    "'ANY' is not a valid IPv6 address" },
	{ "sa add -n a -s any -d any -p 1000 -e null -i hmac-sha1 -K 01234567890123456789",
	    "invalid SPI '1000': use 0x and hexadecimal digits" },
	{ "sa add -n a -s any -d any -p 0x -e null -i hmac-sha1 -K 01234567890123456789",
	    "invalid SPI '0x': use 0x and hexadecimal digits" },
	{ "sa add -n a -s any -d any -p 0x12g4 -e null -i hmac-sha1 -K 01234567890123456789",
	    "invalid SPI '0x12g4': use 0x and hexadecimal digits" },
	{ "sa add -n a -s any -d any -p ' 0x1000' -e null -i hmac-sha1 -K 01234567890123456789",
	    "invalid SPI ' 0x1000': use 0x and hexadecimal digits" },
	{ "sa add -n a -s any -d any -p 0x100000000 -e null -i hmac-sha1 -K "
	  "01234567890123456789",
	    "SPI '0x100000000' is too large (at most 0xffffffff)" },
	{ "sa add -n a -s any -d any -p 0x0000000000001 -e null -i hmac-sha1 -K "
	  "01234567890123456789",
	    "SPI '0x0000000000001' is reserved (0x1-0xff)" },
	{ "sa add -n a -s any -d any -p 0x10 -e null -i hmac-sha1 -K 01234567890123456789",
	    "SPI '0x10' is reserved (0x1-0xff)" },
	{ "sa add -n a -s any -d any -p 0xff -e null -i hmac-sha1 -K 01234567890123456789",
	    "SPI '0xff' is reserved (0x1-0xff)" },
	{ "sa add -n a -s any -d any -p 0x0 -e null -i hmac-sha1 -K 01234567890123456789",
	    "SPI '0x0' is reserved (RFC 4303 section 2.1)" },
	{ "sa add -n a -s any -d any -p 0x1000 -e des -i hmac-sha1 -K 01234567890123456789",
	    "invalid encryption algorithm 'des': use null, 3des-cbc, aes128-cbc, aes256-cbc, aes128-gcm16 or aes256-gcm16" },
	{ "sa add -n a -s any -d any -p 0x1000 -e NULL -i hmac-sha1 -K 01234567890123456789",
	    "invalid encryption algorithm 'NULL': use null, 3des-cbc, aes128-cbc, aes256-cbc, aes128-gcm16 or aes256-gcm16" },
	{ "sa add -n a -s any -d any -p 0x1000 -e null -i null -K 01234567890123456789",
	    "integrity algorithm cannot be null" },
	{ "sa add -n a -s any -d any -p 0x1000 -e null -i md5 -K 01234567890123456789",
	    "invalid integrity algorithm 'md5': use hmac-sha1, hmac-sha2-256, hmac-sha2-384 or hmac-sha2-512" },
	{ SA_OK " -k 0x00", "null encryption takes no key" },
	{ "sa add -n a -s any -d any -p 0x1000 -e aes128-cbc -k 0123456789abcde -i hmac-sha1 -K "
	  "01234567890123456789",
	    "encryption key is 15 bytes, aes128-cbc needs 16" },
	{ "sa add -n a -s any -d any -p 0x1000 -e 3des-cbc -k 0x00112233445566778899aabbccddeeff "
	  "-i hmac-sha1 -K 01234567890123456789",
	    "encryption key is 16 bytes, 3des-cbc needs 24" },
	{ "sa add -n a -s any -d any -p 0x1000 -e null -i hmac-sha1 -K "
	  "0x00112233445566778899aabbccddeeff001122",
	    "integrity key is 19 bytes, hmac-sha1 needs 20" },
	{ "sa add -n a -s any -d any -p 0x1000 -e null -i hmac-sha2-256 -K "
	  "01234567890123456789",
	    "integrity key is 20 bytes, hmac-sha2-256 needs 32" },
	/* AES-GCM (RFC 4106): the AES key then the salt, and no integrity algorithm. */
	{ "sa add -n a -s any -d any -p 0x1000 -e aes128-gcm16 -k 0123456789abcdef",
	    "encryption key is 16 bytes, aes128-gcm16 needs 20: the 16-byte AES key, then the "
	    "4-byte salt (RFC 4106)" },
	{ "sa add -n a -s any -d any -p 0x1000 -e aes128-gcm16 -k 0123456789abcdefsalt -i "
	  "hmac-sha1 -K 01234567890123456789",
	    "aes128-gcm16 takes no integrity algorithm: it protects integrity itself (RFC 4106)" },
	{ "sa add -n a -s any -d any -p 0x1000 -e aes256-gcm16 -k "
	  "0123456789abcdef0123456789abcdefsalt -K 01234567890123456789",
	    "aes256-gcm16 takes no integrity key" },
	{ "sa add -n a -s any -d any -p 0x1000 -e aes128-cbc -k 0123456789abcdef",
	    "Missing required parameter -i|--integrity-algorithm\n"
	    "Missing required parameter -K|--integrity-key" },
	{ SA_OK " --esn=yes", "'--esn' is a flag and cannot accept any values." },
	{ SA_OK " --esn --esn", "Duplicated option --esn" },
	{ SA_OK " --replay-window=16", "invalid replay window '16': use 32-65536" },
	{ SA_OK " --replay-window=65537", "invalid replay window '65537': use 32-65536" },
	{ SA_OK " --replay-window=+64", "invalid replay window '+64': use 32-65536" },
	{ SA_OK " --replay-window=", "invalid replay window '': use 32-65536" },
	/* sa remove. */
	{ "sa remove", "Exactly one of -a|--remove-all and -n|--sa-name is required" },
	{ "sa remove -a -n x", "Exactly one of -a|--remove-all and -n|--sa-name is required" },
	{ "sa remove -n x -s any", "-s|--sa-source is only valid with -n|--sa-name auto" },
	{ "sa remove -a -p 0x1000", "-p|--sa-spi is only valid with -n|--sa-name auto" },
	{ "sa remove -n 'x y'", "invalid SA name 'x y': use 1-64 of A-Za-z0-9_.-" },
	{ "sa remove -n auto -s any -d any -p 0x1", "SPI '0x1' is reserved (0x1-0xff)" },
	/* sp add values. */
	{ "sp add -n 'p 1' -s any -d any -w out -A none",
	    "invalid policy name 'p 1': use 1-64 of A-Za-z0-9_.-" },
	{ "sp add -n p -s 2001:db8::1 -d any -w out -A none",
	    "'2001:db8::1' has no prefix length: write ADDR/LEN (/128 for one address) or any" },
	{ SP_OK " -P tcp -o 65536", "invalid source port '65536': use 0-65535 or any" },
	{ SP_OK " -P tcp -o=-1", "invalid source port '-1': use 0-65535 or any" },
	{ SP_OK " -P tcp -t 0x10", "invalid destination port '0x10': use 0-65535 or any" },
	{ SP_OK " -P tcp -t ''", "invalid destination port '': use 0-65535 or any" },
	{ SP_OK " -P sctp", "invalid upper layer protocol 'sctp': use any, tcp, udp or icmp6" },
	{ "sp add -n p -s any -d any -w both -A none",
	    "invalid flow direction 'both': use in or out" },
	{ "sp add -n p -s any -d any -w in -A allow",
	    "invalid action 'allow': use none, discard or ipsec" },
	{ SP_OK " -m trans", "invalid SP mode 'trans': use transport or tunnel" },
	{ SP_OK " -a auto", "'auto' is reserved and cannot be an SA name" },
	{ SP_OK " --dangling", "--dangling requires -a|--sa-name" },
	{ SP_OK " --dangling=1", "'--dangling' is a flag and cannot accept any values." },
	/* sp remove. */
	{ "sp remove", "Exactly one of -a|--remove-all and -n|--sp-name is required" },
	{ "sp remove -a -n x", "Exactly one of -a|--remove-all and -n|--sp-name is required" },
	{ "sp remove -n ''", "invalid policy name '': use 1-64 of A-Za-z0-9_.-" },
};

static void
test_refusals_give_the_esxcli_reason(void **state)
{
	for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		struct cmd cmd;
		struct err err = { "" };
		int rc = parse(refusals[i].line, &cmd, &err);

		if (rc != -EINVAL || strcmp(err.msg, refusals[i].msg) != 0)
			fail_msg("'%s': got %d '%s', want '%s'", refusals[i].line, rc, err.msg,
			    refusals[i].msg);
		/* A refused command owns nothing. */
		assert_null(cmd.sa.enc_key);
		assert_null(cmd.sa.auth_key);
	}
}

/* Every "Missing required parameter" line is whole, even when they do not all fit. */
static void
test_missing_lines_are_never_cut(void **state)
{
	struct cmd cmd;
	struct err err = { "" };
	char *line;

	assert_int_equal(parse("sa add", &cmd, &err), -EINVAL);
	assert_true(strlen(err.msg) < ERR_MSG_MAX);
	for (line = err.msg; line != NULL;) {
		char *nl = strchr(line, '\n');
		size_t len = nl != NULL ? (size_t)(nl - line) : strlen(line);

		assert_memory_equal(line, "Missing required parameter -", 28);
		assert_true(line[len - 1] >= 'a' && line[len - 1] <= 'z');
		line = nl != NULL ? nl + 1 : NULL;
	}
}

/* A key parsed before a later refusal is released (ASan's leak check sees it otherwise). */
static void
test_refusal_after_keys_releases_them(void **state)
{
	struct cmd cmd;
	struct err err = { "" };

	assert_int_equal(parse("sa add -n a -s any -d any -p 0x1000 -e aes128-cbc -k "
			       "0123456789abcdef -i hmac-sha1 -K short",
			     &cmd, &err),
	    -EINVAL);
	assert_string_equal(err.msg, "integrity key is 5 bytes, hmac-sha1 needs 20");
	assert_null(cmd.sa.enc_key);
}

static void
test_argv_is_not_modified(void **state)
{
	char w0[] = "sa", w1[] = "add", w2[] = "--sa-name=a", w3[] = "-s", w4[] = "any",
	     w5[] = "-d=any", w6[] = "-p", w7[] = "0x1000", w8[] = "-e", w9[] = "null",
	     w10[] = "-i", w11[] = "hmac-sha1", w12[] = "-K", w13[] = "01234567890123456789";
	char *argv[] = { w0, w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, w11, w12, w13 };
	char *copy[14];
	struct cmd cmd;

	memcpy(copy, argv, sizeof(argv));
	assert_int_equal(cmd_parse(14, argv, &cmd, NULL), 0);
	assert_memory_equal(copy, argv, sizeof(argv));
	assert_string_equal(w2, "--sa-name=a");
	assert_string_equal(w5, "-d=any");
	assert_string_equal(w13, "01234567890123456789");
	cmd_fini(&cmd);
}

static void
test_option_tables(void **state)
{
	static const enum cmd_verb verbs[] = { CMD_SA_ADD, CMD_SA_REMOVE, CMD_SA_LIST, CMD_SP_ADD,
		CMD_SP_REMOVE, CMD_SP_LIST };
	/* CLI.md's sa add and sp add tables: short and long names, and which are required always
	 * (the integrity algorithm and key are, except with GCM: cmd_opts_needed()); and the
	 * extensions that esxcli takes too (issue 13: ESP in UDP). */
	static const char *const sa_add[] = { "- encapsulation 0", "- encapsulation-ports 0",
		"e encryption-algorithm 1", "k encryption-key 0", "i integrity-algorithm 0",
		"K integrity-key 0", "d sa-destination 1", "m sa-mode 0", "n sa-name 1",
		"s sa-source 1", "p sa-spi 1" };
	static const char *const sp_add[] = { "A action 1", "t destination-port 0",
		"w flow-direction 1", "a sa-name 0", "o source-port 0", "d sp-destination 1",
		"m sp-mode 0", "n sp-name 1", "s sp-source 1", "P upper-layer-protocol 0" };
	size_t n, seen;
	const struct cmd_opt *o;

	for (size_t v = 0; v < sizeof(verbs) / sizeof(verbs[0]); v++) {
		o = cmd_options(verbs[v], &n);
		for (size_t i = 0; i + 1 < n; i++) /* help order: sorted by long name */
			assert_true(strcmp(o[i].long_name, o[i + 1].long_name) < 0);
		for (size_t i = 0; i < n; i++) {
			for (size_t j = i + 1; j < n; j++)
				assert_true(
				    o[i].short_name == '\0' || o[i].short_name != o[j].short_name);
			assert_true(o[i].kind == CMD_OPT_VALUE || o[i].placeholder == NULL);
			assert_non_null(o[i].help);
			/* A key file stands for a key option of the same table; keys are secret. */
			if (o[i].use == CMD_OPT_KEY_FILE) {
				size_t k = 0;

				while (k < n && strcmp(o[k].long_name, o[i].send_as) != 0)
					k++;
				assert_true(k < n && o[k].secret && o[i].native);
			}
		}
	}
	o = cmd_options(CMD_SA_LIST, &n);
	assert_int_equal(n, 0);

	o = cmd_options(CMD_SA_ADD, &n);
	seen = 0;
	for (size_t i = 0; i < n; i++) {
		char row[64];

		if (o[i].native)
			continue;
		snprintf(row, sizeof(row), "%c %s %d",
		    o[i].short_name != '\0' ? o[i].short_name : '-', o[i].long_name, o[i].required);
		assert_string_equal(row, sa_add[seen++]);
	}
	assert_int_equal(seen, 11);
	o = cmd_options(CMD_SP_ADD, &n);
	seen = 0;
	for (size_t i = 0; i < n; i++) {
		char row[64];

		if (o[i].native)
			continue;
		snprintf(
		    row, sizeof(row), "%c %s %d", o[i].short_name, o[i].long_name, o[i].required);
		assert_string_equal(row, sp_add[seen++]);
	}
	assert_int_equal(seen, 10);
	assert_string_equal(cmd_verb_name(CMD_SA_ADD), "sa add");
	assert_string_equal(cmd_verb_name(CMD_SP_REMOVE), "sp remove");
}

static void
test_split_words(void **state)
{
	static const struct {
		const char *line;
		size_t argc;
		const char *words[6];
	} cases[] = {
		{ "", 0, { NULL } },
		{ "   \t ", 0, { NULL } },
		{ "# a comment", 0, { NULL } },
		{ "  # indented comment 'unbalanced", 0, { NULL } },
		{ "sa list", 2, { "sa", "list" } },
		{ " sa\tlist \r", 2, { "sa", "list" } },
		{ "a#b #c d", 1, { "a#b" } },
		{ "x '#y' \\#z", 3, { "x", "#y", "#z" } },
		{ "-K 'two words'", 2, { "-K", "two words" } },
		{ "-K \"dq \\\"inner\\\" \\\\\"", 2, { "-K", "dq \"inner\" \\" } },
		{ "'single \\ stays' next", 2, { "single \\ stays", "next" } },
		{ "a'b'\"c\"d", 1, { "abcd" } },
		{ "'' \"\" x", 3, { "", "", "x" } },
		{ "a\\ b", 1, { "a b" } },
		{ "--opt='x y'", 1, { "--opt=x y" } },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[128];
		char *argv[6];
		size_t argc = 99;
		struct err err = { "" };

		snprintf(buf, sizeof(buf), "%s", cases[i].line);
		assert_int_equal(cmd_split(buf, argv, 6, &argc, &err), 0);
		assert_int_equal(argc, cases[i].argc);
		for (size_t k = 0; k < argc; k++)
			assert_string_equal(argv[k], cases[i].words[k]);
	}
}

static void
test_split_refusals(void **state)
{
	static const struct {
		const char *line;
		const char *msg;
	} cases[] = {
		{ "a 'b", "unterminated single quote" },
		{ "a \"b", "unterminated double quote" },
		{ "a \"b\\\"", "unterminated double quote" },
		{ "a b\\", "backslash at the end of the line" },
		{ "1 2 3 4", "too many words (at most 3)" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[64];
		char *argv[3];
		size_t argc = 99;
		struct err err = { "" };

		snprintf(buf, sizeof(buf), "%s", cases[i].line);
		assert_int_equal(cmd_split(buf, argv, 3, &argc, &err), -EINVAL);
		assert_string_equal(err.msg, cases[i].msg);
		assert_int_equal(argc, 0);
	}
}

/* The row enums name the rows their comments say (cmd.c and the CLI index tables by them). */
static void
test_row_indexes(void **state)
{
	static const struct {
		enum cmd_verb verb;
		size_t row;
		const char *long_name;
	} rows[] = {
		{ CMD_SA_ADD, CMD_SA_ADD_ENC, "encryption-algorithm" },
		{ CMD_SA_ADD, CMD_SA_ADD_ENC_KEY, "encryption-key" },
		{ CMD_SA_ADD, CMD_SA_ADD_ENC_KEY_FILE, "encryption-key-file" },
		{ CMD_SA_ADD, CMD_SA_ADD_AUTH, "integrity-algorithm" },
		{ CMD_SA_ADD, CMD_SA_ADD_AUTH_KEY, "integrity-key" },
		{ CMD_SA_ADD, CMD_SA_ADD_AUTH_KEY_FILE, "integrity-key-file" },
		{ CMD_SA_ADD, CMD_SA_ADD_REPLAY, "replay-window" },
		{ CMD_SA_ADD, CMD_SA_ADD_DST, "sa-destination" },
		{ CMD_SA_ADD, CMD_SA_ADD_MODE, "sa-mode" },
		{ CMD_SA_ADD, CMD_SA_ADD_NAME, "sa-name" },
		{ CMD_SA_ADD, CMD_SA_ADD_SRC, "sa-source" },
		{ CMD_SA_ADD, CMD_SA_ADD_SPI, "sa-spi" },
		{ CMD_SA_REMOVE, CMD_SA_REMOVE_ALL, "remove-all" },
		{ CMD_SA_REMOVE, CMD_SA_REMOVE_DST, "sa-destination" },
		{ CMD_SA_REMOVE, CMD_SA_REMOVE_NAME, "sa-name" },
		{ CMD_SA_REMOVE, CMD_SA_REMOVE_SRC, "sa-source" },
		{ CMD_SA_REMOVE, CMD_SA_REMOVE_SPI, "sa-spi" },
		{ CMD_SP_ADD, CMD_SP_ADD_ACTION, "action" },
		{ CMD_SP_ADD, CMD_SP_ADD_DANGLING, "dangling" },
		{ CMD_SP_ADD, CMD_SP_ADD_DPORT, "destination-port" },
		{ CMD_SP_ADD, CMD_SP_ADD_DIR, "flow-direction" },
		{ CMD_SP_ADD, CMD_SP_ADD_SA_NAME, "sa-name" },
		{ CMD_SP_ADD, CMD_SP_ADD_SPORT, "source-port" },
		{ CMD_SP_ADD, CMD_SP_ADD_DST, "sp-destination" },
		{ CMD_SP_ADD, CMD_SP_ADD_MODE, "sp-mode" },
		{ CMD_SP_ADD, CMD_SP_ADD_NAME, "sp-name" },
		{ CMD_SP_ADD, CMD_SP_ADD_SRC, "sp-source" },
		{ CMD_SP_ADD, CMD_SP_ADD_PROTO, "upper-layer-protocol" },
		{ CMD_SP_REMOVE, CMD_SP_REMOVE_ALL, "remove-all" },
		{ CMD_SP_REMOVE, CMD_SP_REMOVE_NAME, "sp-name" },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		size_t n;
		const struct cmd_opt *o = cmd_options(rows[i].verb, &n);

		assert_true(rows[i].row < n);
		assert_string_equal(o[rows[i].row].long_name, rows[i].long_name);
	}
}

/* Read words against a table as the CLI does (esxcli's grammar: native rows hidden; the
 * CLI's own rows admitted). Returns the first failure, 0 when all were read. */
static int
read_all(
    const struct cmd_opts *t, size_t argc, char *const *argv, const char **vals, struct err *err)
{
	int rc = 0;

	for (size_t i = 0; i < argc && rc == 0; i++)
		rc = cmd_opts_read(t, argc, argv, &i, vals, err);
	return rc;
}

/* What a grammar admits: native rows only natively, the CLI's own rows only in the CLI. */
static void
test_grammars_admit_their_rows(void **state)
{
	char w0[] = "--encryption-key-file=f", w1[] = "--replay-window", w2[] = "64";
	char *argv[] = { w0, w1, w2 };
	struct cmd_opts t = { .native = true, .client = true };
	const char *vals[CMD_OPTS_MAX] = { NULL };
	struct err err = { "" };

	t.opts = cmd_options(CMD_SA_ADD, &t.n);
	assert_int_equal(read_all(&t, 3, argv, vals, &err), 0);
	assert_string_equal(vals[CMD_SA_ADD_ENC_KEY_FILE], "f");
	assert_string_equal(vals[CMD_SA_ADD_REPLAY], "64");

	/* esxcli: no native rows. */
	t.native = false;
	memset(vals, 0, sizeof(vals));
	assert_int_equal(read_all(&t, 3, argv, vals, &err), -EINVAL);
	assert_string_equal(err.msg, "Invalid option --encryption-key-file");

	/* The daemon: the native rows, but no key files. */
	t.native = true;
	t.client = false;
	memset(vals, 0, sizeof(vals));
	err_clear(&err);
	assert_int_equal(read_all(&t, 1, argv, vals, &err), -EINVAL);
	assert_string_equal(err.msg, "Invalid option --encryption-key-file");
	assert_int_equal(read_all(&t, 2, argv + 1, vals, &err), 0);
}

/* A key file given stands for the key; the key is needed unless the algorithm is null. */
static void
test_required_rows(void **state)
{
	enum cmd_verb verb = CMD_SA_ADD;
	struct cmd_opts t = { .native = true, .client = true };
	struct cmd_opts_need need = { cmd_opts_needed, &verb };
	const char *vals[CMD_OPTS_MAX] = { NULL };
	struct err err = { "" };

	t.opts = cmd_options(CMD_SA_ADD, &t.n);
	vals[CMD_SA_ADD_ENC] = "aes128-cbc";
	vals[CMD_SA_ADD_AUTH] = "hmac-sha1";
	vals[CMD_SA_ADD_AUTH_KEY_FILE] = "auth.key";
	vals[CMD_SA_ADD_DST] = "any";
	vals[CMD_SA_ADD_NAME] = "a";
	vals[CMD_SA_ADD_SRC] = "any";
	vals[CMD_SA_ADD_SPI] = "0x1000";
	assert_int_equal(cmd_opts_check_required(&t, vals, &need, &err), -EINVAL);
	assert_string_equal(err.msg, "Missing required parameter -k|--encryption-key");
	vals[CMD_SA_ADD_ENC_KEY_FILE] = "enc.key";
	assert_int_equal(cmd_opts_check_required(&t, vals, &need, NULL), 0);
	vals[CMD_SA_ADD_ENC_KEY_FILE] = NULL;
	vals[CMD_SA_ADD_ENC] = "null";
	assert_int_equal(cmd_opts_check_required(&t, vals, &need, NULL), 0);
	/* Without the rule, the table's flags alone. */
	vals[CMD_SA_ADD_ENC] = "3des-cbc";
	assert_int_equal(cmd_opts_check_required(&t, vals, NULL, NULL), 0);
	assert_true(cmd_opts_enc_has_key("3des-cbc"));
	assert_false(cmd_opts_enc_has_key("null"));
	assert_false(cmd_opts_enc_has_key("des"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vmware_sa_add_example),
		cmocka_unit_test(test_extension_algorithms),
		cmocka_unit_test(test_vmware_sp_add_example),
		cmocka_unit_test(test_esxcli_words_and_doc_form),
		cmocka_unit_test(test_option_forms_are_equivalent),
		cmocka_unit_test(test_defaults_and_optional_values),
		cmocka_unit_test(test_remove_forms),
		cmocka_unit_test(test_refusals_give_the_esxcli_reason),
		cmocka_unit_test(test_missing_lines_are_never_cut),
		cmocka_unit_test(test_refusal_after_keys_releases_them),
		cmocka_unit_test(test_argv_is_not_modified),
		cmocka_unit_test(test_option_tables),
		cmocka_unit_test(test_row_indexes),
		cmocka_unit_test(test_grammars_admit_their_rows),
		cmocka_unit_test(test_required_rows),
		cmocka_unit_test(test_split_words),
		cmocka_unit_test(test_split_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
