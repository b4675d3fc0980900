/* 07-chat.c - lab 07: a chat, one-to-one and then a room.
 *
 * Part one: chat-server PORT and chat-client HOST PORT each read the
 * keyboard (stdin) and the socket at once. A line typed is sent with its
 * "\n"; a line received is printed as "peer: TEXT\n" at once; "exit"
 * typed is sent and ends the program, and "exit" received, the peer's
 * close or the end of stdin end it too, with status 0. The checks play
 * the other side: a client for chat-server, a server for chat-client, and
 * type on the program's stdin through its pipe.
 *
 * Part two: room PORT. The first line of a client is its nick; it gets
 * "* welcome NICK\n" and the others "* NICK joined\n"; each later line
 * goes to every other member as "NICK: TEXT\n"; a member that goes is
 * announced as "* NICK left\n". Lines are up to 65536 bytes; a longer one
 * gets "* error: line too long\n". A member that does not read never
 * stalls the others, and is dropped once 1 MiB waits for it. The checks
 * play every member, and clients that leave before their answer; they
 * count the room's descriptors and look at its memory at exit.
 *
 * Every rule of the handout and the check that exercises it:
 * grader/checks/rules/07-chat.md. The rubric is the table at the end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../sl_lab.h"

/* Deadlines of single steps, in milliseconds (scaled like all deadlines). */
#define READY_MS      1500  /* a server starts listening */
#define IO_MS	      1500  /* a line arrives, a program connects or exits */
#define STOP_MS	      1000  /* a server exits after SIGTERM or SIGINT */
#define EXIT_MS	      1500  /* a program exits after bad arguments */
#define SETTLE_MS     300   /* a room that is dying finishes dying */
#define TOOL_READY_MS 15000 /* the room starts under the thread checker */
#define TOOL_IO_MS    8000  /* a line arrives through it */
#define TOOL_STOP_MS  15000 /* it exits and the checker writes its report */

/* Deadlines of whole checks. */
#define CHECK_MS      8000  /* most checks */
#define BUILD_MS      60000 /* the build */
#define LONG_CHECK_MS 20000 /* megabytes through the room */
#define RACE_CHECK_MS 90000 /* the room under the thread checker */

#define FEW_FILES     32	/* RLIMIT_NOFILE of the programs */
#define MESSAGE_MAX   65536	/* the longest line, bytes before its "\n" */
#define NICK_MAX      32	/* the longest nick */
#define OUTBOX_MAX    (1 << 20) /* what may wait for a member */
#define MANY_MEMBERS  20	/* members of the big room */
#define ROUND_LINES   64	/* lines per round of the slow checks */
#define ROUND_LINE    1000	/* bytes per line: 64 KB a round */
#define AFTER_BLOCKED 4		/* rounds sent once a writer is blocked */
#define BEN_RCVBUF                                                             \
	(256 << 10) /* the receive buffer of a member that                     \
		       does not read: fixed, four segments */
#define STILL_MS                                                               \
	300 /* a queue that does not move in that time                         \
	       is stuck */
#define EARLY_DROP_ROUNDS                                                      \
	8 /* rounds (512 KB) in an outbox: too few to                          \
	     drop a member */
#define READER_TOTAL                                                           \
	(OUTBOX_MAX + (128 << 10)) /* sent to a member that                    \
		  reads, in slow-member: past the limit */
#define BURST_LINES  200	   /* lines each of two members sends at once */
#define CHURN_ROUNDS 8		   /* rounds of joins and leaves */

/* ---- part one: the one-to-one chat --------------------------------- */

/* The program under test and the harness's end of its connection. */
struct chat {
	struct hx_proc *proc; /* chat-server or chat-client */
	struct hx_conn conn;  /* the harness plays its peer here */
};

/* The send and receive queues of the TCP socket (IPv4) whose local port
 * is local and remote port remote, from /proc/net/tcp: bytes written and
 * not yet acknowledged, bytes received and not yet read by its program.
 * 0, or -1 when there is no such socket. */
static int tcp_queues(int local, int remote, long *sent, long *unread)
{
	char line[512];
	int found = -1;
	FILE *f = fopen("/proc/net/tcp", "re");

	if (!f)
		return -1;
	while (found < 0 && fgets(line, sizeof(line), f)) {
		unsigned l, r;
		unsigned long tx, rx;

		/* "sl: ADDR:PORT ADDR:PORT st tx_queue:rx_queue ..." */
		if (sscanf(line, "%*d: %*x:%x %*x:%x %*x %lx:%lx", &l, &r, &tx,
			   &rx) == 4 &&
		    (int)l == local && (int)r == remote) {
			*sent = (long)tx;
			*unread = (long)rx;
			found = 0;
		}
	}
	fclose(f);
	return found;
}

/* The ports of conn's two ends (IPv4). 0 or -1. */
static int conn_ports(const struct hx_conn *conn, int *self, int *peer)
{
	struct sockaddr_in a, b;
	socklen_t alen = sizeof(a), blen = sizeof(b);

	if (getsockname(conn->fd, (struct sockaddr *)&a, &alen) < 0 ||
	    getpeername(conn->fd, (struct sockaddr *)&b, &blen) < 0 ||
	    a.sin_family != AF_INET)
		return -1;
	*self = ntohs(a.sin_port);
	*peer = ntohs(b.sin_port);
	return 0;
}

/* Waits until the program p at the other end of conn has read every
 * byte sent on it: acknowledged (on loopback: in its receive queue),
 * then taken out of that queue. What is sent next meets a read of its
 * own, whatever the kernel's timing. Never fails: a program that does
 * not read is judged by what it does. */
static void wait_taken(struct hx_check *c, struct hx_conn *conn,
		       struct hx_proc *p)
{
	int64_t deadline = hx_deadline(IO_MS);
	int self, peer, attempt = 0;

	while (conn_ports(conn, &self, &peer) == 0 &&
	       hx_remaining_ms(deadline) > 0 && hx_proc_running(p)) {
		int unacked = 0;
		long sent, unread = -1;

		if (ioctl(conn->fd, SIOCOUTQ, &unacked) == 0 && unacked == 0 &&
		    tcp_queues(peer, self, &sent, &unread) == 0 && unread == 0)
			break;
		hx_backoff(&attempt, deadline);
	}
	hx_proc_wait_idle(p, IO_MS);
	hx_recordf(c, conn->id, "%s has read all that was sent", p->label);
}

/* Starts chat-server and connects to it as its peer, at address. */
static int open_server_chat_at(struct hx_check *c, struct chat *chat,
			       const char *address)
{
	int port = hx_port(c, 0);

	chat->proc = hx_start_server_on(c, "chat-server", "chat-server", HX_TCP,
					port, NULL, READY_MS);
	if (!chat->proc)
		return -1;
	return hx_tcp_connect(c, &chat->conn, address, port, IO_MS);
}

static int open_server_chat(struct hx_check *c, struct chat *chat)
{
	return open_server_chat_at(c, chat, "127.0.0.1");
}

/* Listens at address as the chat's server, starts "chat-client host
 * PORT", accepts it. */
static int open_client_chat_to(struct hx_check *c, struct chat *chat,
			       const char *address, const char *host)
{
	int port = hx_port(c, 0);
	char port_arg[16], label[96];
	const char *args[] = {host, port_arg, NULL};
	struct hx_conn listener;
	int ready, rc = -1;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	snprintf(label, sizeof(label), "chat-client %s", host);
	if (hx_tcp_listen(c, &listener, address, port) < 0)
		return -1;
	chat->proc = hx_start_labelled(c, label, "chat-client", args);
	if (!chat->proc)
		goto out_close_listener;
	ready = hx_wait_readable(c, listener.fd, chat->proc,
				 "without connecting", IO_MS);
	if (ready == 0)
		hx_fail(c, HX_TIMEOUT,
			"%s did not connect to %s port %d within %.1f s", label,
			address, port, IO_MS / 1000.0);
	else if (ready > 0)
		rc = hx_tcp_accept(c, &listener, &chat->conn, IO_MS);
out_close_listener:
	hx_close(c, &listener);
	return rc;
}

static int open_client_chat(struct hx_check *c, struct chat *chat)
{
	return open_client_chat_to(c, chat, "127.0.0.1", "127.0.0.1");
}

/* Ends a scene: closes the harness's end, kills the program if it still
 * runs; its stderr is left out of the feedback when all went well. */
static void close_chat(struct hx_check *c, struct chat *chat)
{
	hx_close(c, &chat->conn);
	if (hx_proc_running(chat->proc))
		hx_proc_kill(chat->proc);
	chat->proc->accepted = hx_ok(c);
}

/* Runs scene once against chat-server and once against chat-client,
 * each time with a fresh program and connection. */
static void run_both(struct hx_check *c,
		     void (*scene)(struct hx_check *c, struct chat *chat))
{
	static int (*const open[])(struct hx_check *, struct chat *) = {
	    open_server_chat, open_client_chat};

	for (int i = 0; i < 2 && hx_ok(c); i++) {
		struct chat chat;

		if (open[i](c, &chat) < 0)
			return;
		scene(c, &chat);
		close_chat(c, &chat);
	}
}

/* After a line did not show on stdout in time: ends the program (its
 * peer leaves, and it must exit) and looks again. A line that shows
 * only then was held in stdio's buffer: named as late output. */
static void diagnose_unprinted(struct hx_check *c, struct chat *chat,
			       const char *want)
{
	size_t from = chat->proc->out_seen;

	hx_close(c, &chat->conn);
	if (hx_proc_running(chat->proc) &&
	    hx_proc_wait(c, chat->proc, IO_MS) < 0)
		return;
	hx_proc_pump(chat->proc, 0);
	if (chat->proc->out.len > from &&
	    memmem(chat->proc->out.data + from, chat->proc->out.len - from,
		   want, strlen(want)))
		hx_set_cause(c, HX_CAUSE_LATE_OUTPUT,
			     "%s: \"%.*s\" came only when it exited",
			     chat->proc->label, (int)strcspn(want, "\n"), want);
}

/* Requires the program to print exactly want on stdout (after what
 * earlier steps consumed), lines it gets from the socket, at once. */
static int expect_printed(struct hx_check *c, struct chat *chat,
			  const char *want)
{
	size_t start = chat->proc->out_seen;

	if (hx_proc_read_until(c, chat->proc, want, IO_MS) < 0) {
		hx_note(c,
			"%s should print each line received as \"peer: "
			"TEXT\" while nothing is typed on its keyboard",
			chat->proc->label);
		diagnose_unprinted(c, chat, want);
		return -1;
	}
	return hx_expect_bytes(c, "lines printed", want, strlen(want),
			       chat->proc->out.data + start,
			       chat->proc->out_seen - start);
}

/* Requires the harness to receive exactly want (lines), line by line. */
static int expect_received(struct hx_check *c, struct hx_conn *conn,
			   const char *want, const char *what)
{
	while (*want) {
		size_t len = strcspn(want, "\n") + 1;
		long n = hx_recv_until(c, conn, "\n", IO_MS);

		if (n < 0) {
			hx_note(c, "%s: waiting for \"%.*s\"", what,
				(int)len - 1,
				len > 80 ? "(a long line)" : want);
			return -1;
		}
		if (hx_expect_bytes(c, what, want, len, conn->in.data,
				    (size_t)n) < 0)
			return -1;
		hx_consume(conn, (size_t)n);
		want += len;
	}
	return 0;
}

/* Requires the program to send exactly "exit\n", close, and exit 0. */
static int expect_goodbye(struct hx_check *c, struct chat *chat)
{
	if (hx_recv_all(c, &chat->conn, 4096, IO_MS) < 0)
		return -1;
	if (hx_expect_bytes(c, "bytes sent before closing", "exit\n", 5,
			    chat->conn.in.data, chat->conn.in.len) < 0)
		return -1;
	return hx_proc_expect_exit(c, chat->proc, 0, IO_MS);
}

static void scene_peer_message(struct hx_check *c, struct chat *chat)
{
	/* Nothing is typed: stdin stays open and empty all along. */
	if (hx_send_str(c, &chat->conn, "hello there\n", NULL) < 0 ||
	    expect_printed(c, chat, "peer: hello there\n") < 0)
		return;
	if (hx_send_str(c, &chat->conn, "how are you?\n", NULL) == 0)
		expect_printed(c, chat, "peer: how are you?\n");
}

static void check_peer_message(struct hx_check *c)
{
	run_both(c, scene_peer_message);
}

static void scene_typed_line(struct hx_check *c, struct chat *chat)
{
	static const char typed[] = "hello, peer\nsecond line\n";

	if (hx_proc_write(c, chat->proc, typed, strlen(typed), IO_MS) < 0 ||
	    expect_received(c, &chat->conn, typed, "lines typed, as sent") < 0)
		return;
	/* Then both ways: the program must not wait for the keyboard. */
	if (hx_send_str(c, &chat->conn, "got it\n", NULL) < 0 ||
	    expect_printed(c, chat, "peer: got it\n") < 0)
		return;
	if (hx_proc_write(c, chat->proc, "bye for now\n", 12, IO_MS) == 0)
		expect_received(c, &chat->conn, "bye for now\n",
				"line typed after one was received");
}

static void check_typed_line(struct hx_check *c)
{
	run_both(c, scene_typed_line);
}

static void scene_exit_typed(struct hx_check *c, struct chat *chat)
{
	if (hx_proc_write(c, chat->proc, "see you\nexit\n", 13, IO_MS) < 0 ||
	    expect_received(c, &chat->conn, "see you\n", "line typed") < 0)
		return;
	expect_goodbye(c, chat);
}

static void scene_stdin_closed(struct hx_check *c, struct chat *chat)
{
	hx_recordf(c, 0, "closed the stdin of %s", chat->proc->label);
	hx_proc_close_stdin(chat->proc);
	if (expect_goodbye(c, chat) < 0)
		hx_note(c, "the end of stdin (read returns 0, Ctrl-D) ends the "
			   "chat as \"exit\" does");
}

static void check_exit_typed(struct hx_check *c)
{
	run_both(c, scene_exit_typed);
	run_both(c, scene_stdin_closed);
}

static void scene_exit_received(struct hx_check *c, struct chat *chat)
{
	if (hx_send_str(c, &chat->conn, "bye\nexit\n", NULL) < 0 ||
	    expect_printed(c, chat, "peer: bye\n") < 0 ||
	    hx_proc_expect_exit(c, chat->proc, 0, IO_MS) < 0)
		return;
	hx_expect_str(c, "stdout after \"peer: bye\"", "",
		      chat->proc->out.data + chat->proc->out_seen);
}

static void scene_peer_closed(struct hx_check *c, struct chat *chat)
{
	if (hx_send_str(c, &chat->conn, "last words\n", NULL) < 0 ||
	    expect_printed(c, chat, "peer: last words\n") < 0)
		return;
	hx_close(c, &chat->conn);
	hx_proc_expect_exit(c, chat->proc, 0, IO_MS);
}

static void check_exit_peer(struct hx_check *c)
{
	run_both(c, scene_exit_received);
	run_both(c, scene_peer_closed);
}

static void scene_pieces(struct hx_check *c, struct chat *chat)
{
	/* A pause between bytes, so no single read can get them all. */
	static const struct hx_plan byte_by_byte = {
	    .split = HX_BYTES, .max_piece = 0, .delay_ms = 2};

	if (hx_send_str(c, &chat->conn, "split\r\nin pieces\n", &byte_by_byte) <
		0 ||
	    expect_printed(c, chat, "peer: split\npeer: in pieces\n") < 0)
		return;
	/* Two lines in one segment are two lines. */
	if (hx_send_str(c, &chat->conn, "one\ntwo\n", NULL) < 0 ||
	    expect_printed(c, chat, "peer: one\npeer: two\n") < 0)
		return;
	/* Typed in two writes: one line, sent once it is whole. */
	if (hx_proc_write(c, chat->proc, "typed in ", 9, IO_MS) == 0 &&
	    hx_proc_write(c, chat->proc, "two goes\n", 9, IO_MS) == 0)
		expect_received(c, &chat->conn, "typed in two goes\n",
				"line typed in two pieces");
}

static void check_chat_pieces(struct hx_check *c)
{
	run_both(c, scene_pieces);
}

/* A line of len bytes of fill and its "\n", in a buffer of size bytes;
 * with a prefix (NULL: none) before it. */
static const char *long_line(char *buf, size_t size, const char *prefix,
			     int fill, size_t len)
{
	size_t start = prefix ? strlen(prefix) : 0;

	if (start + len + 2 > size)
		len = size - start - 2;
	memcpy(buf, prefix ? prefix : "", start);
	memset(buf + start, fill, len);
	buf[start + len] = '\n';
	buf[start + len + 1] = '\0';
	return buf;
}

/* Waits (IO_MS) until the program's stderr holds more than before
 * bytes: it said something about what it dropped. */
static int expect_said(struct hx_check *c, struct chat *chat, size_t before,
		       const char *what)
{
	int64_t deadline = hx_deadline(IO_MS);

	do
		hx_proc_pump(chat->proc, 10);
	while (chat->proc->err.len == before && hx_remaining_ms(deadline) > 0);
	if (chat->proc->err.len > before)
		return 0;
	return hx_fail(c, HX_FAIL, "%s dropped %s without a word on stderr",
		       chat->proc->label, what);
}

static void scene_long(struct hx_check *c, struct chat *chat)
{
	static char line[MESSAGE_MAX + 64], want[MESSAGE_MAX + 64];
	size_t before;

	/* Exactly the limit, each way: whole. The line arrives first, read
	 * by the program before its "\n" comes. */
	long_line(line, sizeof(line), NULL, 'p', MESSAGE_MAX);
	if (hx_send(c, &chat->conn, line, MESSAGE_MAX, NULL) < 0)
		return;
	wait_taken(c, &chat->conn, chat->proc);
	if (hx_send_str(c, &chat->conn, "\n", NULL) < 0 ||
	    expect_printed(
		c, chat,
		long_line(want, sizeof(want), "peer: ", 'p', MESSAGE_MAX)) < 0)
		return;
	long_line(line, sizeof(line), NULL, 't', MESSAGE_MAX);
	if (hx_proc_write(c, chat->proc, line, strlen(line), IO_MS) < 0 ||
	    expect_received(c, &chat->conn, line, "a typed line of 64 KiB") < 0)
		return;
	/* One byte over, each way: dropped, said on stderr, and the next
	 * line goes through. */
	hx_proc_pump(chat->proc, 0);
	before = chat->proc->err.len;
	long_line(line, sizeof(line), NULL, 'q', MESSAGE_MAX + 1);
	if (hx_send_str(c, &chat->conn, line, NULL) < 0 ||
	    hx_send_str(c, &chat->conn, "after it\n", NULL) < 0 ||
	    expect_printed(c, chat, "peer: after it\n") < 0 ||
	    expect_said(c, chat, before, "a line over 64 KiB it received") < 0)
		return;
	before = chat->proc->err.len;
	long_line(line, sizeof(line), NULL, 'u', MESSAGE_MAX + 1);
	if (hx_proc_write(c, chat->proc, line, strlen(line), IO_MS) < 0 ||
	    hx_proc_write(c, chat->proc, "typed after it\n", 15, IO_MS) < 0 ||
	    expect_received(c, &chat->conn, "typed after it\n",
			    "the line typed after one over 64 KiB") < 0)
		return;
	expect_said(c, chat, before, "a line over 64 KiB typed");
}

static void check_chat_long(struct hx_check *c)
{
	run_both(c, scene_long);
}

/* 1 if a connection to 127.0.0.1 port is refused (nothing listens). */
static int port_refuses(int port)
{
	struct sockaddr_in addr = {.sin_family = AF_INET,
				   .sin_port = htons((uint16_t)port),
				   .sin_addr = {htonl(INADDR_LOOPBACK)}};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int refused;

	if (fd < 0)
		return 0;
	/* on loopback a connect is answered at once, either way */
	refused = connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 &&
		  errno == ECONNREFUSED;
	close(fd);
	return refused;
}

/* One line each way, then the harness leaves. */
static int talk_once(struct hx_check *c, struct chat *chat)
{
	if (hx_send_str(c, &chat->conn, "can you hear me?\n", NULL) < 0 ||
	    expect_printed(c, chat, "peer: can you hear me?\n") < 0 ||
	    hx_proc_write(c, chat->proc, "loud and clear\n", 15, IO_MS) < 0)
		return -1;
	return expect_received(c, &chat->conn, "loud and clear\n",
			       "line typed");
}

/* Descriptors the chat's program holds once it waits in poll. */
static int chat_fds(struct chat *chat)
{
	hx_proc_wait_idle(chat->proc, IO_MS);
	return hx_proc_count_fds(chat->proc);
}

static void check_chat_connect(struct hx_check *c)
{
	struct chat chat;
	int one_address, two_addresses;

	/* An IPv6 literal: one address. */
	if (open_client_chat_to(c, &chat, "::1", "::1") < 0)
		return;
	one_address = chat_fds(&chat);
	talk_once(c, &chat);
	close_chat(c, &chat);
	/* "localhost": ::1 first, where nothing listens, then 127.0.0.1. */
	if (!hx_ok(c))
		return;
	if (open_client_chat_to(c, &chat, "127.0.0.1", HX_DUAL_HOST) < 0) {
		hx_note(c,
			"\"%s\" resolves to ::1 (refused) and 127.0.0.1 "
			"(listening): try each address getaddrinfo gives",
			HX_DUAL_HOST);
		return;
	}
	two_addresses = chat_fds(&chat);
	if (two_addresses > one_address)
		hx_fail(c, HX_FAIL,
			"chat-client connected to %s holds %d descriptors, "
			"one connected to ::1 holds %d: the socket whose "
			"connect failed (::1) was not closed before the next "
			"address was tried",
			HX_DUAL_HOST, two_addresses, one_address);
	else
		talk_once(c, &chat);
	close_chat(c, &chat);
	/* chat-server listens on every IPv4 address, and only until its
	 * one peer has come. */
	if (!hx_ok(c) || open_server_chat_at(c, &chat, "127.0.0.2") < 0)
		return;
	if (talk_once(c, &chat) == 0 && !port_refuses(hx_port(c, 0)))
		hx_fail(c, HX_FAIL,
			"chat-server still accepts connections on port %d "
			"once its peer is there: close the listening socket "
			"after accept",
			hx_port(c, 0));
	close_chat(c, &chat);
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

/* "program PORT" with PORT at a limit (1, 65535) is no usage error: the
 * server listens (and is stopped), or bind fails (status 2: a port under
 * 1024 needs a privilege the sandbox's user lacks). */
static int expect_port_valid(struct hx_check *c, const char *program, int port)
{
	int64_t deadline = hx_deadline(EXIT_MS);
	char port_arg[16], label[64];
	const char *args[] = {port_arg, NULL};
	struct hx_proc *p;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	snprintf(label, sizeof(label), "%s %d", program, port);
	p = hx_start_labelled(c, label, program, args);
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

/* Starts program with args (label for feedback) and requires exit 2 and
 * needle on its stderr. */
static int expect_runtime_error(struct hx_check *c, const char *label,
				const char *program, const char *const *args,
				const char *needle)
{
	struct hx_proc *p = hx_start_labelled(c, label, program, args);
	char what[128];

	if (!p || hx_proc_expect_exit(c, p, 2, EXIT_MS) < 0)
		return -1;
	snprintf(what, sizeof(what), "stderr of %s", label);
	return hx_expect_contains(c, what, needle, p->err.data);
}

static void check_chat_usage(struct hx_check *c)
{
	static const char *const server_cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},	     {"abc", NULL},   {"0", NULL},
	    {"65536", NULL}, {"-1", NULL},    {"+9000", NULL},
	    {" 9000", NULL}, {"9000x", NULL}, {"9000", "extra", NULL},
	};
	static const char *const client_cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"127.0.0.1", NULL},
	    {"127.0.0.1", "abc", NULL},
	    {"127.0.0.1", "0", NULL},
	    {"127.0.0.1", "65536", NULL},
	    {"127.0.0.1", "+9000", NULL},
	    {"127.0.0.1", "9000", "extra", NULL},
	};
	static const char *const port_one[] = {"127.0.0.1", "1", NULL};
	static const char *const port_max[] = {"127.0.0.1", "65535", NULL};
	char port_arg[16];
	const char *refused[] = {"127.0.0.1", port_arg, NULL};
	const char *unknown[] = {"no-such-host.invalid", port_arg, NULL};
	const char *busy[] = {port_arg, NULL};
	struct hx_conn taken;

	if (hx_expect_usage(c, "chat-server", server_cases,
			    SL_COUNT(server_cases), EXIT_MS) < 0 ||
	    hx_expect_usage(c, "chat-client", client_cases,
			    SL_COUNT(client_cases), EXIT_MS) < 0)
		return;
	/* The ports at the limits are ports: refused there, not a usage
	 * error. */
	if (expect_runtime_error(c, "chat-client 127.0.0.1 1", "chat-client",
				 port_one, "connect") < 0 ||
	    expect_runtime_error(c, "chat-client 127.0.0.1 65535",
				 "chat-client", port_max, "connect") < 0 ||
	    expect_port_valid(c, "chat-server", 1) < 0 ||
	    expect_port_valid(c, "chat-server", 65535) < 0)
		return;
	/* No one listens there, or the name does not exist: runtime
	 * errors naming the call or the host. */
	snprintf(port_arg, sizeof(port_arg), "%d", hx_port(c, 1));
	if (expect_runtime_error(c, "chat-client (refused)", "chat-client",
				 refused, "connect") < 0 ||
	    expect_runtime_error(c, "chat-client no-such-host.invalid",
				 "chat-client", unknown,
				 "no-such-host.invalid") < 0)
		return;
	/* A port someone listens on already: bind fails. */
	if (hx_tcp_listen(c, &taken, "0.0.0.0", hx_port(c, 1)) < 0)
		return;
	expect_runtime_error(c, "chat-server on a busy port", "chat-server",
			     busy, "bind");
	hx_close(c, &taken);
}

/* ---- part two: the room ------------------------------------------- */

/* One member, played by the harness. */
struct member {
	const char *nick;    /* its nick */
	struct hx_conn conn; /* its connection to the room */
};

/* The room of the running check (each check runs in a process of its
 * own, and starts one room at a time). */
static struct hx_proc *room_under_test;

/* Starts the room on port, natively or under a Valgrind tool. */
static struct hx_proc *start_room(struct hx_check *c, const char *tool)
{
	int port = hx_port(c, 0);
	char port_arg[16];
	const char *args[] = {port_arg, NULL};
	struct hx_spawn spawn = {
	    .label = tool ? "room (under the thread checker)" : "room",
	    .program = "room",
	    .args = args,
	    .tool = tool,
	};
	struct hx_proc *room;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	room = hx_start_with(c, &spawn);
	if (!room || hx_wait_ready(c, room, HX_TCP, port,
				   tool ? TOOL_READY_MS : READY_MS) < 0)
		return NULL;
	room_under_test = room;
	return room;
}

/* A room that died while a check failed is given a moment to finish
 * dying: its connections close before the process is gone, and one
 * reaped only after the harness killed it could not be named for its
 * signal (SIGPIPE) in the diagnosis. */
static void settle_room(struct hx_check *c)
{
	int64_t deadline = hx_deadline(SETTLE_MS);

	if (hx_ok(c) || !room_under_test)
		return;
	while (hx_proc_running(room_under_test) &&
	       hx_remaining_ms(deadline) > 0)
		hx_pause(10);
}

/* Every room check: its steps, then settle_room. */
#define ROOM_CHECK(name)                                                       \
	static void name##_steps(struct hx_check *c);                          \
	static void name(struct hx_check *c)                                   \
	{                                                                      \
		name##_steps(c);                                               \
		settle_room(c);                                                \
	}                                                                      \
	static void name##_steps(struct hx_check *c)

/* Sends sig to the room once it is idle and requires exit 0 within
 * timeout_ms; a death by a signal is named as its cause. */
static int stop_room(struct hx_check *c, struct hx_proc *room, int sig,
		     int timeout_ms)
{
	if (hx_proc_signal_exit(c, room, sig, timeout_ms) == 0)
		return 0;
	if (room->exited && WIFSIGNALED(room->wait_status) &&
	    WTERMSIG(room->wait_status) == SIGPIPE)
		hx_set_cause(c, HX_CAUSE_SIGPIPE,
			     "%s: killed by SIGPIPE while it stopped",
			     room->label);
	return -1;
}

/* Stops the room with SIGTERM and waits (STOP_MS) for it to exit,
 * without judging how: stop-signal does. */
static void stop_room_quietly(struct hx_check *c, struct hx_proc *room)
{
	int64_t deadline = hx_deadline(STOP_MS);

	hx_proc_wait_idle(room, IO_MS);
	hx_recordf(c, 0, "stopping %s (SIGTERM)", room->label);
	room->stopped_by_harness = 1;
	kill(room->pid, SIGTERM);
	while (hx_proc_running(room) && hx_remaining_ms(deadline) > 0)
		hx_proc_pump(room, 20);
	hx_proc_pump(room, 0);
}

/* Receives the next line of m and requires it to be want. */
static int expect_line_within(struct hx_check *c, struct member *m,
			      const char *want, int timeout_ms)
{
	char what[96];
	long n = hx_recv_until(c, &m->conn, "\n", timeout_ms);

	snprintf(what, sizeof(what), "next line to %s", m->nick);
	if (n < 0) {
		hx_fail_show(c, want, strlen(want), NULL, 0);
		hx_note(c, "%s was waiting for \"%.*s\"", m->nick,
			(int)strcspn(want, "\n"), want);
		return -1;
	}
	if (hx_expect_bytes(c, what, want, strlen(want), m->conn.in.data,
			    (size_t)n) < 0)
		return -1;
	hx_consume(&m->conn, (size_t)n);
	return 0;
}

static int expect_line(struct hx_check *c, struct member *m, const char *want)
{
	return expect_line_within(c, m, want, IO_MS);
}

/* Connects m, sends its nick line (nick and eol) cut by plan and
 * requires the welcome. */
static int connect_member_eol(struct hx_check *c, struct member *m,
			      const char *eol, const struct hx_plan *plan,
			      int timeout_ms)
{
	char line[96];

	if (hx_tcp_connect(c, &m->conn, "127.0.0.1", hx_port(c, 0), IO_MS) < 0)
		return -1;
	snprintf(line, sizeof(line), "%s%s", m->nick, eol);
	if (hx_send_str(c, &m->conn, line, plan) < 0)
		return -1;
	snprintf(line, sizeof(line), "* welcome %s\n", m->nick);
	return expect_line_within(c, m, line, timeout_ms);
}

static int connect_member(struct hx_check *c, struct member *m,
			  const struct hx_plan *plan, int timeout_ms)
{
	return connect_member_eol(c, m, "\n", plan, timeout_ms);
}

/* Requires each member of list[0..n-1] still connected but skip to get
 * the line want. */
static int expect_all_but(struct hx_check *c, struct member *list, int n,
			  const struct member *skip, const char *want,
			  int timeout_ms)
{
	for (int i = 0; i < n; i++)
		if (&list[i] != skip && list[i].conn.fd >= 0 &&
		    expect_line_within(c, &list[i], want, timeout_ms) < 0)
			return -1;
	return 0;
}

/* Joins list[count] to a room whose members are list[0..count-1], who
 * must each be told "* NICK joined". */
static int join_within(struct hx_check *c, struct member *list, int count,
		       int timeout_ms)
{
	char notice[96];

	if (connect_member(c, &list[count], NULL, timeout_ms) < 0)
		return -1;
	snprintf(notice, sizeof(notice), "* %s joined\n", list[count].nick);
	if (expect_all_but(c, list, count, NULL, notice, timeout_ms) < 0)
		return -1;
	hx_proc_wait_idle(room_under_test, timeout_ms);
	return 0;
}

/* Joins the first n members of list, one after another. */
static int join_all(struct hx_check *c, struct member *list, int n)
{
	for (int i = 0; i < n; i++)
		if (join_within(c, list, i, IO_MS) < 0)
			return -1;
	return 0;
}

/* m says text (lines, each with its "\n") cut by plan; every other member
 * of list must get each line as "NICK: TEXT", in order. */
static int say(struct hx_check *c, struct member *list, int n, struct member *m,
	       const char *text, const struct hx_plan *plan, int timeout_ms)
{
	char want[256];

	if (hx_send_str(c, &m->conn, text, plan) < 0)
		return -1;
	for (const char *line = text; *line;) {
		size_t len = strcspn(line, "\r\n");

		snprintf(want, sizeof(want), "%s: %.*s\n", m->nick, (int)len,
			 line);
		if (expect_all_but(c, list, n, m, want, timeout_ms) < 0)
			return -1;
		line += len;
		line += strspn(line, "\r\n");
	}
	hx_proc_wait_idle(room_under_test, timeout_ms);
	return 0;
}

/* m leaves, with a close or (reset set) a reset, and the others in list
 * must be told "* NICK left". */
static int leave_by(struct hx_check *c, struct member *list, int n,
		    struct member *m, int reset, int timeout_ms)
{
	char notice[96];

	if (reset)
		hx_reset(c, &m->conn);
	else
		hx_close(c, &m->conn);
	snprintf(notice, sizeof(notice), "* %s left\n", m->nick);
	if (expect_all_but(c, list, n, m, notice, timeout_ms) < 0)
		return -1;
	hx_proc_wait_idle(room_under_test, timeout_ms);
	return 0;
}

static int leave(struct hx_check *c, struct member *list, int n,
		 struct member *m, int timeout_ms)
{
	return leave_by(c, list, n, m, 0, timeout_ms);
}

/* Connects, sends first (a nick line), and requires the reply want and
 * then the room's close. */
static int expect_refused(struct hx_check *c, const char *first,
			  const char *want)
{
	struct hx_conn conn;
	int rc = -1;

	if (hx_tcp_connect(c, &conn, "127.0.0.1", hx_port(c, 0), IO_MS) < 0)
		return -1;
	if (hx_send_str(c, &conn, first, NULL) == 0 &&
	    hx_recv_all(c, &conn, 4096, IO_MS) == 0)
		rc = hx_expect_bytes(c, "the room's answer, then its close",
				     want, strlen(want), conn.in.data,
				     conn.in.len);
	hx_close(c, &conn);
	return rc;
}

ROOM_CHECK(check_relay_order)
{
	static const struct hx_plan random_pieces = {
	    .split = HX_RANDOM, .max_piece = 6, .delay_ms = 1};
	struct member list[] = {
	    {.nick = "ana"}, {.nick = "ben"}, {.nick = "cleo"}};
	char text[256];
	size_t used = 0;

	if (!start_room(c, NULL) || join_all(c, list, 3) < 0)
		return;
	for (int i = 1; i <= 10; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used,
					 "line %d of ten\n", i);
	if (say(c, list, 3, &list[0], text, NULL, IO_MS) < 0)
		return;
	say(c, list, 3, &list[2], "first\nsecond\nthird\n", &random_pieces,
	    IO_MS);
}

ROOM_CHECK(check_no_echo)
{
	struct member list[] = {
	    {.nick = "ana"}, {.nick = "ben"}, {.nick = "cleo"}};

	if (!start_room(c, NULL) || join_all(c, list, 3) < 0 ||
	    say(c, list, 3, &list[0], "one\ntwo\n", NULL, IO_MS) < 0 ||
	    say(c, list, 3, &list[1], "three\n", NULL, IO_MS) < 0)
		return;
	/* Had ana been sent her own lines, they would have come first. */
	say(c, list, 3, &list[2], "four\n", NULL, IO_MS);
}

ROOM_CHECK(check_notices)
{
	struct member list[] = {{.nick = "ana"},
				{.nick = "ben"},
				{.nick = "cleo"},
				{.nick = "dan"}};
	struct hx_proc *room = start_room(c, NULL);

	if (!room || join_all(c, list, 3) < 0 ||
	    leave(c, list, 3, &list[1], IO_MS) < 0)
		return;
	/* The room goes on without ben, and lets a newcomer in. */
	if (join_within(c, list, 3, IO_MS) < 0 ||
	    say(c, list, 4, &list[3], "hi all\n", NULL, IO_MS) < 0 ||
	    leave(c, list, 4, &list[0], IO_MS) < 0)
		return;
	/* It logged all that on stderr, and nothing on stdout (stdio keeps
	 * what it prints on a pipe until it exits). */
	stop_room_quietly(c, room);
	hx_expect_no_stdout(c, room);
}

ROOM_CHECK(check_vanish)
{
	struct member list[] = {
	    {.nick = "ana"}, {.nick = "ben"}, {.nick = "cleo"}};

	if (!start_room(c, NULL) || join_all(c, list, 3) < 0 ||
	    say(c, list, 3, &list[1], "brb\n", NULL, IO_MS) < 0)
		return;
	/* ben resets: the room's recv fails with ECONNRESET. */
	if (leave_by(c, list, 3, &list[1], 1, IO_MS) < 0)
		return;
	say(c, list, 3, &list[0], "still here\n", NULL, IO_MS);
}

/* ---- members that do not read -------------------------------------- */

/* One line of a round: round r, line i, ROUND_LINE bytes before the
 * "\n" (the room adds the prefix "ana: "). */
static void round_line(char *buf, int round, int i)
{
	int n = snprintf(buf, ROUND_LINE + 2, "round %d line %d ", round, i);

	memset(buf + n, '.', (size_t)(ROUND_LINE - n));
	buf[ROUND_LINE] = '\n';
	buf[ROUND_LINE + 1] = '\0';
}

/* talker sends round r, ROUND_LINES lines in one send. */
static int send_round(struct hx_check *c, struct member *talker, int r)
{
	static char text[ROUND_LINES * (ROUND_LINE + 1) + 2];
	size_t used = 0;

	for (int i = 0; i < ROUND_LINES; i++) {
		round_line(text + used, r, i);
		used += ROUND_LINE + 1;
	}
	return hx_send(c, &talker->conn, text, used, NULL);
}

/* m receives round r of talker, every line in order. The notice
 * "* NICK left" of the member gone (NULL: none expected) may come
 * between them, once: *left is then set. */
static int expect_round(struct hx_check *c, struct member *m,
			const struct member *talker, int r, const char *gone,
			int *left)
{
	char line[ROUND_LINE + 2], want[ROUND_LINE + 64], notice[96];

	snprintf(notice, sizeof(notice), "* %s left\n", gone ? gone : "");
	for (int i = 0; i < ROUND_LINES; i++) {
		long n = hx_recv_until(c, &m->conn, "\n", IO_MS);

		if (n < 0) {
			hx_note(c, "%s got %d of the %d lines of round %d",
				m->nick, i, ROUND_LINES, r + 1);
			return -1;
		}
		if (gone && !*left && (size_t)n == strlen(notice) &&
		    memcmp(m->conn.in.data, notice, (size_t)n) == 0) {
			*left = 1;
			hx_consume(&m->conn, (size_t)n);
			i--;
			continue;
		}
		round_line(line, r, i);
		snprintf(want, sizeof(want), "%s: %s", talker->nick, line);
		if (hx_expect_bytes(c, "next line", want, strlen(want),
				    m->conn.in.data, (size_t)n) < 0)
			return -1;
		hx_consume(&m->conn, (size_t)n);
	}
	return 0;
}

/* The last number of a /proc/sys file ("4096 16384 4194304"), or def. */
static long sysctl_last(const char *path, long def)
{
	char text[128];
	FILE *f = fopen(path, "re");
	long value = def;

	if (f && fgets(text, sizeof(text), f)) {
		char *last = strrchr(text, '\t');

		value = strtol(last ? last + 1 : text, NULL, 10);
	}
	if (f)
		fclose(f);
	return value > 0 ? value : def;
}

/* What the kernel holds for m: bytes the room wrote on m's connection
 * that m has not read, in the room's send queue and in m's receive
 * queue; -1 when it cannot be seen. */
static long queued_for(struct member *m)
{
	int self, peer, unread = 0;
	long sent, room_unread;

	if (conn_ports(&m->conn, &self, &peer) < 0 ||
	    ioctl(m->conn.fd, SIOCINQ, &unread) < 0 ||
	    tcp_queues(peer, self, &sent, &room_unread) < 0)
		return -1;
	return sent + unread;
}

/* The three members of the slow checks: ana talks, ben reads nothing,
 * cleo reads all. */
enum { ANA, BEN, CLEO };

/* What fill_until_blocked found. */
struct filled {
	int rounds;  /* rounds sent */
	int dropped; /* 1: ben was dropped meanwhile (his "left" came) */
};

/* ana talks in rounds while ben reads nothing, until what the kernel
 * holds for ben stops growing: the room's writer for ben is then blocked
 * in write, and what ben is sent from now on waits in his outbox (or the
 * kernel grows its buffers, which only makes the outbox smaller). ben's
 * receive buffer is fixed (one the kernel may grow would take megabytes),
 * and a pause that is only a pause (the kernel's window probes come every
 * 200 ms) is told apart by waiting longer. cleo must get every line; ben
 * may be dropped meanwhile once 1 MiB was sent. 0, or -1 after a
 * failure. */
static int fill_until_blocked(struct hx_check *c, struct member *list,
			      struct filled *out)
{
	long max = sysctl_last("/proc/sys/net/ipv4/tcp_wmem", 4 << 20);
	int max_rounds =
	    (int)((max + 2 * OUTBOX_MAX) / (ROUND_LINES * ROUND_LINE));
	int rcvbuf = BEN_RCVBUF;
	long last = -1;

	out->rounds = out->dropped = 0;
	if (setsockopt(list[BEN].conn.fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		       sizeof(rcvbuf)) < 0)
		return hx_fail(c, HX_ERROR, "setsockopt SO_RCVBUF: %s",
			       strerror(errno));
	hx_recordf(c, 0,
		   "ben stops reading; ana talks until the room's "
		   "writes to ben block");
	while (out->rounds < max_rounds) {
		int r = out->rounds++;
		long now;

		if (send_round(c, &list[ANA], r) < 0 ||
		    expect_round(c, &list[CLEO], &list[ANA], r, "ben",
				 &out->dropped) < 0)
			return -1;
		if (out->dropped &&
		    out->rounds * ROUND_LINES * ROUND_LINE <= OUTBOX_MAX)
			return hx_fail(c, HX_FAIL,
				       "ben was dropped after %d KB were sent "
				       "to him in all: a member is dropped "
				       "only once more than 1 MiB waits for "
				       "it",
				       out->rounds * ROUND_LINES * ROUND_LINE /
					   1000);
		if (out->dropped)
			return 0;
		hx_proc_wait_idle(room_under_test, IO_MS);
		now = queued_for(&list[BEN]);
		if (now >= 0 && now == last) {
			hx_pause(STILL_MS);
			now = queued_for(&list[BEN]);
		}
		if (now >= 0 && now == last) {
			hx_recordf(c, 0,
				   "the kernel holds %ld bytes for ben "
				   "and takes no more",
				   now);
			return 0;
		}
		last = now;
	}
	hx_recordf(c, 0,
		   "after %d rounds: the room's writes to ben must "
		   "have blocked",
		   max_rounds);
	return 0;
}

/* ana sends count more rounds (or until ben is dropped, with
 * until_dropped); cleo must get them all. ben, whose writer is blocked,
 * may be dropped only once more than 1 MiB waits for him: *dropped says
 * whether he was. */
static int talk_past_blocked(struct hx_check *c, struct member *list,
			     const struct filled *filled, int count,
			     int until_dropped, int *dropped)
{
	int before = *dropped;

	for (int i = 0; i < count && !(until_dropped && *dropped); i++) {
		int r = filled->rounds + i;

		if (send_round(c, &list[ANA], r) < 0 ||
		    expect_round(c, &list[CLEO], &list[ANA], r, "ben",
				 dropped) < 0) {
			hx_note(c, "ben reads nothing, and the room's writes "
				   "to him were blocked");
			return -1;
		}
		/* What waits for ben: at most the rounds since his writer
		 * blocked, and the one it blocked in. */
		if (*dropped && !before && i + 2 < EARLY_DROP_ROUNDS)
			return hx_fail(c, HX_FAIL,
				       "ben was dropped when at most %d KB "
				       "waited in his outbox: a member is "
				       "dropped only past 1 MiB",
				       (i + 2) * ROUND_LINES * ROUND_LINE /
					   1000);
	}
	return 0;
}

ROOM_CHECK(check_slow_member)
{
	struct member list[] = {
	    {.nick = "ana"}, {.nick = "ben"}, {.nick = "cleo"}};
	struct filled filled;
	int more;

	if (!start_room(c, NULL) || join_all(c, list, 3) < 0 ||
	    fill_until_blocked(c, list, &filled) < 0)
		return;
	/* Now every line for ben waits in his outbox (or he was dropped):
	 * cleo must get each round at once, past 1 MiB in all, and ben
	 * stays, his outbox far from 1 MiB (the kernel holds more than
	 * what his receive buffer takes). */
	more = (READER_TOTAL + ROUND_LINES * ROUND_LINE - 1) /
		   (ROUND_LINES * ROUND_LINE) -
	       filled.rounds;
	talk_past_blocked(c, list, &filled,
			  more > AFTER_BLOCKED ? more : AFTER_BLOCKED, 0,
			  &filled.dropped);
}

ROOM_CHECK(check_outbox_limit)
{
	struct member list[] = {
	    {.nick = "ana"}, {.nick = "ben"}, {.nick = "cleo"}};
	struct filled filled;
	int dropped = 0, rounds;

	if (!start_room(c, NULL) || join_all(c, list, 3) < 0 ||
	    fill_until_blocked(c, list, &filled) < 0)
		return;
	/* From here on, every round waits in ben's outbox, unless the
	 * kernel grows its buffers (up to tcp_wmem's maximum): past 1 MiB
	 * the room must drop him. */
	dropped = filled.dropped;
	rounds = (int)((sysctl_last("/proc/sys/net/ipv4/tcp_wmem", 4 << 20) +
			2 * OUTBOX_MAX) /
		       (ROUND_LINES * ROUND_LINE));
	if (talk_past_blocked(c, list, &filled, rounds, 1, &dropped) < 0)
		return;
	if (!dropped) {
		hx_fail(c, HX_FAIL,
			"ben read nothing while %d KB more than the kernel "
			"took were sent to him, and is still in the room: "
			"once more than 1 MiB waits for a member, drop it",
			rounds * ROUND_LINES * ROUND_LINE / 1000);
		return;
	}
	/* ana hears it too, ben's connection ends after what the kernel
	 * held for him, and the room goes on. */
	if (expect_line(c, &list[ANA], "* ben left\n") < 0 ||
	    hx_recv_all(c, &list[BEN].conn, 64 << 20, IO_MS) < 0) {
		hx_note(c, "the room drops a member by shutting its connection "
			   "down: it reads the end once it has read the rest");
		return;
	}
	hx_close(c, &list[BEN].conn);
	say(c, list, 3, &list[CLEO], "is ben gone?\n", NULL, IO_MS);
}

/* ---- members at once, long lines, many members --------------------- */

/* Waits until the room has been given every byte sent on m (acked) and
 * has handled them. */
static void wait_delivered(struct hx_proc *room, struct member *m)
{
	int64_t deadline = hx_deadline(IO_MS);
	int attempt = 0, unacked;

	while (ioctl(m->conn.fd, SIOCOUTQ, &unacked) == 0 && unacked > 0 &&
	       hx_remaining_ms(deadline) > 0)
		hx_backoff(&attempt, deadline);
	hx_proc_wait_idle(room, IO_MS);
}

/* Receives count lines on m, which must be the lines of a (nick "ana")
 * and of b ("ben"), each in its own order, however they interleave. */
static int expect_merged(struct hx_check *c, struct member *m, int count)
{
	int next_a = 0, next_b = 0;

	for (int i = 0; i < count; i++) {
		char want_a[64], want_b[64];
		long n = hx_recv_until(c, &m->conn, "\n", IO_MS);

		if (n < 0) {
			hx_note(c,
				"%s got %d of ana's and %d of ben's %d lines",
				m->nick, next_a, next_b, BURST_LINES);
			return -1;
		}
		snprintf(want_a, sizeof(want_a), "ana: burst %d from ana\n",
			 next_a);
		snprintf(want_b, sizeof(want_b), "ben: burst %d from ben\n",
			 next_b);
		if ((size_t)n == strlen(want_a) &&
		    memcmp(m->conn.in.data, want_a, (size_t)n) == 0)
			next_a++;
		else if ((size_t)n == strlen(want_b) &&
			 memcmp(m->conn.in.data, want_b, (size_t)n) == 0)
			next_b++;
		else {
			hx_note(c, "expected either \"%.*s\" or \"%.*s\"",
				(int)strlen(want_a) - 1, want_a,
				(int)strlen(want_b) - 1, want_b);
			return hx_fail(c, HX_FAIL,
				       "%s got a line that is lost, repeated, "
				       "mixed or out of order: \"%.*s\"",
				       m->nick, (int)n - 1, m->conn.in.data);
		}
		hx_consume(&m->conn, (size_t)n);
	}
	return 0;
}

/* The lines of one member's burst, "burst I from NICK\n". */
static size_t burst_text(char *buf, size_t size, const char *nick)
{
	size_t used = 0;

	for (int i = 0; i < BURST_LINES; i++)
		used += (size_t)snprintf(buf + used, size - used,
					 "burst %d from %s\n", i, nick);
	return used;
}

ROOM_CHECK(check_concurrent)
{
	struct member list[] = {
	    {.nick = "ana"}, {.nick = "ben"}, {.nick = "cleo"}};
	static char text_a[BURST_LINES * 32], text_b[BURST_LINES * 32];
	size_t len_a, len_b;
	struct hx_proc *room = start_room(c, NULL);

	if (!room || join_all(c, list, 3) < 0)
		return;
	/* Both start a line and each finishes it later: the room holds two
	 * unfinished lines at once, one per member, and must not mix them. */
	hx_recordf(c, 0, "ana and ben each send half a line, then the rest");
	if (hx_send_str(c, &list[0].conn, "hello fr", NULL) < 0)
		return;
	wait_delivered(room, &list[0]);
	if (hx_send_str(c, &list[1].conn, "good mor", NULL) < 0)
		return;
	wait_delivered(room, &list[1]);
	if (hx_send_str(c, &list[0].conn, "om ana\n", NULL) < 0)
		return;
	wait_delivered(room, &list[0]);
	if (hx_send_str(c, &list[1].conn, "ning from ben\n", NULL) < 0 ||
	    expect_line(c, &list[2], "ana: hello from ana\n") < 0 ||
	    expect_line(c, &list[2], "ben: good morning from ben\n") < 0 ||
	    expect_line(c, &list[1], "ana: hello from ana\n") < 0 ||
	    expect_line(c, &list[0], "ben: good morning from ben\n") < 0)
		return;

	/* Then both at full speed: every line must come through. */
	len_a = burst_text(text_a, sizeof(text_a), "ana");
	len_b = burst_text(text_b, sizeof(text_b), "ben");
	hx_recordf(c, 0, "ana and ben each send %d lines at once", BURST_LINES);
	if (hx_send(c, &list[0].conn, text_a, len_a, NULL) < 0 ||
	    hx_send(c, &list[1].conn, text_b, len_b, NULL) < 0)
		return;
	if (expect_merged(c, &list[2], 2 * BURST_LINES) < 0)
		return;
	for (int i = 0; i < BURST_LINES; i++) {
		char want[64];

		snprintf(want, sizeof(want), "ben: burst %d from ben\n", i);
		if (expect_line(c, &list[0], want) < 0)
			return;
		snprintf(want, sizeof(want), "ana: burst %d from ana\n", i);
		if (expect_line(c, &list[1], want) < 0)
			return;
	}
}

/* ana sends a line of len bytes; ben must get it whole, "ana: " first. */
static int expect_relayed_whole(struct hx_check *c, struct member *list,
				size_t len)
{
	static char line[MESSAGE_MAX + 8], want[MESSAGE_MAX + 16];
	char what[64];
	long n;

	/* The line first, read by the room before its "\n" comes. */
	long_line(line, sizeof(line), NULL, 'x', len);
	if (hx_send(c, &list[0].conn, line, len, NULL) < 0)
		return -1;
	wait_taken(c, &list[0].conn, room_under_test);
	if (hx_send_str(c, &list[0].conn, "\n", NULL) < 0)
		return -1;
	n = hx_recv_until(c, &list[1].conn, "\n", IO_MS);
	if (n < 0) {
		hx_note(c, "ben was waiting for ana's line of %zu bytes", len);
		return -1;
	}
	long_line(want, sizeof(want), "ana: ", 'x', len);
	snprintf(what, sizeof(what), "ana's line of %zu bytes, as ben got it",
		 len);
	if (hx_expect_bytes(c, what, want, strlen(want), list[1].conn.in.data,
			    (size_t)n) < 0)
		return -1;
	hx_consume(&list[1].conn, (size_t)n);
	return 0;
}

ROOM_CHECK(check_long_line)
{
	static char line[300002];
	struct member list[] = {{.nick = "ana"}, {.nick = "ben"}};

	if (!start_room(c, NULL) || join_all(c, list, 2) < 0)
		return;
	/* One byte short of the limit, and exactly the limit: relayed. */
	if (expect_relayed_whole(c, list, MESSAGE_MAX - 1) < 0 ||
	    expect_relayed_whole(c, list, MESSAGE_MAX) < 0)
		return;
	/* One byte over, then far over: dropped, and only ana is told. */
	if (hx_send_str(
		c, &list[0].conn,
		long_line(line, sizeof(line), NULL, 'x', MESSAGE_MAX + 1),
		NULL) < 0 ||
	    expect_line(c, &list[0], "* error: line too long\n") < 0 ||
	    hx_send_str(
		c, &list[0].conn,
		long_line(line, sizeof(line), NULL, 'x', sizeof(line) - 2),
		NULL) < 0 ||
	    expect_line(c, &list[0], "* error: line too long\n") < 0)
		return;
	/* The room goes on: the next line is an ordinary one. */
	say(c, list, 2, &list[0], "after the long ones\n", NULL, IO_MS);
}

ROOM_CHECK(check_many_members)
{
	static char nicks[MANY_MEMBERS][16];
	struct member list[MANY_MEMBERS];
	char text[64];

	for (int i = 0; i < MANY_MEMBERS; i++) {
		snprintf(nicks[i], sizeof(nicks[i]), "member%02d", i + 1);
		list[i].nick = nicks[i];
	}
	if (!start_room(c, NULL) || join_all(c, list, MANY_MEMBERS) < 0)
		return;
	for (int i = 0; i < MANY_MEMBERS; i++) {
		snprintf(text, sizeof(text), "this is %s speaking\n",
			 list[i].nick);
		if (say(c, list, MANY_MEMBERS, &list[i], text, NULL, IO_MS) < 0)
			return;
	}
	/* Half of them go; the rest hear of each. */
	for (int i = 0; i < MANY_MEMBERS / 2; i++)
		if (leave(c, list, MANY_MEMBERS, &list[i], IO_MS) < 0)
			return;
	say(c, list, MANY_MEMBERS, &list[MANY_MEMBERS - 1], "bye\n", NULL,
	    IO_MS);
}

ROOM_CHECK(check_race)
{
	struct member list[] = {{.nick = "ana"},
				{.nick = "ben"},
				{.nick = "cleo"},
				{.nick = "dan"}};
	struct hx_proc *room = start_room(c, "helgrind");

	if (!room)
		return;
	for (int i = 0; i < 3; i++)
		if (join_within(c, list, i, TOOL_IO_MS) < 0)
			return;
	if (say(c, list, 3, &list[0], "hi from ana\n", NULL, TOOL_IO_MS) < 0 ||
	    say(c, list, 3, &list[1], "hi from ben\n", NULL, TOOL_IO_MS) < 0 ||
	    say(c, list, 3, &list[2], "hi from cleo\n", NULL, TOOL_IO_MS) < 0 ||
	    leave(c, list, 3, &list[1], TOOL_IO_MS) < 0 ||
	    join_within(c, list, 3, TOOL_IO_MS) < 0 ||
	    say(c, list, 4, &list[3], "hi from dan\n", NULL, TOOL_IO_MS) < 0 ||
	    say(c, list, 4, &list[0], "bye from ana\n", NULL, TOOL_IO_MS) < 0 ||
	    leave_by(c, list, 4, &list[2], 1, TOOL_IO_MS) < 0 ||
	    leave(c, list, 4, &list[3], TOOL_IO_MS) < 0)
		return;
	/* Stopped with ana still there: main walks the list while her
	 * reader takes her off it. */
	hx_proc_wait_idle(room, TOOL_IO_MS);
	if (stop_room(c, room, SIGTERM, TOOL_STOP_MS) == 0)
		hx_proc_expect_tool_clean(c, room);
}

ROOM_CHECK(check_room_pieces)
{
	/* A pause between bytes, so no single recv can get them all. */
	static const struct hx_plan byte_by_byte = {
	    .split = HX_BYTES, .max_piece = 0, .delay_ms = 2};
	struct member list[] = {
	    {.nick = "ana"}, {.nick = "ben"}, {.nick = "cleo"}};

	if (!start_room(c, NULL) ||
	    connect_member(c, &list[0], &byte_by_byte, IO_MS) < 0 ||
	    join_within(c, list, 1, IO_MS) < 0 ||
	    say(c, list, 2, &list[0], "hello\r\nworld\n", &byte_by_byte,
		IO_MS) < 0)
		return;
	/* Two lines in one segment are two lines. */
	if (say(c, list, 2, &list[1], "one\ntwo\n", NULL, IO_MS) < 0)
		return;
	/* A nick ending in "\r\n", a byte at a time: the "\r" is not in
	 * the nick. */
	if (connect_member_eol(c, &list[2], "\r\n", &byte_by_byte, IO_MS) == 0)
		expect_all_but(c, list, 2, NULL, "* cleo joined\n", IO_MS);
}

ROOM_CHECK(check_bad_input)
{
	static const char *const bad_nicks[] = {
	    "\n",	  "two words\n", "ana:\n",
	    "no/slash\n", "tab\there\n", "a_nick_of_thirty-three_bytes_xxxx\n",
	};
	static char huge[70002];
	/* Good nicks that look like bad ones: at the limit of 32 bytes,
	 * one byte, '-' and '_', and "Ana" beside "ana" (nicks are compared
	 * exactly). */
	struct member list[] = {
	    {.nick = "ana"}, {.nick = "Ana"},
	    {.nick = "x"},   {.nick = "a_nick_of_thirty-two_bytes_xxxxx"},
	    {.nick = "x-y"}, {.nick = "Ben_2"},
	};

	if (!start_room(c, NULL) || join_all(c, list, 1) < 0)
		return;
	for (int i = 0; i < SL_COUNT(bad_nicks); i++)
		if (expect_refused(c, bad_nicks[i], "* error: bad nick\n") < 0)
			return;
	if (expect_refused(
		c, long_line(huge, sizeof(huge), NULL, 'n', sizeof(huge) - 2),
		"* error: bad nick\n") < 0 ||
	    expect_refused(c, "ana\n", "* error: nick in use\n") < 0)
		return;
	/* ana heard of none of them; the good ones come in. */
	for (int i = 1; i < SL_COUNT(list); i++)
		if (join_within(c, list, i, IO_MS) < 0)
			return;
	if (expect_refused(c, "Ana\n", "* error: nick in use\n") < 0)
		return;
	/* An empty line is not relayed, nor "\r\n" alone. */
	if (hx_send_str(c, &list[0].conn, "\n\r\n", NULL) < 0)
		return;
	say(c, list, SL_COUNT(list), &list[0], "that was nothing\n", NULL,
	    IO_MS);
}

/* ---- clients that leave early, descriptors, memory ------------------ */

ROOM_CHECK(check_leave_early)
{
	static const char *const refused[] = {"bad nick!\n", "ana\n"};
	struct member list[] = {{.nick = "ana"}, {.nick = "ben"}};
	struct hx_proc *room = start_room(c, NULL);

	if (!room || join_all(c, list, 1) < 0)
		return;
	/* The room's refusal is written to a connection that is gone. */
	for (int i = 0; i < SL_COUNT(refused); i++)
		if (hx_probe_leave_early(c, room, hx_port(c, 0), refused[i],
					 strlen(refused[i]), IO_MS) < 0)
			return;
	/* A good nick that leaves at once: it joined, then left. */
	if (hx_probe_leave_early(c, room, hx_port(c, 0), "early\n", 6, IO_MS) <
		0 ||
	    expect_line(c, &list[0], "* early joined\n") < 0 ||
	    expect_line(c, &list[0], "* early left\n") < 0)
		return;
	/* The room goes on as if nothing happened. */
	if (join_within(c, list, 1, IO_MS) == 0)
		say(c, list, 2, &list[0], "anyone else?\n", NULL, IO_MS);
}

/* Connects and leaves before a nick: after sending what (may be empty),
 * with a close, or with a reset when reset is set. */
static int leave_unnamed(struct hx_check *c, const char *what, int reset)
{
	struct hx_conn conn;

	if (hx_tcp_connect(c, &conn, "127.0.0.1", hx_port(c, 0), IO_MS) < 0)
		return -1;
	if (*what && hx_send_str(c, &conn, what, NULL) < 0)
		return -1;
	if (reset)
		hx_reset(c, &conn);
	else
		hx_close(c, &conn);
	return 0;
}

/* One round of every way a client comes and goes, with ana in the room:
 * three refused nicks, two that leave before a nick, a member that
 * leaves and one that resets. */
static int churn(struct hx_check *c, struct member *list, int round)
{
	static char too_long[NICK_MAX + 3];
	char nick_a[24], nick_b[24];

	long_line(too_long, sizeof(too_long), NULL, 'n', NICK_MAX + 1);
	snprintf(nick_a, sizeof(nick_a), "churn%da", round);
	snprintf(nick_b, sizeof(nick_b), "churn%db", round);
	if (expect_refused(c, "two words\n", "* error: bad nick\n") < 0 ||
	    expect_refused(c, too_long, "* error: bad nick\n") < 0 ||
	    expect_refused(c, "ana\n", "* error: nick in use\n") < 0 ||
	    leave_unnamed(c, "", 0) < 0 || leave_unnamed(c, "hal", 1) < 0)
		return -1;
	list[1].nick = nick_a;
	if (join_within(c, list, 1, IO_MS) < 0 ||
	    say(c, list, 2, &list[1], "in and out\n", NULL, IO_MS) < 0 ||
	    leave(c, list, 2, &list[1], IO_MS) < 0)
		return -1;
	list[1].nick = nick_b;
	if (join_within(c, list, 1, IO_MS) < 0 ||
	    leave_by(c, list, 2, &list[1], 1, IO_MS) < 0)
		return -1;
	list[1].nick = "";
	return 0;
}

/* Descriptors the room holds once idle, waited for: its threads may
 * still be closing the last connections. The last count is judged. */
static int expect_fds_settle(struct hx_check *c, struct hx_proc *room,
			     int before, const char *what)
{
	int64_t deadline = hx_deadline(IO_MS);
	int attempt = 0;

	for (;;) {
		hx_proc_wait_idle(room, IO_MS);
		if (hx_proc_count_fds(room) <= before ||
		    hx_remaining_ms(deadline) <= 0)
			return hx_expect_fds_steady(c, room, before, what,
						    IO_MS);
		hx_backoff(&attempt, deadline);
	}
}

ROOM_CHECK(check_descriptors)
{
	struct member list[] = {{.nick = "ana"}, {.nick = ""}};
	struct hx_proc *room = start_room(c, NULL);
	char what[160];
	int before;

	if (!room || join_all(c, list, 1) < 0)
		return;
	hx_proc_wait_idle(room, IO_MS);
	before = hx_proc_count_fds(room);
	if (before < 0) {
		hx_skip(c, "the room's descriptors cannot be counted here");
		return;
	}
	hx_recordf(c, 0, "the room holds %d descriptors, its limit is %d",
		   before, room->max_files);
	for (int round = 1; round <= CHURN_ROUNDS; round++) {
		if (churn(c, list, round) < 0) {
			hx_note(c, "in round %d of %d", round, CHURN_ROUNDS);
			return;
		}
		snprintf(what, sizeof(what),
			 "%d rounds of 7 clients (3 refused nicks, 2 that "
			 "left before a nick, a member that left and one "
			 "that reset)",
			 round);
		if (round % 2 == 0 &&
		    expect_fds_settle(c, room, before, what) < 0)
			return;
	}
}

ROOM_CHECK(check_memory)
{
	static char overlong[MESSAGE_MAX + 8];
	struct member list[] = {{.nick = "ana"}, {.nick = ""}};
	struct hx_proc *room = start_room(c, NULL);

	if (!room || join_all(c, list, 1) < 0)
		return;
	for (int round = 1; round <= CHURN_ROUNDS / 2; round++)
		if (churn(c, list, round) < 0)
			return;
	/* A line over the limit: its error goes to ana alone. */
	long_line(overlong, sizeof(overlong), NULL, 'o', MESSAGE_MAX + 1);
	if (hx_send_str(c, &list[0].conn, overlong, NULL) < 0 ||
	    expect_line(c, &list[0], "* error: line too long\n") < 0)
		return;
	/* LeakSanitizer looks when main returns, ana still there: every
	 * member's memory must have been freed by then. */
	if (stop_room(c, room, SIGTERM, STOP_MS) < 0)
		hx_note(c, "LeakSanitizer reports only when main returns: a "
			   "room that does not stop cannot be looked at");
}

/* ---- arguments and stopping ----------------------------------------- */

static void check_room_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},	     {"abc", NULL},   {"0", NULL},
	    {"65536", NULL}, {"-1", NULL},    {"+9000", NULL},
	    {" 9000", NULL}, {"9000x", NULL}, {"9000", "extra", NULL},
	};
	char port_arg[16];
	const char *busy[] = {port_arg, NULL};
	struct hx_conn taken;

	if (hx_expect_usage(c, "room", cases, SL_COUNT(cases), EXIT_MS) < 0 ||
	    expect_port_valid(c, "room", 1) < 0 ||
	    expect_port_valid(c, "room", 65535) < 0)
		return;
	/* A port someone listens on already: bind fails. */
	snprintf(port_arg, sizeof(port_arg), "%d", hx_port(c, 1));
	if (hx_tcp_listen(c, &taken, "0.0.0.0", hx_port(c, 1)) < 0)
		return;
	expect_runtime_error(c, "room on a busy port", "room", busy, "bind");
	hx_close(c, &taken);
}

/* Stops a one-to-one program in the middle of a chat with sig. */
static void stop_chatting(struct hx_check *c, struct chat *chat, int sig)
{
	if (hx_send_str(c, &chat->conn, "still there?\n", NULL) == 0 &&
	    expect_printed(c, chat, "peer: still there?\n") == 0 &&
	    hx_proc_signal_exit(c, chat->proc, sig, STOP_MS) < 0)
		hx_note(c, "%s was in the middle of a chat", chat->proc->label);
	close_chat(c, chat);
}

ROOM_CHECK(check_stop_signal)
{
	struct member list[] = {{.nick = "ana"}};
	struct hx_proc *room = start_room(c, NULL);
	struct hx_proc *waiting;
	struct chat chat;

	/* SIGTERM with no one there. */
	if (!room || stop_room(c, room, SIGTERM, STOP_MS) < 0)
		return;
	/* SIGINT with a member halfway through a line: its connection is
	 * shut down (it reads the end). */
	room = start_room(c, NULL);
	if (!room || join_all(c, list, 1) < 0 ||
	    hx_send_str(c, &list[0].conn, "half a li", NULL) < 0)
		return;
	wait_delivered(room, &list[0]);
	if (stop_room(c, room, SIGINT, STOP_MS) < 0 ||
	    hx_recv_all(c, &list[0].conn, 1 << 16, IO_MS) < 0)
		return;
	hx_close(c, &list[0].conn);
	/* chat-server while it waits for its peer, and both programs in
	 * the middle of a chat. */
	waiting = hx_start_server_on(c, "chat-server", "chat-server", HX_TCP,
				     hx_port(c, 1), NULL, READY_MS);
	if (!waiting || hx_proc_signal_exit(c, waiting, SIGTERM, STOP_MS) < 0)
		return;
	if (open_server_chat(c, &chat) < 0)
		return;
	stop_chatting(c, &chat, SIGTERM);
	if (hx_ok(c) && open_client_chat(c, &chat) == 0)
		stop_chatting(c, &chat, SIGINT);
}

/* The rubric: 100 points. */
static const struct sl_check checks[] = {
    {
	.id = "build",
	.title = "chat-server, chat-client and room build without warnings",
	.points = 4,
	.timeout_ms = BUILD_MS,
	.programs = "chat-server chat-client room",
	.hint =
	    "Read the compiler's messages from the first one down; fix every "
	    "warning too (an unused variable, a missing return, a signed and "
	    "unsigned comparison).",
	.run = NULL,
    },
    {
	.id = "peer-message",
	.title =
	    "A line from the peer is printed at once while nothing is typed",
	.points = 6,
	.timeout_ms = CHECK_MS,
	.programs = "chat-server chat-client",
	.hint =
	    "Do not block in fgets or read on the keyboard: poll both stdin "
	    "(fd 0) and the socket with POLLIN, and read only the one that is "
	    "ready. Print \"peer: TEXT\\n\" and fflush(stdout): when stdout "
	    "is a pipe, stdio keeps the line in memory until it is flushed.",
	.run = check_peer_message,
    },
    {
	.id = "typed-line",
	.title = "Lines typed are sent, each with its \"\\n\"",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "chat-server chat-client",
	.hint =
	    "When poll says stdin is readable, read it into the keyboard's "
	    "line reader and send every whole line with its \"\\n\" using "
	    "writen. Do not mix stdio (fgets) with poll: fgets may read two "
	    "lines and return one, and poll will not tell you about the other.",
	.run = check_typed_line,
    },
    {
	.id = "exit-typed",
	.title = "Typing \"exit\" or closing stdin sends \"exit\", closes and "
		 "exits 0",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "chat-server chat-client",
	.hint =
	    "A typed line \"exit\" is sent like any other, then close the "
	    "socket and return 0. read on stdin returning 0 (Ctrl-D, or the "
	    "end of a pipe) means the same: send \"exit\\n\", close, return 0.",
	.run = check_exit_typed,
    },
    {
	.id = "exit-peer",
	.title = "\"exit\" from the peer, or its close, ends the program with "
		 "status 0",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "chat-server chat-client",
	.hint =
	    "A received line \"exit\" is not printed: it ends the chat. So "
	    "does recv (read) returning 0 on the socket. Close the socket and "
	    "return 0 from main in both cases.",
	.run = check_exit_peer,
    },
    {
	.id = "chat-pieces",
	.title =
	    "Lines arriving byte by byte, or two at once, are printed whole",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "chat-server chat-client",
	.hint =
	    "One read is not one line. Keep the bytes of each input in its "
	    "own line_reader; after each fill, take every whole line out with "
	    "line_reader_next, and keep the rest for the next read.",
	.run = check_chat_pieces,
    },
    {
	.id = "chat-long",
	.title = "A 64 KiB line passes whole each way; a longer one is dropped",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "chat-server chat-client",
	.hint =
	    "A line may hold 65536 bytes before its \"\\n\", typed or "
	    "received: the line buffer holds MESSAGE_MAX + 2 bytes (the line, "
	    "its \"\\n\", the '\\0'). On LINE_TOO_LONG print a line on "
	    "stderr, send or print nothing, and go on with the next line.",
	.run = check_chat_long,
    },
    {
	.id = "chat-connect",
	.title =
	    "chat-client tries every address of a name, and IPv6; chat-server "
	    "takes one peer",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "chat-server chat-client",
	.hint =
	    "connect_to: getaddrinfo with AF_UNSPEC, then socket and connect "
	    "on each address in turn until one connects (\"localhost\" is ::1 "
	    "first, then 127.0.0.1). chat-server binds INADDR_ANY and closes "
	    "its listening socket once its peer is accepted.",
	.run = check_chat_connect,
    },
    {
	.id = "chat-usage",
	.title =
	    "chat-server and chat-client reject bad arguments; runtime errors "
	    "exit 2",
	.points = 2,
	.timeout_ms = CHECK_MS,
	.programs = "chat-server chat-client",
	.hint =
	    "chat-server takes exactly PORT, chat-client exactly HOST PORT, "
	    "PORT digits only from 1 to 65535 (parse_port); otherwise print a "
	    "\"usage:\" line on stderr and return 1. Exit 2 with one line on "
	    "stderr naming the host (gai_strerror), the call (\"connect to "
	    "HOST port PORT: ...\") or bind (a busy port).",
	.run = check_chat_usage,
    },
    {
	.id = "relay-order",
	.title =
	    "Each line goes to every other member as \"NICK: TEXT\", in order",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "room",
	.hint =
	    "After the nick line, read the member's lines one by one and "
	    "queue \"NICK: TEXT\\n\" for every other member, holding the "
	    "room's mutex while you walk the list. Lines of one member must "
	    "leave in the order they came.",
	.run = check_relay_order,
    },
    {
	.id = "no-echo",
	.title = "A member is never sent its own lines",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "room",
	.hint =
	    "When you walk the member list to relay a line, skip the member "
	    "who sent it (compare the pointers).",
	.run = check_no_echo,
    },
    {
	.id = "notices",
	.title =
	    "Welcome, joined and left notices are sent; stdout stays empty",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.programs = "room",
	.hint =
	    "After a good nick: \"* welcome NICK\\n\" to the newcomer first, "
	    "then \"* NICK joined\\n\" to the others, both while holding the "
	    "room's mutex. When a member's recv returns 0, take it off the "
	    "list and send \"* NICK left\\n\" to those left. Log on stderr "
	    "only.",
	.run = check_notices,
    },
    {
	.id = "vanish",
	.title = "A member that resets is removed and the others told it left",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "room",
	.hint =
	    "recv fails with ECONNRESET when a client resets: that member has "
	    "left, exactly as when recv returns 0. Take it off the list and "
	    "send \"* NICK left\\n\" in both cases; never exit the room.",
	.run = check_vanish,
    },
    {
	.id = "slow-member",
	.title = "A member that never reads does not stall the others",
	.points = 5,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "room",
	.hint =
	    "Never write to a member's socket from another member's thread: a "
	    "write to a client that does not read blocks for ever. Append the "
	    "line to the member's outbox and let its own writer thread send "
	    "it; the member stays while its outbox holds 1 MiB or less.",
	.run = check_slow_member,
    },
    {
	.id = "outbox-limit",
	.title =
	    "A member more than 1 MiB behind is dropped and the others told",
	.points = 4,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "room",
	.hint =
	    "Before appending to an outbox, compare: when out_len + len would "
	    "pass OUTBOX_MAX, do not append; shutdown(fd, SHUT_RDWR) that "
	    "member instead. Its reader then sees the end and it leaves like "
	    "any other (\"* NICK left\").",
	.run = check_outbox_limit,
    },
    {
	.id = "concurrent",
	.title =
	    "Two members writing at once: every line relayed, none mixed or "
	    "lost",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.programs = "room",
	.hint = "Each member needs its own line reader and its own line and "
		"message buffers (in its struct member, not static or global): "
		"two threads read at the same time. Queue each whole line with "
		"the room's mutex held.",
	.run = check_concurrent,
    },
    {
	.id = "long-line",
	.title = "A 64 KiB line arrives whole; a longer one gets an error",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "room",
	.hint =
	    "A line may be 65536 bytes before its \"\\n\": the reader's "
	    "buffer holds MESSAGE_MAX + 1 bytes and the message buffer the "
	    "nick, \": \", the line and \"\\n\". On LINE_TOO_LONG send only "
	    "the sender \"* error: line too long\\n\" and go on with its next "
	    "line.",
	.run = check_long_line,
    },
    {
	.id = "many-members",
	.title = "A room of 20 members: every line and notice reaches all",
	.points = 4,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "room",
	.hint =
	    "Start a thread for every client that connects and keep every "
	    "member in the list; do not limit the room to a few clients, and "
	    "take members off the list when they leave.",
	.run = check_many_members,
    },
    {
	.id = "race",
	.title =
	    "No data race: joins, lines and leaves under the thread checker",
	.points = 4,
	.timeout_ms = RACE_CHECK_MS,
	.programs = "room",
	.hint =
	    "Every read and write of the member list (adding, removing, "
	    "walking it) and of each outbox must hold the mutex that guards "
	    "it, in every thread, main included. The first report names the "
	    "two places that raced; V=1 shows the whole report.",
	.run = check_race,
    },
    {
	.id = "room-pieces",
	.title = "A nick and lines arriving byte by byte are read whole",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "room",
	.hint =
	    "One recv is not one line, not even for the nick: read into the "
	    "member's line reader until line_reader_next gives a whole line, "
	    "and keep what follows it. Drop a \"\\r\" before the \"\\n\".",
	.run = check_room_pieces,
    },
    {
	.id = "bad-input",
	.title =
	    "Bad or taken nicks are refused, good ones at the limit taken; "
	    "empty lines dropped",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "room",
	.hint =
	    "A nick is 1 to 32 letters, digits, '-' or '_', compared exactly "
	    "(\"Ana\" is not \"ana\"). Anything else gets \"* error: bad "
	    "nick\\n\", a nick in use \"* error: nick in use\\n\", then close "
	    "that connection without telling anyone. Skip empty lines.",
	.run = check_bad_input,
    },
    {
	.id = "leave-early",
	.title = "Clients that leave before the room answers do not stop it",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "room",
	.hint =
	    "A client may be gone when the room writes to it (its refusal, "
	    "its welcome): the write fails with EPIPE. Ignore SIGPIPE in main "
	    "(sigaction with SIG_IGN) so the room lives on, and treat the "
	    "failed write as that client leaving.",
	.run = check_leave_early,
    },
    {
	.id = "descriptors",
	.title =
	    "Refused, unnamed and departed clients leave no descriptor open",
	.points = 4,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "room",
	.hint =
	    "Every connection accepted is closed once: after a refused nick, "
	    "after a client that left before its nick, and when a member "
	    "leaves or resets. Follow each path of the reader thread to its "
	    "close.",
	.run = check_descriptors,
    },
    {
	.id = "memory",
	.title = "Every member's memory is freed (LeakSanitizer after SIGTERM)",
	.points = 4,
	.timeout_ms = LONG_CHECK_MS,
	.flags = SL_SANITIZE | SL_LEAKS,
	.programs = "room",
	.hint =
	    "What a member owns is freed when it leaves, on every path: its "
	    "struct member, its outbox, a chunk its writer took, also for a "
	    "refused nick. At stop, wait for every reader thread before "
	    "returning from main.",
	.run = check_memory,
    },
    {
	.id = "room-usage",
	.title =
	    "room rejects bad arguments (status 1) and a busy port (status 2)",
	.points = 2,
	.timeout_ms = CHECK_MS,
	.programs = "room",
	.hint = "Accept exactly one argument and check it with parse_port; "
		"otherwise print \"usage: room PORT\" on stderr and return 1. "
		"When bind fails, print \"room: bind: reason\" and return 2.",
	.run = check_room_usage,
    },
    {
	.id = "stop-signal",
	.title =
	    "room, chat-server and chat-client exit 0 promptly on SIGTERM and "
	    "SIGINT",
	.points = 4,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "room chat-server chat-client",
	.hint =
	    "Install the handler with sigaction and sa_flags 0, so accept or "
	    "poll fails with EINTR. In the room block the signals in every "
	    "thread but main (pthread_sigmask before pthread_create), and on "
	    "stop shutdown every member's socket (a writer blocked in write "
	    "wakes), wait for their threads and return 0.",
	.run = check_stop_signal,
    },
};

static const struct sl_lab lab07 = {
    .number = "07",
    .name = "chat",
    .title = "A chat: one-to-one with poll, then a room with threads",
    .files = {"chat.c", "chat-server.c", "chat-client.c", "room.c"},
    .given = {"chat.h"},
    .programs =
	{
	    {.name = "chat-server", .sources = {"chat-server.c", "chat.c"}},
	    {.name = "chat-client", .sources = {"chat-client.c", "chat.c"}},
	    {.name = "room", .sources = {"room.c", "chat.c"}},
	},
    .max_files = FEW_FILES,
    .checks = checks,
    .nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab07);
