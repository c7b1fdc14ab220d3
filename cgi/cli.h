/* cli.h: the subcommands of the evqa command line besides serve and init: accounts (cli_users.c)
 * and content (cli_content.c). Each takes the arguments after its own name and returns the process
 * exit status: 0, 1 (the database or a file failed) or 2 (bad input, with a message). */
#ifndef EVQA_CLI_H
#define EVQA_CLI_H

/* evqa user add|list|disable|passwd ... and evqa token add ...: argv[0] is "user" or "token". */
int	 cli_user(int argc, char **argv);
int	 cli_token(int argc, char **argv);

int	 cli_import(int argc, char **argv);
struct db;
/* Imports one JSON Lines record line[0..n) into db as evqa import does, inside the caller's
 * transaction (the fuzz harness rolls it back). Returns 0, or -1 with the reason in err. */
int	 cli_import_line(struct db *db, const char *line, size_t n, char *err, size_t errsz);
int	 cli_export(int argc, char **argv);
int	 cli_search(int argc, char **argv);
int	 cli_ask(int argc, char **argv);
int	 cli_bench_search(int argc, char **argv);
/* evqa backup --db PATH OUT (cli_backup.c). */
int	 cli_backup(int argc, char **argv);

extern const char cli_usage_text[];

/* evqa references check ... (cli_references.c): argv[0] is "references". */
int	 cli_references(int argc, char **argv);
extern const char cli_references_usage_text[];

/* Prints "evqa CMD: message" (cmd may be NULL) and a pointer to --help on standard error, and returns
 * the exit status of a usage error, 2. */
int	 cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
