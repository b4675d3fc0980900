/* 09-http-get.c - lab 09: URLs and downloading a page.
 *
 * The URL parser (url.c) is graded through a cmocka driver linked with
 * it (support/url_cases.c): a table of URLs in six groups, one check per
 * group, each case its own test; a check fails with the list of every
 * case that failed and why. The downloader, "get URL FILE", is graded
 * against a web server the check plays on loopback: for each connection
 * get makes, the check reads the request and answers as the download's
 * plan says (a response the harness's HTTP peer builds, or raw bytes in
 * a spelling of its own), then compares FILE (in the program's working
 * folder) byte for byte, or checks that it does not exist. Every rule of
 * the handout and the check that exercises it are listed in
 * rules/09-http-get.md. The rubric is the table at the end of this file.
 *
 * The file is longer than a check table should be: the download runner
 * and its answers are used by every get check and have no other home yet
 * (a harness HTTP peer that serves raw bytes and counts connections).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../harness/hx_http.h"
#include "../sl_lab.h"

/* Deadlines of single steps, in milliseconds (scaled like all deadlines). */
#define IO_MS	 1500 /* a request arrives, the downloader exits */
#define EXIT_MS	 1500 /* a program exits after bad arguments */
#define CASES_MS 4000 /* the URL driver runs one group */

/* Deadlines of whole checks. */
#define BUILD_MS    60000 /* every program, plain and sanitized */
#define URL_MS	    8000  /* one group of URL cases */
#define GET_MS	    8000  /* a few downloads */
#define GET_LONG_MS 15000 /* many downloads, or sanitized ones */

#define OUT_FILE    "download.out" /* FILE, in the program's cwd */
#define MAX_ANSWERS 8		   /* connections of one download */
#define MAX_SERVERS 2		   /* servers (ports) of one download */
#define MAX_HOPS    5		   /* redirects get follows (the handout) */
#define HTTP_PORT   80		   /* the default port of http */
#define LEAK_EXIT                                                              \
	86 /* a sanitized program's status after a                             \
	      LeakSanitizer report */

/* ---- the URL parser ---------------------------------------------------- */

/* Appends to out the first line of text that starts with prefix and
 * contains name right after it, from after the prefix; 0 if none. */
static int find_detail(const char *text, const char *name, struct hx_buf *out)
{
	static const char prefix[] = "case failed: ";
	size_t name_len = strlen(name);

	for (const char *at = text; (at = strstr(at, prefix)); at++) {
		const char *rest = at + strlen(prefix);

		if (strncmp(rest, name, name_len) == 0 &&
		    rest[name_len] == ':') {
			hx_buf_add(out, rest, strcspn(rest, "\n"));
			return 1;
		}
	}
	return 0;
}

/* Runs the driver on one group of the table and fails with the list of
 * the cases that failed. The driver speaks cmocka's format:
 *	[==========] Running N test(s).
 *	[       OK ] NAME      or      [  FAILED  ] NAME
 * and before a failure "case failed: NAME: reason". */
static void run_url_group(struct hx_check *c, const char *group)
{
	const char *args[] = {group, NULL};
	struct hx_proc *p = hx_start(c, "url-cases", args);
	struct hx_buf failed;
	int total = -1, passed = 0, nfailed = 0;
	char *copy, *line, *save = NULL;

	if (!p || hx_proc_wait(c, p, CASES_MS) < 0)
		return;
	if (WIFSIGNALED(p->wait_status)) {
		hx_fail(c, HX_CRASH,
			"the URL tests were killed by %s: url_parse crashed "
			"in a way the test driver could not catch",
			hx_signal_name(WTERMSIG(p->wait_status)));
		return;
	}
	p->accepted = 1; /* the list below says all its stderr would */
	hx_buf_init(&failed);
	copy = strdup(p->out.data ? p->out.data : "");
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "[==========] Running %d test", &total) == 1)
			continue;
		if (strstr(line, "test(s) run."))
			break; /* the summary repeats the failures */
		if (strncmp(line, "[       OK ] ", 13) == 0) {
			passed++;
		} else if (strncmp(line, "[  FAILED  ] ", 13) == 0) {
			nfailed++;
			hx_buf_addf(&failed, "\n  - ");
			if (!find_detail(p->out.data, line + 13, &failed))
				hx_buf_addf(&failed,
					    "%s: url_parse crashed or failed "
					    "(see the driver's stderr below)",
					    line + 13);
		}
	}
	free(copy);
	if (total <= 0)
		hx_fail(c, HX_ERROR, "the URL test driver ran no case");
	else if (passed < total)
		hx_fail(c, HX_FAIL,
			"%d of the %d URLs of this group were "
			"not parsed as url.h says:%s",
			total - passed, total, failed.data ? failed.data : "");
	if (!hx_ok(c) && nfailed < total - passed)
		p->accepted = 0; /* something the list cannot tell: stderr */
	hx_buf_free(&failed);
}

static void check_url_defaults(struct hx_check *c)
{
	run_url_group(c, "defaults");
}

static void check_url_ports(struct hx_check *c)
{
	run_url_group(c, "ports");
}

static void check_url_ipv6(struct hx_check *c)
{
	run_url_group(c, "ipv6");
}

static void check_url_query(struct hx_check *c)
{
	run_url_group(c, "query");
}

static void check_url_invalid(struct hx_check *c)
{
	run_url_group(c, "invalid");
}

static void check_url_limits(struct hx_check *c)
{
	run_url_group(c, "limits");
}

/* ---- the downloader: one run of "get URL download.out" ------------------ */

/* What the server does on one connection get makes. */
struct answer {
	const struct hx_http_reply_plan *plan; /* a response the peer builds */
	const char *raw;      /* or, with plan NULL, these bytes exactly */
	size_t raw_len;	      /* bytes of raw; 0: strlen(raw) */
	struct hx_plan split; /* how raw is cut and paced */
	size_t first_piece;   /* > 0: raw's first bytes go alone; the rest
				 (cut by split) once get waits for more */
	int keep_open;	      /* 1: no close after raw */
	int server;	      /* who answers: 0 the server of the URL's
				 port, 1 another on hx_port(c, 1) */
};

/* One run of get against the check's server. */
struct download {
	const char *url;    /* the URL, "%d" where the port goes; NULL:
			       "http://127.0.0.1:%d" and target */
	const char *target; /* the URL after "http://127.0.0.1:PORT" */
	const char *listen; /* the server's address; NULL: 127.0.0.1 */
	int no_listener;    /* 1: nothing listens on the port */
	int port;	    /* the server's port; 0: hx_port(c, 0) */
	const struct answer *answers; /* one per connection, in order */
	int nanswers;		      /* connections expected */
	const char *no_more;	      /* why another connection is wrong */
	int one_socket;		      /* 1: get holds one socket while the
					 server reads its request */
	int exit_code;		      /* 0: FILE must hold body; 2: no FILE; -1:
					 the caller judges how get ended */
	const void *body;	      /* the file expected with exit code 0 */
	size_t body_len;	      /* bytes of body */
	struct hx_http_message requests[MAX_ANSWERS]; /* what came */
	struct hx_proc *client;			      /* get */
};

/* An open pidfd of p (to poll for its end), or -1. */
static int open_pidfd(const struct hx_proc *p)
{
	return p->pid > 0 ? (int)syscall(SYS_pidfd_open, p->pid, 0) : -1;
}

/* Waits until one of the n listeners has a connection (its index) or
 * get has ended (-1), at most IO_MS (-2). A listener with fd -1 is not
 * watched. */
static int wait_listeners_or_end(struct hx_conn *listeners, int n,
				 struct hx_proc *p)
{
	int64_t deadline = hx_deadline(IO_MS);
	struct pollfd pfd[MAX_SERVERS + 1];
	int ready;

	for (int k = 0; k < n; k++)
		pfd[k] =
		    (struct pollfd){.fd = listeners[k].fd, .events = POLLIN};
	pfd[n] = (struct pollfd){.fd = open_pidfd(p), .events = POLLIN};
	do
		ready = poll(pfd, (nfds_t)n + 1, hx_remaining_ms(deadline));
	while (ready < 0 && errno == EINTR);
	if (pfd[n].fd >= 0)
		close(pfd[n].fd);
	for (int k = 0; k < n; k++)
		if (pfd[k].revents & POLLIN)
			return k;
	return ready > 0 ? -1 : -2;
}

/* Waits until get makes connection i (from 0) of d, to the server its
 * answer names; fails at once, rather than at the deadline, when get
 * exits without connecting or connects to the other server. */
static int wait_for_connection(struct hx_check *c, struct download *d,
			       struct hx_conn *listeners, const int *ports,
			       int i)
{
	int want = d->answers[i].server;
	int got = wait_listeners_or_end(listeners, MAX_SERVERS, d->client);
	struct hx_buf how;

	if (got == want)
		return 0;
	if (got >= 0)
		return hx_fail(c, HX_FAIL,
			       "get made connection %d to port %d; the "
			       "Location it follows names port %d",
			       i + 1, ports[got], ports[want]);
	if (got == -2)
		return hx_fail(c, HX_TIMEOUT,
			       "get did not make connection %d within %.1f s",
			       i + 1, IO_MS / 1000.0);
	hx_proc_wait(c, d->client, IO_MS);
	hx_buf_init(&how);
	hx_proc_describe_end(d->client, &how);
	hx_fail(c, HX_FAIL, "get ended (%s) without making connection %d",
		how.data, i + 1);
	hx_buf_free(&how);
	return -1;
}

/* Sockets the process holds now (from /proc/PID/fd), or -1. */
static int count_sockets(const struct hx_proc *p)
{
	char dir[64], path[320], link[64];
	struct dirent *e;
	DIR *fds;
	int count = 0;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)p->pid);
	fds = p->pid > 0 ? opendir(dir) : NULL;
	if (!fds)
		return -1;
	while ((e = readdir(fds))) {
		ssize_t len;

		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		len = readlink(path, link, sizeof(link) - 1);
		if (e->d_name[0] == '.' || len < 0)
			continue;
		link[len] = '\0';
		count += strncmp(link, "socket:", 7) == 0;
	}
	closedir(fds);
	return count;
}

/* get, connected and waiting for the response, holds one socket: the
 * sockets of the addresses that refused it, and of the connections
 * before a redirect, are closed. */
static int expect_one_socket(struct hx_check *c, struct download *d, int i)
{
	int n = count_sockets(d->client);

	if (n <= 1)
		return 0;
	hx_set_cause(c, HX_CAUSE_DESCRIPTORS,
		     "get: %d sockets open while connected once", n);
	return hx_fail(c, HX_FAIL,
		       "get holds %d sockets while it waits for the response "
		       "on connection %d: close the socket of an address "
		       "that refused before trying the next, and the "
		       "connection of a redirect before following it",
		       n, i + 1);
}

/* Accepts connection i of d, reads its request and answers it. */
static int serve(struct hx_check *c, struct download *d,
		 struct hx_conn *listener, struct hx_conn *conn, int i)
{
	const struct answer *a = &d->answers[i];
	size_t len, first;

	hx_http_message_free(&d->requests[i]);
	hx_http_message_init(&d->requests[i]);
	if (hx_tcp_accept(c, listener, conn, IO_MS) < 0 ||
	    hx_http_read_request(c, conn, &d->requests[i], IO_MS) < 0)
		return -1;
	if (d->one_socket && expect_one_socket(c, d, i) < 0)
		return -1;
	if (a->plan)
		return hx_http_send_reply(c, conn, a->plan);
	len = a->raw_len ? a->raw_len : strlen(a->raw);
	first = a->first_piece < len ? a->first_piece : 0;
	if (first) {
		/* The rest comes only once get has used the first piece and
		 * waits in recv for more: its buffer then holds a part. */
		if (hx_send(c, conn, a->raw, first, NULL) < 0)
			return -1;
		hx_proc_wait_idle(d->client, IO_MS);
		hx_recordf(c, conn->id,
			   "get waits for more: the other %zu "
			   "bytes go in one send",
			   len - first);
	}
	if (hx_send(c, conn, a->raw + first, len - first, &a->split) < 0)
		return -1;
	if (a->keep_open)
		hx_recordf(c, conn->id, "keeping the connection open");
	else
		hx_close(c, conn);
	return 0;
}

/* Once every answer is given, get must end without connecting again. */
static int expect_no_more(struct hx_check *c, struct download *d,
			  struct hx_conn *listeners)
{
	struct hx_conn extra;
	int got = wait_listeners_or_end(listeners, MAX_SERVERS, d->client);

	if (got < 0)
		return 0;
	if (hx_tcp_accept(c, &listeners[got], &extra, IO_MS) == 0)
		hx_close(c, &extra);
	return hx_fail(c, HX_FAIL, "get made connection %d; %s",
		       d->nanswers + 1,
		       d->no_more ? d->no_more
				  : "it should have been done after the last "
				    "response");
}

/* After the last answer: no more connections, the exit status, FILE
 * (at path) holding the body or absent. */
static void judge_end(struct hx_check *c, struct download *d,
		      struct hx_conn *listeners, const char *path)
{
	if (expect_no_more(c, d, listeners) < 0)
		return;
	if (d->exit_code < 0) {
		hx_proc_wait(c, d->client, IO_MS);
		return;
	}
	if (hx_proc_expect_exit(c, d->client, d->exit_code, IO_MS) < 0)
		return;
	if (d->exit_code == 0)
		hx_expect_file(c, path, d->body, d->body_len);
	else
		hx_expect_no_file(c, path);
}

/* Runs get once: serves each connection with its answer, keeps the
 * requests in d->requests, then checks the exit status and the file. */
static void run_download(struct hx_check *c, struct download *d)
{
	int ports[MAX_SERVERS] = {d->port ? d->port : hx_port(c, 0),
				  hx_port(c, 1)};
	char url[512], path[1024];
	const char *args[] = {url, OUT_FILE, NULL};
	struct hx_conn listeners[MAX_SERVERS], conns[MAX_ANSWERS];
	int second = 0; /* 1: an answer comes from the second server */

	for (int i = 0; i < MAX_ANSWERS; i++) {
		hx_http_message_init(&d->requests[i]);
		conns[i].fd = -1;
	}
	for (int i = 0; i < d->nanswers; i++)
		second |= d->answers[i].server == 1;
	if (d->url)
		snprintf(url, sizeof(url), d->url, ports[0]);
	else
		snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", ports[0],
			 d->target);
	snprintf(path, sizeof(path), "%s/%s", c->work_dir, OUT_FILE);
	unlink(path);
	listeners[0].fd = listeners[1].fd = -1;
	if ((!d->no_listener &&
	     hx_tcp_listen(c, &listeners[0],
			   d->listen ? d->listen : "127.0.0.1",
			   ports[0]) < 0) ||
	    (second &&
	     hx_tcp_listen(c, &listeners[1], "127.0.0.1", ports[1]) < 0))
		goto out_close;
	d->client = hx_start(c, "get", args);
	for (int i = 0; d->client && i < d->nanswers; i++) {
		struct hx_conn *listener = &listeners[d->answers[i].server];

		if (wait_for_connection(c, d, listeners, ports, i) < 0 ||
		    serve(c, d, listener, &conns[i], i) < 0)
			break;
	}
	if (d->client && hx_ok(c))
		judge_end(c, d, listeners, path);
out_close:
	for (int i = 0; i < MAX_ANSWERS; i++)
		hx_close(c, &conns[i]);
	for (int k = 0; k < MAX_SERVERS; k++)
		hx_close(c, &listeners[k]);
}

static void free_download(struct download *d)
{
	for (int i = 0; i < MAX_ANSWERS; i++)
		hx_http_message_free(&d->requests[i]);
}

/* Runs d after a transcript line naming the case; 0 if it passed. */
static int run_case(struct hx_check *c, struct download *d, const char *what)
{
	hx_recordf(c, 0, "case: %s", what);
	run_download(c, d);
	free_download(d);
	if (!hx_ok(c))
		hx_note(c, "the case that failed: %s", what);
	return hx_ok(c) ? 0 : -1;
}

/* Lines of numbered text, len bytes in all, into a malloc'd buffer. */
static char *make_text(size_t len)
{
	char *text = malloc(len + 64);
	size_t used = 0;

	for (int line = 1; text && used < len; line++)
		used += (size_t)sprintf(text + used,
					"%05d the quick brown fox jumps over "
					"the lazy dog\r\n",
					line);
	return text;
}

/* head, then len bytes of body, into out (cleared first). */
static void make_raw(struct hx_buf *out, const char *head, const void *body,
		     size_t len)
{
	hx_buf_clear(out);
	hx_buf_addf(out, "%s", head);
	hx_buf_add(out, body, len);
}

/* One chunk of a raw chunked body: its size line, printed by format. */
struct chunk {
	size_t size;	    /* bytes of body in it */
	const char *format; /* its size line: "%zx", "%zX;name=value" */
};

/* The chunks of body (their sizes must add up to its length), the last
 * chunk "0" and then trailer, appended to out. */
static void add_chunks(struct hx_buf *out, const char *body,
		       const struct chunk *chunks, int n, const char *trailer)
{
	size_t done = 0;

	for (int i = 0; i < n; i++) {
		hx_buf_addf(out, chunks[i].format, chunks[i].size);
		hx_buf_addf(out, "\r\n");
		hx_buf_add(out, body + done, chunks[i].size);
		hx_buf_addf(out, "\r\n");
		done += chunks[i].size;
	}
	hx_buf_addf(out, "0\r\n%s\r\n", trailer);
}

/* Requires the request's field name to be want (any case when nocase). */
static int expect_header(struct hx_check *c, const struct hx_http_message *req,
			 const char *name, const char *want, int nocase)
{
	const char *got = hx_http_header(req, name);
	char what[96], line[300];

	if (!got) {
		snprintf(line, sizeof(line), "%s: %s", name, want);
		return hx_expect_contains(c, "the request's head", line,
					  req->head.data);
	}
	if (nocase && strcasecmp(got, want) == 0)
		return 0;
	snprintf(what, sizeof(what), "the %s field of the request", name);
	return hx_expect_str(c, what, want, got);
}

/* ---- the request -------------------------------------------------------- */

static void check_get_request(struct hx_check *c)
{
	static const char body[] = "<html><body>hello</body></html>\n";
	const struct hx_http_reply_plan reply = {
	    .status = 200, .body = body, .body_len = strlen(body)};
	const struct answer answer = {.plan = &reply};
	struct download d = {.target = "/docs/page.html?lang=en&q=1#part2",
			     .answers = &answer,
			     .nanswers = 1,
			     .body = body,
			     .body_len = strlen(body)};
	const struct hx_http_message *req = &d.requests[0];
	char host[64];

	run_download(c, &d);
	if (!req->head.len)
		goto out_free;
	snprintf(host, sizeof(host), "127.0.0.1:%d", hx_port(c, 0));
	/* The fragment stays with the client; the Host names the port. */
	if (hx_expect_str(c, "the method", "GET", req->start[0]) < 0 ||
	    hx_expect_str(c, "the request target",
			  "/docs/page.html?lang=en&q=1", req->start[1]) < 0 ||
	    hx_expect_str(c, "the version", "HTTP/1.1", req->start[2]) < 0 ||
	    expect_header(c, req, "Host", host, 0) < 0 ||
	    expect_header(c, req, "Connection", "close", 1) < 0)
		goto out_free;
	if (req->bare_lf)
		hx_fail(c, HX_FAIL,
			"the request's lines end in \"\\n\"; HTTP "
			"wants \"\\r\\n\"");
out_free:
	free_download(&d);
}

/* One download of a small page from url (with "%d" for the port) on a
 * server at listen:port; the Host field must be host ("%d": the port). */
static int expect_host_field(struct hx_check *c, const char *url,
			     const char *listen, int port, const char *host,
			     int one_socket)
{
	static const char body[] = "served to the right address\n";
	const struct hx_http_reply_plan reply = {
	    .status = 200, .body = body, .body_len = strlen(body)};
	const struct answer answer = {.plan = &reply};
	struct download d = {.url = url,
			     .listen = listen,
			     .port = port,
			     .one_socket = one_socket,
			     .answers = &answer,
			     .nanswers = 1,
			     .body = body,
			     .body_len = strlen(body)};
	char want[128], shown[512], label[700];
	int rc;

	snprintf(shown, sizeof(shown), url, port);
	snprintf(label, sizeof(label), "get %s (a server on %s port %d)", shown,
		 listen, port);
	hx_recordf(c, 0, "case: %s", label);
	snprintf(want, sizeof(want), host, port);
	run_download(c, &d);
	if (hx_ok(c) && d.requests[0].head.len)
		expect_header(c, &d.requests[0], "Host", want, 1);
	if (!hx_ok(c))
		hx_note(c, "the case that failed: %s", label);
	rc = hx_ok(c) ? 0 : -1;
	free_download(&d);
	return rc;
}

static void check_get_localhost(struct hx_check *c)
{
	/* localhost is ::1 first, where nothing listens, then 127.0.0.1. */
	expect_host_field(c, "http://" HX_DUAL_HOST ":%d/index.html",
			  "127.0.0.1", hx_port(c, 0), HX_DUAL_HOST ":%d", 1);
}

static void check_get_ipv6(struct hx_check *c)
{
	expect_host_field(c, "http://[::1]:%d/v6.txt", "::1", hx_port(c, 0),
			  "[::1]:%d", 0);
}

static void check_get_default_port(struct hx_check *c)
{
	/* Port 80 is the default: it is not written in the Host field. */
	if (expect_host_field(c, "http://127.0.0.1/page.html", "127.0.0.1",
			      HTTP_PORT, "127.0.0.1", 0) == 0)
		expect_host_field(c, "http://127.0.0.1:80/page.html",
				  "127.0.0.1", HTTP_PORT, "127.0.0.1", 0);
}

/* ---- how the body's end is known -------------------------------------- */

static void check_get_length(struct hx_check *c)
{
	char *body = make_text(3000);
	/* The server keeps the connection open after the body: only
	 * Content-Length says where the body ends. */
	const struct hx_http_reply_plan replies[] = {
	    {.status = 200,
	     .body = body,
	     .body_len = 3000,
	     .headers = "Content-Type: text/plain\r\n",
	     .ending = HX_HTTP_KEEP_OPEN},
	    {.status = 200, .body = "", .ending = HX_HTTP_KEEP_OPEN},
	};
	static const char *const what[] = {
	    "3000 bytes, Content-Length: 3000, the connection kept open",
	    "an empty body, Content-Length: 0, the connection kept open"};

	if (!body)
		return;
	for (int i = 0; i < SL_COUNT(replies); i++) {
		const struct answer answer = {.plan = &replies[i]};
		struct download d = {.target = "/notes.txt",
				     .answers = &answer,
				     .nanswers = 1,
				     .body = body,
				     .body_len = replies[i].body_len};

		if (run_case(c, &d, what[i]) < 0)
			break;
	}
	free(body);
}

/* The spellings of a head HTTP allows besides the usual one. */
static void check_get_syntax(struct hx_check *c)
{
	static const struct {
		const char *what; /* the case, in feedback */
		const char *head; /* "%zu" is the body's length */
		int chunked;	  /* 1: the body goes in chunks */
		int keep_open;	  /* 1: no close after the body */
	} cases[] = {
	    {.what = "field names in lower case",
	     .head =
		 "HTTP/1.1 200 OK\r\ndate: Mon, 01 Jan 2024 10:00:00 GMT\r\n"
		 "content-type: text/plain\r\ncontent-length: %zu\r\n\r\n",
	     .keep_open = 1},
	    {.what = "field names in upper case, chunked",
	     .head = "HTTP/1.1 200 OK\r\nCONTENT-TYPE: text/plain\r\n"
		     "TRANSFER-ENCODING: chunked\r\n\r\n",
	     .chunked = 1,
	     .keep_open = 1},
	    {.what = "lines that end in \\n alone",
	     .head = "HTTP/1.1 200 OK\nContent-Type: text/plain\n"
		     "Content-Length: %zu\n\n",
	     .keep_open = 1},
	    {.what = "lines that end in \\r\\n and \\n, mixed",
	     .head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\n"
		     "Content-Length: %zu\r\n\n",
	     .keep_open = 1},
	    {.what = "a Content-Length with leading zeros (decimal, not octal)",
	     .head = "HTTP/1.1 200 OK\r\nContent-Length: 000%zu\r\n\r\n",
	     .keep_open = 1},
	    {.what = "a field whose name ends in Content-Length, before the "
		     "real one",
	     .head = "HTTP/1.1 200 OK\r\nX-Original-Content-Length: 12\r\n"
		     "Content-Length: %zu\r\n\r\n",
	     .keep_open = 1},
	    {.what = "an HTTP/1.0 status line",
	     .head = "HTTP/1.0 200 OK\r\nContent-Length: %zu\r\n\r\n"},
	};
	static const struct chunk chunks[] = {{.size = 700, .format = "%zx"},
					      {.size = 300, .format = "%zX"}};
	char *body = make_text(1000);
	struct hx_buf raw, head;

	if (!body)
		return;
	hx_buf_init(&raw);
	hx_buf_init(&head);
	for (int i = 0; i < SL_COUNT(cases); i++) {
		struct answer answer = {.keep_open = cases[i].keep_open};
		struct download d = {.target = "/spelling.txt",
				     .answers = &answer,
				     .nanswers = 1,
				     .body = body,
				     .body_len = 1000};

		hx_buf_clear(&head);
		hx_buf_addf(&head, cases[i].head, (size_t)1000);
		if (cases[i].chunked) {
			make_raw(&raw, head.data, "", 0);
			add_chunks(&raw, body, chunks, SL_COUNT(chunks), "");
		} else {
			make_raw(&raw, head.data, body, 1000);
		}
		answer.raw = raw.data;
		answer.raw_len = raw.len;
		if (run_case(c, &d, cases[i].what) < 0)
			break;
	}
	hx_buf_free(&head);
	hx_buf_free(&raw);
	free(body);
}

static void check_get_chunked(struct hx_check *c)
{
	/* Upper and lower case hex, leading zeros, extensions after ';'
	 * (one with a quoted ';' in it), and a trailer field. */
	static const struct chunk chunks[] = {
	    {.size = 1, .format = "%zx"},
	    {.size = 26, .format = "%zX"},
	    {.size = 300, .format = "%zx"},
	    {.size = 255, .format = "%zX;ext=1"},
	    {.size = 4096, .format = "%zx"},
	    {.size = 200, .format = "%04zx"},
	    {.size = 171, .format = "%zx;name=\"a;b\""},
	};
	static const struct chunk small[] = {
	    {.size = 5, .format = "%zx"},
	    {.size = 26, .format = "%zX"},
	    {.size = 12, .format = "%zx;x=y"},
	};
	static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain"
				   "\r\nTransfer-Encoding: chunked\r\n\r\n";
	char *body = make_text(5049);
	struct hx_buf raw;

	if (!body)
		return;
	hx_buf_init(&raw);
	{
		/* The size 0 chunk ends the body: the connection stays open. */
		struct answer answer = {.keep_open = 1};
		struct download d = {.target = "/chunked.txt",
				     .answers = &answer,
				     .nanswers = 1,
				     .body = body,
				     .body_len = 5049};

		make_raw(&raw, head, "", 0);
		add_chunks(&raw, body, chunks, SL_COUNT(chunks),
			   "X-Checksum: none\r\n");
		answer.raw = raw.data;
		answer.raw_len = raw.len;
		if (run_case(c, &d,
			     "chunks of 1, 1A, 12c, FF;ext=1, 1000, 00c8 and "
			     "ab;name=\"a;b\" bytes, a trailer field, the "
			     "connection kept open") < 0)
			goto out_free;
	}
	{
		/* Every size line and every CR LF in pieces of one byte. */
		struct answer answer = {
		    .split = {.split = HX_BYTES, .delay_ms = 1}};
		struct download d = {.target = "/slow-chunks.txt",
				     .answers = &answer,
				     .nanswers = 1,
				     .body = body,
				     .body_len = 43};

		make_raw(&raw, head, "", 0);
		add_chunks(&raw, body, small, SL_COUNT(small), "");
		answer.raw = raw.data;
		answer.raw_len = raw.len;
		run_case(c, &d, "a chunked response sent a byte at a time");
	}
out_free:
	hx_buf_free(&raw);
	free(body);
}

static void check_get_close(struct hx_check *c)
{
	static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: "
				   "text/plain\r\nConnection: close\r\n\r\n";
	char *body = make_text(5000);
	struct hx_buf raw;

	if (!body)
		return;
	hx_buf_init(&raw);
	{
		/* The body starts only once get has read the head and waits:
		 * what came with the head is not the whole body. */
		struct answer answer = {
		    .first_piece = strlen(head),
		    .split = {.split = HX_RANDOM, .max_piece = 900}};
		struct download d = {.target = "/until-close.txt",
				     .answers = &answer,
				     .nanswers = 1,
				     .body = body,
				     .body_len = 5000};

		make_raw(&raw, head, body, 5000);
		answer.raw = raw.data;
		answer.raw_len = raw.len;
		if (run_case(c, &d,
			     "5000 bytes without Content-Length or chunks, "
			     "in pieces, then the close") < 0)
			goto out_free;
	}
	{
		const struct answer answer = {.raw = head};
		struct download d = {.target = "/until-close.txt",
				     .answers = &answer,
				     .nanswers = 1,
				     .body = "",
				     .body_len = 0};

		run_case(c, &d,
			 "the close right after the head: an empty body");
	}
out_free:
	hx_buf_free(&raw);
	free(body);
}

/* The line "download.out: N bytes" on get's stdout. */
static int expect_summary(struct hx_check *c, const struct hx_proc *p, size_t n)
{
	char line[96];
	const char *out = p->out.data ? p->out.data : "";
	const char *at;

	snprintf(line, sizeof(line), OUT_FILE ": %zu bytes\n", n);
	at = strstr(out, line);
	if (at && (at == out || at[-1] == '\n'))
		return 0;
	return hx_expect_str(c, "get's stdout", line, out);
}

static void check_get_output(struct hx_check *c)
{
	static const size_t chunks[] = {100, 1000};
	char *body = make_text(4000);
	const struct hx_http_reply_plan replies[] = {
	    {.status = 200, .body = body, .body_len = 4000},
	    {.status = 200,
	     .body = body,
	     .body_len = 2345,
	     .framing = HX_HTTP_CHUNKED,
	     .chunks = chunks,
	     .nchunks = SL_COUNT(chunks)},
	    {.status = 200,
	     .body = body,
	     .body_len = 777,
	     .framing = HX_HTTP_UNTIL_CLOSE},
	};
	static const char *const what[] = {"4000 bytes with Content-Length",
					   "2345 bytes in chunks",
					   "777 bytes until the close"};

	if (!body)
		return;
	for (int i = 0; i < SL_COUNT(replies) && hx_ok(c); i++) {
		const struct answer answer = {.plan = &replies[i]};
		struct download d = {.target = "/counted.txt",
				     .answers = &answer,
				     .nanswers = 1,
				     .body = body,
				     .body_len = replies[i].body_len};

		if (run_case(c, &d, what[i]) == 0)
			expect_summary(c, d.client, replies[i].body_len);
	}
	free(body);
}

/* ---- redirects and statuses ------------------------------------------- */

/* stdout holds the line "download.out: N bytes" and nothing else. */
static int expect_only_summary(struct hx_check *c, const struct hx_proc *p,
			       size_t n)
{
	char line[96];

	snprintf(line, sizeof(line), OUT_FILE ": %zu bytes\n", n);
	return hx_expect_str(c, "get's stdout (notes go to stderr)", line,
			     p->out.data);
}

static void check_get_redirect(struct hx_check *c)
{
	static const char moved_body[] = "<a href=\"/moved/here\">moved</a>\n";
	static const char body[] = "you found me\n";
	static const size_t see_chunks[] = {4};
	static const char *const targets[] = {"/start",		 "/moved/here",
					      "/second?x=1",	 "/third",
					      "/fourth?a=b&c=d", "/final.txt"};
	char first[128], fifth[128];
	/* Every redirect status, five of them (the most get follows), with
	 * a whole URL or a path, Location in any case, and bodies framed
	 * every way; one server keeps its connection open. The first
	 * Location names another port: the paths after it are on that
	 * server, until the last whole URL comes back. */
	const struct hx_http_reply_plan replies[] = {
	    {.status = 301,
	     .headers = first,
	     .body = moved_body,
	     .body_len = strlen(moved_body)},
	    {.status = 302, .headers = "location: /second?x=1\r\n"},
	    {.status = 303,
	     .headers = "LOCATION: /third#top\r\n",
	     .body = "see other",
	     .body_len = 9,
	     .framing = HX_HTTP_CHUNKED,
	     .chunks = see_chunks,
	     .nchunks = 1},
	    {.status = 307,
	     .headers = "Location: /fourth?a=b&c=d\r\n",
	     .body = moved_body,
	     .body_len = strlen(moved_body),
	     .ending = HX_HTTP_KEEP_OPEN},
	    {.status = 308, .reason = "Permanent Redirect", .headers = fifth},
	    {.status = 200, .body = body, .body_len = strlen(body)},
	};
	static const int servers[] = {0, 1, 1, 1, 1, 0};
	struct answer answers[SL_COUNT(replies)];
	struct download d = {.target = "/start",
			     .answers = answers,
			     .nanswers = SL_COUNT(replies),
			     .body = body,
			     .body_len = strlen(body)};

	for (int i = 0; i < SL_COUNT(replies); i++)
		answers[i] =
		    (struct answer){.plan = &replies[i], .server = servers[i]};
	snprintf(first, sizeof(first),
		 "Location: http://127.0.0.1:%d/moved/here\r\n", hx_port(c, 1));
	snprintf(fifth, sizeof(fifth),
		 "Location: HTTP://127.0.0.1:%d/final.txt\r\n", hx_port(c, 0));
	run_download(c, &d);
	for (int i = 1; i < SL_COUNT(targets) && hx_ok(c); i++) {
		char what[96], host[64];

		snprintf(what, sizeof(what),
			 "the target after the redirect with status %d",
			 replies[i - 1].status);
		snprintf(host, sizeof(host), "127.0.0.1:%d",
			 hx_port(c, servers[i]));
		if (hx_expect_str(c, what, targets[i], d.requests[i].start[1]) <
			0 ||
		    expect_header(c, &d.requests[i], "Host", host, 1) < 0)
			hx_note(c, "after the redirect with status %d, to %s",
				replies[i - 1].status, targets[i]);
	}
	if (hx_ok(c))
		expect_only_summary(c, d.client, strlen(body));
	free_download(&d);
}

static void check_get_redirect_limit(struct hx_check *c)
{
	/* The root redirects to itself, for ever: the sixth is not
	 * followed. */
	const struct hx_http_reply_plan loop = {.status = 301,
						.headers = "Location: /\r\n"};
	struct answer answers[MAX_HOPS + 1];
	struct download d = {.target = "/",
			     .answers = answers,
			     .nanswers = MAX_HOPS + 1,
			     .no_more = "it followed a sixth redirect: after "
					"five, get must give up (exit 2)",
			     .exit_code = 2};

	for (int i = 0; i <= MAX_HOPS; i++)
		answers[i] = (struct answer){.plan = &loop};
	run_download(c, &d);
	free_download(&d);
}

static void check_get_status(struct hx_check *c)
{
	static const char page[] =
	    "<html><h1>the server's own page</h1></html>\n";
	static const struct {
		int status;	     /* the final status */
		const char *reason;  /* its reason phrase */
		const char *headers; /* extra fields, or NULL */
		int ok;		     /* 1: a 2xx, the body is saved */
		int named;	     /* 1: "CODE REASON" must be on stderr */
	} cases[] = {
	    {.status = 404, .reason = "Not Found", .named = 1},
	    {.status = 500, .reason = "Internal Server Error", .named = 1},
	    {.status = 300,
	     .reason = "Multiple Choices",
	     .headers = "Location: /elsewhere\r\n"},
	    {.status = 301, .reason = "Moved Permanently"},
	    {.status = 203, .reason = "Non-Authoritative Information", .ok = 1},
	    {.status = 299, .reason = "Still Fine", .ok = 1},
	};

	for (int i = 0; i < SL_COUNT(cases); i++) {
		const struct hx_http_reply_plan reply = {
		    .status = cases[i].status,
		    .reason = cases[i].reason,
		    .headers = cases[i].headers,
		    .body = page,
		    .body_len = strlen(page)};
		const struct answer answer = {.plan = &reply};
		struct download d = {
		    .target = "/page.html",
		    .answers = &answer,
		    .nanswers = 1,
		    .no_more = "only 301, 302, 303, 307 and 308 are redirects",
		    .exit_code = cases[i].ok ? 0 : 2,
		    .body = page,
		    .body_len = strlen(page)};
		char what[128], code[128];

		snprintf(what, sizeof(what), "a final status %d %s%s",
			 cases[i].status, cases[i].reason,
			 cases[i].headers ? " with a Location" : "");
		if (run_case(c, &d, what) < 0)
			return;
		/* "get: URL: 404 Not Found": the code and the reason. */
		snprintf(code, sizeof(code), "%d %s", cases[i].status,
			 cases[i].reason);
		if (cases[i].named &&
		    hx_expect_contains(c, "get's stderr", code,
				       d.client->err.data) < 0)
			return;
		if (!cases[i].ok && !d.client->err.len) {
			hx_fail(c, HX_FAIL,
				"get exited 2 for %s without a word on stderr",
				what);
			return;
		}
	}
}

/* ---- bytes as they come ------------------------------------------------ */

static void check_get_binary(struct hx_check *c)
{
	enum { LEN = 100000 };
	unsigned char *body = malloc(LEN);
	const struct hx_http_reply_plan reply = {
	    .status = 200,
	    .body = body,
	    .body_len = LEN,
	    .headers = "Content-Type: image/png\r\n",
	    .body_plan = {.split = HX_RANDOM, .max_piece = 4096}};
	const struct answer answer = {.plan = &reply};
	struct download d = {.target = "/logo.png",
			     .answers = &answer,
			     .nanswers = 1,
			     .body = body,
			     .body_len = LEN};

	if (!body)
		return;
	/* Every byte value, a NUL first and a blank line inside: nothing
	 * of the body may be taken for text or for the head's end. */
	memcpy(body, "\0\r\n\r\nPNG\0\0", 10);
	for (int i = 10; i < 266; i++)
		body[i] = (unsigned char)(i - 10);
	for (int i = 266; i < LEN; i++)
		body[i] = (unsigned char)hx_random(c);
	run_download(c, &d);
	free_download(&d);
	free(body);
}

static void check_get_pieces(struct hx_check *c)
{
	static const char text[] = "line one\nline two\nline three\n"
				   "and the last line, a longer one\n";
	static const char crlf_head[] = "HTTP/1.1 200 OK\r\nContent-Type: "
					"text/plain\r\nContent-Length: 60000"
					"\r\n\r\n";
	static const char lf_head[] = "HTTP/1.1 200 OK\nContent-Type: "
				      "text/plain\nContent-Length: 61\n\n";
	_Static_assert(sizeof(text) - 1 == 61, "lf_head's Content-Length");
	/* The head a byte at a time with a pause, so no recv gets it
	 * whole; the body in random small pieces. */
	const struct hx_http_reply_plan reply = {
	    .status = 200,
	    .body = text,
	    .body_len = strlen(text),
	    .headers = "Content-Type: text/plain\r\nX-Padding: abcdefgh\r\n",
	    .head_plan = {.split = HX_BYTES, .delay_ms = 1},
	    .body_plan = {.split = HX_RANDOM, .max_piece = 7, .delay_ms = 1}};
	char *big = make_text(60000);
	struct hx_buf raw;
	struct {
		const char *what;     /* the case, in feedback */
		const char *head;     /* its head */
		const void *body;     /* its body */
		size_t len;	      /* bytes of body */
		struct hx_plan split; /* how it is cut */
		size_t first_piece;   /* bytes sent before the rest */
	} cases[] = {
	    {.what = "a head of lines ending in \\n alone, a byte at a time",
	     .head = lf_head,
	     .body = text,
	     .len = strlen(text),
	     .split = {.split = HX_BYTES, .delay_ms = 1}},
	    /* get's buffer holds part of a line when 60 KB come at once:
	     * a recv into more than its free part overflows it. */
	    {.what = "the head cut inside a field name, then the rest of it "
		     "and 60000 bytes of body at once",
	     .head = crlf_head,
	     .body = big,
	     .len = 60000,
	     .first_piece = 25},
	    {.what = "the head cut between the \\r and the \\n of its empty "
		     "line, then the rest and the body at once",
	     .head = crlf_head,
	     .body = big,
	     .len = 60000,
	     .first_piece = sizeof(crlf_head) - 2},
	};

	if (!big)
		return;
	hx_buf_init(&raw);
	{
		const struct answer answer = {.plan = &reply};
		struct download d = {.target = "/slow.txt",
				     .answers = &answer,
				     .nanswers = 1,
				     .body = text,
				     .body_len = strlen(text)};

		if (run_case(c, &d,
			     "the head a byte at a time, the body in small "
			     "pieces") < 0)
			goto out_free;
	}
	for (int i = 0; i < SL_COUNT(cases); i++) {
		struct answer answer = {.split = cases[i].split,
					.first_piece = cases[i].first_piece,
					.keep_open = 1};
		struct download d = {.target = "/pieces.txt",
				     .answers = &answer,
				     .nanswers = 1,
				     .body = cases[i].body,
				     .body_len = cases[i].len};

		make_raw(&raw, cases[i].head, cases[i].body, cases[i].len);
		answer.raw = raw.data;
		answer.raw_len = raw.len;
		if (run_case(c, &d, cases[i].what) < 0)
			break;
	}
out_free:
	hx_buf_free(&raw);
	free(big);
}

/* ---- errors ------------------------------------------------------------ */

static void check_get_cut(struct hx_check *c)
{
	static const size_t chunks[] = {500, 500};
	char *body = make_text(2000);
	/* By Content-Length, then by chunks: the server closes midway; the
	 * wire of the chunks is "1f4\r\n" 500 bytes "\r\n" "1F4\r\n" ... */
	const struct hx_http_reply_plan replies[] = {
	    {.status = 200,
	     .body = body,
	     .body_len = 2000,
	     .ending = HX_HTTP_CUT,
	     .cut_at = 700},
	    {.status = 200,
	     .body = body,
	     .body_len = 2000,
	     .ending = HX_HTTP_CUT,
	     .cut_at = 1999},
	    {.status = 200,
	     .body = body,
	     .body_len = 2000,
	     .ending = HX_HTTP_CUT,
	     .cut_at = 0},
	    {.status = 200,
	     .body = body,
	     .body_len = 2000,
	     .framing = HX_HTTP_CHUNKED,
	     .chunks = chunks,
	     .nchunks = SL_COUNT(chunks),
	     .ending = HX_HTTP_CUT,
	     .cut_at = 800},
	    {.status = 200,
	     .body = body,
	     .body_len = 2000,
	     .framing = HX_HTTP_CHUNKED,
	     .chunks = chunks,
	     .nchunks = SL_COUNT(chunks),
	     .ending = HX_HTTP_CUT,
	     .cut_at = 507},
	};
	static const char *const what[] = {
	    "Content-Length: 2000, the close after 700 bytes",
	    "Content-Length: 2000, the close after 1999 bytes",
	    "Content-Length: 2000, the close right after the head",
	    "chunked, the close inside the second chunk",
	    "chunked, the close after the first chunk, before the next size"};

	if (!body)
		return;
	for (int i = 0; i < SL_COUNT(replies); i++) {
		const struct answer answer = {.plan = &replies[i]};
		struct download d = {.target = "/big.txt",
				     .answers = &answer,
				     .nanswers = 1,
				     .exit_code = 2};

		if (run_case(c, &d, what[i]) < 0)
			break;
	}
	if (hx_ok(c)) {
		/* The head itself ends before its empty line. */
		const struct answer answer = {
		    .raw = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"};
		struct download d = {.target = "/big.txt",
				     .answers = &answer,
				     .nanswers = 1,
				     .exit_code = 2};

		run_case(c, &d, "the close in the head, before its empty line");
	}
	free(body);
}

/* 1 if text holds one of the (up to 3) words, in any case. */
static int mentions_any(const char *text, const char *const words[3])
{
	for (int i = 0; i < 3 && words[i]; i++)
		if (strcasestr(text, words[i]))
			return 1;
	return 0;
}

static void check_get_errors(struct hx_check *c)
{
	const struct answer not_http = {.raw = "SSH-2.0-OpenSSH_9.2p1\r\n"};
	const struct hx_http_reply_plan nothing = {.ending = HX_HTTP_NO_REPLY};
	const struct answer silent = {.plan = &nothing};
	const struct {
		const char *what;	     /* the case, in feedback */
		const char *url;	     /* "%d": the port */
		const struct answer *answer; /* NULL: no connection */
		int no_listener;	     /* 1: nothing listens */
		const char *names[3];	     /* stderr holds one of these
						(any case); NULL: any text */
	} cases[] = {
	    {.what = "a host name that does not resolve",
	     .url = "http://no-such-host.invalid:%d/x"},
	    {.what = "a port where nothing listens",
	     .url = "http://127.0.0.1:%d/x",
	     .no_listener = 1,
	     .names = {"connect", "refused", "127.0.0.1"}},
	    {.what = "an https URL (no TLS in this lab)",
	     .url = "https://127.0.0.1:%d/x"},
	    {.what = "a server that answers with something that is not HTTP",
	     .url = "http://127.0.0.1:%d/x",
	     .answer = &not_http},
	    {.what = "a server that closes without a byte",
	     .url = "http://127.0.0.1:%d/x",
	     .answer = &silent},
	};

	for (int i = 0; i < SL_COUNT(cases); i++) {
		struct download d = {.url = cases[i].url,
				     .no_listener = cases[i].no_listener,
				     .answers = cases[i].answer,
				     .nanswers = cases[i].answer ? 1 : 0,
				     .no_more = "no connection was expected",
				     .exit_code = 2};

		if (run_case(c, &d, cases[i].what) < 0)
			return;
		if (!d.client->err.len) {
			hx_fail(c, HX_FAIL,
				"get exited 2 for %s without a word on stderr; "
				"say what failed",
				cases[i].what);
			return;
		}
		if (cases[i].names[0] &&
		    !mentions_any(d.client->err.data, cases[i].names)) {
			hx_fail(c, HX_FAIL,
				"get's message for %s names neither the call "
				"that failed nor the host: \"%.*s\"",
				cases[i].what,
				(int)strcspn(d.client->err.data, "\n"),
				d.client->err.data);
			return;
		}
	}
}

/* ---- memory ------------------------------------------------------------ */

/* What LeakSanitizer reported for the programs that have ended: bytes and
 * allocations never freed, and the first frame in the lab's own code.
 * The reports are taken away, so only growth, judged by the check, fails
 * it. Other sanitizer reports stay for the harness to name. */
static void take_leak_reports(struct hx_check *c, long *bytes, long *allocs,
			      struct hx_buf *where)
{
	char dir[600], chunk[4096];
	struct hx_buf report;
	struct dirent *e;
	DIR *d;

	*bytes = *allocs = 0;
	hx_sanitizer_dir(c, dir, sizeof(dir));
	d = opendir(dir);
	if (!d)
		return;
	hx_buf_init(&report);
	while ((e = readdir(d))) {
		const char *text, *sum, *frame;
		long b = 0, n = 0;
		ssize_t len;
		int fd;

		if (strncmp(e->d_name, "report.", 7) != 0)
			continue;
		fd = openat(dirfd(d), e->d_name,
			    O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
		if (fd < 0)
			continue;
		hx_buf_clear(&report);
		while (report.len < (1 << 20) &&
		       (len = read(fd, chunk, sizeof(chunk))) > 0)
			hx_buf_add(&report, chunk, (size_t)len);
		close(fd);
		text = report.data ? report.data : "";
		if (!strstr(text, "ERROR: LeakSanitizer") ||
		    strstr(text, "ERROR: AddressSanitizer:"))
			continue;
		sum = strstr(text, "SUMMARY: AddressSanitizer: ");
		if (sum)
			sscanf(sum,
			       "SUMMARY: AddressSanitizer: %ld byte(s) "
			       "leaked in %ld allocation",
			       &b, &n);
		*bytes += b;
		*allocs += n;
		/* The first frame in the lab's own files names the line. */
		frame = strstr(text, "get.c:");
		if (!frame)
			frame = strstr(text, "url.c:");
		if (frame && !where->len) {
			const char *in = frame;

			while (in > text && in[-1] != '\n')
				in--;
			in = strstr(in, " in ");
			if (in && in < frame)
				hx_buf_addf(where, "%.*s",
					    (int)strcspn(in + 4, "\n"), in + 4);
		}
		unlinkat(dirfd(d), e->d_name, 0);
	}
	hx_buf_free(&report);
	closedir(d);
}

/* Runs d under LeakSanitizer; leaks at exit are counted, not failed:
 * get must exit 0, or with LEAK_EXIT after a leak report, and FILE must
 * hold the body. */
static int run_counting_leaks(struct hx_check *c, struct download *d,
			      long *bytes, long *allocs, struct hx_buf *where)
{
	char path[1024];
	struct hx_proc *p;
	int code;

	d->exit_code = -1;
	hx_recordf(c, 0, "case: %d connection(s) under LeakSanitizer",
		   d->nanswers);
	run_download(c, d);
	free_download(d);
	take_leak_reports(c, bytes, allocs, where);
	p = d->client;
	if (!hx_ok(c) || !p)
		return -1;
	code = WIFEXITED(p->wait_status) ? WEXITSTATUS(p->wait_status) : -1;
	if (code == 0 || (code == LEAK_EXIT && *allocs > 0))
		p->accepted = 1; /* a leak is judged by the caller */
	else if (hx_proc_expect_exit(c, p, 0, 0) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", c->work_dir, OUT_FILE);
	return hx_expect_file(c, path, d->body, d->body_len);
}

static void check_get_memory(struct hx_check *c)
{
	static const char body[] = "the page at the end\n";
	const struct hx_http_reply_plan hop = {.status = 302,
					       .headers = "Location: /hop\r\n"};
	const struct hx_http_reply_plan page = {
	    .status = 200, .body = body, .body_len = strlen(body)};
	struct answer answers[MAX_HOPS + 1];
	struct download once = {.target = "/page",
				.answers = &answers[MAX_HOPS],
				.nanswers = 1,
				.one_socket = 1,
				.body = body,
				.body_len = strlen(body)};
	struct download hops = once;
	long bytes[2], allocs[2];
	struct hx_buf where;

	for (int i = 0; i < MAX_HOPS; i++)
		answers[i] = (struct answer){.plan = &hop};
	answers[MAX_HOPS] = (struct answer){.plan = &page};
	hops.answers = answers;
	hops.nanswers = MAX_HOPS + 1;
	hx_buf_init(&where);
	if (run_counting_leaks(c, &once, &bytes[0], &allocs[0], &where) == 0 &&
	    run_counting_leaks(c, &hops, &bytes[1], &allocs[1], &where) == 0 &&
	    allocs[1] > allocs[0]) {
		hx_fail(c, HX_FAIL,
			"memory never freed grows with each connection: "
			"%ld allocation(s) (%ld bytes) were never freed after "
			"a download without redirect, %ld (%ld bytes) after "
			"one with %d redirects%s%s",
			allocs[0], bytes[0], allocs[1], bytes[1], MAX_HOPS,
			where.len ? "; one was allocated in " : "",
			where.len ? where.data : "");
		hx_set_cause(c, HX_CAUSE_LEAK,
			     "get: %ld more allocation(s) never freed after %d "
			     "redirects%s%s",
			     allocs[1] - allocs[0], MAX_HOPS,
			     where.len ? ", allocated in " : "",
			     where.len ? where.data : "");
	}
	hx_buf_free(&where);
}

static void check_get_usage(struct hx_check *c)
{
	static char long_host[400];
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"http://127.0.0.1/", NULL},
	    {"http://127.0.0.1/", OUT_FILE, "extra", NULL},
	    {"", OUT_FILE, NULL},
	    {"ftp://127.0.0.1/", OUT_FILE, NULL},
	    {"http://127.0.0.1:0/", OUT_FILE, NULL},
	    {"http://127.0.0.1:http/", OUT_FILE, NULL},
	    {"http://127.0.0.1:65536/", OUT_FILE, NULL},
	    {"http://[::1/", OUT_FILE, NULL},
	    {"http://user@127.0.0.1/", OUT_FILE, NULL},
	    {long_host, OUT_FILE, NULL},
	};

	/* A host of 300 letters: URL_TOO_LONG. */
	memcpy(long_host, "http://", 7);
	memset(long_host + 7, 'h', 300);
	strcpy(long_host + 307, "/");
	hx_expect_usage(c, "get", cases, SL_COUNT(cases), EXIT_MS);
}

/* The rubric: 100 points. */
static const struct sl_check checks[] = {
    {
	.id = "build",
	.title = "get and the URL tests build without warnings",
	.points = 7,
	.timeout_ms = BUILD_MS,
	.programs = "get url-cases",
	.hint =
	    "Read the compiler's messages from the first one down; fix every "
	    "warning too (an unused variable, a missing return, a signed and "
	    "unsigned comparison).",
	.run = NULL,
    },
    {
	.id = "url-defaults",
	.title = "url_parse fills in scheme, host, default port and path",
	.points = 5,
	.timeout_ms = URL_MS,
	.programs = "url-cases",
	.hint =
	    "Lower-case the scheme and the host; with no port the port is 80 "
	    "for http and 443 for https, also after an empty \"host:\"; with "
	    "no "
	    "path the path is \"/\". Write every field, query \"\" included.",
	.run = check_url_defaults,
    },
    {
	.id = "url-ports",
	.title = "url_parse reads explicit ports, 1 to 65535",
	.points = 5,
	.timeout_ms = URL_MS,
	.programs = "url-cases",
	.hint =
	    "The port is the digits between the host's ':' and the first '/', "
	    "'?' or '#' (or the end); a port given in the URL wins over the "
	    "scheme's default, for https too.",
	.run = check_url_ports,
    },
    {
	.id = "url-ipv6",
	.title = "url_parse takes IPv6 literals in brackets, and rejects bad "
		 "ones",
	.points = 5,
	.timeout_ms = URL_MS,
	.programs = "url-cases",
	.hint =
	    "After \"//\", a '[' starts an IPv6 address that ends at ']': its "
	    "colons are not the port's. Store it without the brackets; only "
	    "hex "
	    "digits, ':' and '.' may be inside (else URL_BAD_HOST); after ']' "
	    "only ':' and a port, or the end of the host part, may follow.",
	.run = check_url_ipv6,
    },
    {
	.id = "url-query",
	.title = "url_parse keeps the query and drops the fragment; "
		 "url_target",
	.points = 5,
	.timeout_ms = URL_MS,
	.programs = "url-cases",
	.hint =
	    "The path ends at the first '?' or '#'; the query is what follows "
	    "that '?' up to '#', without the '?'; from '#' on is the fragment, "
	    "dropped, even if a '?' is in it. url_target writes the path, and "
	    "\"?query\" only when the query is not empty.",
	.run = check_url_query,
    },
    {
	.id = "url-invalid",
	.title = "url_parse rejects bad schemes, hosts and ports, and "
		 "only those",
	.points = 5,
	.timeout_ms = URL_MS,
	.programs = "url-cases",
	.hint =
	    "Return URL_BAD_SCHEME without \"http://\" or \"https://\", "
	    "URL_BAD_HOST for an empty host or an '@' in the host part (not in "
	    "the path or query), URL_BAD_PORT unless the port is only digits "
	    "(no sign, no space) from 1 to 65535: check the digits yourself, "
	    "atoi and strtol accept \"+80\" and \" 80\", and long numbers "
	    "wrap.",
	.run = check_url_invalid,
    },
    {
	.id = "url-limits",
	.title = "url_parse and url_target at the size of every array",
	.points = 5,
	.timeout_ms = URL_MS,
	.flags = SL_SANITIZE,
	.programs = "url-cases",
	.hint =
	    "A part of N bytes needs N + 1 with its '\\0': a host of 255 "
	    "letters fits host[256], one of 256 is URL_TOO_LONG; the same for "
	    "path and query (2047 fit). Compare the length with the array's "
	    "size before copying (len >= size is too long). url_target returns "
	    "-1 when the target and its '\\0' do not fit in size bytes, and "
	    "never writes past them.",
	.run = check_url_limits,
    },
    {
	.id = "get-request",
	.title = "get sends GET, the target, Host with port, Connection: "
		 "close",
	.points = 4,
	.timeout_ms = GET_MS,
	.programs = "get",
	.hint =
	    "Send \"GET /path?query HTTP/1.1\\r\\n\", then \"Host: "
	    "HOST:PORT\\r\\n"
	    "\" (the port when it is not 80), \"Connection: close\\r\\n\" and "
	    "an "
	    "empty line. The fragment (#...) is never sent; every line ends in "
	    "\\r\\n.",
	.run = check_get_request,
    },
    {
	.id = "get-localhost",
	.title = "get tries every address of a name (localhost: ::1, then "
		 "127.0.0.1)",
	.points = 3,
	.timeout_ms = GET_MS,
	.flags = SL_NAMESPACE,
	.programs = "get",
	.hint =
	    "getaddrinfo may give several addresses: localhost is ::1 first, "
	    "where nothing listens here, then 127.0.0.1. Loop over the list: "
	    "socket and connect each, close the socket of a refused one, and "
	    "stop at the first that connects. Host names the host as in the "
	    "URL (localhost:PORT).",
	.run = check_get_localhost,
    },
    {
	.id = "get-ipv6",
	.title = "get fetches from an IPv6 literal, Host in brackets",
	.points = 2,
	.timeout_ms = GET_MS,
	.programs = "get",
	.hint =
	    "Resolve with hints.ai_family = AF_UNSPEC so that \"::1\" gives an "
	    "IPv6 address, and make the socket with the family getaddrinfo "
	    "gives; in the Host field put an IPv6 address in brackets: "
	    "\"Host: [::1]:PORT\".",
	.run = check_get_ipv6,
    },
    {
	.id = "get-default-port",
	.title = "get connects to port 80 when the URL has none; no :80 in "
		 "Host",
	.points = 2,
	.timeout_ms = GET_MS,
	.flags = SL_NAMESPACE,
	.programs = "get",
	.hint =
	    "Without a port in the URL, connect to 80 (443 for https). Write "
	    "\":PORT\" in the Host field only when the port is not the "
	    "scheme's "
	    "default: \"Host: 127.0.0.1\" for http://127.0.0.1/ and for "
	    "http://127.0.0.1:80/.",
	.run = check_get_default_port,
    },
    {
	.id = "get-length",
	.title = "get stops after Content-Length bytes, connection open",
	.points = 5,
	.timeout_ms = GET_MS,
	.programs = "get",
	.hint =
	    "With a Content-Length, read exactly that many body bytes, then "
	    "stop: "
	    "do not wait for the server to close (it may not). Content-Length: "
	    "0 "
	    "means no body at all. Bytes that came with the head in the same "
	    "recv are the start of the body.",
	.run = check_get_length,
    },
    {
	.id = "get-syntax",
	.title = "get reads every spelling of a head HTTP allows",
	.points = 4,
	.timeout_ms = GET_LONG_MS,
	.flags = SL_SANITIZE,
	.programs = "get",
	.hint =
	    "Compare field names with strcasecmp, and compare the whole name "
	    "(not strstr in the head: X-Original-Content-Length is another "
	    "field); a line may end in \\n alone; Content-Length is decimal "
	    "even with leading zeros (strtol base 10, not 0); the status line "
	    "may say HTTP/1.0.",
	.run = check_get_syntax,
    },
    {
	.id = "get-chunked",
	.title = "get decodes a chunked body",
	.points = 5,
	.timeout_ms = GET_MS,
	.flags = SL_SANITIZE,
	.programs = "get",
	.hint =
	    "With \"Transfer-Encoding: chunked\" the body is chunks: a line "
	    "with "
	    "the size in hex (upper or lower case, perhaps leading zeros; from "
	    "';' on ignore the line), the bytes, \"\\r\\n\"; a size 0 ends it, "
	    "then trailer lines up to an empty line. Stop there: do not wait "
	    "for "
	    "the close. Write only the chunks' bytes.",
	.run = check_get_chunked,
    },
    {
	.id = "get-close",
	.title = "get reads a body without length until the close",
	.points = 3,
	.timeout_ms = GET_MS,
	.programs = "get",
	.hint =
	    "With neither Content-Length nor chunks, the body is everything "
	    "until the server closes: recv until it returns 0, and write what "
	    "came, nothing if the close came right after the head.",
	.run = check_get_close,
    },
    {
	.id = "get-output",
	.title = "get prints \"FILE: N bytes\" with the body's length",
	.points = 3,
	.timeout_ms = GET_MS,
	.programs = "get",
	.hint =
	    "After saving, print one line on stdout: FILE as given, \": \", "
	    "the number of body bytes written (not the bytes received: no "
	    "head, no chunk sizes), \" bytes\" and a newline.",
	.run = check_get_output,
    },
    {
	.id = "get-redirect",
	.title = "get follows 301, 302, 303, 307 and 308 to the file",
	.points = 5,
	.timeout_ms = GET_MS,
	.programs = "get",
	.hint =
	    "On 301, 302, 303, 307 or 308 with a Location (any case), close "
	    "and fetch the Location: a whole URL (parse it with url_parse: its "
	    "host and port may differ) or a path on the server just asked "
	    "(keep its host and port, take the new query, drop a '#'). Do not "
	    "read the redirect's body to the close. Follow up to 5 redirects; "
	    "notes go to stderr, stdout holds only \"FILE: N bytes\".",
	.run = check_get_redirect,
    },
    {
	.id = "get-redirect-limit",
	.title = "get gives up after 5 redirects: exit 2, no file",
	.points = 3,
	.timeout_ms = GET_MS,
	.programs = "get",
	.hint =
	    "Count the redirects: after the fifth, a sixth is not followed; "
	    "print a message and exit 2 without creating FILE. A server that "
	    "redirects a page to itself would keep a downloader busy for ever.",
	.run = check_get_redirect_limit,
    },
    {
	.id = "get-status",
	.title = "get saves every 2xx body and no file for other statuses",
	.points = 4,
	.timeout_ms = GET_MS,
	.programs = "get",
	.hint =
	    "Any status from 200 to 299 is success. Any other final status "
	    "(404, 500, a 300, a 301 without Location) writes no file: look at "
	    "the status before opening FILE, print \"get: URL: 404 Not Found\" "
	    "and exit 2.",
	.run = check_get_status,
    },
    {
	.id = "get-binary",
	.title = "get saves a 100 KB binary body byte for byte",
	.points = 4,
	.timeout_ms = GET_MS,
	.flags = SL_SANITIZE,
	.programs = "get",
	.hint =
	    "The body is bytes, not text: write exactly the n bytes each recv "
	    "gave (fwrite or write, not fputs or strlen), open FILE with "
	    "\"wb\", "
	    "and never look for the head's end inside the body.",
	.run = check_get_binary,
    },
    {
	.id = "get-pieces",
	.title = "get reads a head that arrives in pieces",
	.points = 4,
	.timeout_ms = GET_LONG_MS,
	.flags = SL_SANITIZE,
	.programs = "get",
	.hint =
	    "One recv is not one response: keep receiving until the head's "
	    "empty line has come (it may be split anywhere, even between \\r "
	    "and "
	    "\\n), and keep the bytes after it for the body. When the buffer "
	    "already holds len bytes, recv at most sizeof(buf) - len more.",
	.run = check_get_pieces,
    },
    {
	.id = "get-cut",
	.title = "get reports a response cut short: exit 2, no file",
	.points = 4,
	.timeout_ms = GET_LONG_MS,
	.programs = "get",
	.hint =
	    "When the server closes before Content-Length bytes, before the "
	    "last (size 0) chunk, or before the head's empty line, that is an "
	    "error: say so on stderr, remove the partial FILE and exit 2.",
	.run = check_get_cut,
    },
    {
	.id = "get-errors",
	.title = "get exits 2 with a message: unknown host, refused, https, "
		 "not HTTP",
	.points = 3,
	.timeout_ms = GET_LONG_MS,
	.programs = "get",
	.hint =
	    "Every runtime error prints one line on stderr naming what failed "
	    "and exits 2, without a file: getaddrinfo's error (gai_strerror), "
	    "a refused connect (strerror), an https URL (no TLS here: do not "
	    "connect), a reply that does not start with \"HTTP/1.\".",
	.run = check_get_errors,
    },
    {
	.id = "get-memory",
	.title = "get gives back memory and sockets at each redirect",
	.points = 2,
	.timeout_ms = GET_LONG_MS,
	.flags = SL_SANITIZE | SL_LEAKS,
	.programs = "get",
	.hint = "Each connection must give back what it took: freeaddrinfo the "
		"list once connected (or not), free what you allocate for a "
		"response, close the socket before following a redirect.",
	.run = check_get_memory,
    },
    {
	.id = "get-usage",
	.title = "get rejects bad arguments with a usage line and status 1",
	.points = 3,
	.timeout_ms = GET_MS,
	.programs = "get",
	.hint =
	    "Require exactly URL and FILE, and a URL url_parse accepts; "
	    "otherwise print \"usage: get URL FILE\" on stderr and return 1.",
	.run = check_get_usage,
    },
};

static const struct sl_lab lab09 = {
    .number = "09",
    .name = "http-get",
    .title = "URLs and downloading a page: a URL parser and an HTTP/1.1 client",
    .files = {"get.c", "url.c"},
    .given = {"url.h"},
    .programs =
	{
	    {.name = "get", .sources = {"get.c", "url.c"}},
	    {.name = "url-cases",
	     .sources = {"url.c"},
	     .support = {"url_cases.c"},
	     .libs = "-lcmocka"},
	},
    .checks = checks,
    .nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab09);
