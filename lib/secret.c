// SPDX-License-Identifier: MIT
/* Key memory: slots carved from mmap'd pages that are locked against swapping and left out of
 * core dumps, wiped on free; it holds keys, everything derived from them, and every allocation
 * OpenSSL makes. Key text is decoded and encoded without branches or table lookups on the
 * key's bytes. */
#include "ipsec6/secret.h"

#include <sys/mman.h>

#include <errno.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "ipsec6/bytes.h"

/* Key memory may hold the only pointers to other allocations; LeakSanitizer scans the heap,
 * not our mappings, so under it they are declared as roots. */
#if defined(__SANITIZE_ADDRESS__)
#define SECRET_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SECRET_LSAN 1
#endif
#endif
#ifdef SECRET_LSAN
#include <sanitizer/lsan_interface.h>
#endif

/* Locked memory comes in size classes, each a free list of slots carved from chunks that are
 * mmap'd, locked against swapping and left out of core dumps. The allocator is process-wide so
 * that every key shares a few large mappings (per-key pages would split the address space into
 * one mapping per SA and hit vm.max_map_count near 32,000 SAs). The small classes serve
 * OpenSSL, whose allocations are mostly under 64 bytes (about 7,000 of them, 220 KB, once its
 * ciphers and digests are loaded). Chunks are never returned: a freed slot is wiped and
 * reused. */
#define SECRET_CHUNK ((size_t)64 * 1024)

static const size_t secret_class_size[] = { 32, 64, 128, 256, 512, 1024, 2048, 4096,
	SECRET_SLAB_MAX };
#define SECRET_CLASSES (sizeof(secret_class_size) / sizeof(secret_class_size[0]))

struct secret_slot {
	struct secret_slot *next;
};

static pthread_mutex_t secret_lock = PTHREAD_MUTEX_INITIALIZER;
static struct secret_slot *secret_free_list[SECRET_CLASSES];

static _Atomic uint64_t secret_allocs;
static _Atomic uint64_t secret_frees;
static _Atomic uint64_t secret_openssl_allocs;

static void *
secret_map(size_t size, bool wipe_on_fork)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	/* Best effort: without CAP_IPC_LOCK, RLIMIT_MEMLOCK may refuse; the keys still work. */
	(void)mlock(p, size);
	/* Best effort too: kernels before 3.4 lack MADV_DONTDUMP, before 4.14 MADV_WIPEONFORK. */
	(void)madvise(p, size, MADV_DONTDUMP);
	if (wipe_on_fork)
		(void)madvise(p, size, MADV_WIPEONFORK);
#ifdef SECRET_LSAN
	__lsan_register_root_region(p, size);
#endif
	return p;
}

/* Map one more chunk of slots of class c onto its free list. Called with secret_lock held. On
 * failure the list stays empty, which the caller reports as ENOMEM. */
static void
secret_slab_grow(size_t c)
{
	size_t slot = secret_class_size[c];
	uint8_t *chunk = secret_map(SECRET_CHUNK, false);

	if (chunk == NULL)
		return;
	for (size_t off = SECRET_CHUNK; off >= slot; off -= slot) {
		struct secret_slot *s = (struct secret_slot *)(void *)(chunk + off - slot);

		s->next = secret_free_list[c];
		secret_free_list[c] = s;
	}
}

static size_t
secret_class(size_t len)
{
	size_t c = 0;

	while (c < SECRET_CLASSES && secret_class_size[c] < len)
		c++;
	return c;
}

static size_t
secret_page_round(size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t size = page > 0 ? (size_t)page : 4096;

	return (len + size - 1) / size * size;
}

void *
secret_pages_alloc(size_t len, int wipe_on_fork)
{
	void *p;

	if (len == 0 || len > SIZE_MAX / 2) {
		errno = EINVAL;
		return NULL;
	}
	p = secret_map(secret_page_round(len), wipe_on_fork != 0);
	if (p == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	atomic_fetch_add_explicit(&secret_allocs, 1, memory_order_relaxed);
	return p;
}

void
secret_pages_free(void *p, size_t len)
{
	if (p == NULL)
		return;
	explicit_bzero(p, secret_page_round(len));
#ifdef SECRET_LSAN
	__lsan_unregister_root_region(p, secret_page_round(len));
#endif
	(void)munmap(p, secret_page_round(len));
	atomic_fetch_add_explicit(&secret_frees, 1, memory_order_relaxed);
}

void *
secret_mem_alloc(size_t len)
{
	size_t c = secret_class(len);
	struct secret_slot *slot;

	if (len == 0) {
		errno = EINVAL;
		return NULL;
	}
	if (c == SECRET_CLASSES)
		return secret_pages_alloc(len, 0);
	pthread_mutex_lock(&secret_lock);
	if (secret_free_list[c] == NULL)
		secret_slab_grow(c);
	slot = secret_free_list[c];
	if (slot != NULL)
		secret_free_list[c] = slot->next;
	pthread_mutex_unlock(&secret_lock);
	if (slot == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	memset(slot, 0, secret_class_size[c]);
	atomic_fetch_add_explicit(&secret_allocs, 1, memory_order_relaxed);
	return slot;
}

void
secret_mem_free(void *p, size_t len)
{
	size_t c = secret_class(len);
	struct secret_slot *slot = p;

	if (p == NULL)
		return;
	if (c == SECRET_CLASSES) {
		secret_pages_free(p, len);
		return;
	}
	explicit_bzero(p, secret_class_size[c]);
	pthread_mutex_lock(&secret_lock);
	slot->next = secret_free_list[c];
	secret_free_list[c] = slot;
	pthread_mutex_unlock(&secret_lock);
	atomic_fetch_add_explicit(&secret_frees, 1, memory_order_relaxed);
}

void
secret_mem_stats_read(struct secret_mem_stats *out)
{
	out->allocs = atomic_load_explicit(&secret_allocs, memory_order_relaxed);
	out->frees = atomic_load_explicit(&secret_frees, memory_order_relaxed);
	out->openssl_allocs = atomic_load_explicit(&secret_openssl_allocs, memory_order_relaxed);
}

/* OpenSSL keeps expanded keys in memory it allocates itself: EVP_CIPHER_CTX and its provider's
 * context (the AES-NI and DES schedules), the IV generator's ChaCha20 context. Nothing but its
 * allocator reaches that memory, so every OpenSSL allocation comes here: a slot with the
 * length in front, since OpenSSL frees without saying how much. The header keeps malloc's
 * 16-byte alignment. */
struct secret_ossl_head {
	alignas(16) size_t len;
};

static void *
secret_ossl_alloc(size_t num)
{
	struct secret_ossl_head *h;

	/* As OpenSSL's own: nothing for 0 bytes. */
	if (num == 0 || num > SIZE_MAX / 2)
		return NULL;
	h = secret_mem_alloc(sizeof(*h) + num);
	if (h == NULL)
		return NULL;
	h->len = num;
	return h + 1;
}

static void *
secret_ossl_malloc(size_t num, const char *file, int line)
{
	(void)file;
	(void)line;
	atomic_fetch_add_explicit(&secret_openssl_allocs, 1, memory_order_relaxed);
	return secret_ossl_alloc(num);
}

static void
secret_ossl_free(void *p, const char *file, int line)
{
	struct secret_ossl_head *h;

	(void)file;
	(void)line;
	if (p == NULL)
		return;
	h = (struct secret_ossl_head *)p - 1;
	secret_mem_free(h, sizeof(*h) + h->len);
}

static void *
secret_ossl_realloc(void *p, size_t num, const char *file, int line)
{
	struct secret_ossl_head *h;
	void *q;

	atomic_fetch_add_explicit(&secret_openssl_allocs, 1, memory_order_relaxed);
	if (p == NULL)
		return secret_ossl_alloc(num);
	if (num == 0) {
		secret_ossl_free(p, file, line);
		return NULL;
	}
	h = (struct secret_ossl_head *)p - 1;
	/* Within the slot's class, the slot itself will do (its tail is still zero or wiped). */
	if (secret_class(sizeof(*h) + num) == secret_class(sizeof(*h) + h->len) &&
	    secret_class(sizeof(*h) + num) < SECRET_CLASSES) {
		if (num < h->len)
			explicit_bzero((uint8_t *)p + num, h->len - num);
		h->len = num;
		return p;
	}
	q = secret_ossl_alloc(num);
	if (q == NULL)
		return NULL;
	memcpy(q, p, num < h->len ? num : h->len);
	secret_ossl_free(p, file, line);
	return q;
}

/* CRYPTO_set_mem_functions() is refused once OpenSSL has allocated anything, so this runs
 * before main(); libcrypto's own initialisers allocate nothing. */
__attribute__((constructor)) static void
secret_ossl_route(void)
{
	(void)CRYPTO_set_mem_functions(secret_ossl_malloc, secret_ossl_realloc, secret_ossl_free);
}

int
secret_mem_holds_openssl(void)
{
	CRYPTO_malloc_fn m = NULL;
	CRYPTO_realloc_fn r = NULL;
	CRYPTO_free_fn f = NULL;

	CRYPTO_get_mem_functions(&m, &r, &f);
	return m == secret_ossl_malloc && r == secret_ossl_realloc && f == secret_ossl_free;
}

struct secret *
secret_new(size_t len)
{
	struct secret *s;

	if (len == 0 || len > SECRET_MAX) {
		errno = EINVAL;
		return NULL;
	}
	s = secret_mem_alloc(sizeof(*s));
	if (s != NULL)
		s->len = len;
	return s;
}

void
secret_free(struct secret *s)
{
	secret_mem_free(s, sizeof(*s));
}

struct secret *
secret_dup(const struct secret *s)
{
	struct secret *copy;

	if (s == NULL)
		return NULL;
	copy = secret_new(s->len);
	if (copy != NULL)
		memcpy(copy->bytes, s->bytes, s->len);
	return copy;
}

int
secret_equal(const struct secret *a, const struct secret *b)
{
	/* The length is not secret (it follows from the algorithm); only the bytes are. */
	if (a->len != b->len)
		return 0;
	return bytes_ct_differ(a->bytes, b->bytes, a->len) == 0;
}

/* The value of hex digit c, or -1. The digit itself is found without a branch or a table
 * lookup on c (as libsodium's sodium_hex2bin), so timing does not reveal the key. */
static int
secret_hex_nibble(uint8_t c)
{
	uint8_t num = (uint8_t)(c ^ 48u);
	uint8_t num_ok = (uint8_t)((num - 10u) >> 8);
	uint8_t alpha = (uint8_t)((c & ~32u) - 55u);
	uint8_t alpha_ok = (uint8_t)(((alpha - 10u) ^ (alpha - 16u)) >> 8);

	if ((num_ok | alpha_ok) == 0)
		return -1;
	return (num_ok & num) | (alpha_ok & alpha);
}

/* The lower-case hex digit of n (0..15), without a branch on n. */
static char
secret_hex_digit(unsigned n)
{
	return (char)(uint8_t)(87u + n + (((n - 10u) >> 8) & ~38u));
}

/* Check key text and work out its length in bytes. Sets *hex for the "0x" form. */
static int
secret_text_len(const char *text, const char *what, bool *hex, size_t *len, struct err *err)
{
	size_t n = strlen(text);
	bool bad = false;

	*hex = n >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
	if (*hex) {
		if (n == 2)
			return err_set(err, EINVAL, "%s has no hex digits after 0x", what);
		/* No early exit: a bad digit's position is not worth telling a timing observer. */
		for (size_t i = 2; i < n; i++)
			bad |= secret_hex_nibble((uint8_t)text[i]) < 0;
		if (bad)
			return err_set(err, EINVAL,
			    "%s is not valid hex: only 0-9 and a-f may follow 0x", what);
		if ((n - 2) % 2 != 0)
			return err_set(err, EINVAL, "%s has an odd number of hex digits", what);
		*len = (n - 2) / 2;
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		bad |= (uint8_t)text[i] < 0x20 || (uint8_t)text[i] > 0x7e;
	if (bad)
		return err_set(err, EINVAL,
		    "%s has a character that is not printable ASCII (space to ~)", what);
	*len = n;
	return 0;
}

/* Decode 2 * len hex digits, all checked by secret_text_len() already. */
static void
secret_decode_hex(const char *digits, uint8_t *out, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned hi = (unsigned)secret_hex_nibble((uint8_t)digits[2 * i]);
		unsigned lo = (unsigned)secret_hex_nibble((uint8_t)digits[2 * i + 1]);

		out[i] = (uint8_t)(hi << 4 | lo);
	}
}

int
secret_parse(const char *text, const char *what, size_t *len, struct secret **out, struct err *err)
{
	struct secret *s;
	bool hex;
	int ret;

	*out = NULL;
	*len = 0;
	if (what == NULL)
		what = "key";
	if (text[0] == '\0')
		return 0;
	ret = secret_text_len(text, what, &hex, len, err);
	/* A key longer than any algorithm's is not held: its length says all there is to say. */
	if (ret != 0 || *len > SECRET_MAX)
		return ret;
	s = secret_new(*len);
	if (s == NULL)
		return err_set(err, ENOMEM, "out of memory for the %s", what);
	if (hex)
		secret_decode_hex(text + 2, s->bytes, *len);
	else
		memcpy(s->bytes, text, *len);
	*out = s;
	return 0;
}

int
secret_format_hex(const struct secret *s, char *buf, size_t buf_size)
{
	if (buf_size < 2 * s->len + 3)
		return -ENOSPC;
	buf[0] = '0';
	buf[1] = 'x';
	for (size_t i = 0; i < s->len; i++) {
		buf[2 + 2 * i] = secret_hex_digit(s->bytes[i] >> 4);
		buf[3 + 2 * i] = secret_hex_digit(s->bytes[i] & 0xfu);
	}
	buf[2 + 2 * s->len] = '\0';
	return 0;
}
