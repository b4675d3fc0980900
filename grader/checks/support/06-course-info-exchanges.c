/* 06-course-info-exchanges.c - lab 06: requests and the replies they must get.
 *
 * Included by grader/checks/06-course-info.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

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
