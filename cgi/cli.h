/* cli.h: the content subcommands of the evqa command line (cgi/cli_content.c). Each takes the
 * arguments after its own name and returns the process exit status (2 for a usage error). */
#ifndef EVQA_CLI_H
#define EVQA_CLI_H

int	 cli_import(int argc, char **argv);
int	 cli_export(int argc, char **argv);
int	 cli_search(int argc, char **argv);
int	 cli_ask(int argc, char **argv);
int	 cli_bench_search(int argc, char **argv);

extern const char cli_usage_text[];

#endif
