/* req.c: request parsing and validation, request-owned memory, reply headers (see req.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "content.h"
#include "log.h"
#include "render.h"
#include "req.h"
#include "server.h"
#include "util.h"

/* A parameter's definition: its name and the check that converts it. */
struct keydef {
	const char	*name;
	int		(*check)(struct req *, const struct keydef *, const char *, struct field *);
	long long	 min, max;
	const char	*what;		/* for messages: "a whole number from 1 to 100" */
};

static int check_int(struct req *, const struct keydef *, const char *, struct field *);
static int check_audience(struct req *, const struct keydef *, const char *, struct field *);
static int check_text(struct req *, const struct keydef *, const char *, struct field *);
static int check_token(struct req *, const struct keydef *, const char *, struct field *);
static int check_secret(struct req *, const struct keydef *, const char *, struct field *);
static int check_word(struct req *, const struct keydef *, const char *, struct field *);
static int check_state(struct req *, const struct keydef *, const char *, struct field *);
static int check_target(struct req *, const struct keydef *, const char *, struct field *);
static int check_qstate(struct req *, const struct keydef *, const char *, struct field *);
static int check_format(struct req *, const struct keydef *, const char *, struct field *);
static int check_ref(struct req *, const struct keydef *, const char *, struct field *);
static int check_letter(struct req *, const struct keydef *, const char *, struct field *);
static int check_time(struct req *, const struct keydef *, const char *, struct field *);

static const struct keydef keydefs[KEY__MAX] = {
	[KEY_AUDIENCE] = { "audience", check_audience, 0, 0, NULL },
	[KEY_PAGE] = { "page", check_int, 1, 1000000, "a whole number from 1 to 1000000" },
	[KEY_PER_PAGE] = { "per_page", check_int, 1, 100, "a whole number from 1 to 100" },
	[KEY_Q] = { "q", check_text, 0, TEXT_QUERY_MAX, NULL },
	[KEY_QUESTION] = { "question", check_text, 0, TEXT_QUESTION_MAX, NULL },
	[KEY_ARTICLE] = { "article", check_int, 1, 9007199254740991LL, "an article number" },
	[KEY_CSRF] = { "csrf", check_token, 32, 32, NULL },
	[KEY_EMAIL] = { "email", check_text, 0, 254, NULL },
	[KEY_PASSWORD] = { "password", check_secret, 0, 1024, NULL },
	[KEY_NEXT] = { "next", check_text, 0, 500, NULL },
	[KEY_TO] = { "to", check_target, 0, 0, NULL },
	[KEY_REASON] = { "reason", check_text, 0, TEXT_REASON_MAX, NULL },
	[KEY_BASE] = { "base", check_int, 0, 1000000, "a revision number" },
	[KEY_REFERENCES] = { "references", check_text, 0, 60000, NULL },
	[KEY_BOTTOM_CLINICIAN] = { "bottom_clinician", check_text, 0, 4000, NULL },
	[KEY_BODY_CLINICIAN] = { "body_clinician", check_text, 0, 102400, NULL },
	[KEY_BOTTOM_NURSE] = { "bottom_nurse", check_text, 0, 4000, NULL },
	[KEY_BODY_NURSE] = { "body_nurse", check_text, 0, 102400, NULL },
	[KEY_BOTTOM_PHARMACIST] = { "bottom_pharmacist", check_text, 0, 4000, NULL },
	[KEY_BODY_PHARMACIST] = { "body_pharmacist", check_text, 0, 102400, NULL },
	[KEY_BOTTOM_STUDENT] = { "bottom_student", check_text, 0, 4000, NULL },
	[KEY_BODY_STUDENT] = { "body_student", check_text, 0, 102400, NULL },
	[KEY_BOTTOM_PATIENT] = { "bottom_patient", check_text, 0, 4000, NULL },
	[KEY_BODY_PATIENT] = { "body_patient", check_text, 0, 102400, NULL },
	[KEY_PREVIEW] = { "preview", check_word, 0, 32, NULL },
	[KEY_STATE] = { "state", check_state, 0, 0, NULL },
	[KEY_SORT] = { "sort", check_word, 0, 32, NULL },
	[KEY_REV] = { "rev", check_int, 1, 1000000, "a revision number" },
	[KEY_AGAINST] = { "against", check_int, 1, 1000000, "a revision number" },
	[KEY_QSTATE] = { "state", check_qstate, 0, 0, NULL },
	[KEY_FORMAT] = { "format", check_format, 0, 0, NULL },
	[KEY_REF] = { "ref", check_ref, 1, REF_MAX, "a reference number, or all" },
	[KEY_LETTER] = { "letter", check_letter, 0, 0, NULL },
	[KEY_SOURCE] = { "source", check_text, 1, 120, NULL },
	[KEY_QTYPE] = { "answers", check_word, 0, 32, NULL },
	[KEY_UPDATED_SINCE] = { "updated_since", check_time, 0, 0, NULL },
};

static const char *const method_names[METHOD__MAX] = {
	[METHOD_GET] = "GET", [METHOD_HEAD] = "HEAD", [METHOD_POST] = "POST", [METHOD_PUT] = "PUT",
	[METHOD_PATCH] = "PATCH", [METHOD_DELETE] = "DELETE", [METHOD_OPTIONS] = "OPTIONS",
};

const char *
http_method_name(enum method m)
{
	return m < METHOD__MAX ? method_names[m] : "?";
}

const char *
http_status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 409: return "Conflict";
	case 411: return "Length Required";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 428: return "Precondition Required";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Error";
	}
}

void
req_init(struct req *r, const struct req_input *in, struct db *db, const struct config *cfg)
{
	memset(r, 0, sizeof(*r));
	r->in = in;
	r->db = db;
	r->cfg = cfg;
	r->status = 200;
	r->query = "";
	r->path = "";
	r->settings.review_days = cfg != NULL ? cfg->review_days : 0;
	r->dom.db = db;
	r->dom.arena = &r->arena;
	r->dom.set = &r->settings;
}

void
req_free(struct req *r)
{
	arena_free(&r->arena);
	buf_free(&r->headers);
	buf_free(&r->body);
}

void *
req_alloc(struct req *r, size_t n)
{
	return arena_alloc(&r->arena, n);
}

char *
req_strdup(struct req *r, const char *s)
{
	/* out of memory: an empty string, never NULL where the caller expects text; the
	 * dispatcher answers 500 for any request in which an allocation failed */
	return arena_strdup(&r->arena, s);
}

int
req_outcome(struct req *r, enum outcome oc)
{
	static const int status[OUT__MAX] = {
		[OUT_OK] = 200, [OUT_CREATED] = 201, [OUT_INVALID] = 400, [OUT_FORBIDDEN] = 403,
		[OUT_NOT_FOUND] = 404, [OUT_CONFLICT] = 409, [OUT_FAILED] = 500,
	};

	for (int i = 0; i < r->dom.nerrors; i++)
		req_field_error(r, r->dom.errors[i].field, "%s", r->dom.errors[i].detail);
	if (r->dom.why[0] != '\0')
		snprintf(r->detail, sizeof(r->detail), "%s", r->dom.why);
	dom_clear(&r->dom);
	return (unsigned)oc < OUT__MAX ? status[oc] : 500;
}

int
req_fail(struct req *r, int status, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
	va_end(ap);
	utf8_trim(r->detail);
	return status;
}

int
req_field_error(struct req *r, const char *field, const char *fmt, ...)
{
	va_list	 ap;
	struct field_error *e;

	if (r->nerrors < REQ_MAX_ERRORS) {
		e = &r->errors[r->nerrors++];
		e->field = field;
		va_start(ap, fmt);
		vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
		va_end(ap);
		utf8_trim(e->detail);
		if (r->nerrors == 1)
			snprintf(r->detail, sizeof(r->detail), "%s: %s", field, e->detail);
		else
			snprintf(r->detail, sizeof(r->detail), "%d parameters are not valid; see the list below.",
			    r->nerrors);
		utf8_trim(r->detail);
	}
	return 400;
}

int
req_header(struct req *r, const char *name, const char *value)
{
	if (value == NULL || strpbrk(value, "\r\n") != NULL) {
		log_warnx("refused a %s header with a line break in it", name);
		return -1;
	}
	/* trusted: header names are literals; values were checked for line breaks above */
	buf_trusted(&r->headers, name, strlen(name));
	buf_lit(&r->headers, ": ");
	/* trusted: checked for line breaks above */
	buf_trusted(&r->headers, value, strlen(value));
	buf_lit(&r->headers, "\r\n");
	return 0;
}

static int
parse_method(struct req *r)
{
	const char *m = r->in->method;

	r->method_name = m ? m : "";
	for (int i = 0; i < METHOD__MAX; i++)
		if (m != NULL && strcmp(m, method_names[i]) == 0) {
			r->method = (enum method)i;
			return 0;
		}
	r->method = METHOD__MAX;
	return 0;	/* an unknown method is answered 405 by the dispatcher, with Allow */
}

int
req_tls(const struct req *r)
{
	return (r->in->https != NULL && strcmp(r->in->https, "on") == 0) ||
	    (r->in->scheme != NULL && strcmp(r->in->scheme, "https") == 0);
}

/* Reads the cookies evqa uses; malformed or unknown values are ignored, never an error, so that a
 * stale cookie can not lock a reader out of the site. Other cookies, however long, are skipped.
 * Behind TLS the session is only ever __Host-evqa_session (a plain evqa_session there could have
 * been set by anyone on the network, or by a sibling domain, and is ignored); over plain HTTP only
 * evqa_session. */
static void
parse_cookies(struct req *r)
{
	const char *c = r->in->cookie, *p, *end;
	const char *session = req_tls(r) ? "__Host-evqa_session" : "evqa_session";
	size_t	 sessl = strlen(session);

	/* behind nginx, the audience cookie as nginx read it for the cache key (conf/evqa-site.conf.in),
	 * so that the page stored under an audience is always that audience's page */
	if (r->in->cookie_audience != NULL) {
		const struct audience *a = audience_find(r->in->cookie_audience);

		r->cookie_audience = a != NULL ? a->code : NULL;
	}
	if (c == NULL || strlen(c) > REQ_MAX_COOKIE)
		return;
	for (p = c; *p != '\0'; p = *end ? end + 1 : end) {
		const char *eq, *val;
		size_t	 nlen, vlen;

		while (*p == ' ')
			p++;
		if ((end = strchr(p, ';')) == NULL)
			end = p + strlen(p);
		if ((eq = memchr(p, '=', (size_t)(end - p))) == NULL)
			continue;
		nlen = (size_t)(eq - p);
		val = eq + 1;
		vlen = (size_t)(end - val);
		if (nlen == 13 && strncmp(p, "evqa_audience", 13) == 0 && r->in->cookie_audience == NULL) {
			const struct audience *a = audience_findn(val, vlen);

			if (a != NULL)
				r->cookie_audience = a->code;
		} else if (nlen == sessl && strncmp(p, session, sessl) == 0 && vlen == 64 &&
		    strspn(val, "0123456789abcdef") >= 64 && r->cookie_session == NULL) {
			char *t = req_alloc(r, 65);

			if (t != NULL) {
				memcpy(t, val, 64);
				t[64] = '\0';
				r->cookie_session = t;
			}
		} else if (nlen == 9 && strncmp(p, "evqa_csrf", 9) == 0 && vlen == 32 &&
		    strspn(val, "0123456789abcdef") >= 32) {
			char *t = req_alloc(r, 33);

			if (t != NULL) {
				memcpy(t, val, 32);
				t[32] = '\0';
				r->cookie_csrf = t;
			}
		}
	}
}

int
req_parse(struct req *r)
{
	const char *uri = r->in->uri, *q;
	size_t	 ulen, plen;
	char	*path;

	parse_method(r);
	if (uri == NULL || uri[0] != '/')
		return req_fail(r, 400, "The request target must be a path starting with '/'.");
	ulen = strlen(uri);
	r->api = strncmp(uri, "/api/", 5) == 0;
	if (ulen > REQ_MAX_URI)
		return req_fail(r, 414, "The address is %zu bytes long; evqa accepts at most %d.",
		    ulen, REQ_MAX_URI);
	q = strchr(uri, '?');
	plen = q ? (size_t)(q - uri) : ulen;
	if ((path = req_alloc(r, plen + 1)) == NULL)
		return 500;
	if (pct_decode(path, uri, plen, 0) < 0)
		return req_fail(r, 400, "The address has a bad percent-escape, an encoded NUL byte or "
		    "text that is not UTF-8.");
	if (strstr(path, "/../") != NULL || strstr(path, "/./") != NULL ||
	    (plen >= 3 && strcmp(path + strlen(path) - 3, "/..") == 0))
		return req_fail(r, 400, "The address may not contain '.' or '..' segments.");
	r->path = path;
	if (q != NULL && (r->query = req_strdup(r, q + 1)) == NULL)
		return 500;
	parse_cookies(r);
	return 0;
}

/* The key named name among the allowed ones (two keys may share a name on different routes: the
 * review state of the dashboard and the question state of the queue), else the first of that name. */
static const struct keydef *
key_find(const char *name, unsigned long long allowed, enum key *which)
{
	for (int i = 0; i < KEY__MAX; i++)
		if ((allowed & (1ull << i)) && strcmp(keydefs[i].name, name) == 0) {
			*which = (enum key)i;
			return &keydefs[i];
		}
	for (int i = 0; i < KEY__MAX; i++)
		if (strcmp(keydefs[i].name, name) == 0) {
			*which = (enum key)i;
			return &keydefs[i];
		}
	return NULL;
}

static int
check_int(struct req *r, const struct keydef *kd, const char *v, struct field *f)
{
	if (parse_int(v, kd->min, kd->max, &f->num) == -1)
		return req_field_error(r, kd->name, "must be %s.", kd->what);
	return 0;
}

static int
check_audience(struct req *r, const struct keydef *kd, const char *v, struct field *f)
{
	const struct audience *a = audience_find(v);
	char	 list[200];

	if (a == NULL) {
		audience_list_codes(list, sizeof(list));
		return req_field_error(r, kd->name, "must be one of: %s.", list);
	}
	f->str = a->code;
	return 0;
}

/* Text: at most kd->max bytes (already valid UTF-8 without NUL), no control characters but tab and
 * line breaks; leading and trailing white space is trimmed. */
static int
check_text(struct req *r, const struct keydef *kd, const char *v, struct field *f)
{
	size_t	 n = strlen(v);
	char	*t;

	if (n > (size_t)kd->max)
		return req_field_error(r, kd->name, "is %zu bytes long; at most %lld are allowed.", n, kd->max);
	for (const unsigned char *p = (const unsigned char *)v; *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') || *p == 0x7f)
			return req_field_error(r, kd->name, "contains a control character.");
	while (*v == ' ' || *v == '\n' || *v == '\r' || *v == '\t')
		v++;
	n = strlen(v);
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\n' || v[n - 1] == '\r' || v[n - 1] == '\t'))
		n--;
	if ((t = req_alloc(r, n + 1)) == NULL)
		return 500;
	memcpy(t, v, n);
	t[n] = '\0';
	f->str = t;
	return 0;
}

/* A token evqa issued: exactly kd->min lowercase hex digits. */
static int
check_token(struct req *r, const struct keydef *kd, const char *v, struct field *f)
{
	if (strlen(v) != (size_t)kd->min || strspn(v, "0123456789abcdef") != (size_t)kd->min)
		return req_field_error(r, kd->name, "is not a token this site issued; reload the page and "
		    "try again.");
	f->str = v;
	return 0;
}

/* A secret (a password): at most kd->max bytes, kept exactly as sent. */
static int
check_secret(struct req *r, const struct keydef *kd, const char *v, struct field *f)
{
	if (strlen(v) > (size_t)kd->max)
		return req_field_error(r, kd->name, "is longer than %lld bytes.", kd->max);
	f->str = v;
	return 0;
}

/* A word from a fixed list the handler checks: lowercase letters and '_', at most kd->max bytes. */
static int
check_word(struct req *r, const struct keydef *kd, const char *v, struct field *f)
{
	size_t	 n = strlen(v);

	if (n == 0 || n > (size_t)kd->max || strspn(v, "abcdefghijklmnopqrstuvwxyz_") != n)
		return req_field_error(r, kd->name, "must be one of the listed values.");
	f->str = v;
	return 0;
}

/* A citation format by its name (cite_formats[]); num is its index. */
static int
check_format(struct req *r, const struct keydef *kd, const char *v, struct field *f)
{
	for (int i = 0; i < CITE__MAX; i++)
		if (strcmp(v, cite_formats[i].name) == 0) {
			f->str = cite_formats[i].name;
			f->num = i;
			return 0;
		}
	return req_field_error(r, kd->name, "must be ris, bibtex or csl-json.");
}

/* One letter "a" to "z" (either case), or "0". */
static int
check_letter(struct req *r, const struct keydef *kd, const char *v, struct field *f)
{
	static const char *const letters = "0abcdefghijklmnopqrstuvwxyz";
	const char *p;

	if (v[0] == '\0' || v[1] != '\0' || (p = strchr(letters, v[0] >= 'A' && v[0] <= 'Z' ? v[0] - 'A' + 'a' :
	    v[0])) == NULL)
		return req_field_error(r, kd->name, "must be one letter from a to z, or 0 for the rest.");
	static const char *const names[] = { "0", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l",
	    "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z" };

	f->num = p - letters;
	f->str = names[f->num];
	return 0;
}

/* "all" (num 0), or a number from kd->min to kd->max. */
static int
check_ref(struct req *r, const struct keydef *kd, const char *v, struct field *f)
{
	if (strcmp(v, "all") == 0) {
		f->str = v;
		f->num = 0;
		return 0;
	}
	return check_int(r, kd, v, f);
}

int
req_body_is(const struct req *r, const char *type)
{
	const char *ct = r->in->content_type;
	size_t	 n = strlen(type);

	return ct != NULL && strncasecmp(ct, type, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

int
req_parse_form(struct req *r, unsigned long long allowed)
{
	char	*body, *saved = r->query;
	int	 rc;

	if ((body = req_alloc(r, r->in->body_len + 1)) == NULL)
		return 500;
	memcpy(body, r->in->body, r->in->body_len);
	body[r->in->body_len] = '\0';
	if (strlen(body) != r->in->body_len)
		return req_fail(r, 400, "The form contains a NUL byte.");
	r->query = body;
	rc = req_parse_params(r, allowed);
	r->query = saved;
	return rc;
}

/* Splits a urlencoded string into decoded name/value pairs and validates each against keydefs. */
int
req_parse_params(struct req *r, unsigned long long allowed)
{
	const char *p = r->query, *amp;
	int	 status = 0, rc;

	while (*p != '\0') {
		const char *eq;
		size_t	 len, nlen;
		char	*name, *val;
		enum key k;
		const struct keydef *kd;

		amp = strchr(p, '&');
		len = amp ? (size_t)(amp - p) : strlen(p);
		if (len == 0) {
			p += amp ? 1 : 0;
			continue;
		}
		eq = memchr(p, '=', len);
		nlen = eq ? (size_t)(eq - p) : len;
		name = req_alloc(r, nlen + 1);
		val = req_alloc(r, len - nlen + 1);
		if (name == NULL || val == NULL)
			return 500;
		if (pct_decode(name, p, nlen, 1) < 0)
			return req_fail(r, 400, "A parameter name has a bad percent-escape, a NUL byte or "
			    "text that is not UTF-8.");
		if (pct_decode(val, eq ? eq + 1 : p + len, eq ? len - nlen - 1 : 0, 1) < 0) {
			if (r->nerrors == 0)
				status = req_field_error(r, req_strdup(r, name), "has a bad percent-escape, a NUL "
				    "byte or text that is not UTF-8.");
			goto next;
		}
		if ((kd = key_find(name, allowed, &k)) == NULL || !(allowed & (1ull << k))) {
			status = req_field_error(r, req_strdup(r, name), "is not a parameter this address takes.");
			goto next;
		}
		if (r->fields[k].present) {
			status = req_field_error(r, kd->name, "is given more than once.");
			goto next;
		}
		r->fields[k].present = 1;
		r->fields[k].str = val;
		if ((rc = kd->check(r, kd, val, &r->fields[k])) != 0) {
			r->fields[k].present = 0;
			status = rc;
		}
next:
		if (amp == NULL)
			break;
		p = amp + 1;
	}
	return status;
}

static int
check_state(struct req *r, const struct keydef *kd, const char *v, struct field *f)
{
	enum state st = state_find(v);

	if (st == STATE__MAX)
		return req_field_error(r, kd->name, "must be one of: submitted, under_review, approved, "
		    "changes_requested, archived.");
	f->str = states[st].code;
	return 0;
}

int
req_check_target(struct req *r, const char *field, const char *v, enum state *out)
{
	char	 list[160];
	size_t	 l = 0;

	if ((*out = state_find(v)) != STATE__MAX)
		return 0;
	list[0] = '\0';
	for (int i = 0; i < STATE__MAX && l < sizeof(list); i++)
		l += (size_t)snprintf(list + l, sizeof(list) - l, "%s%s", i ? ", " : "", states[i].code);
	return req_field_error(r, field, "must be one of %s.", list);
}

/* The state a revision is to move to (see req_check_target); num is its enum state. */
static int
check_target(struct req *r, const struct keydef *kd, const char *v, struct field *f)
{
	enum state st;
	int	 rc;

	if ((rc = req_check_target(r, kd->name, v, &st)) != 0)
		return rc;
	f->str = states[st].code;
	f->num = st;
	return 0;
}

/* A reader's question's state (the question queue's filter). */
static int
check_qstate(struct req *r, const struct keydef *kd, const char *v, struct field *f)
{
	enum qstate st = qstate_find(v);

	if (st != QSTATE__MAX) {
		f->str = qstates[st].code;
		return 0;
	}
	return req_field_error(r, kd->name, "must be one of: queued, answered, answered_by_editors, "
	    "dismissed.");
}

/* An evqa time: 'YYYY-MM-DDTHH:MM:SSZ' in UTC, each part in its range. */
static int
check_time(struct req *r, const struct keydef *kd, const char *v, struct field *f)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	int	 mo, d, h, mi, se;

	for (size_t i = 0; i < sizeof(shape) - 1; i++)
		if (shape[i] == 'd' ? (v[i] < '0' || v[i] > '9') : v[i] != shape[i])
			goto bad;
	if (v[sizeof(shape) - 1] != '\0')
		goto bad;
	mo = (v[5] - '0') * 10 + v[6] - '0';
	d = (v[8] - '0') * 10 + v[9] - '0';
	h = (v[11] - '0') * 10 + v[12] - '0';
	mi = (v[14] - '0') * 10 + v[15] - '0';
	se = (v[17] - '0') * 10 + v[18] - '0';
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59)
		goto bad;
	f->str = v;
	return 0;
bad:
	return req_field_error(r, kd->name, "must be a UTC time written YYYY-MM-DDTHH:MM:SSZ, such as "
	    "2025-07-25T09:00:00Z.");
}
