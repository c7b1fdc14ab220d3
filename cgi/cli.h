/* cli.h: the subcommands of the evqa command line besides serve and init: accounts (cli_users.c)
 * and content (cli_content.c). Each takes the arguments after its own name and returns the process
 * exit status: 0, 1 (the database or a file failed) or 2 (bad input, with a message). */
#ifndef EVQA_CLI_H
#define EVQA_CLI_H

/* evqa user add|list|disable|passwd ... and evqa token add ...: argv[0] is "user" or "token". */
int	 cli_user(int argc, char **argv);
int	 cli_token(int argc, char **argv);

int	 cli_import(int argc, char **argv);
int	 cli_export(int argc, char **argv);
int	 cli_search(int argc, char **argv);
int	 cli_ask(int argc, char **argv);
int	 cli_bench_search(int argc, char **argv);
/* evqa backup --db PATH OUT (cli_backup.c). */
int	 cli_backup(int argc, char **argv);

extern const char cli_usage_text[];

/* Prints "evqa CMD: message" (cmd may be NULL) and a pointer to --help on standard error, and returns
 * the exit status of a usage error, 2. */
int	 cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
