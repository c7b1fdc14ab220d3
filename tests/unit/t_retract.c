/* t_retract.c: the Retraction Watch CSV reader: quoting, line breaks, the header, what it skips, and
 * the bounds it keeps. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "retract.h"
#include "tap.h"

#define HEADER	"Record ID,Title,RetractionDate,OriginalPaperDOI,OriginalPaperPubMedID,RetractionNature\r\n"

struct seen {
	int	 n;
	char	 doi[8][64], pmid[8][16], date[8][16], title[8][128], nature[8][32];
};

static int
each(const struct retract_notice *n, void *arg, char *err, size_t errsz)
{
	struct seen *s = arg;

	(void)err;
	(void)errsz;
	if (s->n < 8) {
		snprintf(s->doi[s->n], 64, "%s", n->doi ? n->doi : "-");
		snprintf(s->pmid[s->n], 16, "%s", n->pmid ? n->pmid : "-");
		snprintf(s->date[s->n], 16, "%s", n->date ? n->date : "-");
		snprintf(s->title[s->n], 128, "%s", n->title ? n->title : "-");
		snprintf(s->nature[s->n], 32, "%s", n->nature);
	}
	s->n++;
	return 0;
}

static int
read_text(const char *text, struct seen *s, struct retract_stats *st, char *err, size_t errsz)
{
	FILE	*f = fmemopen((void *)(uintptr_t)text, strlen(text), "r");
	int	 rc;

	memset(s, 0, sizeof(*s));
	memset(st, 0, sizeof(*st));
	err[0] = '\0';
	rc = retract_csv_read(f, each, s, st, err, errsz);
	fclose(f);
	return rc;
}

int
main(void)
{
	struct seen s;
	struct retract_stats st;
	char	 err[300], *big;

	ok(read_text(HEADER "1,\"A \"\"quoted\"\", title\nover two lines\",12/24/2023 0:00,HTTPS://DOI.ORG/10.1/AB,0,"
	    "Retraction\r\n2,T,2023-11-02,Unavailable,123,correction\n", &s, &st, err, sizeof(err)) == 0,
	    "a file with CRLF and LF lines, quotes and a line break in a field is read (%s)", err);
	ok(s.n == 2, "both notices are passed on");
	is_str(s.title[0], "A \"quoted\", title\nover two lines", "a quoted field keeps its quotes, comma and line break");
	is_str(s.doi[0], "10.1/ab", "a DOI loses its resolver and its case");
	is_str(s.pmid[0], "-", "a PubMed id of 0 is none");
	is_str(s.date[0], "2023-12-24", "an M/D/YYYY date becomes YYYY-MM-DD");
	is_str(s.doi[1], "-", "'Unavailable' is no DOI");
	is_str(s.pmid[1], "123", "the PubMed id is kept");
	is_str(s.nature[1], "Correction", "the nature is matched whatever its case");

	ok(read_text(HEADER "1,T,1/1/2020,10.1/a,,Reinstatement\n2,T,1/1/2020,,,Retraction\n\n", &s, &st, err,
	    sizeof(err)) == 0 && s.n == 0 && st.other == 1 && st.unnamed == 1 && st.rows == 2,
	    "reinstatements and rows naming no paper are counted, not passed on; empty lines are skipped");
	ok(read_text("Title,DOI\nx,10.1/a\n", &s, &st, err, sizeof(err)) == -1 && strstr(err, "RetractionDate"),
	    "a header without the Retraction Watch columns is refused: %s", err);
	{
		FILE	*f = tmpfile();

		memset(&st, 0, sizeof(st));
		ok(f != NULL && retract_csv_read(f, each, &s, &st, err, sizeof(err)) == -1 && strstr(err, "empty"),
		    "an empty file is refused");
		if (f != NULL)
			fclose(f);
	}
	ok(read_text(HEADER "1,\"open,1/1/2020,10.1/a,,Retraction\n", &s, &st, err, sizeof(err)) == -1 &&
	    strstr(err, "not closed"), "an unclosed quote is refused: %s", err);
	ok(read_text(HEADER "1,T,1/1/2020,10.1/a,,Retraction,a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,w,x,y,z,"
	    "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,w,x,y,z,a,b,c,d,e,f,g,h,i,j\n", &s, &st, err,
	    sizeof(err)) == -1 && strstr(err, "line 2") && strstr(err, "fields"),
	    "a record with too many fields is refused with its line: %s", err);
	big = malloc(RETRACT_FIELD_MAX + 200);
	snprintf(big, 200, "%s1,", HEADER);
	memset(big + strlen(big), 'x', RETRACT_FIELD_MAX + 1);
	big[strlen(HEADER) + 2 + RETRACT_FIELD_MAX + 1] = '\0';
	ok(read_text(big, &s, &st, err, sizeof(err)) == -1 && strstr(err, "longer"),
	    "a field over the limit is refused: %s", err);
	free(big);
	return done_testing();
}
