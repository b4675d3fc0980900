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
#include <dirent.h>
#include <errno.h>
#include <netdb.h>
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

/* 1 if reply has the shape of a greeting: its start, and one final \n. */
static int looks_like_greeting(const struct hx_buf *reply)
{
	size_t start = strlen(GREETING_START);

	return reply->len > start &&
	       memcmp(reply->data, GREETING_START, start) == 0 &&
	       memchr(reply->data, '\n', reply->len) ==
		   reply->data + reply->len - 1;
}

/* A server that ran out of descriptors says so on stderr (EMFILE): name
 * the cause, so the student reads about descriptors before the check's
 * own hint. */
static void note_emfile(struct hx_check *c, struct hx_proc *server)
{
	hx_proc_pump(server, 0);
	if (strstr(server->err.data ? server->err.data : "",
		   "Too many open files"))
		hx_set_cause(c, HX_CAUSE_DESCRIPTORS,
			     "%s: ran out of descriptors (EMFILE) with a limit "
			     "of %d",
			     server->label, server->max_files);
}

/* Connects to the server at host as client number n, reads until the
 * server closes, and checks the reply: byte for byte when exact, else only
 * its shape (the greeting's format is the greeting check's business). */
static int greet_at(struct hx_check *c, const char *host, int port, int n,
		    int exact)
{
	struct sockaddr_in me; /* our end: the address the server must name */
	socklen_t me_len = sizeof(me);
	char want[128], what[64], address[INET_ADDRSTRLEN];
	struct hx_conn conn;
	int rc = -1;

	if (hx_tcp_connect(c, &conn, host, port, IO_MS) < 0)
		return -1;
	if (getsockname(conn.fd, (struct sockaddr *)&me, &me_len) < 0) {
		hx_fail(c, HX_ERROR, "getsockname: %s", strerror(errno));
		goto out_close;
	}
	inet_ntop(AF_INET, &me.sin_addr, address, sizeof(address));
	snprintf(want, sizeof(want), GREETING_START ", %s port %u\n", address,
		 (unsigned)ntohs(me.sin_port));
	snprintf(what, sizeof(what), "reply to client %d (connected to %s)", n,
		 host);
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

/* The same at 127.0.0.1, the address every other check uses. */
static int expect_greeting(struct hx_check *c, int port, int n, int exact)
{
	return greet_at(c, "127.0.0.1", port, n, exact);
}

/* Greets clients first..last in a row; notes how the server ended and
 * names EMFILE when one is not served. */
static int greet_range(struct hx_check *c, struct hx_proc *server, int port,
		       int first, int last)
{
	for (int n = first; n <= last; n++) {
		if (expect_greeting(c, port, n, 0) < 0) {
			hx_note_end(c, server);
			note_emfile(c, server);
			return -1;
		}
	}
	return 0;
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
	stop_quietly(c, server);
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
	stop_quietly(c, server);
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
	expect_port_accepted(c, "server", lowest, "1");
	/* Port 65535 is free only inside the check's own network. */
	if (hx_ok(c) && c->isolated)
		expect_port_accepted(c, "server", highest, "65535");
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
	expect_port_accepted(c, "client", lowest, "1");
	if (hx_ok(c) && c->isolated)
		expect_port_accepted(c, "client", highest, "65535");
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

/* How a harness server ends its reply to the client. */
enum reply_end {
	END_CLOSE, /* a normal close: the client must exit 0 */
	END_RESET  /* a reset: the client must report it and exit 2 */
};

/* Plays the server for one run of the client: listens on 127.0.0.1 (or on
 * ::1 when host is "::1"), starts "client host port", sends reply cut by
 * plan, then closes or resets, and checks what the client printed and its
 * exit status. With one_socket, also counts the client's sockets once it
 * has connected. */
static void serve_one_client(struct hx_check *c, const char *host,
			     const char *reply, size_t len,
			     const struct hx_plan *plan, enum reply_end end,
			     int one_socket)
{
	int port = hx_port(c, 0);
	const char *listen_on = strcmp(host, "::1") == 0 ? "::1" : "127.0.0.1";
	char port_arg[16];
	const char *args[] = {host, port_arg, NULL};
	struct hx_conn listener, conn;
	struct hx_proc *client;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (hx_tcp_listen(c, &listener, listen_on, port) < 0)
		return;
	client = hx_start(c, "client", args);
	if (!client ||
	    wait_for_connection(c, &listener, client, host, port) < 0 ||
	    hx_tcp_accept(c, &listener, &conn, IO_MS) < 0 ||
	    (one_socket && expect_one_socket(c, client) < 0))
		goto out_close_listener;
	if (hx_send(c, &conn, reply, len, plan) < 0) {
		/* Most often the client stopped reading too early. */
		hx_proc_wait(c, client, IO_MS);
		hx_note(c, "the client printed %zu of the %zu bytes sent",
			client->out.len, len);
	}
	if (end == END_RESET)
		hx_reset(c, &conn);
	hx_close(c, &conn);
	if (!hx_ok(c) ||
	    hx_proc_expect_exit(c, client, end == END_RESET ? 2 : 0, IO_MS) < 0)
		goto out_close_listener;
	if (hx_expect_bytes(c, "client's stdout", reply, len, client->out.data,
			    client->out.len) == 0 &&
	    end == END_RESET)
		hx_expect_contains(c, "client's stderr",
				   "Connection reset by peer",
				   client->err.data);
out_close_listener:
	hx_close(c, &listener);
}

static void check_client_pieces(struct hx_check *c)
{
	static const char reply[] = GREETING_START ", 127.0.0.1 port 40312\n";
	/* A pause between bytes, so no single recv can get them all. */
	static const struct hx_plan byte_by_byte = {.split = HX_BYTES,
						    .delay_ms = 2};

	serve_one_client(c, "127.0.0.1", reply, strlen(reply), &byte_by_byte,
			 END_CLOSE, 0);
}

static void check_client_long(struct hx_check *c)
{
	static char reply[LONG_REPLY_BYTES];
	static const struct hx_plan random_pieces = {.split = HX_RANDOM,
						     .max_piece = 4096};
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
	serve_one_client(c, "127.0.0.1", reply, sizeof(reply), &random_pieces,
			 END_CLOSE, 0);
}

static void check_client_localhost(struct hx_check *c)
{
	static const char reply[] = GREETING_START ", 127.0.0.1 port 40312\n";

	/* HX_DUAL_HOST gives ::1 first, where nothing listens. */
	serve_one_client(c, HX_DUAL_HOST, reply, strlen(reply), NULL, END_CLOSE,
			 1);
	if (!hx_ok(c))
		hx_note(c,
			"%s resolves to ::1 first, where nothing listens, "
			"then to 127.0.0.1, where the grader does",
			HX_DUAL_HOST);
}

static void check_client_ipv6(struct hx_check *c)
{
	static const char reply[] = GREETING_START ", ::1 port 40312\n";

	if (!hx_need_ipv6_loopback(c))
		return;
	serve_one_client(c, "::1", reply, strlen(reply), NULL, END_CLOSE, 0);
}

static void check_client_reset(struct hx_check *c)
{
	/* Half a greeting, then a reset: recv returns those bytes, then
	 * fails with ECONNRESET, whenever the client reads. */
	static const char part[] = GREETING_START ", 127.0.0.1";

	serve_one_client(c, "127.0.0.1", part, strlen(part), NULL, END_RESET,
			 0);
}

/* Runs "client host port", which must fail: exit status 2 within
 * timeout_ms and a message on stderr that contains every one of needles
 * (a NULL-terminated list). */
static int expect_client_error(struct hx_check *c, const char *host, int port,
			       const char *const *needles, int timeout_ms)
{
	char port_arg[16], label[96];
	const char *args[] = {host, port_arg, NULL};
	struct hx_proc *client;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	snprintf(label, sizeof(label), "client %s %s", host, port_arg);
	client = hx_start_labelled(c, label, "client", args);
	if (!client || hx_proc_expect_exit(c, client, 2, timeout_ms) < 0)
		return -1;
	for (int i = 0; needles[i]; i++)
		if (hx_expect_contains(c, "client's stderr", needles[i],
				       client->err.data) < 0)
			return -1;
	return 0;
}

static void check_client_refused(struct hx_check *c)
{
	/* The call and its reason ("not connected" must not pass for it). */
	static const char *const needles[] = {"connect", "Connection refused",
					      NULL};

	/* Nothing listens on port 1 of this check: one address, then both
	 * addresses of a name refuse. */
	/* Without ::1 (a container) the name's IPv6 address fails with
	 * EADDRNOTAVAIL, and either reason may be the one reported. */
	static const char *const call_only[] = {"connect", NULL};
	char why[160];

	if (expect_client_error(c, "127.0.0.1", hx_port(c, 1), needles,
				EXIT_MS) == 0)
		expect_client_error(
		    c, HX_DUAL_HOST, hx_port(c, 1),
		    hx_ipv6_loopback(why, sizeof(why)) ? needles : call_only,
		    EXIT_MS);
}

/* The resolver's own words for a name that does not resolve: what
 * gai_strerror says for this sandbox's answer, or for the answers other
 * resolvers give (no such name, no answer, a failure). Returns the one
 * text is found to hold, or NULL. */
static const char *find_resolver_text(const char *text)
{
	static const int codes[] = {EAI_NONAME, EAI_AGAIN, EAI_FAIL,
				    EAI_NODATA};
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM};
	struct addrinfo *list = NULL;
	int rc = getaddrinfo(UNKNOWN_HOST, "80", &hints, &list);

	if (rc == 0)
		freeaddrinfo(list);
	else if (strstr(text, gai_strerror(rc)))
		return gai_strerror(rc);
	for (int i = 0; i < SL_COUNT(codes); i++)
		if (strstr(text, gai_strerror(codes[i])))
			return gai_strerror(codes[i]);
	return NULL;
}

static void check_client_unknown_host(struct hx_check *c)
{
	static const char *const needles[] = {UNKNOWN_HOST, NULL};
	const char *err;

	if (expect_client_error(c, UNKNOWN_HOST, hx_port(c, 0), needles,
				RESOLVE_MS) < 0)
		return;
	/* The host, and the reason in gai_strerror's words. */
	err = c->procs[c->nprocs - 1]->err.data;
	if (!find_resolver_text(err))
		hx_expect_contains(c, "client's stderr",
				   gai_strerror(EAI_NONAME), err);
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
	.title = "server greets a client with its exact address and port, on "
		 "any local address",
	.points = 14,
	.timeout_ms = 5000,
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
	.timeout_ms = 10000,
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
	.timeout_ms = 8000,
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
	.timeout_ms = 8000,
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
	.timeout_ms = 6000,
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
	.timeout_ms = 6000,
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
	.timeout_ms = 5000,
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
	.timeout_ms = 10000,
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
	.timeout_ms = 5000,
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
	.timeout_ms = 8000,
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
	.timeout_ms = 5000,
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
	.points = 4,
	.timeout_ms = 6000,
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
	.id = "client-reset",
	.title = "client reports a server that resets the connection, exit "
		 "status 2",
	.points = 3,
	.timeout_ms = 5000,
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
	.timeout_ms = 10000,
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
	.timeout_ms = 12000,
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
