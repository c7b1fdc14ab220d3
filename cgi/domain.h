/* domain.h: what the domain layer (content, workflow, queue) works with and what it answers.
 *
 * A domain function takes a struct dom: the database, the arena that owns what it returns, the
 * actor (the logged-in account, or nobody) and the site's settings. It returns an enum outcome;
 * any outcome but OUT_OK and OUT_CREATED comes with a sentence for a person in why, and OUT_INVALID
 * with the fields at fault in errors. The domain knows nothing of HTTP: a handler maps the outcome
 * to a status (req_outcome() in req.h) and the command line to an exit code and a message. */
#ifndef EVQA_DOMAIN_H
#define EVQA_DOMAIN_H

#include "codes.h"

struct arena;
struct db;

enum outcome {
	OUT_OK,
	OUT_CREATED,		/* something new was stored */
	OUT_INVALID,		/* the input is wrong: see errors */
	OUT_FORBIDDEN,		/* the actor's role or the review rules do not allow it */
	OUT_NOT_FOUND,		/* no such article, revision or question */
	OUT_CONFLICT,		/* not possible in the current state (or it changed meanwhile) */
	OUT_FAILED,		/* storage or memory failed: logged; nothing was kept */
	OUT__MAX
};

/* The actor: a logged-in account, as auth.c finds it for a request (or the command line names it).
 * Strings belong to the request. */
struct user {
	long long	 id;
	const char	*email;
	const char	*name;
	const char	*credential;
	enum role	 role;
	int		 via_token;	/* 1: Authorization: Bearer (no form token needed) */
};

/* The site's settings the domain reads. */
struct settings {
	int		 review_days;	/* days from approval to the next scheduled review; 0: the default */
};

#define DOM_ERRORS_MAX	8
#define DOM_WHY_MAX	300

struct dom_error {
	const char	*field;		/* a literal, or text in the arena */
	char		 detail[DOM_WHY_MAX];
};

struct dom {
	struct db	*db;
	struct arena	*arena;
	const struct user *actor;	/* NULL: nobody is logged in */
	const struct settings *set;
	char		 why[DOM_WHY_MAX];
	struct dom_error errors[DOM_ERRORS_MAX];
	int		 nerrors;
};

/* Says why (printf-style) and returns oc. */
enum outcome dom_fail(struct dom *d, enum outcome oc, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Adds an error on field (a literal or arena text) and returns OUT_INVALID. */
enum outcome dom_field_error(struct dom *d, const char *field, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Forgets why and the field errors (a caller that answers an outcome in its own words). */
void	 dom_clear(struct dom *d);

#endif
