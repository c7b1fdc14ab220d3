/* lexicon.c: other names of diseases, symptoms and drugs, from WordNet's noun files (see lexicon.h).
 *
 * WordNet's data.noun holds one meaning (synset) a line, found by its byte offset: "OFFSET LEXFILE n
 * COUNT LEMMA LEXID ... PCOUNT SYMBOL OFFSET POS SRCTGT ... | gloss". index.noun, index.verb,
 * index.adj and index.adv hold one lemma a line, sorted: "lemma pos senses ...". Both are read
 * whole, once, the names kept copied out and the files let go. */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexicon.h"

#define FILE_MAX	(64L << 20)	/* WordNet 3.0's data.noun is 15 MB */
#define LEMMAS_MAX	64		/* lemmas of one meaning looked at */
#define PTRS_MAX	64		/* hypernyms and usage marks of one meaning looked at */
#define DEPTH_MAX	24		/* hypernyms followed up from a meaning (WordNet's deepest: 19) */
#define NAME_LEN	120

struct wnfile {
	char	*buf;
	size_t	 len;
};

struct synset {
	int		 lexfile;
	int		 nlem;
	const char	*lem[LEMMAS_MAX];
	size_t		 lemlen[LEMMAS_MAX];
	int		 nhyp;
	long		 hyp[PTRS_MAX];
	int		 nuse;
	long		 use[PTRS_MAX];		/* usage marks (";u"): the meaning marked */
	int		 use_src[PTRS_MAX];	/* the lemma marked, from 1; 0: all of them */
};

/* The names: group g's are names[first[g] .. first[g + 1]), kept in one block of text. */
static struct lexicon {
	char	 *text;
	size_t	  textlen, textcap;
	size_t	 *name;		/* offsets into text */
	int	 *sure;		/* a name a reader's words are looked up as */
	int	 *group;
	int	  nnames, capnames;
	int	 *first;
	int	  ngroups, capgroups;
	uint64_t *set;		/* open addressing: hash of a sure name, 0 empty */
	int	 *set_name;
	size_t	  setcap;
	uint64_t *starts;	/* hashes of the first words of sure names, 0 empty */
	size_t	  startcap;
	int	 *condition;	/* by group: a disease, symptom or injury (a state), not a drug */
	uint64_t *above;	/* above_key() of a group and a name of a meaning above it */
	size_t	  abovecap, aboveused;
} lx;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int	 loaded;

static uint64_t
hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h == 0 ? 1 : h;
}

/* The key of "name names a meaning above group g's" in lx.above. */
static uint64_t
above_key(int g, const char *name, size_t len)
{
	uint64_t h = hash(name, len) ^ ((uint64_t)(g + 1) * 0x9e3779b97f4a7c15ULL);

	return h == 0 ? 1 : h;
}

static int
read_file(const char *name, struct wnfile *f)
{
	char	 path[512];
	FILE	*fp;
	long	 n;

	f->buf = NULL;
	f->len = 0;
	snprintf(path, sizeof(path), "%s/%s", WORDNET_DIR, name);
	if ((fp = fopen(path, "rb")) == NULL)
		return -1;
	if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) <= 0 || n > FILE_MAX ||
	    fseek(fp, 0, SEEK_SET) != 0 || (f->buf = malloc((size_t)n + 1)) == NULL ||
	    fread(f->buf, 1, (size_t)n, fp) != (size_t)n) {
		free(f->buf);
		f->buf = NULL;
		fclose(fp);
		return -1;
	}
	fclose(fp);
	f->buf[n] = '\0';
	f->len = (size_t)n;
	return 0;
}

/* The number written at p in base 10 or 16 (strtol() was most of the load's time). */
static long
num(const char *p, int base)
{
	long	 n = 0;

	for (;; p++) {
		int	 d = *p >= '0' && *p <= '9' ? *p - '0' : base == 16 && *p >= 'a' && *p <= 'f' ?
		    *p - 'a' + 10 : -1;

		if (d < 0 || n > 0x7ffffffL)
			return n;
		n = n * base + d;
	}
}

/* The end of the field at p (a space, a newline or the end). */
static const char *
field_end(const char *p)
{
	while (*p != '\0' && *p != ' ' && *p != '\n')
		p++;
	return p;
}

static const char *
next_field(const char *p)
{
	p = field_end(p);
	while (*p == ' ')
		p++;
	return p;	/* at a newline, it stays there: a field never runs past its line */
}

/* Parses the meaning at byte offset off of data.noun. Returns 0, or -1 when no meaning starts there. */
static int
synset_at(const struct wnfile *d, long off, struct synset *s)
{
	const char *p;
	long	 n, np;

	if (off <= 0 || (size_t)off + 20 >= d->len || d->buf[off - 1] != '\n')
		return -1;
	p = d->buf + off;
	if (num(p, 10) != off || p[8] != ' ')
		return -1;
	p = next_field(p);
	s->lexfile = (int)num(p, 10);
	p = next_field(next_field(p));			/* the lexicographer file, the part of speech */
	n = num(p, 16);
	p = next_field(p);
	s->nlem = s->nhyp = s->nuse = 0;
	for (long i = 0; i < n && *p != '\0' && *p != '\n'; i++) {
		if (s->nlem < LEMMAS_MAX) {
			s->lem[s->nlem] = p;
			s->lemlen[s->nlem++] = (size_t)(field_end(p) - p);
		}
		p = next_field(next_field(p));		/* the lemma, its lexical id */
	}
	np = num(p, 10);
	p = next_field(p);
	for (long i = 0; i < np && *p != '\0' && *p != '\n' && *p != '|'; i++) {
		const char *sym = p, *target;
		size_t	 symlen = (size_t)(field_end(p) - p);
		long	 to;

		p = next_field(p);
		target = p;
		to = num(target, 10);
		p = next_field(p);
		if (*p != 'n') {			/* a pointer to a verb or adjective */
			p = next_field(next_field(p));
			continue;
		}
		p = next_field(p);
		if (((symlen == 1 && sym[0] == '@') || (symlen == 2 && sym[0] == '@' && sym[1] == 'i')) &&
		    s->nhyp < PTRS_MAX)
			s->hyp[s->nhyp++] = to;
		else if (symlen == 2 && sym[0] == ';' && sym[1] == 'u' && s->nuse < PTRS_MAX) {
			char	 src[3] = { p[0], p[0] ? p[1] : '\0', '\0' };

			s->use[s->nuse] = to;
			s->use_src[s->nuse++] = (int)num(src, 16);
		}
		p = next_field(p);
	}
	return 0;
}

/* The line of sorted index file f whose lemma is key (lower case, underscores), or NULL. */
static const char *
index_find(const struct wnfile *f, const char *key)
{
	size_t	 lo = 0, hi = f->len, klen = strlen(key);

	/* the licence at the top: lines that begin with a space, before every lemma */
	while (lo < hi && f->buf[lo] == ' ') {
		const char *nl = memchr(f->buf + lo, '\n', f->len - lo);

		lo = nl ? (size_t)(nl - f->buf) + 1 : f->len;
	}
	while (lo < hi) {
		size_t	 mid = lo + (hi - lo) / 2, ln;
		const char *line, *nl;
		int	 c;

		while (mid > lo && f->buf[mid - 1] != '\n')
			mid--;
		line = f->buf + mid;
		ln = (size_t)(field_end(line) - line);
		c = strncmp(key, line, klen < ln ? klen : ln);
		if (c == 0 && klen != ln)
			c = klen < ln ? -1 : 1;
		if (c == 0)
			return line;
		nl = memchr(line, '\n', f->len - mid);
		if (c < 0)
			hi = mid;
		else
			lo = nl ? (size_t)(nl - f->buf) + 1 : f->len;
	}
	return NULL;
}

/* Writes a lemma of data.noun as the index files write it: in lower case. Returns 0, or -1 when it
 * does not fit. */
static int
lemma_key(const char *lem, size_t len, char *key, size_t keysz)
{
	size_t	 i;

	if (len + 1 > keysz)
		return -1;
	for (i = 0; i < len; i++)
		key[i] = (char)(lem[i] >= 'A' && lem[i] <= 'Z' ? lem[i] - 'A' + 'a' : lem[i]);
	key[i] = '\0';
	return 0;
}

/* The senses index file idx gives the lemma key, 0 when it lacks it. */
static int
senses(const struct wnfile *idx, const char *key)
{
	const char *p = index_find(idx, key);

	if (p == NULL)
		return 0;
	p = next_field(next_field(p));			/* the lemma, its part of speech */
	return (int)num(p, 10);
}

/* Writes a lemma as names are written (lexicon.h). Returns the length, 0 when nothing is left. */
static size_t
lemma_norm(const char *lem, size_t len, char *out, size_t outsz)
{
	size_t	 o = 0;
	int	 sep = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)lem[i];
		int	 word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c >= 0x80;

		if (!word) {
			/* a possessive: "Meniere's_disease", "Alzheimer's" */
			if (c == '\'' && i + 1 < len && (lem[i + 1] == 's' || lem[i + 1] == 'S') &&
			    (i + 2 == len || lem[i + 2] == '_' || lem[i + 2] == '-'))
				i++;
			sep = o > 0;
			continue;
		}
		if (o + 3 > outsz)
			return 0;
		if (sep)
			out[o++] = ' ';
		sep = 0;
		out[o++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	out[o] = '\0';
	return o;
}

/* What medical() found of the meanings looked at, by offset: 2 under a root, 1 not, 0 not known.
 * WordNet's hypernyms run at most 19 deep, so no answer kept was cut short by DEPTH_MAX. */
#define MEMO_CAP	(1 << 16)

struct memo_ent {
	long	 off;
	int	 res;
};

/* 1 when the meaning at off is one of roots[] or under one, within depth hypernyms. */
static int
medical(const struct wnfile *d, long off, const long *roots, int nroots, int depth, struct memo_ent *memo)
{
	struct synset s;
	size_t	 slot = ((size_t)off * 2654435761u) & (MEMO_CAP - 1);
	int	 res = 0;

	for (int i = 0; i < nroots; i++)
		if (roots[i] == off)
			return 1;
	for (size_t k = 0; k < 8 && memo[slot].res != 0; k++, slot = (slot + 1) & (MEMO_CAP - 1))
		if (memo[slot].off == off)
			return memo[slot].res == 2;
	if (depth >= DEPTH_MAX || synset_at(d, off, &s) == -1)
		return 0;
	for (int i = 0; i < s.nhyp && !res; i++)
		res = medical(d, s.hyp[i], roots, nroots, depth + 1, memo);
	if (memo[slot].res == 0) {	/* else eight probes found no room: not kept */
		memo[slot].off = off;
		memo[slot].res = res ? 2 : 1;
	}
	return res;
}

/* 1 when lemma k (from 0) of s is marked with a usage other than a trade name or trademark. */
static int
marked(const struct wnfile *d, const struct synset *s, int k)
{
	for (int i = 0; i < s->nuse; i++) {
		struct synset u;

		if (s->use_src[i] != 0 && s->use_src[i] != k + 1)
			continue;
		if (synset_at(d, s->use[i], &u) == -1 || u.nlem == 0)
			return 1;
		if (!((u.lemlen[0] == 10 && strncmp(u.lem[0], "trade_name", 10) == 0) ||
		    (u.lemlen[0] == 9 && strncmp(u.lem[0], "trademark", 9) == 0)))
			return 1;
	}
	return 0;
}

static int
set_put(uint64_t **set, int **val, size_t *cap, size_t *used, uint64_t h, int v)
{
	size_t	 i;

	if ((*used + 1) * 2 > *cap) {
		size_t	 ncap = *cap ? *cap * 2 : 1024;
		uint64_t *ns = calloc(ncap, sizeof(*ns));
		int	*nv = val ? calloc(ncap, sizeof(*nv)) : NULL;

		if (ns == NULL || (val && nv == NULL)) {
			free(ns);
			free(nv);
			return -1;
		}
		for (size_t j = 0; j < *cap; j++)
			if ((*set)[j] != 0) {
				for (i = (*set)[j] & (ncap - 1); ns[i] != 0; i = (i + 1) & (ncap - 1))
					;
				ns[i] = (*set)[j];
				if (val)
					nv[i] = (*val)[j];
			}
		free(*set);
		*set = ns;
		if (val) {
			free(*val);
			*val = nv;
		}
		*cap = ncap;
	}
	for (i = h & (*cap - 1); (*set)[i] != 0; i = (i + 1) & (*cap - 1))
		if ((*set)[i] == h && val == NULL)
			return 0;
	(*set)[i] = h;
	if (val)
		(*val)[i] = v;
	(*used)++;
	return 0;
}

static int
name_add(const char *name, size_t len, int sure)
{
	if (lx.nnames == lx.capnames) {
		int	 nc = lx.capnames ? lx.capnames * 2 : 1024;
		size_t	*nn = realloc(lx.name, (size_t)nc * sizeof(*nn));
		int	*ns, *ng;

		if (nn == NULL)
			return -1;
		lx.name = nn;
		if ((ns = realloc(lx.sure, (size_t)nc * sizeof(*ns))) == NULL)
			return -1;
		lx.sure = ns;
		if ((ng = realloc(lx.group, (size_t)nc * sizeof(*ng))) == NULL)
			return -1;
		lx.group = ng;
		lx.capnames = nc;
	}
	if (lx.textlen + len + 1 > lx.textcap) {
		size_t	 nc = lx.textcap ? lx.textcap * 2 : 65536;
		char	*nt;

		while (nc < lx.textlen + len + 1)
			nc *= 2;
		if ((nt = realloc(lx.text, nc)) == NULL)
			return -1;
		lx.text = nt;
		lx.textcap = nc;
	}
	memcpy(lx.text + lx.textlen, name, len + 1);
	lx.name[lx.nnames] = lx.textlen;
	lx.sure[lx.nnames] = sure;
	lx.group[lx.nnames++] = lx.ngroups;
	lx.textlen += len + 1;
	return 0;
}

static int
group_end(int condition)
{
	if (lx.ngroups + 2 > lx.capgroups) {
		int	 nc = lx.capgroups ? lx.capgroups * 2 : 1024;
		int	*nf = realloc(lx.first, (size_t)nc * sizeof(*nf)), *ncnd;

		if (nf == NULL)
			return -1;
		lx.first = nf;
		if ((ncnd = realloc(lx.condition, (size_t)nc * sizeof(*ncnd))) == NULL)
			return -1;
		lx.condition = ncnd;
		lx.capgroups = nc;
	}
	lx.condition[lx.ngroups] = condition;
	lx.ngroups++;
	lx.first[lx.ngroups] = lx.nnames;
	return 0;
}

/* Notes the names of the meanings above the one at off (its hypernyms, theirs, ...) as above group g.
 * Returns 0, or -1 out of memory. */
static int
above_add(const struct wnfile *d, long off, int g, int depth)
{
	struct synset s;

	if (depth >= DEPTH_MAX || synset_at(d, off, &s) == -1)
		return 0;
	for (int i = 0; i < s.nhyp; i++) {
		struct synset h;

		if (synset_at(d, s.hyp[i], &h) == -1)
			continue;
		for (int k = 0; k < h.nlem; k++) {
			char	 nm[NAME_LEN + 1];
			size_t	 len = lemma_norm(h.lem[k], h.lemlen[k], nm, sizeof(nm));

			if (len > 0 && set_put(&lx.above, NULL, &lx.abovecap, &lx.aboveused,
			    above_key(g, nm, len), 0) == -1)
				return -1;
		}
		if (above_add(d, s.hyp[i], g, depth + 1) == -1)
			return -1;
	}
	return 0;
}

/* Keeps the names of the meaning s at offset off (see lexicon.h), with the names of the meanings
 * above it. Returns 0, or -1 out of memory. */
static int
keep(const struct wnfile *f, long off, const struct synset *s)
{
	char	 names[LEMMAS_MAX][NAME_LEN + 1];
	int	 sure[LEMMAS_MAX], n = 0, nsure = 0;

	for (int k = 0; k < s->nlem; k++) {
		char	 key[NAME_LEN + 1];
		size_t	 len;
		int	 dup = 0;

		if ((len = lemma_norm(s->lem[k], s->lemlen[k], names[n], sizeof(names[n]))) < 3 ||
		    marked(&f[0], s, k) || lemma_key(s->lem[k], s->lemlen[k], key, sizeof(key)) == -1)
			continue;
		for (int j = 0; j < n && !dup; j++)
			dup = strcmp(names[j], names[n]) == 0;
		if (dup)
			continue;
		sure[n] = senses(&f[1], key) == 1;
		if (sure[n] && strchr(names[n], ' ') == NULL)
			sure[n] = len >= 4 && senses(&f[2], key) == 0 && senses(&f[3], key) == 0 &&
			    senses(&f[4], key) == 0;
		nsure += sure[n];
		n++;
	}
	if (n < 2 || nsure == 0)
		return 0;
	for (int k = 0; k < n; k++)
		if (name_add(names[k], strlen(names[k]), sure[k]) == -1)
			return -1;
	if (above_add(&f[0], off, lx.ngroups, 0) == -1 || group_end(s->lexfile == 26) == -1)
		return -1;
	return 0;
}

static void
lexicon_load(void)
{
	static const char *const files[] = { "data.noun", "index.noun", "index.verb", "index.adj",
	    "index.adv" };
	/* the meanings names are kept under, with their lexicographer files (26: states, 6: things) */
	static const struct { const char *lemma; int lexfile; } root[] = {
		{ "disease", 26 }, { "illness", 26 }, { "symptom", 26 }, { "disorder", 26 },
		{ "pathology", 26 }, { "injury", 26 }, { "abnormality", 26 }, { "infection", 26 },
		{ "drug", 6 }, { "medicine", 6 },
	};
	struct wnfile f[5];
	struct memo_ent *memo = calloc(MEMO_CAP, sizeof(*memo));
	long	 roots[32];
	int	 nroots = 0, ok = 1;
	size_t	 setused = 0, startused = 0;
	const char *p;

	for (size_t i = 0; i < 5; i++)
		ok = read_file(files[i], &f[i]) == 0 && ok;
	if (!ok || memo == NULL)
		goto out;
	for (size_t i = 0; i < sizeof(root) / sizeof(root[0]); i++) {
		const char *line = index_find(&f[1], root[i].lemma);
		long	 cnt, pc;

		if (line == NULL)
			continue;
		p = next_field(next_field(line));
		cnt = num(p, 10);
		p = next_field(p);
		pc = num(p, 10);
		p = next_field(p);
		for (long k = 0; k < pc; k++)
			p = next_field(p);
		p = next_field(next_field(p));		/* the sense count again, the tagged count */
		for (long k = 0; k < cnt && nroots < 32 && *p >= '0' && *p <= '9'; k++) {
			struct synset s;
			long	 off = num(p, 10);

			if (synset_at(&f[0], off, &s) == 0 && s.lexfile == root[i].lexfile)
				roots[nroots++] = off;
			p = next_field(p);
		}
	}
	if (nroots == 0)
		goto out;
	lx.first = calloc(1024, sizeof(*lx.first));
	lx.condition = calloc(1024, sizeof(*lx.condition));
	if (lx.first == NULL || lx.condition == NULL)
		goto out;
	lx.capgroups = 1024;
	/* every meaning of the states and things under one of the roots */
	for (p = f[0].buf; p < f[0].buf + f[0].len;) {
		const char *nl = memchr(p, '\n', (size_t)(f[0].buf + f[0].len - p));
		struct synset s;

		/* "OFFSET LEXFILE ...": the file is read from the line before the line is parsed */
		if (p[0] >= '0' && p[0] <= '9' && p > f[0].buf && p + 12 < f[0].buf + f[0].len &&
		    ((p[9] == '2' && p[10] == '6') || (p[9] == '0' && p[10] == '6')) &&
		    synset_at(&f[0], (long)(p - f[0].buf), &s) == 0 && s.nlem >= 2 &&
		    medical(&f[0], (long)(p - f[0].buf), roots, nroots, 0, memo) &&
		    keep(f, (long)(p - f[0].buf), &s) == -1)
			goto out;
		p = nl ? nl + 1 : f[0].buf + f[0].len;
	}
	/* the sure names, by hash, and their first words */
	for (int k = 0; k < lx.nnames; k++) {
		const char *nm = lx.text + lx.name[k];
		size_t	 fw = strcspn(nm, " ");

		if (!lx.sure[k])
			continue;
		if (set_put(&lx.set, &lx.set_name, &lx.setcap, &setused, hash(nm, strlen(nm)), k) == -1 ||
		    set_put(&lx.starts, NULL, &lx.startcap, &startused, hash(nm, fw), 0) == -1)
			goto out;
	}
	loaded = 1;
out:
	for (size_t i = 0; i < 5; i++)
		free(f[i].buf);
	free(memo);
}

int
lexicon_open(void)
{
	pthread_once(&once, lexicon_load);
	return loaded ? 0 : -1;
}

/* The index of name among the names, when it is a sure one; -1 otherwise. */
static int
sure_name(const char *name)
{
	size_t	 len;
	uint64_t h;

	if (lexicon_open() == -1 || lx.setcap == 0 || name == NULL || (len = strlen(name)) == 0 ||
	    len > NAME_LEN)
		return -1;
	h = hash(name, len);
	for (size_t i = h & (lx.setcap - 1); lx.set[i] != 0; i = (i + 1) & (lx.setcap - 1))
		if (lx.set[i] == h && strcmp(lx.text + lx.name[lx.set_name[i]], name) == 0)
			return lx.set_name[i];
	return -1;
}

int
lexicon_names(const char *name, const char **out, int max, int sure)
{
	int	 k = sure_name(name), n = 0, g;

	if (k == -1)
		return 0;
	g = lx.group[k];
	for (int j = lx.first[g]; j < lx.first[g + 1] && n < max; j++)
		if (j != k && (!sure || lx.sure[j]))
			out[n++] = lx.text + lx.name[j];
	return n;
}

int
lexicon_condition(const char *name)
{
	int	 k = sure_name(name);

	return k != -1 && lx.condition[lx.group[k]];
}

int
lexicon_under(const char *name, const char *broader)
{
	int	 k = sure_name(name);
	uint64_t h;

	if (k == -1 || lx.abovecap == 0 || broader == NULL || broader[0] == '\0')
		return 0;
	h = above_key(lx.group[k], broader, strlen(broader));
	for (size_t i = h & (lx.abovecap - 1); lx.above[i] != 0; i = (i + 1) & (lx.abovecap - 1))
		if (lx.above[i] == h)
			return 1;
	return 0;
}

int
lexicon_starts(const char *w)
{
	size_t	 len;
	uint64_t h;

	if (lexicon_open() == -1 || lx.startcap == 0 || w == NULL || (len = strlen(w)) == 0 ||
	    len > NAME_LEN)
		return 0;
	h = hash(w, len);
	for (size_t i = h & (lx.startcap - 1); lx.starts[i] != 0; i = (i + 1) & (lx.startcap - 1))
		if (lx.starts[i] == h)
			return 1;
	return 0;
}

int
lexicon_size(void)
{
	return lexicon_open() == 0 ? lx.nnames : 0;
}
