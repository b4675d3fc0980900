/* 07-chat.c - lab 07: a chat, one-to-one and then a room.
 *
 * Part one: chat-server PORT and chat-client HOST PORT each read the
 * keyboard (stdin) and the socket at once. A line typed is sent with its
 * "\n"; a line received is printed as "peer: TEXT\n"; "exit" typed is sent
 * and ends the program, and "exit" received, the peer's close or the end
 * of stdin end it too, with status 0. The checks play the other side: a
 * client for chat-server, a server for chat-client, and type on the
 * program's stdin through its pipe.
 *
 * Part two: room PORT. The first line of a client is its nick; it gets
 * "* welcome NICK\n" and the others "* NICK joined\n"; each later line
 * goes to every other member as "NICK: TEXT\n"; a member that goes is
 * announced as "* NICK left\n". Lines are up to 65536 bytes; a longer one
 * gets "* error: line too long\n". A member that does not read is dropped
 * once 1 MiB waits for it, and never stalls the others. The checks play
 * every member. The rubric is the table at the end of this file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/sockios.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../sl_lab.h"

/* Deadlines of single steps, in milliseconds (scaled like all deadlines). */
#define READY_MS      1500  /* a server starts listening */
#define IO_MS	      1500  /* a line arrives, a program connects or exits */
#define STOP_MS	      1000  /* a server exits after SIGTERM or SIGINT */
#define EXIT_MS	      1500  /* a program exits after bad arguments */
#define TOOL_READY_MS 15000 /* the room starts under the thread checker */
#define TOOL_IO_MS    8000  /* a line arrives through it */
#define TOOL_STOP_MS  15000 /* it exits and the checker writes its report */

#define MESSAGE_MAX  65536 /* the longest line, bytes before its "\n" */
#define MANY_MEMBERS 20	   /* members of the big room */
#define SLOW_ROUNDS  96	   /* rounds of the slow-member check */
#define SLOW_LINES   64	   /* lines per round */
#define SLOW_LINE    1000  /* bytes per line: 6 MiB in all */
#define BURST_LINES  200   /* lines each of two members sends at once */

/* ---- part one: the one-to-one chat --------------------------------- */

/* The program under test and the harness's end of its connection. */
struct chat {
	struct hx_proc *proc; /* chat-server or chat-client */
	struct hx_conn conn;  /* the harness plays its peer here */
};

/* Starts chat-server and connects to it as its peer. */
static int open_server_chat(struct hx_check *c, struct chat *chat)
{
	int port = hx_port(c, 0);

	chat->proc = hx_start_server_on(c, "chat-server", "chat-server", HX_TCP,
					port, NULL, READY_MS);
	if (!chat->proc)
		return -1;
	return hx_tcp_connect(c, &chat->conn, "127.0.0.1", port, IO_MS);
}

/* Listens as the chat's server, starts chat-client, accepts it. */
static int open_client_chat(struct hx_check *c, struct chat *chat)
{
	int port = hx_port(c, 0);
	char port_arg[16];
	const char *args[] = {"127.0.0.1", port_arg, NULL};
	struct hx_conn listener;
	int ready, rc = -1;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (hx_tcp_listen(c, &listener, "127.0.0.1", port) < 0)
		return -1;
	chat->proc = hx_start(c, "chat-client", args);
	if (!chat->proc)
		goto out_close_listener;
	ready = hx_wait_readable(c, listener.fd, chat->proc,
				 "without connecting to 127.0.0.1", IO_MS);
	if (ready == 0)
		hx_fail(c, HX_TIMEOUT,
			"chat-client did not connect to 127.0.0.1 port %d "
			"within %.1f s",
			port, IO_MS / 1000.0);
	else if (ready > 0)
		rc = hx_tcp_accept(c, &listener, &chat->conn, IO_MS);
out_close_listener:
	hx_close(c, &listener);
	return rc;
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
		hx_close(c, &chat.conn);
		if (hx_proc_running(chat.proc))
			hx_proc_kill(chat.proc);
		chat.proc->accepted = hx_ok(c);
	}
}

/* Requires the program to print exactly want on stdout (after what
 * earlier steps consumed), lines it gets from the socket. */
static int expect_printed(struct hx_check *c, struct chat *chat,
			  const char *want)
{
	size_t start = chat->proc->out_seen;

	if (hx_proc_read_until(c, chat->proc, want, IO_MS) < 0) {
		hx_note(c,
			"%s should print each line received as \"peer: "
			"TEXT\" while nothing is typed on its keyboard",
			chat->proc->label);
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
				(int)len - 1, want);
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
	static const struct hx_plan byte_by_byte = {HX_BYTES, 0, 2};

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

static void check_chat_usage(struct hx_check *c)
{
	static const char *const server_cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},	     {"abc", NULL},	      {"0", NULL},
	    {"65536", NULL}, {"9000", "extra", NULL},
	};
	static const char *const client_cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"127.0.0.1", NULL},
	    {"127.0.0.1", "abc", NULL},
	    {"127.0.0.1", "65536", NULL},
	    {"127.0.0.1", "9000", "extra", NULL},
	};
	char port_arg[16];
	const char *refused[] = {"127.0.0.1", port_arg, NULL};
	struct hx_proc *client;

	if (hx_expect_usage(c, "chat-server", server_cases,
			    SL_COUNT(server_cases), EXIT_MS) < 0 ||
	    hx_expect_usage(c, "chat-client", client_cases,
			    SL_COUNT(client_cases), EXIT_MS) < 0)
		return;
	/* No one listens there: a runtime error naming the call. */
	snprintf(port_arg, sizeof(port_arg), "%d", hx_port(c, 1));
	client = hx_start_labelled(c, "chat-client (refused)", "chat-client",
				   refused);
	if (client && hx_proc_expect_exit(c, client, 2, EXIT_MS) == 0)
		hx_expect_contains(c, "chat-client's stderr", "connect",
				   client->err.data);
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

/* Receives the next line of m and requires it to be want. */
static int expect_line_within(struct hx_check *c, struct member *m,
			      const char *want, int timeout_ms)
{
	char what[96];
	long n = hx_recv_until(c, &m->conn, "\n", timeout_ms);

	snprintf(what, sizeof(what), "next line to %s", m->nick);
	if (n < 0) {
		hx_buf_clear(&c->expected);
		hx_buf_add(&c->expected, want, strlen(want));
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

/* Connects m, sends its nick cut by plan and requires the welcome. */
static int connect_member(struct hx_check *c, struct member *m,
			  const struct hx_plan *plan, int timeout_ms)
{
	char line[96];

	if (hx_tcp_connect(c, &m->conn, "127.0.0.1", hx_port(c, 0), IO_MS) < 0)
		return -1;
	snprintf(line, sizeof(line), "%s\n", m->nick);
	if (hx_send_str(c, &m->conn, line, plan) < 0)
		return -1;
	snprintf(line, sizeof(line), "* welcome %s\n", m->nick);
	return expect_line_within(c, m, line, timeout_ms);
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
	for (int i = 0; i < count; i++)
		if (list[i].conn.fd >= 0 &&
		    expect_line_within(c, &list[i], notice, timeout_ms) < 0)
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
		for (int i = 0; i < n; i++)
			if (&list[i] != m && list[i].conn.fd >= 0 &&
			    expect_line_within(c, &list[i], want, timeout_ms) <
				0)
				return -1;
		line += len;
		line += strspn(line, "\r\n");
	}
	hx_proc_wait_idle(room_under_test, timeout_ms);
	return 0;
}

/* Closes m (as a client that leaves) and requires the others in list to
 * be told "* NICK left". */
static int leave(struct hx_check *c, struct member *list, int n,
		 struct member *m, int timeout_ms)
{
	char notice[96];

	hx_close(c, &m->conn);
	snprintf(notice, sizeof(notice), "* %s left\n", m->nick);
	for (int i = 0; i < n; i++)
		if (&list[i] != m && list[i].conn.fd >= 0 &&
		    expect_line_within(c, &list[i], notice, timeout_ms) < 0)
			return -1;
	hx_proc_wait_idle(room_under_test, timeout_ms);
	return 0;
}

static void check_relay_order(struct hx_check *c)
{
	static const struct hx_plan random_pieces = {HX_RANDOM, 6, 1};
	struct member list[] = {{"ana", {0}}, {"ben", {0}}, {"cleo", {0}}};
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

static void check_no_echo(struct hx_check *c)
{
	struct member list[] = {{"ana", {0}}, {"ben", {0}}, {"cleo", {0}}};

	if (!start_room(c, NULL) || join_all(c, list, 3) < 0 ||
	    say(c, list, 3, &list[0], "one\ntwo\n", NULL, IO_MS) < 0 ||
	    say(c, list, 3, &list[1], "three\n", NULL, IO_MS) < 0)
		return;
	/* Had ana been sent her own lines, they would have come first. */
	say(c, list, 3, &list[2], "four\n", NULL, IO_MS);
}

static void check_notices(struct hx_check *c)
{
	struct member list[] = {
	    {"ana", {0}}, {"ben", {0}}, {"cleo", {0}}, {"dan", {0}}};

	if (!start_room(c, NULL) || join_all(c, list, 3) < 0 ||
	    leave(c, list, 3, &list[1], IO_MS) < 0)
		return;
	/* The room goes on without ben, and lets a newcomer in. */
	if (join_within(c, list, 3, IO_MS) < 0 ||
	    say(c, list, 4, &list[3], "hi all\n", NULL, IO_MS) < 0)
		return;
	leave(c, list, 4, &list[0], IO_MS);
}

static void check_vanish(struct hx_check *c)
{
	struct member list[] = {{"ana", {0}}, {"ben", {0}}, {"cleo", {0}}};

	if (!start_room(c, NULL) || join_all(c, list, 3) < 0 ||
	    say(c, list, 3, &list[1], "brb\n", NULL, IO_MS) < 0)
		return;
	/* ben resets: the room's recv fails with ECONNRESET. */
	hx_reset(c, &list[1].conn);
	if (expect_line(c, &list[0], "* ben left\n") < 0 ||
	    expect_line(c, &list[2], "* ben left\n") < 0)
		return;
	say(c, list, 3, &list[0], "still here\n", NULL, IO_MS);
}

/* One line of the slow-member check: round r, line i, SLOW_LINE bytes
 * before the "\n" (the prefix "ana: " is added by the room). */
static void slow_line(char *buf, int round, int i)
{
	int n = snprintf(buf, SLOW_LINE + 2, "round %d line %d ", round, i);

	memset(buf + n, '.', (size_t)(SLOW_LINE - n));
	buf[SLOW_LINE] = '\n';
	buf[SLOW_LINE + 1] = '\0';
}

static void check_slow_member(struct hx_check *c)
{
	struct member list[] = {{"ana", {0}}, {"ben", {0}}, {"cleo", {0}}};
	static char round_text[SLOW_LINES * (SLOW_LINE + 1) + 1];
	char line[SLOW_LINE + 2], want[SLOW_LINE + 16];
	int ben_left = 0, small = 4096;

	if (!start_room(c, NULL) || join_all(c, list, 3) < 0)
		return;
	/* From here on ben reads nothing, into a small receive buffer, so
	 * that what the room sends it piles up at the room's end soon. */
	setsockopt(list[1].conn.fd, SOL_SOCKET, SO_RCVBUF, &small,
		   sizeof(small));
	/* ana talks, round after round; cleo must get every line of each
	 * round before the next. */
	hx_recordf(c, 0, "ben stops reading; ana sends %d lines of %d bytes",
		   SLOW_ROUNDS * SLOW_LINES, SLOW_LINE);
	for (int r = 0; r < SLOW_ROUNDS; r++) {
		size_t used = 0;

		for (int i = 0; i < SLOW_LINES; i++) {
			slow_line(line, r, i);
			memcpy(round_text + used, line, SLOW_LINE + 1);
			used += SLOW_LINE + 1;
		}
		if (hx_send(c, &list[0].conn, round_text, used, NULL) < 0)
			return;
		for (int i = 0; i < SLOW_LINES; i++) {
			long n = hx_recv_until(c, &list[2].conn, "\n", IO_MS);

			if (n < 0) {
				hx_note(c,
					"cleo got %d of the %d lines of "
					"round %d (%d KiB sent so far) "
					"while ben did not read",
					i, SLOW_LINES, r + 1,
					(r + 1) * SLOW_LINES * SLOW_LINE /
					    1024);
				return;
			}
			if (!ben_left && memcmp(list[2].conn.in.data,
						"* ben left\n", 11) == 0) {
				ben_left = 1; /* dropped: as the room should */
				hx_consume(&list[2].conn, (size_t)n);
				i--;
				continue;
			}
			slow_line(line, r, i);
			snprintf(want, sizeof(want), "ana: %s", line);
			if (hx_expect_bytes(c, "next line to cleo", want,
					    strlen(want), list[2].conn.in.data,
					    (size_t)n) < 0)
				return;
			hx_consume(&list[2].conn, (size_t)n);
		}
	}
	/* Whether ben was dropped by now depends on the kernel's buffers
	 * as well as on the room's 1 MiB: not checked. */
	hx_recordf(c, 0, "cleo got every line; ben %s",
		   ben_left ? "was dropped" : "is still there");
}

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

static void check_concurrent(struct hx_check *c)
{
	struct member list[] = {{"ana", {0}}, {"ben", {0}}, {"cleo", {0}}};
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

static void check_long_line(struct hx_check *c)
{
	static char line[300002], want[MESSAGE_MAX + 8];
	struct member list[] = {{"ana", {0}}, {"ben", {0}}};
	long n;

	if (!start_room(c, NULL) || join_all(c, list, 2) < 0)
		return;
	/* Exactly the limit: one line, relayed whole. */
	long_line(line, sizeof(line), MESSAGE_MAX);
	if (hx_send_str(c, &list[0].conn, line, NULL) < 0)
		return;
	n = hx_recv_until(c, &list[1].conn, "\n", IO_MS);
	if (n < 0) {
		hx_note(c, "ben was waiting for ana's line of %d bytes",
			MESSAGE_MAX);
		return;
	}
	memcpy(want, "ana: ", 5);
	memcpy(want + 5, line, MESSAGE_MAX + 1);
	if (hx_expect_bytes(c, "ana's 64 KiB line, as ben got it", want,
			    MESSAGE_MAX + 6, list[1].conn.in.data,
			    (size_t)n) < 0)
		return;
	hx_consume(&list[1].conn, (size_t)n);

	/* One byte over, then far over: dropped, and only ana is told. */
	if (hx_send_str(c, &list[0].conn,
			long_line(line, sizeof(line), MESSAGE_MAX + 1),
			NULL) < 0 ||
	    expect_line(c, &list[0], "* error: line too long\n") < 0 ||
	    hx_send_str(c, &list[0].conn,
			long_line(line, sizeof(line), sizeof(line) - 2),
			NULL) < 0 ||
	    expect_line(c, &list[0], "* error: line too long\n") < 0)
		return;
	/* The room goes on: the next line is an ordinary one. */
	say(c, list, 2, &list[0], "after the long ones\n", NULL, IO_MS);
}

static void check_many_members(struct hx_check *c)
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

static void check_race(struct hx_check *c)
{
	struct member list[] = {
	    {"ana", {0}}, {"ben", {0}}, {"cleo", {0}}, {"dan", {0}}};
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
	    say(c, list, 4, &list[0], "bye from ana\n", NULL, TOOL_IO_MS) < 0)
		return;
	/* Stopped with three members connected: every thread ends. */
	hx_proc_wait_idle(room, TOOL_IO_MS);
	if (hx_proc_signal_exit(c, room, SIGTERM, TOOL_STOP_MS) == 0)
		hx_proc_expect_tool_clean(c, room);
}

static void check_room_pieces(struct hx_check *c)
{
	/* A pause between bytes, so no single recv can get them all. */
	static const struct hx_plan byte_by_byte = {HX_BYTES, 0, 2};
	struct member list[] = {{"ana", {0}}, {"ben", {0}}};

	if (!start_room(c, NULL) ||
	    connect_member(c, &list[0], &byte_by_byte, IO_MS) < 0 ||
	    join_within(c, list, 1, IO_MS) < 0 ||
	    say(c, list, 2, &list[0], "hello\r\nworld\n", &byte_by_byte,
		IO_MS) < 0)
		return;
	/* Two lines in one segment are two lines. */
	say(c, list, 2, &list[1], "one\ntwo\n", NULL, IO_MS);
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

static void check_bad_input(struct hx_check *c)
{
	static const char *const bad_nicks[] = {
	    "\n",
	    "two words\n",
	    "ana:\n",
	    "no/slash\n",
	    "a_nick_of_thirty-three_bytes_xxxx\n",
	};
	static char huge[70002];
	struct member list[] = {{"ana", {0}}, {"ben", {0}}};

	if (!start_room(c, NULL) || join_all(c, list, 1) < 0)
		return;
	for (int i = 0; i < SL_COUNT(bad_nicks); i++)
		if (expect_refused(c, bad_nicks[i], "* error: bad nick\n") < 0)
			return;
	if (expect_refused(c, long_line(huge, sizeof(huge), sizeof(huge) - 2),
			   "* error: bad nick\n") < 0 ||
	    expect_refused(c, "ana\n", "* error: nick in use\n") < 0)
		return;
	/* ana heard of none of them; an empty line is not relayed. */
	if (join_within(c, list, 1, IO_MS) < 0 ||
	    hx_send_str(c, &list[0].conn, "\n\r\n", NULL) < 0)
		return;
	say(c, list, 2, &list[0], "that was nothing\n", NULL, IO_MS);
}

static void check_room_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},	     {"abc", NULL},	      {"0", NULL},
	    {"65536", NULL}, {"9000", "extra", NULL},
	};

	hx_expect_usage(c, "room", cases, SL_COUNT(cases), EXIT_MS);
}

static void check_stop_signal(struct hx_check *c)
{
	struct member list[] = {{"ana", {0}}, {"ben", {0}}};
	struct hx_proc *room = start_room(c, NULL);
	struct hx_proc *waiting;

	/* SIGTERM with no one there. */
	if (!room)
		return;
	hx_proc_wait_idle(room, READY_MS);
	if (hx_proc_signal_exit(c, room, SIGTERM, STOP_MS) < 0)
		return;
	/* SIGINT with two members, one of them halfway through a line. */
	room = start_room(c, NULL);
	if (!room || join_all(c, list, 2) < 0 ||
	    hx_send_str(c, &list[1].conn, "half a li", NULL) < 0)
		return;
	wait_delivered(room, &list[1]);
	if (hx_proc_signal_exit(c, room, SIGINT, STOP_MS) < 0)
		return;
	for (int i = 0; i < 2; i++)
		if (hx_recv_all(c, &list[i].conn, 1 << 16, IO_MS) < 0)
			return;
	/* chat-server: SIGTERM while it waits for its peer. */
	waiting = hx_start_server_on(c, "chat-server", "chat-server", HX_TCP,
				     hx_port(c, 1), NULL, READY_MS);
	if (!waiting)
		return;
	hx_proc_wait_idle(waiting, READY_MS);
	hx_proc_signal_exit(c, waiting, SIGTERM, STOP_MS);
}

static const struct sl_check checks[] = {
	{
		.id = "build",
		.title = "chat-server, chat-client and room build without warnings",
		.points = 6,
		.timeout_ms = 60000,
		.programs = "chat-server chat-client room",
		.hint = "Read the compiler's messages from the first one down; fix every "
			"warning too (an unused variable, a missing return, a signed and "
			"unsigned comparison).",
		.run = NULL,
	},
	{
		.id = "peer-message",
		.title = "A line from the peer is printed while nothing is typed",
		.points = 7,
		.timeout_ms = 6000,
		.programs = "chat-server chat-client",
		.hint = "Do not block in fgets or read on the keyboard: poll both stdin "
			"(fd 0) and the socket with POLLIN, and read only the one that is "
			"ready. Print \"peer: TEXT\\n\" and fflush(stdout): when stdout is a "
			"pipe, stdio keeps the line in memory until it is flushed.",
		.run = check_peer_message,
	},
	{
		.id = "typed-line",
		.title = "Lines typed are sent, each with its \"\\n\"",
		.points = 5,
		.timeout_ms = 6000,
		.programs = "chat-server chat-client",
		.hint = "When poll says stdin is readable, read it into the keyboard's line "
			"reader and send every whole line with its \"\\n\" using writen. Do "
			"not mix stdio (fgets) with poll: fgets may read two lines and "
			"return one, and poll will not tell you about the other.",
		.run = check_typed_line,
	},
	{
		.id = "exit-typed",
		.title = "Typing \"exit\" or closing stdin sends \"exit\", closes and exits 0",
		.points = 5,
		.timeout_ms = 8000,
		.programs = "chat-server chat-client",
		.hint = "A typed line \"exit\" is sent like any other, then close the socket "
			"and return 0. read on stdin returning 0 (Ctrl-D, or the end of a "
			"pipe) means the same: send \"exit\\n\", close, return 0.",
		.run = check_exit_typed,
	},
	{
		.id = "exit-peer",
		.title = "\"exit\" from the peer, or its close, ends the program with status 0",
		.points = 5,
		.timeout_ms = 8000,
		.programs = "chat-server chat-client",
		.hint = "A received line \"exit\" is not printed: it ends the chat. So does "
			"recv (read) returning 0 on the socket. Close the socket and return "
			"0 from main in both cases.",
		.run = check_exit_peer,
	},
	{
		.id = "chat-pieces",
		.title = "Lines arriving byte by byte, or two at once, are printed whole",
		.points = 4,
		.timeout_ms = 6000,
		.programs = "chat-server chat-client",
		.hint = "One read is not one line. Keep the bytes of each input in its own "
			"line_reader; after each fill, take every whole line out with "
			"line_reader_next, and keep the rest for the next read.",
		.run = check_chat_pieces,
	},
	{
		.id = "chat-usage",
		.title = "chat-server and chat-client reject bad arguments; a refused connect "
			"exits 2",
		.points = 2,
		.timeout_ms = 10000,
		.programs = "chat-server chat-client",
		.hint = "chat-server takes exactly PORT, chat-client exactly HOST PORT, PORT "
			"a whole number from 1 to 65535 (parse_port); otherwise print a "
			"\"usage:\" line on stderr and return 1. When connect fails, print "
			"\"chat-client: connect to HOST port PORT: reason\" and return 2.",
		.run = check_chat_usage,
	},
	{
		.id = "relay-order",
		.title = "Each line goes to every other member as \"NICK: TEXT\", in order",
		.points = 6,
		.timeout_ms = 6000,
		.programs = "room",
		.hint = "After the nick line, read the member's lines one by one and queue "
			"\"NICK: TEXT\\n\" for every other member, holding the room's mutex "
			"while you walk the list. Lines of one member must leave in the "
			"order they came.",
		.run = check_relay_order,
	},
	{
		.id = "no-echo",
		.title = "A member is never sent its own lines",
		.points = 5,
		.timeout_ms = 6000,
		.programs = "room",
		.hint = "When you walk the member list to relay a line, skip the member who "
			"sent it (compare the pointers).",
		.run = check_no_echo,
	},
	{
		.id = "notices",
		.title = "\"* welcome NICK\", \"* NICK joined\" and \"* NICK left\" are sent",
		.points = 6,
		.timeout_ms = 6000,
		.programs = "room",
		.hint = "After a good nick: \"* welcome NICK\\n\" to the newcomer first, then "
			"\"* NICK joined\\n\" to the others, both while holding the room's "
			"mutex. When a member's recv returns 0, take it off the list and "
			"send \"* NICK left\\n\" to those left.",
		.run = check_notices,
	},
	{
		.id = "vanish",
		.title = "A member that resets is removed and the others told it left",
		.points = 6,
		.timeout_ms = 6000,
		.programs = "room",
		.hint = "recv fails with ECONNRESET when a client resets: that member has "
			"left, exactly as when recv returns 0. Take it off the list and "
			"send \"* NICK left\\n\" in both cases; never exit the room.",
		.run = check_vanish,
	},
	{
		.id = "slow-member",
		.title = "A member that never reads does not stall the others",
		.points = 7,
		.timeout_ms = 15000,
		.programs = "room",
		.hint = "Never write to a member's socket from another member's thread: a "
			"write to a client that does not read blocks for ever. Append the "
			"line to the member's outbox and let its own writer thread send it. "
			"When an outbox would pass 1 MiB, shutdown that member's socket: it "
			"leaves like any other.",
		.run = check_slow_member,
	},
	{
		.id = "concurrent",
		.title = "Two members writing at once: every line relayed, none mixed or lost",
		.points = 6,
		.timeout_ms = 8000,
		.programs = "room",
		.hint = "Each member needs its own line reader and its own line and message "
			"buffers (in its struct member, not static or global): two threads "
			"read at the same time. Queue each whole line with the room's mutex "
			"held.",
		.run = check_concurrent,
	},
	{
		.id = "long-line",
		.title = "A 64 KiB line arrives whole; a longer one gets an error",
		.points = 5,
		.timeout_ms = 8000,
		.flags = SL_SANITIZE,
		.programs = "room",
		.hint = "A line may be 65536 bytes before its \"\\n\": the reader's buffer "
			"holds MESSAGE_MAX + 1 bytes and the message buffer the nick, \": \", "
			"the line and \"\\n\". On LINE_TOO_LONG send only the sender "
			"\"* error: line too long\\n\" and go on with its next line.",
		.run = check_long_line,
	},
	{
		.id = "many-members",
		.title = "A room of 20 members: every line and notice reaches all",
		.points = 5,
		.timeout_ms = 15000,
		.programs = "room",
		.hint = "Start a thread for every client that connects and keep every member "
			"in the list; do not limit the room to a few clients, and take "
			"members off the list when they leave.",
		.run = check_many_members,
	},
	{
		.id = "race",
		.title = "No data race: joins, lines and leaves under the thread checker",
		.points = 6,
		.timeout_ms = 90000,
		.programs = "room",
		.hint = "Every read and write of the member list (adding, removing, "
			"walking it) and of each outbox must hold the mutex that guards it, "
			"in every thread, main included. The first report names the two "
			"places that raced; V=1 shows the whole report.",
		.run = check_race,
	},
	{
		.id = "room-pieces",
		.title = "A nick and lines arriving byte by byte are read whole",
		.points = 4,
		.timeout_ms = 8000,
		.programs = "room",
		.hint = "One recv is not one line, not even for the nick: read into the "
			"member's line reader until line_reader_next gives a whole line, "
			"and keep what follows it. Drop a \"\\r\" before the \"\\n\".",
		.run = check_room_pieces,
	},
	{
		.id = "bad-input",
		.title = "Bad or taken nicks are refused; empty lines are not relayed",
		.points = 3,
		.timeout_ms = 10000,
		.programs = "room",
		.hint = "A nick is 1 to 32 letters, digits, '-' or '_'. Anything else gets "
			"\"* error: bad nick\\n\", a nick in use \"* error: nick in use\\n\", "
			"then close that connection without telling anyone. Skip empty "
			"lines.",
		.run = check_bad_input,
	},
	{
		.id = "room-usage",
		.title = "room rejects bad arguments with a usage line and status 1",
		.points = 2,
		.timeout_ms = 8000,
		.programs = "room",
		.hint = "Accept exactly one argument and check it with parse_port; otherwise "
			"print \"usage: room PORT\" on stderr and return 1.",
		.run = check_room_usage,
	},
	{
		.id = "stop-signal",
		.title = "room and chat-server exit 0 promptly on SIGTERM and SIGINT",
		.points = 5,
		.timeout_ms = 10000,
		.programs = "room chat-server",
		.hint = "Install the handler with sigaction and sa_flags 0, so accept or "
			"poll fails with EINTR. In the room block the signals in every "
			"thread but main (pthread_sigmask before pthread_create), and on "
			"stop shutdown every member's socket, wait for their threads and "
			"return 0.",
		.run = check_stop_signal,
	},
};

static const struct sl_lab lab07 = {
	.number = "07",
	.name = "chat",
	.title = "A chat: one-to-one with poll, then a room with threads",
	.files = { "chat.c", "chat-server.c", "chat-client.c", "room.c" },
	.given = { "chat.h" },
	.programs = {
		{ .name = "chat-server", .sources = { "chat-server.c", "chat.c" } },
		{ .name = "chat-client", .sources = { "chat-client.c", "chat.c" } },
		{ .name = "room", .sources = { "room.c", "chat.c" } },
	},
	.checks = checks,
	.nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab07);
