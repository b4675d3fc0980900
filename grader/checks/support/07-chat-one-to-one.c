/* 07-chat-one-to-one.c - lab 07: part one, the one-to-one chat's checks and the
 * peers they play.
 *
 * Included by grader/checks/07-chat.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

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
