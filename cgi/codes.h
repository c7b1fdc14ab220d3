/* codes.h: the closed sets of the program (reader audiences, review states, account roles, the
 * states of a reader's question, citation formats) and the limits on text written into them. Each
 * set is an enum ending in __MAX with one table of codes and labels; every other file takes its
 * members from here, and input is validated against these tables before any handler runs (req.c,
 * api.c). */
#ifndef EVQA_CODES_H
#define EVQA_CODES_H

#include <stddef.h>

/* Reader audiences, in display order. Their wording differs; their facts and citations never do. */
enum audience_id {
	AUD_CLINICIAN,		/* the default; every revision has this wording */
	AUD_NURSE,
	AUD_PHARMACIST,
	AUD_STUDENT,
	AUD_PATIENT,
	AUD__MAX
};

struct audience {
	const char	*code;
	const char	*label;
};

extern const struct audience audiences[AUD__MAX];

const struct audience *audience_find(const char *code);		/* NULL when unknown */
const struct audience *audience_findn(const char *code, size_t n);
/* Writes "clinician, nurse, ..." into out. */
void	 audience_list_codes(char *out, size_t outsz);

/* Review states of a revision. The first three are the steps readers see (STATE_STEPS). */
enum state {
	STATE_SUBMITTED,
	STATE_UNDER_REVIEW,
	STATE_APPROVED,
	STATE_CHANGES_REQUESTED,	/* sent back to the author with a reason */
	STATE_ARCHIVED,			/* withdrawn: readers no longer see the article */
	STATE__MAX
};

#define STATE_STEPS	3

struct state_def {
	const char	*code;		/* as stored: "under_review" */
	const char	*label;		/* as shown: "Under review" */
};

extern const struct state_def states[STATE__MAX];
/* The state for a stored code, or STATE__MAX when unknown. */
enum state state_find(const char *code);

/* Account roles, each allowed all that the ones before it are. */
enum role {
	ROLE_AUTHOR,		/* writes articles and submits them */
	ROLE_REVIEWER,		/* starts review, requests changes, approves */
	ROLE_EDITOR,		/* all a reviewer does, edits any article, archives */
	ROLE_ADMIN,		/* all an editor does, manages accounts */
	ROLE__MAX
};

extern const char *const role_names[ROLE__MAX];
/* The role for a name, or ROLE__MAX. */
enum role role_find(const char *name);

/* The states of a reader's question, as stored and as the question queue shows them. */
enum qstate {
	QSTATE_QUEUED,			/* waiting for the editors */
	QSTATE_ANSWERED,		/* answered from reviewed articles when asked */
	QSTATE_ANSWERED_BY_EDITORS,	/* linked by an editor to the article that answers it */
	QSTATE_DISMISSED,		/* not a question the site will answer */
	QSTATE__MAX
};

extern const struct state_def qstates[QSTATE__MAX];
/* The question state for a stored code, or QSTATE__MAX when unknown. */
enum qstate qstate_find(const char *code);

/* Citation file formats (cite.c writes them). */
enum cite_format {
	CITE_RIS,
	CITE_BIBTEX,
	CITE_CSL,
	CITE__MAX
};

struct cite_format_def {
	const char	*name;		/* as in ?format=: "ris" */
	const char	*label;		/* as shown: "RIS" */
	const char	*media_type;	/* the reply's Content-Type */
	const char	*ext;		/* the file name's extension */
};

extern const struct cite_format_def cite_formats[CITE__MAX];

/* Limits on text, in bytes, wherever it comes from (form, JSON, command line). */
#define TEXT_REASON_MAX		2000	/* a reviewer's or editor's reason */
#define TEXT_QUESTION_MAX	2000	/* a reader's question */
#define TEXT_QUERY_MAX		500	/* a search query */

#endif
