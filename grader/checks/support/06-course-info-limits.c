/* 06-course-info-limits.c - lab 06: line limits, and clients that misbehave.
 *
 * Included by grader/checks/06-course-info.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

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
	hx_proc_stop_quietly(c, server, STOP_MS);
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
	hx_proc_stop_quietly(c, server, STOP_MS);
	hx_expect_no_stdout(c, server);
}
