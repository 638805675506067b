// SPDX-License-Identifier: MIT
/* Published known-answer vectors (RFC 2202, RFC 4231, RFC 4868, RFC 3602, NIST SP 800-38A,
 * NIST TDES-CBC) run on
 * both crypto backends, through the helpers and through the ESP burst path; then ESP-level
 * round trips, tampering, mixed bursts across CRYPTO_BURST_MAX, and a small differential. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ipsec6/algo.h"
#include "ipsec6/bytes.h"
#include "ipsec6/crypto.h"
#include "ipsec6/secret.h"
#include "testlib.h"

/* White box: crypto_ipsecmb_set_des3_native(), to test both 3DES paths of ipsec-mb. */
#include "../../lib/crypto_internal.h"

#define PKT_MAX 2048
#define OPS_MAX 70

/* A byte string given as hex, or as fill_len copies of fill (for "0xaa repeated 80 times"). */
struct bytes_spec {
	const char *hex;
	const char *text;
	uint8_t fill;
	size_t fill_len;
};

#define HEX(s)             \
	{                  \
		.hex = (s) \
	}
#define TEXT(s)             \
	{                   \
		.text = (s) \
	}
#define FILL(b, n)                           \
	{                                    \
		.fill = (b), .fill_len = (n) \
	}

struct hmac_vector {
	const char *name;
	struct bytes_spec key;
	struct bytes_spec data;
	const char *mac; /* hex; may be truncated (RFC 4231 case 5) */
};

struct cipher_vector {
	const char *name;
	enum algo_enc enc;
	const char *key;
	const char *iv;
	struct bytes_spec plain;
	const char *cipher;
};

struct fixture {
	struct crypto_ctx *ctx[2];
	size_t n; /* backends available: OpenSSL always, ipsec-mb where the CPU allows */
	struct crypto_ctx *ref; /* OpenSSL, the reference for the mixed bursts */
};

/* RFC 2202 section 3: HMAC-SHA-1, test cases 1-7 (case 5's digest-96 is the prefix). */
static const struct hmac_vector rfc2202_sha1[] = {
	{ "rfc2202-1", FILL(0x0b, 20), TEXT("Hi There"),
	    "b617318655057264e28bc0b6fb378c8ef146be00" },
	{ "rfc2202-2", TEXT("Jefe"), TEXT("what do ya want for nothing?"),
	    "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
	{ "rfc2202-3", FILL(0xaa, 20), FILL(0xdd, 50), "125d7342b9ac11cd91a39af48aa17b4f63f175d3" },
	{ "rfc2202-4", HEX("0102030405060708090a0b0c0d0e0f10111213141516171819"), FILL(0xcd, 50),
	    "4c9007f4026250c6bc8414f9bf50c86c2d7235da" },
	{ "rfc2202-5", FILL(0x0c, 20), TEXT("Test With Truncation"),
	    "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04" },
	{ "rfc2202-6", FILL(0xaa, 80),
	    TEXT("Test Using Larger Than Block-Size Key - Hash Key First"),
	    "aa4ae5e15272d00e95705637ce8a3b55ed402112" },
	{ "rfc2202-7", FILL(0xaa, 80),
	    TEXT("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"),
	    "e8e99d0f45237d786d6bbaa7965c7808bbff1a91" },
};

/* RFC 4231 section 4: HMAC-SHA-256, test cases 1-7; case 5 is published truncated to 128
 * bits. */
static const struct hmac_vector rfc4231_sha256[] = {
	{ "rfc4231-1", FILL(0x0b, 20), TEXT("Hi There"),
	    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
	{ "rfc4231-2", TEXT("Jefe"), TEXT("what do ya want for nothing?"),
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
	{ "rfc4231-3", FILL(0xaa, 20), FILL(0xdd, 50),
	    "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
	{ "rfc4231-4", HEX("0102030405060708090a0b0c0d0e0f10111213141516171819"), FILL(0xcd, 50),
	    "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
	{ "rfc4231-5", FILL(0x0c, 20), TEXT("Test With Truncation"),
	    "a3b6167473100ee06e0c796c2955552b" },
	{ "rfc4231-6", FILL(0xaa, 131),
	    TEXT("Test Using Larger Than Block-Size Key - Hash Key First"),
	    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
	{ "rfc4231-7", FILL(0xaa, 131),
	    TEXT("This is a test using a larger than block-size key and a larger than "
		 "block-size data. The key needs to be hashed before being used by the HMAC "
		 "algorithm."),
	    "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
};

/* RFC 4868 section 2.7.2.1: PRF-HMAC-SHA-256 with 32-byte keys (AUTH256-1..4); the
 * HMAC-SHA-256-128 ICV is its first 16 bytes. */
static const struct hmac_vector rfc4868_auth256[] = {
	{ "AUTH256-1", FILL(0x0b, 32), TEXT("Hi There"),
	    "198a607eb44bfbc69903a0f1cf2bbdc5ba0aa3f3d9ae3c1c7a3b1696a0b68cf7" },
	{ "AUTH256-2", TEXT("JefeJefeJefeJefeJefeJefeJefeJefe"),
	    TEXT("what do ya want for nothing?"),
	    "167f928588c5cc2eef8e3093caa0e87c9ff566a14794aa61648d81621a2a40c6" },
	{ "AUTH256-3", FILL(0xaa, 32), FILL(0xdd, 50),
	    "cdcb1220d1ecccea91e53aba3092f962e549fe6ce9ed7fdc43191fbde45c30b0" },
	{ "AUTH256-4", HEX("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"),
	    FILL(0xcd, 50), "372efcf9b40b35c2115b1346903d2ef42fced46f0846e7257bb156d3d7b30d3f" },
};

/* RFC 4231 section 4: HMAC-SHA-384 and HMAC-SHA-512, test cases 1-7; case 5 is published
 * truncated to 128 bits. */
static const struct hmac_vector rfc4231_sha384[] = {
	{ "rfc4231-1", FILL(0x0b, 20), TEXT("Hi There"),
	    "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
	    "faea9ea9076ede7f4af152e8b2fa9cb6" },
	{ "rfc4231-2", TEXT("Jefe"), TEXT("what do ya want for nothing?"),
	    "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
	    "8e2240ca5e69e2c78b3239ecfab21649" },
	{ "rfc4231-3", FILL(0xaa, 20), FILL(0xdd, 50),
	    "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b"
	    "2a5ab39dc13814b94e3ab6e101a34f27" },
	{ "rfc4231-4", HEX("0102030405060708090a0b0c0d0e0f10111213141516171819"), FILL(0xcd, 50),
	    "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e"
	    "6801dd23c4a7d679ccf8a386c674cffb" },
	{ "rfc4231-5", FILL(0x0c, 20), TEXT("Test With Truncation"),
	    "3abf34c3503b2a23a46efc619baef897" },
	{ "rfc4231-6", FILL(0xaa, 131),
	    TEXT("Test Using Larger Than Block-Size Key - Hash Key First"),
	    "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
	    "0c2ef6ab4030fe8296248df163f44952" },
	{ "rfc4231-7", FILL(0xaa, 131),
	    TEXT("This is a test using a larger than block-size key and a larger than "
		 "block-size data. The key needs to be hashed before being used by the HMAC "
		 "algorithm."),
	    "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5"
	    "a678cc31e799176d3860e6110c46523e" },
};

static const struct hmac_vector rfc4231_sha512[] = {
	{ "rfc4231-1", FILL(0x0b, 20), TEXT("Hi There"),
	    "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
	    "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854" },
	{ "rfc4231-2", TEXT("Jefe"), TEXT("what do ya want for nothing?"),
	    "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
	    "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" },
	{ "rfc4231-3", FILL(0xaa, 20), FILL(0xdd, 50),
	    "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
	    "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb" },
	{ "rfc4231-4", HEX("0102030405060708090a0b0c0d0e0f10111213141516171819"), FILL(0xcd, 50),
	    "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
	    "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd" },
	{ "rfc4231-5", FILL(0x0c, 20), TEXT("Test With Truncation"),
	    "415fad6271580a531d4179bc891d87a6" },
	{ "rfc4231-6", FILL(0xaa, 131),
	    TEXT("Test Using Larger Than Block-Size Key - Hash Key First"),
	    "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
	    "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598" },
	{ "rfc4231-7", FILL(0xaa, 131),
	    TEXT("This is a test using a larger than block-size key and a larger than "
		 "block-size data. The key needs to be hashed before being used by the HMAC "
		 "algorithm."),
	    "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
	    "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58" },
};

/* RFC 4868 section 2.7.2.2 and 2.7.2.3: PRF-HMAC-SHA-384/512 with keys of the digest's length
 * (AUTH384-1..3, AUTH512-1..3; case 4's key text has errata 5506/5507 and is left out); the
 * HMAC-SHA-384-192 and HMAC-SHA-512-256 ICVs are their first halves. */
static const struct hmac_vector rfc4868_auth384[] = {
	{ "AUTH384-1", FILL(0x0b, 48), TEXT("Hi There"),
	    "b6a8d5636f5c6a7224f9977dcf7ee6c7fb6d0c48cbdee9737a959796489bddbc"
	    "4c5df61d5b3297b4fb68dab9f1b582c2" },
	{ "AUTH384-2", TEXT("JefeJefeJefeJefeJefeJefeJefeJefeJefeJefeJefeJefe"),
	    TEXT("what do ya want for nothing?"),
	    "2c7353974f1842fd66d53c452ca42122b28c0b594cfb184da86a368e9b8e16f5"
	    "349524ca4e82400cbde0686d403371c9" },
	{ "AUTH384-3", FILL(0xaa, 48), FILL(0xdd, 50),
	    "809f439be00274321d4a538652164b53554a508184a0c3160353e3428597003d"
	    "35914a18770f9443987054944b7c4b4a" },
};

static const struct hmac_vector rfc4868_auth512[] = {
	{ "AUTH512-1", FILL(0x0b, 64), TEXT("Hi There"),
	    "637edc6e01dce7e6742a99451aae82df23da3e92439e590e43e761b33e910fb8"
	    "ac2878ebd5803f6f0b61dbce5e251ff8789a4722c1be65aea45fd464e89f8f5b" },
	{ "AUTH512-2", TEXT("JefeJefeJefeJefeJefeJefeJefeJefeJefeJefeJefeJefeJefeJefeJefeJefe"),
	    TEXT("what do ya want for nothing?"),
	    "cb370917ae8a7ce28cfd1d8f4705d6141c173b2a9362c15df235dfb251b15454"
	    "6aa334ae9fb9afc2184932d8695e397bfa0ffb93466cfcceaae38c833b7dba38" },
	{ "AUTH512-3", FILL(0xaa, 64), FILL(0xdd, 50),
	    "2ee7acd783624ca9398710f3ee05ae41b9f9b0510c87e49e586cc9bf961733d8"
	    "623c7b55cebefccf02d5581acc1c9d5fb1ff68a1de45509fbe4da9a433922655" },
};

/* AES-GCM known answers of the GCM specification (McGrew and Viega, "The Galois/Counter Mode of
 * Operation", test cases 1-4 and 13-16: the ones with a 96-bit IV); the nonce's first 4 bytes
 * are taken as the salt, RFC 4106 style. */
struct gcm_vector {
	const char *name;
	enum algo_enc enc;
	const char *key; /* AES key */
	const char *nonce;
	const char *aad;
	const char *plain;
	const char *cipher;
	const char *tag;
};

#define GCM_P3                                                             \
	"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" \
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
#define GCM_P4                                                             \
	"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" \
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
#define GCM_AAD4 "feedfacedeadbeeffeedfacedeadbeefabaddad2"
#define GCM_K3   "feffe9928665731c6d6a8f9467308308"

static const struct gcm_vector gcm_spec[] = {
	{ "gcm-1", ALGO_ENC_AES128_GCM16, "00000000000000000000000000000000",
	    "000000000000000000000000", "", "", "", "58e2fccefa7e3061367f1d57a4e7455a" },
	{ "gcm-2", ALGO_ENC_AES128_GCM16, "00000000000000000000000000000000",
	    "000000000000000000000000", "", "00000000000000000000000000000000",
	    "0388dace60b6a392f328c2b971b2fe78", "ab6e47d42cec13bdf53a67b21257bddf" },
	{ "gcm-3", ALGO_ENC_AES128_GCM16, GCM_K3, "cafebabefacedbaddecaf888", "", GCM_P3,
	    "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	    "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
	    "4d5c2af327cd64a62cf35abd2ba6fab4" },
	{ "gcm-4", ALGO_ENC_AES128_GCM16, GCM_K3, "cafebabefacedbaddecaf888", GCM_AAD4, GCM_P4,
	    "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	    "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
	    "5bc94fbc3221a5db94fae95ae7121a47" },
	{ "gcm-13", ALGO_ENC_AES256_GCM16,
	    "0000000000000000000000000000000000000000000000000000000000000000",
	    "000000000000000000000000", "", "", "", "530f8afbc74536b9a963b4f1c4cb738b" },
	{ "gcm-14", ALGO_ENC_AES256_GCM16,
	    "0000000000000000000000000000000000000000000000000000000000000000",
	    "000000000000000000000000", "", "00000000000000000000000000000000",
	    "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919" },
	{ "gcm-15", ALGO_ENC_AES256_GCM16, GCM_K3 GCM_K3, "cafebabefacedbaddecaf888", "", GCM_P3,
	    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
	    "b094dac5d93471bdec1a502270e3cc6c" },
	{ "gcm-16", ALGO_ENC_AES256_GCM16, GCM_K3 GCM_K3, "cafebabefacedbaddecaf888", GCM_AAD4,
	    GCM_P4,
	    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
	    "76fc6ece0f4e1768cddf8853bb2d551b" },
};

/* draft-mcgrew-gcm-test-01 section 4: ESP packets under AES-GCM (RFC 4106), AAD = SPI and
 * 32-bit sequence number (8 bytes) or SPI and 64-bit extended sequence number (12 bytes); the
 * nonce is salt and IV. Case 7 (a 192-bit key) is left out: ipsec6 has no aes192-gcm16. */
static const struct gcm_vector gcm_esp[] = {
	{ "draft-1", ALGO_ENC_AES128_GCM16, "4c80cdefbb5d10da906ac73c3613a634",
	    "2e443b684956ed7e3b244cfe", "000043218765432100000000",
	    "45000048699a000080114db7c0a80102c0a801010a9bf15638d3010000010000"
	    "00000000045f736970045f756470037369700963796265726369747902646b00"
	    "0021000101020201",
	    "fecf537e729d5b07dc30df528dd22b768d1b98736696a6fd348509fa13ceac34"
	    "cfa2436f14a3f3cf65925bf1f4a13c5d15b21e1884f5ff6247aeabb786b93bce"
	    "61bc17d768fd9732",
	    "459018148f6cbe722fd04796562dfdb4" },
	{ "draft-2", ALGO_ENC_AES128_GCM16, GCM_K3, "cafebabefacedbaddecaf888", "0000a5f80000000a",
	    "4500003e698f000080114dccc0a80102c0a801010a980035002a2343b2d00100"
	    "0001000000000000037369700963796265726369747902646b00000100010001",
	    "deb22cd9b07c72c16e3a65beeb8df304a5a5897d33ae530f1ba76d5d114d2a5c"
	    "3de81827c10e9a4f51330d0eec416642cfbb85a5b47e48a4ec3b9ba95d918bd1",
	    "83b70d3aa8bc6ee4c309e9d85a41ad4a" },
	{ "draft-3", ALGO_ENC_AES256_GCM16,
	    "abbccddef00112233445566778899aababbccddef00112233445566778899aab",
	    "112233440102030405060708", "4a2cbfe300000002",
	    "4500003069a6400080062690c0a801029389155e0a9e008b2dc57ee000000000"
	    "7002400020bf0000020405b40101040201020201",
	    "ff425c9b724599df7a3bcd510194e00d6a78107f1b0b1cbf06efae9d65a5d763"
	    "748a637985771d347f0545659f14e99def842d8e",
	    "b335f4eecfdbf831824b4c4915956c96" },
	{ "draft-4", ALGO_ENC_AES128_GCM16, "00000000000000000000000000000000",
	    "000000000000000000000000", "0000000000000001",
	    "4500003c99c500008001cb7a40679318010101010800075c0200440061626364"
	    "65666768696a6b6c6d6e6f707172737475767761626364656667686901020201",
	    "4688daf2f973a392732909c331d56d60f694abaa414b5e7ff5fdcdfff5e9a284"
	    "456476492719ffb64de7d9dca1e1d894bc3bd57873ed4d181d19d4d5c8c18af3",
	    "f821d496eeb096e98ad2b69e4799c71d" },
	{ "draft-5", ALGO_ENC_AES128_GCM16, "3de09874b388e6491988d0c3607eae1f",
	    "57690e434e280000a2fca1a3", "42f67e3f1010101010101010",
	    "4500003c99c300008001cb7c40679318010101010800085c0200430061626364"
	    "65666768696a6b6c6d6e6f707172737475767761626364656667686901020201",
	    "fba2caa4853cf9f0f22cb10d86dd83b0fec75691cf1a04b00d1138ec9c357917"
	    "65acbd8701ad79845bf9fe3fba487bc91755e6662b4c8d0d1f5e22739530320a",
	    "e0d731cc978ecafaeae88f00e80d6e48" },
	{ "draft-6", ALGO_ENC_AES128_GCM16, "3de09874b388e6491988d0c3607eae1f",
	    "57690e434e280000a2fca1a3", "42f67e3f1010101010101010",
	    "4500001c42a200008001441f406793b6e00000020a00f5ff01020201",
	    "fba2ca845e5df9f0f22c3e6e86dd831e1fc65792cd1af9130e1379ed",
	    "369f071f35e034be95f112e4e7d05d35" },
	{ "draft-8", ALGO_ENC_AES128_GCM16, "abbccddef00112233445566778899aab",
	    "decaf888cafedebaceface74", "000001000000000000000001",
	    "4500004933ba00007f119106c3fb1d10c2b1d326c02831ce0035dd7b800302d5"
	    "00004e20001e8c18d75b81dc91baa0476b91b924b280389d92c963bac046ec95"
	    "9b6266c04722b14923010101",
	    "18a6fd42f72cbf4ab2a2ea901f73d814e3e7f243d95412e1c349c1d2fbec168f"
	    "9190feebaf2cb01984e65863965d7472b79da345e0e780191f0d2f0e0f496c22"
	    "6f2127b27db35724e7845d68",
	    "651f57e65f354f75ff17015769623436" },
	{ "draft-9", ALGO_ENC_AES256_GCM16,
	    "abbccddef00112233445566778899aababbccddef00112233445566778899aab",
	    "73616c74616e640169766563", "17405e67156f3126dd0db99b",
	    "45080028732c00004006e9f90a0106120a01038f06b88023dd6bafbecb712602"
	    "50101f646d540001",
	    "f2d69ecdbd5a0d5b8d5ef38bad4da58d1f278fde98ef67549d524a3018d9a57f"
	    "f4d3a31ce673119e",
	    "451626c2415771e3b7eebca614c89b35" },
	{ "draft-10", ALGO_ENC_AES128_GCM16, "3de09874b388e6491988d0c3607eae1f",
	    "57690e434e280000a2fca1a3", "42f67e3f1010101010101010",
	    "45000049333e00007f119182c3fb1d10c2b1d326c02831ce0035cb458003025b"
	    "000001e0001e8c18d65759d52284a0352c71475c8880391c764d6e5ee0496b32"
	    "5ae270c03899493915010101",
	    "fba2cad12fc1f9f00d3cebf305410db83d7784b607323d220f24b0a97d541828"
	    "00cadb0f68d99ef0e0c0c89ae9bea8884e52d65bc1afd0740f742444747b5b39"
	    "ab533163aad4550ee5160975",
	    "cdb608c5769189609763b8e18caa81e2" },
	{ "draft-11", ALGO_ENC_AES256_GCM16,
	    "abbccddef00112233445566778899aababbccddef00112233445566778899aab",
	    "73616c74616e640169766563", "17405e67156f3126dd0db99b",
	    "636973636f0172756c657301746865016e6574776501646566696e6501746865"
	    "746563686e6f6c6f67696573017468617477696c6c01646566696e65746f6d6f"
	    "72726f7701020201",
	    "d4b7ed86a1777f2ea13d6973d324c69e7b43f826fb56831226508bebd2dceb18"
	    "d0a6df10e5487df074113e14c641024e3e6773d91a62ee429b043a10e3efe6b0"
	    "12a49363412364f8",
	    "c0cac587f249e56b11e24f30e44ccc76" },
	{ "draft-12", ALGO_ENC_AES128_GCM16, "7d773d00c144c525ac619d18c84a3f47",
	    "d966426743457e9182443bc6", "335467aeffffffff", "01020201", "437f866b",
	    "cb3f699fe9b0822bac961c4504bef270" },
	{ "draft-13", ALGO_ENC_AES128_GCM16, "abbccddef00112233445566778899aab",
	    "decaf888cafedebaceface74", "000001000000000000000001",
	    "746f016265016f72016e6f7401746f0162650001", "29c9fc69a197d038ccdd14e2ddfcaa0543332164",
	    "412503524303ed3c6c5f283843af8c3e" },
	{ "draft-14", ALGO_ENC_AES256_GCM16,
	    "6c6567616c697a656d6172696a75616e61616e64646f69746265666f72656961",
	    "7475726e333021696765746d", "796b6963ffffffffffffffff",
	    "45000030da3a00008001df3bc0a80005c0a800010800c6cd0200070061626364"
	    "65666768696a6b6c6d6e6f707172737401020201",
	    "f97ab2aa356d8edce17644ac8c78e25dd24dedbb29ebf1b64a274b39b49c3a86"
	    "4cd3d78ca4ae68a32b42458fb57dbe821dcc63b9",
	    "d0937ba2945f669368661a329fb4c053" },
};

static const struct cipher_vector cipher_vectors[] = {
	/* RFC 3602 section 4, cases 1-4. */
	{ "rfc3602-1", ALGO_ENC_AES128_CBC, "06a9214036b8a15b512e03d534120006",
	    "3dafba429d9eb430b422da802c9fac41", TEXT("Single block msg"),
	    "e353779c1079aeb82708942dbe77181a" },
	{ "rfc3602-2", ALGO_ENC_AES128_CBC, "c286696d887c9aa0611bbb3e2025a45a",
	    "562e17996d093d28ddb3ba695a2e6f58",
	    HEX("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"),
	    "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1" },
	{ "rfc3602-3", ALGO_ENC_AES128_CBC, "6c3ea0477630ce21a2ce334aa746c2cd",
	    "c782dc4c098c66cbd9cd27d825682c81",
	    TEXT("This is a 48-byte message (exactly 3 AES blocks)"),
	    "d0a02b3836451753d493665d33f0e8862dea54cdb293abc7506939276772f8d5"
	    "021c19216bad525c8579695d83ba2684" },
	{ "rfc3602-4", ALGO_ENC_AES128_CBC, "56e47a38c5598974bc46903dba290349",
	    "8ce82eefbea0da3c44699ed7db51b7d9",
	    HEX("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
		"c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"),
	    "c30e32ffedc0774e6aff6af0869f71aa0f3af07a9a31a9c684db207eb0ef8e4e"
	    "35907aa632c3ffdf868bb7b29d3d46ad83ce9f9a102ee99d49a53e87f4c3da55" },
	/* NIST SP 800-38A section F.2.5, CBC-AES256.Encrypt: four blocks. */
	{ "sp800-38a-f25", ALGO_ENC_AES256_CBC,
	    "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
	    "000102030405060708090a0b0c0d0e0f",
	    HEX("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		"30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710"),
	    "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
	    "39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b" },
	/* NIST CSRC "Examples with Intermediate Values", TDES_CBC.pdf (TDEA of SP 800-67 in the
	 * CBC mode of SP 800-38A): three independent keys, four blocks. */
	{ "nist-tdes-cbc", ALGO_ENC_3DES_CBC, "0123456789abcdef23456789abcdef01456789abcdef0123",
	    "f69f2445df4f9b17",
	    HEX("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"),
	    "2079c3d53aa763e193b79e2569ab5262516570481f25b50f73c0bda85c8e0da7" },
};

static size_t
spec_bytes(const struct bytes_spec *s, uint8_t *out, size_t max)
{
	if (s->hex != NULL)
		return tl_hex_decode(s->hex, out, max);
	if (s->text != NULL) {
		assert_true(strlen(s->text) <= max);
		memcpy(out, s->text, strlen(s->text));
		return strlen(s->text);
	}
	assert_true(s->fill_len <= max);
	memset(out, s->fill, s->fill_len);
	return s->fill_len;
}

static struct secret
secret_of(const uint8_t *bytes, size_t len)
{
	struct secret s = { .len = len };

	assert_true(len <= SECRET_MAX);
	memcpy(s.bytes, bytes, len);
	return s;
}

static int
setup(void **state)
{
	static const enum crypto_backend backends[] = { CRYPTO_BACKEND_OPENSSL,
		CRYPTO_BACKEND_IPSECMB };
	static struct fixture f;
	struct err err = { { 0 } };

	memset(&f, 0, sizeof(f));
	for (size_t i = 0; i < 2; i++) {
		int rc = crypto_ctx_new(backends[i], &f.ctx[f.n], &err);

		if (rc == 0)
			f.n++;
		else if (backends[i] == CRYPTO_BACKEND_IPSECMB && rc == -ENOTSUP)
			print_message("ipsec-mb skipped: %s\n", err.msg);
		else
			return -1;
	}
	f.ref = f.ctx[0];
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	for (size_t i = 0; i < f->n; i++)
		crypto_ctx_free(f->ctx[i]);
	return 0;
}

static void
run_hmac_vectors(struct fixture *f, enum algo_auth auth, const struct hmac_vector *v, size_t n)
{
	for (size_t b = 0; b < f->n; b++) {
		for (size_t i = 0; i < n; i++) {
			uint8_t key[256], data[256], want[64], got[64];
			size_t key_len = spec_bytes(&v[i].key, key, sizeof(key));
			size_t data_len = spec_bytes(&v[i].data, data, sizeof(data));
			size_t want_len = tl_hex_decode(v[i].mac, want, sizeof(want));

			memset(got, 0, sizeof(got));
			assert_int_equal(
			    crypto_hmac(f->ctx[b], auth, key, key_len, data, data_len, got), 0);
			if (memcmp(got, want, want_len) != 0)
				fail_msg("%s on %s: HMAC differs", v[i].name,
				    crypto_backend_name(crypto_ctx_backend(f->ctx[b])));
		}
	}
}

static void
test_hmac_sha1_rfc2202(void **state)
{
	run_hmac_vectors(*state, ALGO_AUTH_HMAC_SHA1, rfc2202_sha1,
	    sizeof(rfc2202_sha1) / sizeof(rfc2202_sha1[0]));
}

static void
test_hmac_sha256_rfc4231(void **state)
{
	run_hmac_vectors(*state, ALGO_AUTH_HMAC_SHA256, rfc4231_sha256,
	    sizeof(rfc4231_sha256) / sizeof(rfc4231_sha256[0]));
}

static void
test_hmac_sha384_rfc4231(void **state)
{
	run_hmac_vectors(*state, ALGO_AUTH_HMAC_SHA384, rfc4231_sha384,
	    sizeof(rfc4231_sha384) / sizeof(rfc4231_sha384[0]));
}

static void
test_hmac_sha512_rfc4231(void **state)
{
	run_hmac_vectors(*state, ALGO_AUTH_HMAC_SHA512, rfc4231_sha512,
	    sizeof(rfc4231_sha512) / sizeof(rfc4231_sha512[0]));
}

static void
test_hmac_sha384_512_rfc4868_prf(void **state)
{
	run_hmac_vectors(*state, ALGO_AUTH_HMAC_SHA384, rfc4868_auth384,
	    sizeof(rfc4868_auth384) / sizeof(rfc4868_auth384[0]));
	run_hmac_vectors(*state, ALGO_AUTH_HMAC_SHA512, rfc4868_auth512,
	    sizeof(rfc4868_auth512) / sizeof(rfc4868_auth512[0]));
}

static void
test_hmac_sha256_rfc4868_prf(void **state)
{
	run_hmac_vectors(*state, ALGO_AUTH_HMAC_SHA256, rfc4868_auth256,
	    sizeof(rfc4868_auth256) / sizeof(rfc4868_auth256[0]));
}

/* The ESP path with null encryption: the ICV over data must be the vector's truncated MAC, and
 * decrypt_burst must accept it. Only vectors whose key has the ESP key length apply. */
static void
run_icv_vectors(struct fixture *f, enum algo_auth auth, const struct hmac_vector *v, size_t n)
{
	const struct algo_auth_info *ai = algo_auth_info(auth);
	size_t used = 0;

	for (size_t b = 0; b < f->n; b++) {
		for (size_t i = 0; i < n; i++) {
			uint8_t key[256], data[256], want[64], icv[64];
			size_t key_len = spec_bytes(&v[i].key, key, sizeof(key));
			size_t data_len = spec_bytes(&v[i].data, data, sizeof(data));
			struct secret ak = secret_of(key, key_len <= SECRET_MAX ? key_len : 0);
			struct crypto_key *ck = NULL;
			struct crypto_op op;

			if (key_len != ai->key_len)
				continue;
			used++;
			(void)tl_hex_decode(v[i].mac, want, sizeof(want));
			assert_int_equal(crypto_key_new(crypto_ctx_backend(f->ctx[b]),
					     ALGO_ENC_NULL, NULL, auth, &ak, &ck, NULL),
			    0);
			op = (struct crypto_op){
				.key = ck, .buf = data, .auth_len = (uint32_t)data_len, .icv = icv
			};
			crypto_encrypt_burst(f->ctx[b], &op, 1);
			assert_int_equal(op.status, CRYPTO_OK);
			if (memcmp(icv, want, ai->icv_len) != 0)
				fail_msg("%s on %s: ICV differs", v[i].name,
				    crypto_backend_name(crypto_ctx_backend(f->ctx[b])));
			crypto_decrypt_burst(f->ctx[b], &op, 1);
			assert_int_equal(op.status, CRYPTO_OK);
			crypto_key_free(ck);
		}
	}
	assert_true(used > 0);
}

static void
test_hmac_sha1_96_icv_rfc2202(void **state)
{
	run_icv_vectors(*state, ALGO_AUTH_HMAC_SHA1, rfc2202_sha1,
	    sizeof(rfc2202_sha1) / sizeof(rfc2202_sha1[0]));
}

static void
test_hmac_sha256_128_icv_rfc4868(void **state)
{
	run_icv_vectors(*state, ALGO_AUTH_HMAC_SHA256, rfc4868_auth256,
	    sizeof(rfc4868_auth256) / sizeof(rfc4868_auth256[0]));
}

static void
test_hmac_sha384_192_sha512_256_icv_rfc4868(void **state)
{
	run_icv_vectors(*state, ALGO_AUTH_HMAC_SHA384, rfc4868_auth384,
	    sizeof(rfc4868_auth384) / sizeof(rfc4868_auth384[0]));
	run_icv_vectors(*state, ALGO_AUTH_HMAC_SHA512, rfc4868_auth512,
	    sizeof(rfc4868_auth512) / sizeof(rfc4868_auth512[0]));
}

static void
test_cipher_vectors_helper(void **state)
{
	struct fixture *f = *state;

	for (size_t b = 0; b < f->n; b++) {
		for (size_t i = 0; i < sizeof(cipher_vectors) / sizeof(cipher_vectors[0]); i++) {
			const struct cipher_vector *v = &cipher_vectors[i];
			uint8_t key[32], iv[16], plain[128], want[128], got[128];
			size_t len = spec_bytes(&v->plain, plain, sizeof(plain));

			(void)tl_hex_decode(v->key, key, sizeof(key));
			(void)tl_hex_decode(v->iv, iv, sizeof(iv));
			assert_int_equal(tl_hex_decode(v->cipher, want, sizeof(want)), len);
			assert_int_equal(
			    crypto_cipher(f->ctx[b], v->enc, key, iv, plain, got, len, 1), 0);
			if (memcmp(got, want, len) != 0)
				fail_msg("%s encrypt on %s differs", v->name,
				    crypto_backend_name(crypto_ctx_backend(f->ctx[b])));
			assert_int_equal(
			    crypto_cipher(f->ctx[b], v->enc, key, iv, want, got, len, 0), 0);
			if (memcmp(got, plain, len) != 0)
				fail_msg("%s decrypt on %s differs", v->name,
				    crypto_backend_name(crypto_ctx_backend(f->ctx[b])));
		}
	}
}

/* The SA key of a GCM vector: the AES key, then the nonce's first 4 bytes as the salt. */
static size_t
gcm_key(const struct gcm_vector *v, uint8_t *key)
{
	size_t len = tl_hex_decode(v->key, key, 32);
	uint8_t nonce[12];

	assert_int_equal(tl_hex_decode(v->nonce, nonce, sizeof(nonce)), sizeof(nonce));
	memcpy(key + len, nonce, 4);
	return len + 4;
}

/* The GCM specification's cases through crypto_aead(): AAD of any length (case 4: 20 bytes),
 * empty plaintext; the tag refuses any changed bit of AAD, ciphertext or tag. */
static void
test_gcm_spec_helper(void **state)
{
	struct fixture *f = *state;

	for (size_t b = 0; b < f->n; b++) {
		for (size_t i = 0; i < sizeof(gcm_spec) / sizeof(gcm_spec[0]); i++) {
			const struct gcm_vector *v = &gcm_spec[i];
			uint8_t key[36], nonce[12], aad[32], plain[64], want[64], got[64], tag[16],
			    want_tag[16];
			size_t aad_len = tl_hex_decode(v->aad, aad, sizeof(aad));
			size_t len = tl_hex_decode(v->plain, plain, sizeof(plain));
			struct crypto_aead_req req = { v->enc, key, nonce + 4, aad, aad_len, plain,
				got, len, tag, 1 };

			(void)gcm_key(v, key);
			(void)tl_hex_decode(v->nonce, nonce, sizeof(nonce));
			assert_int_equal(tl_hex_decode(v->cipher, want, sizeof(want)), len);
			(void)tl_hex_decode(v->tag, want_tag, sizeof(want_tag));
			assert_int_equal(crypto_aead(f->ctx[b], &req), 0);
			if (memcmp(got, want, len) != 0 || memcmp(tag, want_tag, 16) != 0)
				fail_msg("%s encrypt on %s differs", v->name,
				    crypto_backend_name(crypto_ctx_backend(f->ctx[b])));
			req = (struct crypto_aead_req){ v->enc, key, nonce + 4, aad, aad_len, want,
				got, len, tag, 0 };
			assert_int_equal(crypto_aead(f->ctx[b], &req), 0);
			assert_memory_equal(got, plain, len);
			tag[15] ^= 0x80;
			assert_int_equal(crypto_aead(f->ctx[b], &req), -EBADMSG);
			tag[15] ^= 0x80;
			if (aad_len > 0) {
				aad[0] ^= 1;
				assert_int_equal(crypto_aead(f->ctx[b], &req), -EBADMSG);
				aad[0] ^= 1;
			}
			if (len > 0) {
				want[len - 1] ^= 1;
				assert_int_equal(crypto_aead(f->ctx[b], &req), -EBADMSG);
				for (size_t j = 0; j < len; j++)
					assert_int_equal(got[j], 0);
			}
		}
	}
}

/* draft-mcgrew-gcm-test's ESP packets through encrypt_burst/decrypt_burst: ESP header (SPI and
 * the low half of the sequence number), IV, payload; a 12-byte AAD is an extended sequence
 * number, its high half in op.seq_hi. Ciphertext and ICV must be the published ones. */
static void
test_gcm_esp_packets_rfc4106(void **state)
{
	struct fixture *f = *state;

	for (size_t b = 0; b < f->n; b++) {
		for (size_t i = 0; i < sizeof(gcm_esp) / sizeof(gcm_esp[0]); i++) {
			const struct gcm_vector *v = &gcm_esp[i];
			uint8_t buf[256] = { 0 }, nonce[12], aad[12], plain[128], want[128],
				want_tag[16], key[36];
			size_t aad_len = tl_hex_decode(v->aad, aad, sizeof(aad));
			size_t len = tl_hex_decode(v->plain, plain, sizeof(plain));
			struct secret ek = secret_of(key, gcm_key(v, key));
			struct crypto_key *ck = NULL;
			struct crypto_op op = { .buf = buf,
				.auth_len = (uint32_t)(ESP_HDR_LEN + 8 + len),
				.cipher_off = ESP_HDR_LEN + 8,
				.cipher_len = (uint32_t)len,
				.iv = buf + ESP_HDR_LEN,
				.icv = buf + ESP_HDR_LEN + 8 + len,
				.esn = aad_len == 12 };

			(void)tl_hex_decode(v->nonce, nonce, sizeof(nonce));
			memcpy(buf, aad, 4);
			memcpy(buf + 4, aad + aad_len - 4, 4);
			op.seq_hi = aad_len == 12 ? load_be32(aad + 4) : 0;
			memcpy(buf + ESP_HDR_LEN, nonce + 4, 8);
			memcpy(buf + ESP_HDR_LEN + 8, plain, len);
			assert_int_equal(tl_hex_decode(v->cipher, want, sizeof(want)), len);
			(void)tl_hex_decode(v->tag, want_tag, sizeof(want_tag));
			assert_int_equal(crypto_key_new(crypto_ctx_backend(f->ctx[b]), v->enc, &ek,
					     ALGO_AUTH_NONE, NULL, &ck, NULL),
			    0);
			op.key = ck;
			crypto_encrypt_burst(f->ctx[b], &op, 1);
			assert_int_equal(op.status, CRYPTO_OK);
			if (memcmp(buf + op.cipher_off, want, len) != 0 ||
			    memcmp(op.icv, want_tag, 16) != 0)
				fail_msg("%s on %s differs", v->name,
				    crypto_backend_name(crypto_ctx_backend(f->ctx[b])));
			crypto_decrypt_burst(f->ctx[b], &op, 1);
			assert_int_equal(op.status, CRYPTO_OK);
			assert_memory_equal(buf + op.cipher_off, plain, len);
			/* The high half is authenticated though never sent. */
			if (op.esn) {
				crypto_encrypt_burst(f->ctx[b], &op, 1);
				op.seq_hi ^= 1;
				crypto_decrypt_burst(f->ctx[b], &op, 1);
				assert_int_equal(op.status, CRYPTO_BAD_ICV);
				assert_memory_equal(buf + op.cipher_off, want, len);
			}
			crypto_key_free(ck);
		}
	}
}

/* The same vectors through encrypt_burst/decrypt_burst: packet = ESP header, IV, plaintext. */
static void
test_cipher_vectors_esp_path(void **state)
{
	static const uint8_t auth_key[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	struct fixture *f = *state;
	struct secret ak = secret_of(auth_key, 20);

	for (size_t b = 0; b < f->n; b++) {
		for (size_t i = 0; i < sizeof(cipher_vectors) / sizeof(cipher_vectors[0]); i++) {
			const struct cipher_vector *v = &cipher_vectors[i];
			uint8_t key[32], buf[256] = { 0 }, plain[128], want[128], icv[12];
			size_t iv_len = tl_hex_decode(v->iv, buf + ESP_HDR_LEN, 16);
			size_t off = ESP_HDR_LEN + iv_len;
			size_t len = spec_bytes(&v->plain, buf + off, 128);
			struct secret ek = secret_of(key, tl_hex_decode(v->key, key, sizeof(key)));
			struct crypto_key *ck = NULL;
			struct crypto_op op = { .buf = buf,
				.auth_len = (uint32_t)(off + len),
				.cipher_off = (uint32_t)off,
				.cipher_len = (uint32_t)len,
				.iv = buf + ESP_HDR_LEN,
				.icv = icv };

			memcpy(plain, buf + off, len);
			(void)tl_hex_decode(v->cipher, want, sizeof(want));
			assert_int_equal(crypto_key_new(crypto_ctx_backend(f->ctx[b]), v->enc, &ek,
					     ALGO_AUTH_HMAC_SHA1, &ak, &ck, NULL),
			    0);
			op.key = ck;
			crypto_encrypt_burst(f->ctx[b], &op, 1);
			assert_int_equal(op.status, CRYPTO_OK);
			assert_memory_equal(buf + off, want, len);
			crypto_decrypt_burst(f->ctx[b], &op, 1);
			assert_int_equal(op.status, CRYPTO_OK);
			assert_memory_equal(buf + off, plain, len);
			crypto_key_free(ck);
		}
	}
}

/* ---- ESP-level tests on made-up packets ---- */

struct suite {
	enum algo_enc enc;
	enum algo_auth auth;
	int esn; /* extended sequence numbers: a random high half in the ICV or AAD */
};

static const struct suite suites[] = {
	{ ALGO_ENC_NULL, ALGO_AUTH_HMAC_SHA1, 0 },
	{ ALGO_ENC_NULL, ALGO_AUTH_HMAC_SHA256, 0 },
	{ ALGO_ENC_3DES_CBC, ALGO_AUTH_HMAC_SHA1, 0 },
	{ ALGO_ENC_3DES_CBC, ALGO_AUTH_HMAC_SHA256, 0 },
	{ ALGO_ENC_AES128_CBC, ALGO_AUTH_HMAC_SHA1, 0 },
	{ ALGO_ENC_AES128_CBC, ALGO_AUTH_HMAC_SHA256, 0 },
	{ ALGO_ENC_AES128_CBC, ALGO_AUTH_HMAC_SHA384, 0 },
	{ ALGO_ENC_AES256_CBC, ALGO_AUTH_HMAC_SHA1, 0 },
	{ ALGO_ENC_AES256_CBC, ALGO_AUTH_HMAC_SHA512, 0 },
	{ ALGO_ENC_3DES_CBC, ALGO_AUTH_HMAC_SHA512, 0 },
	{ ALGO_ENC_NULL, ALGO_AUTH_HMAC_SHA384, 0 },
	{ ALGO_ENC_AES128_GCM16, ALGO_AUTH_NONE, 0 },
	{ ALGO_ENC_AES256_GCM16, ALGO_AUTH_NONE, 0 },
	{ ALGO_ENC_AES128_GCM16, ALGO_AUTH_NONE, 1 },
	{ ALGO_ENC_AES256_GCM16, ALGO_AUTH_NONE, 1 },
	{ ALGO_ENC_AES128_CBC, ALGO_AUTH_HMAC_SHA1, 1 },
	{ ALGO_ENC_AES256_CBC, ALGO_AUTH_HMAC_SHA512, 1 },
	{ ALGO_ENC_NULL, ALGO_AUTH_HMAC_SHA256, 1 },
	{ ALGO_ENC_3DES_CBC, ALGO_AUTH_HMAC_SHA384, 1 },
};
#define N_SUITES (sizeof(suites) / sizeof(suites[0]))

/* Raw key bytes of one SA, for the reference computation. */
struct sa_keys {
	struct suite suite;
	struct secret ek;
	struct secret ak;
};

static void
sa_keys_make(struct sa_keys *k, const struct suite *s, uint64_t *seed)
{
	k->suite = *s;
	k->ek = (struct secret){ .len = algo_enc_info(s->enc)->key_len };
	k->ak = (struct secret){ .len = algo_auth_info(s->auth)->key_len };
	tl_rand_fill(seed, k->ek.bytes, k->ek.len);
	tl_rand_fill(seed, k->ak.bytes, k->ak.len);
}

static struct crypto_key *
sa_key_new(const struct sa_keys *k, enum crypto_backend backend)
{
	struct crypto_key *ck = NULL;
	struct err err = { { 0 } };

	if (crypto_key_new(backend, k->suite.enc, k->suite.enc == ALGO_ENC_NULL ? NULL : &k->ek,
		k->suite.auth, k->suite.auth == ALGO_AUTH_NONE ? NULL : &k->ak, &ck, &err) != 0)
		fail_msg("crypto_key_new: %s", err.msg);
	return ck;
}

/* Lay a packet out in buf: ESP header, IV, payload of payload_len (rounded up to the block),
 * ICV; fill header, IV and payload from seed; point op at it. Returns the packet length. */
static size_t
packet_make(
    uint8_t *buf, const struct suite *s, size_t payload_len, uint64_t *seed, struct crypto_op *op)
{
	size_t block = algo_enc_info(s->enc)->block_len;
	size_t iv_len = algo_enc_info(s->enc)->iv_len;
	size_t len = (payload_len + block - 1) / block * block;
	size_t icv_len = algo_icv_len(s->enc, s->auth);

	assert_true(ESP_HDR_LEN + iv_len + len + icv_len <= PKT_MAX);
	memset(buf, 0, PKT_MAX);
	tl_rand_fill(seed, buf, ESP_HDR_LEN + iv_len + len);
	*op = (struct crypto_op){
		.buf = buf,
		.auth_off = 0,
		.auth_len = (uint32_t)(ESP_HDR_LEN + iv_len + len),
		.cipher_off = (uint32_t)(ESP_HDR_LEN + iv_len),
		.cipher_len = (uint32_t)len,
		.iv = buf + ESP_HDR_LEN,
		.icv = buf + ESP_HDR_LEN + iv_len + len,
		.seq_hi = s->esn ? (uint32_t)tl_rand_next(seed) : 0,
		.esn = (uint8_t)s->esn,
		.status = CRYPTO_FAILED,
	};
	return ESP_HDR_LEN + iv_len + len + icv_len;
}

/* What encrypt_burst must produce, from the known-answer helpers of the reference context:
 * RFC 4106 with the AAD SPI, [ESN high half], sequence number (section 5); or CBC, then the
 * HMAC over the auth region followed by the ESN high half (RFC 4303 section 3.3.2.1). */
static void
reference_encrypt(struct crypto_ctx *ref, const struct sa_keys *k, const uint8_t *plain,
    const struct crypto_op *op, uint8_t *out)
{
	static uint8_t msg[PKT_MAX + 4];
	uint8_t digest[64], aad[12];
	size_t aad_len = 8;

	memcpy(out, plain, op->auth_len);
	if (algo_enc_is_aead(k->suite.enc)) {
		struct crypto_aead_req req = { k->suite.enc, k->ek.bytes, op->iv, aad, 0,
			plain + op->cipher_off, out + op->cipher_off, op->cipher_len,
			out + op->auth_len, 1 };

		memcpy(aad, plain + op->auth_off, 4);
		if (op->esn) {
			store_be32(aad + 4, op->seq_hi);
			aad_len = 12;
		}
		memcpy(aad + aad_len - 4, plain + op->auth_off + 4, 4);
		req.aad_len = aad_len;
		assert_int_equal(crypto_aead(ref, &req), 0);
		return;
	}
	if (k->suite.enc != ALGO_ENC_NULL)
		assert_int_equal(
		    crypto_cipher(ref, k->suite.enc, k->ek.bytes, op->iv, plain + op->cipher_off,
			out + op->cipher_off, op->cipher_len, 1),
		    0);
	memcpy(msg, out + op->auth_off, op->auth_len);
	store_be32(msg + op->auth_len, op->seq_hi);
	assert_int_equal(crypto_hmac(ref, k->suite.auth, k->ak.bytes, k->ak.len, msg,
			     op->auth_len + (op->esn ? 4 : 0), digest),
	    0);
	memcpy(out + op->auth_len, digest, algo_auth_info(k->suite.auth)->icv_len);
}

static void
test_esp_round_trip_every_suite(void **state)
{
	struct fixture *f = *state;
	uint64_t seed = 0x1234;

	for (size_t b = 0; b < f->n; b++) {
		enum crypto_backend backend = crypto_ctx_backend(f->ctx[b]);

		for (size_t s = 0; s < N_SUITES; s++) {
			uint8_t buf[PKT_MAX], plain[PKT_MAX], want[PKT_MAX];
			struct sa_keys k;
			struct crypto_op op;
			struct crypto_key *ck;
			size_t len;

			sa_keys_make(&k, &suites[s], &seed);
			ck = sa_key_new(&k, backend);
			len = packet_make(buf, &suites[s], 100 + s, &seed, &op);
			op.key = ck;
			memcpy(plain, buf, len);
			reference_encrypt(f->ref, &k, plain, &op, want);
			crypto_encrypt_burst(f->ctx[b], &op, 1);
			assert_int_equal(op.status, CRYPTO_OK);
			assert_memory_equal(buf, want, len);
			if (suites[s].enc != ALGO_ENC_NULL)
				assert_memory_not_equal(
				    buf + op.cipher_off, plain + op.cipher_off, op.cipher_len);
			crypto_decrypt_burst(f->ctx[b], &op, 1);
			assert_int_equal(op.status, CRYPTO_OK);
			assert_memory_equal(buf, plain, op.auth_len);
			crypto_key_free(ck);
		}
	}
}

/* Flipping any one bit of header, IV, ciphertext or ICV must give CRYPTO_BAD_ICV and leave
 * the buffer exactly as received (verify before decrypt: nothing was decrypted). */
static void
test_tampered_byte_bad_icv_buffer_untouched(void **state)
{
	struct fixture *f = *state;
	uint64_t seed = 0x77;

	for (size_t b = 0; b < f->n; b++) {
		for (size_t s = 0; s < N_SUITES; s++) {
			uint8_t buf[PKT_MAX], sent[PKT_MAX];
			struct sa_keys k;
			struct crypto_op op;
			struct crypto_key *ck;
			size_t len;

			sa_keys_make(&k, &suites[s], &seed);
			ck = sa_key_new(&k, crypto_ctx_backend(f->ctx[b]));
			len = packet_make(buf, &suites[s], 64, &seed, &op);
			op.key = ck;
			crypto_encrypt_burst(f->ctx[b], &op, 1);
			assert_int_equal(op.status, CRYPTO_OK);
			memcpy(sent, buf, len);
			for (size_t pos = 0; pos < len; pos++) {
				memcpy(buf, sent, len);
				buf[pos] ^= (uint8_t)(1u << (pos % 8));
				crypto_decrypt_burst(f->ctx[b], &op, 1);
				assert_int_equal(op.status, CRYPTO_BAD_ICV);
				sent[pos] ^= (uint8_t)(1u << (pos % 8));
				assert_memory_equal(buf, sent, len);
				sent[pos] ^= (uint8_t)(1u << (pos % 8));
			}
			crypto_key_free(ck);
		}
	}
}

/* Bursts of 1..70 ops (across CRYPTO_BURST_MAX) mixing every suite and several keys per
 * suite and payload sizes; every op is checked against the reference, then every fifth op is
 * tampered with before decryption. */
#define N_MIXED_KEYS (3 * N_SUITES)

struct mixed_keys {
	struct sa_keys raw[N_MIXED_KEYS];
	struct crypto_key *ck[N_MIXED_KEYS];
};

static void
run_mixed_burst(
    struct fixture *f, size_t b, size_t n, const struct mixed_keys *keys, uint64_t *seed)
{
	static uint8_t bufs[OPS_MAX][PKT_MAX], plain[OPS_MAX][PKT_MAX], want[OPS_MAX][PKT_MAX];
	struct crypto_op ops[OPS_MAX];
	size_t lens[OPS_MAX];

	for (size_t i = 0; i < n; i++) {
		size_t ki = (i * 7 + n) % N_MIXED_KEYS;

		lens[i] = packet_make(
		    bufs[i], &keys->raw[ki].suite, 1 + (i * 37 + n * 11) % 1400, seed, &ops[i]);
		ops[i].key = keys->ck[ki];
		memcpy(plain[i], bufs[i], lens[i]);
		reference_encrypt(f->ref, &keys->raw[ki], plain[i], &ops[i], want[i]);
	}
	crypto_encrypt_burst(f->ctx[b], ops, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ops[i].status, CRYPTO_OK);
		assert_memory_equal(bufs[i], want[i], lens[i]);
		if (i % 5 == 4)
			bufs[i][(i * 13) % lens[i]] ^= 0x40;
	}
	crypto_decrypt_burst(f->ctx[b], ops, n);
	for (size_t i = 0; i < n; i++) {
		if (i % 5 == 4) {
			assert_int_equal(ops[i].status, CRYPTO_BAD_ICV);
			want[i][(i * 13) % lens[i]] ^= 0x40;
			assert_memory_equal(bufs[i], want[i], lens[i]);
		} else {
			assert_int_equal(ops[i].status, CRYPTO_OK);
			assert_memory_equal(bufs[i], plain[i], ops[i].auth_len);
		}
	}
}

static void
test_mixed_bursts_1_to_70(void **state)
{
	static struct mixed_keys keys;
	struct fixture *f = *state;
	uint64_t seed = 0xc0ffee;

	for (size_t i = 0; i < N_MIXED_KEYS; i++)
		sa_keys_make(&keys.raw[i], &suites[i % N_SUITES], &seed);
	for (size_t b = 0; b < f->n; b++) {
		for (size_t i = 0; i < N_MIXED_KEYS; i++)
			keys.ck[i] = sa_key_new(&keys.raw[i], crypto_ctx_backend(f->ctx[b]));
		for (size_t n = 1; n <= OPS_MAX; n++)
			run_mixed_burst(f, b, n, &keys, &seed);
		for (size_t i = 0; i < N_MIXED_KEYS; i++)
			crypto_key_free(keys.ck[i]);
	}
}

/* ipsec-mb runs 3DES either in its own jobs (AVX-512) or through OpenSSL beside its HMAC jobs
 * (the default elsewhere): both ways must give the reference packets and verify. */
static void
test_ipsecmb_3des_jobs_and_fallback(void **state)
{
	static uint8_t bufs[8][PKT_MAX], plain[8][PKT_MAX], want[8][PKT_MAX];
	struct fixture *f = *state;
	uint64_t seed = 0xde5;
	struct sa_keys keys[2];

	if (f->n < 2)
		skip();
	sa_keys_make(&keys[0], &suites[2], &seed);
	sa_keys_make(&keys[1], &suites[3], &seed);
	for (int native = 0; native < 2; native++) {
		struct crypto_ctx *ctx = NULL;
		struct crypto_key *ck[2];
		struct crypto_op ops[8];
		size_t lens[8];

		assert_int_equal(crypto_ctx_new(CRYPTO_BACKEND_IPSECMB, &ctx, NULL), 0);
		crypto_ipsecmb_set_des3_native(ctx, native);
		ck[0] = sa_key_new(&keys[0], CRYPTO_BACKEND_IPSECMB);
		ck[1] = sa_key_new(&keys[1], CRYPTO_BACKEND_IPSECMB);
		for (size_t i = 0; i < 8; i++) {
			lens[i] =
			    packet_make(bufs[i], &keys[i % 2].suite, 8 + 24 * i, &seed, &ops[i]);
			ops[i].key = ck[i % 2];
			memcpy(plain[i], bufs[i], lens[i]);
			reference_encrypt(f->ref, &keys[i % 2], plain[i], &ops[i], want[i]);
		}
		crypto_encrypt_burst(ctx, ops, 8);
		for (size_t i = 0; i < 8; i++) {
			assert_int_equal(ops[i].status, CRYPTO_OK);
			assert_memory_equal(bufs[i], want[i], lens[i]);
		}
		bufs[3][ESP_HDR_LEN + 8] ^= 1; /* the first ciphertext byte */
		crypto_decrypt_burst(ctx, ops, 8);
		for (size_t i = 0; i < 8; i++) {
			assert_int_equal(ops[i].status, i == 3 ? CRYPTO_BAD_ICV : CRYPTO_OK);
			if (i != 3)
				assert_memory_equal(bufs[i], plain[i], ops[i].auth_len);
		}
		crypto_key_free(ck[0]);
		crypto_key_free(ck[1]);
		crypto_ctx_free(ctx);
	}
}

/* Both backends give byte-identical packets for the same input, and each decrypts the other's
 * output. */
static void
test_backends_agree(void **state)
{
	struct fixture *f = *state;
	uint64_t seed = 0xd1ff;

	if (f->n < 2)
		skip();
	for (size_t round = 0; round < 40; round++) {
		const struct suite *s = &suites[round % N_SUITES];
		uint8_t a[PKT_MAX], b[PKT_MAX];
		struct crypto_op oa, ob;
		struct crypto_key *ka, *kb;
		struct sa_keys k;
		size_t len;

		sa_keys_make(&k, s, &seed);
		ka = sa_key_new(&k, crypto_ctx_backend(f->ctx[0]));
		kb = sa_key_new(&k, crypto_ctx_backend(f->ctx[1]));
		len = packet_make(a, s, 1 + (tl_rand_next(&seed) % 1500), &seed, &oa);
		memcpy(b, a, len);
		ob = oa;
		ob.buf = b;
		ob.iv = b + (oa.iv - a);
		ob.icv = b + (oa.icv - a);
		oa.key = ka;
		ob.key = kb;
		crypto_encrypt_burst(f->ctx[0], &oa, 1);
		crypto_encrypt_burst(f->ctx[1], &ob, 1);
		assert_int_equal(oa.status, CRYPTO_OK);
		assert_int_equal(ob.status, CRYPTO_OK);
		assert_memory_equal(a, b, len);
		/* Cross over: each backend decrypts what the other encrypted. */
		oa.key = kb;
		ob.key = ka;
		crypto_decrypt_burst(f->ctx[1], &oa, 1);
		crypto_decrypt_burst(f->ctx[0], &ob, 1);
		assert_int_equal(oa.status, CRYPTO_OK);
		assert_int_equal(ob.status, CRYPTO_OK);
		assert_memory_equal(a, b, len);
		crypto_key_free(ka);
		crypto_key_free(kb);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hmac_sha1_rfc2202),
		cmocka_unit_test(test_hmac_sha256_rfc4231),
		cmocka_unit_test(test_hmac_sha256_rfc4868_prf),
		cmocka_unit_test(test_hmac_sha384_rfc4231),
		cmocka_unit_test(test_hmac_sha512_rfc4231),
		cmocka_unit_test(test_hmac_sha384_512_rfc4868_prf),
		cmocka_unit_test(test_hmac_sha1_96_icv_rfc2202),
		cmocka_unit_test(test_hmac_sha256_128_icv_rfc4868),
		cmocka_unit_test(test_hmac_sha384_192_sha512_256_icv_rfc4868),
		cmocka_unit_test(test_cipher_vectors_helper),
		cmocka_unit_test(test_cipher_vectors_esp_path),
		cmocka_unit_test(test_gcm_spec_helper),
		cmocka_unit_test(test_gcm_esp_packets_rfc4106),
		cmocka_unit_test(test_esp_round_trip_every_suite),
		cmocka_unit_test(test_tampered_byte_bad_icv_buffer_untouched),
		cmocka_unit_test(test_mixed_bursts_1_to_70),
		cmocka_unit_test(test_ipsecmb_3des_jobs_and_fallback),
		cmocka_unit_test(test_backends_agree),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
