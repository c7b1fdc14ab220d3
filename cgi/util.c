/* util.c: small validated conversions (see util.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "util.h"

int
utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t	 i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t	 len;
		uint32_t cp, min;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			len = 2; cp = c & 0x1F; min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3; cp = c & 0x0F; min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			len = 4; cp = c & 0x07; min = 0x10000;
		} else
			return 0;
		if (n - i < len)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

void
utf8_trim(char *s)
{
	size_t	 n = strlen(s), i = n, need;

	/* back up over continuation bytes to the last lead byte */
	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80 && n - i < 3)
		i--;
	if (i == 0 || (unsigned char)s[i - 1] < 0x80)
		return;
	need = ((unsigned char)s[i - 1] & 0xE0) == 0xC0 ? 2 : ((unsigned char)s[i - 1] & 0xF0) == 0xE0 ? 3 :
	    ((unsigned char)s[i - 1] & 0xF8) == 0xF0 ? 4 : 0;
	if (need == 0 || n - (i - 1) < need)
		s[i - 1] = '\0';
}

size_t
text_apostrophe(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (p[0] == '\'')
		return 1;
	if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x98 || p[2] == 0x99))
		return 3;
	if (p[0] == 0xCA && p[1] == 0xBC)
		return 2;
	return 0;
}

size_t
text_mark(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (p[0] == 0xE2 && (p[1] == 0x80 || p[1] == 0x81) && p[2] >= 0x80 && p[2] <= 0xBF &&
	    !(p[1] == 0x81 && p[2] > 0xAF))
		return 3;	/* U+2000 to U+206F */
	if ((p[0] == 0xC2 && p[1] == 0xA0) || (p[0] == 0xCA && p[1] == 0xBC))
		return 2;	/* U+00A0, U+02BC */
	return 0;
}

size_t
text_word_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t	 n = 0;

	for (;;) {
		if ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') || (p[n] >= '0' && p[n] <= '9'))
			n++;
		else if (p[n] >= 0x80 && text_mark(s + n) == 0)
			n++;
		else
			return n;
	}
}

int
text_word_start(const char *text, const char *p)
{
	unsigned char c = p > text ? (unsigned char)p[-1] : 0;

	if (p == text)
		return 1;
	if (c < 0x80)
		return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
	return (p - text >= 3 && text_mark(p - 3) == 3) || (p - text >= 2 && text_mark(p - 2) == 2);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long
pct_decode(char *dst, const char *src, size_t n, int plus_is_space)
{
	size_t	 i, o = 0;

	for (i = 0; i < n; i++) {
		char c = src[i];

		if (c == '%') {
			int hi, lo;

			if (n - i < 3 || (hi = hexval(src[i + 1])) < 0 || (lo = hexval(src[i + 2])) < 0)
				return -1;
			c = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && plus_is_space)
			c = ' ';
		if (c == '\0')
			return -1;
		dst[o++] = c;
	}
	dst[o] = '\0';
	if (!utf8_valid(dst, o))
		return -1;
	return (long)o;
}

int
parse_int(const char *s, long long min, long long max, long long *out)
{
	char	*end;
	long long v;
	const char *p = s;

	if (s == NULL || *s == '\0')
		return -1;
	if (*p == '-')
		p++;
	for (; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
time_human(const char *iso, char *out, size_t outsz)
{
	static const char *const months[12] = { "January", "February", "March", "April", "May",
	    "June", "July", "August", "September", "October", "November", "December" };
	int	 y, m, d;

	if (iso == NULL || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 ||
	    d < 1 || d > 31) {
		snprintf(out, outsz, "%s", iso ? iso : "");
		return -1;
	}
	snprintf(out, outsz, "%s %d, %d", months[m - 1], d, y);
	return 0;
}

/* The test clock (time_test_clock): the file holding its offset, NULL while the clock is real (set
 * once, before any thread), and the last offset read from the file. */
static const char *test_clock_path;
static _Atomic long long test_clock_offset;

/* Reads the offset in test_clock_path into *out. Returns 0, or -1 when the file cannot be read or
 * holds anything but an offset. */
static int
test_clock_read(long long *out)
{
	char	 b[32];
	ssize_t	 n;
	int	 fd;

	if ((fd = open(test_clock_path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, b, sizeof(b) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	b[n] = '\0';
	if (b[n - 1] == '\n')
		b[n - 1] = '\0';
	return parse_int(b, -TIME_TEST_CLOCK_MAX, TIME_TEST_CLOCK_MAX, out);
}

int
time_test_clock(const char *path)
{
	long long off;

	test_clock_path = path;
	if (test_clock_read(&off) == -1) {
		test_clock_path = NULL;
		return -1;
	}
	atomic_store(&test_clock_offset, off);
	return 0;
}

time_t
time_now(void)
{
	long long off;

	if (test_clock_path == NULL)
		return time(NULL);
	if (test_clock_read(&off) == 0)
		atomic_store(&test_clock_offset, off);
	else
		off = atomic_load(&test_clock_offset);
	return time(NULL) + (time_t)off;
}

void
time_now_iso(char out[21])
{
	time_t	 t = time_now();
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int
random_bytes(void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n > 0) {
		ssize_t r = getrandom(p, n, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

int
random_hex(char *out, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[64];

	if (n > sizeof(raw) || random_bytes(raw, n) == -1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[raw[i] >> 4];
		out[2 * i + 1] = hex[raw[i] & 15];
	}
	out[2 * n] = '\0';
	return 0;
}

uint64_t
hash64(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;

	/* Eight bytes a step: this runs over every reply body for its ETag. */
	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h ^= w;
		h *= 0xff51afd7ed558ccdULL;
		h ^= h >> 31;
	}
	for (; n > 0; p++, n--) {
		h ^= *p;
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

int
str_equal_ct(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b);
	unsigned char diff = 0;

	if (la != lb)
		return 0;
	for (size_t i = 0; i < la; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}

long long
time_mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static long alloc_fail_at;			/* 0: never */
static _Thread_local long alloc_count;
static _Thread_local int alloc_failures;

static void *
json_malloc_hooked(size_t n)
{
	return evqa_malloc(n);
}

void
alloc_hook_init(void)
{
	const char *v = getenv("EVQA_ALLOC_FAIL");
	long long n;

	if (v == NULL || parse_int(v, 1, 1000000, &n) == -1)
		return;
	alloc_fail_at = (long)n;
	json_set_alloc_funcs(json_malloc_hooked, free);
}

void
alloc_hook_request(void)
{
	alloc_count = 0;
	alloc_failures = 0;
}

int
alloc_failed(void)
{
	return alloc_failures > 0;
}

void *
evqa_malloc(size_t n)
{
	void	*p = alloc_fail_at != 0 && ++alloc_count == alloc_fail_at ? NULL : malloc(n);

	if (p == NULL)
		alloc_failures++;
	return p;
}

void *
evqa_realloc(void *old, size_t n)
{
	void	*p = alloc_fail_at != 0 && ++alloc_count == alloc_fail_at ? NULL : realloc(old, n);

	if (p == NULL)
		alloc_failures++;
	return p;
}
