/* 06-course-info.c - lab 06: a request/response protocol over TCP.
 *
 * The server answers one line per request line: a course name, in any
 * case, gives
 *	"CourseName:Python,Duration:1Year,Fee=4000\n",
 * any other name "this course is not available\n", an empty line
 * "error: empty request\n" and a line over 256 bytes
 * "error: request too long\n" (the rest of that line is dropped and the
 * connection goes on). The lecture's requests are "python", "java" and
 * "c". Several requests may share a connection; the server serves clients
 * one after another. Server checks play clients on loopback; client checks
 * play the server. The rubric is the table at the end of this file;
 * grader/checks/rules/06-course-info.md lists every rule of the handout
 * beside the check that exercises it.
 *
 * The file is longer than the project's usual 600 lines: its peers and
 * probes (count_sockets, note_emfile, stop_quietly) are used by one lab
 * only for now, and could move into the harness.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../sl_lab.h"

/* Deadlines of single steps, in milliseconds (scaled like all deadlines). */
#define READY_MS   1500 /* a server starts listening */
#define IO_MS	   1000 /* a reply arrives, a client connects or exits */
#define STOP_MS	   1000 /* a server exits after SIGTERM or SIGINT */
#define EXIT_MS	   1500 /* a program exits after bad arguments */
#define RESOLVE_MS 3000 /* the client gives up on a name that cannot exist */

#define REQUEST_MAX  256 /* the longest request, bytes before its "\n" */
#define COURSES_MAX  32	 /* courses a table file may hold */
#define FIELD_MAX    64	 /* a field is shorter than this */
#define LAST_CLIENT  20	 /* clients in a row: 1 to 20 */
#define FIRST_COUNT  8	 /* clients before the first descriptor count */
#define RUDE_CLIENTS 3	 /* idle clients, clients that leave early */
/* RLIMIT_NOFILE of the programs: a descriptor leaked per client runs out
 * within 20 clients. */
#define FILES_MAX    16
#define TABLE_NAME   "courses.txt" /* the table file, in the server's cwd */
#define MISSING_NAME "no-such-table.txt"
#define UNKNOWN_HOST "no-such-host.invalid" /* RFC 6761: never resolves */

#define PYTHON	      "CourseName:Python,Duration:1Year,Fee=4000\n"
#define JAVA	      "CourseName:Java,Duration:2Year,Fee=2000\n"
#define C_LANGUAGE    "CourseName:C,Duration:2Months,Fee=1000\n"
#define NOT_AVAILABLE "this course is not available\n"
#define EMPTY	      "error: empty request\n"
#define TOO_LONG      "error: request too long\n"

/* One request and the reply it must get. */
struct exchange {
	const char *request; /* bytes sent, "\n" included */
	const char *reply;   /* the exact reply line(s) */
};

/* Starts "server port [table]" and waits until it listens. */
static struct hx_proc *start_server(struct hx_check *c, const char *label,
				    int port, const char *table)
{
	const char *more[] = {table, NULL};

	return hx_start_server_on(c, label, "server", HX_TCP, port, more,
				  READY_MS);
}

static int count_lines(const char *text)
{
	int n = 0;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

/* Sends requests (len bytes) cut by plan and requires the reply lines to
 * be exactly want, as many lines as want holds. When a line does not come,
 * the feedback still shows every reply expected next to all received. */
static int expect_replies(struct hx_check *c, struct hx_conn *conn,
			  const char *requests, size_t len,
			  const struct hx_plan *plan, const char *want)
{
	int lines = count_lines(want);
	struct hx_buf got; /* the complete reply lines so far */
	int rc = -1;

	if (len > 0 && hx_send(c, conn, requests, len, plan) < 0)
		return -1;
	hx_buf_init(&got);
	for (int i = 0; i < lines; i++) {
		long n = hx_recv_until(c, conn, "\n", IO_MS);

		if (n < 0) {
			/* The message says timeout or close; show it all. */
			hx_buf_add(&got, conn->in.data, conn->in.len);
			hx_expect_bytes(c, "reply lines", want, strlen(want),
					got.data, got.len);
			hx_note(c, "%d of the %d reply lines came", i, lines);
			goto out_free;
		}
		hx_buf_add(&got, conn->in.data, (size_t)n);
		hx_consume(conn, (size_t)n);
	}
	rc = hx_expect_bytes(c, "reply lines", want, strlen(want), got.data,
			     got.len);
out_free:
	hx_buf_free(&got);
	return rc;
}

/* The same, with requests and want as C strings. */
static int expect_reply_text(struct hx_check *c, struct hx_conn *conn,
			     const char *requests, const struct hx_plan *plan,
			     const char *want)
{
	return expect_replies(c, conn, requests, strlen(requests), plan, want);
}

/* Asks each request on a connection of its own, as the lecture's client
 * does, and checks each reply. */
static int expect_each_alone(struct hx_check *c, struct hx_proc *server,
			     int port, const struct exchange *list, int n)
{
	for (int i = 0; i < n; i++) {
		struct hx_conn conn;
		int rc;

		if (hx_tcp_connect(c, &conn, "127.0.0.1", port, IO_MS) < 0) {
			hx_note_end(c, server);
			return -1;
		}
		rc = expect_reply_text(c, &conn, list[i].request, NULL,
				       list[i].reply);
		hx_close(c, &conn);
		if (rc < 0) {
			hx_note_end(c, server);
			return -1;
		}
	}
	return 0;
}

/* Starts the server with its built-in table and asks each request alone. */
static void run_exchanges(struct hx_check *c, const struct exchange *list,
			  int n)
{
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port, NULL);

	if (server)
		expect_each_alone(c, server, port, list, n);
}

/* Asks each request in turn on one open connection, waiting for each
 * reply before sending the next, each cut by plan. */
static int expect_in_turn(struct hx_check *c, struct hx_conn *conn,
			  const struct exchange *list, int n,
			  const struct hx_plan *plan)
{
	for (int i = 0; i < n; i++)
		if (expect_reply_text(c, conn, list[i].request, plan,
				      list[i].reply) < 0)
			return -1;
	return 0;
}

/* Starts the server, opens one connection and asks list in turn, each
 * request cut by plan. */
static void run_in_turn(struct hx_check *c, const struct exchange *list, int n,
			const struct hx_plan *plan)
{
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port, NULL);
	struct hx_conn conn;

	if (!server || hx_tcp_connect(c, &conn, "127.0.0.1", port, IO_MS) < 0)
		return;
	if (expect_in_turn(c, &conn, list, n, plan) < 0)
		hx_note_end(c, server);
	hx_close(c, &conn);
}

static void check_courses(struct hx_check *c)
{
	/* The lecture's requests, as its transcript types them. */
	static const struct exchange list[] = {
	    {.request = "python\n", .reply = PYTHON},
	    {.request = "java\n", .reply = JAVA},
	    {.request = "c\n", .reply = C_LANGUAGE},
	};

	run_exchanges(c, list, SL_COUNT(list));
}

static void check_any_case(struct hx_check *c)
{
	static const struct exchange list[] = {
	    {.request = "Python\n", .reply = PYTHON},
	    {.request = "JAVA\n", .reply = JAVA},
	    {.request = "C\n", .reply = C_LANGUAGE},
	    {.request = "pYtHoN\n", .reply = PYTHON},
	};

	run_exchanges(c, list, SL_COUNT(list));
}

static void check_unknown(struct hx_check *c)
{
	/* Names are compared whole: no prefix, no longer name, no space. */
	static const struct exchange list[] = {
	    {.request = "Ruby\n", .reply = NOT_AVAILABLE},
	    {.request = "py\n", .reply = NOT_AVAILABLE},
	    {.request = "pythonista\n", .reply = NOT_AVAILABLE},
	    {.request = "java \n", .reply = NOT_AVAILABLE},
	    {.request = " c\n", .reply = NOT_AVAILABLE},
	    {.request = "javascript\n", .reply = NOT_AVAILABLE},
	    {.request = "c++\n", .reply = NOT_AVAILABLE},
	};

	run_exchanges(c, list, SL_COUNT(list));
}

static void check_crlf(struct hx_check *c)
{
	static const struct exchange list[] = {
	    {.request = "python\r\n", .reply = PYTHON},
	    {.request = "C\r\n", .reply = C_LANGUAGE},
	    {.request = "Ruby\r\n", .reply = NOT_AVAILABLE},
	};

	run_exchanges(c, list, SL_COUNT(list));
}

static void check_bytes(struct hx_check *c)
{
	/* A pause between bytes, so no single recv can get them all; the
	 * "\r" and the "\n" of the second request come apart. */
	static const struct hx_plan byte_by_byte = {.split = HX_BYTES,
						    .delay_ms = 2};
	static const struct exchange list[] = {
	    {.request = "python\n", .reply = PYTHON},
	    {.request = "Java\r\n", .reply = JAVA},
	};

	run_in_turn(c, list, SL_COUNT(list), &byte_by_byte);
}

static void check_random(struct hx_check *c)
{
	static const struct hx_plan random_pieces = {
	    .split = HX_RANDOM, .max_piece = 5, .delay_ms = 1};
	static const struct exchange all[] = {
	    {.request = "python\nC\nRuby\njava\r\npy\nc\nJAVA\nPython\r\n",
	     .reply = PYTHON C_LANGUAGE NOT_AVAILABLE JAVA NOT_AVAILABLE
		 C_LANGUAGE JAVA PYTHON},
	};

	run_in_turn(c, all, SL_COUNT(all), &random_pieces);
}

static void check_pipelined(struct hx_check *c)
{
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port, NULL);
	struct hx_conn conn;

	if (!server || hx_tcp_connect(c, &conn, "127.0.0.1", port, IO_MS) < 0)
		return;
	/* One send: both requests reach the server in one segment. */
	if (expect_reply_text(c, &conn, "python\njava\n", NULL, PYTHON JAVA) <
	    0) {
		hx_note_end(c, server);
		hx_close(c, &conn);
		return;
	}
	hx_close(c, &conn);

	/* Two whole requests and an unfinished one, then the client closes
	 * its side: two replies, then the server closes, nothing more. */
	if (hx_tcp_connect(c, &conn, "127.0.0.1", port, IO_MS) < 0)
		return;
	if (expect_reply_text(c, &conn, "C\nJava\nPyth", NULL,
			      C_LANGUAGE JAVA) == 0 &&
	    hx_shutdown_write(c, &conn) == 0 &&
	    hx_recv_all(c, &conn, 4096, IO_MS) == 0)
		hx_expect_bytes(c, "bytes after the last whole request's reply",
				"", 0, conn.in.data, conn.in.len);
	hx_close(c, &conn);
}

static void check_empty_line(struct hx_check *c)
{
	static const struct exchange list[] = {
	    {.request = "\n", .reply = EMPTY},
	    {.request = "\r\n", .reply = EMPTY},
	    {.request = "java\n", .reply = JAVA},
	};

	run_in_turn(c, list, SL_COUNT(list), NULL);
}

/* A line of len bytes of 'x' followed by ending, in buf (size bytes). */
static const char *make_line(char *buf, size_t size, size_t len,
			     const char *ending)
{
	if (len + strlen(ending) + 1 > size)
		len = size - strlen(ending) - 1;
	memset(buf, 'x', len);
	strcpy(buf + len, ending);
	return buf;
}

/* The send and receive queues of the TCP connection from local to remote
 * port (IPv4), from /proc/net/tcp: 0, or -1 when it is not there. */
static int tcp_queues(int local, int remote, unsigned long *tx,
		      unsigned long *rx)
{
	char line[512];
	FILE *f = fopen("/proc/net/tcp", "re");
	int found = -1;

	if (!f)
		return -1;
	while (found < 0 && fgets(line, sizeof(line), f)) {
		unsigned lport, rport;

		if (sscanf(line, " %*d: %*x:%x %*x:%x %*x %lx:%lx", &lport,
			   &rport, tx, rx) == 4 &&
		    (int)lport == local && (int)rport == remote)
			found = 0;
	}
	fclose(f);
	return found;
}

/* Waits until the server has read every byte sent on conn (the grader's
 * side has them acknowledged, the server's side holds none unread) and
 * sleeps again, so that the next piece sent meets a recv of its own,
 * however loaded the machine. */
static void wait_until_read(struct hx_conn *conn, int port,
			    struct hx_proc *server)
{
	struct sockaddr_in me; /* the grader's end of conn */
	socklen_t me_len = sizeof(me);
	int64_t deadline = hx_deadline(IO_MS);
	int attempt = 0;

	if (getsockname(conn->fd, (struct sockaddr *)&me, &me_len) == 0) {
		int mine = ntohs(me.sin_port);

		while (hx_remaining_ms(deadline) > 0) {
			unsigned long sent = 1, unread = 1, ignored;

			if (tcp_queues(mine, port, &sent, &ignored) == 0 &&
			    tcp_queues(port, mine, &ignored, &unread) == 0 &&
			    sent == 0 && unread == 0)
				break;
			hx_backoff(&attempt, deadline);
		}
	}
	hx_proc_wait_idle(server, IO_MS);
}

/* One line of the limit tests: count bytes of 'x', then tail, then "\n", sent
 * in one piece or with the "\n" apart, once the server has read the rest (then
 * a reader that keeps no room for the 257th byte, or calls a full buffer too
 * long before looking for the "\n", is seen whatever the kernel's timing). */
struct limit_line {
	int count;	   /* bytes of 'x' */
	const char *tail;  /* after the x's: "", "\r", or a whole request */
	int apart;	   /* 1: the "\n" comes once the rest has been read */
	const char *reply; /* the reply line it must get */
};

static int expect_limit_line(struct hx_check *c, struct hx_proc *server,
			     int port, struct hx_conn *conn,
			     const struct limit_line *line)
{
	char text[REQUEST_MAX + 8];
	size_t len;

	/* The rest of an overlong line before is read first: this line is
	 * a segment of its own (a request behind an overlong line in the
	 * same segment is the overlong check's case). */
	wait_until_read(conn, port, server);
	memset(text, 'x', (size_t)line->count);
	len = (size_t)line->count;
	len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s",
				line->tail, line->apart ? "" : "\n");
	if (!line->apart)
		return expect_replies(c, conn, text, len, NULL, line->reply);
	if (hx_send(c, conn, text, len, NULL) < 0)
		return -1;
	wait_until_read(conn, port, server);
	return expect_replies(c, conn, "\n", 1, NULL, line->reply);
}

static void check_at_limit(struct hx_check *c)
{
	/* limit-1, limit, limit+1; a "\r" before the "\n" counts. */
	static const struct limit_line lines[] = {
	    {.count = REQUEST_MAX - 1, .tail = "", .reply = NOT_AVAILABLE},
	    {.count = REQUEST_MAX, .tail = "", .reply = NOT_AVAILABLE},
	    {.count = REQUEST_MAX,
	     .tail = "",
	     .apart = 1,
	     .reply = NOT_AVAILABLE},
	    {.count = REQUEST_MAX + 1, .tail = "", .reply = TOO_LONG},
	    {.count = 0, .tail = "c", .reply = C_LANGUAGE},
	    {.count = REQUEST_MAX - 1, .tail = "\r", .reply = NOT_AVAILABLE},
	    {.count = REQUEST_MAX - 1,
	     .tail = "\r",
	     .apart = 1,
	     .reply = NOT_AVAILABLE},
	    {.count = REQUEST_MAX, .tail = "\r", .reply = TOO_LONG},
	    {.count = 0, .tail = "java", .reply = JAVA},
	};
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port, NULL);
	struct hx_conn conn;

	if (!server || hx_tcp_connect(c, &conn, "127.0.0.1", port, IO_MS) < 0)
		return;
	for (int i = 0; i < SL_COUNT(lines); i++)
		if (expect_limit_line(c, server, port, &conn, &lines[i]) < 0) {
			hx_note(c,
				"the request had %d bytes before its "
				"\"\\n\"%s",
				lines[i].count + (int)strlen(lines[i].tail),
				lines[i].apart ? ", which came apart from it"
					       : "");
			hx_note_end(c, server);
			break;
		}
	hx_close(c, &conn);
}

/* A server that ran out of descriptors says so on stderr (EMFILE): name
 * the cause, so the student reads about descriptors before the check's
 * own hint. */
static void note_emfile(struct hx_check *c, struct hx_proc *server)
{
	hx_proc_pump(server, 0);
	if (server->err.data && strstr(server->err.data, "Too many open files"))
		hx_set_cause(c, HX_CAUSE_DESCRIPTORS,
			     "%s: ran out of descriptors (EMFILE) with a limit "
			     "of %d",
			     server->label, server->max_files);
}

/* Descriptors the server holds once it waits for clients, or -1. */
static int count_idle_fds(struct hx_proc *server)
{
	hx_proc_wait_idle(server, READY_MS);
	return hx_proc_count_fds(server);
}

/* Sends half an overlong line, waits until the server has read it, then
 * the rest in one piece: a recv for the whole buffer instead of its free
 * part writes past its end now, whatever the timing. The error must come
 * before any "\n" does. */
static int send_overlong_in_two(struct hx_check *c, struct hx_proc *server,
				int port, struct hx_conn *conn)
{
	static char first[REQUEST_MAX - 56], second[101];

	memset(first, 'x', sizeof(first));
	memset(second, 'x', sizeof(second));
	if (hx_send(c, conn, first, sizeof(first), NULL) < 0)
		return -1;
	wait_until_read(conn, port, server);
	return expect_replies(c, conn, second, sizeof(second), NULL, TOO_LONG);
}

static void check_overlong(struct hx_check *c)
{
	static char over[300 + 4], far_over[4000 + 2];
	const struct exchange list[] = {
	    /* A request right behind the overlong line, in one segment. */
	    {.request = make_line(over, sizeof(over), 300, "\nc\n"),
	     .reply = TOO_LONG C_LANGUAGE},
	    {.request = make_line(far_over, sizeof(far_over), 4000, "\n"),
	     .reply = TOO_LONG},
	    {.request = "Java\n", .reply = JAVA},
	};
	static const struct exchange after[] = {
	    {.request = "xx\njava\n", .reply = JAVA},
	};
	static const struct exchange next = {.request = "python\n",
					     .reply = PYTHON};
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port, NULL);
	struct hx_conn conn;
	int before, rc;

	if (!server)
		return;
	before = count_idle_fds(server);
	if (hx_tcp_connect(c, &conn, "127.0.0.1", port, IO_MS) < 0)
		return;
	rc = expect_in_turn(c, &conn, list, SL_COUNT(list), NULL);
	if (rc == 0)
		rc = send_overlong_in_two(c, server, port, &conn);
	if (rc == 0)
		rc = expect_in_turn(c, &conn, after, SL_COUNT(after), NULL);
	hx_close(c, &conn);
	if (rc < 0) {
		hx_note_end(c, server);
		return;
	}
	if (expect_each_alone(c, server, port, &next, 1) == 0)
		hx_expect_fds_steady(c, server, before,
				     "clients with overlong lines", IO_MS);
}

/* Sends SIGTERM and waits for the server to exit, without judging how:
 * a server that exits writes its LeakSanitizer report and flushes its
 * stdout. One that does not stop is stop-signal's business: it is killed
 * when the check ends. */
static void stop_quietly(struct hx_check *c, struct hx_proc *server)
{
	int64_t deadline;
	int attempt = 0;

	hx_proc_wait_idle(server, STOP_MS);
	server->stopped_by_harness = 1;
	hx_recordf(c, 0, "sent SIGTERM to %s", server->label);
	kill(server->pid, SIGTERM);
	deadline = hx_deadline(STOP_MS);
	while (hx_proc_running(server) && hx_remaining_ms(deadline) > 0)
		hx_backoff(&attempt, deadline);
	hx_proc_pump(server, 0);
	server->accepted = 1;
}

/* Clients first..last, one request each, each on its own connection. */
static int serve_range(struct hx_check *c, struct hx_proc *server, int port,
		       int first, int last)
{
	static const struct exchange cycle[] = {
	    {.request = "python\n", .reply = PYTHON},
	    {.request = "Java\n", .reply = JAVA},
	    {.request = "c\n", .reply = C_LANGUAGE},
	    {.request = "Ruby\n", .reply = NOT_AVAILABLE},
	};

	for (int n = first; n <= last; n++) {
		if (expect_each_alone(c, server, port,
				      &cycle[n % SL_COUNT(cycle)], 1) < 0) {
			hx_note(c, "client %d of %d was not answered", n,
				LAST_CLIENT);
			note_emfile(c, server);
			return -1;
		}
	}
	return 0;
}

static void check_many_clients(struct hx_check *c)
{
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port, NULL);
	int before;

	if (!server)
		return;
	before = count_idle_fds(server);
	/* Counted before the limit is reached, so a leak is named as one,
	 * then again after all of them. */
	if (serve_range(c, server, port, 1, FIRST_COUNT) < 0 ||
	    hx_expect_fds_steady(c, server, before, "8 clients", IO_MS) < 0)
		return;
	if (serve_range(c, server, port, FIRST_COUNT + 1, LAST_CLIENT) < 0 ||
	    hx_expect_fds_steady(c, server, before, "20 clients", IO_MS) < 0)
		return;
	/* Memory that grows per client shows in the report at exit. */
	stop_quietly(c, server);
}

static void check_reset_client(struct hx_check *c)
{
	/* Requests of clients that leave before their reply: one, then two
	 * (the server must give up on that client after the first write
	 * fails, not write again). */
	static const char *const leavers[RUDE_CLIENTS] = {"python\n",
							  "java\nc\n", "C\n"};
	static const struct exchange next = {.request = "python\n",
					     .reply = PYTHON};
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port, NULL);
	struct hx_conn conn;
	char what[64];
	int before;

	if (!server)
		return;
	before = count_idle_fds(server);
	/* Half a request, then a reset (RST) instead of the rest. */
	if (hx_tcp_connect(c, &conn, "127.0.0.1", port, IO_MS) < 0)
		return;
	if (hx_send_str(c, &conn, "Pyt", NULL) == 0) {
		hx_proc_wait_idle(server, IO_MS);
		hx_reset(c, &conn);
	}
	hx_close(c, &conn);
	/* Whole requests from clients gone before the reply: the reply
	 * meets a dead connection (EPIPE, and SIGPIPE unless ignored). */
	for (int i = 0; i < RUDE_CLIENTS && hx_ok(c); i++)
		hx_probe_leave_early(c, server, port, leavers[i],
				     strlen(leavers[i]), IO_MS);
	if (!hx_ok(c))
		return;
	snprintf(what, sizeof(what), "%d clients that reset or left early",
		 RUDE_CLIENTS + 1);
	if (hx_expect_fds_steady(c, server, before, what, IO_MS) == 0)
		expect_each_alone(c, server, port, &next, 1);
}

static void check_idle_client(struct hx_check *c)
{
	static const struct exchange next = {.request = "Python\n",
					     .reply = PYTHON};
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port, NULL);
	char what[64];
	int before;

	if (!server)
		return;
	before = count_idle_fds(server);
	/* Nothing at all: the server waits in recv, then sees the close. */
	for (int i = 0; i < RUDE_CLIENTS; i++) {
		struct hx_conn conn;

		if (hx_tcp_connect(c, &conn, "127.0.0.1", port, IO_MS) < 0)
			return;
		hx_proc_wait_idle(server, IO_MS);
		hx_close(c, &conn);
	}
	snprintf(what, sizeof(what), "%d clients that sent nothing",
		 RUDE_CLIENTS);
	if (hx_expect_fds_steady(c, server, before, what, IO_MS) == 0)
		expect_each_alone(c, server, port, &next, 1);
}

static void check_server_stdout(struct hx_check *c)
{
	static const struct exchange list[] = {
	    {.request = "python\n", .reply = PYTHON},
	    {.request = "Ruby\n", .reply = NOT_AVAILABLE},
	    {.request = "\n", .reply = EMPTY},
	};
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port, NULL);
	struct hx_check quiet; /* the clients' steps: only stdout is judged */

	if (!server)
		return;
	/* Replies and a client that left early: the lines a log has;
	 * whether they work is other checks' business. */
	hx_quiet_begin(&quiet, c);
	if (expect_each_alone(&quiet, server, port, list, SL_COUNT(list)) == 0)
		hx_probe_leave_early(&quiet, server, port, "java\n", 5, IO_MS);
	hx_quiet_end(c, &quiet);
	/* stdio holds what printf wrote to a pipe until exit. */
	stop_quietly(c, server);
	hx_expect_no_stdout(c, server);
}

/* Writes a fixture file into the programs' working folder. */
static int write_file(struct hx_check *c, const char *name, const char *text)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", c->work_dir, name);
	f = fopen(path, "we");
	if (!f)
		return hx_fail(c, HX_ERROR, "cannot write %s: %s", name,
			       strerror(errno));
	fputs(text, f);
	if (fclose(f) != 0)
		return hx_fail(c, HX_ERROR, "cannot write %s: %s", name,
			       strerror(errno));
	hx_recordf(c, 0, "wrote %s: %s", name, text);
	return 0;
}

/* Writes text as the table file, starts "server PORT courses.txt" and
 * asks each request alone; the server, which must hold no more
 * descriptors than one without a table file (held_fds), is stopped
 * after. */
static int expect_table(struct hx_check *c, const char *label, const char *text,
			const struct exchange *list, int n, int held_fds)
{
	int port = hx_port(c, 0);
	struct hx_proc *server;
	int held;

	if (write_file(c, TABLE_NAME, text) < 0)
		return -1;
	server = start_server(c, label, port, TABLE_NAME);
	if (!server) {
		hx_note(c, "the table file was:\n%s", text);
		return -1;
	}
	held = count_idle_fds(server);
	if (held > held_fds) {
		hx_set_cause(c, HX_CAUSE_DESCRIPTORS,
			     "%s: the table file left open", server->label);
		return hx_fail(c, HX_FAIL,
			       "%s holds %d descriptors once it listens, where "
			       "the server without a table file holds %d: the "
			       "file was not closed after it was read",
			       server->label, held, held_fds);
	}
	if (expect_each_alone(c, server, port, list, n) < 0) {
		hx_note(c, "the table file was:\n%s", text);
		return -1;
	}
	/* The next table needs the port: a server that does not stop on
	 * SIGTERM (stop-signal's business) is killed. */
	stop_quietly(c, server);
	if (hx_proc_running(server))
		hx_proc_kill(server);
	return 0;
}

/* Descriptors the server holds once it listens with its built-in table,
 * or -1; the server is stopped after. */
static int count_builtin_fds(struct hx_check *c)
{
	struct hx_proc *server =
	    start_server(c, "server (built-in table)", hx_port(c, 0), NULL);
	int held;

	if (!server)
		return -1;
	held = count_idle_fds(server);
	stop_quietly(c, server);
	if (hx_proc_running(server))
		hx_proc_kill(server);
	return held;
}

/* A field of FIELD_MAX - 1 bytes, the longest allowed, made of letter. */
static const char *longest_field(char *buf, char letter)
{
	memset(buf, letter, FIELD_MAX - 1);
	buf[FIELD_MAX - 1] = '\0';
	return buf;
}

/* A table of COURSES_MAX courses, the first with fields of the longest
 * length, the last "Last32,1Day,32". */
static void fill_full_table(struct hx_buf *table, char *reply, size_t size)
{
	char name[FIELD_MAX], duration[FIELD_MAX], fee[FIELD_MAX];

	longest_field(name, 'N');
	longest_field(duration, 'D');
	longest_field(fee, '9');
	hx_buf_addf(table, "%s,%s,%s\n", name, duration, fee);
	snprintf(reply, size, "CourseName:%s,Duration:%s,Fee=%s\n", name,
		 duration, fee);
	for (int i = 2; i <= COURSES_MAX; i++)
		hx_buf_addf(table, "Course%d,%dDays,%d\n", i, i, i * 100);
}

static void check_table_file(struct hx_check *c)
{
	/* CR LF and LF, blank lines of both kinds, spaces inside fields, no
	 * final newline; C is redefined and Python left out: the file
	 * replaces the built-in table. */
	static const char table[] = "Rust,3Months,3000\r\n"
				    "\n"
				    "Go,6Weeks,1500\n"
				    "\r\n"
				    "Data Science,1 Year,5000\n"
				    "C,1Year,9999";
	static const struct exchange list[] = {
	    {.request = "Rust\n",
	     .reply = "CourseName:Rust,Duration:3Months,Fee=3000\n"},
	    {.request = "rust\n",
	     .reply = "CourseName:Rust,Duration:3Months,Fee=3000\n"},
	    {.request = "GO\r\n",
	     .reply = "CourseName:Go,Duration:6Weeks,Fee=1500\n"},
	    {.request = "data science\n",
	     .reply = "CourseName:Data Science,Duration:1 Year,Fee=5000\n"},
	    {.request = "c\n",
	     .reply = "CourseName:C,Duration:1Year,Fee=9999\n"},
	    {.request = "python\n", .reply = NOT_AVAILABLE},
	};
	static const struct exchange one[] = {
	    {.request = "haskell\n",
	     .reply = "CourseName:Haskell,Duration:1Term,Fee=700\n"},
	    {.request = "java\n", .reply = NOT_AVAILABLE},
	};
	char longest[256], request[FIELD_MAX + 1];
	/* The longest name, the last course, and names that are none of
	 * the 32: the search must stop at the table's end. (Past the 32nd
	 * course lies the count, 32, which reads as the name " ": a search
	 * that goes one entry too far finds it.) */
	const struct exchange full[] = {
	    {.request = request, .reply = longest},
	    {.request = "course32\n",
	     .reply = "CourseName:Course32,Duration:32Days,Fee=3200\n"},
	    {.request = "ruby\n", .reply = NOT_AVAILABLE},
	    {.request = " \n", .reply = NOT_AVAILABLE},
	};
	struct hx_buf full_table;
	int held = count_builtin_fds(c);

	if (held < 0 ||
	    expect_table(c, "server (courses.txt with 4 courses)", table, list,
			 SL_COUNT(list), held) < 0 ||
	    expect_table(c, "server (courses.txt with 1 course)",
			 "Haskell,1Term,700\n", one, SL_COUNT(one), held) < 0)
		return;
	/* The limits themselves: 32 courses, fields of 63 bytes. */
	hx_buf_init(&full_table);
	fill_full_table(&full_table, longest, sizeof(longest));
	/* The longest name, asked for in lower case. */
	memset(request, 'n', FIELD_MAX - 1);
	strcpy(request + FIELD_MAX - 1, "\n");
	expect_table(c, "server (courses.txt with 32 courses)", full_table.data,
		     full, SL_COUNT(full), held);
	hx_buf_free(&full_table);
}

/* Runs the server with args, which must fail before it listens: exit
 * status 2 and stderr holding each of needles. */
static int expect_server_error(struct hx_check *c, const char *label,
			       const char *const *args,
			       const char *const *needles)
{
	struct hx_proc *server = hx_start_labelled(c, label, "server", args);

	if (!server || hx_proc_expect_exit(c, server, 2, EXIT_MS) < 0)
		return -1;
	for (int i = 0; needles[i]; i++)
		if (hx_expect_contains(c, "server's stderr", needles[i],
				       server->err.data) < 0)
			return -1;
	return 0;
}

/* One bad table file and what its error must name. */
struct bad_table {
	const char *what; /* in the label: "a line with two fields" */
	const char *text; /* the file */
	const char *line; /* "line N", or NULL where no line is at fault */
};

static void check_server_errors(struct hx_check *c)
{
	static const struct bad_table bad[] = {
	    {.what = "two fields", .text = "Go,6Weeks\n", .line = "line 1"},
	    {.what = "an empty duration",
	     .text = "Rust,3Months,3000\nGo,,1500\n",
	     .line = "line 2"},
	    {.what = "an empty fee", .text = "Go,6Weeks,\n", .line = "line 1"},
	    {.what = "an empty name",
	     .text = "\r\n,6Weeks,1500\n",
	     .line = "line 2"},
	    {.what = "four fields",
	     .text = "Rust,3Months,3000\n\nGo,6Weeks,1500,x\n",
	     .line = "line 3"},
	    {.what = "no course", .text = "\n\r\n", .line = NULL},
	};
	static const char *const in_use[] = {"bind", "Address already in use",
					     NULL};
	char port_arg[16], label[96], name[FIELD_MAX + 1];
	const char *args[] = {port_arg, TABLE_NAME, NULL};
	const char *needles[] = {TABLE_NAME, NULL, NULL};
	struct hx_buf text;
	struct hx_conn holder;
	int port = hx_port(c, 0);

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	for (int i = 0; i < SL_COUNT(bad); i++) {
		snprintf(label, sizeof(label), "server (courses.txt with %s)",
			 bad[i].what);
		needles[1] = bad[i].line;
		if (write_file(c, TABLE_NAME, bad[i].text) < 0 ||
		    expect_server_error(c, label, args, needles) < 0)
			return;
	}
	/* Just over the limits: a name of 64 bytes, a 33rd course. */
	hx_buf_init(&text);
	memset(name, 'N', FIELD_MAX);
	name[FIELD_MAX] = '\0';
	hx_buf_addf(&text, "Go,6Weeks,1500\n%s,1Day,1\n", name);
	needles[1] = "line 2";
	if (write_file(c, TABLE_NAME, text.data) == 0 &&
	    expect_server_error(c, "server (courses.txt with a 64-byte name)",
				args, needles) == 0) {
		hx_buf_clear(&text);
		for (int i = 1; i <= COURSES_MAX + 1; i++)
			hx_buf_addf(&text, "Course%d,1Day,%d\n", i, i);
		needles[1] = NULL;
		if (write_file(c, TABLE_NAME, text.data) == 0)
			expect_server_error(
			    c, "server (courses.txt with 33 courses)", args,
			    needles);
	}
	hx_buf_free(&text);
	if (!hx_ok(c))
		return;

	/* A file that cannot be opened: its name and strerror's reason. */
	args[1] = MISSING_NAME;
	needles[0] = MISSING_NAME;
	needles[1] = "No such file or directory";
	if (expect_server_error(c, "server " MISSING_NAME, args, needles) < 0)
		return;

	/* A port another socket listens on: bind fails. */
	args[1] = NULL;
	if (hx_tcp_listen(c, &holder, "0.0.0.0", port) < 0)
		return;
	expect_server_error(c, "server (port in use)", args, in_use);
	hx_close(c, &holder);
}

/* Waits until client connects to listener; fails at once, rather than at
 * the deadline, when the client exits without connecting. */
static int wait_for_connection(struct hx_check *c, struct hx_conn *listener,
			       struct hx_proc *client)
{
	int ready = hx_wait_readable(c, listener->fd, client,
				     "without connecting", IO_MS);

	if (ready == 0)
		return hx_fail(c, HX_TIMEOUT,
			       "the client did not connect within %.1f s",
			       IO_MS / 1000.0);
	return ready > 0 ? 0 : -1;
}

/* Sockets the process holds now (from /proc), or -1 if it ended. */
static int count_sockets(struct hx_proc *p)
{
	char path[64], link[64];
	struct dirent *e;
	DIR *fds;
	int count = 0;

	if (!hx_proc_running(p))
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)p->pid);
	fds = opendir(path);
	if (!fds)
		return -1;
	while ((e = readdir(fds))) {
		char name[600];
		ssize_t n;

		if (e->d_name[0] == '.')
			continue;
		snprintf(name, sizeof(name), "%s/%s", path, e->d_name);
		n = readlink(name, link, sizeof(link) - 1);
		if (n > 0 && (link[n] = '\0', strncmp(link, "socket:", 7) == 0))
			count++;
	}
	closedir(fds);
	return count;
}

/* A client connected and waiting holds one socket: that one. A socket
 * left over from an address that refused is a descriptor leaked. */
static int expect_one_socket(struct hx_check *c, struct hx_proc *client)
{
	int sockets;

	hx_proc_wait_idle(client, IO_MS);
	sockets = count_sockets(client);
	if (sockets <= 1)
		return 0;
	hx_set_cause(c, HX_CAUSE_DESCRIPTORS,
		     "%s: %d sockets open while connected", client->label,
		     sockets);
	return hx_fail(c, HX_FAIL,
		       "%s held %d sockets once connected, where one is "
		       "needed: the socket of an address that refused was "
		       "never closed",
		       client->label, sockets);
}

/* Plays the server for one run of the client: each request must come in
 * order, each reply goes back in random pieces. With close_after >= 0 the
 * server closes after that many requests, without a reply to the last. */
static int serve_requests(struct hx_check *c, struct hx_conn *conn,
			  const struct exchange *list, int n, int close_after)
{
	static const struct hx_plan pieces = {
	    .split = HX_RANDOM, .max_piece = 4, .delay_ms = 1};

	for (int i = 0; i < n; i++) {
		char what[32];
		long len = hx_recv_until(c, conn, "\n", IO_MS);

		if (len < 0) {
			hx_note(c, "the client sent %d of its %d requests", i,
				n);
			return -1;
		}
		snprintf(what, sizeof(what), "request %d", i + 1);
		if (hx_expect_bytes(c, what, list[i].request,
				    strlen(list[i].request), conn->in.data,
				    (size_t)len) < 0)
			return -1;
		hx_consume(conn, (size_t)len);
		if (i + 1 == close_after)
			return 0;
		if (hx_send_str(c, conn, list[i].reply, &pieces) < 0)
			return -1;
	}
	/* Then the client closes, with nothing more to say. */
	if (hx_recv_all(c, conn, 1, IO_MS) < 0)
		return -1;
	return hx_expect_bytes(c, "bytes after the last request", "", 0,
			       conn->in.data, conn->in.len);
}

/* Runs "client host PORT courses..." against a harness server on
 * 127.0.0.1 that expects list; the client must exit with status and print
 * want. With one_socket, its sockets are counted once it is connected. */
static void run_client(struct hx_check *c, const char *host,
		       const struct exchange *list, int n, int close_after,
		       int status, const char *want, int one_socket)
{
	int port = hx_port(c, 0);
	char port_arg[16], courses[8][32];
	const char *args[12] = {host, port_arg};
	struct hx_conn listener, conn;
	struct hx_proc *client;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	for (int i = 0; i < n && i < 8; i++) {
		snprintf(courses[i], sizeof(courses[i]), "%.*s",
			 (int)strcspn(list[i].request, "\n"), list[i].request);
		args[2 + i] = courses[i];
	}
	if (hx_tcp_listen(c, &listener, "127.0.0.1", port) < 0)
		return;
	client = hx_start(c, "client", args);
	if (!client || wait_for_connection(c, &listener, client) < 0 ||
	    hx_tcp_accept(c, &listener, &conn, IO_MS) < 0 ||
	    (one_socket && expect_one_socket(c, client) < 0))
		goto out_close_listener;
	if (serve_requests(c, &conn, list, n, close_after) < 0) {
		hx_proc_wait(c, client, IO_MS);
		hx_note(c, "the client printed:\n%s",
			client->out.len ? client->out.data : "(nothing)");
	}
	hx_close(c, &conn);
	if (hx_ok(c) && hx_proc_expect_exit(c, client, status, IO_MS) == 0)
		hx_expect_str(c, "client's stdout", want, client->out.data);
out_close_listener:
	hx_close(c, &listener);
}

static void check_client_replies(struct hx_check *c)
{
	/* The lecture's lowercase request is sent as typed. */
	static const struct exchange list[] = {
	    {.request = "python\n", .reply = PYTHON},
	    {.request = "Ruby\n", .reply = NOT_AVAILABLE},
	    {.request = "C\n", .reply = C_LANGUAGE},
	};

	run_client(c, "127.0.0.1", list, SL_COUNT(list), -1, 0,
		   PYTHON NOT_AVAILABLE C_LANGUAGE, 0);
}

static void check_client_localhost(struct hx_check *c)
{
	static const struct exchange list[] = {
	    {.request = "java\n", .reply = JAVA},
	};

	/* HX_DUAL_HOST gives ::1 first, where nothing listens. */
	run_client(c, HX_DUAL_HOST, list, SL_COUNT(list), -1, 0, JAVA, 1);
	if (!hx_ok(c))
		hx_note(c,
			"%s resolves to ::1 first, where nothing listens, "
			"then to 127.0.0.1, where the grader does",
			HX_DUAL_HOST);
}

/* Runs "client host port python", which must fail: exit status 2 within
 * timeout_ms and a message on stderr that contains each of needles. */
static int expect_client_error(struct hx_check *c, const char *host, int port,
			       const char *const *needles, int timeout_ms)
{
	char port_arg[16], label[96];
	const char *args[] = {host, port_arg, "python", NULL};
	struct hx_proc *client;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	snprintf(label, sizeof(label), "client %s %s python", host, port_arg);
	client = hx_start_labelled(c, label, "client", args);
	if (!client || hx_proc_expect_exit(c, client, 2, timeout_ms) < 0)
		return -1;
	for (int i = 0; needles[i]; i++)
		if (hx_expect_contains(c, "client's stderr", needles[i],
				       client->err.data) < 0)
			return -1;
	return 0;
}

/* 1 if text holds the resolver's words for a name that does not
 * resolve: this sandbox's answer, or the answers other resolvers give. */
static int has_resolver_text(const char *text)
{
	static const int codes[] = {EAI_NONAME, EAI_AGAIN, EAI_FAIL,
				    EAI_NODATA};
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM};
	struct addrinfo *list = NULL;
	int rc = getaddrinfo(UNKNOWN_HOST, "80", &hints, &list);

	if (rc == 0)
		freeaddrinfo(list);
	else if (strstr(text, gai_strerror(rc)))
		return 1;
	for (int i = 0; i < SL_COUNT(codes); i++)
		if (strstr(text, gai_strerror(codes[i])))
			return 1;
	return 0;
}

static void check_client_errors(struct hx_check *c)
{
	static const char *const unknown[] = {UNKNOWN_HOST, NULL};
	static const char *const refused[] = {"connect", "Connection refused",
					      NULL};
	static const struct exchange list[] = {
	    {.request = "python\n", .reply = PYTHON},
	    {.request = "java\n", .reply = JAVA},
	};
	const char *err;

	/* An unknown host: its name and gai_strerror's words. */
	if (expect_client_error(c, UNKNOWN_HOST, hx_port(c, 0), unknown,
				RESOLVE_MS) < 0)
		return;
	err = c->procs[c->nprocs - 1]->err.data;
	if (!has_resolver_text(err) &&
	    hx_expect_contains(c, "client's stderr", gai_strerror(EAI_NONAME),
			       err) < 0)
		return;
	/* Nothing listens on port 1 of this check. */
	if (expect_client_error(c, "127.0.0.1", hx_port(c, 1), refused,
				EXIT_MS) < 0)
		return;
	/* A server that closes instead of its second reply: the first
	 * reply stays printed, the status is 2, and stderr says why. */
	run_client(c, "127.0.0.1", list, SL_COUNT(list), 2, 2, PYTHON, 0);
	if (hx_ok(c) && c->procs[c->nprocs - 1]->err.len == 0)
		hx_fail(c, HX_FAIL,
			"the client exited with status 2 when the server "
			"closed before its reply, but said nothing on stderr");
}

/* Runs program with args, a valid port among them, and requires that it
 * does not answer with a usage error: it may run (it is stopped) or fail
 * at run time (port 1 needs privileges to bind, nothing listens there). */
static void expect_port_accepted(struct hx_check *c, const char *program,
				 const char *const *args, const char *port)
{
	char label[64];
	struct hx_proc *p;

	snprintf(label, sizeof(label), "%s with port %s", program, port);
	p = hx_start_labelled(c, label, program, args);
	if (!p)
		return;
	hx_proc_wait_idle(p, EXIT_MS);
	if (hx_proc_running(p)) {
		stop_quietly(c, p); /* how it stops is stop-signal's business */
		return;
	}
	hx_proc_pump(p, 0);
	p->accepted = 1;
	if (WIFEXITED(p->wait_status) && WEXITSTATUS(p->wait_status) == 1)
		hx_fail(c, HX_FAIL,
			"%s is a valid port (1 to 65535), but %s answered "
			"with a usage error (exit status 1)",
			port, label);
}

static void check_server_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"abc", NULL},
	    {"0", NULL},
	    {"65536", NULL},
	    {"+8080", NULL},
	    {" 8080", NULL},
	    {"4294967297", NULL},
	    {"8080", TABLE_NAME, "extra", NULL},
	};
	static const char *const lowest[] = {"1", NULL};
	static const char *const highest[] = {"65535", NULL};

	if (hx_expect_usage(c, "server", cases, SL_COUNT(cases), EXIT_MS) < 0)
		return;
	expect_port_accepted(c, "server", lowest, "1");
	/* Port 65535 is free only inside the check's own network. */
	if (hx_ok(c) && c->isolated)
		expect_port_accepted(c, "server", highest, "65535");
}

static void check_client_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"127.0.0.1", NULL},
	    {"127.0.0.1", "8080", NULL},
	    {"127.0.0.1", "abc", "python", NULL},
	    {"127.0.0.1", "65536", "python", NULL},
	    {"127.0.0.1", "+80", "python", NULL},
	};
	/* Nothing listens on these ports: a refusal, not a usage error. */
	static const char *const lowest[] = {"127.0.0.1", "1", "python", NULL};
	static const char *const highest[] = {"127.0.0.1", "65535", "python",
					      NULL};

	if (hx_expect_usage(c, "client", cases, SL_COUNT(cases), EXIT_MS) < 0)
		return;
	expect_port_accepted(c, "client", lowest, "1");
	if (hx_ok(c) && c->isolated)
		expect_port_accepted(c, "client", highest, "65535");
}

/* Sends sig once the server waits in a blocking call (what it was doing
 * goes in the notes); requires exit status 0. */
static int expect_clean_stop(struct hx_check *c, struct hx_proc *server,
			     int sig, const char *while_doing)
{
	if (hx_proc_signal_exit(c, server, sig, STOP_MS) == 0)
		return 0;
	hx_note(c, "%s was sent %s %s", server->label, hx_signal_name(sig),
		while_doing);
	return -1;
}

static void check_stop_signal(struct hx_check *c)
{
	int port = hx_port(c, 0);
	struct hx_proc *server;
	struct hx_conn conn;

	/* SIGTERM while it waits for a client. */
	server = start_server(c, "server (for SIGTERM)", port, NULL);
	if (!server || expect_clean_stop(c, server, SIGTERM,
					 "while it waited in accept") < 0)
		return;

	/* SIGINT while a client that has had its reply stays silent. */
	server = start_server(c, "server (for SIGINT)", port, NULL);
	if (!server || hx_tcp_connect(c, &conn, "127.0.0.1", port, IO_MS) < 0)
		return;
	if (expect_reply_text(c, &conn, "c\n", NULL, C_LANGUAGE) == 0)
		expect_clean_stop(c, server, SIGINT,
				  "while a client was connected");
	hx_close(c, &conn);
}

static const struct sl_check checks[] = {
    {
	.id = "build",
	.title = "server and client build without warnings",
	.points = 10,
	.timeout_ms = 60000,
	.programs = "server client",
	.hint = "Read the compiler's messages from the first one down; fix "
		"every warning too (an unused variable, a missing return, a "
		"signed and unsigned comparison).",
	.run = NULL,
    },
    {
	.id = "courses",
	.title = "The lecture's requests python, java and c get their exact "
		 "course lines",
	.points = 8,
	.timeout_ms = 5000,
	.programs = "server",
	.hint = "Reply with exactly "
		"\"CourseName:NAME,Duration:DURATION,Fee=FEE\\n\" (a colon "
		"after CourseName and Duration, an equals sign after Fee, no "
		"spaces) from the built-in table: Python 1Year 4000, Java "
		"2Year 2000, C 2Months 1000. The lecture asks for \"python\": "
		"compare names with strcasecmp, so case does not matter, and "
		"spell the name in the reply as the table does.",
	.run = check_courses,
    },
    {
	.id = "any-case",
	.title = "A course name in any case (Python, JAVA) is that course",
	.points = 3,
	.timeout_ms = 5000,
	.programs = "server",
	.hint =
	    "Compare the request with each name with strcasecmp (from "
	    "<strings.h>), which ignores the case of letters: \"Python\", "
	    "\"python\" and \"pYtHoN\" are one course. The reply spells the "
	    "name as the table does.",
	.run = check_any_case,
    },
    {
	.id = "unknown",
	.title = "Any other name gets \"this course is not available\"",
	.points = 5,
	.timeout_ms = 8000,
	.programs = "server",
	.hint = "Compare the whole request with each whole name (strcasecmp, "
		"not strncasecmp over the request's length): \"py\", "
		"\"pythonista\", \"java \" and \" c\" are not courses. When no "
		"name matches, reply \"this course is not available\\n\".",
	.run = check_unknown,
    },
    {
	.id = "crlf",
	.title = "A request ending in CR LF is the same request",
	.points = 3,
	.timeout_ms = 5000,
	.programs = "server",
	.hint = "Clients such as telnet end lines with \"\\r\\n\". After "
		"cutting the line at its \"\\n\", drop one \"\\r\" left at its "
		"end before looking the name up.",
	.run = check_crlf,
    },
    {
	.id = "bytes",
	.title = "A request that arrives byte by byte is answered once",
	.points = 5,
	.timeout_ms = 5000,
	.programs = "server",
	.hint = "One recv is not one request: TCP may deliver \"python\\n\" "
		"one byte at a time, the \"\\r\" of \"\\r\\n\" apart from its "
		"\"\\n\". Keep the bytes received in a buffer and answer only "
		"when it holds a \"\\n\" (read_line in course.c).",
	.run = check_bytes,
    },
    {
	.id = "random",
	.title = "Eight requests split at random get eight replies in order",
	.points = 4,
	.timeout_ms = 5000,
	.programs = "server",
	.hint = "A piece of input may end in the middle of a request and the "
		"next piece finish it and start another: keep what follows a "
		"\"\\n\" in the reader's buffer (memmove it to the front) for "
		"the next call.",
	.run = check_random,
    },
    {
	.id = "pipelined",
	.title = "Requests in one segment get a reply each; an unfinished "
		 "one at close gets none",
	.points = 5,
	.timeout_ms = 5000,
	.programs = "server",
	.hint = "One recv may return \"python\\njava\\n\": answer every "
		"complete line in the buffer, and keep serving the connection "
		"until recv returns 0, not just its first request. Bytes "
		"after the last \"\\n\" when recv returns 0 are no request: "
		"close without a reply to them.",
	.run = check_pipelined,
    },
    {
	.id = "empty-line",
	.title = "An empty line gets \"error: empty request\"",
	.points = 3,
	.timeout_ms = 5000,
	.programs = "server",
	.hint = "An empty line is a request too (the line \"\", after the "
		"\"\\r\" is dropped): reply \"error: empty request\\n\" and go "
		"on. Tell it apart from the end of the connection: read_line "
		"returns LINE_EOF only when recv returns 0.",
	.run = check_empty_line,
    },
    {
	.id = "at-limit",
	.title = "Lines of 255 and 256 bytes are requests; 257 bytes (a \\r "
		 "counts) is too long",
	.points = 3,
	.timeout_ms = 5000,
	.flags = SL_SANITIZE,
	.programs = "server",
	.hint = "The reader's buffer holds REQUEST_MAX + 1 = 257 bytes, all "
		"of them for the request (keep no room for a '\\0' there: the "
		"line is copied out): a 256-byte line and its \"\\n\" fit, "
		"so it is an ordinary request, even when the \"\\n\" comes "
		"later; 257 bytes without a \"\\n\" is too long. A \"\\r\" "
		"before the \"\\n\" counts. Test for a full buffer (len == "
		"sizeof buf) only after looking for the \"\\n\".",
	.run = check_at_limit,
    },
    {
	.id = "overlong",
	.title = "A line over 256 bytes gets an error at once; the server "
		 "goes on",
	.points = 5,
	.timeout_ms = 8000,
	.flags = SL_SANITIZE,
	.programs = "server",
	.hint = "Never recv more than the free part of the buffer "
		"(sizeof buf - len). When the buffer is full and holds no "
		"\"\\n\", reply \"error: request too long\\n\" at once, then "
		"drop every byte up to and including the next \"\\n\" and "
		"memmove what follows it (the next request) to the front "
		"before reading requests again.",
	.run = check_overlong,
    },
    {
	.id = "many-clients",
	.title = "The server answers 20 clients in a row and keeps no "
		 "descriptor or memory of them",
	.points = 5,
	.timeout_ms = 10000,
	.flags = SL_SANITIZE | SL_LEAKS,
	.programs = "server",
	.hint = "After a client closes (recv returns 0), close its socket "
		"and go back to accept: do not exit or close the listening "
		"socket after the first client. Free whatever you allocate for "
		"a client or a request before the next one.",
	.run = check_many_clients,
    },
    {
	.id = "reset-client",
	.title = "The server survives clients that reset or leave before "
		 "their reply",
	.points = 4,
	.timeout_ms = 8000,
	.programs = "server",
	.hint = "recv fails with ECONNRESET when a client resets, and a "
		"write to a client that has gone fails with EPIPE: log it, "
		"stop serving that client, close its socket (on these paths "
		"too) and accept the next. Never exit because of one client; "
		"ignore SIGPIPE so a reply to a vanished client cannot kill "
		"you.",
	.run = check_reset_client,
    },
    {
	.id = "idle-client",
	.title = "The server survives clients that send nothing and close",
	.points = 3,
	.timeout_ms = 6000,
	.programs = "server",
	.hint = "A client may connect and close without a request: recv "
		"returns 0 at once. That is the end of this client, not an "
		"error and not an empty request: close the connection and "
		"accept the next.",
	.run = check_idle_client,
    },
    {
	.id = "server-stdout",
	.title = "The server writes nothing on stdout: its log goes to stderr",
	.points = 2,
	.timeout_ms = 6000,
	.programs = "server",
	.hint = "Write every log line with fprintf(stderr, ...) or perror, "
		"never printf or puts: stdout is not the server's to use.",
	.run = check_server_stdout,
    },
    {
	.id = "table-file",
	.title = "The table comes from a file when one is given, up to its "
		 "limits",
	.points = 5,
	.timeout_ms = 10000,
	.flags = SL_SANITIZE,
	.programs = "server",
	.hint =
	    "With a second argument, read the file with fopen and fgets "
	    "into the table instead of the built-in courses: one "
	    "\"Name,Duration,Fee\" per line, \"\\r\\n\" or \"\\n\" or none at "
	    "the very end, blank lines skipped, spaces kept as they are. "
	    "Up to 32 courses, fields up to 63 bytes: size the line buffer "
	    "and the reply buffer for the longest, and search the table "
	    "only up to its count. fclose the file once it is read.",
	.run = check_table_file,
    },
    {
	.id = "server-errors",
	.title = "A bad table file or a busy port: a message naming it, "
		 "exit status 2",
	.points = 5,
	.timeout_ms = 15000,
	.flags = SL_SANITIZE,
	.programs = "server",
	.hint = "Before listening, check each line: three fields, none "
		"empty, each under 64 bytes, exactly two commas; at most 32 "
		"courses, at least one. Report \"server: FILE line N: expected "
		"Name,Duration,Fee\" (N counts every line, blank ones too), "
		"\"server: FILE: \" and strerror(errno) when fopen fails, "
		"\"server: bind: \" and strerror(errno) when bind fails, and "
		"exit 2.",
	.run = check_server_errors,
    },
    {
	.id = "client-replies",
	.title = "The client prints each reply, however the server cuts it, "
		 "and frees what it allocated",
	.points = 5,
	.timeout_ms = 6000,
	.flags = SL_SANITIZE | SL_LEAKS,
	.programs = "client",
	.hint = "Send each course as typed with its \"\\n\", then read one "
		"whole reply line with read_line (it may take several recv "
		"calls) and print it with its \"\\n\" before the next course. "
		"Close and exit 0 after the last. Call freeaddrinfo once you "
		"are done with the list getaddrinfo gave you.",
	.run = check_client_replies,
    },
    {
	.id = "client-localhost",
	.title = "The client tries the next address when the first refuses "
		 "(localhost: ::1, then 127.0.0.1)",
	.points = 4,
	.timeout_ms = 5000,
	.programs = "client",
	.hint = "getaddrinfo may give several addresses (localhost is ::1 "
		"and 127.0.0.1): try each in order, a socket of its own family "
		"then connect; when connect fails, close that socket and go "
		"on to the next address; stop at the first that connects.",
	.run = check_client_localhost,
    },
    {
	.id = "client-errors",
	.title = "The client reports an unknown host, a refusal and a server "
		 "that closes early: exit status 2",
	.points = 4,
	.timeout_ms = 8000,
	.programs = "client",
	.hint = "getaddrinfo failing: print the host and gai_strerror(rc). "
		"Every connect failing: print \"connect\", the host, the port "
		"and strerror(errno). read_line returning LINE_EOF before a "
		"reply: the server closed, say so. Each is exit status 2, the "
		"replies printed before it left as they are.",
	.run = check_client_errors,
    },
    {
	.id = "server-usage",
	.title = "The server rejects bad arguments with a usage line and "
		 "status 1",
	.points = 3,
	.timeout_ms = 10000,
	.programs = "server",
	.hint = "Accept one or two arguments and check the port with "
		"parse_port: digits only (no sign, no space), 1 to 65535 "
		"(both included), compared as the long strtol returns; "
		"otherwise print \"usage: server PORT [TABLE_FILE]\" on stderr "
		"and return 1 before any socket call.",
	.run = check_server_usage,
    },
    {
	.id = "client-usage",
	.title = "The client rejects bad arguments with a usage line and "
		 "status 1",
	.points = 2,
	.timeout_ms = 10000,
	.programs = "client",
	.hint = "Require HOST, PORT and at least one COURSE (argc >= 4) and "
		"check the port with parse_port; otherwise print \"usage: "
		"client HOST PORT COURSE...\" on stderr and return 1.",
	.run = check_client_usage,
    },
    {
	.id = "stop-signal",
	.title = "The server exits 0 promptly on SIGTERM and SIGINT",
	.points = 4,
	.timeout_ms = 6000,
	.programs = "server",
	.hint = "Install the handler with sigaction and sa_flags 0 (no "
		"SA_RESTART), so a blocked accept or recv fails with EINTR; "
		"then test the stop flag in both loops, close the sockets and "
		"return 0 from main.",
	.run = check_stop_signal,
    },
};

static const struct sl_lab lab06 = {
    .number = "06",
    .name = "course-info",
    .title = "A request/response protocol: course information over TCP",
    .files = {"server.c", "client.c", "course.c"},
    .given = {"course.h"},
    .programs =
	{
	    {.name = "server", .sources = {"server.c", "course.c"}},
	    {.name = "client", .sources = {"client.c", "course.c"}},
	},
    .max_files = FILES_MAX,
    .checks = checks,
    .nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab06);
