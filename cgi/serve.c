/* serve.c: the FastCGI server: worker threads, one SQLite connection each, and a clean shutdown.
 *
 * Each worker accepts with FCGX_Accept_r, builds the whole reply (route_dispatch) and sends it.
 * Shutdown is ours: libfcgi ignores SIGTERM while a worker waits in accept() or in read() on an idle
 * connection. The main thread waits for SIGTERM/SIGINT with sigwait(), stops accepting (removes the
 * socket, tells libfcgi a shutdown is pending), waits for the requests in flight to finish (at most
 * SHUTDOWN_GRACE_MS), and exits 0; workers still blocked on idle connections hold no request and are
 * ended with the process.
 *
 * Connections are accepted here, not by libfcgi: each new connection's opening records are checked by
 * fcgiscan() (peeking, so nothing is consumed) before libfcgi reads them, because libfcgi allocates
 * whatever lengths a params record announces. A connection that is not a complete, bounded request
 * within CONN_DEADLINE_MS is closed. While a worker reads a request body or writes a reply, the main
 * thread's watchdog shuts the connection down once CONN_DEADLINE_MS pass, so a client that stalls
 * loses its worker in bounded time. The socket is created mode 0660 (group: --socket-group), so only
 * the web server reaches it; REMOTE_ADDR and HTTPS are believed because of that. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
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
#include "dict.h"
#include "lexicon.h"
#include "fcgiscan.h"
#include "log.h"
#include "memo.h"
#include "req.h"
#include "route.h"
#include "server.h"
#include "util.h"

#define SHUTDOWN_GRACE_MS	1500
#define SHUTDOWN_SETTLE_MS	150
#define LISTEN_BACKLOG		256
#define CONN_DEADLINE_MS	10000	/* reading a request, and writing its reply, take at most this */
#define WATCHDOG_TICK_MS	250
#define REPLY_BUF_KEEP		(256 * 1024)	/* larger reply buffers are freed, not kept */
#define PENDING_MAX		512	/* connections whose opening records are still coming */
#define PENDING_RECHECK_MS	10	/* how often an incomplete opening is looked at again */
#define READY_MAX		1024	/* checked connections waiting for a worker */

static atomic_int stopping;	/* set once a stop signal arrived */
static atomic_int in_flight;	/* requests accepted and not yet finished */

struct worker {
	pthread_t	 thread;
	const struct config *cfg;
	struct db	 db;
	struct buf	 body, headers;	/* reply buffers lent to each request, kept for the next */
	struct page_cache *cache;	/* rendered article pages */
	struct memo	*memo;		/* kept JSON replies */
	pthread_mutex_t	 conn_lock;	/* guards conn_fd and conn_deadline */
	int		 conn_fd;	/* connection read or written now; -1 when none or in a handler */
	long long	 conn_deadline;	/* monotonic ms at which the watchdog shuts conn_fd down */
};

/* Puts fd under the watchdog for CONN_DEADLINE_MS from now, or takes it off (fd -1). */
static void
conn_watch(struct worker *w, int fd)
{
	pthread_mutex_lock(&w->conn_lock);
	w->conn_fd = fd;
	w->conn_deadline = time_mono_ms() + CONN_DEADLINE_MS;
	pthread_mutex_unlock(&w->conn_lock);
}

/* The main thread, every WATCHDOG_TICK_MS: shuts down connections past their deadline. The worker
 * then sees end of input or a failed write, answers or drops the request, and goes on. */
static void
watchdog(struct worker *w, int n)
{
	long long now = time_mono_ms();

	for (int i = 0; i < n; i++) {
		pthread_mutex_lock(&w[i].conn_lock);
		if (w[i].conn_fd >= 0 && now > w[i].conn_deadline) {
			log_warnx("a FastCGI client stalled for %d ms; closing its connection", CONN_DEADLINE_MS);
			shutdown(w[i].conn_fd, SHUT_RDWR);
			w[i].conn_fd = -1;
		}
		pthread_mutex_unlock(&w[i].conn_lock);
	}
}

/* Connections accepted and checked by the acceptor thread, waiting for a worker. */
static struct {
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	int		 fds[READY_MAX];
	int		 head, n;
} ready = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, { 0 }, 0, 0 };

/* Hands a checked connection to the workers; closes it when READY_MAX are already waiting. */
static void
ready_push(int fd)
{
	pthread_mutex_lock(&ready.lock);
	if (ready.n == READY_MAX) {
		pthread_mutex_unlock(&ready.lock);
		log_warnx("%d requests already wait for a worker; closing a new connection", READY_MAX);
		close(fd);
		return;
	}
	ready.fds[(ready.head + ready.n++) % READY_MAX] = fd;
	atomic_fetch_add(&in_flight, 1);	/* until its worker has finished it */
	pthread_cond_signal(&ready.cond);
	pthread_mutex_unlock(&ready.lock);
}

/* The next checked connection; waits for one. Workers go on serving while the server stops, until
 * the process exits: a request that arrived before the stop signal is answered. */
static int
ready_pop(void)
{
	int	 fd;

	pthread_mutex_lock(&ready.lock);
	while (ready.n == 0)
		pthread_cond_wait(&ready.cond, &ready.lock);
	fd = ready.fds[ready.head];
	ready.head = (ready.head + 1) % READY_MAX;
	ready.n--;
	pthread_mutex_unlock(&ready.lock);
	return fd;
}

/* A connection accepted whose opening records are not all there yet. */
struct pending {
	int		 fd;
	long long	 deadline;	/* closed when still incomplete at this time (monotonic ms) */
	long long	 next;		/* looked at again no sooner than this: bytes wait unread */
};

/* Peeks at p's bytes. Returns 1 when its opening is complete and valid, 0 when more must come, -1
 * when it is to be closed. */
static int
pending_check(struct pending *p, unsigned char *buf)
{
	const char *why = NULL;
	ssize_t	 got;
	long	 rc;

	got = recv(p->fd, buf, FCGISCAN_PEEK_MAX, MSG_PEEK | MSG_DONTWAIT);
	if (got == -1 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (got <= 0)
		return -1;	/* closed before a whole request: nothing to answer */
	if ((rc = fcgiscan(buf, (size_t)got, &why)) > 0)
		return 1;
	if (rc == -1 || got == FCGISCAN_PEEK_MAX) {
		log_warnx("refusing a FastCGI connection: %s", why ? why : "its parameters are too long");
		return -1;
	}
	return 0;
}

/* The acceptor thread: accepts connections, holds each until its opening records are complete (see
 * fcgiscan.h) or CONN_DEADLINE_MS pass, and hands complete ones to the workers. No worker waits for
 * a slow client's opening. */
static void *
acceptor_main(void *arg)
{
	int	 listen_fd = *(int *)arg, n = 0;
	struct pending *pend;
	struct pollfd *pfd;
	unsigned char *buf;

	pend = calloc(PENDING_MAX, sizeof(*pend));
	pfd = calloc(PENDING_MAX + 1, sizeof(*pfd));
	buf = malloc(FCGISCAN_PEEK_MAX);
	if (pend == NULL || pfd == NULL || buf == NULL) {
		log_warnx("out of memory starting the acceptor");
		goto out;
	}
	/* once stopping, no new connections; those that sent a request before go on to the workers */
	while (!atomic_load(&stopping) || n > 0) {
		long long now = time_mono_ms(), wake = now + WATCHDOG_TICK_MS;
		int	 np = 0, i, listening = n < PENDING_MAX && !atomic_load(&stopping);

		/* listen only while there is room to hold another connection */
		if (listening)
			pfd[np++] = (struct pollfd){ .fd = listen_fd, .events = POLLIN };
		for (i = 0; i < n; i++) {
			if (pend[i].next <= now)
				pfd[np++] = (struct pollfd){ .fd = pend[i].fd, .events = POLLIN };
			else if (pend[i].next < wake)
				wake = pend[i].next;
		}
		if (poll(pfd, (nfds_t)np, (int)(wake - now)) == -1 && errno != EINTR) {
			log_warn("poll");
			usleep(10000);
			continue;
		}
		now = time_mono_ms();
		if (listening && (pfd[0].revents & POLLIN)) {
			int	 fd = accept(listen_fd, NULL, NULL);

			if (fd >= 0) {
				pend[n++] = (struct pending){ fd, now + CONN_DEADLINE_MS, 0 };
				continue;	/* look at it at once, in the next round */
			}
			if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
				usleep(10000);	/* out of descriptors, say: try again without spinning */
		}
		for (i = 0; i < n; i++) {
			struct pending *p = &pend[i];
			int	 rc = 0;

			if (p->next <= now)
				rc = pending_check(p, buf);
			if (rc == 0 && now >= p->deadline) {
				log_warnx("a FastCGI client sent no whole request in %d ms; closing it",
				    CONN_DEADLINE_MS);
				rc = -1;
			}
			if (rc == 0) {
				/* incomplete: its bytes stay unread, so poll would wake at once; wait a little */
				if (p->next <= now)
					p->next = now + PENDING_RECHECK_MS;
				continue;
			}
			if (rc == 1)
				ready_push(p->fd);
			else
				close(p->fd);
			pend[i--] = pend[--n];
		}
	}
out:
	for (int i = 0; i < n; i++)
		close(pend[i].fd);
	free(pend);
	free(pfd);
	free(buf);
	return NULL;
}

static void
send_reply(FCGX_Request *fr, struct req *r)
{
	struct buf head = BUF_INIT;
	int	 with_body = r->method != METHOD_HEAD && r->status != 304 && r->status != 204;

	req_reply_head(r, &head);	/* the one place a reply's headers are written */
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

	alloc_hook_request();	/* the request starts here: its body is read into request memory */
	req_init(&r, &in, &w->db, w->cfg);
	r.cache = w->cache;
	r.memo = w->memo;
	r.body = w->body;
	r.headers = w->headers;
	buf_reset(&r.body);
	buf_reset(&r.headers);
	read_body(&r, &in, fr);
	conn_watch(w, -1);	/* the handler's time is ours, not the client's */
	route_dispatch(&r);
	if (r.status >= 500)
		log_warnx("%s %s: %d %s", r.method_name, r.path, r.status, r.detail);
	conn_watch(w, fr->ipcFd);
	send_reply(fr, &r);
	FCGX_FFlush(fr->out);
	conn_watch(w, -1);
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

	/* no listening socket: libfcgi reads only connections the acceptor checked, and an accept() of its
	 * own (after a protocol error) fails at once */
	if (FCGX_InitRequest(&fr, -1, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		log_warnx("cannot set up a FastCGI request");
		return NULL;
	}
	for (;;) {
		int	 fd = ready_pop();
		struct timeval tv = { .tv_sec = CONN_DEADLINE_MS / 1000 };

		/* a backstop for the one write after the watchdog lets go (FCGX_Finish_r) */
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		conn_watch(w, fd);
		fr.ipcFd = fd;
		fr.keepConnection = 1;	/* so that FCGX_Accept_r does not close it before reading */
		if (FCGX_Accept_r(&fr) < 0) {
			/* cannot happen for a checked opening (libfcgi closed it) */
			conn_watch(w, -1);
			fr.ipcFd = -1;
			atomic_fetch_sub(&in_flight, 1);
			continue;
		}
		handle(w, &fr);
		FCGX_Finish_r(&fr);
		if (fr.ipcFd >= 0) {
			/* the client asked to keep the connection (FCGI_KEEP_CONN); its next opening would
			 * not be checked, so evqa closes it (nginx keeps none unless fastcgi_keep_conn) */
			close(fr.ipcFd);
			fr.ipcFd = -1;
		}
		atomic_fetch_sub(&in_flight, 1);
	}
	/* NOTREACHED: the process exits under its workers */
	search_pages_thread_end();
	return NULL;
}

static int
open_listener(const struct config *cfg)
{
	int	 fd;
	mode_t	 mask;
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
	/* mode 0660 from the start: the owner and the web server's group, nobody else */
	mask = umask(0117);
	fd = FCGX_OpenSocket(cfg->socket_path, LISTEN_BACKLOG);
	umask(mask);
	if (fd < 0) {
		log_warnx("cannot listen on %s", cfg->socket_path);
		return -1;
	}
	if (cfg->socket_group != NULL) {
		struct group *g = getgrnam(cfg->socket_group);

		if (g == NULL || chown(cfg->socket_path, (uid_t)-1, g->gr_gid) == -1) {
			log_warnx("cannot give %s to group %s", cfg->socket_path, cfg->socket_group);
			close(fd);
			unlink(cfg->socket_path);
			return -1;
		}
	}
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
	pthread_t acceptor;
	char	 err[512];
	struct timespec t0;

	alloc_hook_init();
	if (FCGX_Init() != 0) {
		log_warnx("cannot initialise FastCGI");
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
		if ((w[i].cache = page_cache_new()) == NULL || (w[i].memo = memo_new()) == NULL)
			goto out;
		pthread_mutex_init(&w[i].conn_lock, NULL);
		w[i].conn_fd = -1;
	}
	if (w[0].db.readonly)
		log_warnx("%s can be read but not written: pages are served, every change is answered 503 "
		    "and /healthz reports it", cfg->db_path);
	/* What the first requests would otherwise wait for, read before the socket listens, so that a
	 * client that can connect is served at once (the word lists and WordNet take a tenth of a
	 * second, far more under a sanitizer) */
	route_prepare();
	if (dict_open() == -1)
		log_warnx("no word lists in %s (Debian: hunspell-en-us, hunspell-en-med): only a word that "
		    "no article holds is taken for a misspelling", DICT_DIR);
	if (lexicon_open() == -1)
		log_warnx("no WordNet in %s (Debian: wordnet-base): questions find topics by the "
		    "content's names and synonyms only", WORDNET_DIR);
	/* Stop signals go to the main thread only; workers inherit the mask. Blocked before the socket
	 * listens, so that one sent as soon as a client can connect waits for the main thread. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((fd = open_listener(cfg)) < 0)
		goto out;
	for (int i = 0; i < cfg->threads; i++) {
		w[i].cfg = cfg;
		if (pthread_create(&w[i].thread, NULL, worker_main, &w[i]) != 0) {
			log_warnx("cannot start worker %d", i);
			break;
		}
		started++;
	}
	if (started == 0)
		goto out;
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1 ||
	    pthread_create(&acceptor, NULL, acceptor_main, &fd) != 0) {
		log_warnx("cannot start accepting connections");
		goto out;
	}
	log_info("serving %s on %s with %d workers", cfg->db_path,
	    cfg->socket_path ? cfg->socket_path : "fd 0", started);
	for (;;) {
		struct timespec tick = { 0, WATCHDOG_TICK_MS * 1000000L };

		if ((sig = sigtimedwait(&set, NULL, &tick)) == -1) {
			watchdog(w, started);
			continue;
		}
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
		memo_free(w[i].memo);
	}
	free(w);
	return status;
}
