/* 13-dual-stack-client.c - lab 13: the client.
 *
 * Included by grader/checks/13-dual-stack.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

/* ---- the client ------------------------------------------------------ */

/* "client ARGS...", for feedback. */
static void command_line(const char *const *args, char *out, size_t size)
{
	size_t used = (size_t)snprintf(out, size, "client");

	for (int i = 0; args[i] && used < size; i++)
		used += (size_t)snprintf(
		    out + used, size - used,
		    strlen(args[i]) > 40 ? " %.20s..." : " %s", args[i]);
}

/* Serves client (labelled label), which has connected to listener:
 * accepts, sends reply cut by plan, closes, and requires the client to
 * print exactly reply and exit 0. */
static int serve_connected(struct hx_check *c, struct hx_proc *client,
			   const char *label, struct hx_conn *listener,
			   const void *reply, size_t len,
			   const struct hx_plan *plan)
{
	char what[200];
	struct hx_conn conn;

	if (hx_tcp_accept(c, listener, &conn, IO_MS) < 0)
		return -1;
	if (hx_send(c, &conn, reply, len, plan) < 0) {
		hx_proc_wait(c, client, IO_MS);
		hx_note(c, "the client printed %zu of the %zu bytes sent",
			client->out.len, len);
	}
	hx_close(c, &conn);
	if (!hx_ok(c) || hx_proc_expect_exit(c, client, 0, IO_MS) < 0)
		return -1;
	snprintf(what, sizeof(what), "stdout of %s", label);
	return hx_expect_bytes(c, what, reply, len, client->out.data,
			       client->out.len);
}

/* Plays the server for one run of the client: listener listens already
 * (at where, for feedback); starts "client args" and serves it (see
 * serve_connected). */
static int serve_client(struct hx_check *c, struct hx_conn *listener,
			const char *where, const char *const *args,
			const void *reply, size_t len,
			const struct hx_plan *plan)
{
	char label[128], what[200];
	struct hx_proc *client;
	int ready;

	command_line(args, label, sizeof(label));
	client = hx_start_labelled(c, label, "client", args);
	if (!client)
		return -1;
	snprintf(what, sizeof(what), "without connecting to %s", where);
	ready = hx_wait_readable(c, listener->fd, client, what, IO_MS);
	if (ready == 0)
		return hx_fail(c, HX_TIMEOUT,
			       "%s did not connect to %s within %.1f s", label,
			       where, IO_MS / 1000.0);
	if (ready < 0)
		return -1;
	return serve_connected(c, client, label, listener, reply, len, plan);
}

/* The client started last wrote nothing on stderr: a client that
 * succeeds prints only what it received (the handout's exit table). */
static int expect_quiet_client(struct hx_check *c)
{
	struct hx_proc *client = c->nprocs ? c->procs[c->nprocs - 1] : NULL;

	if (!client)
		return 0;
	hx_proc_pump(client, 0);
	if (client->err.len == 0)
		return 0;
	return hx_fail_values(c, HX_FAIL, "", 0, client->err.data,
			      client->err.len,
			      "%s exited 0 but wrote on stderr: a client that "
			      "succeeds writes nothing there (stderr is for "
			      "what went wrong)",
			      client->label);
}

/* Listens on TCP host (numeric), port 0 of the check, and serves one run
 * of "client connect_to PORT". */
static int serve_tcp_client(struct hx_check *c, const char *host,
			    const char *connect_to, const void *reply,
			    size_t len, const struct hx_plan *plan)
{
	char port_arg[16], where[96];
	const char *args[] = {connect_to, port_arg, NULL};
	struct hx_conn listener;
	int rc;

	snprintf(port_arg, sizeof(port_arg), "%d", hx_port(c, 0));
	snprintf(where, sizeof(where), "%s port %d", host, hx_port(c, 0));
	if (hx_tcp_listen(c, &listener, host, hx_port(c, 0)) < 0)
		return -1;
	rc = serve_client(c, &listener, where, args, reply, len, plan);
	hx_close(c, &listener);
	return rc;
}

/* Listens on the UNIX socket path and serves one run of "client -U
 * path". */
static int serve_unix_client(struct hx_check *c, const char *path,
			     const void *reply, size_t len)
{
	const char *args[] = {"-U", path, NULL};
	struct hx_conn listener;
	char file[1200];
	int rc;

	if (hx_unix_listen(c, &listener, path) < 0)
		return -1;
	rc = serve_client(c, &listener, path, args, reply, len, NULL);
	hx_close(c, &listener);
	work_path(c, path, file, sizeof(file));
	unlink(file);
	return rc;
}

static void check_client_ipv4(struct hx_check *c)
{
	static const char reply[] = GREETING "IPv4 127.0.0.1 port 40312\n";
	/* a pause between bytes, so no single recv can get them all */
	static const struct hx_plan byte_by_byte = {.split = HX_BYTES,
						    .delay_ms = 2};
	static const struct hx_plan random_pieces = {.split = HX_RANDOM,
						     .max_piece = 4096};
	char *long_reply = malloc(LONG_REPLY);

	if (!long_reply) {
		hx_fail(c, HX_ERROR, "out of memory");
		return;
	}
	/* numbered lines with NUL bytes and bytes above 127 among them */
	for (size_t i = 0, line = 0; i < LONG_REPLY; line++) {
		char text[64];
		int n =
		    snprintf(text, sizeof(text), "%05zu a line\t\xff", line);

		for (int k = 0; k <= n && i < LONG_REPLY; k++)
			long_reply[i++] = k == n ? '\n' : text[k];
		if (i < LONG_REPLY)
			long_reply[i++] = '\0';
	}
	if (serve_tcp_client(c, "127.0.0.1", "127.0.0.1", reply, strlen(reply),
			     &byte_by_byte) == 0 &&
	    expect_quiet_client(c) == 0 &&
	    serve_tcp_client(c, "127.0.0.1", "127.0.0.1", long_reply,
			     LONG_REPLY, &random_pieces) == 0)
		expect_quiet_client(c);
	free(long_reply);
}

static void check_client_ipv6(struct hx_check *c)
{
	static const char reply[] = GREETING "IPv6 ::1 port 40312\n";

	if (need_ipv6_loopback(c) == 0)
		serve_tcp_client(c, "::1", "::1", reply, strlen(reply), NULL);
}

static void check_client_unix(struct hx_check *c)
{
	static const char reply[] = GREETING "unix (unnamed)\n";

	if (serve_unix_client(c, SOCKET, reply, strlen(reply)) == 0)
		serve_unix_client(c, NAME_107, reply, strlen(reply));
}

/* getaddrinfo's answer for a name, in its order, as the handout has the
 * client ask (AF_UNSPEC, SOCK_STREAM). */
struct resolved {
	char address[16][INET6_ADDRSTRLEN];	 /* numeric, in order */
	int n;					 /* addresses */
	char order[16 * (INET6_ADDRSTRLEN + 2)]; /* "::1, 127.0.0.1, ..." */
};

static int resolve(struct hx_check *c, const char *name, struct resolved *r)
{
	struct addrinfo hints, *list, *ai;
	size_t used = 0;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(name, NULL, &hints, &list);
	if (rc != 0)
		return hx_fail(c, HX_ERROR, "the harness cannot resolve %s: %s",
			       name, gai_strerror(rc));
	r->n = 0;
	r->order[0] = '\0';
	for (ai = list; ai && r->n < 16; ai = ai->ai_next) {
		const void *bytes =
		    ai->ai_family == AF_INET
			? (const void *)&((struct sockaddr_in *)ai->ai_addr)
			      ->sin_addr
			: (const void *)&((struct sockaddr_in6 *)ai->ai_addr)
			      ->sin6_addr;

		inet_ntop(ai->ai_family, bytes, r->address[r->n],
			  sizeof(r->address[r->n]));
		used += (size_t)snprintf(r->order + used,
					 sizeof(r->order) - used, "%s%s",
					 r->n ? ", " : "", r->address[r->n]);
		r->n++;
	}
	freeaddrinfo(list);
	return 0;
}

/* 1 if the harness can listen on address here (::1 may be missing). */
static int bindable(const char *address)
{
	struct sockaddr_storage addr;
	int family = strchr(address, ':') ? AF_INET6 : AF_INET;
	socklen_t len = family == AF_INET6 ? sizeof(struct sockaddr_in6)
					   : sizeof(struct sockaddr_in);
	int fd, ok;

	memset(&addr, 0, sizeof(addr));
	addr.ss_family = (sa_family_t)family;
	if (inet_pton(family, address,
		      family == AF_INET6
			  ? (void *)&((struct sockaddr_in6 *)&addr)->sin6_addr
			  : (void *)&((struct sockaddr_in *)&addr)->sin_addr) !=
	    1)
		return 0;
	fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ok = fd >= 0 && bind(fd, (struct sockaddr *)&addr, len) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

/* Runs "client name PORT" where only the last address of name the
 * harness can listen on answers: every one before it is refused. 1 when
 * run, 0 when name has no refused address before it here (nothing to
 * test), -1 after a failure. */
static int fallback_case(struct hx_check *c, const char *name)
{
	char reply[NAME_CAP], connect_to[64];
	struct resolved r;
	int last = -1;

	if (resolve(c, name, &r) < 0)
		return -1;
	for (int i = r.n - 1; i >= 0 && last < 0; i--)
		if (bindable(r.address[i]))
			last = i;
	hx_recordf(c, 0, "getaddrinfo(\"%s\") gives %s", name, r.order);
	if (last <= 0)
		return 0;
	hx_recordf(c, 0, "the harness listens on %s only", r.address[last]);
	snprintf(reply, sizeof(reply), GREETING "%s %s port 40312\n",
		 strchr(r.address[last], ':') ? "IPv6" : "IPv4",
		 r.address[last]);
	snprintf(connect_to, sizeof(connect_to), "%s", name);
	if (serve_tcp_client(c, r.address[last], connect_to, reply,
			     strlen(reply), NULL) == 0)
		return 1;
	hx_note(c,
		"getaddrinfo gives %s for %s, in this order; only %s "
		"answers: try every address until one connects, with a new "
		"socket of that address's family each time",
		r.order, name, r.address[last]);
	return -1;
}

/* Listens on every distinct address of r the harness can listen on, at
 * port 0 of the check, first address first. Returns how many listen. */
static int listen_on_all(struct hx_check *c, const struct resolved *r,
			 struct hx_conn *listeners, const char **addresses)
{
	int n = 0;

	for (int i = 0; i < r->n; i++) {
		int seen = 0;

		for (int k = 0; k < n; k++)
			seen |= strcmp(addresses[k], r->address[i]) == 0;
		if (seen || !bindable(r->address[i]))
			continue;
		if (hx_tcp_listen(c, &listeners[n], r->address[i],
				  hx_port(c, 0)) < 0)
			break;
		addresses[n++] = r->address[i];
	}
	return n;
}

/* Runs "client name PORT" where every address of name answers: the
 * client must connect to the first one getaddrinfo gives, not to the
 * one it likes best. 1 when run, 0 when the first address cannot be
 * listened on here or is the only one (nothing to tell), -1 after a
 * failure. */
static int order_case(struct hx_check *c, const char *name)
{
	char port_arg[16], reply[NAME_CAP], label[128], what[200];
	const char *args[] = {name, port_arg, NULL};
	const char *addresses[16];
	struct hx_conn listeners[16];
	struct hx_proc *client;
	struct resolved r;
	int64_t deadline = hx_deadline(IO_MS);
	int n, ready = 0, rc = -1;

	if (resolve(c, name, &r) < 0)
		return -1;
	if (r.n < 2 || !bindable(r.address[0]))
		return 0;
	n = listen_on_all(c, &r, listeners, addresses);
	if (!hx_ok(c) || n < 2) {
		rc = hx_ok(c) ? 0 : -1;
		goto out_close;
	}
	hx_recordf(c, 0,
		   "getaddrinfo(\"%s\") gives %s; the harness listens "
		   "on every one",
		   name, r.order);
	snprintf(port_arg, sizeof(port_arg), "%d", hx_port(c, 0));
	command_line(args, label, sizeof(label));
	client = hx_start_labelled(c, label, "client", args);
	if (!client)
		goto out_close;
	snprintf(what, sizeof(what), "without connecting to %s port %d",
		 addresses[0], hx_port(c, 0));
	/* in slices, to see a connection to any other address at once */
	while (ready == 0 && hx_remaining_ms(deadline) > 0) {
		ready = hx_wait_readable(c, listeners[0].fd, client, what,
					 SLICE_MS);
		for (int k = 1; ready == 0 && k < n; k++) {
			struct pollfd pfd = {.fd = listeners[k].fd,
					     .events = POLLIN};

			if (poll(&pfd, 1, 0) == 1) {
				hx_fail(c, HX_FAIL,
					"%s connected to %s first, though "
					"getaddrinfo gives %s in this order "
					"and every one of them answers",
					label, addresses[k], r.order);
				goto out_close;
			}
		}
	}
	if (ready == 0)
		hx_fail(c, HX_TIMEOUT, "%s did not connect to %s within %.1f s",
			label, addresses[0], IO_MS / 1000.0);
	if (ready <= 0)
		goto out_close;
	snprintf(reply, sizeof(reply), GREETING "%s %s port 40312\n",
		 strchr(addresses[0], ':') ? "IPv6" : "IPv4", addresses[0]);
	if (serve_connected(c, client, label, &listeners[0], reply,
			    strlen(reply), NULL) == 0)
		rc = 1;
out_close:
	for (int k = 0; k < n; k++)
		hx_close(c, &listeners[k]);
	return rc;
}

static int install_fixtures(struct hx_check *c)
{
	if (hx_fixture_file(c, "/etc/hosts", fixture_hosts) < 0 ||
	    hx_fixture_file(c, "/etc/nsswitch.conf", fixture_nsswitch) < 0)
		return -1;
	return 0;
}

static void check_client_fallback(struct hx_check *c)
{
	int ran = 0, rc;

	if (install_fixtures(c) < 0)
		return;
	rc = fallback_case(c, "localhost");
	if (rc < 0)
		return;
	ran += rc;
	rc = fallback_case(c, "lab13-far");
	if (rc < 0)
		return;
	ran += rc;
	/* every address answers: the first must be the one used */
	rc = order_case(c, "localhost");
	if (rc < 0) {
		hx_note(c, "try the addresses in the order getaddrinfo gives "
			   "them: it has sorted them for this machine already "
			   "(RFC 6724)");
		return;
	}
	if (ran + rc == 0)
		hx_skip(c, "here getaddrinfo gives first the one address the "
			   "harness can listen on, for localhost and for "
			   "lab13-far: no address before it to refuse, and no "
			   "order to tell");
}

static void check_client_many(struct hx_check *c)
{
	struct hx_proc *client;
	int rc;

	if (install_fixtures(c) < 0)
		return;
	rc = fallback_case(c, "lab13-many");
	if (rc == 0) {
		hx_skip(c, "getaddrinfo gives first the one address of "
			   "lab13-many the harness can listen on here");
		return;
	}
	/* the client is the last process started */
	client = c->nprocs ? c->procs[c->nprocs - 1] : NULL;
	if (rc < 0 && client && client->err.data &&
	    strstr(client->err.data, "Too many open files"))
		hx_set_cause(c, HX_CAUSE_DESCRIPTORS,
			     "client: ran out of descriptors (EMFILE): the "
			     "socket of each address that failed must be "
			     "closed");
}

/* Runs "client args", which must fail: exit status 2 within timeout_ms
 * and a message on stderr that holds every one of needles (NULL ended). */
static int expect_client_error(struct hx_check *c, const char *const *args,
			       const char *const *needles, int timeout_ms)
{
	char label[128], what[160];
	struct hx_proc *client;

	command_line(args, label, sizeof(label));
	client = hx_start_labelled(c, label, "client", args);
	if (!client || hx_proc_expect_exit(c, client, 2, timeout_ms) < 0)
		return -1;
	snprintf(what, sizeof(what), "stderr of %s", label);
	for (int i = 0; needles[i]; i++)
		if (hx_expect_contains(c, what, needles[i],
				       client->err.data ? client->err.data
							: "") < 0)
			return -1;
	return 0;
}

static void check_client_errors(struct hx_check *c)
{
	static const char *const refused[] = {"connect", "Connection refused",
					      NULL};
	static const char *const unknown[] = {UNKNOWN_HOST, NULL};
	static const char *const missing[] = {"missing.sock", NULL};
	static const char *const stale[] = {"stale.sock", "Connection refused",
					    NULL};
	static const char *const missing_args[] = {"-U", "missing.sock", NULL};
	static const char *const stale_args[] = {"-U", "stale.sock", NULL};
	char port0[16], port1[16];
	const char *refused_args[] = {"127.0.0.1", port1, NULL};
	const char *unknown_args[] = {UNKNOWN_HOST, port0, NULL};

	/* nothing listens on port 1 of this check */
	snprintf(port0, sizeof(port0), "%d", hx_port(c, 0));
	snprintf(port1, sizeof(port1), "%d", hx_port(c, 1));
	if (expect_client_error(c, refused_args, refused, EXIT_MS) < 0 ||
	    expect_client_error(c, unknown_args, unknown, RESOLVE_MS) < 0 ||
	    expect_client_error(c, missing_args, missing, EXIT_MS) < 0 ||
	    hx_unix_stale(c, "stale.sock") < 0)
		return;
	expect_client_error(c, stale_args, stale, EXIT_MS);
}

static void check_client_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"127.0.0.1", NULL},
	    {"127.0.0.1", "abc", NULL},
	    {"127.0.0.1", "0", NULL},
	    {"127.0.0.1", "65536", NULL},
	    {"127.0.0.1", " 80", NULL},
	    {"127.0.0.1", "80", "extra", NULL},
	    {"-U", NULL},
	    {"-U", "", NULL},
	    {"-U", NAME_108, NULL},
	    {"-U", NAME_200, NULL},
	    {"-U", SOCKET, "extra", NULL},
	};

	hx_expect_usage(c, "client", cases, SL_COUNT(cases), EXIT_MS);
}

/* The rubric: 100 points. */
