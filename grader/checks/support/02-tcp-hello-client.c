/* 02-tcp-hello-client.c - lab 02: the client.
 *
 * Included by grader/checks/02-tcp-hello.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

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
