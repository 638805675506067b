// SPDX-License-Identifier: MIT
/* Key material lives only here: slots carved from mmap'd pages that are locked against swapping
 * and left out of core dumps, wiped on free. Key text is decoded and encoded without branches or
 * table lookups on the key's bytes. */
#include "ipsec6/secret.h"

#include <sys/mman.h>

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "ipsec6/bytes.h"

/* Key memory may hold the only pointers to OpenSSL's per-key contexts; LeakSanitizer scans the
 * heap, not our mappings, so under it they are declared as roots. */
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

/* Locked memory comes in a few size classes, each a free list of slots carved from chunks
 * that are mmap'd, locked against swapping and left out of core dumps. The allocator is
 * process-wide so that every key shares a few large mappings (per-key pages would split the
 * address space into one mapping per SA and hit vm.max_map_count near 32,000 SAs). Chunks are
 * never returned: keys are few and long-lived, and a freed slot is wiped and reused. */
#define SECRET_CHUNK ((size_t)64 * 1024)

static const size_t secret_class_size[] = { 128, 512, 2048 };
#define SECRET_CLASSES (sizeof(secret_class_size) / sizeof(secret_class_size[0]))

struct secret_slot {
	struct secret_slot *next;
};

static pthread_mutex_t secret_lock = PTHREAD_MUTEX_INITIALIZER;
static struct secret_slot *secret_free_list[SECRET_CLASSES];

static void *
secret_map(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	/* Best effort: without CAP_IPC_LOCK, RLIMIT_MEMLOCK may refuse; the keys still work. */
	(void)mlock(p, size);
	/* Best effort too: kernels before 3.4 lack MADV_DONTDUMP. */
	(void)madvise(p, size, MADV_DONTDUMP);
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
	uint8_t *chunk = secret_map(SECRET_CHUNK);

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
secret_mem_alloc(size_t len)
{
	size_t c = secret_class(len);
	struct secret_slot *slot;

	if (len == 0) {
		errno = EINVAL;
		return NULL;
	}
	if (c == SECRET_CLASSES) {
		void *p = secret_map(secret_page_round(len));

		if (p == NULL)
			errno = ENOMEM;
		return p;
	}
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
		explicit_bzero(p, secret_page_round(len));
#ifdef SECRET_LSAN
		__lsan_unregister_root_region(p, secret_page_round(len));
#endif
		(void)munmap(p, secret_page_round(len));
		return;
	}
	explicit_bzero(p, secret_class_size[c]);
	pthread_mutex_lock(&secret_lock);
	slot->next = secret_free_list[c];
	secret_free_list[c] = slot;
	pthread_mutex_unlock(&secret_lock);
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
secret_parse(const char *text, size_t want_len, const char *what, const char *algo_name,
    struct secret **out, struct err *err)
{
	struct secret *s;
	size_t len = 0;
	bool hex;
	int ret;

	if (what == NULL)
		what = "key";
	if (algo_name == NULL)
		algo_name = "the algorithm";
	if (want_len == 0 || want_len > SECRET_MAX)
		return err_set(err, EINVAL, "%s is not used by %s", what, algo_name);
	if (text == NULL || text[0] == '\0')
		return err_set(
		    err, EINVAL, "%s is empty, %s needs %zu bytes", what, algo_name, want_len);
	ret = secret_text_len(text, what, &hex, &len, err);
	if (ret != 0)
		return ret;
	if (len != want_len)
		return err_set(err, EINVAL, "%s is %zu byte%s, %s needs %zu", what, len,
		    len == 1 ? "" : "s", algo_name, want_len);
	s = secret_new(len);
	if (s == NULL)
		return err_set(err, ENOMEM, "out of memory for the %s", what);
	if (hex)
		secret_decode_hex(text + 2, s->bytes, len);
	else
		memcpy(s->bytes, text, len);
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
