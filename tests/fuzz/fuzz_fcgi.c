/* fuzz_fcgi.c: the check of a FastCGI connection's opening records (fcgiscan). Whatever it accepts
 * must be a sequence of whole records that libfcgi can read without a length running past them. */
#include "config.h"

#include <stdlib.h>

#include "fcgiscan.h"

#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = NULL;
	long	 n;

	if (size > FCGISCAN_PEEK_MAX)
		return 0;
	n = fcgiscan(data, size, &why);
	if (n > (long)size || (n == -1 && why == NULL))
		abort();
	/* every prefix of an accepted opening asks for more, never accepts less */
	if (n > 0 && fcgiscan(data, (size_t)n - 1, &why) > 0)
		abort();
	return 0;
}
