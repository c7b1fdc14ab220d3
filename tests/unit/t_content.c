/* t_content.c: saving content validates it, renders it, and refuses what readers could not use. */
#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include "content.h"
#include "db.h"
#include "tap.h"
#include "tdb.h"

static struct db db;
static struct tdb tdb;	/* its file */

static long long
save(const struct revision_in *rev, struct content_error *err)
{
	long long id, art;

	db_begin(&db);
	id = content_save(&db, 0, NULL, rev, &art, err);
	if (id == -1)
		db_rollback(&db);
	else
		db_commit(&db);
	return id;
}

int
main(void)
{
	struct reference_in refs[2] = {
		{ "guideline", "A guideline", "A body", 2020, "12345678", "10.1000/xyz", NULL, NULL },
		{ "research", "A trial", "A journal", 2021, NULL, NULL, "https://example.org/trial", NULL },
	};
	struct text_in texts[2] = {
		{ "clinician", "It works [1].", "## Evidence\n\n- Trial result [2]\n" },
		{ "patient", "It helps [1].", "## What studies show\n\n- A study found this [2]\n" },
	};
	struct revision_in rev = { "Does it work?", "Editor", STATE_SUBMITTED, NULL, refs, 2, texts, 2, 0 };
	struct content_error ce;
	char	 slug[64];

	if (tdb_open(&tdb, "content", &db) == -1)
		return 1;
	ok(save(&rev, &ce) > 0, "a valid revision with two audiences is saved (%s %s)", ce.field, ce.detail);
	ok(save(&rev, &ce) > 0, "the same question can be saved twice");

	texts[1].body = "## What studies show\n\n- A study found this\n";
	ok(save(&rev, &ce) == -1 && strstr(ce.detail, "reference 2") != NULL,
	    "a variant that cites other references than the clinician text is refused: %s", ce.detail);
	texts[1].body = "## What studies show\n\n- A study found this [2]\n";

	texts[0].body = "## Evidence\n\n- Trial result [3]\n";
	ok(save(&rev, &ce) == -1 && strstr(ce.detail, "[3]") != NULL && strstr(ce.detail, "line 3") != NULL,
	    "a marker naming no reference is refused, saying where: %s", ce.detail);
	ok(strncmp(ce.detail, "the clinician wording: body, line 3:", 36) == 0 && strstr(ce.detail, "revision") == NULL,
	    "the message names the wording and the line, and none of evqa's internal numbers");
	texts[0].body = "## Evidence\n\n- Trial result [2]\n";

	texts[0].body = "## Evidence\n\n- Trial result [2]. {certainty: moderate}\n";
	ok(save(&rev, &ce) == -1 && strcmp(ce.field, "texts") == 0 && strstr(ce.detail, "patient") != NULL &&
	    strstr(ce.detail, "moderate certainty") != NULL,
	    "a variant that does not grade the claims the clinician text grades is refused: %s", ce.detail);
	texts[1].body = "## What studies show\n\n- A study found this [2]. {certainty: moderate}\n";
	ok(save(&rev, &ce) > 0, "a variant that grades the same claims the same way is saved (%s)", ce.detail);
	texts[1].body = "## What studies show\n\n- A study found this [2]. {certainty: low}\n";
	ok(save(&rev, &ce) == -1 && strstr(ce.detail, "the same way") != NULL,
	    "a variant that grades a claim differently is refused: %s", ce.detail);
	texts[0].body = "## Evidence\n\n- Trial result [2]\n";
	texts[1].body = "## What studies show\n\n- A study found this [2]\n";
	texts[0].bottom_line = "It works. {recommendation: strong, certainty: high}";
	ok(save(&rev, &ce) == -1 && strcmp(ce.field, "texts") == 0 && strstr(ce.detail, "citation") != NULL,
	    "a recommendation without a citation is a field error: %s", ce.detail);
	texts[0].bottom_line = "It works [1].";

	refs[0].pmid = "12ab";
	ok(save(&rev, &ce) == -1 && strcmp(ce.field, "references[1].pmid") == 0,
	    "a malformed PubMed id is refused on its field");
	refs[0].pmid = "12345678";
	refs[1].url = "javascript:alert(1)";
	ok(save(&rev, &ce) == -1 && strcmp(ce.field, "references[2].url") == 0,
	    "a reference link that is not http(s) is refused");
	refs[1].url = NULL;
	refs[0].kind = "blog";
	ok(save(&rev, &ce) == -1 && strcmp(ce.field, "references[1].kind") == 0, "an unknown reference type is refused");
	refs[0].kind = "guideline";
	rev.question = "";
	ok(save(&rev, &ce) == -1 && strcmp(ce.field, "question") == 0, "an empty question is refused");
	rev.question = "Does it work?";
	rev.ntexts = 1;
	rev.texts = &texts[1];
	ok(save(&rev, &ce) == -1 && strcmp(ce.field, "texts") == 0, "a revision without clinician wording is refused");

	content_slugify("What is the role of ACE-inhibitors (ACEi) in CKD?", slug, sizeof(slug));
	is_str(slug, "what-is-the-role-of-ace-inhibitors-acei-in-ckd", "slugs are lowercase words joined by dashes");
	{
		char	 longslug[128];

		content_slugify("What is the best first-line treatment for adults with newly diagnosed type 2 diabetes "
		    "and chronic kidney disease?", longslug, sizeof(longslug));
		is_str(longslug, "what-is-the-best-first-line-treatment-for-adults-with-newly-diagnosed-type-2",
		    "a long slug is cut at a whole word, never inside one");
	}
	content_slugify("???", slug, sizeof(slug));
	is_str(slug, "article", "a question with no letters still gets a slug");

	tdb_close(&tdb, &db);
	return done_testing();
}
