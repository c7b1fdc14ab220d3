/* serve.c: the FastCGI server: worker threads, one SQLite connection each, and a clean shutdown.
 *
 * Each worker accepts with FCGX_Accept_r, builds the whole reply (route_dispatch) and sends it.
 * Shutdown is ours: libfcgi ignores SIGTERM while a worker waits in accept() or in read() on an idle
 * connection. The main thread waits for SIGTERM/SIGINT with sigwait(), stops accepting (removes the
 * socket, tells libfcgi a shutdown is pending), waits for the requests in flight to finish (at most
 * SHUTDOWN_GRACE_MS), and exits 0; workers still blocked on idle connections hold no request and are
 * ended with the process. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "db.h"
#include "log.h"
#include "req.h"
#include "route.h"
#include "server.h"
#include "tmpl.h"
#include "util.h"

#define SHUTDOWN_GRACE_MS	1500
#define SHUTDOWN_SETTLE_MS	150
#define LISTEN_BACKLOG		256

static atomic_int stopping;	/* set once a stop signal arrived */
static atomic_int in_flight;	/* requests accepted and not yet finished */

struct worker {
	pthread_t	 thread;
	int		 listen_fd;
	const struct config *cfg;
	struct db	 db;
	struct buf	 body, headers;	/* reply buffers lent to each request, kept for the next */
	struct page_cache *cache;	/* rendered article pages */
};

#define REPLY_BUF_KEEP	(256 * 1024)	/* larger reply buffers are freed, not kept */

/* Writes r's reply: status line, headers, then the body (none for HEAD, 204 and 304). */
static void
send_reply(FCGX_Request *fr, struct req *r)
{
	struct buf head = BUF_INIT;
	int	 with_body = r->method != METHOD_HEAD && r->status != 304 && r->status != 204;

	buf_lit(&head, "Status: ");
	buf_int(&head, r->status);
	buf_lit(&head, " ");
	/* trusted: the reply head: a status phrase, checked headers and evqa's content types */
	buf_trusted(&head, http_status_text(r->status), strlen(http_status_text(r->status)));
	buf_lit(&head, "\r\n");
	if (r->headers.len > 0)
		/* trusted: written by req_header(), which checks values */
		buf_trusted(&head, r->headers.p, r->headers.len);
	if (r->status != 304 && r->status != 204) {
		if (r->content_type != NULL) {
			buf_lit(&head, "Content-Type: ");
			/* trusted: content types are literals in the handlers */
			buf_trusted(&head, r->content_type, strlen(r->content_type));
			buf_lit(&head, "\r\n");
		}
		buf_lit(&head, "Content-Length: ");
		buf_int(&head, (long long)r->body.len);
		buf_lit(&head, "\r\n");
	}
	buf_lit(&head, "\r\n");
	if (head.err) {
		log_warnx("out of memory writing reply headers");
		FCGX_PutS("Status: 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\nout of memory\n",
		    fr->out);
	} else {
		FCGX_PutStr(head.p, (int)head.len, fr->out);
		if (with_body && r->body.len > 0)
			FCGX_PutStr(r->body.p, (int)r->body.len, fr->out);
	}
	buf_free(&head);
}

/* Reads the request body (CONTENT_LENGTH bytes, at most REQ_MAX_BODY) into request memory.
 * Problems are left in in->body_status for the dispatcher to answer. */
static void
read_body(struct req *r, struct req_input *in, FCGX_Request *fr)
{
	long long len;
	char	*b;
	int	 got;

	if (in->content_length == NULL || in->content_length[0] == '\0')
		return;
	if (parse_int(in->content_length, 0, 1LL << 40, &len) == -1) {
		in->body_status = 400;
		return;
	}
	if (len == 0)
		return;
	if (len > REQ_MAX_BODY) {
		in->body_status = 413;
		return;
	}
	if ((b = req_alloc(r, (size_t)len + 1)) == NULL) {
		in->body_status = 413;
		return;
	}
	got = FCGX_GetStr(b, (int)len, fr->in);
	if (got != (int)len) {
		in->body_status = 400;
		return;
	}
	b[len] = '\0';
	in->body = b;
	in->body_len = (size_t)len;
}

static void
handle(struct worker *w, FCGX_Request *fr)
{
	struct req_input in = {
		.method = FCGX_GetParam("REQUEST_METHOD", fr->envp),
		.uri = FCGX_GetParam("REQUEST_URI", fr->envp),
		.content_type = FCGX_GetParam("CONTENT_TYPE", fr->envp),
		.content_length = FCGX_GetParam("CONTENT_LENGTH", fr->envp),
		.cookie = FCGX_GetParam("HTTP_COOKIE", fr->envp),
		.origin = FCGX_GetParam("HTTP_ORIGIN", fr->envp),
		.if_none_match = FCGX_GetParam("HTTP_IF_NONE_MATCH", fr->envp),
		.acr_method = FCGX_GetParam("HTTP_ACCESS_CONTROL_REQUEST_METHOD", fr->envp),
		.https = FCGX_GetParam("HTTPS", fr->envp),
		.scheme = FCGX_GetParam("REQUEST_SCHEME", fr->envp),
		.host = FCGX_GetParam("HTTP_HOST", fr->envp),
		.csrf_header = FCGX_GetParam("HTTP_X_CSRF_TOKEN", fr->envp),
		.authorization = FCGX_GetParam("HTTP_AUTHORIZATION", fr->envp),
		.if_match = FCGX_GetParam("HTTP_IF_MATCH", fr->envp),
		.idempotency_key = FCGX_GetParam("HTTP_IDEMPOTENCY_KEY", fr->envp),
		.remote_addr = FCGX_GetParam("REMOTE_ADDR", fr->envp),
		.sec_fetch_site = FCGX_GetParam("HTTP_SEC_FETCH_SITE", fr->envp),
		.gzip = FCGX_GetParam("EVQA_GZIP", fr->envp),
		.cookie_audience = FCGX_GetParam("EVQA_COOKIE_AUDIENCE", fr->envp),
	};
	struct req r;

	req_init(&r, &in, &w->db, w->cfg);
	r.cache = w->cache;
	r.body = w->body;
	r.headers = w->headers;
	buf_reset(&r.body);
	buf_reset(&r.headers);
	read_body(&r, &in, fr);
	route_dispatch(&r);
	if (r.status >= 500)
		log_warnx("%s %s: %d %s", r.method_name, r.path, r.status, r.detail);
	send_reply(fr, &r);
	db_idle(&w->db);
	/* take the buffers back before the request frees what it owns */
	w->body = r.body;
	w->headers = r.headers;
	memset(&r.body, 0, sizeof(r.body));
	memset(&r.headers, 0, sizeof(r.headers));
	if (w->body.cap > REPLY_BUF_KEEP)
		buf_free(&w->body);
	req_free(&r);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	FCGX_Request fr;

	if (FCGX_InitRequest(&fr, w->listen_fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		log_warnx("cannot set up a FastCGI request");
		return NULL;
	}
	while (!atomic_load(&stopping)) {
		if (FCGX_Accept_r(&fr) < 0) {
			if (atomic_load(&stopping))
				break;
			/* a client that went away before sending its request: try again, without spinning */
			usleep(1000);
			continue;
		}
		atomic_fetch_add(&in_flight, 1);
		handle(w, &fr);
		FCGX_Finish_r(&fr);
		atomic_fetch_sub(&in_flight, 1);
	}
	search_pages_thread_end();
	return NULL;
}

static int
open_listener(const struct config *cfg)
{
	int	 fd;
	struct stat st;

	if (cfg->socket_path == NULL)
		return 0;	/* started by a FastCGI spawner: the socket is fd 0 */
	if (strlen(cfg->socket_path) >= 100) {
		log_warnx("the socket path %s is too long (Unix sockets allow about 100 bytes)",
		    cfg->socket_path);
		return -1;
	}
	if (lstat(cfg->socket_path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			log_warnx("%s exists and is not a socket; refusing to replace it", cfg->socket_path);
			return -1;
		}
		unlink(cfg->socket_path);	/* a stale socket from an earlier run */
	}
	if ((fd = FCGX_OpenSocket(cfg->socket_path, LISTEN_BACKLOG)) < 0) {
		log_warnx("cannot listen on %s", cfg->socket_path);
		return -1;
	}
	/* nginx's workers may run as another user */
	if (chmod(cfg->socket_path, 0666) == -1)
		log_warn("chmod %s", cfg->socket_path);
	return fd;
}

static long
ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

int
serve(const struct config *cfg)
{
	struct worker *w;
	sigset_t set;
	int	 fd, sig = 0, started = 0, status = 1;
	char	 err[512];
	struct timespec t0;

	if (FCGX_Init() != 0 || tmpl_init() == -1) {
		log_warnx("cannot initialise FastCGI or the page templates");
		return 1;
	}
	if ((w = calloc((size_t)cfg->threads, sizeof(*w))) == NULL)
		return 1;
	/* Open and check every connection before accepting anything. */
	for (int i = 0; i < cfg->threads; i++) {
		if (db_open(&w[i].db, cfg->db_path, 0, err, sizeof(err)) == -1) {
			fprintf(stderr, "evqa: %s\n", err);
			goto out;
		}
		if ((w[i].cache = page_cache_new()) == NULL)
			goto out;
	}
	if ((fd = open_listener(cfg)) < 0)
		goto out;
	/* Stop signals go to the main thread only; workers inherit the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	for (int i = 0; i < cfg->threads; i++) {
		w[i].listen_fd = fd;
		w[i].cfg = cfg;
		if (pthread_create(&w[i].thread, NULL, worker_main, &w[i]) != 0) {
			log_warnx("cannot start worker %d", i);
			break;
		}
		started++;
	}
	if (started == 0)
		goto out;
	log_info("serving %s on %s with %d workers", cfg->db_path,
	    cfg->socket_path ? cfg->socket_path : "fd 0", started);
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGTERM || sig == SIGINT)
			break;
	}
	atomic_store(&stopping, 1);
	FCGX_ShutdownPending();
	if (cfg->socket_path != NULL)
		unlink(cfg->socket_path);	/* new connections are refused from here on */
	shutdown(fd, SHUT_RDWR);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* A request whose bytes arrived just before the signal counts as in flight only once its worker
	 * has read it: give workers SHUTDOWN_SETTLE_MS to do so before trusting in_flight. */
	while ((ms_since(&t0) < SHUTDOWN_SETTLE_MS || atomic_load(&in_flight) > 0) &&
	    ms_since(&t0) < SHUTDOWN_GRACE_MS)
		usleep(5000);
	if (atomic_load(&in_flight) > 0)
		log_warnx("stopping with %d requests unfinished", atomic_load(&in_flight));
	log_info("stopped on signal %d", sig);
	fflush(NULL);
	/* Workers may be blocked in accept() or read(); the process exit ends them. */
	_exit(0);
out:
	for (int i = 0; i < cfg->threads; i++) {
		db_close(&w[i].db);
		page_cache_free(w[i].cache);
	}
	free(w);
	return status;
}
