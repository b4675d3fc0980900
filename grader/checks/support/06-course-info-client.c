/* 06-course-info-client.c - lab 06: the client.
 *
 * Included by grader/checks/06-course-info.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

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

/* A client connected and waiting holds one socket: that one. A socket
 * left over from an address that refused is a descriptor leaked. */
static int expect_one_socket(struct hx_check *c, struct hx_proc *client)
{
	int sockets;

	hx_proc_wait_idle(client, IO_MS);
	sockets = hx_proc_count_sockets(client);
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

/* Plays the server for one run of the client: each request must come in
 * order, each reply goes back in random pieces. With close_after >= 0 the
 * server closes after that many requests, without a reply to the last. */
static int serve_requests(struct hx_check *c, struct hx_conn *conn,
			  const struct exchange *list, int n, int close_after)
{
	static const struct hx_plan pieces = {
	    .split = HX_RANDOM, .max_piece = 4, .delay_ms = 1};

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
		if (i + 1 == close_after)
			return 0;
		if (hx_send_str(c, conn, list[i].reply, &pieces) < 0)
			return -1;
	}
	/* Then the client closes, with nothing more to say. */
	if (hx_recv_all(c, conn, 1, IO_MS) < 0)
		return -1;
	return hx_expect_bytes(c, "bytes after the last request", "", 0,
			       conn->in.data, conn->in.len);
}

/* Runs "client host PORT courses..." against a harness server on
 * 127.0.0.1 that expects list; the client must exit with status and print
 * want. With one_socket, its sockets are counted once it is connected. */
static void run_client(struct hx_check *c, const char *host,
		       const struct exchange *list, int n, int close_after,
		       int status, const char *want, int one_socket)
{
	int port = hx_port(c, 0);
	char port_arg[16], courses[8][32];
	const char *args[12] = {host, port_arg};
	struct hx_conn listener, conn;
	struct hx_proc *client;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	for (int i = 0; i < n && i < 8; i++) {
		snprintf(courses[i], sizeof(courses[i]), "%.*s",
			 (int)strcspn(list[i].request, "\n"), list[i].request);
		args[2 + i] = courses[i];
	}
	if (hx_tcp_listen(c, &listener, "127.0.0.1", port) < 0)
		return;
	client = hx_start(c, "client", args);
	if (!client || wait_for_connection(c, &listener, client) < 0 ||
	    hx_tcp_accept(c, &listener, &conn, IO_MS) < 0 ||
	    (one_socket && expect_one_socket(c, client) < 0))
		goto out_close_listener;
	if (serve_requests(c, &conn, list, n, close_after) < 0) {
		hx_proc_wait(c, client, IO_MS);
		hx_note(c, "the client printed:\n%s",
			client->out.len ? client->out.data : "(nothing)");
	}
	hx_close(c, &conn);
	if (hx_ok(c) && hx_proc_expect_exit(c, client, status, IO_MS) == 0)
		hx_expect_str(c, "client's stdout", want, client->out.data);
out_close_listener:
	hx_close(c, &listener);
}

static void check_client_replies(struct hx_check *c)
{
	/* The lecture's lowercase request is sent as typed. */
	static const struct exchange list[] = {
	    {.request = "python\n", .reply = PYTHON},
	    {.request = "Ruby\n", .reply = NOT_AVAILABLE},
	    {.request = "C\n", .reply = C_LANGUAGE},
	};

	run_client(c, "127.0.0.1", list, SL_COUNT(list), -1, 0,
		   PYTHON NOT_AVAILABLE C_LANGUAGE, 0);
}

static void check_client_localhost(struct hx_check *c)
{
	static const struct exchange list[] = {
	    {.request = "java\n", .reply = JAVA},
	};

	/* HX_DUAL_HOST gives ::1 first, where nothing listens. */
	run_client(c, HX_DUAL_HOST, list, SL_COUNT(list), -1, 0, JAVA, 1);
	if (!hx_ok(c))
		hx_note(c,
			"%s resolves to ::1 first, where nothing listens, "
			"then to 127.0.0.1, where the grader does",
			HX_DUAL_HOST);
}

/* Runs "client host port python", which must fail: exit status 2 within
 * timeout_ms and a message on stderr that contains each of needles. */
static int expect_client_error(struct hx_check *c, const char *host, int port,
			       const char *const *needles, int timeout_ms)
{
	char port_arg[16], label[96];
	const char *args[] = {host, port_arg, "python", NULL};
	struct hx_proc *client;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	snprintf(label, sizeof(label), "client %s %s python", host, port_arg);
	client = hx_start_labelled(c, label, "client", args);
	if (!client || hx_proc_expect_exit(c, client, 2, timeout_ms) < 0)
		return -1;
	for (int i = 0; needles[i]; i++)
		if (hx_expect_contains(c, "client's stderr", needles[i],
				       client->err.data) < 0)
			return -1;
	return 0;
}

/* 1 if text holds the resolver's words for a name that does not
 * resolve: this sandbox's answer, or the answers other resolvers give. */
static int has_resolver_text(const char *text)
{
	static const int codes[] = {EAI_NONAME, EAI_AGAIN, EAI_FAIL,
				    EAI_NODATA};
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM};
	struct addrinfo *list = NULL;
	int rc = getaddrinfo(UNKNOWN_HOST, "80", &hints, &list);

	if (rc == 0)
		freeaddrinfo(list);
	else if (strstr(text, gai_strerror(rc)))
		return 1;
	for (int i = 0; i < SL_COUNT(codes); i++)
		if (strstr(text, gai_strerror(codes[i])))
			return 1;
	return 0;
}

static void check_client_errors(struct hx_check *c)
{
	static const char *const unknown[] = {UNKNOWN_HOST, NULL};
	static const char *const refused[] = {"connect", "Connection refused",
					      NULL};
	static const struct exchange list[] = {
	    {.request = "python\n", .reply = PYTHON},
	    {.request = "java\n", .reply = JAVA},
	};
	const char *err;

	/* An unknown host: its name and gai_strerror's words. */
	if (expect_client_error(c, UNKNOWN_HOST, hx_port(c, 0), unknown,
				RESOLVE_MS) < 0)
		return;
	err = c->procs[c->nprocs - 1]->err.data;
	if (!has_resolver_text(err) &&
	    hx_expect_contains(c, "client's stderr", gai_strerror(EAI_NONAME),
			       err) < 0)
		return;
	/* Nothing listens on port 1 of this check. */
	if (expect_client_error(c, "127.0.0.1", hx_port(c, 1), refused,
				EXIT_MS) < 0)
		return;
	/* A server that closes instead of its second reply: the first
	 * reply stays printed, the status is 2, and stderr says why. */
	run_client(c, "127.0.0.1", list, SL_COUNT(list), 2, 2, PYTHON, 0);
	if (hx_ok(c) && c->procs[c->nprocs - 1]->err.len == 0)
		hx_fail(c, HX_FAIL,
			"the client exited with status 2 when the server "
			"closed before its reply, but said nothing on stderr");
}
