/* 02-tcp-hello.c - lab 02: the first TCP server and client.
 *
 * The server greets each client with one line,
 *	"Thank you for connecting, ADDRESS port PORT\n",
 * closes the connection and serves the next; the client prints everything
 * it receives until the server closes. Server checks play clients on
 * loopback; client checks play the server. The rubric is the table at the
 * end of this file; grader/checks/rules/02-tcp-hello.md lists every rule
 * of the handout beside the check that exercises it.
 *
 * The helpers count_sockets and note_emfile are local to this lab for now
 * and could move into the harness's probes.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../harness/hx_footprint.h"
#include "../sl_lab.h"

/* Deadlines of single steps, in milliseconds (scaled like all deadlines). */
#define READY_MS   1500 /* a server starts listening */
#define IO_MS	   1500 /* a greeting arrives, a client connects or exits */
#define STOP_MS	   1000 /* a server exits after SIGTERM or SIGINT */
#define EXIT_MS	   1500 /* a program exits after bad arguments */
#define RESOLVE_MS 3000 /* the client gives up on a name that cannot exist */
#define STEP_MS	   2000 /* writen-cases: the writer sleeps or returns */
#define CASES_MS   8000 /* writen-cases: the whole run */

/* Starts the server on port and waits until it listens. */
#define start_server(c, label, port)                                           \
	hx_start_server_on(c, label, "server", HX_TCP, port, NULL, READY_MS)

#define GREETING_START "Thank you for connecting"
#define LAST_CLIENT    20 /* clients in a row: 1 to 20 */
#define FIRST_CLIENTS  8  /* clients before the first descriptor count */
#define RESET_CLIENTS  5  /* clients that reset before their greeting */
/* RLIMIT_NOFILE of the programs: a descriptor leaked per client runs out
 * within 20 clients. */
#define FILES_MAX	 16
#define LONG_REPLY_BYTES 100000			/* many recv calls' worth */
#define UNKNOWN_HOST	 "no-such-host.invalid" /* RFC 6761: never resolves */
#define REPLY_CAP	 4096			/* more than any greeting */

#include "support/02-tcp-hello-greetings.c"

static void check_greeting(struct hx_check *c)
{
	int port = hx_port(c, 0);

	/* Every local IPv4 address is the server's: 127.0.0.2 too. */
	if (start_server(c, "server", port) &&
	    greet_at(c, "127.0.0.1", port, 1, 1) == 0)
		greet_at(c, "127.0.0.2", port, 2, 1);
}

static void check_many_clients(struct hx_check *c)
{
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port);
	int before;

	if (!server)
		return;
	hx_proc_wait_idle(server, READY_MS);
	before = hx_proc_count_fds(server);
	/* Counted before the limit is reached, so a leak is named as one,
	 * then again after all of them. */
	if (greet_range(c, server, port, 1, FIRST_CLIENTS) < 0 ||
	    hx_expect_fds_steady(c, server, before, "8 clients", IO_MS) < 0)
		return;
	if (greet_range(c, server, port, FIRST_CLIENTS + 1, LAST_CLIENT) < 0 ||
	    hx_expect_fds_steady(c, server, before, "20 clients", IO_MS) < 0)
		return;
	/* Memory that grows per client shows in the report at exit. */
	hx_proc_stop_quietly(c, server, STOP_MS);
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

/* One client that connects and resets while the server is paused, so the
 * server always accepts a connection that is already dead: getpeername
 * fails (ENOTCONN) and a write would raise SIGPIPE. The FIN before the
 * reset is what makes even the first write fail with EPIPE and SIGPIPE,
 * not ECONNRESET. Returns 0 while the server runs. */
static int send_reset_client(struct hx_check *c, struct hx_proc *server,
			     int port)
{
	struct hx_conn rude;

	kill(server->pid, SIGSTOP);
	hx_recordf(c, 0, "paused the server (SIGSTOP)");
	if (hx_tcp_connect(c, &rude, "127.0.0.1", port, IO_MS) == 0) {
		hx_shutdown_write(c, &rude);
		hx_reset(c, &rude);
	}
	kill(server->pid, SIGCONT);
	hx_recordf(c, 0, "let the server go on (SIGCONT)");
	if (!hx_ok(c))
		return -1;
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
		if (WIFSIGNALED(server->wait_status) &&
		    WTERMSIG(server->wait_status) == SIGPIPE)
			hx_set_cause(c, HX_CAUSE_SIGPIPE, "%s: %s",
				     server->label, how.data);
		hx_buf_free(&how);
		return -1;
	}
	return 0;
}

static void check_reset_client(struct hx_check *c)
{
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port);
	char what[64];
	int before;

	if (!server)
		return;
	hx_proc_wait_idle(server, READY_MS);
	before = hx_proc_count_fds(server);
	for (int n = 0; n < RESET_CLIENTS; n++)
		if (send_reset_client(c, server, port) < 0)
			return;
	/* The greeting is written before anything is read, so no client can
	 * make the write fail on cue every time: look at the disposition. */
	if (hx_expect_sigpipe_ignored(c, server) < 0)
		return;
	snprintf(what, sizeof(what), "%d clients that had reset",
		 RESET_CLIENTS);
	if (hx_expect_fds_steady(c, server, before, what, IO_MS) < 0)
		return;
	if (expect_greeting(c, port, RESET_CLIENTS + 1, 0) < 0)
		hx_note_end(c, server);
}

static void check_stop_signal(struct hx_check *c)
{
	hx_expect_server_stops(c, "server", HX_TCP, hx_port(c, 0), NULL,
			       READY_MS);
}

static void check_server_stdout(struct hx_check *c)
{
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port);
	struct hx_check quiet; /* the clients' steps: only stdout is judged */

	if (!server)
		return;
	/* A greeting and a failed getpeername, the two lines a log has;
	 * whether they work is other checks' business. */
	hx_quiet_begin(&quiet, c);
	if (expect_greeting(&quiet, port, 1, 0) == 0)
		send_reset_client(&quiet, server, port);
	hx_quiet_end(c, &quiet);
	/* stdio holds what printf wrote to a pipe until exit. */
	hx_proc_stop_quietly(c, server, STOP_MS);
	hx_expect_no_stdout(c, server);
}

static void check_busy_port(struct hx_check *c)
{
	/* The call and its reason. */
	static const char *const needles[] = {"bind", "Address already in use",
					      NULL};
	int port = hx_port(c, 0);
	char port_arg[16];
	const char *args[] = {port_arg, NULL};
	struct hx_conn holder; /* the harness's socket on the port */
	struct hx_proc *server;

	if (hx_tcp_listen(c, &holder, "0.0.0.0", port) < 0)
		return;
	snprintf(port_arg, sizeof(port_arg), "%d", port);
	server = hx_start(c, "server", args);
	if (server && hx_proc_expect_exit(c, server, 2, EXIT_MS) == 0)
		for (int i = 0; needles[i]; i++)
			if (hx_expect_contains(c, "server's stderr", needles[i],
					       server->err.data) < 0)
				break;
	hx_close(c, &holder);
}

static void check_server_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"abc", NULL},
	    {"0", NULL},
	    {"65536", NULL},
	    {"80x", NULL},
	    {"", NULL},
	    {"-1", NULL},
	    {"+8080", NULL},
	    {" 8080", NULL},
	    {"4294967297", NULL},
	    {"8080", "extra", NULL},
	};
	static const char *const lowest[] = {"1", NULL};
	static const char *const highest[] = {"65535", NULL};

	if (hx_expect_usage(c, "server", cases, SL_COUNT(cases), EXIT_MS) < 0)
		return;
	hx_expect_port_accepted(c, "server", lowest, "1", EXIT_MS, STOP_MS);
	/* Port 65535 is free only inside the check's own network. */
	if (hx_ok(c) && c->isolated)
		hx_expect_port_accepted(c, "server", highest, "65535", EXIT_MS,
					STOP_MS);
}

/* Calls the student's writen directly (support/writen_cases.c): short
 * writes and EINTR are made on purpose there, since a fast loopback
 * socket never shows them. */
static void check_writen(struct hx_check *c)
{
	static const struct hx_cases writen = {
	    .program = "writen-cases",
	    .subject = "writen",
	    .failed = "writen does not do what wrappers.h says",
	    .crashed = "look for a pointer moved past the buffer",
	    .code = "writen",
	};
	char step[16];
	const char *args[] = {step, NULL};

	snprintf(step, sizeof(step), "%d", (int)(STEP_MS * hx_timeout_scale()));
	hx_run_cases(c, &writen, args, CASES_MS);
}

static void check_client_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"127.0.0.1", NULL},
	    {"127.0.0.1", "abc", NULL},
	    {"127.0.0.1", "0", NULL},
	    {"127.0.0.1", "65536", NULL},
	    {"127.0.0.1", "+80", NULL},
	    {"127.0.0.1", " 80", NULL},
	    {"127.0.0.1", "4294967297", NULL},
	    {"127.0.0.1", "80", "extra", NULL},
	};
	/* Nothing listens on these ports: a refusal, not a usage error. */
	static const char *const lowest[] = {"127.0.0.1", "1", NULL};
	static const char *const highest[] = {"127.0.0.1", "65535", NULL};

	if (hx_expect_usage(c, "client", cases, SL_COUNT(cases), EXIT_MS) < 0)
		return;
	hx_expect_port_accepted(c, "client", lowest, "1", EXIT_MS, STOP_MS);
	if (hx_ok(c) && c->isolated)
		hx_expect_port_accepted(c, "client", highest, "65535", EXIT_MS,
					STOP_MS);
}

#include "support/02-tcp-hello-client.c"

/* Deadlines of whole checks (scaled like all deadlines). */
#define CHECK_MS      8000  /* most checks */
#define LONG_CHECK_MS 12000 /* many clients, usage, the writen driver */
#define BUILD_MS      60000 /* the build */

/* The rubric: 100 points. */
static const struct sl_check checks[] = {
    {
	.id = "build",
	.title = "server and client build with no warnings under -Wall -Wextra",
	.points = 10,
	.timeout_ms = BUILD_MS,
	.programs = "server client",
	.hint =
	    "Read the compiler's messages from the first one down; fix every "
	    "warning too (an unused variable, a missing return, a signed and "
	    "unsigned comparison).",
	.run = NULL,
    },
    {
	.id = "greeting",
	.title = "server greets a client with its exact address and port, on "
		 "any local address",
	.points = 14,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint =
	    "Send exactly \"Thank you for connecting, ADDRESS port PORT\\n\": "
	    "take ADDRESS and PORT from getpeername on the connected socket "
	    "(not the listening one), turn the address into text with "
	    "inet_ntop and the port into host order with ntohs, send the line "
	    "with writen, then close the connected socket. Bind the listening "
	    "socket to htonl(INADDR_ANY), every local address, not to "
	    "127.0.0.1 alone.",
	.run = check_greeting,
    },
    {
	.id = "many-clients",
	.title = "server greets 20 clients in a row and keeps no descriptor "
		 "or memory of them",
	.points = 8,
	.timeout_ms = LONG_CHECK_MS,
	.flags = SL_SANITIZE | SL_LEAKS,
	.programs = "server",
	.hint =
	    "Put accept, the greeting and close(connfd) in a loop that runs "
	    "until a stop signal; do not exit or close the listening socket "
	    "after the first client. Close every connected socket, and free "
	    "whatever you allocate for a client before the next one.",
	.run = check_many_clients,
    },
    {
	.id = "restart",
	.title = "server restarts at once on the same port",
	.points = 8,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint =
	    "Set SO_REUSEADDR with setsockopt on the listening socket before "
	    "bind: without it, bind fails with \"Address already in use\" "
	    "while the last run's connections are in TIME_WAIT. The server "
	    "must also keep serving and exit on SIGTERM.",
	.run = check_restart,
    },
    {
	.id = "reset-client",
	.title = "server survives clients that reset their connection, and "
		 "closes their sockets",
	.points = 8,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint =
	    "A client may reset before the server greets it: then getpeername "
	    "fails with ENOTCONN and write with EPIPE or ECONNRESET. Log such "
	    "a failure, close that connection (on this path too) and go on; "
	    "ignore SIGPIPE (sigaction with SIG_IGN) so a write cannot kill "
	    "the server.",
	.run = check_reset_client,
    },
    {
	.id = "stop-signal",
	.title = "server exits 0 promptly on SIGTERM and on SIGINT",
	.points = 6,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint =
	    "Install a handler for SIGTERM and SIGINT with sigaction and "
	    "sa_flags 0 (no SA_RESTART) that only sets a volatile sig_atomic_t "
	    "flag; when accept fails with EINTR, test the flag, leave the "
	    "loop, close the listening socket and return 0 from main.",
	.run = check_stop_signal,
    },
    {
	.id = "server-stdout",
	.title = "server writes nothing on stdout: its log goes to stderr",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint =
	    "Write every log line with fprintf(stderr, ...) or perror, never "
	    "printf or puts: stdout is not the server's to use.",
	.run = check_server_stdout,
    },
    {
	.id = "busy-port",
	.title = "server reports a port already in use, exit status 2",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "server",
	.hint =
	    "Check what bind returns (Bind does it for you): when another "
	    "socket listens on the port, bind fails with EADDRINUSE; print "
	    "\"bind: Address already in use\" (err_sys(\"bind\")) and exit 2. "
	    "Without the check, listen picks a random port and the server "
	    "runs where no client will look.",
	.run = check_busy_port,
    },
    {
	.id = "server-usage",
	.title = "server rejects bad arguments: usage line, status 1",
	.points = 4,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "server",
	.hint =
	    "Require exactly one argument and check it with parse_port: "
	    "digits only (no sign, no space), a value from 1 to 65535 (both "
	    "included), read with strtol into a long and compared before any "
	    "conversion to int; otherwise print \"usage: server PORT\" on "
	    "stderr and return 1 before any socket call. atoi cannot tell "
	    "\"abc\" from \"0\".",
	.run = check_server_usage,
    },
    {
	.id = "client-pieces",
	.title = "client prints a greeting that arrives byte by byte",
	.points = 6,
	.timeout_ms = CHECK_MS,
	.programs = "client",
	.hint = "TCP is a byte stream: one recv returns whatever has arrived, "
		"maybe a single byte. Call recv in a loop, write each piece to "
		"stdout with writen, and stop only when recv returns 0.",
	.run = check_client_pieces,
    },
    {
	.id = "client-long",
	.title = "client prints a 100 KB reply in many recv calls, and frees "
		 "what it allocated",
	.points = 6,
	.timeout_ms = CHECK_MS,
	.flags = SL_SANITIZE | SL_LEAKS,
	.programs = "client",
	.hint =
	    "Do not collect the reply in a fixed buffer: write each piece recv "
	    "returns to stdout at once with writen, exactly the n bytes it "
	    "returned (no '\\0' after them: buf[n] is past the end when n == "
	    "sizeof(buf)), and loop until recv returns 0. Call freeaddrinfo "
	    "once you are done with the list getaddrinfo gave you.",
	.run = check_client_long,
    },
    {
	.id = "client-localhost",
	.title = "client tries the next address when the first refuses "
		 "(localhost: ::1, then 127.0.0.1)",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.programs = "client",
	.hint =
	    "getaddrinfo may give several addresses (localhost is ::1 and "
	    "127.0.0.1): try each in order, a socket of its own family, then "
	    "connect; when connect fails, close that socket and go on to the "
	    "next address; stop at the first that connects.",
	.run = check_client_localhost,
    },
    {
	.id = "client-ipv6",
	.title = "client connects to an IPv6 literal (::1)",
	.points = 3,
	.timeout_ms = CHECK_MS,
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
	.points = 4,
	.timeout_ms = CHECK_MS,
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
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "client",
	.hint =
	    "When getaddrinfo returns non-zero, print the host and "
	    "gai_strerror(rc) (not perror: getaddrinfo does not set errno), "
	    "e.g. \"client: no-such-host.invalid: Name or service not known\", "
	    "and return 2.",
	.run = check_client_unknown_host,
    },
    {
	.id = "client-reset",
	.title = "client reports a server that resets the connection, exit "
		 "status 2",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "client",
	.hint = "recv returns -1 when the server resets the connection (errno "
		"ECONNRESET): that is not the end of the greeting. Print the "
		"bytes that came before, then \"client: recv: Connection reset "
		"by peer\" (strerror(errno)) on stderr, and return 2.",
	.run = check_client_reset,
    },
    {
	.id = "client-usage",
	.title = "client rejects bad arguments: usage line, status 1",
	.points = 3,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "client",
	.hint =
	    "Require exactly two arguments and check the port with parse_port "
	    "(digits only, 1 to 65535, both included) before calling "
	    "getaddrinfo; otherwise print \"usage: client HOST PORT\" on "
	    "stderr and return 1.",
	.run = check_client_usage,
    },
    {
	.id = "writen",
	.title = "writen writes every byte through short writes and EINTR",
	.points = 3,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "writen-cases",
	.hint =
	    "write may take only part of the buffer (a signal came after some "
	    "bytes went, or the buffer filled) and returns how many it took; "
	    "or it takes nothing and fails with EINTR. Loop until all n bytes "
	    "are written: add what write returned to the pointer, subtract it "
	    "from what is left, try again on EINTR, and return n. Your writen "
	    "is called here on a socket whose reader is slow, with a signal "
	    "handler installed without SA_RESTART.",
	.run = check_writen,
    },
};

static const struct sl_lab lab02 = {
    .number = "02",
    .name = "tcp-hello",
    .title = "The first TCP server and client: a greeting, wrappers, writen",
    .files = {"server.c", "client.c", "wrappers.c"},
    .given = {"wrappers.h"},
    .programs =
	{
	    {.name = "server", .sources = {"server.c", "wrappers.c"}},
	    {.name = "client", .sources = {"client.c", "wrappers.c"}},
	    {.name = "writen-cases",
	     .sources = {"wrappers.c"},
	     .support = {"writen_cases.c"}},
	},
    .max_files = FILES_MAX,
    .checks = checks,
    .nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab02);
