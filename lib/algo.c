// SPDX-License-Identifier: MIT
/* The algorithm table (RFC 2410, 2451, 3602, 4106, 2404, 4868) and the key rules it implies.
 * The Wireshark names are those tshark 4.0's esp_sa table accepts (AES-CBC and AES-GCM of
 * either key length are one name each there: the key's length tells them apart; a combined
 * mode's authentication is "NULL"). */
#include "ipsec6/algo.h"

#include <errno.h>

#include "ipsec6/names.h"

#define GCM_WIRESHARK "AES-GCM with 16 octet ICV [RFC4106]"

static const struct algo_enc_info enc_table[ALGO_ENC__COUNT] = {
	[ALGO_ENC_NULL] = { "null", "NULL", 0, 1, 0, 0, 0 },
	[ALGO_ENC_3DES_CBC] = { "3des-cbc", "TripleDES-CBC [RFC2451]", 24, 8, 8, 0, 0 },
	[ALGO_ENC_AES128_CBC] = { "aes128-cbc", "AES-CBC [RFC3602]", 16, 16, 16, 0, 0 },
	[ALGO_ENC_AES256_CBC] = { "aes256-cbc", "AES-CBC [RFC3602]", 32, 16, 16, 0, 0 },
	/* RFC 4106 section 8.1: the key is the AES key and then a 4-byte salt; section 3.1: an
	 * 8-byte IV; section 3.2: no block padding (ESP's 4-byte alignment only); section 6: a
	 * 16-byte ICV here. */
	[ALGO_ENC_AES128_GCM16] = { "aes128-gcm16", GCM_WIRESHARK, 16 + 4, 1, 8, 4, 16 },
	[ALGO_ENC_AES256_GCM16] = { "aes256-gcm16", GCM_WIRESHARK, 32 + 4, 1, 8, 4, 16 },
};

static const struct algo_auth_info auth_table[ALGO_AUTH__COUNT] = {
	[ALGO_AUTH_HMAC_SHA1] = { "hmac-sha1", "HMAC-SHA-1-96 [RFC2404]", 20, 12, 20, 64 },
	[ALGO_AUTH_HMAC_SHA256] = { "hmac-sha2-256", "HMAC-SHA-256-128 [RFC4868]", 32, 16, 32, 64 },
	/* RFC 4868 section 2.1.1: the key is as long as the digest; section 2.1.2: the ICV is half
	 * of it. */
	[ALGO_AUTH_HMAC_SHA384] = { "hmac-sha2-384", "HMAC-SHA-384-192 [RFC4868]", 48, 24, 48,
	    128 },
	[ALGO_AUTH_HMAC_SHA512] = { "hmac-sha2-512", "HMAC-SHA-512-256 [RFC4868]", 64, 32, 64,
	    128 },
	[ALGO_AUTH_NONE] = { "", "NULL", 0, 0, 0, 0 },
};

const struct algo_enc_info *
algo_enc_info(enum algo_enc enc)
{
	return &enc_table[enc];
}

const struct algo_auth_info *
algo_auth_info(enum algo_auth auth)
{
	return &auth_table[auth];
}

int
algo_enc_lookup(const char *name, enum algo_enc *out, struct err *err)
{
	int i = names_parse(NAMES_TABLE(enc_table), name, "encryption algorithm", err);

	if (i < 0)
		return i;
	*out = (enum algo_enc)i;
	return 0;
}

int
algo_auth_lookup(const char *name, enum algo_auth *out, struct err *err)
{
	int i = names_parse(NAMES_TABLE(auth_table), name, "integrity algorithm", err);

	if (i < 0)
		return i;
	*out = (enum algo_auth)i;
	return 0;
}

size_t
algo_icv_len(enum algo_enc enc, enum algo_auth auth)
{
	return algo_enc_is_aead(enc) ? algo_enc_info(enc)->icv_len : algo_auth_info(auth)->icv_len;
}

/* A key of len bytes (0: none) where the algorithm called name wants want (not 0). */
static int
algo_key_len(const char *what, const char *name, size_t want, size_t len, struct err *err)
{
	if (len == 0)
		return err_set(err, EINVAL, "%s needs an %s of %zu bytes", name, what, want);
	if (len != want)
		return err_set(err, EINVAL, "%s is %zu byte%s, %s needs %zu", what, len,
		    len == 1 ? "" : "s", name, want);
	return 0;
}

int
algo_enc_key_check(enum algo_enc enc, size_t len, struct err *err)
{
	const struct algo_enc_info *ei;

	if ((unsigned)enc >= ALGO_ENC__COUNT)
		return err_set(err, EINVAL, "encryption algorithm %d is unknown", (int)enc);
	ei = algo_enc_info(enc);
	if (ei->key_len == 0)
		return len == 0 ? 0 : err_set(err, EINVAL, "%s encryption takes no key", ei->name);
	/* A combined mode key has two parts: say which, for the mistake of leaving out the salt. */
	if (ei->salt_len != 0 && len != 0 && len != ei->key_len)
		return err_set(err, EINVAL,
		    "encryption key is %zu byte%s, %s needs %zu: the %zu-byte AES key, then the "
		    "%zu-byte salt (RFC 4106)",
		    len, len == 1 ? "" : "s", ei->name, ei->key_len, ei->key_len - ei->salt_len,
		    ei->salt_len);
	return algo_key_len("encryption key", ei->name, ei->key_len, len, err);
}

int
algo_auth_key_check(enum algo_enc enc, enum algo_auth auth, size_t len, struct err *err)
{
	const struct algo_enc_info *ei;
	const struct algo_auth_info *ai;

	if ((unsigned)enc >= ALGO_ENC__COUNT)
		return err_set(err, EINVAL, "encryption algorithm %d is unknown", (int)enc);
	if ((unsigned)auth >= ALGO_AUTH__COUNT)
		return err_set(err, EINVAL, "integrity algorithm %d is unknown", (int)auth);
	ei = algo_enc_info(enc);
	ai = algo_auth_info(auth);
	/* RFC 4303 section 3.2: a combined mode algorithm provides integrity itself; any other
	 * cipher, null included, needs an integrity algorithm here. */
	if (algo_enc_is_aead(enc) && auth != ALGO_AUTH_NONE)
		return err_set(err, EINVAL,
		    "%s takes no integrity algorithm: it protects integrity itself (RFC 4106)",
		    ei->name);
	if (algo_enc_is_aead(enc))
		return len == 0 ? 0 : err_set(err, EINVAL, "%s takes no integrity key", ei->name);
	if (auth == ALGO_AUTH_NONE)
		return err_set(err, EINVAL, "%s needs an integrity algorithm", ei->name);
	return algo_key_len("integrity key", ai->name, ai->key_len, len, err);
}

int
algo_keys_check(
    enum algo_enc enc, size_t enc_len, enum algo_auth auth, size_t auth_len, struct err *err)
{
	int rc = algo_enc_key_check(enc, enc_len, err);

	return rc != 0 ? rc : algo_auth_key_check(enc, auth, auth_len, err);
}
