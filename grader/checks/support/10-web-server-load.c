/* 10-web-server-load.c - lab 10: many clients, descriptors, clients that leave
 * early, memory, arguments and stopping.
 *
 * Included by grader/checks/10-web-server.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

static void check_many_clients(struct hx_check *c)
{
	static const char *const targets[] = {"/index.html", "/notes.txt",
					      "/sub/"};
	struct site *s = NULL;
	struct hx_proc *server = set_up(c, &s);
	struct hx_conn conns[MANY_CLIENTS];
	int nconns = 0;

	if (!server)
		goto out_free;
	/* With the server paused, every client connects and sends its
	 * request: then all of them are waiting in the listen queue at
	 * once when it goes on. */
	kill(server->pid, SIGSTOP);
	hx_recordf(c, 0, "paused the server (SIGSTOP)");
	for (; nconns < MANY_CLIENTS; nconns++) {
		char request[256];

		request_for(request, sizeof(request),
			    targets[nconns % SL_COUNT(targets)]);
		if (hx_tcp_connect(c, &conns[nconns], "127.0.0.1",
				   hx_port(c, 0), IO_MS) < 0) {
			hx_note(c,
				"%d clients had connected; the listen "
				"queue (listen's backlog) must hold %d",
				nconns, MANY_CLIENTS);
			break;
		}
		if (hx_send_str(c, &conns[nconns], request, NULL) < 0) {
			nconns++;
			break;
		}
	}
	kill(server->pid, SIGCONT);
	hx_recordf(c, 0, "let the server go on (SIGCONT)");
	for (int i = 0; hx_ok(c) && i < nconns; i++) {
		const char *target = targets[i % SL_COUNT(targets)];
		const char *body = i % 3 == 0	? INDEX_HTML
				   : i % 3 == 1 ? s->notes
						: SUB_HTML;
		size_t len = i % 3 == 1 ? s->notes_len : strlen(body);
		struct hx_http_message resp;
		char what[96];

		hx_http_message_init(&resp);
		snprintf(what, sizeof(what), "body for client %d (GET %s)",
			 i + 1, target);
		if (hx_recv_all(c, &conns[i], RESPONSE_CAP, IO_MS) < 0) {
			hx_note(c, "client %d of %d got no complete answer",
				i + 1, MANY_CLIENTS);
		} else if (hx_http_parse_response(c, conns[i].in.data,
						  conns[i].in.len,
						  &resp) == 0 &&
			   expect_status(c, target, &resp, 200, 0) == 0) {
			hx_expect_bytes(c, what, body, len, resp.body.data,
					resp.body.len);
		}
		hx_http_message_free(&resp);
	}
	for (int i = 0; i < nconns; i++)
		hx_close(c, &conns[i]);
	note_server_end(c, server);
out_free:
	free(s);
}

/* Connects, sends len bytes of request (may be none) and either reads
 * until the server closes (how = 'r'), or leaves at once: with a FIN
 * ('c') or a reset ('x'). The answer is not judged: other checks do. */
static int exchange_quietly(struct hx_check *c, const char *request, size_t len,
			    char how)
{
	struct hx_conn conn;
	int rc = 0;

	if (hx_tcp_connect(c, &conn, "127.0.0.1", hx_port(c, 0), IO_MS) < 0)
		return -1;
	send_rest(c, &conn, request, len);
	if (how == 'r')
		rc = hx_recv_all(c, &conn, RESPONSE_CAP, IO_MS);
	else if (how == 'x')
		hx_reset(c, &conn);
	hx_close(c, &conn);
	return rc;
}

/* One round of every kind of request and ending a server meets: files,
 * an index, each error status, a head over 8 KiB, clients that close or
 * reset before their head is whole. Only a server that stops answering
 * fails here. */
static int every_kind(struct hx_check *c)
{
	static const struct {
		const char *request; /* sent as it is */
		char how;	     /* see exchange_quietly */
	} kinds[] = {
	    {.request = "GET /notes.txt HTTP/1.0\r\n\r\n", .how = 'r'},
	    {.request = "GET / HTTP/1.0\r\n\r\n", .how = 'r'},
	    {.request = "GET /nope.txt HTTP/1.0\r\n\r\n", .how = 'r'},
	    {.request = "GET /img HTTP/1.0\r\n\r\n", .how = 'r'},
	    {.request = "GET /index.html/ HTTP/1.0\r\n\r\n", .how = 'r'},
	    {.request = "GET /private.txt HTTP/1.0\r\n\r\n", .how = 'r'},
	    {.request = "GET /../secret.txt HTTP/1.0\r\n\r\n", .how = 'r'},
	    {.request = "GARBAGE\r\n\r\n", .how = 'r'},
	    {.request = "GET /%zz HTTP/1.0\r\n\r\n", .how = 'r'},
	    {.request = "POST /index.html HTTP/1.0\r\n\r\n", .how = 'r'},
	    {.request = "", .how = 'c'},
	    {.request = "GET /index.html HTTP/1.0\r\n", .how = 'c'},
	    {.request = "GET /notes.txt HT", .how = 'x'},
	};
	char overlong[HEAD_MAX + 64];

	for (int i = 0; i < SL_COUNT(kinds); i++)
		if (exchange_quietly(c, kinds[i].request,
				     strlen(kinds[i].request),
				     kinds[i].how) < 0) {
			char line[100];

			first_line(line, sizeof(line), kinds[i].request);
			hx_note(c, "the request was \"%s\"", line);
			return -1;
		}
	memset(overlong, 'a', sizeof(overlong));
	memcpy(overlong, "GET /", 5);
	if (exchange_quietly(c, overlong, sizeof(overlong), 'r') < 0) {
		hx_note(c, "the request was a head of %zu bytes",
			sizeof(overlong));
		return -1;
	}
	return 0;
}

/* Descriptors the server holds once idle, waited for: its threads may
 * still be closing the last connections. The last count is judged. */
static int expect_fds_settle(struct hx_check *c, struct hx_proc *server,
			     int before, const char *what)
{
	int64_t deadline = hx_deadline(IO_MS);
	int attempt = 0;

	for (;;) {
		hx_proc_wait_idle(server, IO_MS);
		if (hx_proc_count_fds(server) <= before ||
		    hx_remaining_ms(deadline) <= 0)
			return hx_expect_fds_steady(c, server, before, what,
						    IO_MS);
		hx_backoff(&attempt, deadline);
	}
}

static void check_fd_leak(struct hx_check *c)
{
	struct hx_proc *server = set_up(c, NULL);
	char what[160];
	int before;

	if (!server || expect_file(c, server, "/index.html", INDEX_HTML,
				   strlen(INDEX_HTML)) < 0)
		return;
	hx_proc_wait_idle(server, IO_MS);
	before = hx_proc_count_fds(server);
	if (before < 0) {
		hx_skip(c, "the server's descriptors cannot be counted here");
		return;
	}
	hx_recordf(c, 0, "the server holds %d descriptors, its limit is %d",
		   before, server->max_files);
	for (int round = 1; round <= LEAK_ROUNDS; round++) {
		if (every_kind(c) < 0) {
			hx_note(c, "in round %d of %d", round, LEAK_ROUNDS);
			note_server_end(c, server);
			return;
		}
		snprintf(what, sizeof(what),
			 "%d rounds of 14 requests (files, a folder without "
			 "its \"/\", 403, 400, 501, a head over 8 KiB, "
			 "clients that left early)",
			 round);
		if (round % 10 == 0 &&
		    expect_fds_settle(c, server, before, what) < 0)
			return;
	}
}

static void check_leave_early(struct hx_check *c)
{
	struct hx_proc *server = set_up(c, NULL);
	char request[256];

	if (!server)
		return;
	/* A big file, then an error: both answers meet a closed socket. */
	request_for(request, sizeof(request), "/img/logo.png");
	if (hx_probe_leave_early(c, server, hx_port(c, 0), request,
				 strlen(request), IO_MS) < 0)
		return;
	request_for(request, sizeof(request), "/nope.html");
	if (hx_probe_leave_early(c, server, hx_port(c, 0), request,
				 strlen(request), IO_MS) < 0)
		return;
	/* The next client is served as if nothing happened. */
	expect_file(c, server, "/index.html", INDEX_HTML, strlen(INDEX_HTML));
}

static void check_memory(struct hx_check *c)
{
	struct hx_proc *server = set_up(c, NULL);

	for (int round = 1; server && round <= MEMORY_ROUNDS; round++)
		if (every_kind(c) < 0) {
			note_server_end(c, server);
			return;
		}
	/* LeakSanitizer looks when main returns: what the threads
	 * allocated and never freed is reported then. */
	if (server && hx_proc_signal_exit(c, server, SIGTERM, STOP_MS) < 0)
		hx_note(c, "LeakSanitizer reports only when main returns: a "
			   "server that does not stop cannot be looked at");
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

/* "web PORT site" with PORT at a limit (1, 65535) is no usage error: the
 * server listens (and is stopped), or bind fails (status 2: a port under
 * 1024 needs a privilege the sandbox's user lacks). */
static int expect_port_valid(struct hx_check *c, int port)
{
	int64_t deadline = hx_deadline(EXIT_MS);
	char port_arg[16], label[64];
	const char *args[] = {port_arg, SITE, NULL};
	struct hx_proc *p;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	snprintf(label, sizeof(label), "web %d site", port);
	p = hx_start_labelled(c, label, "web", args);
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

static void check_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"8080", NULL},
	    {"abc", SITE, NULL},
	    {"0", SITE, NULL},
	    {"65536", SITE, NULL},
	    {"-1", SITE, NULL},
	    {"+8080", SITE, NULL},
	    {" 8080", SITE, NULL},
	    {"8080x", SITE, NULL},
	    {"8080", SITE, "extra", NULL},
	};
	char port_arg[16];
	const char *missing[] = {port_arg, "no-such-folder", NULL};
	const char *not_folder[] = {port_arg, SITE "/index.html", NULL};
	const char *busy[] = {port_arg, SITE, NULL};
	struct hx_conn taken;
	struct hx_proc *p;

	if (write_text(c, SITE "/index.html", INDEX_HTML) < 0)
		return;
	if (hx_expect_usage(c, "web", cases, SL_COUNT(cases), EXIT_MS) < 0)
		return;
	/* A folder that is not there, or not a folder: a runtime error
	 * that names it. */
	snprintf(port_arg, sizeof(port_arg), "%d", hx_port(c, 0));
	p = hx_start_labelled(c, "web PORT no-such-folder", "web", missing);
	if (!p || hx_proc_expect_exit(c, p, 2, EXIT_MS) < 0 ||
	    hx_expect_contains(c, "stderr of web PORT no-such-folder",
			       "no-such-folder", p->err.data) < 0)
		return;
	p = hx_start_labelled(c, "web PORT site/index.html", "web", not_folder);
	if (!p || hx_proc_expect_exit(c, p, 2, EXIT_MS) < 0 ||
	    hx_expect_contains(c, "stderr of web PORT site/index.html",
			       "site/index.html", p->err.data) < 0)
		return;
	/* The ports at the limits are ports. */
	if (expect_port_valid(c, 1) < 0 || expect_port_valid(c, 65535) < 0)
		return;
	/* A port someone else listens on: bind fails, and says so. */
	if (hx_tcp_listen(c, &taken, "0.0.0.0", hx_port(c, 0)) < 0)
		return;
	p = hx_start_labelled(c, "web on a busy port", "web", busy);
	if (p && hx_proc_expect_exit(c, p, 2, EXIT_MS) == 0)
		hx_expect_contains(c, "stderr of web on a busy port", "bind",
				   p->err.data);
	hx_close(c, &taken);
}

static void check_stop_signal(struct hx_check *c)
{
	static const char *const folder[] = {SITE, NULL};
	static const int stops[] = {SIGINT, SIGTERM, 0};
	struct hx_proc *server;
	struct hx_conn conn;

	/* SIGTERM, then SIGINT, while it waits for clients. */
	if (write_text(c, SITE "/index.html", INDEX_HTML) < 0 ||
	    hx_expect_server_stops(c, "web", HX_TCP, hx_port(c, 0), folder,
				   STOP_MS) < 0)
		return;
	/* SIGTERM while a client's thread waits for the rest of a request. */
	server = start_web(c, hx_port(c, 0));
	if (!server ||
	    hx_tcp_connect(c, &conn, "127.0.0.1", hx_port(c, 0), IO_MS) < 0)
		return;
	if (hx_send_str(c, &conn, "GET /index.html HTTP/1.0\r\n", NULL) < 0)
		goto out;
	/* its thread was born with both signals blocked */
	hx_proc_wait_idle(server, IO_MS);
	if (hx_expect_threads_block(
		c, server, stops,
		"block both with pthread_sigmask just before pthread_create "
		"and restore the mask just after, so that only the main "
		"thread takes them") == 0 &&
	    hx_proc_signal_exit(c, server, SIGTERM, STOP_MS) < 0)
		hx_note(c, "a client was in the middle of a request");
out:
	hx_close(c, &conn);
}
