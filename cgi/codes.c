/* codes.c: the closed sets and their lookups (see codes.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "codes.h"

const struct audience audiences[AUD__MAX] = {
	[AUD_CLINICIAN] = { "clinician", "Physician or advanced practice clinician" },
	[AUD_NURSE] = { "nurse", "Nurse" },
	[AUD_PHARMACIST] = { "pharmacist", "Pharmacist" },
	[AUD_STUDENT] = { "student", "Student or trainee" },
	[AUD_PATIENT] = { "patient", "Patient or caregiver" },
};

const struct state_def states[STATE__MAX] = {
	[STATE_SUBMITTED] = { "submitted", "Submitted" },
	[STATE_UNDER_REVIEW] = { "under_review", "Under review" },
	[STATE_APPROVED] = { "approved", "Approved" },
	[STATE_CHANGES_REQUESTED] = { "changes_requested", "Changes requested" },
	[STATE_ARCHIVED] = { "archived", "Archived" },
};

const char *const role_names[ROLE__MAX] = {
	[ROLE_AUTHOR] = "author",
	[ROLE_REVIEWER] = "reviewer",
	[ROLE_EDITOR] = "editor",
	[ROLE_ADMIN] = "admin",
};

const struct state_def qstates[QSTATE__MAX] = {
	[QSTATE_QUEUED] = { "queued", "Queued for the editors" },
	[QSTATE_ANSWERED] = { "answered", "Answered from our articles" },
	[QSTATE_ANSWERED_BY_EDITORS] = { "answered_by_editors", "Answered by the editors" },
	[QSTATE_DISMISSED] = { "dismissed", "Dismissed" },
};

const struct cite_format_def cite_formats[CITE__MAX] = {
	[CITE_RIS] = { "ris", "RIS", "application/x-research-info-systems", "ris" },
	[CITE_BIBTEX] = { "bibtex", "BibTeX", "application/x-bibtex; charset=utf-8", "bib" },
	[CITE_CSL] = { "csl-json", "CSL-JSON", "application/vnd.citationstyles.csl+json", "json" },
};

const struct audience *
audience_findn(const char *code, size_t n)
{
	for (int i = 0; i < AUD__MAX; i++)
		if (strlen(audiences[i].code) == n && strncmp(audiences[i].code, code, n) == 0)
			return &audiences[i];
	return NULL;
}

const struct audience *
audience_find(const char *code)
{
	return code ? audience_findn(code, strlen(code)) : NULL;
}

void
audience_list_codes(char *out, size_t outsz)
{
	size_t	 l = 0;

	out[0] = '\0';
	for (int i = 0; i < AUD__MAX && l < outsz; i++)
		l += (size_t)snprintf(out + l, outsz - l, "%s%s", i ? ", " : "", audiences[i].code);
}

enum state
state_find(const char *code)
{
	for (int i = 0; i < STATE__MAX; i++)
		if (code != NULL && strcmp(states[i].code, code) == 0)
			return (enum state)i;
	return STATE__MAX;
}

enum role
role_find(const char *name)
{
	for (int i = 0; i < ROLE__MAX; i++)
		if (name != NULL && strcmp(name, role_names[i]) == 0)
			return (enum role)i;
	return ROLE__MAX;
}

enum qstate
qstate_find(const char *code)
{
	for (int i = 0; i < QSTATE__MAX; i++)
		if (code != NULL && strcmp(qstates[i].code, code) == 0)
			return (enum qstate)i;
	return QSTATE__MAX;
}
