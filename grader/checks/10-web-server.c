/* 10-web-server.c - lab 10: a static HTTP/1.0 server for a folder.
 *
 * "web PORT site" serves the folder site/ that each check writes into the
 * program's working folder (text, binary and one file of each type), with
 * secret.txt next to it, above the folder, where no request may reach.
 * The checks play HTTP clients with the harness's client peer: whole
 * requests, requests cut in pieces or sent slowly, malformed ones, climbs
 * out of the folder, fifty clients at once and five hundred in a row.
 * Answers: 200 with the file, 400, 403 for a ".." segment, 404, 501; see
 * the lab's http.h. The rubric is the table at the end of this file.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../../harness/hx_http.h"
#include "../sl_lab.h"

/* Deadlines of single steps, in milliseconds (scaled like all deadlines). */
#define READY_MS 1500 /* the server starts listening */
#define IO_MS	 1500 /* a response arrives, a client connects */
#define STOP_MS	 1000 /* the server exits after SIGTERM */
#define EXIT_MS	 1500 /* the server exits after bad arguments */

#define SITE	      "site" /* the folder served, in the cwd */
#define SECRET	      "TOP SECRET: nothing above the folder is served\n"
#define RESPONSE_CAP  (1 << 20) /* more than any response here */
#define MANY_CLIENTS  50	/* connections open at once */
#define MANY_REQUESTS 500	/* requests in a row for the leak check */
#define FD_SLACK                                                               \
	2		  /* descriptors a server may still be                 \
			     closing when the count is taken */
#define LOGO_BYTES 100000 /* the binary file's size */

#define INDEX_HTML                                                             \
	"<html><head><title>lab 10</title></head>\n"                           \
	"<body><h1>It works</h1></body></html>\n"
#define SUB_HTML "<p>the index of a sub-folder</p>\n"

/* The site's files that checks compare with, built once per check. */
struct site {
	char notes[4096];		/* site/notes.txt */
	size_t notes_len;		/* its bytes */
	unsigned char logo[LOGO_BYTES]; /* site/img/logo.png */
	unsigned char photo[3000];	/* site/photo.jpg */
};

/* A file of the types/ folder and the Content-Type it must get. */
struct typed_file {
	const char *name; /* under site/types/ */
	const char *type; /* the media type expected */
};

static const struct typed_file typed_files[] = {
    {"page.html", "text/html"},
    {"old.htm", "text/html"},
    {"notes.txt", "text/plain"},
    {"picture.png", "image/png"},
    {"photo.jpg", "image/jpeg"},
    {"data.bin", "application/octet-stream"},
    {"README", "application/octet-stream"},
};

/* Writes len bytes into the file at relative path under the work folder,
 * making its folder first. */
static int write_file(struct hx_check *c, const char *path, const void *data,
		      size_t len)
{
	char full[1024], *slash;
	FILE *f;

	snprintf(full, sizeof(full), "%s/%s", c->work_dir, path);
	for (slash = strchr(full + strlen(c->work_dir) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(full, 0755) < 0 && errno != EEXIST)
			return hx_fail(c, HX_ERROR, "mkdir %s: %s", path,
				       strerror(errno));
		*slash = '/';
	}
	f = fopen(full, "we");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		return hx_fail(c, HX_ERROR, "cannot write %s: %s", path,
			       strerror(errno));
	return 0;
}

static int write_text(struct hx_check *c, const char *path, const char *text)
{
	return write_file(c, path, text, strlen(text));
}

/* Writes the site and the secret next to it; fills s. */
static int make_site(struct hx_check *c, struct site *s)
{
	size_t used = 0;

	for (int line = 1; used + 64 < sizeof(s->notes); line++)
		used +=
		    (size_t)snprintf(s->notes + used, sizeof(s->notes) - used,
				     "%04d a line of plain text\n", line);
	s->notes_len = used;
	/* Binary: NUL bytes, a blank line, every byte value. */
	memcpy(s->logo, "\x89PNG\r\n\x1a\n\0\0\r\n\r\n", 14);
	for (int i = 14; i < LOGO_BYTES; i++)
		s->logo[i] = (unsigned char)hx_random(c);
	memcpy(s->photo, "\xff\xd8\xff\xe0\0\x10JFIF\0", 11);
	for (size_t i = 11; i < sizeof(s->photo); i++)
		s->photo[i] = (unsigned char)(i * 7);
	if (write_text(c, "secret.txt", SECRET) < 0 ||
	    write_text(c, SITE "/index.html", INDEX_HTML) < 0 ||
	    write_text(c, SITE "/sub/index.html", SUB_HTML) < 0 ||
	    write_file(c, SITE "/notes.txt", s->notes, s->notes_len) < 0 ||
	    write_file(c, SITE "/img/logo.png", s->logo, LOGO_BYTES) < 0 ||
	    write_file(c, SITE "/photo.jpg", s->photo, sizeof(s->photo)) < 0)
		return -1;
	for (int i = 0; i < SL_COUNT(typed_files); i++) {
		char path[256], text[128];

		snprintf(path, sizeof(path), SITE "/types/%s",
			 typed_files[i].name);
		snprintf(text, sizeof(text), "the file %s\n",
			 typed_files[i].name);
		if (write_text(c, path, text) < 0)
			return -1;
	}
	hx_recordf(c, 0, "wrote the folder " SITE " and secret.txt");
	return 0;
}

/* Starts "web port site" and waits until it listens. */
static struct hx_proc *start_web(struct hx_check *c, int port)
{
	char port_arg[16];
	const char *args[] = {port_arg, SITE, NULL};
	struct hx_proc *server;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	server = hx_start_labelled(c, "server", "web", args);
	if (!server || hx_wait_ready(c, server, HX_TCP, port, READY_MS) < 0)
		return NULL;
	return server;
}

/* Writes the site, starts the server; NULL after a failure. s may be
 * NULL when the check compares no file. */
static struct hx_proc *set_up(struct hx_check *c, struct site **s)
{
	struct site *site = calloc(1, sizeof(*site));
	struct hx_proc *server = NULL;

	if (!site) {
		hx_fail(c, HX_ERROR, "out of memory");
		return NULL;
	}
	if (make_site(c, site) == 0)
		server = start_web(c, hx_port(c, 0));
	if (s)
		*s = site;
	else
		free(site);
	return server;
}

/* After a failed step: says in the notes how the server ended, if it did. */
static void note_server_end(struct hx_check *c, struct hx_proc *server)
{
	struct hx_buf how;

	if (!server || hx_proc_running(server))
		return;
	hx_buf_init(&how);
	hx_proc_describe_end(server, &how);
	hx_note(c, "%s had ended: %s", server->label, how.data);
	hx_buf_free(&how);
}

/* A request for target, as a browser would send it. */
static void request_for(char *out, size_t size, const char *target)
{
	snprintf(out, size,
		 "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n"
		 "User-Agent: lab10-check\r\n\r\n",
		 target);
}

/* Requires the response's status to be want. */
static int expect_status(struct hx_check *c, const char *request,
			 const struct hx_http_message *resp, int want)
{
	char what[300];

	if (resp->status == want)
		return 0;
	snprintf(what, sizeof(what), "status of the answer to \"%.200s\"",
		 request);
	hx_buf_clear(&c->actual);
	hx_buf_add(&c->actual, resp->head.data, resp->head.len);
	return hx_fail(c, HX_FAIL, "%s: expected %d, got %d (\"%s\")", what,
		       want, resp->status, resp->start[2]);
}

/* Sends request cut by plan on a connection of its own and requires the
 * status want. resp is left for the caller to look at and free. */
static int ask(struct hx_check *c, struct hx_proc *server, const char *request,
	       const struct hx_plan *plan, int want,
	       struct hx_http_message *resp)
{
	hx_http_message_init(resp);
	if (hx_http_fetch(c, "127.0.0.1", hx_port(c, 0), request, plan, resp,
			  RESPONSE_CAP, IO_MS) < 0 ||
	    expect_status(c, request, resp, want) < 0) {
		char line[300];

		snprintf(line, sizeof(line), "%.*s",
			 (int)strcspn(request, "\n"), request);
		hx_note(c, "the request was \"%s\"", line);
		note_server_end(c, server);
		return -1;
	}
	return 0;
}

/* GET target must answer 200 with exactly body (len bytes). */
static int expect_file(struct hx_check *c, struct hx_proc *server,
		       const char *target, const void *body, size_t len)
{
	struct hx_http_message resp;
	char request[512], what[300];
	int rc;

	request_for(request, sizeof(request), target);
	rc = ask(c, server, request, NULL, 200, &resp);
	snprintf(what, sizeof(what), "body of GET %s", target);
	if (rc == 0)
		rc = hx_expect_bytes(c, what, body, len, resp.body.data,
				     resp.body.len);
	hx_http_message_free(&resp);
	return rc;
}

/* Sends request as it is (NULL plan: whole) and requires status want;
 * the body must not give the secret away. */
static int expect_answer(struct hx_check *c, struct hx_proc *server,
			 const char *request, const struct hx_plan *plan,
			 int want)
{
	struct hx_http_message resp;
	int rc = ask(c, server, request, plan, want, &resp);

	if (rc == 0 && resp.body.data && strstr(resp.body.data, "TOP SECRET"))
		rc = hx_fail(c, HX_FAIL,
			     "the answer to \"%.100s\" holds the "
			     "secret file above the folder",
			     request);
	hx_http_message_free(&resp);
	return rc;
}

static void check_text(struct hx_check *c)
{
	struct site *s = NULL;
	struct hx_proc *server = set_up(c, &s);

	if (server &&
	    expect_file(c, server, "/index.html", INDEX_HTML,
			strlen(INDEX_HTML)) == 0 &&
	    expect_file(c, server, "/notes.txt?lang=en", s->notes,
			s->notes_len) == 0 &&
	    expect_file(c, server, "/", INDEX_HTML, strlen(INDEX_HTML)) == 0)
		expect_file(c, server, "/sub/", SUB_HTML, strlen(SUB_HTML));
	free(s);
}

static void check_binary(struct hx_check *c)
{
	struct site *s = NULL;
	struct hx_proc *server = set_up(c, &s);

	if (server &&
	    expect_file(c, server, "/img/logo.png", s->logo, LOGO_BYTES) == 0)
		expect_file(c, server, "/photo.jpg", s->photo,
			    sizeof(s->photo));
	free(s);
}

static void check_types(struct hx_check *c)
{
	struct hx_proc *server = set_up(c, NULL);

	for (int i = 0; server && i < SL_COUNT(typed_files); i++) {
		struct hx_http_message resp;
		char request[512], target[128], what[160], type[256];
		const char *got;

		snprintf(target, sizeof(target), "/types/%s",
			 typed_files[i].name);
		request_for(request, sizeof(request), target);
		if (ask(c, server, request, NULL, 200, &resp) < 0)
			return;
		got = hx_http_header(&resp, "Content-Type");
		/* Parameters (";charset=...") are the server's business. */
		snprintf(type, sizeof(type), "%.*s",
			 got ? (int)strcspn(got, "; ") : 0, got ? got : "");
		snprintf(what, sizeof(what), "Content-Type of %s", target);
		if (!got)
			hx_fail(c, HX_FAIL,
				"the answer for %s has no "
				"Content-Type header",
				target);
		else
			hx_expect_str(c, what, typed_files[i].type, type);
		hx_http_message_free(&resp);
		if (!hx_ok(c))
			return;
	}
}

/* Asks each target (a GET of its own) and requires status want. */
static void expect_statuses(struct hx_check *c, struct hx_proc *server,
			    const char *const *targets, int n, int want)
{
	for (int i = 0; server && i < n; i++) {
		char request[2048];

		request_for(request, sizeof(request), targets[i]);
		if (expect_answer(c, server, request, NULL, want) < 0)
			return;
	}
}

static void check_not_found(struct hx_check *c)
{
	static const char *const targets[] = {
	    "/nope.html",
	    "/img/nope.png",
	    "/img",
	    "/sub/nothing/",
	};

	expect_statuses(c, set_up(c, NULL), targets, SL_COUNT(targets), 404);
}

/* A request exactly as sent and the status it must get. */
struct raw_case {
	const char *request; /* bytes sent, empty line included */
	int status;	     /* the status expected */
};

static void check_malformed(struct hx_check *c)
{
	static const struct raw_case cases[] = {
	    {"GARBAGE\r\n\r\n", 400},
	    {"GET /index.html\r\n\r\n", 400},
	    {"GET /index.html HTTP/1.0 extra\r\n\r\n", 400},
	    {"GET index.html HTTP/1.0\r\n\r\n", 400},
	    {"\r\n\r\n", 400},
	    {"GET /index.html FTP/1.0\r\n\r\n", 400},
	    {"GET /index%zz.html HTTP/1.0\r\n\r\n", 400},
	    {"GET /index.html%00.txt HTTP/1.0\r\n\r\n", 400},
	    {"POST /index.html HTTP/1.0\r\nContent-Length: 0\r\n\r\n", 501},
	    {"GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n", 200},
	};
	struct hx_proc *server = set_up(c, NULL);

	for (int i = 0; server && i < SL_COUNT(cases); i++)
		if (expect_answer(c, server, cases[i].request, NULL,
				  cases[i].status) < 0)
			return;
}

static void check_pieces(struct hx_check *c)
{
	/* A pause between bytes, so no single recv can get the head. */
	static const struct hx_plan byte_by_byte = {HX_BYTES, 0, 1};
	static const struct hx_plan random_pieces = {HX_RANDOM, 5, 1};
	struct site *s = NULL;
	struct hx_proc *server = set_up(c, &s);
	struct hx_http_message resp;
	const struct {
		const char *request;	    /* sent as it is */
		const struct hx_plan *plan; /* how */
		const void *body;	    /* the file expected */
		size_t len;		    /* its bytes */
	} cases[] = {
	    {"GET /index.html HTTP/1.0\r\nHost: 127.0.0.1\r\n"
	     "User-Agent: lab10-check\r\n\r\n",
	     &byte_by_byte, INDEX_HTML, strlen(INDEX_HTML)},
	    {"GET /notes.txt HTTP/1.0\nHost: 127.0.0.1\n\n", NULL,
	     s ? s->notes : "", s ? s->notes_len : 0},
	    {"GET /sub/ HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: */*\r\n"
	     "Accept-Language: en\r\n\r\n",
	     &random_pieces, SUB_HTML, strlen(SUB_HTML)},
	};

	for (int i = 0; server && i < SL_COUNT(cases); i++) {
		int rc =
		    ask(c, server, cases[i].request, cases[i].plan, 200, &resp);

		if (rc == 0)
			rc = hx_expect_bytes(c, "body of the answer",
					     cases[i].body, cases[i].len,
					     resp.body.data, resp.body.len);
		hx_http_message_free(&resp);
		if (rc < 0)
			break;
	}
	free(s);
}

/* Sends len bytes in random pieces of up to max_piece bytes with a pause
 * of one millisecond after each, so the server gets them in several recv
 * calls. A server may answer a bad head and close before it has all of
 * it: a failed send is recorded, and the answer is what counts. */
static void send_in_pieces(struct hx_check *c, struct hx_conn *conn,
			   const char *data, size_t len, int max_piece)
{
	int64_t deadline = hx_deadline(IO_MS);

	while (len > 0) {
		size_t piece = (size_t)hx_random_between(c, 1, max_piece);
		struct pollfd pfd = {.fd = conn->fd, .events = POLLOUT};
		ssize_t n;

		if (piece > len)
			piece = len;
		n = send(conn->fd, data, piece, MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (poll(&pfd, 1, hx_remaining_ms(deadline)) <= 0)
				return;
			continue;
		}
		if (n < 0) {
			hx_recordf(c, conn->id, "send failed: %s",
				   strerror(errno));
			return;
		}
		hx_record(c, conn->id, '>', data, (size_t)n);
		data += n;
		len -= (size_t)n;
		hx_pause(1); /* a fault plan's pause */
	}
}

/* Sends request in pieces (see send_in_pieces) and requires the answer
 * to have status want. */
static int expect_split_answer(struct hx_check *c, struct hx_proc *server,
			       const struct hx_buf *request, int want)
{
	struct hx_http_message resp;
	struct hx_conn conn;
	int rc = -1;

	hx_http_message_init(&resp);
	if (hx_tcp_connect(c, &conn, "127.0.0.1", hx_port(c, 0), IO_MS) < 0)
		return -1;
	send_in_pieces(c, &conn, request->data, request->len, 2000);
	if (hx_recv_all(c, &conn, RESPONSE_CAP, IO_MS) == 0 &&
	    hx_http_parse_response(c, conn.in.data, conn.in.len, &resp) == 0)
		rc = expect_status(c, "GET /aaa...(10000 bytes) HTTP/1.0",
				   &resp, want);
	if (rc < 0)
		note_server_end(c, server);
	hx_http_message_free(&resp);
	hx_close(c, &conn);
	return rc;
}

static void check_overlong(struct hx_check *c)
{
	struct hx_proc *server = set_up(c, NULL);
	struct hx_buf line, fields;

	hx_buf_init(&line);
	hx_buf_init(&fields);
	/* A request line of 10000 bytes, then a head of 300 fields: both
	 * are past the 8 KiB a head may have. */
	hx_buf_add(&line, "GET /", 5);
	for (int i = 0; i < 10000; i++)
		hx_buf_add(&line, "a", 1);
	hx_buf_addf(&line, " HTTP/1.0\r\n\r\n");
	hx_buf_addf(&fields, "GET /index.html HTTP/1.0\r\n");
	for (int i = 0; i < 300; i++)
		hx_buf_addf(&fields, "X-Filler-%03d: %040d\r\n", i, i);
	hx_buf_addf(&fields, "\r\n");
	if (server && expect_split_answer(c, server, &line, 400) == 0 &&
	    expect_answer(c, server, fields.data, NULL, 400) == 0)
		expect_file(c, server, "/index.html", INDEX_HTML,
			    strlen(INDEX_HTML));
	hx_buf_free(&line);
	hx_buf_free(&fields);
}

static void check_traversal(struct hx_check *c)
{
	static const char *const climbs[] = {
	    "/../secret.txt",
	    "/%2e%2e/secret.txt",
	    "/img/../../secret.txt",
	    "/..%2fsecret.txt",
	    "/%2E%2E/%2e%2E/secret.txt",
	    "/img/../index.html",
	    "/..",
	};
	struct hx_proc *server = set_up(c, NULL);
	char absolute[1200];
	const char *outside[] = {absolute, "//secret.txt"};

	expect_statuses(c, server, climbs, SL_COUNT(climbs), 403);
	/* A target is always inside the folder, never a path on disk. */
	snprintf(absolute, sizeof(absolute), "%s%s/secret.txt",
		 c->work_dir[0] == '/' ? "" : "/", c->work_dir);
	if (hx_ok(c))
		expect_statuses(c, server, outside, SL_COUNT(outside), 404);
}

static void check_slow_client(struct hx_check *c)
{
	static const struct hx_plan slowly = {HX_BYTES, 0, 3};
	struct site *s = NULL;
	struct hx_proc *server = set_up(c, &s);
	struct hx_http_message resp;
	struct hx_conn slow;

	if (!server ||
	    hx_tcp_connect(c, &slow, "127.0.0.1", hx_port(c, 0), IO_MS) < 0)
		goto out_free;
	/* Half a head, a byte at a time; the empty line comes last. */
	if (hx_send_str(c, &slow,
			"GET /index.html HTTP/1.0\r\nHost: 127.0.0.1\r\n",
			&slowly) < 0)
		goto out_close;
	hx_recordf(c, 0, "a second client asks while the first is half done");
	if (expect_file(c, server, "/notes.txt", s->notes, s->notes_len) < 0) {
		hx_note(c, "a client that had sent half its request was "
			   "connected meanwhile: one slow client must not "
			   "hold up the others");
		goto out_close;
	}
	if (hx_http_exchange(c, &slow, "\r\n", 2, NULL, &resp, RESPONSE_CAP,
			     IO_MS) == 0 &&
	    expect_status(c, "GET /index.html HTTP/1.0", &resp, 200) == 0)
		hx_expect_bytes(c, "body for the slow client", INDEX_HTML,
				strlen(INDEX_HTML), resp.body.data,
				resp.body.len);
	hx_http_message_free(&resp);
out_close:
	hx_close(c, &slow);
out_free:
	free(s);
}

static void check_many_clients(struct hx_check *c)
{
	static const char *const targets[] = {"/index.html", "/notes.txt",
					      "/sub/"};
	struct site *s = NULL;
	struct hx_proc *server = set_up(c, &s);
	struct hx_conn conns[MANY_CLIENTS];
	int nconns = 0;

	if (!server)
		goto out_free;
	/* With the server paused, every client connects and sends its
	 * request: then all of them are waiting in the listen queue at
	 * once when it goes on. */
	kill(server->pid, SIGSTOP);
	hx_recordf(c, 0, "paused the server (SIGSTOP)");
	for (; nconns < MANY_CLIENTS; nconns++) {
		char request[256];

		request_for(request, sizeof(request),
			    targets[nconns % SL_COUNT(targets)]);
		if (hx_tcp_connect(c, &conns[nconns], "127.0.0.1",
				   hx_port(c, 0), IO_MS) < 0) {
			hx_note(c,
				"%d clients had connected; the listen "
				"queue (listen's backlog) must hold %d",
				nconns, MANY_CLIENTS);
			break;
		}
		if (hx_send_str(c, &conns[nconns], request, NULL) < 0) {
			nconns++;
			break;
		}
	}
	kill(server->pid, SIGCONT);
	hx_recordf(c, 0, "let the server go on (SIGCONT)");
	for (int i = 0; hx_ok(c) && i < nconns; i++) {
		const char *target = targets[i % SL_COUNT(targets)];
		const char *body = i % 3 == 0	? INDEX_HTML
				   : i % 3 == 1 ? s->notes
						: SUB_HTML;
		size_t len = i % 3 == 1 ? s->notes_len : strlen(body);
		struct hx_http_message resp;
		char what[96];

		hx_http_message_init(&resp);
		snprintf(what, sizeof(what), "body for client %d (GET %s)",
			 i + 1, target);
		if (hx_recv_all(c, &conns[i], RESPONSE_CAP, IO_MS) < 0) {
			hx_note(c, "client %d of %d got no complete answer",
				i + 1, MANY_CLIENTS);
		} else if (hx_http_parse_response(c, conns[i].in.data,
						  conns[i].in.len,
						  &resp) == 0 &&
			   expect_status(c, target, &resp, 200) == 0) {
			hx_expect_bytes(c, what, body, len, resp.body.data,
					resp.body.len);
		}
		hx_http_message_free(&resp);
	}
	for (int i = 0; i < nconns; i++)
		hx_close(c, &conns[i]);
	note_server_end(c, server);
out_free:
	free(s);
}

/* The pid of a process as /proc shows it (its fdinfo names it). */
static int proc_pid_of(pid_t pid)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	char path[64], line[128];
	int found = -1;
	FILE *f;

	if (pidfd < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	f = fopen(path, "re");
	if (f) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "Pid: %d", &found) == 1)
				break;
		fclose(f);
	}
	close(pidfd);
	return found;
}

/* Descriptors open in process pid, or -1. */
static int count_fds(int pid)
{
	char path[64];
	struct dirent *e;
	int n = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((e = readdir(dir)))
		n += e->d_name[0] != '.';
	closedir(dir);
	return n;
}

static void check_fd_leak(struct hx_check *c)
{
	struct site *s = NULL;
	struct hx_proc *server = set_up(c, &s);
	int pid, before, after = -1, attempt = 0;
	int64_t deadline;

	if (!server || expect_file(c, server, "/index.html", INDEX_HTML,
				   strlen(INDEX_HTML)) < 0)
		goto out_free;
	pid = proc_pid_of(server->pid);
	before = pid < 0 ? -1 : count_fds(pid);
	if (before < 0) {
		hx_skip(c, "the server's descriptors cannot be counted here");
		goto out_free;
	}
	hx_recordf(c, 0, "the server has %d descriptors open", before);
	for (int i = 0; i < MANY_REQUESTS; i++) {
		const char *target = i % 2 ? "/notes.txt" : "/nope.txt";
		struct hx_http_message resp;
		char request[256];
		int rc;

		request_for(request, sizeof(request), target);
		rc = ask(c, server, request, NULL, i % 2 ? 200 : 404, &resp);
		hx_http_message_free(&resp);
		if (rc < 0) {
			hx_note(c, "after %d requests", i);
			goto out_free;
		}
	}
	/* Its threads may still be closing the last connections. */
	deadline = hx_deadline(IO_MS);
	do {
		after = count_fds(pid);
		if (after >= 0 && after <= before + FD_SLACK)
			goto out_free;
		hx_backoff(&attempt, deadline);
	} while (hx_remaining_ms(deadline) > 0);
	hx_recordf(c, 0, "the server has %d descriptors open", after);
	hx_fail(c, HX_FAIL,
		"the server had %d descriptors open before %d requests "
		"(half of them for missing files) and %d after: %d leaked",
		before, MANY_REQUESTS, after, after - before);
out_free:
	free(s);
}

static void check_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"8080", NULL},
	    {"abc", SITE, NULL},
	    {"0", SITE, NULL},
	    {"65536", SITE, NULL},
	    {"8080", SITE, "extra", NULL},
	};
	char port_arg[16];
	const char *missing[] = {port_arg, "no-such-folder", NULL};
	struct hx_proc *p;

	if (write_text(c, SITE "/index.html", INDEX_HTML) < 0)
		return;
	if (hx_expect_usage(c, "web", cases, SL_COUNT(cases), EXIT_MS) < 0)
		return;
	/* A folder that is not there is a runtime error that names it. */
	snprintf(port_arg, sizeof(port_arg), "%d", hx_port(c, 0));
	p = hx_start_labelled(c, "web PORT no-such-folder", "web", missing);
	if (p && hx_proc_expect_exit(c, p, 2, EXIT_MS) == 0)
		hx_expect_contains(c, "stderr of web PORT no-such-folder",
				   "no-such-folder", p->err.data);
}

/* Waits (with backoff, under a deadline) until the server's main thread
 * sleeps in a blocking call (accept), or it has ended: a signal sent
 * before that would meet a flag nobody tests yet. Never fails. */
static void wait_until_idle(struct hx_proc *server)
{
	int64_t deadline = hx_deadline(READY_MS);
	int pid = proc_pid_of(server->pid);
	char path[64], stat[512];
	int attempt = 0;

	if (pid < 0)
		return;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	while (hx_remaining_ms(deadline) > 0 && hx_proc_running(server)) {
		FILE *f = fopen(path, "re");
		char *end = NULL;

		if (!f)
			return;
		if (fgets(stat, sizeof(stat), f))
			end = strrchr(stat, ')'); /* the name may hold spaces */
		fclose(f);
		if (!end || end[1] != ' ' || end[2] == 'S')
			return;
		hx_backoff(&attempt, deadline);
	}
}

static void check_stop_signal(struct hx_check *c)
{
	struct hx_proc *server = set_up(c, NULL);
	struct hx_conn conn;

	/* SIGTERM while it waits for clients. */
	if (!server)
		return;
	wait_until_idle(server);
	if (hx_proc_signal_exit(c, server, SIGTERM, STOP_MS) < 0)
		return;
	/* SIGTERM while a client's thread waits for the rest of a request. */
	server = start_web(c, hx_port(c, 0));
	if (!server ||
	    hx_tcp_connect(c, &conn, "127.0.0.1", hx_port(c, 0), IO_MS) < 0)
		return;
	if (hx_send_str(c, &conn, "GET /index.html HTTP/1.0\r\n", NULL) == 0) {
		wait_until_idle(server);
		if (hx_proc_signal_exit(c, server, SIGTERM, STOP_MS) < 0)
			hx_note(c, "a client was in the middle of a request");
	}
	hx_close(c, &conn);
}

/* The rubric: 100 points. */
static const struct sl_check checks[] = {
	{
		.id = "build",
		.title = "web builds without warnings",
		.points = 10,
		.timeout_ms = 60000,
		.programs = "web",
		.hint = "Read the compiler's messages from the first one down; fix every "
			"warning too (an unused variable, a missing return, a signed and "
			"unsigned comparison).",
		.run = NULL,
	},
	{
		.id = "text",
		.title = "text files and folder indexes come back exact",
		.points = 10,
		.timeout_ms = 6000,
		.programs = "web",
		.hint = "Answer \"HTTP/1.0 200 OK\\r\\n\", Content-Type, Content-Length (the "
			"file's size from fstat) and an empty line, then the file's bytes. "
			"Drop a \"?query\"; a target ending in \"/\" means that folder's "
			"index.html.",
		.run = check_text,
	},
	{
		.id = "binary",
		.title = "binary files (100 KB with NUL bytes) come back exact",
		.points = 8,
		.timeout_ms = 8000,
		.flags = SL_SANITIZE,
		.programs = "web",
		.hint = "Copy the file with read and writen, exactly the n bytes read gave: "
			"never strlen, fgets or fputs on file contents (they stop at a NUL "
			"byte). Content-Length is st_size.",
		.run = check_binary,
	},
	{
		.id = "types",
		.title = "Content-Type follows the file's extension",
		.points = 5,
		.timeout_ms = 6000,
		.programs = "web",
		.hint = "content_type: .html and .htm text/html, .txt text/plain, .png "
			"image/png, .jpg and .jpeg image/jpeg, anything else, no extension "
			"included, application/octet-stream. Look at the last '.' after the "
			"last '/'.",
		.run = check_types,
	},
	{
		.id = "not-found",
		.title = "missing files and folders get 404",
		.points = 6,
		.timeout_ms = 6000,
		.programs = "web",
		.hint = "When open fails with ENOENT or ENOTDIR, or fstat says the path is "
			"not a regular file (a folder without its \"/\"), answer 404 with a "
			"short text body and its Content-Length.",
		.run = check_not_found,
	},
	{
		.id = "malformed",
		.title = "malformed requests get 400 (or 501), the server goes on",
		.points = 8,
		.timeout_ms = 8000,
		.flags = SL_SANITIZE,
		.programs = "web",
		.hint = "The request line is exactly three words split by single spaces: "
			"METHOD, a target starting with '/', and HTTP/1.0 or HTTP/1.1. "
			"Anything else, a bad %-escape or %00 is 400; a method other than "
			"GET is 501. Never assume strtok or strchr found something: test "
			"for NULL.",
		.run = check_malformed,
	},
	{
		.id = "pieces",
		.title = "requests in pieces, byte by byte, and with bare LF",
		.points = 6,
		.timeout_ms = 8000,
		.programs = "web",
		.hint = "One recv is not one request: keep receiving into the free part of "
			"the buffer until it holds the empty line that ends the head, "
			"\"\\r\\n\\r\\n\" or \"\\n\\n\" (head_length).",
		.run = check_pieces,
	},
	{
		.id = "overlong",
		.title = "a head over 8 KiB gets 400, the server goes on",
		.points = 6,
		.timeout_ms = 8000,
		.flags = SL_SANITIZE,
		.programs = "web",
		.hint = "Receive at most HEAD_MAX - len bytes at a time; when HEAD_MAX bytes "
			"came without the empty line, answer 400 and close. Keep room for "
			"the '\\0' after the head.",
		.run = check_overlong,
	},
	{
		.id = "traversal",
		.title = "nothing above the folder is served: \"..\" gets 403",
		.points = 10,
		.timeout_ms = 8000,
		.programs = "web",
		.hint = "Decode %-escapes first (\"%2e%2e\" is \"..\"), then refuse any "
			"path with a \"..\" segment with 403. Join the decoded path to the "
			"folder: a target is never a path on disk of its own.",
		.run = check_traversal,
	},
	{
		.id = "slow-client",
		.title = "a slow client does not hold up a fast one",
		.points = 8,
		.timeout_ms = 8000,
		.programs = "web",
		.hint = "Serve each client in a thread of its own: accept, malloc the "
			"client's data, pthread_create a detached thread that reads the "
			"request, answers and closes; main goes straight back to accept.",
		.run = check_slow_client,
	},
	{
		.id = "many-clients",
		.title = "50 clients at once all get their files",
		.points = 8,
		.timeout_ms = 10000,
		.programs = "web",
		.hint = "listen with a backlog of 128. Give each thread its own copy of the "
			"connected socket (malloc'd, freed by the thread): the address of "
			"a variable the next accept overwrites is shared by two threads.",
		.run = check_many_clients,
	},
	{
		.id = "fd-leak",
		.title = "500 requests leave no descriptor open",
		.points = 6,
		.timeout_ms = 20000,
		.programs = "web",
		.hint = "Every path through a thread closes what it opened: the file (also "
			"when fstat fails or the client goes away) and the connection (also "
			"after an error or an empty request).",
		.run = check_fd_leak,
	},
	{
		.id = "usage",
		.title = "bad arguments: usage line and status 1; missing folder 2",
		.points = 4,
		.timeout_ms = 10000,
		.programs = "web",
		.hint = "Require PORT (parse_port: 1 to 65535) and FOLDER, nothing more, else "
			"print \"usage: web PORT FOLDER\" on stderr and return 1. A FOLDER "
			"that stat cannot find or that is not a folder: \"web: FOLDER: "
			"reason\" and return 2.",
		.run = check_usage,
	},
	{
		.id = "stop-signal",
		.title = "SIGTERM stops the server (exit 0), clients or not",
		.points = 5,
		.timeout_ms = 6000,
		.programs = "web",
		.hint = "sigaction without SA_RESTART so accept fails with EINTR; block "
			"SIGINT and SIGTERM (pthread_sigmask) around pthread_create so "
			"client threads never take them; leave the loop, close, return 0.",
		.run = check_stop_signal,
	},
};

static const struct sl_lab lab10 = {
	.number = "10",
	.name = "web-server",
	.title = "Serving files: a static HTTP/1.0 server with a thread per client",
	.files = { "web.c", "http.c" },
	.given = { "http.h" },
	.programs = {
		{ .name = "web", .sources = { "web.c", "http.c" } },
	},
	.checks = checks,
	.nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab10);
