/* fuzz_common.h: what the libFuzzer harnesses share (see fuzz_common.c). */
#ifndef EVQA_FUZZ_COMMON_H
#define EVQA_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

struct req_input;

/* The API token of the editor account fuzz_setup() makes (64 hex digits). */
extern const char fuzz_token[];

/* Once per process: libsodium, the templates, and a database in memory with the demo content and an
 * editor account. Aborts when any of it fails. */
void	 fuzz_setup(void);

/* The database fuzz_setup() made (calls it first). */
struct db *fuzz_db(void);

/* Runs one request through the dispatcher, as a worker would, and returns its status. Aborts (a
 * finding) when the status is 5xx: bad input must never get one. */
int	 fuzz_dispatch(const struct req_input *in);

/* libFuzzer's entry point, defined by each harness. */
int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
