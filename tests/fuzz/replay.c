/* replay.c: runs a harness over files, without libFuzzer (make check: each seed corpus is a
 * regression test under the sanitizers). TAP: one line per file. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "fuzz_common.h"

int
main(int argc, char *argv[])
{
	int	 failed = 0;

	for (int i = 1; i < argc; i++) {
		FILE	*f = fopen(argv[i], "rb");
		unsigned char *buf;
		long	 n;

		if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
		    (buf = malloc((size_t)n + 1)) == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
			printf("not ok %d - %s cannot be read\n", i, argv[i]);
			failed++;
			if (f)
				fclose(f);
			continue;
		}
		fclose(f);
		LLVMFuzzerTestOneInput(buf, (size_t)n);	/* a finding aborts */
		free(buf);
		printf("ok %d - %s\n", i, argv[i]);
	}
	printf("1..%d\n", argc - 1);
	return failed ? 1 : 0;
}
