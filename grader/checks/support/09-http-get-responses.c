/* 09-http-get-responses.c - lab 09: the request, how the body's end is known,
 * redirects and statuses.
 *
 * Included by grader/checks/09-http-get.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

/* ---- the request -------------------------------------------------------- */

static void check_get_request(struct hx_check *c)
{
	static const char body[] = "<html><body>hello</body></html>\n";
	const struct hx_http_reply_plan reply = {
	    .status = 200, .body = body, .body_len = strlen(body)};
	const struct answer answer = {.plan = &reply};
	struct download d = {.target = "/docs/page.html?lang=en&q=1#part2",
			     .answers = &answer,
			     .nanswers = 1,
			     .body = body,
			     .body_len = strlen(body)};
	const struct hx_http_message *req = &d.requests[0];
	char host[64];

	run_download(c, &d);
	if (!req->head.len)
		goto out_free;
	snprintf(host, sizeof(host), "127.0.0.1:%d", hx_port(c, 0));
	/* The fragment stays with the client; the Host names the port. */
	if (hx_expect_str(c, "the method", "GET", req->start[0]) < 0 ||
	    hx_expect_str(c, "the request target",
			  "/docs/page.html?lang=en&q=1", req->start[1]) < 0 ||
	    hx_expect_str(c, "the version", "HTTP/1.1", req->start[2]) < 0 ||
	    expect_header(c, req, "Host", host, 0) < 0 ||
	    expect_header(c, req, "Connection", "close", 1) < 0)
		goto out_free;
	if (req->bare_lf)
		hx_fail(c, HX_FAIL,
			"the request's lines end in \"\\n\"; HTTP "
			"wants \"\\r\\n\"");
out_free:
	free_download(&d);
}

/* One download of a small page from url (with "%d" for the port) on a
 * server at listen:port; the Host field must be host ("%d": the port). */
static int expect_host_field(struct hx_check *c, const char *url,
			     const char *listen, int port, const char *host,
			     int one_socket)
{
	static const char body[] = "served to the right address\n";
	const struct hx_http_reply_plan reply = {
	    .status = 200, .body = body, .body_len = strlen(body)};
	const struct answer answer = {.plan = &reply};
	struct download d = {.url = url,
			     .listen = listen,
			     .port = port,
			     .one_socket = one_socket,
			     .answers = &answer,
			     .nanswers = 1,
			     .body = body,
			     .body_len = strlen(body)};
	char want[128], shown[512], label[700];
	int rc;

	snprintf(shown, sizeof(shown), url, port);
	snprintf(label, sizeof(label), "get %s (a server on %s port %d)", shown,
		 listen, port);
	hx_recordf(c, 0, "case: %s", label);
	snprintf(want, sizeof(want), host, port);
	run_download(c, &d);
	if (hx_ok(c) && d.requests[0].head.len)
		expect_header(c, &d.requests[0], "Host", want, 1);
	if (!hx_ok(c))
		hx_note(c, "the case that failed: %s", label);
	rc = hx_ok(c) ? 0 : -1;
	free_download(&d);
	return rc;
}

static void check_get_localhost(struct hx_check *c)
{
	/* localhost is ::1 first, where nothing listens, then 127.0.0.1. */
	expect_host_field(c, "http://" HX_DUAL_HOST ":%d/index.html",
			  "127.0.0.1", hx_port(c, 0), HX_DUAL_HOST ":%d", 1);
}

static void check_get_ipv6(struct hx_check *c)
{
	expect_host_field(c, "http://[::1]:%d/v6.txt", "::1", hx_port(c, 0),
			  "[::1]:%d", 0);
}

static void check_get_default_port(struct hx_check *c)
{
	/* Port 80 is the default: it is not written in the Host field. */
	if (expect_host_field(c, "http://127.0.0.1/page.html", "127.0.0.1",
			      HTTP_PORT, "127.0.0.1", 0) == 0)
		expect_host_field(c, "http://127.0.0.1:80/page.html",
				  "127.0.0.1", HTTP_PORT, "127.0.0.1", 0);
}

/* ---- how the body's end is known -------------------------------------- */

static void check_get_length(struct hx_check *c)
{
	char *body = make_text(3000);
	/* The server keeps the connection open after the body: only
	 * Content-Length says where the body ends. */
	const struct hx_http_reply_plan replies[] = {
	    {.status = 200,
	     .body = body,
	     .body_len = 3000,
	     .headers = "Content-Type: text/plain\r\n",
	     .ending = HX_HTTP_KEEP_OPEN},
	    {.status = 200, .body = "", .ending = HX_HTTP_KEEP_OPEN},
	};
	static const char *const what[] = {
	    "3000 bytes, Content-Length: 3000, the connection kept open",
	    "an empty body, Content-Length: 0, the connection kept open"};

	if (!body)
		return;
	for (int i = 0; i < SL_COUNT(replies); i++) {
		const struct answer answer = {.plan = &replies[i]};
		struct download d = {.target = "/notes.txt",
				     .answers = &answer,
				     .nanswers = 1,
				     .body = body,
				     .body_len = replies[i].body_len};

		if (run_case(c, &d, what[i]) < 0)
			break;
	}
	free(body);
}

/* The spellings of a head HTTP allows besides the usual one. */
static void check_get_syntax(struct hx_check *c)
{
	static const struct {
		const char *what; /* the case, in feedback */
		const char *head; /* "%zu" is the body's length */
		int chunked;	  /* 1: the body goes in chunks */
		int keep_open;	  /* 1: no close after the body */
	} cases[] = {
	    {.what = "field names in lower case",
	     .head =
		 "HTTP/1.1 200 OK\r\ndate: Mon, 01 Jan 2024 10:00:00 GMT\r\n"
		 "content-type: text/plain\r\ncontent-length: %zu\r\n\r\n",
	     .keep_open = 1},
	    {.what = "field names in upper case, chunked",
	     .head = "HTTP/1.1 200 OK\r\nCONTENT-TYPE: text/plain\r\n"
		     "TRANSFER-ENCODING: chunked\r\n\r\n",
	     .chunked = 1,
	     .keep_open = 1},
	    {.what = "lines that end in \\n alone",
	     .head = "HTTP/1.1 200 OK\nContent-Type: text/plain\n"
		     "Content-Length: %zu\n\n",
	     .keep_open = 1},
	    {.what = "lines that end in \\r\\n and \\n, mixed",
	     .head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\n"
		     "Content-Length: %zu\r\n\n",
	     .keep_open = 1},
	    {.what = "a Content-Length with leading zeros (decimal, not octal)",
	     .head = "HTTP/1.1 200 OK\r\nContent-Length: 000%zu\r\n\r\n",
	     .keep_open = 1},
	    {.what = "a field whose name ends in Content-Length, before the "
		     "real one",
	     .head = "HTTP/1.1 200 OK\r\nX-Original-Content-Length: 12\r\n"
		     "Content-Length: %zu\r\n\r\n",
	     .keep_open = 1},
	    {.what = "an HTTP/1.0 status line",
	     .head = "HTTP/1.0 200 OK\r\nContent-Length: %zu\r\n\r\n"},
	};
	static const struct chunk chunks[] = {{.size = 700, .format = "%zx"},
					      {.size = 300, .format = "%zX"}};
	char *body = make_text(1000);
	struct hx_buf raw, head;

	if (!body)
		return;
	hx_buf_init(&raw);
	hx_buf_init(&head);
	for (int i = 0; i < SL_COUNT(cases); i++) {
		struct answer answer = {.keep_open = cases[i].keep_open};
		struct download d = {.target = "/spelling.txt",
				     .answers = &answer,
				     .nanswers = 1,
				     .body = body,
				     .body_len = 1000};

		hx_buf_clear(&head);
		hx_buf_addf(&head, cases[i].head, (size_t)1000);
		if (cases[i].chunked) {
			make_raw(&raw, head.data, "", 0);
			add_chunks(&raw, body, chunks, SL_COUNT(chunks), "");
		} else {
			make_raw(&raw, head.data, body, 1000);
		}
		answer.raw = raw.data;
		answer.raw_len = raw.len;
		if (run_case(c, &d, cases[i].what) < 0)
			break;
	}
	hx_buf_free(&head);
	hx_buf_free(&raw);
	free(body);
}

static void check_get_chunked(struct hx_check *c)
{
	/* Upper and lower case hex, leading zeros, extensions after ';'
	 * (one with a quoted ';' in it), and a trailer field. */
	static const struct chunk chunks[] = {
	    {.size = 1, .format = "%zx"},
	    {.size = 26, .format = "%zX"},
	    {.size = 300, .format = "%zx"},
	    {.size = 255, .format = "%zX;ext=1"},
	    {.size = 4096, .format = "%zx"},
	    {.size = 200, .format = "%04zx"},
	    {.size = 171, .format = "%zx;name=\"a;b\""},
	};
	static const struct chunk small[] = {
	    {.size = 5, .format = "%zx"},
	    {.size = 26, .format = "%zX"},
	    {.size = 12, .format = "%zx;x=y"},
	};
	static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain"
				   "\r\nTransfer-Encoding: chunked\r\n\r\n";
	char *body = make_text(5049);
	struct hx_buf raw;

	if (!body)
		return;
	hx_buf_init(&raw);
	{
		/* The size 0 chunk ends the body: the connection stays open. */
		struct answer answer = {.keep_open = 1};
		struct download d = {.target = "/chunked.txt",
				     .answers = &answer,
				     .nanswers = 1,
				     .body = body,
				     .body_len = 5049};

		make_raw(&raw, head, "", 0);
		add_chunks(&raw, body, chunks, SL_COUNT(chunks),
			   "X-Checksum: none\r\n");
		answer.raw = raw.data;
		answer.raw_len = raw.len;
		if (run_case(c, &d,
			     "chunks of 1, 1A, 12c, FF;ext=1, 1000, 00c8 and "
			     "ab;name=\"a;b\" bytes, a trailer field, the "
			     "connection kept open") < 0)
			goto out_free;
	}
	{
		/* Every size line and every CR LF in pieces of one byte. */
		struct answer answer = {
		    .split = {.split = HX_BYTES, .delay_ms = 1}};
		struct download d = {.target = "/slow-chunks.txt",
				     .answers = &answer,
				     .nanswers = 1,
				     .body = body,
				     .body_len = 43};

		make_raw(&raw, head, "", 0);
		add_chunks(&raw, body, small, SL_COUNT(small), "");
		answer.raw = raw.data;
		answer.raw_len = raw.len;
		run_case(c, &d, "a chunked response sent a byte at a time");
	}
out_free:
	hx_buf_free(&raw);
	free(body);
}

static void check_get_close(struct hx_check *c)
{
	static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: "
				   "text/plain\r\nConnection: close\r\n\r\n";
	char *body = make_text(5000);
	struct hx_buf raw;

	if (!body)
		return;
	hx_buf_init(&raw);
	{
		/* The body starts only once get has read the head and waits:
		 * what came with the head is not the whole body. */
		struct answer answer = {
		    .first_piece = strlen(head),
		    .split = {.split = HX_RANDOM, .max_piece = 900}};
		struct download d = {.target = "/until-close.txt",
				     .answers = &answer,
				     .nanswers = 1,
				     .body = body,
				     .body_len = 5000};

		make_raw(&raw, head, body, 5000);
		answer.raw = raw.data;
		answer.raw_len = raw.len;
		if (run_case(c, &d,
			     "5000 bytes without Content-Length or chunks, "
			     "in pieces, then the close") < 0)
			goto out_free;
	}
	{
		const struct answer answer = {.raw = head};
		struct download d = {.target = "/until-close.txt",
				     .answers = &answer,
				     .nanswers = 1,
				     .body = "",
				     .body_len = 0};

		run_case(c, &d,
			 "the close right after the head: an empty body");
	}
out_free:
	hx_buf_free(&raw);
	free(body);
}

/* The line "download.out: N bytes" on get's stdout. */
static int expect_summary(struct hx_check *c, const struct hx_proc *p, size_t n)
{
	char line[96];
	const char *out = p->out.data ? p->out.data : "";
	const char *at;

	snprintf(line, sizeof(line), OUT_FILE ": %zu bytes\n", n);
	at = strstr(out, line);
	if (at && (at == out || at[-1] == '\n'))
		return 0;
	return hx_expect_str(c, "get's stdout", line, out);
}

static void check_get_output(struct hx_check *c)
{
	static const size_t chunks[] = {100, 1000};
	char *body = make_text(4000);
	const struct hx_http_reply_plan replies[] = {
	    {.status = 200, .body = body, .body_len = 4000},
	    {.status = 200,
	     .body = body,
	     .body_len = 2345,
	     .framing = HX_HTTP_CHUNKED,
	     .chunks = chunks,
	     .nchunks = SL_COUNT(chunks)},
	    {.status = 200,
	     .body = body,
	     .body_len = 777,
	     .framing = HX_HTTP_UNTIL_CLOSE},
	};
	static const char *const what[] = {"4000 bytes with Content-Length",
					   "2345 bytes in chunks",
					   "777 bytes until the close"};

	if (!body)
		return;
	for (int i = 0; i < SL_COUNT(replies) && hx_ok(c); i++) {
		const struct answer answer = {.plan = &replies[i]};
		struct download d = {.target = "/counted.txt",
				     .answers = &answer,
				     .nanswers = 1,
				     .body = body,
				     .body_len = replies[i].body_len};

		if (run_case(c, &d, what[i]) == 0)
			expect_summary(c, d.client, replies[i].body_len);
	}
	free(body);
}

/* ---- redirects and statuses ------------------------------------------- */

/* stdout holds the line "download.out: N bytes" and nothing else. */
static int expect_only_summary(struct hx_check *c, const struct hx_proc *p,
			       size_t n)
{
	char line[96];

	snprintf(line, sizeof(line), OUT_FILE ": %zu bytes\n", n);
	return hx_expect_str(c, "get's stdout (notes go to stderr)", line,
			     p->out.data);
}

static void check_get_redirect(struct hx_check *c)
{
	static const char moved_body[] = "<a href=\"/moved/here\">moved</a>\n";
	static const char body[] = "you found me\n";
	static const size_t see_chunks[] = {4};
	static const char *const targets[] = {"/start",		 "/moved/here",
					      "/second?x=1",	 "/third",
					      "/fourth?a=b&c=d", "/final.txt"};
	char first[128], fifth[128];
	/* Every redirect status, five of them (the most get follows), with
	 * a whole URL or a path, Location in any case, and bodies framed
	 * every way; one server keeps its connection open. The first
	 * Location names another port: the paths after it are on that
	 * server, until the last whole URL comes back. */
	const struct hx_http_reply_plan replies[] = {
	    {.status = 301,
	     .headers = first,
	     .body = moved_body,
	     .body_len = strlen(moved_body)},
	    {.status = 302, .headers = "location: /second?x=1\r\n"},
	    {.status = 303,
	     .headers = "LOCATION: /third#top\r\n",
	     .body = "see other",
	     .body_len = 9,
	     .framing = HX_HTTP_CHUNKED,
	     .chunks = see_chunks,
	     .nchunks = 1},
	    {.status = 307,
	     .headers = "Location: /fourth?a=b&c=d\r\n",
	     .body = moved_body,
	     .body_len = strlen(moved_body),
	     .ending = HX_HTTP_KEEP_OPEN},
	    {.status = 308, .reason = "Permanent Redirect", .headers = fifth},
	    {.status = 200, .body = body, .body_len = strlen(body)},
	};
	static const int servers[] = {0, 1, 1, 1, 1, 0};
	struct answer answers[SL_COUNT(replies)];
	struct download d = {.target = "/start",
			     .answers = answers,
			     .nanswers = SL_COUNT(replies),
			     .body = body,
			     .body_len = strlen(body)};

	for (int i = 0; i < SL_COUNT(replies); i++)
		answers[i] =
		    (struct answer){.plan = &replies[i], .server = servers[i]};
	snprintf(first, sizeof(first),
		 "Location: http://127.0.0.1:%d/moved/here\r\n", hx_port(c, 1));
	snprintf(fifth, sizeof(fifth),
		 "Location: HTTP://127.0.0.1:%d/final.txt\r\n", hx_port(c, 0));
	run_download(c, &d);
	for (int i = 1; i < SL_COUNT(targets) && hx_ok(c); i++) {
		char what[96], host[64];

		snprintf(what, sizeof(what),
			 "the target after the redirect with status %d",
			 replies[i - 1].status);
		snprintf(host, sizeof(host), "127.0.0.1:%d",
			 hx_port(c, servers[i]));
		if (hx_expect_str(c, what, targets[i], d.requests[i].start[1]) <
			0 ||
		    expect_header(c, &d.requests[i], "Host", host, 1) < 0)
			hx_note(c, "after the redirect with status %d, to %s",
				replies[i - 1].status, targets[i]);
	}
	if (hx_ok(c))
		expect_only_summary(c, d.client, strlen(body));
	free_download(&d);
}

static void check_get_redirect_limit(struct hx_check *c)
{
	/* The root redirects to itself, for ever: the sixth is not
	 * followed. */
	const struct hx_http_reply_plan loop = {.status = 301,
						.headers = "Location: /\r\n"};
	struct answer answers[MAX_HOPS + 1];
	struct download d = {.target = "/",
			     .answers = answers,
			     .nanswers = MAX_HOPS + 1,
			     .no_more = "it followed a sixth redirect: after "
					"five, get must give up (exit 2)",
			     .exit_code = 2};

	for (int i = 0; i <= MAX_HOPS; i++)
		answers[i] = (struct answer){.plan = &loop};
	run_download(c, &d);
	free_download(&d);
}

static void check_get_status(struct hx_check *c)
{
	static const char page[] =
	    "<html><h1>the server's own page</h1></html>\n";
	static const struct {
		int status;	     /* the final status */
		const char *reason;  /* its reason phrase */
		const char *headers; /* extra fields, or NULL */
		int ok;		     /* 1: a 2xx, the body is saved */
		int named;	     /* 1: "CODE REASON" must be on stderr */
	} cases[] = {
	    {.status = 404, .reason = "Not Found", .named = 1},
	    {.status = 500, .reason = "Internal Server Error", .named = 1},
	    {.status = 300,
	     .reason = "Multiple Choices",
	     .headers = "Location: /elsewhere\r\n"},
	    {.status = 301, .reason = "Moved Permanently"},
	    {.status = 203, .reason = "Non-Authoritative Information", .ok = 1},
	    {.status = 299, .reason = "Still Fine", .ok = 1},
	};

	for (int i = 0; i < SL_COUNT(cases); i++) {
		const struct hx_http_reply_plan reply = {
		    .status = cases[i].status,
		    .reason = cases[i].reason,
		    .headers = cases[i].headers,
		    .body = page,
		    .body_len = strlen(page)};
		const struct answer answer = {.plan = &reply};
		struct download d = {
		    .target = "/page.html",
		    .answers = &answer,
		    .nanswers = 1,
		    .no_more = "only 301, 302, 303, 307 and 308 are redirects",
		    .exit_code = cases[i].ok ? 0 : 2,
		    .body = page,
		    .body_len = strlen(page)};
		char what[128], code[128];

		snprintf(what, sizeof(what), "a final status %d %s%s",
			 cases[i].status, cases[i].reason,
			 cases[i].headers ? " with a Location" : "");
		if (run_case(c, &d, what) < 0)
			return;
		/* "get: URL: 404 Not Found": the code and the reason. */
		snprintf(code, sizeof(code), "%d %s", cases[i].status,
			 cases[i].reason);
		if (cases[i].named &&
		    hx_expect_contains(c, "get's stderr", code,
				       d.client->err.data) < 0)
			return;
		if (!cases[i].ok && !d.client->err.len) {
			hx_fail(c, HX_FAIL,
				"get exited 2 for %s without a word on stderr",
				what);
			return;
		}
	}
}
