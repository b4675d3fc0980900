/* 10-web-server.c - lab 10: a static HTTP/1.0 server for a folder.
 *
 * "web PORT site" serves the folder site/ that each check writes into the
 * program's working folder (text, binary and one file of each type), with
 * secret.txt next to it, above the folder, where no request may reach.
 * The checks play HTTP clients with the harness's client peer: whole
 * requests, requests cut in pieces or sent slowly, malformed ones, heads
 * at the 8 KiB limit and past it, climbs out of the folder, clients that
 * leave before their answer, fifty clients at once and hundreds in a row
 * under a small descriptor limit. Answers: 200 with the file, 400, 403,
 * 404, 501; see the lab's http.h. Every rule of the handout and the check
 * that exercises it: grader/checks/rules/10-web-server.md. The rubric is
 * the table at the end of this file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../harness/hx_http.h"
#include "../sl_lab.h"

/* Deadlines of single steps, in milliseconds (scaled like all deadlines). */
#define READY_MS 1500 /* the server starts listening */
#define IO_MS	 1500 /* a response arrives, a client connects */
#define STOP_MS	 1000 /* the server exits after SIGTERM or SIGINT */
#define EXIT_MS	 1500 /* the server exits after bad arguments */

/* Deadlines of whole checks. */
#define CHECK_MS      8000  /* most checks */
#define BUILD_MS      60000 /* the build */
#define LONG_CHECK_MS 20000 /* hundreds of requests */

/* Descriptor limits (RLIMIT_NOFILE) of the server: a leak of one per
 * request runs into EMFILE within a check. */
#define FEW_FILES  32  /* every check but many-clients */
#define MANY_FILES 256 /* 50 connections and their files at once */

#define SITE	       "site" /* the folder served, in the cwd */
#define SECRET	       "TOP SECRET: nothing above the folder is served\n"
#define HEAD_MAX       8192	 /* the lab's limit on a request head */
#define RESPONSE_CAP   (1 << 20) /* more than any response here */
#define MANY_CLIENTS   50	 /* connections open at once */
#define LEAK_ROUNDS    40	 /* rounds of every kind of request */
#define MEMORY_ROUNDS  6	 /* the same, under LeakSanitizer */
#define LOGO_BYTES     100000	 /* the binary file's size */
#define EARLY_ATTEMPTS 3	 /* tries when a reset destroyed an answer */

#define INDEX_HTML                                                             \
	"<html><head><title>lab 10</title></head>\n"                           \
	"<body><h1>It works</h1></body></html>\n"
#define SUB_HTML     "<p>the index of a sub-folder</p>\n"
#define DOTS_TEXT    "two dots inside a name are not a climb\n"
#define PRIVATE_TEXT "no one may read this\n"
#define ZEBRA_TEXT   "a name with a Z, for the hex digits a and A\n"

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
    {.name = "page.html", .type = "text/html"},
    {.name = "old.htm", .type = "text/html"},
    {.name = "SHOUT.HTML", .type = "text/html"},
    {.name = "notes.txt", .type = "text/plain"},
    {.name = "picture.png", .type = "image/png"},
    {.name = "scan.PNG", .type = "image/png"},
    {.name = "photo.jpg", .type = "image/jpeg"},
    {.name = "photo.JpEg", .type = "image/jpeg"},
    {.name = "data.bin", .type = "application/octet-stream"},
    {.name = "README", .type = "application/octet-stream"},
    {.name = "notes.txt.bak", .type = "application/octet-stream"},
    {.name = "ends-in-a-dot.", .type = "application/octet-stream"},
    {.name = "pages.html/README", .type = "application/octet-stream"},
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
	char private_path[1100];
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
	    write_file(c, SITE "/photo.jpg", s->photo, sizeof(s->photo)) < 0 ||
	    write_text(c, SITE "/v1..2.txt", DOTS_TEXT) < 0 ||
	    write_text(c, SITE "/..notes.txt", DOTS_TEXT) < 0 ||
	    write_text(c, SITE "/private.txt", PRIVATE_TEXT) < 0 ||
	    write_text(c, SITE "/Zebra.txt", ZEBRA_TEXT) < 0)
		return -1;
	/* Nobody may read it: open fails with EACCES (unless root). */
	snprintf(private_path, sizeof(private_path), "%s/" SITE "/private.txt",
		 c->work_dir);
	if (chmod(private_path, 0) < 0)
		return hx_fail(c, HX_ERROR, "chmod %s: %s", private_path,
			       strerror(errno));
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

/* 1 if the server runs as root: a file without permissions opens then. */
static int runs_as_root(struct hx_proc *server)
{
	char path[64], status[4096];
	const char *uid;
	int real = -1, effective = -1;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)server->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, status, sizeof(status) - 1);
	close(fd);
	status[n > 0 ? n : 0] = '\0';
	/* "Uid:\treal\teffective\tsaved\tfs" */
	uid = strstr(status, "\nUid:");
	return uid && sscanf(uid + 5, "%d %d", &real, &effective) == 2 &&
	       effective == 0;
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

/* Stops the server with SIGTERM and waits (STOP_MS) for it to exit,
 * without judging how: stop-signal does. */
static void stop_quietly(struct hx_check *c, struct hx_proc *server)
{
	int64_t deadline = hx_deadline(STOP_MS);

	hx_proc_wait_idle(server, IO_MS);
	hx_recordf(c, 0, "stopping %s (SIGTERM)", server->label);
	server->stopped_by_harness = 1;
	kill(server->pid, SIGTERM);
	while (hx_proc_running(server) && hx_remaining_ms(deadline) > 0)
		hx_proc_pump(server, 20);
	hx_proc_pump(server, 0);
}

/* A request for target, as a browser would send it. */
static void request_for(char *out, size_t size, const char *target)
{
	snprintf(out, size,
		 "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n"
		 "User-Agent: lab10-check\r\n\r\n",
		 target);
}

/* The request line of request, for feedback. */
static void first_line(char *out, size_t size, const char *request)
{
	snprintf(out, size, "%.*s", (int)strcspn(request, "\r\n"), request);
}

/* Requires the response's status to be want. */
static int expect_status(struct hx_check *c, const char *request,
			 const struct hx_http_message *resp, int want)
{
	char what[300], line[200];

	if (resp->status == want)
		return 0;
	first_line(line, sizeof(line), request);
	snprintf(what, sizeof(what), "status of the answer to \"%s\"", line);
	return hx_fail_values(c, HX_FAIL, NULL, 0, resp->head.data,
			      resp->head.len,
			      "%s: expected %d, got %d (\"%s\")", what, want,
			      resp->status, resp->start[2]);
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

		first_line(line, sizeof(line), request);
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

/* The reason phrase of an error status the server sends. */
static const char *reason_of(int status)
{
	switch (status) {
	case 400:
		return "Bad Request";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 501:
		return "Not Implemented";
	}
	return "OK";
}

/* An error answer's reason phrase, Content-Type and body, as the
 * handout's status table has them: "404 Not Found\n", text/plain. */
static int expect_error_body(struct hx_check *c,
			     const struct hx_http_message *resp, int status)
{
	const char *type = hx_http_header(resp, "Content-Type");
	char body[64], what[64], got_type[128];

	snprintf(body, sizeof(body), "%d %s\n", status, reason_of(status));
	snprintf(what, sizeof(what), "reason phrase of a %d answer", status);
	if (hx_expect_str(c, what, reason_of(status), resp->start[2]) < 0)
		return -1;
	snprintf(got_type, sizeof(got_type), "%.*s",
		 type ? (int)strcspn(type, "; ") : 0, type ? type : "");
	snprintf(what, sizeof(what), "Content-Type of a %d answer", status);
	if (hx_expect_str(c, what, "text/plain", got_type) < 0)
		return -1;
	snprintf(what, sizeof(what), "body of a %d answer", status);
	return hx_expect_bytes(c, what, body, strlen(body), resp->body.data,
			       resp->body.len);
}

/* Sends request as it is (NULL plan: whole) and requires status want,
 * with the error body the handout gives for it; no body may give the
 * secret away. */
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
	if (rc == 0 && want != 200)
		rc = expect_error_body(c, &resp, want);
	hx_http_message_free(&resp);
	return rc;
}

/* Asks each target (a GET of its own) and requires status want. */
static int expect_statuses(struct hx_check *c, struct hx_proc *server,
			   const char *const *targets, int n, int want)
{
	for (int i = 0; i < n; i++) {
		char request[2048];

		request_for(request, sizeof(request), targets[i]);
		if (expect_answer(c, server, request, NULL, want) < 0)
			return -1;
	}
	return 0;
}

/* ---- driving the server's reads ------------------------------------ */

/* The local port of a connected socket. */
static int local_port(int fd)
{
	struct sockaddr_in addr;
	socklen_t len = sizeof(addr);

	if (getsockname(fd, (struct sockaddr *)&addr, &len) < 0)
		return -1;
	return ntohs(addr.sin_port);
}

/* Bytes the server's end of a connection has received and its program
 * not yet read, from /proc/net/tcp (local port server_port, remote port
 * client_port); -1 when that socket is not there (closed). */
static long server_unread(int server_port, int client_port)
{
	char line[512];
	long unread = -1;
	FILE *f = fopen("/proc/net/tcp", "re");

	if (!f)
		return -1;
	while (unread < 0 && fgets(line, sizeof(line), f)) {
		unsigned local, remote, state;
		unsigned long tx, rx;

		/* "sl: ADDR:PORT ADDR:PORT st tx_queue:rx_queue ..." */
		if (sscanf(line, "%*d: %*x:%x %*x:%x %x %lx:%lx", &local,
			   &remote, &state, &tx, &rx) == 5 &&
		    (int)local == server_port && (int)remote == client_port)
			unread = (long)rx;
	}
	fclose(f);
	return unread;
}

/* Waits until the server has read every byte sent on conn so far: the
 * kernel acknowledged them all (on loopback: they are in the server's
 * receive queue) and the server's program took them out of it. Then
 * what is sent next meets a recv of its own. Never fails: a server that
 * does not read is judged by what it answers. */
static void wait_consumed(struct hx_check *c, struct hx_proc *server,
			  struct hx_conn *conn)
{
	int64_t deadline = hx_deadline(IO_MS);
	int client = local_port(conn->fd), attempt = 0;

	while (hx_remaining_ms(deadline) > 0 && hx_proc_running(server)) {
		int unacked = 0;

		if (ioctl(conn->fd, SIOCOUTQ, &unacked) == 0 && unacked == 0 &&
		    server_unread(hx_port(c, 0), client) <= 0)
			break;
		hx_backoff(&attempt, deadline);
	}
	hx_proc_wait_idle(server, IO_MS);
	hx_recordf(c, conn->id, "the server has read all that was sent");
}

/* Sends len bytes at once, as far as the server takes them: a server
 * that answers and closes before it has all of them makes the rest fail,
 * which is recorded, not judged (the answer is what counts). */
static void send_rest(struct hx_check *c, struct hx_conn *conn,
		      const char *data, size_t len)
{
	int64_t deadline = hx_deadline(IO_MS);

	while (len > 0 && hx_remaining_ms(deadline) > 0) {
		ssize_t n = send(conn->fd, data, len, MSG_NOSIGNAL);

		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			struct pollfd pfd = {.fd = conn->fd, .events = POLLOUT};

			poll(&pfd, 1, hx_remaining_ms(deadline));
			continue;
		}
		if (n < 0) {
			hx_recordf(c, conn->id,
				   "send: %s (the server stopped "
				   "reading)",
				   strerror(errno));
			return;
		}
		hx_record(c, conn->id, '>', data, (size_t)n);
		data += n;
		len -= (size_t)n;
	}
}

/* What an answer read after an early one looked like. */
enum early_answer {
	EARLY_STATUS, /* a status line came: it is in *status */
	EARLY_LOST,   /* reset before a whole status line: try again */
	EARLY_FAILED  /* no answer in time, or none at all: failed */
};

/* Reads the answer to a request the server may answer before reading
 * all of it. A server that closes with request bytes unread makes its
 * kernel reset the connection, and the reset may destroy the end of the
 * answer, or all of it, before it is read: the status line decides, and
 * an answer lost whole is asked for again. */
static enum early_answer read_early_answer(struct hx_check *c,
					   struct hx_conn *conn, int *status)
{
	struct hx_http_message resp;
	const char *in;
	int got;

	if (hx_recv_all(c, conn, RESPONSE_CAP, IO_MS) < 0)
		return EARLY_FAILED;
	in = conn->in.data ? conn->in.data : "";
	if (!conn->reset) {
		hx_http_message_init(&resp);
		got = hx_http_parse_response(c, in, conn->in.len, &resp) == 0;
		*status = resp.status;
		hx_http_message_free(&resp);
		return got ? EARLY_STATUS : EARLY_FAILED;
	}
	if (sscanf(in, "HTTP/1.%*1[01] %3d ", status) == 1 &&
	    strstr(in, "\r\n")) {
		hx_recordf(c, conn->id,
			   "reset after the status line: the "
			   "rest of the answer may be lost");
		return EARLY_STATUS;
	}
	return EARLY_LOST;
}

/* Sends request (len bytes): its first `first` bytes, then, once the
 * server has read them, the rest in one send; requires status want. A
 * server that receives into its whole buffer instead of its free part
 * then writes past the buffer, whatever the timing. */
static int expect_early_status(struct hx_check *c, struct hx_proc *server,
			       const char *what, const char *request,
			       size_t len, size_t first, int want)
{
	for (int attempt = 1; attempt <= EARLY_ATTEMPTS; attempt++) {
		struct hx_conn conn;
		enum early_answer got;
		int status = 0;

		if (hx_tcp_connect(c, &conn, "127.0.0.1", hx_port(c, 0),
				   IO_MS) < 0)
			break;
		if (first > 0 && first < len) {
			send_rest(c, &conn, request, first);
			wait_consumed(c, server, &conn);
		}
		send_rest(c, &conn, request + first, len - first);
		got = read_early_answer(c, &conn, &status);
		hx_close(c, &conn);
		if (got == EARLY_STATUS)
			return hx_expect_int(c, what, want, status) < 0 ? -1
									: 0;
		if (got == EARLY_FAILED)
			break;
	}
	if (hx_ok(c))
		hx_fail(c, HX_FAIL,
			"%s: the connection was reset before any answer, %d "
			"times",
			what, EARLY_ATTEMPTS);
	hx_note(c, "the request: %s (%zu bytes)", what, len);
	note_server_end(c, server);
	return -1;
}

/* A head of exactly len bytes: GET target, one filler field, the blank
 * line; eol ends every line. */
static void head_of_length(struct hx_buf *out, const char *target,
			   const char *eol, size_t len)
{
	size_t blank = 2 * strlen(eol); /* the filler's end, the blank line */

	hx_buf_clear(out);
	hx_buf_addf(out, "GET %s HTTP/1.0%sX-Filler: ", target, eol);
	while (out->len + blank < len)
		hx_buf_add(out, "f", 1);
	hx_buf_addf(out, "%s%s", eol, eol);
}

/* ---- the checks ----------------------------------------------------- */

static void check_text(struct hx_check *c)
{
	struct site *s = NULL;
	struct hx_proc *server = set_up(c, &s);

	if (server &&
	    expect_file(c, server, "/index.html", INDEX_HTML,
			strlen(INDEX_HTML)) == 0 &&
	    expect_file(c, server, "/notes.txt?lang=en", s->notes,
			s->notes_len) == 0 &&
	    expect_file(c, server, "/", INDEX_HTML, strlen(INDEX_HTML)) == 0 &&
	    expect_file(c, server, "/?page=2", INDEX_HTML,
			strlen(INDEX_HTML)) == 0 &&
	    expect_file(c, server, "/sub/", SUB_HTML, strlen(SUB_HTML)) == 0 &&
	    /* %-escapes of ordinary bytes, in both cases */
	    expect_file(c, server, "/not%65s.txt", s->notes, s->notes_len) ==
		0 &&
	    expect_file(c, server, "/sub%2Findex%2ehtml", SUB_HTML,
			strlen(SUB_HTML)) == 0 &&
	    expect_file(c, server, "/%5aebra.txt", ZEBRA_TEXT,
			strlen(ZEBRA_TEXT)) == 0 &&
	    expect_file(c, server, "/%5Aebra.txt", ZEBRA_TEXT,
			strlen(ZEBRA_TEXT)) == 0) {
		/* stdio keeps what a server prints on a pipe until it exits */
		stop_quietly(c, server);
		hx_expect_no_stdout(c, server);
	}
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

static void check_not_found(struct hx_check *c)
{
	static const char *const missing[] = {
	    "/nope.html",
	    "/img/nope.png",
	    "/sub/nothing/",
	    "/img", /* folders without their "/" */
	    "/sub",
	    "/index.html/", /* ENOTDIR */
	    "/notes.txt/more",
	    "/no%0Afile.txt", /* an escaped byte 0x0a is no %00 */
	};
	static const char *const unreadable[] = {"/private.txt"};
	struct hx_proc *server = set_up(c, NULL);

	if (!server ||
	    expect_statuses(c, server, missing, SL_COUNT(missing), 404) < 0)
		return;
	if (runs_as_root(server)) {
		hx_recordf(c, 0,
			   "the server runs as root: it may read a "
			   "file without permissions, not tried");
		return;
	}
	expect_statuses(c, server, unreadable, SL_COUNT(unreadable), 403);
}

/* A request exactly as sent and the status it must get. */
struct raw_case {
	const char *request; /* bytes sent, empty line included */
	int status;	     /* the status expected */
};

static void check_malformed(struct hx_check *c)
{
	static const struct raw_case cases[] = {
	    {.request = "GARBAGE\r\n\r\n", .status = 400},
	    {.request = "GARBAGE\n\n", .status = 400},
	    {.request = "\r\n\r\n", .status = 400},
	    {.request = "GET /index.html\r\n\r\n", .status = 400},
	    {.request = "GET /index.html HTTP/1.0 extra\r\n\r\n",
	     .status = 400},
	    /* the request line ends at its line end, spaces after it or not */
	    {.request = "GET /index.html\r\nHost: a b\r\n\r\n", .status = 400},
	    {.request = "GET  /index.html HTTP/1.0\r\n\r\n", .status = 400},
	    {.request = "GET /index.html  HTTP/1.0\r\n\r\n", .status = 400},
	    {.request = "GET /index.html HTTP/1.0 \r\n\r\n", .status = 400},
	    {.request = "GET\t/index.html HTTP/1.0\r\n\r\n", .status = 400},
	    {.request = "GET index.html HTTP/1.0\r\n\r\n", .status = 400},
	    {.request = "GET /index.html FTP/1.0\r\n\r\n", .status = 400},
	    {.request = "GET /index.html http/1.0\r\n\r\n", .status = 400},
	    {.request = "GET /index.html HTTP/2.0\r\n\r\n", .status = 400},
	    {.request = "GET /index%zz.html HTTP/1.0\r\n\r\n", .status = 400},
	    {.request = "GET /index%4g.html HTTP/1.0\r\n\r\n", .status = 400},
	    {.request = "GET /index.html% HTTP/1.0\r\n\r\n", .status = 400},
	    {.request = "GET /index.html%2 HTTP/1.0\r\n\r\n", .status = 400},
	    {.request = "GET /index.html%00.txt HTTP/1.0\r\n\r\n",
	     .status = 400},
	    /* malformed first, whatever the method */
	    {.request = "POST index.html HTTP/1.0\r\n\r\n", .status = 400},
	    {.request = "POST /index.html HTTP/1.0\r\nContent-Length: "
			"0\r\n\r\n",
	     .status = 501},
	    {.request = "HEAD /index.html HTTP/1.0\r\n\r\n", .status = 501},
	    {.request = "DELETE /index.html HTTP/1.1\r\nHost: x\r\n\r\n",
	     .status = 501},
	    /* methods are case-sensitive */
	    {.request = "get /index.html HTTP/1.0\r\n\r\n", .status = 501},
	    {.request = "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n",
	     .status = 200},
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
	static const struct hx_plan byte_by_byte = {
	    .split = HX_BYTES, .max_piece = 0, .delay_ms = 1};
	static const struct hx_plan random_pieces = {
	    .split = HX_RANDOM, .max_piece = 5, .delay_ms = 1};
	struct site *s = NULL;
	struct hx_proc *server = set_up(c, &s);
	const struct {
		const char *request;	    /* sent as it is */
		const struct hx_plan *plan; /* how, after its first byte */
		const void *body;	    /* the file expected */
		size_t len;		    /* its bytes */
	} cases[] = {
	    {.request = "GET /index.html HTTP/1.0\r\nHost: 127.0.0.1\r\n"
			"User-Agent: lab10-check\r\n\r\n",
	     .plan = &byte_by_byte,
	     .body = INDEX_HTML,
	     .len = strlen(INDEX_HTML)},
	    {.request = "GET /notes.txt HTTP/1.0\nHost: 127.0.0.1\n\n",
	     .plan = NULL,
	     .body = s ? s->notes : "",
	     .len = s ? s->notes_len : 0},
	    {.request = "GET /sub/ HTTP/1.1\nHost: 127.0.0.1\n\n",
	     .plan = &byte_by_byte,
	     .body = SUB_HTML,
	     .len = strlen(SUB_HTML)},
	    /* CR LF, then LF alone: "\n\r\n" ends the head too */
	    {.request = "GET /index.html HTTP/1.0\r\nAccept: */*\n\r\n",
	     .plan = &random_pieces,
	     .body = INDEX_HTML,
	     .len = strlen(INDEX_HTML)},
	    {.request = "GET /sub/ HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: "
			"*/*\r\nAccept-Language: en\r\n\r\n",
	     .plan = &random_pieces,
	     .body = SUB_HTML,
	     .len = strlen(SUB_HTML)},
	};

	for (int i = 0; server && i < SL_COUNT(cases); i++) {
		struct hx_http_message resp;
		struct hx_conn conn;
		int rc = -1;

		/* The first byte alone, read by the server before the
		 * rest comes: a server that reads once answers now. */
		hx_http_message_init(&resp);
		if (hx_tcp_connect(c, &conn, "127.0.0.1", hx_port(c, 0),
				   IO_MS) < 0)
			break;
		if (hx_send(c, &conn, cases[i].request, 1, NULL) == 0) {
			wait_consumed(c, server, &conn);
			rc = hx_http_exchange(c, &conn, cases[i].request + 1,
					      strlen(cases[i].request) - 1,
					      cases[i].plan, &resp,
					      RESPONSE_CAP, IO_MS);
		}
		if (rc == 0)
			rc = expect_status(c, cases[i].request, &resp, 200);
		if (rc == 0)
			rc = hx_expect_bytes(c, "body of the answer",
					     cases[i].body, cases[i].len,
					     resp.body.data, resp.body.len);
		if (rc < 0) {
			char line[200];

			first_line(line, sizeof(line), cases[i].request);
			hx_note(c, "the request \"%s\" came in pieces", line);
			note_server_end(c, server);
		}
		hx_http_message_free(&resp);
		hx_close(c, &conn);
		if (rc < 0)
			break;
	}
	free(s);
}

static void check_overlong(struct hx_check *c)
{
	struct hx_proc *server = set_up(c, NULL);
	struct hx_buf request;

	if (!server)
		return;
	hx_buf_init(&request);
	/* A request line of 10000 bytes: its first 1000 read alone, then
	 * the rest meets a recv that has 7192 bytes of room. */
	hx_buf_add(&request, "GET /", 5);
	while (request.len < 10005)
		hx_buf_add(&request, "a", 1);
	hx_buf_addf(&request, " HTTP/1.0\r\n\r\n");
	if (expect_early_status(c, server, "a request line of 10000 bytes",
				request.data, request.len, 1000, 400) < 0)
		goto out_free;
	/* Exactly 8192 bytes and no empty line: the answer comes without
	 * one byte more. */
	hx_buf_clear(&request);
	hx_buf_add(&request, "GET /", 5);
	while (request.len < HEAD_MAX)
		hx_buf_add(&request, "b", 1);
	if (expect_early_status(c, server,
				"8192 bytes without an empty line (the "
				"connection left open)",
				request.data, request.len, 0, 400) < 0)
		goto out_free;
	/* 300 fields, 16 KiB in one send. */
	hx_buf_clear(&request);
	hx_buf_addf(&request, "GET /index.html HTTP/1.0\r\n");
	for (int i = 0; i < 300; i++)
		hx_buf_addf(&request, "X-Filler-%03d: %040d\r\n", i, i);
	hx_buf_addf(&request, "\r\n");
	if (expect_early_status(c, server, "a head of 300 fields", request.data,
				request.len, 0, 400) < 0)
		goto out_free;
	/* The limit: 8191 and 8192 bytes are a head, 8193 are not. */
	for (size_t len = HEAD_MAX - 1; len <= HEAD_MAX + 1; len++) {
		char what[96];

		head_of_length(&request, "/index.html", "\r\n", len);
		snprintf(what, sizeof(what), "a head of exactly %zu bytes",
			 len);
		if (len <= HEAD_MAX &&
		    expect_answer(c, server, request.data, NULL, 200) < 0) {
			hx_note(c, "%s, empty line included, is a request",
				what);
			goto out_free;
		}
		if (len > HEAD_MAX &&
		    expect_early_status(c, server, what, request.data,
					request.len, 0, 400) < 0)
			goto out_free;
	}
	expect_file(c, server, "/index.html", INDEX_HTML, strlen(INDEX_HTML));
out_free:
	hx_buf_free(&request);
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
	    "/img/..",
	};
	struct hx_proc *server = set_up(c, NULL);
	char absolute[1200];
	const char *outside[] = {absolute, "//secret.txt"};

	if (!server ||
	    expect_statuses(c, server, climbs, SL_COUNT(climbs), 403) < 0)
		return;
	/* A target is always inside the folder, never a path on disk. */
	snprintf(absolute, sizeof(absolute), "%s%s/secret.txt",
		 c->work_dir[0] == '/' ? "" : "/", c->work_dir);
	if (expect_statuses(c, server, outside, SL_COUNT(outside), 404) < 0)
		return;
	/* Two dots inside a name are no segment "..": served. */
	if (expect_file(c, server, "/v1..2.txt", DOTS_TEXT,
			strlen(DOTS_TEXT)) == 0)
		expect_file(c, server, "/..notes.txt", DOTS_TEXT,
			    strlen(DOTS_TEXT));
}

static void check_slow_client(struct hx_check *c)
{
	static const struct hx_plan slowly = {
	    .split = HX_BYTES, .max_piece = 0, .delay_ms = 3};
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

/* Connects, sends len bytes of request (may be none) and either reads
 * until the server closes (how = 'r'), or leaves at once: with a FIN
 * ('c') or a reset ('x'). The answer is not judged: other checks do. */
static int exchange_quietly(struct hx_check *c, const char *request, size_t len,
			    char how)
{
	struct hx_conn conn;
	int rc = 0;

	if (hx_tcp_connect(c, &conn, "127.0.0.1", hx_port(c, 0), IO_MS) < 0)
		return -1;
	send_rest(c, &conn, request, len);
	if (how == 'r')
		rc = hx_recv_all(c, &conn, RESPONSE_CAP, IO_MS);
	else if (how == 'x')
		hx_reset(c, &conn);
	hx_close(c, &conn);
	return rc;
}

/* One round of every kind of request and ending a server meets: files,
 * an index, each error status, a head over 8 KiB, clients that close or
 * reset before their head is whole. Only a server that stops answering
 * fails here. */
static int every_kind(struct hx_check *c)
{
	static const struct {
		const char *request; /* sent as it is */
		char how;	     /* see exchange_quietly */
	} kinds[] = {
	    {.request = "GET /notes.txt HTTP/1.0\r\n\r\n", .how = 'r'},
	    {.request = "GET / HTTP/1.0\r\n\r\n", .how = 'r'},
	    {.request = "GET /nope.txt HTTP/1.0\r\n\r\n", .how = 'r'},
	    {.request = "GET /img HTTP/1.0\r\n\r\n", .how = 'r'},
	    {.request = "GET /index.html/ HTTP/1.0\r\n\r\n", .how = 'r'},
	    {.request = "GET /private.txt HTTP/1.0\r\n\r\n", .how = 'r'},
	    {.request = "GET /../secret.txt HTTP/1.0\r\n\r\n", .how = 'r'},
	    {.request = "GARBAGE\r\n\r\n", .how = 'r'},
	    {.request = "GET /%zz HTTP/1.0\r\n\r\n", .how = 'r'},
	    {.request = "POST /index.html HTTP/1.0\r\n\r\n", .how = 'r'},
	    {.request = "", .how = 'c'},
	    {.request = "GET /index.html HTTP/1.0\r\n", .how = 'c'},
	    {.request = "GET /notes.txt HT", .how = 'x'},
	};
	char overlong[HEAD_MAX + 64];

	for (int i = 0; i < SL_COUNT(kinds); i++)
		if (exchange_quietly(c, kinds[i].request,
				     strlen(kinds[i].request),
				     kinds[i].how) < 0) {
			char line[100];

			first_line(line, sizeof(line), kinds[i].request);
			hx_note(c, "the request was \"%s\"", line);
			return -1;
		}
	memset(overlong, 'a', sizeof(overlong));
	memcpy(overlong, "GET /", 5);
	if (exchange_quietly(c, overlong, sizeof(overlong), 'r') < 0) {
		hx_note(c, "the request was a head of %zu bytes",
			sizeof(overlong));
		return -1;
	}
	return 0;
}

/* Descriptors the server holds once idle, waited for: its threads may
 * still be closing the last connections. The last count is judged. */
static int expect_fds_settle(struct hx_check *c, struct hx_proc *server,
			     int before, const char *what)
{
	int64_t deadline = hx_deadline(IO_MS);
	int attempt = 0;

	for (;;) {
		hx_proc_wait_idle(server, IO_MS);
		if (hx_proc_count_fds(server) <= before ||
		    hx_remaining_ms(deadline) <= 0)
			return hx_expect_fds_steady(c, server, before, what,
						    IO_MS);
		hx_backoff(&attempt, deadline);
	}
}

static void check_fd_leak(struct hx_check *c)
{
	struct hx_proc *server = set_up(c, NULL);
	char what[160];
	int before;

	if (!server || expect_file(c, server, "/index.html", INDEX_HTML,
				   strlen(INDEX_HTML)) < 0)
		return;
	hx_proc_wait_idle(server, IO_MS);
	before = hx_proc_count_fds(server);
	if (before < 0) {
		hx_skip(c, "the server's descriptors cannot be counted here");
		return;
	}
	hx_recordf(c, 0, "the server holds %d descriptors, its limit is %d",
		   before, server->max_files);
	for (int round = 1; round <= LEAK_ROUNDS; round++) {
		if (every_kind(c) < 0) {
			hx_note(c, "in round %d of %d", round, LEAK_ROUNDS);
			note_server_end(c, server);
			return;
		}
		snprintf(what, sizeof(what),
			 "%d rounds of 14 requests (files, a folder without "
			 "its \"/\", 403, 400, 501, a head over 8 KiB, "
			 "clients that left early)",
			 round);
		if (round % 10 == 0 &&
		    expect_fds_settle(c, server, before, what) < 0)
			return;
	}
}

static void check_leave_early(struct hx_check *c)
{
	struct hx_proc *server = set_up(c, NULL);
	char request[256];

	if (!server)
		return;
	/* A big file, then an error: both answers meet a closed socket. */
	request_for(request, sizeof(request), "/img/logo.png");
	if (hx_probe_leave_early(c, server, hx_port(c, 0), request,
				 strlen(request), IO_MS) < 0)
		return;
	request_for(request, sizeof(request), "/nope.html");
	if (hx_probe_leave_early(c, server, hx_port(c, 0), request,
				 strlen(request), IO_MS) < 0)
		return;
	/* The next client is served as if nothing happened. */
	expect_file(c, server, "/index.html", INDEX_HTML, strlen(INDEX_HTML));
}

static void check_memory(struct hx_check *c)
{
	struct hx_proc *server = set_up(c, NULL);

	for (int round = 1; server && round <= MEMORY_ROUNDS; round++)
		if (every_kind(c) < 0) {
			note_server_end(c, server);
			return;
		}
	/* LeakSanitizer looks when main returns: what the threads
	 * allocated and never freed is reported then. */
	if (server && hx_proc_signal_exit(c, server, SIGTERM, STOP_MS) < 0)
		hx_note(c, "LeakSanitizer reports only when main returns: a "
			   "server that does not stop cannot be looked at");
}

/* 1 if a TCP socket listens on port (IPv4, from /proc/net/tcp). */
static int port_listening(int port)
{
	char line[512];
	int found = 0;
	FILE *f = fopen("/proc/net/tcp", "re");

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		unsigned local, state;

		found = sscanf(line, "%*d: %*x:%x %*x:%*x %x", &local,
			       &state) == 2 &&
			(int)local == port && state == 0x0A;
	}
	fclose(f);
	return found;
}

/* "web PORT site" with PORT at a limit (1, 65535) is no usage error: the
 * server listens (and is stopped), or bind fails (status 2: a port under
 * 1024 needs a privilege the sandbox's user lacks). */
static int expect_port_valid(struct hx_check *c, int port)
{
	int64_t deadline = hx_deadline(EXIT_MS);
	char port_arg[16], label[64];
	const char *args[] = {port_arg, SITE, NULL};
	struct hx_proc *p;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	snprintf(label, sizeof(label), "web %d site", port);
	p = hx_start_labelled(c, label, "web", args);
	if (!p)
		return -1;
	while (hx_proc_running(p) && !port_listening(port) &&
	       hx_remaining_ms(deadline) > 0)
		hx_pause(5);
	if (hx_proc_running(p)) {
		hx_proc_kill(p);
		p->accepted = 1;
		return 0;
	}
	if (WIFEXITED(p->wait_status) && WEXITSTATUS(p->wait_status) == 1)
		return hx_fail(c, HX_FAIL,
			       "%s ended with the usage error (status 1): %d "
			       "is a port (1 to 65535)",
			       label, port);
	p->accepted = 1;
	return 0;
}

static void check_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"8080", NULL},
	    {"abc", SITE, NULL},
	    {"0", SITE, NULL},
	    {"65536", SITE, NULL},
	    {"-1", SITE, NULL},
	    {"+8080", SITE, NULL},
	    {" 8080", SITE, NULL},
	    {"8080x", SITE, NULL},
	    {"8080", SITE, "extra", NULL},
	};
	char port_arg[16];
	const char *missing[] = {port_arg, "no-such-folder", NULL};
	const char *not_folder[] = {port_arg, SITE "/index.html", NULL};
	const char *busy[] = {port_arg, SITE, NULL};
	struct hx_conn taken;
	struct hx_proc *p;

	if (write_text(c, SITE "/index.html", INDEX_HTML) < 0)
		return;
	if (hx_expect_usage(c, "web", cases, SL_COUNT(cases), EXIT_MS) < 0)
		return;
	/* A folder that is not there, or not a folder: a runtime error
	 * that names it. */
	snprintf(port_arg, sizeof(port_arg), "%d", hx_port(c, 0));
	p = hx_start_labelled(c, "web PORT no-such-folder", "web", missing);
	if (!p || hx_proc_expect_exit(c, p, 2, EXIT_MS) < 0 ||
	    hx_expect_contains(c, "stderr of web PORT no-such-folder",
			       "no-such-folder", p->err.data) < 0)
		return;
	p = hx_start_labelled(c, "web PORT site/index.html", "web", not_folder);
	if (!p || hx_proc_expect_exit(c, p, 2, EXIT_MS) < 0 ||
	    hx_expect_contains(c, "stderr of web PORT site/index.html",
			       "site/index.html", p->err.data) < 0)
		return;
	/* The ports at the limits are ports. */
	if (expect_port_valid(c, 1) < 0 || expect_port_valid(c, 65535) < 0)
		return;
	/* A port someone else listens on: bind fails, and says so. */
	if (hx_tcp_listen(c, &taken, "0.0.0.0", hx_port(c, 0)) < 0)
		return;
	p = hx_start_labelled(c, "web on a busy port", "web", busy);
	if (p && hx_proc_expect_exit(c, p, 2, EXIT_MS) == 0)
		hx_expect_contains(c, "stderr of web on a busy port", "bind",
				   p->err.data);
	hx_close(c, &taken);
}

static void check_stop_signal(struct hx_check *c)
{
	static const char *const folder[] = {SITE, NULL};
	struct hx_proc *server;
	struct hx_conn conn;

	/* SIGTERM, then SIGINT, while it waits for clients. */
	if (write_text(c, SITE "/index.html", INDEX_HTML) < 0 ||
	    hx_expect_server_stops(c, "web", HX_TCP, hx_port(c, 0), folder,
				   STOP_MS) < 0)
		return;
	/* SIGTERM while a client's thread waits for the rest of a request. */
	server = start_web(c, hx_port(c, 0));
	if (!server ||
	    hx_tcp_connect(c, &conn, "127.0.0.1", hx_port(c, 0), IO_MS) < 0)
		return;
	if (hx_send_str(c, &conn, "GET /index.html HTTP/1.0\r\n", NULL) == 0 &&
	    hx_proc_signal_exit(c, server, SIGTERM, STOP_MS) < 0)
		hx_note(c, "a client was in the middle of a request");
	hx_close(c, &conn);
}

/* The rubric: 100 points. */
static const struct sl_check checks[] = {
    {
	.id = "build",
	.title = "web builds without warnings",
	.points = 6,
	.timeout_ms = BUILD_MS,
	.programs = "web",
	.hint =
	    "Read the compiler's messages from the first one down; fix every "
	    "warning too (an unused variable, a missing return, a signed and "
	    "unsigned comparison).",
	.run = NULL,
    },
    {
	.id = "text",
	.title =
	    "text files and folder indexes come back exact; stdout stays empty",
	.points = 9,
	.timeout_ms = CHECK_MS,
	.programs = "web",
	.hint =
	    "Answer \"HTTP/1.0 200 OK\\r\\n\", Content-Type, Content-Length "
	    "(the file's size from fstat) and an empty line, then the file's "
	    "bytes. Drop a \"?query\", %-decode the rest (%65 is 'e', %2F is "
	    "'/'); a target ending in \"/\" means that folder's index.html. "
	    "Log on stderr: stdout stays empty.",
	.run = check_text,
    },
    {
	.id = "binary",
	.title = "binary files (100 KB with NUL bytes) come back exact",
	.points = 8,
	.timeout_ms = CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "web",
	.hint =
	    "Copy the file with read and writen, exactly the n bytes read "
	    "gave: never strlen, fgets or fputs on file contents (they stop "
	    "at a NUL byte). Content-Length is st_size.",
	.run = check_binary,
    },
    {
	.id = "types",
	.title = "Content-Type follows the file's extension, in any case",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.programs = "web",
	.hint =
	    "content_type: .html and .htm text/html, .txt text/plain, .png "
	    "image/png, .jpg and .jpeg image/jpeg, compared in any case "
	    "(strcasecmp); anything else, no extension included, "
	    "application/octet-stream. The extension is what follows the last "
	    "'.' after the last '/': \"notes.txt.bak\" has \".bak\", "
	    "\"pages.html/README\" has none.",
	.run = check_types,
    },
    {
	.id = "not-found",
	.title = "missing files and folders get 404, an unreadable file 403",
	.points = 6,
	.timeout_ms = CHECK_MS,
	.programs = "web",
	.hint =
	    "When open fails with ENOENT or ENOTDIR, or fstat says the path "
	    "is not a regular file (a folder without its \"/\"), answer 404; "
	    "when open fails with EACCES, 403. Each with a short text body "
	    "and its Content-Length.",
	.run = check_not_found,
    },
    {
	.id = "malformed",
	.title =
	    "malformed requests get 400, other methods 501, the server goes on",
	.points = 8,
	.timeout_ms = CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "web",
	.hint =
	    "The request line is exactly three words split by single spaces: "
	    "METHOD, a target starting with '/', and HTTP/1.0 or HTTP/1.1 in "
	    "capitals. Anything else, a bad %-escape (two hex digits must "
	    "follow '%') or %00 is 400. A well-formed request whose method is "
	    "not exactly \"GET\" (HEAD, POST, get) is 501. Never assume "
	    "strtok or strchr found something: test for NULL.",
	.run = check_malformed,
    },
    {
	.id = "pieces",
	.title = "requests in pieces, byte by byte, with LF or CR LF",
	.points = 6,
	.timeout_ms = CHECK_MS,
	.programs = "web",
	.hint =
	    "One recv is not one request: keep receiving into the free part "
	    "of the buffer until it holds the empty line that ends the head, "
	    "\"\\r\\n\\r\\n\", \"\\n\\n\" or a mix such as \"\\n\\r\\n\" "
	    "(head_length).",
	.run = check_pieces,
    },
    {
	.id = "overlong",
	.title = "a head of 8192 bytes is served, one byte more gets 400",
	.points = 6,
	.timeout_ms = CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "web",
	.hint =
	    "Receive at most HEAD_MAX - len bytes at a time, into buf + len; "
	    "a head of HEAD_MAX bytes, empty line included, is a request. "
	    "When HEAD_MAX bytes came without the empty line, answer 400 at "
	    "once (wait for nothing more) and close. Keep room for the '\\0' "
	    "after the head.",
	.run = check_overlong,
    },
    {
	.id = "traversal",
	.title =
	    "nothing above the folder is served: a \"..\" segment gets 403",
	.points = 9,
	.timeout_ms = CHECK_MS,
	.programs = "web",
	.hint =
	    "Decode %-escapes first (\"%2e%2e\" is \"..\"), then refuse with "
	    "403 a path with a segment that is exactly \"..\" (between two "
	    "'/', or at the end); \"v1..2.txt\" and \"..notes.txt\" are names "
	    "like any other. Join the decoded path to the folder: a target is "
	    "never a path on disk of its own.",
	.run = check_traversal,
    },
    {
	.id = "slow-client",
	.title = "a slow client does not hold up a fast one",
	.points = 7,
	.timeout_ms = CHECK_MS,
	.programs = "web",
	.hint =
	    "Serve each client in a thread of its own: accept, malloc the "
	    "client's data, pthread_create a detached thread that reads the "
	    "request, answers and closes; main goes straight back to accept.",
	.run = check_slow_client,
    },
    {
	.id = "many-clients",
	.title = "50 clients at once all get their files",
	.points = 7,
	.timeout_ms = CHECK_MS,
	.programs = "web",
	.hint =
	    "listen with a backlog of 128. Give each thread its own copy of "
	    "the connected socket (malloc'd, freed by the thread): the "
	    "address of a variable the next accept overwrites is shared by "
	    "two threads.",
	.run = check_many_clients,
	.max_files = MANY_FILES,
    },
    {
	.id = "fd-leak",
	.title = "hundreds of requests of every kind leave no descriptor open",
	.points = 6,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "web",
	.hint = "Every path through a thread closes what it opened: the file "
		"(also when it is a folder, or the client went away) and the "
		"connection (also after an error answer, and when the client "
		"closed or reset before its head was whole).",
	.run = check_fd_leak,
    },
    {
	.id = "leave-early",
	.title =
	    "a client that leaves before its answer does not stop the server",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.programs = "web",
	.hint =
	    "A client may close before its answer is written: writen then "
	    "fails with EPIPE. Ignore SIGPIPE once in main (sigaction with "
	    "SIG_IGN), stop writing to that client, close its socket and let "
	    "the server go on.",
	.run = check_leave_early,
    },
    {
	.id = "memory",
	.title =
	    "every request's memory is freed (LeakSanitizer after SIGTERM)",
	.points = 4,
	.timeout_ms = LONG_CHECK_MS,
	.flags = SL_SANITIZE | SL_LEAKS,
	.programs = "web",
	.hint =
	    "What main mallocs for a client (its struct client) the client's "
	    "thread frees on every path: after a file, after an error answer, "
	    "and when the client left before its head was whole.",
	.run = check_memory,
    },
    {
	.id = "usage",
	.title =
	    "bad arguments: usage line and status 1; bad folder or busy port 2",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "web",
	.hint =
	    "Require PORT (parse_port: digits only, 1 to 65535) and FOLDER, "
	    "nothing more, else print \"usage: web PORT FOLDER\" on stderr "
	    "and return 1. A FOLDER that stat cannot find or that is not a "
	    "folder: \"web: FOLDER: reason\" and return 2; a failed bind: "
	    "\"web: bind: reason\" and return 2.",
	.run = check_usage,
    },
    {
	.id = "stop-signal",
	.title = "SIGTERM and SIGINT stop the server (exit 0), clients or not",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "web",
	.hint =
	    "sigaction without SA_RESTART so accept fails with EINTR; block "
	    "SIGINT and SIGTERM (pthread_sigmask) around pthread_create so "
	    "client threads never take them; leave the loop, close, return 0.",
	.run = check_stop_signal,
    },
};

static const struct sl_lab lab10 = {
    .number = "10",
    .name = "web-server",
    .title = "Serving files: a static HTTP/1.0 server with a thread per client",
    .files = {"web.c", "http.c"},
    .given = {"http.h"},
    .programs = {{.name = "web", .sources = {"web.c", "http.c"}}},
    .max_files = FEW_FILES,
    .checks = checks,
    .nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab10);
