/* util.h: small validated conversions shared by every module. */
#ifndef EVQA_UTIL_H
#define EVQA_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Returns 1 when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
int	 utf8_valid(const char *s, size_t n);

/* Cuts s at its end so that it does not end inside a UTF-8 sequence (after a truncating snprintf). */
void	 utf8_trim(char *s);

/* The words of a text, as questions, search and snippets read them: letters, digits and other
 * non-ASCII characters, but not the punctuation phones and word processors write (the General
 * Punctuation block, U+2000 to U+206F: typographic quotes and apostrophes, dashes, the ellipsis;
 * the no-break space; U+02BC), so that "Bell’s palsy" reads as "Bell's palsy" and "pain—what" as
 * two words. text_apostrophe() gives the length of an apostrophe at p (', U+2018, U+2019, U+02BC),
 * text_mark() that of any such non-ASCII mark, text_word_len() that of the word that starts at p;
 * each is 0 when none stands there. */
size_t	 text_apostrophe(const char *p);
size_t	 text_mark(const char *p);
size_t	 text_word_len(const char *p);
/* 1 when p, a place in text, starts a word: it is text's start, or what stands before it is no part
 * of a word (an ASCII character other than a letter or digit, or a mark). */
int	 text_word_start(const char *text, const char *p);

/* Decodes percent-encoding of src[0..n) into dst (which holds at least n + 1 bytes), '+' becoming a
 * space when plus_is_space. Returns the decoded length, or -1 on a bad escape, an encoded or raw NUL,
 * or a result that is not valid UTF-8. dst is NUL-terminated. */
long	 pct_decode(char *dst, const char *src, size_t n, int plus_is_space);

/* Parses a whole decimal integer in [min, max]: digits with an optional leading '-', nothing else.
 * Returns 0 and sets *out, or -1. */
int	 parse_int(const char *s, long long min, long long max, long long *out);

/* Formats an evqa time 'YYYY-MM-DDTHH:MM:SSZ' as "July 25, 2025" into out (>= 32 bytes).
 * Returns 0, or -1 when the time is malformed (out is then the input, truncated). */
int	 time_human(const char *iso, char *out, size_t outsz);
/* The wall clock in seconds since the epoch: time(NULL), moved by the test clock when one is set
 * (time_test_clock). Every date or time of day evqa stores, shows or compares comes from here;
 * durations and deadlines use time_mono_ms. Safe from any thread. */
time_t	 time_now(void);
/* Writes time_now() as UTC 'YYYY-MM-DDTHH:MM:SSZ' (21 bytes with the NUL). */
void	 time_now_iso(char out[21]);
/* For tests only. From now on time_now() is the real time plus the offset written in the file at
 * path: a whole number of seconds, optionally negative, within TIME_TEST_CLOCK_MAX, with an optional
 * newline; the file is read at every call, so a test moves the clock by rewriting it (atomically:
 * while it holds anything else the last offset read stays). Returns 0, or -1 (the clock stays real)
 * when the file cannot be read or does not hold an offset now. path is kept, not copied. Called
 * once at start-up, before any thread, with the environment variable EVQA_TEST_CLOCK (main.c): a
 * request can never set it. */
int	 time_test_clock(const char *path);
#define TIME_TEST_CLOCK_MAX	(100LL * 366 * 86400)
/* Milliseconds on the monotonic clock (for deadlines and waits). */
long long time_mono_ms(void);

/* Fills buf with n random bytes from the kernel; returns 0 or -1. */
int	 random_bytes(void *buf, size_t n);
/* Writes n random bytes as 2n lowercase hex digits and a NUL into out; returns 0 or -1. */
int	 random_hex(char *out, size_t n);

/* A fast 64-bit hash of n bytes: for ETags, not for security. */
uint64_t hash64(const void *, size_t);

/* Compares two NUL-terminated strings in time that depends only on their lengths; 1 when equal. */
int	 str_equal_ct(const char *, const char *);

/* The allocation-failure hook, for tests: with EVQA_ALLOC_FAIL=N in the environment of evqa serve,
 * the N-th allocation of each request made through evqa's allocators (request memory, reply and
 * string buffers, jansson) fails. alloc_hook_init() reads the variable and routes jansson through
 * the hook; the server calls alloc_hook_request() as each request starts. Without the variable
 * the allocators are malloc and realloc. */
void	 alloc_hook_init(void);
void	 alloc_hook_request(void);
/* 1 when one of evqa's allocators returned NULL (for real, or by the hook) in this request. */
int	 alloc_failed(void);
void	*evqa_malloc(size_t);
void	*evqa_realloc(void *, size_t);

#endif
