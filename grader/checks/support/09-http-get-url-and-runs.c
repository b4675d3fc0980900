/* 09-http-get-url-and-runs.c - lab 09: the URL parser's checks, and one run of
 * the downloader against a harness server.
 *
 * Included by grader/checks/09-http-get.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

/* ---- the URL parser ---------------------------------------------------- */

/* Appends to out the first line of text that starts with prefix and
 * contains name right after it, from after the prefix; 0 if none. */
static int find_detail(const char *text, const char *name, struct hx_buf *out)
{
	static const char prefix[] = "case failed: ";
	size_t name_len = strlen(name);

	for (const char *at = text; (at = strstr(at, prefix)); at++) {
		const char *rest = at + strlen(prefix);

		if (strncmp(rest, name, name_len) == 0 &&
		    rest[name_len] == ':') {
			hx_buf_add(out, rest, strcspn(rest, "\n"));
			return 1;
		}
	}
	return 0;
}

/* Runs the driver on one group of the table and fails with the list of
 * the cases that failed. The driver speaks cmocka's format:
 *	[==========] Running N test(s).
 *	[       OK ] NAME      or      [  FAILED  ] NAME
 * and before a failure "case failed: NAME: reason". */
static void run_url_group(struct hx_check *c, const char *group)
{
	const char *args[] = {group, NULL};
	char token[40];
	struct hx_proc *p =
	    hx_start_cases(c, "url-cases", args, token, sizeof(token));
	struct hx_buf failed;
	int total = -1, passed = 0, nfailed = 0, ran = -1, failures = -1;
	char *copy, *line, *save = NULL;

	if (!p || hx_proc_wait(c, p, CASES_MS) < 0)
		return;
	if (WIFSIGNALED(p->wait_status)) {
		hx_fail(c, HX_CRASH,
			"the URL tests were killed by %s: url_parse crashed "
			"in a way the test driver could not catch",
			hx_signal_name(WTERMSIG(p->wait_status)));
		return;
	}
	p->accepted = 1; /* the list below says all its stderr would */
	hx_buf_init(&failed);
	copy = strdup(p->out.data ? p->out.data : "");
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "[==========] Running %d test", &total) == 1)
			continue;
		if (strstr(line, "test(s) run."))
			break; /* the summary repeats the failures */
		if (strncmp(line, "[       OK ] ", 13) == 0) {
			passed++;
		} else if (strncmp(line, "[  FAILED  ] ", 13) == 0) {
			nfailed++;
			hx_buf_addf(&failed, "\n  - ");
			if (!find_detail(p->out.data, line + 13, &failed))
				hx_buf_addf(&failed,
					    "%s: url_parse crashed or failed "
					    "(see the driver's stderr below)",
					    line + 13);
		}
	}
	free(copy);
	/* the verdict rests on the line with this run's token: url.c shares
	 * the driver's process and could print cmocka's lines itself */
	if (!hx_cases_summary(p, token, &ran, &failures) || ran != total)
		hx_fail(c, HX_ERROR,
			"the URL test driver did not finish (no summary of "
			"this run)");
	else if (total <= 0)
		hx_fail(c, HX_ERROR, "the URL test driver ran no case");
	else if (failures > 0 && passed == total)
		hx_fail(c, HX_FAIL,
			"%d of the %d URLs of this group were not parsed as "
			"url.h says",
			failures, total);
	else if (passed < total)
		hx_fail(c, HX_FAIL,
			"%d of the %d URLs of this group were "
			"not parsed as url.h says:%s",
			total - passed, total, failed.data ? failed.data : "");
	if (!hx_ok(c) && nfailed < total - passed)
		p->accepted = 0; /* something the list cannot tell: stderr */
	hx_buf_free(&failed);
}

static void check_url_defaults(struct hx_check *c)
{
	run_url_group(c, "defaults");
}

static void check_url_ports(struct hx_check *c)
{
	run_url_group(c, "ports");
}

static void check_url_ipv6(struct hx_check *c)
{
	run_url_group(c, "ipv6");
}

static void check_url_query(struct hx_check *c)
{
	run_url_group(c, "query");
}

static void check_url_invalid(struct hx_check *c)
{
	run_url_group(c, "invalid");
}

static void check_url_limits(struct hx_check *c)
{
	run_url_group(c, "limits");
}

/* ---- the downloader: one run of "get URL download.out" ------------------ */

/* What the server does on one connection get makes. */
struct answer {
	const struct hx_http_reply_plan *plan; /* a response the peer builds */
	const char *raw;      /* or, with plan NULL, these bytes exactly */
	size_t raw_len;	      /* bytes of raw; 0: strlen(raw) */
	struct hx_plan split; /* how raw is cut and paced */
	size_t first_piece;   /* > 0: raw's first bytes go alone; the rest
				 (cut by split) once get waits for more */
	int keep_open;	      /* 1: no close after raw */
	int server;	      /* who answers: 0 the server of the URL's
				 port, 1 another on hx_port(c, 1) */
};

/* One run of get against the check's server. */
struct download {
	const char *url;    /* the URL, "%d" where the port goes; NULL:
			       "http://127.0.0.1:%d" and target */
	const char *target; /* the URL after "http://127.0.0.1:PORT" */
	const char *listen; /* the server's address; NULL: 127.0.0.1 */
	int no_listener;    /* 1: nothing listens on the port */
	int port;	    /* the server's port; 0: hx_port(c, 0) */
	const struct answer *answers; /* one per connection, in order */
	int nanswers;		      /* connections expected */
	const char *no_more;	      /* why another connection is wrong */
	int one_socket;		      /* 1: get holds one socket while the
					 server reads its request */
	int exit_code;		      /* 0: FILE must hold body; 2: no FILE; -1:
					 the caller judges how get ended */
	const void *body;	      /* the file expected with exit code 0 */
	size_t body_len;	      /* bytes of body */
	struct hx_http_message requests[MAX_ANSWERS]; /* what came */
	struct hx_proc *client;			      /* get */
};

/* An open pidfd of p (to poll for its end), or -1. */
static int open_pidfd(const struct hx_proc *p)
{
	return p->pid > 0 ? (int)syscall(SYS_pidfd_open, p->pid, 0) : -1;
}

/* Waits until one of the n listeners has a connection (its index) or
 * get has ended (-1), at most IO_MS (-2). A listener with fd -1 is not
 * watched. */
static int wait_listeners_or_end(struct hx_conn *listeners, int n,
				 struct hx_proc *p)
{
	int64_t deadline = hx_deadline(IO_MS);
	struct pollfd pfd[MAX_SERVERS + 1];
	int ready;

	for (int k = 0; k < n; k++)
		pfd[k] =
		    (struct pollfd){.fd = listeners[k].fd, .events = POLLIN};
	pfd[n] = (struct pollfd){.fd = open_pidfd(p), .events = POLLIN};
	do
		ready = poll(pfd, (nfds_t)n + 1, hx_remaining_ms(deadline));
	while (ready < 0 && errno == EINTR);
	if (pfd[n].fd >= 0)
		close(pfd[n].fd);
	for (int k = 0; k < n; k++)
		if (pfd[k].revents & POLLIN)
			return k;
	return ready > 0 ? -1 : -2;
}

/* Waits until get makes connection i (from 0) of d, to the server its
 * answer names; fails at once, rather than at the deadline, when get
 * exits without connecting or connects to the other server. */
static int wait_for_connection(struct hx_check *c, struct download *d,
			       struct hx_conn *listeners, const int *ports,
			       int i)
{
	int want = d->answers[i].server;
	int got = wait_listeners_or_end(listeners, MAX_SERVERS, d->client);
	struct hx_buf how;

	if (got == want)
		return 0;
	if (got >= 0)
		return hx_fail(c, HX_FAIL,
			       "get made connection %d to port %d; the "
			       "Location it follows names port %d",
			       i + 1, ports[got], ports[want]);
	if (got == -2)
		return hx_fail(c, HX_TIMEOUT,
			       "get did not make connection %d within %.1f s",
			       i + 1, IO_MS / 1000.0);
	hx_proc_wait(c, d->client, IO_MS);
	hx_buf_init(&how);
	hx_proc_describe_end(d->client, &how);
	hx_fail(c, HX_FAIL, "get ended (%s) without making connection %d",
		how.data, i + 1);
	hx_buf_free(&how);
	return -1;
}

/* get, connected and waiting for the response, holds one socket: the
 * sockets of the addresses that refused it, and of the connections
 * before a redirect, are closed. */
static int expect_one_socket(struct hx_check *c, struct download *d, int i)
{
	int n = hx_proc_count_sockets(d->client);

	if (n <= 1)
		return 0;
	hx_set_cause(c, HX_CAUSE_DESCRIPTORS,
		     "get: %d sockets open while connected once", n);
	return hx_fail(c, HX_FAIL,
		       "get holds %d sockets while it waits for the response "
		       "on connection %d: close the socket of an address "
		       "that refused before trying the next, and the "
		       "connection of a redirect before following it",
		       n, i + 1);
}

/* Accepts connection i of d, reads its request and answers it. */
static int serve(struct hx_check *c, struct download *d,
		 struct hx_conn *listener, struct hx_conn *conn, int i)
{
	const struct answer *a = &d->answers[i];
	size_t len, first;

	hx_http_message_free(&d->requests[i]);
	hx_http_message_init(&d->requests[i]);
	if (hx_tcp_accept(c, listener, conn, IO_MS) < 0 ||
	    hx_http_read_request(c, conn, &d->requests[i], IO_MS) < 0)
		return -1;
	if (d->one_socket && expect_one_socket(c, d, i) < 0)
		return -1;
	if (a->plan)
		return hx_http_send_reply(c, conn, a->plan);
	len = a->raw_len ? a->raw_len : strlen(a->raw);
	first = a->first_piece < len ? a->first_piece : 0;
	if (first) {
		/* The rest comes only once get has used the first piece and
		 * waits in recv for more: its buffer then holds a part. */
		if (hx_send(c, conn, a->raw, first, NULL) < 0)
			return -1;
		hx_proc_wait_idle(d->client, IO_MS);
		hx_recordf(c, conn->id,
			   "get waits for more: the other %zu "
			   "bytes go in one send",
			   len - first);
	}
	if (hx_send(c, conn, a->raw + first, len - first, &a->split) < 0)
		return -1;
	if (a->keep_open)
		hx_recordf(c, conn->id, "keeping the connection open");
	else
		hx_close(c, conn);
	return 0;
}

/* Once every answer is given, get must end without connecting again. */
static int expect_no_more(struct hx_check *c, struct download *d,
			  struct hx_conn *listeners)
{
	struct hx_conn extra;
	int got = wait_listeners_or_end(listeners, MAX_SERVERS, d->client);

	if (got < 0)
		return 0;
	if (hx_tcp_accept(c, &listeners[got], &extra, IO_MS) == 0)
		hx_close(c, &extra);
	return hx_fail(c, HX_FAIL, "get made connection %d; %s",
		       d->nanswers + 1,
		       d->no_more ? d->no_more
				  : "it should have been done after the last "
				    "response");
}

/* After the last answer: no more connections, the exit status, FILE
 * (at path) holding the body or absent. */
static void judge_end(struct hx_check *c, struct download *d,
		      struct hx_conn *listeners, const char *path)
{
	if (expect_no_more(c, d, listeners) < 0)
		return;
	if (d->exit_code < 0) {
		hx_proc_wait(c, d->client, IO_MS);
		return;
	}
	if (hx_proc_expect_exit(c, d->client, d->exit_code, IO_MS) < 0)
		return;
	if (d->exit_code == 0)
		hx_expect_file(c, path, d->body, d->body_len);
	else
		hx_expect_no_file(c, path);
}

/* Runs get once: serves each connection with its answer, keeps the
 * requests in d->requests, then checks the exit status and the file. */
static void run_download(struct hx_check *c, struct download *d)
{
	int ports[MAX_SERVERS] = {d->port ? d->port : hx_port(c, 0),
				  hx_port(c, 1)};
	char url[512], path[1024];
	const char *args[] = {url, OUT_FILE, NULL};
	struct hx_conn listeners[MAX_SERVERS], conns[MAX_ANSWERS];
	int second = 0; /* 1: an answer comes from the second server */

	for (int i = 0; i < MAX_ANSWERS; i++) {
		hx_http_message_init(&d->requests[i]);
		conns[i].fd = -1;
	}
	for (int i = 0; i < d->nanswers; i++)
		second |= d->answers[i].server == 1;
	if (d->url)
		snprintf(url, sizeof(url), d->url, ports[0]);
	else
		snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", ports[0],
			 d->target);
	snprintf(path, sizeof(path), "%s/%s", c->work_dir, OUT_FILE);
	unlink(path);
	listeners[0].fd = listeners[1].fd = -1;
	if ((!d->no_listener &&
	     hx_tcp_listen(c, &listeners[0],
			   d->listen ? d->listen : "127.0.0.1",
			   ports[0]) < 0) ||
	    (second &&
	     hx_tcp_listen(c, &listeners[1], "127.0.0.1", ports[1]) < 0))
		goto out_close;
	d->client = hx_start(c, "get", args);
	for (int i = 0; d->client && i < d->nanswers; i++) {
		struct hx_conn *listener = &listeners[d->answers[i].server];

		if (wait_for_connection(c, d, listeners, ports, i) < 0 ||
		    serve(c, d, listener, &conns[i], i) < 0)
			break;
	}
	if (d->client && hx_ok(c))
		judge_end(c, d, listeners, path);
out_close:
	for (int i = 0; i < MAX_ANSWERS; i++)
		hx_close(c, &conns[i]);
	for (int k = 0; k < MAX_SERVERS; k++)
		hx_close(c, &listeners[k]);
}

static void free_download(struct download *d)
{
	for (int i = 0; i < MAX_ANSWERS; i++)
		hx_http_message_free(&d->requests[i]);
}

/* Runs d after a transcript line naming the case; 0 if it passed. */
static int run_case(struct hx_check *c, struct download *d, const char *what)
{
	hx_recordf(c, 0, "case: %s", what);
	run_download(c, d);
	free_download(d);
	if (!hx_ok(c))
		hx_note(c, "the case that failed: %s", what);
	return hx_ok(c) ? 0 : -1;
}

/* Lines of numbered text, len bytes in all, into a malloc'd buffer. */
static char *make_text(size_t len)
{
	char *text = malloc(len + 64);
	size_t used = 0;

	for (int line = 1; text && used < len; line++)
		used += (size_t)sprintf(text + used,
					"%05d the quick brown fox jumps over "
					"the lazy dog\r\n",
					line);
	return text;
}

/* head, then len bytes of body, into out (cleared first). */
static void make_raw(struct hx_buf *out, const char *head, const void *body,
		     size_t len)
{
	hx_buf_clear(out);
	hx_buf_addf(out, "%s", head);
	hx_buf_add(out, body, len);
}

/* One chunk of a raw chunked body: its size line, printed by format. */
struct chunk {
	size_t size;	    /* bytes of body in it */
	const char *format; /* its size line: "%zx", "%zX;name=value" */
};

/* The chunks of body (their sizes must add up to its length), the last
 * chunk "0" and then trailer, appended to out. */
static void add_chunks(struct hx_buf *out, const char *body,
		       const struct chunk *chunks, int n, const char *trailer)
{
	size_t done = 0;

	for (int i = 0; i < n; i++) {
		hx_buf_addf(out, chunks[i].format, chunks[i].size);
		hx_buf_addf(out, "\r\n");
		hx_buf_add(out, body + done, chunks[i].size);
		hx_buf_addf(out, "\r\n");
		done += chunks[i].size;
	}
	hx_buf_addf(out, "0\r\n%s\r\n", trailer);
}

/* Requires the request's field name to be want (any case when nocase). */
static int expect_header(struct hx_check *c, const struct hx_http_message *req,
			 const char *name, const char *want, int nocase)
{
	const char *got = hx_http_header(req, name);
	char what[96], line[300];

	if (!got) {
		snprintf(line, sizeof(line), "%s: %s", name, want);
		return hx_expect_contains(c, "the request's head", line,
					  req->head.data);
	}
	if (nocase && strcasecmp(got, want) == 0)
		return 0;
	snprintf(what, sizeof(what), "the %s field of the request", name);
	return hx_expect_str(c, what, want, got);
}
