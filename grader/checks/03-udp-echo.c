/* 03-udp-echo.c - lab 03: datagrams.
 *
 * The server sends every datagram back to its sender, byte for byte; the
 * client sends one datagram, waits for the reply with a timeout, tries
 * again a given number of times, and prints the reply followed by "\n".
 * Server checks play clients with harness UDP sockets on loopback; client
 * checks play the server (or stay silent, or send strays from elsewhere).
 *
 * UDP has no pieces: a datagram arrives whole or not at all. The lab's
 * "input in pieces" checks therefore send several datagrams: the server
 * must echo each on its own (burst), and the client must take the first
 * datagram from the server as the whole reply (client-pieces). The rubric
 * is the table at the end of this file.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../sl_lab.h"

/* Deadlines of single steps, in milliseconds (scaled like all deadlines). */
#define READY_MS   1500 /* a server binds its port */
#define IO_MS	   1500 /* a reply or a request arrives, a client exits */
#define STOP_MS	   1000 /* a server exits after SIGTERM or SIGINT */
#define EXIT_MS	   1500 /* a program exits after bad arguments */
#define RESOLVE_MS 3000 /* the client gives up on an unknown name */

#define LARGEST_DATAGRAM  65507 /* 65535 - 20 (IPv4 header) - 8 (UDP) */
#define BURST		  5	/* datagrams sent back to back */
#define TWO_CLIENT_ROUNDS 3	/* rounds of the two interleaved clients */

/* The client's arguments in client checks, and how its timeouts are set. */
#define MESSAGE	       "hello, server"
#define CLIENT_TIMEOUT "500" /* one try's timeout when a reply comes */
#define SILENT_TIMEOUT 300   /* one try's timeout when none comes */
#define SILENT_RETRIES 2     /* retries asked for in the retries check */
#define UNKNOWN_HOST   "no-such-host.invalid" /* RFC 6761: never resolves */

/* Starts the server on port and waits until its UDP socket is bound. */
#define start_server(c, label, port) \
	hx_start_server_on(c, label, "server", HX_UDP, port, NULL, READY_MS)

/* A harness UDP socket on 127.0.0.1, on port (0: any free port). */
static int open_peer(struct hx_check *c, struct hx_conn *peer, int port)
{
	return hx_udp_open(c, peer, "127.0.0.1", port);
}

/* Waits up to timeout_ms for one datagram on peer (into peer->in, sender
 * in peer->peer) and returns its length. Fails at once, rather than at the
 * deadline, when proc (the program that should send it) ends first. what
 * names the datagram in feedback: "the reply to the empty datagram". */
static long receive_from(struct hx_check *c, struct hx_conn *peer,
			 struct hx_proc *proc, const char *what, int timeout_ms)
{
	char after[128];
	int ready;

	snprintf(after, sizeof(after), "before %s came", what);
	ready = hx_wait_readable(c, peer->fd, proc, after, timeout_ms);
	if (ready == 0)
		return hx_fail(c, HX_TIMEOUT, "%s did not come within %.1f s",
			       what, timeout_ms / 1000.0);
	return ready > 0 ? hx_udp_recv(c, peer, 0) : -1;
}

/* Sends data to the server on port from peer, and requires a reply that
 * is the same bytes. what names the datagram in feedback. */
static int expect_echo(struct hx_check *c, struct hx_proc *server,
		       struct hx_conn *peer, int port, const char *what,
		       const void *data, size_t len)
{
	char label[96];

	snprintf(label, sizeof(label), "the reply to %s", what);
	if (hx_udp_send(c, peer, "127.0.0.1", port, data, len) < 0 ||
	    receive_from(c, peer, server, label, IO_MS) < 0)
		return -1;
	return hx_expect_bytes(c, label, data, len, peer->in.data,
			       peer->in.len);
}

/* Starts the server and requires it to echo one datagram, data, to a
 * fresh peer. */
static void echo_once(struct hx_check *c, const char *what, const void *data,
		      size_t len)
{
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port);
	struct hx_conn peer;

	if (!server || open_peer(c, &peer, 0) < 0)
		return;
	expect_echo(c, server, &peer, port, what, data, len);
	hx_close(c, &peer);
}

static void check_echo(struct hx_check *c)
{
	static const char text[] = "Hello, UDP server! 1 2 3\n";
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port);
	const struct sockaddr_in *from;
	struct hx_conn peer;

	if (!server || open_peer(c, &peer, 0) < 0)
		return;
	if (expect_echo(c, server, &peer, port, "a short text", text,
			strlen(text)) < 0)
		goto out_close;
	/* A client that checks who answered only takes the reply from the
	 * address and port it sent to. */
	from = (const struct sockaddr_in *)&peer.peer;
	if (from->sin_family != AF_INET ||
	    from->sin_addr.s_addr != htonl(INADDR_LOOPBACK) ||
	    ntohs(from->sin_port) != port) {
		char address[INET6_ADDRSTRLEN] = "?";

		if (from->sin_family == AF_INET)
			inet_ntop(AF_INET, &from->sin_addr, address,
				  sizeof(address));
		hx_fail(c, HX_FAIL,
			"the reply came from %s port %u, not from the "
			"server's own address and port, 127.0.0.1 port %d",
			address, (unsigned)ntohs(from->sin_port), port);
	}
out_close:
	hx_close(c, &peer);
}

static void check_two_clients(struct hx_check *c)
{
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port);
	struct hx_conn peers[2];

	if (!server || open_peer(c, &peers[0], 0) < 0)
		return;
	if (open_peer(c, &peers[1], 0) < 0)
		goto out_close;
	/* Each round both send before either reads, so the server always
	 * has datagrams from two senders waiting. The texts of one round
	 * have the same length, so only the address tells them apart. */
	for (int round = 1; round <= TWO_CLIENT_ROUNDS && hx_ok(c); round++) {
		char text[2][48], what[2][48];

		for (int i = 0; i < 2 && hx_ok(c); i++) {
			snprintf(text[i], sizeof(text[i]),
				 "client %c, datagram %d", 'A' + i, round);
			snprintf(what[i], sizeof(what[i]),
				 "client %c's datagram %d", 'A' + i, round);
			hx_udp_send(c, &peers[i], "127.0.0.1", port, text[i],
				    strlen(text[i]));
		}
		for (int i = 0; i < 2 && hx_ok(c); i++) {
			char label[96];

			snprintf(label, sizeof(label), "the reply to %s",
				 what[i]);
			if (receive_from(c, &peers[i], server, label, IO_MS) <
			    0)
				break;
			hx_expect_bytes(c, label, text[i], strlen(text[i]),
					peers[i].in.data, peers[i].in.len);
		}
	}
	hx_close(c, &peers[1]);
out_close:
	hx_close(c, &peers[0]);
}

static void check_empty(struct hx_check *c)
{
	static const char after[] = "and a datagram after the empty one";
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port);
	struct hx_conn peer;

	if (!server || open_peer(c, &peer, 0) < 0)
		return;
	if (expect_echo(c, server, &peer, port, "an empty datagram", "", 0) ==
	    0)
		expect_echo(c, server, &peer, port, "the datagram after it",
			    after, strlen(after));
	hx_close(c, &peer);
}

static void check_largest(struct hx_check *c)
{
	static char data[LARGEST_DATAGRAM];
	size_t used = 0;

	/* Numbered lines, so a cut shows where it happened; no NUL byte,
	 * which is the binary check's business. */
	for (int line = 1; used < sizeof(data); line++) {
		char text[48];
		int n = snprintf(text, sizeof(text),
				 "%05d the largest datagram over IPv4\n", line);
		size_t take = sizeof(data) - used < (size_t)n
				  ? sizeof(data) - used
				  : (size_t)n;

		memcpy(data + used, text, take);
		used += take;
	}
	echo_once(c, "a datagram of 65507 bytes", data, sizeof(data));
}

static void check_binary(struct hx_check *c)
{
	static char data[256 + 8];

	/* A NUL early on, then every byte value once. */
	memcpy(data, "bin\0ary:", 8);
	for (int i = 0; i < 256; i++)
		data[8 + i] = (char)i;
	echo_once(c, "binary bytes", data, sizeof(data));
}

static void check_burst(struct hx_check *c)
{
	/* Longest first: a reply that drags bytes of an earlier, longer
	 * datagram behind it shows at once. */
	static const char *const texts[BURST] = {
	    "the first datagram of five, and the longest one",
	    "the second, shorter",
	    "third",
	    "4",
	    "fifth and last",
	};
	int port = hx_port(c, 0);
	struct hx_proc *server = start_server(c, "server", port);
	struct hx_conn peer;

	if (!server || open_peer(c, &peer, 0) < 0)
		return;
	for (int i = 0; i < BURST && hx_ok(c); i++)
		hx_udp_send(c, &peer, "127.0.0.1", port, texts[i],
			    strlen(texts[i]));
	for (int i = 0; i < BURST && hx_ok(c); i++) {
		char what[64];

		snprintf(what, sizeof(what), "the reply to datagram %d of %d",
			 i + 1, BURST);
		if (receive_from(c, &peer, server, what, IO_MS) < 0)
			break;
		hx_expect_bytes(c, what, texts[i], strlen(texts[i]),
				peer.in.data, peer.in.len);
	}
	hx_close(c, &peer);
}

static void check_stop_signal(struct hx_check *c)
{
	hx_expect_server_stops(c, "server", HX_UDP, hx_port(c, 0), NULL, READY_MS);
}

static void check_server_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},	     {"abc", NULL}, {"0", NULL},
	    {"65536", NULL}, {"80x", NULL}, {"9000", "extra", NULL},
	};

	hx_expect_usage(c, "server", cases, SL_COUNT(cases), EXIT_MS);
}

static void check_client_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"127.0.0.1", NULL},
	    {"127.0.0.1", "9000", NULL},
	    {"", "9000", "hi", NULL},
	    {"127.0.0.1", "abc", "hi", NULL},
	    {"127.0.0.1", "0", "hi", NULL},
	    {"127.0.0.1", "65536", "hi", NULL},
	    {"127.0.0.1", "9000", "hi", "soon", NULL},
	    {"127.0.0.1", "9000", "hi", "0", NULL},
	    {"127.0.0.1", "9000", "hi", "500", "-1", NULL},
	    {"127.0.0.1", "9000", "hi", "500", "2", "extra", NULL},
	};

	hx_expect_usage(c, "client", cases, SL_COUNT(cases), EXIT_MS);
}

/* Sends data from peer to the address of the last datagram peer got. */
static int send_back(struct hx_check *c, struct hx_conn *peer,
		     const struct sockaddr_storage *to, const void *data,
		     size_t len)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)to;
	char address[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &sin->sin_addr, address, sizeof(address));
	return hx_udp_send(c, peer, address, ntohs(sin->sin_port), data, len);
}

/* What the harness, as the server, sends back to the client. */
struct reply_plan {
	const void *reply; /* the reply datagram */
	size_t len;	   /* its length */
	int strays;	   /* 1: datagrams from two other senders come first */
	const char *more;  /* a second datagram right after it, or NULL */
	int exact_request; /* 1: the request must be MESSAGE exactly */
};

/* Plays the server for one run of "client 127.0.0.1 PORT MESSAGE 500 0":
 * receives the request (and compares it with MESSAGE when the plan says
 * so: one check owns that), answers by plan, and requires the client to
 * print the reply and "\n" and exit 0. */
static void serve_client(struct hx_check *c, const struct reply_plan *plan)
{
	/* Longer than any reply, so bytes of it left in a buffer show. */
	static const char stray[] =
	    "a stray datagram from someone who is not the server: ignore it";
	int port = hx_port(c, 0);
	char port_arg[16];
	const char *args[] = {"127.0.0.1",    port_arg, MESSAGE,
			      CLIENT_TIMEOUT, "0",	NULL};
	struct hx_conn server, other_port, other_address;
	struct sockaddr_storage client_addr;
	struct hx_proc *client;
	struct hx_buf want;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (open_peer(c, &server, port) < 0)
		return;
	client = hx_start(c, "client", args);
	if (!client ||
	    receive_from(c, &server, client, "the client's request", IO_MS) <
		0 ||
	    (plan->exact_request &&
	     hx_expect_bytes(c, "the client's request", MESSAGE,
			     strlen(MESSAGE), server.in.data,
			     server.in.len) < 0))
		goto out_close_server;
	client_addr = server.peer;
	if (plan->strays) {
		/* Another port on the server's address, and the server's
		 * port on another address: only both together are the
		 * server. */
		if (open_peer(c, &other_port, 0) < 0)
			goto out_close_server;
		if (hx_udp_open(c, &other_address, "127.0.0.2", port) == 0) {
			send_back(c, &other_port, &client_addr, stray,
				  strlen(stray));
			send_back(c, &other_address, &client_addr, stray,
				  strlen(stray));
			hx_close(c, &other_address);
		}
		hx_close(c, &other_port);
	}
	if (!hx_ok(c) ||
	    send_back(c, &server, &client_addr, plan->reply, plan->len) < 0 ||
	    (plan->more && send_back(c, &server, &client_addr, plan->more,
				     strlen(plan->more)) < 0) ||
	    hx_proc_expect_exit(c, client, 0, IO_MS) < 0)
		goto out_close_server;
	hx_buf_init(&want);
	hx_buf_add(&want, plan->reply, plan->len);
	hx_buf_add(&want, "\n", 1);
	hx_expect_bytes(c, "client's stdout", want.data, want.len,
			client->out.data, client->out.len);
	hx_buf_free(&want);
out_close_server:
	hx_close(c, &server);
}

static void check_client_reply(struct hx_check *c)
{
	/* Not the request: the client must print what came back. */
	static const char reply[] = "Reply from server: " MESSAGE;
	const struct reply_plan plan = {reply, strlen(reply), 0, NULL, 1};

	serve_client(c, &plan);
}

static void check_client_binary(struct hx_check *c)
{
	static const char reply[] = "bin\0ary\r\n\t\xff\x01 end";
	const struct reply_plan plan = {reply, sizeof(reply) - 1, 0, NULL, 0};

	serve_client(c, &plan);
}

static void check_client_pieces(struct hx_check *c)
{
	static const char reply[] = "the reply is this datagram";
	const struct reply_plan plan = {reply, strlen(reply), 0,
					"and not this second one", 0};

	serve_client(c, &plan);
}

static void check_client_stray(struct hx_check *c)
{
	static const char reply[] = "the real reply";
	const struct reply_plan plan = {reply, strlen(reply), 1, NULL, 0};

	serve_client(c, &plan);
}

/* Starts "client 127.0.0.1 PORT MESSAGE SILENT_TIMEOUT retries" against a
 * harness socket on PORT that never answers, counts the datagrams it gets
 * until the client exits, and requires exit status 3, a "no reply"
 * message, nothing on stdout, and a run no shorter than the timeouts. */
static void expect_no_reply(struct hx_check *c, int retries, int count_tries)
{
	int port = hx_port(c, 0);
	int tries = retries + 1;
	int budget = tries * SILENT_TIMEOUT; /* the client's waits, unscaled */
	char port_arg[16], timeout_arg[16], retries_arg[16];
	const char *args[] = {"127.0.0.1", port_arg,	MESSAGE,
			      timeout_arg, retries_arg, NULL};
	int64_t started, deadline = hx_deadline(budget + IO_MS);
	struct hx_conn silent;
	struct hx_proc *client;
	int pidfd, received = 0;
	long waited;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	snprintf(timeout_arg, sizeof(timeout_arg), "%d", SILENT_TIMEOUT);
	snprintf(retries_arg, sizeof(retries_arg), "%d", retries);
	if (open_peer(c, &silent, port) < 0)
		return;
	started = hx_now_ms();
	client = hx_start(c, "client", args);
	if (!client)
		goto out_close;
	/* Take every datagram until the client ends or the deadline; then
	 * what it sent before it ended is still in the socket's queue. */
	pidfd = (int)syscall(SYS_pidfd_open, client->pid, 0);
	for (;;) {
		struct pollfd pfd[2] = {
		    {.fd = silent.fd, .events = POLLIN},
		    {.fd = pidfd, .events = POLLIN},
		};
		int ready = poll(pfd, 2, hx_remaining_ms(deadline));

		if (ready < 0 && errno == EINTR)
			continue;
		if (pfd[0].revents & POLLIN) {
			if (hx_udp_recv(c, &silent, 0) < 0)
				break;
			received++;
			continue;
		}
		if (ready <= 0 || (pfd[1].revents & POLLIN))
			break;
	}
	if (pidfd >= 0)
		close(pidfd);
	if (!hx_ok(c))
		goto out_note;
	waited = (long)(hx_now_ms() - started);
	if (hx_proc_running(client)) {
		hx_fail(c, HX_TIMEOUT,
			"the client was still running after %.1f s, though "
			"its tries should all have timed out after %.1f s",
			waited / 1000.0, budget / 1000.0);
		goto out_note;
	}
	if (hx_proc_expect_exit(c, client, 3, IO_MS) < 0)
		goto out_note;
	if (count_tries) {
		struct pollfd pfd = {.fd = silent.fd, .events = POLLIN};

		while (poll(&pfd, 1, 0) == 1 && hx_udp_recv(c, &silent, 0) >= 0)
			received++;
		if (hx_expect_int(c, "datagrams the server received", tries,
				  received) < 0)
			goto out_note;
	}
	if (hx_expect_contains(c, "client's stderr", "no reply",
			       client->err.data) < 0 ||
	    hx_expect_bytes(c, "client's stdout", "", 0, client->out.data,
			    client->out.len) < 0)
		goto out_note;
	/* A timer never fires early: a client that ends sooner than its
	 * timeouts did not wait for them. */
	if (waited < budget * 8 / 10)
		hx_fail(c, HX_FAIL,
			"the client gave up after %ld ms, before its %d "
			"tries of %d ms could have timed out",
			waited, tries, SILENT_TIMEOUT);
out_note:
	if (!hx_ok(c))
		hx_note(c,
			"the server stayed silent; the client was given %d "
			"%s of %d ms and sent %d datagram%s",
			tries, tries == 1 ? "try" : "tries", SILENT_TIMEOUT,
			received, received == 1 ? "" : "s");
out_close:
	hx_close(c, &silent);
}

static void check_client_timeout(struct hx_check *c)
{
	expect_no_reply(c, 0, 0);
}

static void check_client_retries(struct hx_check *c)
{
	expect_no_reply(c, SILENT_RETRIES, 1);
}

static void check_client_unknown_host(struct hx_check *c)
{
	char port_arg[16];
	const char *args[] = {UNKNOWN_HOST, port_arg, MESSAGE, NULL};
	struct hx_proc *client;

	snprintf(port_arg, sizeof(port_arg), "%d", hx_port(c, 0));
	client = hx_start(c, "client", args);
	if (client && hx_proc_expect_exit(c, client, 2, RESOLVE_MS) == 0)
		hx_expect_contains(c, "client's stderr", UNKNOWN_HOST,
				   client->err.data);
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
		.id = "echo",
		.title = "The server echoes a datagram byte for byte, from its own port, to "
			"its sender",
		.points = 9,
		.timeout_ms = 5000,
		.programs = "server",
		.hint = "Bind one AF_INET, SOCK_DGRAM socket to the port; then n = recvfrom("
			"fd, buf, sizeof buf, 0, &client, &len) and sendto(fd, buf, n, 0, "
			"&client, len) on that same socket: a reply from any other socket "
			"comes from another port, and clients ignore it.",
		.run = check_echo,
	},
	{
		.id = "two-clients",
		.title = "Two clients sending in turn each get their own replies",
		.points = 9,
		.timeout_ms = 8000,
		.programs = "server",
		.hint = "Reply to the address recvfrom filled in for this datagram, and set "
			"len = sizeof client before every recvfrom. Do not connect() the "
			"server's socket: a connected UDP socket takes datagrams from one "
			"address only.",
		.run = check_two_clients,
	},
	{
		.id = "empty",
		.title = "The server echoes an empty datagram as an empty datagram",
		.points = 6,
		.timeout_ms = 5000,
		.programs = "server",
		.hint = "recvfrom returning 0 is an empty datagram, not the end of a "
			"connection (UDP has none): send 0 bytes back with sendto, and only "
			"treat n < 0 as an error.",
		.run = check_empty,
	},
	{
		.id = "largest",
		.title = "The server echoes the largest datagram, 65507 bytes, whole",
		.points = 6,
		.timeout_ms = 5000,
		.programs = "server",
		.hint = "recvfrom cuts a datagram longer than the buffer without a word: "
			"give it a buffer of MAX_DATAGRAM (65507) bytes, static or global "
			"rather than on the stack.",
		.run = check_largest,
	},
	{
		.id = "binary",
		.title = "The server echoes binary bytes, NUL included",
		.points = 6,
		.timeout_ms = 5000,
		.programs = "server",
		.hint = "A datagram is bytes, not a string: send back the n that recvfrom "
			"returned, never strlen(buf), which stops at the first NUL byte.",
		.run = check_binary,
	},
	{
		.id = "burst",
		.title = "Five datagrams sent back to back come back one by one, in order",
		.points = 5,
		.timeout_ms = 5000,
		.programs = "server",
		.hint = "Each datagram is a message of its own: echo exactly the n bytes "
			"of this recvfrom (not strlen of a buffer that still holds bytes of "
			"a longer, earlier datagram).",
		.run = check_burst,
	},
	{
		.id = "stop-signal",
		.title = "The server exits 0 promptly on SIGTERM and SIGINT",
		.points = 6,
		.timeout_ms = 6000,
		.programs = "server",
		.hint = "Install a handler for SIGTERM and SIGINT with sigaction and "
			"sa_flags 0 (no SA_RESTART) that only sets a volatile sig_atomic_t "
			"flag; when recvfrom fails with EINTR, test the flag, leave the "
			"loop, close the socket and return 0 from main.",
		.run = check_stop_signal,
	},
	{
		.id = "server-usage",
		.title = "The server rejects bad arguments with a usage line and status 1",
		.points = 4,
		.timeout_ms = 8000,
		.programs = "server",
		.hint = "Require exactly one argument and check it with parse_number(text, "
			"1, 65535); otherwise print \"usage: server PORT\" on stderr and "
			"return 1 before any socket call. atoi cannot tell \"abc\" from "
			"\"0\".",
		.run = check_server_usage,
	},
	{
		.id = "client-reply",
		.title = "The client sends MESSAGE as one datagram and prints the reply",
		.points = 7,
		.timeout_ms = 5000,
		.programs = "client",
		.hint = "Resolve HOST with getaddrinfo (SOCK_DGRAM), send strlen(MESSAGE) "
			"bytes with sendto (no NUL, no newline), take the reply with "
			"recvfrom and write exactly its n bytes to stdout, then \"\\n\"; "
			"print the reply, not your own message.",
		.run = check_client_reply,
	},
	{
		.id = "client-binary",
		.title = "The client prints a reply holding NUL bytes whole",
		.points = 5,
		.timeout_ms = 5000,
		.programs = "client",
		.hint = "Print the reply with writen(STDOUT_FILENO, buf, n) or fwrite: "
			"printf(\"%s\") and puts stop at the first NUL byte.",
		.run = check_client_binary,
	},
	{
		.id = "client-pieces",
		.title = "The client takes one datagram as the whole reply and stops",
		.points = 4,
		.timeout_ms = 5000,
		.programs = "client",
		.hint = "UDP keeps message boundaries: one recvfrom returns one whole "
			"datagram, and that is the reply. Print it and exit 0; do not keep "
			"reading for more as you would on a TCP stream.",
		.run = check_client_pieces,
	},
	{
		.id = "client-stray",
		.title = "The client ignores datagrams from other senders and prints the "
			"real reply",
		.points = 6,
		.timeout_ms = 5000,
		.programs = "client",
		.hint = "Anyone can send to your port. Compare the address recvfrom fills "
			"in with the server's (family, address and port); skip any other "
			"datagram and recvfrom again. Print only the n bytes of the reply.",
		.run = check_client_stray,
	},
	{
		.id = "client-timeout",
		.title = "The client gives up with status 3 when the server is silent",
		.points = 6,
		.timeout_ms = 5000,
		.programs = "client",
		.hint = "Set a receive timeout with setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, "
			"&tv, sizeof tv), Python's settimeout: recvfrom then fails with "
			"EAGAIN or EWOULDBLOCK. After the last try print \"client: no reply "
			"from HOST port PORT after N tries\" on stderr and return 3.",
		.run = check_client_timeout,
	},
	{
		.id = "client-retries",
		.title = "The client sends MESSAGE 1 + RETRIES times when no reply comes",
		.points = 5,
		.timeout_ms = 6000,
		.programs = "client",
		.hint = "RETRIES counts the tries after the first: loop for (try = 0; try "
			"<= retries; try++), send, wait one timeout, and send again only "
			"when that wait timed out.",
		.run = check_client_retries,
	},
	{
		.id = "client-usage",
		.title = "The client rejects bad arguments with a usage line and status 1",
		.points = 3,
		.timeout_ms = 12000,
		.programs = "client",
		.hint = "Require 3 to 5 arguments, a non-empty HOST, a PORT from 1 to "
			"65535, a TIMEOUT_MS from 1 to 60000 and RETRIES from 0 to 100 "
			"(parse_number), before getaddrinfo; otherwise print \"usage: "
			"client HOST PORT MESSAGE [TIMEOUT_MS [RETRIES]]\" on stderr and "
			"return 1.",
		.run = check_client_usage,
	},
	{
		.id = "client-unknown-host",
		.title = "The client reports an unknown host and exits 2",
		.points = 3,
		.timeout_ms = 6000,
		.programs = "client",
		.hint = "When getaddrinfo returns non-zero, print the host and "
			"gai_strerror(rc) (getaddrinfo does not set errno), e.g. \"client: "
			"no-such-host.invalid: Name or service not known\", and return 2.",
		.run = check_client_unknown_host,
	},
};

static const struct sl_lab lab03 = {
	.number = "03",
	.name = "udp-echo",
	.title = "Datagrams: a UDP echo server, and a client with a timeout and retries",
	.files = { "server.c", "client.c", "udp.c" },
	.given = { "udp.h" },
	.programs = {
		{ .name = "server", .sources = { "server.c", "udp.c" } },
		{ .name = "client", .sources = { "client.c", "udp.c" } },
	},
	.checks = checks,
	.nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab03);
