/* log.h: diagnostics on standard error, one line each, safe from any thread. */
#ifndef EVQA_LOG_H
#define EVQA_LOG_H

void	 log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Like log_warnx, with strerror(errno) appended. */
void	 log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Quiet mode drops info lines (the command-line tools use it). */
void	 log_set_quiet(int);

#endif
