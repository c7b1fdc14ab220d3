/* server.h: the running server's configuration and entry point. */
#ifndef EVQA_SERVER_H
#define EVQA_SERVER_H

#define CORS_MAX	16

/* Read-only once the workers start. */
struct config {
	const char	*db_path;
	const char	*socket_path;		/* NULL: serve on fd 0 */
	const char	*socket_group;		/* group given the socket (mode 0660); NULL: ours */
	int		 threads;
	const char	*cors[CORS_MAX];	/* origins allowed to call /api/ from a browser */
	int		 ncors;
	int		 session_idle;		/* seconds a login session may sit unused (0: default) */
	int		 session_max;		/* seconds a login session lasts at most (0: default) */
	int		 review_days;		/* days from approval to the next scheduled review (0: default) */
	int		 question_rate;		/* new questions per client per minute; 0: no limit */
	const char	*site_url;		/* the site's origin ("https://host"), or NULL: each request's */
};

#define QUESTION_RATE_DEFAULT	10

/* Serves FastCGI until SIGTERM or SIGINT. Returns the process exit status. */
int	 serve(const struct config *cfg);

#endif
