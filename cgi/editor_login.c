/* editor_login.c: the editors' log-in page (GET and POST /editor/login) and logging out (POST
 * /editor/logout). A failed log-in shows the form again with the message and the address kept. */
#include "config.h"

#include "auth.h"
#include "editor.h"
#include "guard.h"
#include "route.h"
#include "tmpl.h"

static int
editor_login_fill(struct buf *out, enum tmpl_editor_login_hole hole, void *arg)
{
	struct ed *e = arg;

	switch (hole) {
	case TH_EDITOR_LOGIN_ERROR:
		if (e->message != NULL)
			return ed_error_write(out, e);
		return 0;
	case TH_EDITOR_LOGIN_CSRF:
		buf_html(out, e->csrf);
		return 0;
	case TH_EDITOR_LOGIN_NEXT:
		buf_html(out, e->next);
		return 0;
	case TH_EDITOR_LOGIN_EMAIL:
		buf_html(out, e->email);
		return 0;
	}
	return -1;
}

/* The page's main part (page_render()). */
static int
editor_login_main(struct buf *out, void *arg)
{
	return tmpl_render_editor_login(out, editor_login_fill, arg);
}

int
editor_login_form(struct req *r)
{
	struct ed e;
	int	 rc;

	ed_init(&e, r);
	if ((rc = ed_csrf(&e)) != 0)
		return rc;
	e.next = r->fields[KEY_NEXT].present && auth_local_path(r->fields[KEY_NEXT].str) ?
	    r->fields[KEY_NEXT].str : "/editor";
	rc = ed_page(&e, "Editor login", editor_login_main);
	ed_free(&e);
	return rc;
}

int
editor_login(struct req *r)
{
	struct ed e;
	const char *next = r->fields[KEY_NEXT].present ? r->fields[KEY_NEXT].str : "/editor";
	int	 rc, st;

	if ((rc = guard_origin(r)) != 0 || (rc = guard_csrf(r)) != 0)
		return rc;
	if (!auth_local_path(next))
		next = "/editor";
	st = auth_login(r, r->fields[KEY_EMAIL].present ? r->fields[KEY_EMAIL].str : "",
	    r->fields[KEY_PASSWORD].present ? r->fields[KEY_PASSWORD].str : "");
	if (st == 0) {
		req_location(r, next);
		req_cache(r, CACHE_NO_STORE);
		return 303;
	}
	if (st != 401 && st != 429)
		return st;
	/* the form again, with the message and the e-mail address kept */
	ed_init(&e, r);
	if ((rc = ed_csrf(&e)) != 0)
		return rc;
	e.next = next;
	e.email = r->fields[KEY_EMAIL].present ? r->fields[KEY_EMAIL].str : "";
	e.message = req_strdup(r, r->detail);
	rc = ed_page(&e, "Editor login", editor_login_main);
	ed_free(&e);
	if (rc != 200)
		return rc;
	r->keep_body = 1;
	return st;
}

int
editor_logout(struct req *r)
{
	int	 rc;

	if ((rc = guard_origin(r)) != 0 || (rc = guard_csrf(r)) != 0)
		return rc;
	auth_logout(r);
	req_location(r, "/editor/login");
	return 303;
}
