/* 02-tcp-hello.c - lab 02: the first TCP server and client.
 *
 * The server greets each client with one line,
 *	"Thank you for connecting, ADDRESS port PORT\n",
 * closes the connection and serves the next; the client prints everything
 * it receives until the server closes. Server checks play clients on
 * loopback; client checks play the server. The rubric is the table at the
 * end of this file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../sl_lab.h"

/* Deadlines of single steps, in milliseconds (scaled like all deadlines). */
#define READY_MS   1500 /* a server starts listening */
#define IO_MS	   1500 /* a greeting arrives, a client connects or exits */
#define STOP_MS	   1000 /* a server exits after SIGTERM or SIGINT */
#define EXIT_MS	   1500 /* a program exits after bad arguments */
#define RESOLVE_MS 3000 /* the client gives up on a name that cannot exist */

/* Starts the server on port and waits until it listens. */
#define start_server(c, label, port) \
	hx_start_server_on(c, label, "server", HX_TCP, port, NULL, READY_MS)

#define GREETING_START	 "Thank you for connecting"
#define MANY_CLIENTS	 20			/* clients in a row */
#define LONG_REPLY_BYTES 100000			/* many recv calls' worth */
#define UNKNOWN_HOST	 "no-such-host.invalid" /* RFC 6761: never resolves */
#define REPLY_CAP	 4096			/* more than any greeting */

/* 1 if reply has the shape of a greeting: its start, and one final \n. */
static int looks_like_greeting(const struct hx_buf *reply)
{
	size_t start = strlen(GREETING_START);

	return reply->len > start &&
	       memcmp(reply->data, GREETING_START, start) == 0 &&
	       memchr(reply->data, '\n', reply->len) ==
		   reply->data + reply->len - 1;
}

/* Connects to the server as client number n, reads until the server
 * closes, and checks the reply: byte for byte when exact, else only its
 * shape (the greeting's format is the greeting check's business). */
static int expect_greeting(struct hx_check *c, int port, int n, int exact)
{
	struct sockaddr_in me; /* our end: the address the server must name */
	socklen_t me_len = sizeof(me);
	struct hx_conn conn;
	char want[128], what[64];
	int rc = -1;

	if (hx_tcp_connect(c, &conn, "127.0.0.1", port, IO_MS) < 0)
		return -1;
	if (getsockname(conn.fd, (struct sockaddr *)&me, &me_len) < 0) {
		hx_fail(c, HX_ERROR, "getsockname: %s", strerror(errno));
		goto out_close;
	}
	snprintf(want, sizeof(want), GREETING_START ", 127.0.0.1 port %u\n",
		 (unsigned)ntohs(me.sin_port));
	snprintf(what, sizeof(what), "reply to client %d", n);
	if (hx_recv_all(c, &conn, REPLY_CAP, IO_MS) < 0)
		goto out_close;
	rc = 0;
	if (exact || !looks_like_greeting(&conn.in))
		rc = hx_expect_bytes(c, what, want, strlen(want), conn.in.data,
				     conn.in.len);
out_close:
	hx_close(c, &conn);
	return rc;
}

static void check_greeting(struct hx_check *c)
{
	int port = hx_port(c, 0);

	if (start_server(c, "server", port))
		expect_greeting(c, port, 1, 1);
}

static void check_many_clients(struct hx_check *c)
{
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port);

	if (!server)
		return;
	for (int n = 1; n <= MANY_CLIENTS; n++) {
		if (expect_greeting(c, port, n, 0) < 0) {
			hx_note_end(c, server);
			return;
		}
	}
}

static void check_restart(struct hx_check *c)
{
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port);

	/* The server closes first, so each connection it served waits in
	 * TIME_WAIT on its port after it is gone. */
	if (!server || expect_greeting(c, port, 1, 0) < 0 ||
	    expect_greeting(c, port, 2, 0) < 0) {
		if (server)
			hx_note_end(c, server);
		return;
	}
	hx_proc_wait_idle(server, READY_MS);
	if (hx_proc_stop(c, server, STOP_MS) < 0)
		return;
	server = start_server(c, "restarted server", port);
	if (!server) {
		hx_note(c,
			"port %d still had the first server's connections "
			"in TIME_WAIT when the second one started",
			port);
		return;
	}
	expect_greeting(c, port, 3, 0);
}

static void check_reset_client(struct hx_check *c)
{
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port);
	struct hx_conn rude;

	if (!server)
		return;
	/* While the server is paused the kernel still completes the
	 * connection and takes the reset, so the server always accepts a
	 * connection that is already dead: getpeername fails (ENOTCONN) and
	 * a write raises SIGPIPE. The FIN before the reset is what makes even
	 * the first write fail with EPIPE and SIGPIPE, not ECONNRESET. */
	kill(server->pid, SIGSTOP);
	hx_recordf(c, 0, "paused the server (SIGSTOP)");
	if (hx_tcp_connect(c, &rude, "127.0.0.1", port, IO_MS) == 0) {
		hx_shutdown_write(c, &rude);
		hx_reset(c, &rude);
	}
	kill(server->pid, SIGCONT);
	hx_recordf(c, 0, "let the server go on (SIGCONT)");
	if (!hx_ok(c))
		return;
	/* Once it sleeps in accept again (or has died), it has dealt with
	 * the dead connection. */
	hx_proc_wait_idle(server, READY_MS);
	if (!hx_proc_running(server)) {
		struct hx_buf how;

		hx_buf_init(&how);
		hx_proc_describe_end(server, &how);
		hx_fail(c,
			WIFSIGNALED(server->wait_status) ? HX_CRASH : HX_FAIL,
			"%s ended (%s) on a client that had reset its "
			"connection",
			server->label, how.data);
		hx_buf_free(&how);
		return;
	}
	expect_greeting(c, port, 2, 0);
}

static void check_stop_signal(struct hx_check *c)
{
	hx_expect_server_stops(c, "server", HX_TCP, hx_port(c, 0), NULL, READY_MS);
}

static void check_server_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},	     {"abc", NULL},	      {"0", NULL},
	    {"65536", NULL}, {"8080", "extra", NULL},
	};

	hx_expect_usage(c, "server", cases, SL_COUNT(cases), EXIT_MS);
}

static void check_client_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"127.0.0.1", NULL},
	    {"127.0.0.1", "abc", NULL},
	    {"127.0.0.1", "0", NULL},
	    {"127.0.0.1", "65536", NULL},
	    {"127.0.0.1", "80", "extra", NULL},
	};

	hx_expect_usage(c, "client", cases, SL_COUNT(cases), EXIT_MS);
}

/* Waits until client connects to listener; fails at once, rather than at
 * the deadline, when the client exits without connecting. */
static int wait_for_connection(struct hx_check *c, struct hx_conn *listener,
			       struct hx_proc *client, const char *host,
			       int port)
{
	char what[96];
	int ready;

	snprintf(what, sizeof(what), "without connecting to %s port %d", host,
		 port);
	ready = hx_wait_readable(c, listener->fd, client, what, IO_MS);
	if (ready == 0)
		return hx_fail(c, HX_TIMEOUT,
			       "%s did not connect to %s port %d within %.1f s",
			       client->label, host, port, IO_MS / 1000.0);
	return ready > 0 ? 0 : -1;
}

/* Plays the server for one run of the client: listens on host, starts
 * "client host port", sends reply cut by plan, closes, and requires the
 * client to print exactly reply and exit 0. */
static void serve_one_client(struct hx_check *c, const char *host,
			     const char *reply, size_t len,
			     const struct hx_plan *plan)
{
	int port = hx_port(c, 0);
	char port_arg[16];
	const char *args[] = {host, port_arg, NULL};
	struct hx_conn listener, conn;
	struct hx_proc *client;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (hx_tcp_listen(c, &listener, host, port) < 0)
		return;
	client = hx_start(c, "client", args);
	if (!client ||
	    wait_for_connection(c, &listener, client, host, port) < 0 ||
	    hx_tcp_accept(c, &listener, &conn, IO_MS) < 0)
		goto out_close_listener;
	if (hx_send(c, &conn, reply, len, plan) < 0) {
		/* Most often the client stopped reading too early. */
		hx_proc_wait(c, client, IO_MS);
		hx_note(c, "the client printed %zu of the %zu bytes sent",
			client->out.len, len);
	}
	hx_close(c, &conn);
	if (hx_ok(c) && hx_proc_expect_exit(c, client, 0, IO_MS) == 0)
		hx_expect_bytes(c, "client's stdout", reply, len,
				client->out.data, client->out.len);
out_close_listener:
	hx_close(c, &listener);
}

static void check_client_pieces(struct hx_check *c)
{
	static const char reply[] = GREETING_START ", 127.0.0.1 port 40312\n";
	/* A pause between bytes, so no single recv can get them all. */
	static const struct hx_plan byte_by_byte = {HX_BYTES, 0, 2};

	serve_one_client(c, "127.0.0.1", reply, strlen(reply), &byte_by_byte);
}

static void check_client_long(struct hx_check *c)
{
	static char reply[LONG_REPLY_BYTES];
	static const struct hx_plan random_pieces = {HX_RANDOM, 4096, 0};
	size_t used = 0;

	/* Numbered lines, so a lost or repeated piece shows where it was. */
	for (int line = 1; used < sizeof(reply); line++) {
		char text[80];
		int n = snprintf(
		    text, sizeof(text),
		    "%05d " GREETING_START ", this is a long one\n", line);
		size_t take = sizeof(reply) - used < (size_t)n
				  ? sizeof(reply) - used
				  : (size_t)n;

		memcpy(reply + used, text, take);
		used += take;
	}
	serve_one_client(c, "127.0.0.1", reply, sizeof(reply), &random_pieces);
}

/* 1 if this network namespace has ::1 (IPv6 may be disabled). */
static int have_ipv6_loopback(void)
{
	struct sockaddr_in6 addr = {.sin6_family = AF_INET6,
				    .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int ok =
	    fd >= 0 && bind(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0;

	if (fd >= 0)
		close(fd);
	return ok;
}

static void check_client_ipv6(struct hx_check *c)
{
	static const char reply[] = GREETING_START ", ::1 port 40312\n";

	if (!have_ipv6_loopback()) {
		hx_skip(c, "this machine has no IPv6 loopback address (::1)");
		return;
	}
	serve_one_client(c, "::1", reply, strlen(reply), NULL);
}

/* Runs "client host port", which must fail: exit status 2 within
 * timeout_ms and a message on stderr that contains every one of needles
 * (a NULL-terminated list). */
static void expect_client_error(struct hx_check *c, const char *host, int port,
				const char *const *needles, int timeout_ms)
{
	char port_arg[16];
	const char *args[] = {host, port_arg, NULL};
	struct hx_proc *client;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	client = hx_start(c, "client", args);
	if (!client || hx_proc_expect_exit(c, client, 2, timeout_ms) < 0)
		return;
	for (int i = 0; needles[i]; i++)
		if (hx_expect_contains(c, "client's stderr", needles[i],
				       client->err.data) < 0)
			return;
}

static void check_client_refused(struct hx_check *c)
{
	/* The call and its reason ("not connected" must not pass for it). */
	static const char *const needles[] = {"connect", "Connection refused",
					      NULL};

	/* Nothing listens on port 1 of this check. */
	expect_client_error(c, "127.0.0.1", hx_port(c, 1), needles, EXIT_MS);
}

static void check_client_unknown_host(struct hx_check *c)
{
	static const char *const needles[] = {UNKNOWN_HOST, NULL};

	expect_client_error(c, UNKNOWN_HOST, hx_port(c, 0), needles,
			    RESOLVE_MS);
}

/* The rubric: 100 points. */
static const struct sl_check checks[] = {
    {
	.id = "build",
	.title = "server and client build with no warnings under -Wall -Wextra",
	.points = 10,
	.timeout_ms = 60000,
	.programs = "server client",
	.hint =
	    "Read the compiler's messages from the first one down; fix every "
	    "warning too (an unused variable, a missing return, a signed and "
	    "unsigned comparison).",
	.run = NULL,
    },
    {
	.id = "greeting",
	.title = "server greets a client with its exact address and port",
	.points = 14,
	.timeout_ms = 5000,
	.programs = "server",
	.hint =
	    "Send exactly \"Thank you for connecting, ADDRESS port PORT\\n\": "
	    "take ADDRESS and PORT from getpeername on the connected socket "
	    "(not the listening one), turn the address into text with "
	    "inet_ntop and the port into host order with ntohs, send the line "
	    "with writen, then close the connected socket.",
	.run = check_greeting,
    },
    {
	.id = "many-clients",
	.title = "server greets 20 clients in a row",
	.points = 10,
	.timeout_ms = 8000,
	.programs = "server",
	.hint =
	    "Put accept, the greeting and close(connfd) in a loop that runs "
	    "until a stop signal; do not exit or close the listening socket "
	    "after the first client.",
	.run = check_many_clients,
    },
    {
	.id = "restart",
	.title = "server restarts at once on the same port",
	.points = 10,
	.timeout_ms = 8000,
	.programs = "server",
	.hint =
	    "Set SO_REUSEADDR with setsockopt on the listening socket before "
	    "bind: without it, bind fails with \"Address already in use\" "
	    "while "
	    "the last run's connections are in TIME_WAIT. The server must also "
	    "keep serving and exit on SIGTERM.",
	.run = check_restart,
    },
    {
	.id = "reset-client",
	.title = "server survives a client that resets its connection",
	.points = 10,
	.timeout_ms = 6000,
	.programs = "server",
	.hint =
	    "A client may reset before the server greets it: then getpeername "
	    "fails with ENOTCONN and write with EPIPE or ECONNRESET. Log such "
	    "a "
	    "failure, close that connection and go on; ignore SIGPIPE "
	    "(sigaction with SIG_IGN) so a write cannot kill the server.",
	.run = check_reset_client,
    },
    {
	.id = "stop-signal",
	.title = "server exits 0 promptly on SIGTERM and on SIGINT",
	.points = 8,
	.timeout_ms = 6000,
	.programs = "server",
	.hint =
	    "Install a handler for SIGTERM and SIGINT with sigaction and "
	    "sa_flags 0 (no SA_RESTART) that only sets a volatile sig_atomic_t "
	    "flag; when accept fails with EINTR, test the flag, leave the "
	    "loop, "
	    "close the listening socket and return 0 from main.",
	.run = check_stop_signal,
    },
    {
	.id = "server-usage",
	.title = "server rejects bad arguments: usage line, status 1",
	.points = 5,
	.timeout_ms = 8000,
	.programs = "server",
	.hint =
	    "Require exactly one argument and check it with parse_port (a "
	    "whole "
	    "number from 1 to 65535, nothing after it); otherwise print "
	    "\"usage: server PORT\" on stderr and return 1 before any socket "
	    "call. atoi cannot tell \"abc\" from \"0\".",
	.run = check_server_usage,
    },
    {
	.id = "client-pieces",
	.title = "client prints a greeting that arrives byte by byte",
	.points = 8,
	.timeout_ms = 5000,
	.programs = "client",
	.hint =
	    "TCP is a byte stream: one recv returns whatever has arrived, "
	    "maybe "
	    "a single byte. Call recv in a loop, write each piece to stdout "
	    "with writen, and stop only when recv returns 0.",
	.run = check_client_pieces,
    },
    {
	.id = "client-long",
	.title = "client prints a 100 KB reply in many recv calls",
	.points = 8,
	.timeout_ms = 6000,
	.flags = SL_SANITIZE,
	.programs = "client",
	.hint =
	    "Do not collect the reply in a fixed buffer: write each piece recv "
	    "returns to stdout at once with writen, exactly the n bytes it "
	    "returned (no '\\0' after them: buf[n] is past the end when n == "
	    "sizeof(buf)), and loop until recv returns 0.",
	.run = check_client_long,
    },
    {
	.id = "client-ipv6",
	.title = "client connects to an IPv6 literal (::1)",
	.points = 4,
	.timeout_ms = 5000,
	.programs = "client",
	.hint =
	    "Resolve HOST with getaddrinfo and hints.ai_family = AF_UNSPEC; "
	    "create each socket with the family, type and protocol of the "
	    "address you try (ai_family, not AF_INET).",
	.run = check_client_ipv6,
    },
    {
	.id = "client-refused",
	.title = "client reports a refused connection, exit status 2",
	.points = 5,
	.timeout_ms = 4000,
	.programs = "client",
	.hint =
	    "When connect fails for every address getaddrinfo returned, print "
	    "a message naming connect and the reason (strerror(errno)), e.g. "
	    "\"client: connect to 127.0.0.1 port 9: Connection refused\", on "
	    "stderr and return 2.",
	.run = check_client_refused,
    },
    {
	.id = "client-unknown-host",
	.title = "client reports an unknown host, exit status 2",
	.points = 4,
	.timeout_ms = 6000,
	.programs = "client",
	.hint =
	    "When getaddrinfo returns non-zero, print the host and "
	    "gai_strerror(rc) (not perror: getaddrinfo does not set errno), "
	    "e.g. \"client: no-such-host.invalid: Name or service not known\", "
	    "and return 2.",
	.run = check_client_unknown_host,
    },
    {
	.id = "client-usage",
	.title = "client rejects bad arguments: usage line, status 1",
	.points = 4,
	.timeout_ms = 8000,
	.programs = "client",
	.hint =
	    "Require exactly two arguments and check the port with parse_port "
	    "before calling getaddrinfo; otherwise print \"usage: client HOST "
	    "PORT\" on stderr and return 1.",
	.run = check_client_usage,
    },
};

static const struct sl_lab lab02 = {
	.number = "02",
	.name = "tcp-hello",
	.title = "The first TCP server and client: a greeting, wrappers, writen",
	.files = { "server.c", "client.c", "wrappers.c" },
	.given = { "wrappers.h" },
	.programs = {
		{ .name = "server", .sources = { "server.c", "wrappers.c" } },
		{ .name = "client", .sources = { "client.c", "wrappers.c" } },
	},
	.checks = checks,
	.nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab02);
