/* t_topic.c: question types of questions and headings, how topic terms are written, which words are
 * English (dict_known()) and the other names WordNet gives (lexicon_names()). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "dict.h"
#include "lexicon.h"
#include "tap.h"
#include "topic.h"

static void
test_headings(void)
{
	/* MedQuAD's templated headings, with the title taken out, and headings written here */
	static const struct { const char *heading, *title, *want; } cases[] = {
		{ "What is (are) Noonan syndrome?", "Noonan syndrome", "information" },
		{ "What are the symptoms of Noonan syndrome?", "Noonan syndrome", "symptoms" },
		{ "Is Noonan syndrome inherited?", "Noonan syndrome", "inheritance" },
		{ "What are the genetic changes related to Noonan syndrome?", "Noonan syndrome", "genetic changes" },
		{ "How many people are affected by Noonan syndrome?", "Noonan syndrome", "frequency" },
		{ "What are the treatments for Gene therapy?", "Gene therapy", "treatment" },
		{ "What is (are) Gene therapy?", "Gene therapy", "information" },
		{ "What causes Wilson disease?", "Wilson disease", "causes" },
		{ "How to diagnose Wilson disease?", "Wilson disease", "exams and tests" },
		{ "What is the outlook for Wilson disease?", "Wilson disease", "outlook" },
		{ "Who is at risk for Lung Cancer?", "Lung Cancer", "susceptibility" },
		{ "How to prevent Lung Cancer?", "Lung Cancer", "prevention" },
		{ "What are the stages of Lung Cancer?", "Lung Cancer", "stages" },
		{ "Pivotal trials", "Should DOACs be preferred over warfarin?", "research" },
		{ "Guideline position", "Should DOACs be preferred over warfarin?", "treatment" },
		{ "Possible harm from large intermittent doses", "Does vitamin D prevent fractures?", "complications" },
		{ "", "Anything", "information" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_str(qtype_name(qtype_of_heading(cases[i].heading, cases[i].title)), cases[i].want,
		    "heading \"%s\" is %s", cases[i].heading, cases[i].want);
}

static void
test_questions(void)
{
	static const struct { const char *text; int type; } cases[] = {
		{ "is it inherited?", QT_INHERITANCE },
		{ "can my kids get it from me", QT_INHERITANCE },
		{ "my son keeps getting ear infections, when should he get tubes put in", QT_TREATMENT },
		{ "tylenol doesnt help anymore what else can she take", QT_TREATMENT },
		{ "How bad can endometriosis get?", QT_OUTLOOK },
		{ "how is it diagnosed", QT_DIAGNOSIS },
		{ "what are the side effects of metformin", QT_COMPLICATIONS },
		{ "apixaban versus warfarin", QT_COMPARISON },
		{ "is it safe in pregnancy", QT_PREGNANCY },
		{ "how do i stop getting them", QT_PREVENTION },
		{ "how can I keep my son from getting it", QT_PREVENTION },
		{ "how do I protect my kids", QT_PREVENTION },
		{ "what can I do to lower my risk", QT_PREVENTION },
		{ "I take levothyroxine. Can I take it with my calcium pills?", QT_INTERACTIONS },
		{ "is tylenol ok taken with alcohol", QT_INTERACTIONS },
		{ "is cirrhosis reversible", QT_OUTLOOK },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ok(qtype_of_question(cases[i].text) & QT_BIT(cases[i].type), "\"%s\" asks about %s",
		    cases[i].text, qtype_name(cases[i].type));
	ok(qtype_of_question("my son was diagnosed with autism, what is the treatment?") == QT_BIT(QT_TREATMENT),
	    "\"was diagnosed with\" tells the story: it asks no diagnosis");
	ok(qtype_of_question("she has just been diagnosed") == 0 && qtype_of_question("I got diagnosed last year") == 0,
	    "nor do \"been diagnosed\" and \"got diagnosed\"");
	ok(qtype_of_question("can it be diagnosed with a blood test") & QT_BIT(QT_DIAGNOSIS) &&
	    qtype_of_question("how is it diagnosed") == QT_BIT(QT_DIAGNOSIS), "\"can it be diagnosed\" asks one");
	ok(qtype_of_question("Noonan syndrome") == 0, "a bare topic asks no type");
	ok(qtype_of_question("how is tuberculosis spread") == 0 && qtype_of_question("tell me about tuberous sclerosis") == 0,
	    "\"tuberculosis\" and \"tuberous\" are no tubes: they ask no treatment");
	ok(qtype_of_question("what is the treatment") == QT_BIT(QT_TREATMENT),
	    "\"what is\" gives way to the precise type");
	ok(qtype_accepts(QT_BIT(QT_COMPARISON)) & QT_BIT(QT_RESEARCH), "trials answer a comparison");
	ok(qtype_find("exams and tests") == QT_DIAGNOSIS && qtype_find("nonsense") == -1, "types by name");
}

static void
test_norm(void)
{
	char	 out[64];

	topic_norm("Ear Infections", out, sizeof(out));
	is_str(out, "ear infection", "plural words are written singular");
	topic_norm("Friedreich's ataxia", out, sizeof(out));
	is_str(out, "friedreich ataxia", "a possessive is dropped");
	topic_norm("Friedreich\xe2\x80\x99s ataxia", out, sizeof(out));
	is_str(out, "friedreich ataxia", "a possessive written with a typographic apostrophe is dropped too");
	topic_norm("Graves\xca\xbc disease", out, sizeof(out));
	is_str(out, "grave disease", "and one written with a modifier letter apostrophe");
	topic_norm("caf\xc3\xa9 au lait", out, sizeof(out));
	is_str(out, "caf\xc3\xa9 au lait", "other non-ASCII letters stay in their words");
	topic_norm("Cockayne syndrome type II", out, sizeof(out));
	is_str(out, "cockayne syndrome type 2", "a Roman numeral after \"type\" is written as a number");
	topic_norm("Mucopolysaccharidosis type IIIB", out, sizeof(out));
	is_str(out, "mucopolysaccharidosis type 3b", "with its letter");
	topic_norm("stage IV", out, sizeof(out));
	is_str(out, "stage 4", "after \"stage\" too");
	topic_norm("vitamin D and type II", out, sizeof(out));
	is_str(out, "vitamin d and type 2", "a letter that is no numeral's stays");
	topic_norm("I have type I", out, sizeof(out));
	is_str(out, "i have type 1", "\"I\" is a numeral only after \"type\"");
	topic_norm("allergies", out, sizeof(out));
	is_str(out, "allergy", "-ies becomes -y");
	topic_norm("Diabetes, type 2", out, sizeof(out));
	is_str(out, "diabete type 2", "the same rule on both sides, not English");
	ok(topic_norm("a very long name that does not fit", out, 8) == -1, "a name that does not fit: -1");
	ok(topic_is_filler("daughter") && topic_is_filler("please") && !topic_is_filler("children"),
	    "chatter is filler, children are not");
	/* every cue, first and last of the list included, is found by its binary search */
	ok(topic_is_cue("cause") && topic_is_cue("inherited") && topic_is_cue("prognosis") &&
	    topic_is_cue("treatments"), "question-type cues are cues");
	ok(!topic_is_cue("advise") && !topic_is_cue("swelling") && !topic_is_cue("treat it"),
	    "chatter and topic words are not");
}

static void
test_dict(void)
{
	ok(dict_known("market") != -1, "the word lists are read from " DICT_DIR
	    " (Debian: hunspell-en-us, hunspell-en-med)");
	ok(dict_known("market") == 1 && dict_known("files") == 1 && dict_known("arthritic") == 1,
	    "words of English, with their endings, are known");
	ok(dict_known("metformin") == 1 && dict_known("prednisone") == 1, "drug names of the medical list are known");
	ok(dict_known("nigeria") == 1, "a name is known though written in lower case");
	ok(dict_known("migranes") == 0 && dict_known("alzhiemers") == 0 && dict_known("diabeties") == 0,
	    "slips are not");
	ok(dict_known("") == 0 && dict_known(NULL) == 0, "nothing is no word");
}

/* 1 when the other names of name (sure ones only with sure set) include want. */
static int
names_have(const char *name, const char *want, int sure)
{
	const char *alt[LEXICON_NAMES_MAX];
	int	 n = lexicon_names(name, alt, LEXICON_NAMES_MAX, sure);

	for (int i = 0; i < n; i++)
		if (strcmp(alt[i], want) == 0)
			return 1;
	return 0;
}

static void
test_lexicon(void)
{
	const char *alt[LEXICON_NAMES_MAX];

	ok(lexicon_open() == 0 && lexicon_size() > 1000, "WordNet's nouns are read from " WORDNET_DIR
	    " (Debian: wordnet-base)");
	ok(names_have("lockjaw", "tetanus", 0) && names_have("swamp fever", "leptospirosis", 0),
	    "a lay name gives the clinical one");
	ok(names_have("tylenol", "acetaminophen", 0) && names_have("advil", "ibuprofen", 0),
	    "a trade name gives the generic one");
	ok(names_have("haemophilia", "hemophilia", 0) && names_have("haemophilia", "bleeder disease", 0),
	    "a British spelling gives the American one, and a possessive is written without its \"'s\"");
	ok(!names_have("lockjaw", "tetanus", 1) && names_have("tylenol", "acetaminophen", 1),
	    "sure names leave out a name of two senses (\"tetanus\")");
	ok(lexicon_names("itch", alt, LEXICON_NAMES_MAX, 0) == 0 && lexicon_names("cold", alt, LEXICON_NAMES_MAX, 0) == 0,
	    "a word of other meanings (a verb, an adjective) names nothing");
	ok(lexicon_names("nose drops", alt, LEXICON_NAMES_MAX, 0) == 0, "a slang name (heroin's) names nothing");
	ok(lexicon_names("tetanus", alt, LEXICON_NAMES_MAX, 0) == 0, "a name of two senses is not looked up");
	ok(lexicon_starts("swamp") && lexicon_starts("lockjaw") && !lexicon_starts("market") && !lexicon_starts(""),
	    "the first words of names are known, and only those");
	ok(lexicon_names("", alt, LEXICON_NAMES_MAX, 0) == 0 && lexicon_names(NULL, alt, LEXICON_NAMES_MAX, 0) == 0,
	    "nothing names nothing");
	ok(lexicon_condition("swamp fever") && !lexicon_condition("tylenol") && !lexicon_condition("market"),
	    "a disease is a condition, a drug is not");
	ok(lexicon_under("grand mal epilepsy", "epilepsy") && lexicon_under("swamp fever", "disease") &&
	    !lexicon_under("swamp fever", "fever") && !lexicon_under("market", "disease") &&
	    !lexicon_under("swamp fever", ""), "the names above a meaning are its hypernyms'");
}

int
main(void)
{
	test_headings();
	test_questions();
	test_norm();
	test_dict();
	test_lexicon();
	return done_testing();
}
