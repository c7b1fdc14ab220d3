/* cli.h: the account commands of the evqa command line (cli_users.c). */
#ifndef EVQA_CLI_H
#define EVQA_CLI_H

/* evqa user add|list|disable|passwd ... and evqa token add ...: argv[0] is "user" or "token".
 * Return the process exit status: 0, 1 (the database failed) or 2 (bad input, with a message). */
int	 cli_user(int argc, char **argv);
int	 cli_token(int argc, char **argv);

#endif
