/* fuzz_import.c: one import record (a line of JSON Lines, MedQuAD's form or evqa's export) through
 * the importer, in a transaction that is rolled back. A refusal must say why. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"

#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	 err[600];
	struct db *db;

	if (size > 200000)
		return 0;
	db = fuzz_db();
	if (db_begin(db) == -1)
		abort();
	err[0] = '\0';
	if (cli_import_line(db, (const char *)data, size, err, sizeof(err)) == -1 && err[0] == '\0')
		abort();
	db_rollback(db);
	return 0;
}
