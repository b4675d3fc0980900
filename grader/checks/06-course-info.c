/* 06-course-info.c - lab 06: a request/response protocol over TCP.
 *
 * The server answers one line per request line: a course name gives
 *	"CourseName:Python,Duration:1Year,Fee=4000\n",
 * any other name "this course is not available\n", an empty line
 * "error: empty request\n" and a line over 256 bytes
 * "error: request too long\n" (the rest of that line is dropped and the
 * connection goes on). Several requests may share a connection; the server
 * serves clients one after another. Server checks play clients on
 * loopback; the client check plays the server. The rubric is the table at
 * the end of this file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../sl_lab.h"

/* Deadlines of single steps, in milliseconds (scaled like all deadlines). */
#define READY_MS 1500 /* a server starts listening */
#define IO_MS	 1000 /* a reply arrives, a client connects or exits */
#define STOP_MS	 1000 /* a server exits after SIGTERM or SIGINT */
#define EXIT_MS	 1500 /* a program exits after bad arguments */

#define REQUEST_MAX  256 /* the longest request, bytes before its "\n" */
#define MANY_CLIENTS 20	 /* clients in a row */
#define TABLE_NAME   "courses.txt" /* the table file, in the server's cwd */
#define MISSING_NAME "no-such-table.txt"

#define PYTHON	      "CourseName:Python,Duration:1Year,Fee=4000\n"
#define JAVA	      "CourseName:Java,Duration:2Year,Fee=2000\n"
#define C_LANGUAGE    "CourseName:C,Duration:2Months,Fee=1000\n"
#define NOT_AVAILABLE "this course is not available\n"
#define EMPTY	      "error: empty request\n"
#define TOO_LONG      "error: request too long\n"

/* One request and the reply it must get. */
struct exchange {
	const char *request; /* bytes sent, "\n" included */
	const char *reply;   /* the exact reply line */
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

	if (hx_send(c, conn, requests, len, plan) < 0)
		return -1;
	hx_buf_init(&got);
	for (int i = 0; i < lines; i++) {
		long n = hx_recv_until(c, conn, "\n", IO_MS);

		if (n < 0) {
			/* The message says timeout or close; show it all. */
			hx_buf_add(&got, conn->in.data, conn->in.len);
			hx_buf_clear(&c->expected);
			hx_buf_clear(&c->actual);
			hx_buf_add(&c->expected, want, strlen(want));
			hx_buf_add(&c->actual, got.data, got.len);
			c->diff_at = hx_first_difference(want, strlen(want),
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
static void expect_each_alone(struct hx_check *c, struct hx_proc *server,
			      int port, const struct exchange *list, int n)
{
	for (int i = 0; i < n; i++) {
		struct hx_conn conn;
		int rc;

		if (hx_tcp_connect(c, &conn, "127.0.0.1", port, IO_MS) < 0) {
			hx_note_end(c, server);
			return;
		}
		rc = expect_reply_text(c, &conn, list[i].request, NULL,
				       list[i].reply);
		hx_close(c, &conn);
		if (rc < 0) {
			hx_note_end(c, server);
			return;
		}
	}
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

static void check_courses(struct hx_check *c)
{
	static const struct exchange list[] = {
	    {"Python\n", PYTHON},
	    {"Java\n", JAVA},
	    {"C\n", C_LANGUAGE},
	};

	run_exchanges(c, list, SL_COUNT(list));
}

static void check_unknown(struct hx_check *c)
{
	/* Names are compared whole and exactly: no prefix, no case. */
	static const struct exchange list[] = {
	    {"Ruby\n", NOT_AVAILABLE},	{"python\n", NOT_AVAILABLE},
	    {"Py\n", NOT_AVAILABLE},	{"Pythonista\n", NOT_AVAILABLE},
	    {"Java \n", NOT_AVAILABLE},
	};

	run_exchanges(c, list, SL_COUNT(list));
}

static void check_crlf(struct hx_check *c)
{
	static const struct exchange list[] = {
	    {"Python\r\n", PYTHON},
	    {"C\r\n", C_LANGUAGE},
	};

	run_exchanges(c, list, SL_COUNT(list));
}

/* Starts the server, opens one connection and sends it requests cut by
 * plan, which must get the replies want. */
static void run_one_connection(struct hx_check *c, const char *requests,
			       const struct hx_plan *plan, const char *want)
{
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port, NULL);
	struct hx_conn conn;

	if (!server)
		return;
	if (hx_tcp_connect(c, &conn, "127.0.0.1", port, IO_MS) < 0)
		return;
	if (expect_reply_text(c, &conn, requests, plan, want) < 0)
		hx_note_end(c, server);
	hx_close(c, &conn);
}

static void check_bytes(struct hx_check *c)
{
	/* A pause between bytes, so no single recv can get them all. */
	static const struct hx_plan byte_by_byte = {HX_BYTES, 0, 2};

	run_one_connection(c, "Python\n", &byte_by_byte, PYTHON);
}

static void check_random(struct hx_check *c)
{
	static const struct hx_plan random_pieces = {HX_RANDOM, 5, 1};

	run_one_connection(c, "Python\nC\nRuby\nJava\nPy\nC\nJava\nPython\n",
			   &random_pieces,
			   PYTHON C_LANGUAGE NOT_AVAILABLE JAVA NOT_AVAILABLE
			       C_LANGUAGE JAVA PYTHON);
}

static void check_pipelined(struct hx_check *c)
{
	/* One send: both requests reach the server in one segment. */
	run_one_connection(c, "Python\nJava\n", NULL, PYTHON JAVA);
}

/* Asks each request in turn on one open connection, waiting for each
 * reply before sending the next. */
static int expect_in_turn(struct hx_check *c, struct hx_conn *conn,
			  const struct exchange *list, int n)
{
	for (int i = 0; i < n; i++)
		if (expect_reply_text(c, conn, list[i].request, NULL,
				      list[i].reply) < 0)
			return -1;
	return 0;
}

static void check_empty_line(struct hx_check *c)
{
	static const struct exchange list[] = {
	    {"\n", EMPTY},
	    {"\r\n", EMPTY},
	    {"Java\n", JAVA},
	};
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port, NULL);
	struct hx_conn conn;

	if (!server || hx_tcp_connect(c, &conn, "127.0.0.1", port, IO_MS) < 0)
		return;
	if (expect_in_turn(c, &conn, list, SL_COUNT(list)) < 0)
		hx_note_end(c, server);
	hx_close(c, &conn);
}

/* A line of len bytes of 'x' and its "\n", in a buffer of size bytes. */
static const char *long_line(char *buf, size_t size, size_t len)
{
	if (len + 2 > size)
		len = size - 2;
	memset(buf, 'x', len);
	buf[len] = '\n';
	buf[len + 1] = '\0';
	return buf;
}

static void check_overlong(struct hx_check *c)
{
	static char at_limit[REQUEST_MAX + 2], over[302], far_over[4002];
	const struct exchange list[] = {
	    {long_line(at_limit, sizeof(at_limit), REQUEST_MAX), NOT_AVAILABLE},
	    {long_line(over, sizeof(over), 300), TOO_LONG},
	    {"C\n", C_LANGUAGE},
	    {long_line(far_over, sizeof(far_over), 4000), TOO_LONG},
	    {"Java\n", JAVA},
	};
	static const struct exchange next = {"Python\n", PYTHON};
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port, NULL);
	struct hx_conn conn;
	int rc;

	if (!server || hx_tcp_connect(c, &conn, "127.0.0.1", port, IO_MS) < 0)
		return;
	rc = expect_in_turn(c, &conn, list, SL_COUNT(list));
	hx_close(c, &conn);
	if (rc == 0)
		expect_each_alone(c, server, port, &next, 1);
	else
		hx_note_end(c, server);
}

static void check_many_clients(struct hx_check *c)
{
	static const struct exchange cycle[] = {
	    {"Python\n", PYTHON},
	    {"Java\n", JAVA},
	    {"C\n", C_LANGUAGE},
	    {"Ruby\n", NOT_AVAILABLE},
	};
	struct exchange list[MANY_CLIENTS];

	for (int i = 0; i < MANY_CLIENTS; i++)
		list[i] = cycle[i % SL_COUNT(cycle)];
	run_exchanges(c, list, MANY_CLIENTS);
}

/* Starts the server, lets rude() misbehave on one connection, then
 * requires a normal client to be served. */
static void run_after_rude_client(struct hx_check *c,
				  void (*rude)(struct hx_check *c,
					       struct hx_proc *server,
					       struct hx_conn *conn))
{
	static const struct exchange next = {"Python\n", PYTHON};
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port, NULL);
	struct hx_conn conn;

	if (!server || hx_tcp_connect(c, &conn, "127.0.0.1", port, IO_MS) < 0)
		return;
	rude(c, server, &conn);
	if (hx_ok(c))
		expect_each_alone(c, server, port, &next, 1);
}

/* Half a request, then a reset (RST) instead of the rest. */
static void reset_mid_request(struct hx_check *c, struct hx_proc *server,
			      struct hx_conn *conn)
{
	(void)server;
	if (hx_send_str(c, conn, "Pyt", NULL) == 0)
		hx_reset(c, conn);
	hx_close(c, conn);
}

/* Nothing at all: the server waits in recv, then sees the close. */
static void close_without_request(struct hx_check *c, struct hx_proc *server,
				  struct hx_conn *conn)
{
	hx_proc_wait_idle(server, READY_MS);
	hx_close(c, conn);
}

static void check_reset_client(struct hx_check *c)
{
	run_after_rude_client(c, reset_mid_request);
}

static void check_idle_client(struct hx_check *c)
{
	run_after_rude_client(c, close_without_request);
}

/* Writes the table file into the programs' working folder. */
static int write_table(struct hx_check *c, const char *content)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", c->work_dir, TABLE_NAME);
	f = fopen(path, "we");
	if (!f)
		return hx_fail(c, HX_ERROR, "cannot write %s: %s", TABLE_NAME,
			       strerror(errno));
	fputs(content, f);
	if (fclose(f) != 0)
		return hx_fail(c, HX_ERROR, "cannot write %s: %s", TABLE_NAME,
			       strerror(errno));
	hx_recordf(c, 0, "wrote %s: %s", TABLE_NAME, content);
	return 0;
}

static void check_table_file(struct hx_check *c)
{
	/* C is redefined and Python left out: the file replaces the
	 * built-in table, it does not extend it. */
	static const char table[] = "Rust,3Months,3000\n"
				    "Go,6Weeks,1500\n"
				    "C,1Year,9999\n";
	static const struct exchange list[] = {
	    {"Rust\n", "CourseName:Rust,Duration:3Months,Fee=3000\n"},
	    {"Go\n", "CourseName:Go,Duration:6Weeks,Fee=1500\n"},
	    {"C\n", "CourseName:C,Duration:1Year,Fee=9999\n"},
	    {"Python\n", NOT_AVAILABLE},
	};
	const char *missing[] = {NULL, MISSING_NAME, NULL};
	char port_arg[16];
	int port = hx_port(c, 0);
	struct hx_proc *server;

	if (write_table(c, table) < 0)
		return;
	server = start_server(c, "server", port, TABLE_NAME);
	if (!server)
		return;
	expect_each_alone(c, server, port, list, SL_COUNT(list));
	if (!hx_ok(c))
		return;

	/* A table that cannot be read is a runtime error naming the file. */
	snprintf(port_arg, sizeof(port_arg), "%d", port);
	missing[0] = port_arg;
	server =
	    hx_start_labelled(c, "server " MISSING_NAME, "server", missing);
	if (server && hx_proc_expect_exit(c, server, 2, EXIT_MS) == 0)
		hx_expect_contains(c, "server's stderr", MISSING_NAME,
				   server->err.data);
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

/* Plays the server for one run of the client: each request must come in
 * order, each reply goes back in random pieces. */
static int serve_requests(struct hx_check *c, struct hx_conn *conn,
			  const struct exchange *list, int n)
{
	static const struct hx_plan pieces = {HX_RANDOM, 4, 1};

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
		if (hx_send_str(c, conn, list[i].reply, &pieces) < 0)
			return -1;
	}
	/* Then the client closes, with nothing more to say. */
	if (hx_recv_all(c, conn, 1, IO_MS) < 0)
		return -1;
	return hx_expect_bytes(c, "bytes after the last request", "", 0,
			       conn->in.data, conn->in.len);
}

static void check_client_replies(struct hx_check *c)
{
	static const struct exchange list[] = {
	    {"Python\n", PYTHON},
	    {"Ruby\n", NOT_AVAILABLE},
	    {"C\n", C_LANGUAGE},
	};
	int port = hx_port(c, 0);
	char port_arg[16];
	const char *args[] = {"127.0.0.1", port_arg, "Python",
			      "Ruby",	   "C",	     NULL};
	struct hx_conn listener, conn;
	struct hx_proc *client;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (hx_tcp_listen(c, &listener, "127.0.0.1", port) < 0)
		return;
	client = hx_start(c, "client", args);
	if (!client || wait_for_connection(c, &listener, client) < 0 ||
	    hx_tcp_accept(c, &listener, &conn, IO_MS) < 0)
		goto out_close_listener;
	if (serve_requests(c, &conn, list, SL_COUNT(list)) < 0) {
		hx_proc_wait(c, client, IO_MS);
		hx_note(c, "the client printed:\n%s",
			client->out.len ? client->out.data : "(nothing)");
	}
	hx_close(c, &conn);
	if (hx_ok(c) && hx_proc_expect_exit(c, client, 0, IO_MS) == 0)
		hx_expect_str(c, "client's stdout",
			      PYTHON NOT_AVAILABLE C_LANGUAGE,
			      client->out.data);
out_close_listener:
	hx_close(c, &listener);
}

static void check_server_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"abc", NULL},
	    {"0", NULL},
	    {"65536", NULL},
	    {"8080", TABLE_NAME, "extra", NULL},
	};

	hx_expect_usage(c, "server", cases, SL_COUNT(cases), EXIT_MS);
}

static void check_client_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"127.0.0.1", NULL},
	    {"127.0.0.1", "8080", NULL},
	    {"127.0.0.1", "abc", "Python", NULL},
	    {"127.0.0.1", "65536", "Python", NULL},
	};

	hx_expect_usage(c, "client", cases, SL_COUNT(cases), EXIT_MS);
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
	if (expect_reply_text(c, &conn, "C\n", NULL, C_LANGUAGE) == 0)
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
		.hint = "Read the compiler's messages from the first one down; fix every "
			"warning too (an unused variable, a missing return, a signed and "
			"unsigned comparison).",
		.run = NULL,
	},
	{
		.id = "courses",
		.title = "Python, Java and C get their exact course lines",
		.points = 8,
		.timeout_ms = 5000,
		.programs = "server",
		.hint = "Reply with exactly \"CourseName:NAME,Duration:DURATION,Fee=FEE\\n\" "
			"(a colon after CourseName and Duration, an equals sign after Fee, "
			"no spaces) from the built-in table: Python 1Year 4000, Java 2Year "
			"2000, C 2Months 1000. Build it with snprintf and send it with "
			"writen.",
		.run = check_courses,
	},
	{
		.id = "unknown",
		.title = "Any other name gets \"this course is not available\"",
		.points = 6,
		.timeout_ms = 6000,
		.programs = "server",
		.hint = "Compare the whole request with each name using strcmp: \"Py\", "
			"\"python\" and \"Java \" are not courses. When no name matches, "
			"reply \"this course is not available\\n\".",
		.run = check_unknown,
	},
	{
		.id = "crlf",
		.title = "A request ending in CR LF is the same request",
		.points = 5,
		.timeout_ms = 5000,
		.programs = "server",
		.hint = "Clients such as telnet end lines with \"\\r\\n\". After cutting the "
			"line at its \"\\n\", drop one \"\\r\" left at its end before looking "
			"the name up.",
		.run = check_crlf,
	},
	{
		.id = "bytes",
		.title = "A request that arrives byte by byte is answered once",
		.points = 7,
		.timeout_ms = 5000,
		.programs = "server",
		.hint = "One recv is not one request: TCP may deliver \"Python\\n\" one byte "
			"at a time. Keep the bytes received in a buffer and answer only when "
			"it holds a \"\\n\" (read_line in course.c).",
		.run = check_bytes,
	},
	{
		.id = "random",
		.title = "Eight requests split at random get eight replies in order",
		.points = 5,
		.timeout_ms = 5000,
		.programs = "server",
		.hint = "A piece of input may end in the middle of a request and the next "
			"piece finish it and start another: keep what follows a \"\\n\" in "
			"the reader's buffer (memmove it to the front) for the next call.",
		.run = check_random,
	},
	{
		.id = "pipelined",
		.title = "Two requests in one segment get two replies",
		.points = 7,
		.timeout_ms = 5000,
		.programs = "server",
		.hint = "One recv may return \"Python\\nJava\\n\": answer every complete line "
			"in the buffer, and keep serving the connection until recv returns "
			"0, not just its first request.",
		.run = check_pipelined,
	},
	{
		.id = "empty-line",
		.title = "An empty line gets \"error: empty request\"",
		.points = 5,
		.timeout_ms = 5000,
		.programs = "server",
		.hint = "An empty line is a request too (the line \"\", after the \"\\r\" is "
			"dropped): reply \"error: empty request\\n\" and go on. Tell it apart "
			"from the end of the connection: read_line returns LINE_EOF only "
			"when recv returns 0.",
		.run = check_empty_line,
	},
	{
		.id = "overlong",
		.title = "A line over 256 bytes gets an error; the server goes on",
		.points = 8,
		.timeout_ms = 6000,
		.flags = SL_SANITIZE,
		.programs = "server",
		.hint = "Never recv more than the free part of the buffer "
			"(sizeof buf - len). When the buffer is full and holds no \"\\n\", "
			"reply \"error: request too long\\n\", then drop every byte up to "
			"and including the next \"\\n\" before reading requests again. A "
			"line of exactly 256 bytes is still a request.",
		.run = check_overlong,
	},
	{
		.id = "many-clients",
		.title = "The server answers 20 clients in a row",
		.points = 5,
		.timeout_ms = 8000,
		.programs = "server",
		.hint = "After a client closes (recv returns 0), close its socket and go "
			"back to accept: do not exit or close the listening socket after "
			"the first client.",
		.run = check_many_clients,
	},
	{
		.id = "reset-client",
		.title = "The server survives a client that resets mid-request",
		.points = 5,
		.timeout_ms = 5000,
		.programs = "server",
		.hint = "recv fails with ECONNRESET when a client resets: log it, close that "
			"connection and accept the next. Never exit because of one client; "
			"ignore SIGPIPE so a reply to a vanished client cannot kill you.",
		.run = check_reset_client,
	},
	{
		.id = "idle-client",
		.title = "The server survives a client that sends nothing and closes",
		.points = 4,
		.timeout_ms = 5000,
		.programs = "server",
		.hint = "A client may connect and close without a request: recv returns 0 "
			"at once. That is the end of this client, not an error and not an "
			"empty request: close the connection and accept the next.",
		.run = check_idle_client,
	},
	{
		.id = "table-file",
		.title = "The table comes from a file when one is given",
		.points = 7,
		.timeout_ms = 6000,
		.programs = "server",
		.hint = "With a second argument, read the file with fopen and fgets, one "
			"\"Name,Duration,Fee\" per line, into the table instead of the "
			"built-in courses. If fopen fails, print \"server: FILE: reason\" "
			"(strerror(errno)) on stderr and exit 2.",
		.run = check_table_file,
	},
	{
		.id = "client-replies",
		.title = "The client prints each reply, however the server cuts it",
		.points = 8,
		.timeout_ms = 5000,
		.programs = "client",
		.hint = "Send each course with its \"\\n\", then read one whole reply line "
			"with read_line (it may take several recv calls) and print it with "
			"its \"\\n\" before the next course. Close and exit 0 after the last.",
		.run = check_client_replies,
	},
	{
		.id = "server-usage",
		.title = "The server rejects bad arguments with a usage line and status 1",
		.points = 3,
		.timeout_ms = 8000,
		.programs = "server",
		.hint = "Accept one or two arguments and check the port with parse_port (a "
			"whole number from 1 to 65535); otherwise print \"usage: server PORT "
			"[TABLE_FILE]\" on stderr and return 1 before any socket call.",
		.run = check_server_usage,
	},
	{
		.id = "client-usage",
		.title = "The client rejects bad arguments with a usage line and status 1",
		.points = 2,
		.timeout_ms = 8000,
		.programs = "client",
		.hint = "Require HOST, PORT and at least one COURSE (argc >= 4) and check the "
			"port with parse_port; otherwise print \"usage: client HOST PORT "
			"COURSE...\" on stderr and return 1.",
		.run = check_client_usage,
	},
	{
		.id = "stop-signal",
		.title = "The server exits 0 promptly on SIGTERM and SIGINT",
		.points = 5,
		.timeout_ms = 6000,
		.programs = "server",
		.hint = "Install the handler with sigaction and sa_flags 0 (no SA_RESTART), so "
			"a blocked accept or recv fails with EINTR; then test the stop flag "
			"in both loops, close the sockets and return 0 from main.",
		.run = check_stop_signal,
	},
};

static const struct sl_lab lab06 = {
	.number = "06",
	.name = "course-info",
	.title = "A request/response protocol: course information over TCP",
	.files = { "server.c", "client.c", "course.c" },
	.given = { "course.h" },
	.programs = {
		{ .name = "server", .sources = { "server.c", "course.c" } },
		{ .name = "client", .sources = { "client.c", "course.c" } },
	},
	.checks = checks,
	.nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab06);
