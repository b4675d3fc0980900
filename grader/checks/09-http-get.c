/* 09-http-get.c - lab 09: URLs and downloading a page.
 *
 * The URL parser (url.c) is graded through a cmocka driver linked with
 * it (support/url_cases.c): a table of URLs in five groups, one check per
 * group, each case its own test; a check fails with the list of every
 * case that failed and why. The downloader, "get URL FILE", is graded
 * against the harness's HTTP server peer playing the web server on
 * loopback: the check reads each request and answers as its reply plan
 * says, then compares FILE (in the program's working folder) byte for
 * byte. The rubric is the table at the end of this file.
 */
#define _GNU_SOURCE
#include <errno.h>
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

#define OUT_FILE    "download.out" /* FILE, in the program's cwd */
#define MAX_REPLIES 4		   /* connections of one download */
#define RESULT_CAP  1024	   /* how much of a case list is shown */

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

/* ---- the downloader ---------------------------------------------------- */

/* One run of "get URL download.out" against the server peer. */
struct download {
	const char *target; /* the URL after "http://127.0.0.1:PORT" */
	const struct hx_http_reply_plan *replies; /* one per connection */
	int nreplies;				  /* connections expected */
	int exit_code;	  /* 0: FILE must hold body; 2: no FILE */
	const void *body; /* the file expected with exit code 0 */
	size_t body_len;  /* bytes of body */
	struct hx_http_message requests[MAX_REPLIES]; /* what came */
};

/* Waits until client connects to listener; fails at once, rather than at
 * the deadline, when the client exits without connecting. */
static int wait_for_connection(struct hx_check *c, struct hx_conn *listener,
			       struct hx_proc *client, int n)
{
	int64_t deadline = hx_deadline(IO_MS);
	int pidfd = (int)syscall(SYS_pidfd_open, client->pid, 0);
	struct pollfd pfd[2] = {
	    {.fd = listener->fd, .events = POLLIN},
	    {.fd = pidfd, .events = POLLIN},
	};
	struct hx_buf how;
	int ready;

	do
		ready = poll(pfd, 2, hx_remaining_ms(deadline));
	while (ready < 0 && errno == EINTR);
	if (pidfd >= 0)
		close(pidfd);
	if (pfd[0].revents & POLLIN)
		return 0;
	if (ready <= 0)
		return hx_fail(c, HX_TIMEOUT,
			       "get did not make connection %d within %.1f s",
			       n, IO_MS / 1000.0);
	hx_proc_wait(c, client, IO_MS);
	hx_buf_init(&how);
	hx_proc_describe_end(client, &how);
	hx_fail(c, HX_FAIL, "get ended (%s) without making connection %d",
		how.data, n);
	hx_buf_free(&how);
	return -1;
}

/* The path of OUT_FILE in the programs' working folder. */
static void out_path(struct hx_check *c, char *path, size_t size)
{
	snprintf(path, size, "%s/%s", c->work_dir, OUT_FILE);
}

/* Runs get once: serves each connection with its reply plan, keeps the
 * requests in d->requests, then checks the exit status and the file. */
static void run_download(struct hx_check *c, struct download *d)
{
	int port = hx_port(c, 0);
	char url[512], path[1024];
	const char *args[] = {url, OUT_FILE, NULL};
	struct hx_conn listener, conns[MAX_REPLIES];
	struct hx_proc *client;
	int served = 0;

	for (int i = 0; i < MAX_REPLIES; i++) {
		hx_http_message_init(&d->requests[i]);
		conns[i].fd = -1;
	}
	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", port, d->target);
	out_path(c, path, sizeof(path));
	if (hx_tcp_listen(c, &listener, "127.0.0.1", port) < 0)
		return;
	client = hx_start(c, "get", args);
	for (; client && served < d->nreplies; served++) {
		hx_http_message_free(&d->requests[served]);
		if (wait_for_connection(c, &listener, client, served + 1) < 0 ||
		    hx_http_serve(c, &listener, &conns[served],
				  &d->requests[served], &d->replies[served],
				  IO_MS) < 0)
			break;
	}
	if (client && hx_ok(c) &&
	    hx_proc_expect_exit(c, client, d->exit_code, IO_MS) == 0) {
		if (d->exit_code == 0)
			hx_expect_file(c, path, d->body, d->body_len);
		else
			hx_expect_no_file(c, path);
	}
	for (int i = 0; i < MAX_REPLIES; i++)
		hx_close(c, &conns[i]);
	hx_close(c, &listener);
}

static void free_download(struct download *d)
{
	for (int i = 0; i < MAX_REPLIES; i++)
		hx_http_message_free(&d->requests[i]);
}

/* Lines of numbered text, len bytes in all, into a malloc'd buffer. */
static char *make_text(size_t len)
{
	char *text = malloc(len + 64);
	size_t used = 0;

	for (int line = 1; text && used < len; line++)
		used += (size_t)sprintf(text + used,
					"%05d the quick brown fox jumps over "
					"the lazy dog\n",
					line);
	return text;
}

/* Requires header name of request to be want (any case when nocase). */
static int expect_header(struct hx_check *c, const struct hx_http_message *req,
			 const char *name, const char *want, int nocase)
{
	const char *got = hx_http_header(req, name);
	char what[96];

	snprintf(what, sizeof(what), "the %s header of the request", name);
	if (!got) {
		hx_buf_clear(&c->actual);
		hx_buf_add(&c->actual, req->head.data, req->head.len);
		return hx_fail(c, HX_FAIL,
			       "the request has no %s header "
			       "(want \"%s: %s\")",
			       name, name, want);
	}
	if (nocase && strcasecmp(got, want) == 0)
		return 0;
	return hx_expect_str(c, what, want, got);
}

static void check_get_request(struct hx_check *c)
{
	static const char body[] = "<html><body>hello</body></html>\n";
	const struct hx_http_reply_plan reply = {
	    .status = 200, .body = body, .body_len = strlen(body)};
	struct download d = {.target = "/docs/page.html?lang=en&q=1#part2",
			     .replies = &reply,
			     .nreplies = 1,
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

static void check_get_length(struct hx_check *c)
{
	char *body = make_text(3000);
	/* The server keeps the connection open after the body: only
	 * Content-Length says where the body ends. */
	const struct hx_http_reply_plan reply = {
	    .status = 200,
	    .body = body,
	    .body_len = 3000,
	    .headers = "Content-Type: text/plain\r\n",
	    .ending = HX_HTTP_KEEP_OPEN};
	struct download d = {.target = "/notes.txt",
			     .replies = &reply,
			     .nreplies = 1,
			     .body = body,
			     .body_len = 3000};

	if (!body)
		return;
	run_download(c, &d);
	free_download(&d);
	free(body);
}

static void check_get_chunked(struct hx_check *c)
{
	static const size_t chunks[] = {1, 16, 300, 4096, 10};
	char *body = make_text(6000);
	const struct hx_http_reply_plan reply = {.status = 200,
						 .body = body,
						 .body_len = 6000,
						 .framing = HX_HTTP_CHUNKED,
						 .chunks = chunks,
						 .nchunks = SL_COUNT(chunks)};
	struct download d = {.target = "/chunked.txt",
			     .replies = &reply,
			     .nreplies = 1,
			     .body = body,
			     .body_len = 6000};

	if (!body)
		return;
	run_download(c, &d);
	free_download(&d);
	free(body);
}

static void check_get_redirect(struct hx_check *c)
{
	static const char moved_body[] = "<a href=\"/moved/here\">moved</a>\n";
	static const char body[] = "you found me\n";
	char first[128];
	const struct hx_http_reply_plan replies[] = {
	    {.status = 301,
	     .headers = first,
	     .body = moved_body,
	     .body_len = strlen(moved_body)},
	    {.status = 302, .headers = "Location: /final.txt?x=1\r\n"},
	    {.status = 200, .body = body, .body_len = strlen(body)},
	};
	struct download d = {.target = "/start",
			     .replies = replies,
			     .nreplies = 3,
			     .body = body,
			     .body_len = strlen(body)};

	/* First a whole URL, then a path on the same server. */
	snprintf(first, sizeof(first),
		 "Location: http://127.0.0.1:%d/moved/here\r\n", hx_port(c, 0));
	run_download(c, &d);
	if (hx_ok(c))
		hx_expect_str(c, "the target after the first redirect",
			      "/moved/here", d.requests[1].start[1]);
	if (hx_ok(c))
		hx_expect_str(c, "the target after the second redirect",
			      "/final.txt?x=1", d.requests[2].start[1]);
	free_download(&d);
}

static void check_get_404(struct hx_check *c)
{
	static const char body[] = "<html><h1>404 Not Found</h1></html>\n";
	const struct hx_http_reply_plan reply = {
	    .status = 404, .body = body, .body_len = strlen(body)};
	struct download d = {.target = "/missing.html",
			     .replies = &reply,
			     .nreplies = 1,
			     .exit_code = 2};

	run_download(c, &d);
	if (hx_ok(c))
		hx_expect_contains(c, "get's stderr", "404",
				   c->procs[c->nprocs - 1]->err.data);
	free_download(&d);
}

static void check_get_binary(struct hx_check *c)
{
	enum { LEN = 100000 };
	static const struct hx_plan pieces = {HX_RANDOM, 4096, 0};
	unsigned char *body = malloc(LEN);
	struct hx_http_reply_plan reply = {.status = 200,
					   .body = body,
					   .body_len = LEN,
					   .headers =
					       "Content-Type: image/png\r\n",
					   .body_plan = pieces};
	struct download d = {.target = "/logo.png",
			     .replies = &reply,
			     .nreplies = 1,
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
	static const char body[] = "line one\nline two\nline three\n"
				   "and the last line, a longer one\n";
	/* The head a byte at a time with a pause, so no recv gets it
	 * whole; the body in random small pieces. */
	const struct hx_http_reply_plan reply = {
	    .status = 200,
	    .body = body,
	    .body_len = strlen(body),
	    .headers = "Content-Type: text/plain\r\nX-Padding: abcdefgh\r\n",
	    .head_plan = {HX_BYTES, 0, 1},
	    .body_plan = {HX_RANDOM, 7, 1}};
	struct download d = {.target = "/slow.txt",
			     .replies = &reply,
			     .nreplies = 1,
			     .body = body,
			     .body_len = strlen(body)};

	run_download(c, &d);
	free_download(&d);
}

static void check_get_cut(struct hx_check *c)
{
	static const size_t chunks[] = {500, 500};
	char *body = make_text(2000);
	/* By Content-Length, then by chunks: the server closes midway. */
	const struct hx_http_reply_plan replies[] = {
	    {.status = 200,
	     .body = body,
	     .body_len = 2000,
	     .ending = HX_HTTP_CUT,
	     .cut_at = 700},
	    {.status = 200,
	     .body = body,
	     .body_len = 2000,
	     .framing = HX_HTTP_CHUNKED,
	     .chunks = chunks,
	     .nchunks = 2,
	     .ending = HX_HTTP_CUT,
	     .cut_at = 800},
	};

	if (!body)
		return;
	for (int i = 0; i < SL_COUNT(replies) && hx_ok(c); i++) {
		struct download d = {.target = "/big.txt",
				     .replies = &replies[i],
				     .nreplies = 1,
				     .exit_code = 2};

		hx_recordf(c, 0, "body cut short, %s",
			   i ? "chunked" : "with Content-Length");
		run_download(c, &d);
		free_download(&d);
	}
	free(body);
}

static void check_get_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"http://127.0.0.1/", NULL},
	    {"http://127.0.0.1/", OUT_FILE, "extra", NULL},
	    {"ftp://127.0.0.1/", OUT_FILE, NULL},
	    {"http://127.0.0.1:0/", OUT_FILE, NULL},
	    {"http://127.0.0.1:http/", OUT_FILE, NULL},
	};

	hx_expect_usage(c, "get", cases, SL_COUNT(cases), EXIT_MS);
}

/* The rubric: 100 points. */
static const struct sl_check checks[] = {
	{
		.id = "build",
		.title = "get and the URL tests build without warnings",
		.points = 10,
		.timeout_ms = 60000,
		.programs = "get url-cases",
		.hint = "Read the compiler's messages from the first one down; fix every "
			"warning too (an unused variable, a missing return, a signed and "
			"unsigned comparison).",
		.run = NULL,
	},
	{
		.id = "url-defaults",
		.title = "url_parse fills in scheme, host, default port and path",
		.points = 8,
		.timeout_ms = 8000,
		.programs = "url-cases",
		.hint = "Lower-case the scheme and the host; with no port the port is 80 "
			"for http and 443 for https, also after an empty \"host:\"; with no "
			"path the path is \"/\". Write every field, query \"\" included.",
		.run = check_url_defaults,
	},
	{
		.id = "url-ports",
		.title = "url_parse reads explicit ports, 1 to 65535",
		.points = 7,
		.timeout_ms = 8000,
		.programs = "url-cases",
		.hint = "The port is the digits between the host's ':' and the first '/', "
			"'?' or '#' (or the end); a port given in the URL wins over the "
			"scheme's default, for https too.",
		.run = check_url_ports,
	},
	{
		.id = "url-ipv6",
		.title = "url_parse takes IPv6 literals in brackets",
		.points = 7,
		.timeout_ms = 8000,
		.programs = "url-cases",
		.hint = "After \"//\", a '[' starts an IPv6 address that ends at ']': its "
			"colons are not the port's. Store it without the brackets; after "
			"']' only ':' and a port, or the end of the host part, may follow.",
		.run = check_url_ipv6,
	},
	{
		.id = "url-query",
		.title = "url_parse keeps the query and drops the fragment",
		.points = 6,
		.timeout_ms = 8000,
		.programs = "url-cases",
		.hint = "The path ends at '?' or '#'; the query is what follows '?' up to "
			"'#', without the '?'; everything from '#' on is the fragment and "
			"is dropped (it is never sent to a server).",
		.run = check_url_query,
	},
	{
		.id = "url-invalid",
		.title = "url_parse rejects bad schemes, hosts and ports",
		.points = 7,
		.timeout_ms = 8000,
		.programs = "url-cases",
		.hint = "Return URL_BAD_SCHEME without \"http://\" or \"https://\", "
			"URL_BAD_HOST for an empty host or one with '@', URL_BAD_PORT unless "
			"the port is only digits from 1 to 65535 (no sign), URL_TOO_LONG "
			"when a part does not fit its array.",
		.run = check_url_invalid,
	},
	{
		.id = "get-request",
		.title = "get sends GET, the target, Host with port, Connection: "
			"close",
		.points = 4,
		.timeout_ms = 6000,
		.programs = "get",
		.hint = "Send \"GET /path?query HTTP/1.1\\r\\n\", then \"Host: HOST:PORT\\r\\n"
			"\" (the port when it is not 80), \"Connection: close\\r\\n\" and an "
			"empty line. The fragment (#...) is never sent; every line ends in "
			"\\r\\n.",
		.run = check_get_request,
	},
	{
		.id = "get-length",
		.title = "get stops after Content-Length bytes, connection open",
		.points = 8,
		.timeout_ms = 6000,
		.programs = "get",
		.hint = "With a Content-Length, read exactly that many body bytes, then stop: "
			"do not wait for the server to close (it may not). Bytes that came "
			"with the head in the same recv are the start of the body.",
		.run = check_get_length,
	},
	{
		.id = "get-chunked",
		.title = "get decodes a chunked body",
		.points = 7,
		.timeout_ms = 6000,
		.programs = "get",
		.hint = "With \"Transfer-Encoding: chunked\" the body is chunks: a line with "
			"the size in hex (upper or lower case), the bytes, \"\\r\\n\"; a "
			"size 0 ends it. Write only the chunks' bytes.",
		.run = check_get_chunked,
	},
	{
		.id = "get-redirect",
		.title = "get follows a 301 and a 302 to the file",
		.points = 7,
		.timeout_ms = 6000,
		.programs = "get",
		.hint = "On 301, 302, 303, 307 or 308, close and fetch the Location: a whole "
			"URL (parse it with url_parse) or a path on the same server (keep "
			"host and port). Write no file for the redirect's own body.",
		.run = check_get_redirect,
	},
	{
		.id = "get-404",
		.title = "get writes no file on 404 and exits 2",
		.points = 7,
		.timeout_ms = 6000,
		.programs = "get",
		.hint = "Look at the status before opening FILE: for anything but 2xx print "
			"\"get: URL: 404 Not Found\" on stderr and exit 2 without creating "
			"the file.",
		.run = check_get_404,
	},
	{
		.id = "get-binary",
		.title = "get saves a 100 KB binary body byte for byte",
		.points = 6,
		.timeout_ms = 8000,
		.flags = SL_SANITIZE,
		.programs = "get",
		.hint = "The body is bytes, not text: write exactly the n bytes each recv "
			"gave (fwrite or write, not fputs or strlen), open FILE with \"wb\", "
			"and never look for the head's end inside the body.",
		.run = check_get_binary,
	},
	{
		.id = "get-pieces",
		.title = "get reads a head that arrives byte by byte",
		.points = 6,
		.timeout_ms = 8000,
		.programs = "get",
		.hint = "One recv is not one response: keep receiving until the head's "
			"empty line has come, and keep the bytes after it for the body.",
		.run = check_get_pieces,
	},
	{
		.id = "get-cut",
		.title = "get reports a body cut short: exit 2, no file",
		.points = 6,
		.timeout_ms = 8000,
		.programs = "get",
		.hint = "When the server closes before Content-Length bytes (or before the "
			"last, size 0 chunk), that is an error: say so on stderr, remove the "
			"partial FILE and exit 2.",
		.run = check_get_cut,
	},
	{
		.id = "get-usage",
		.title = "get rejects bad arguments with a usage line and status 1",
		.points = 4,
		.timeout_ms = 8000,
		.programs = "get",
		.hint = "Require exactly URL and FILE, and a URL url_parse accepts; "
			"otherwise print \"usage: get URL FILE\" on stderr and return 1.",
		.run = check_get_usage,
	},
};

static const struct sl_lab lab09 = {
	.number = "09",
	.name = "http-get",
	.title = "URLs and downloading a page: a URL parser and an HTTP/1.1 client",
	.files = { "get.c", "url.c" },
	.given = { "url.h" },
	.programs = {
		{ .name = "get", .sources = { "get.c", "url.c" } },
		{ .name = "url-cases", .sources = { "url.c" }, .support = { "url_cases.c" }, .libs = "-lcmocka" },
	},
	.checks = checks,
	.nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab09);
