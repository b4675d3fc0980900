/* 09-http-get-trouble.c - lab 09: bytes as they come, errors, and memory.
 *
 * Included by grader/checks/09-http-get.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

/* ---- bytes as they come ------------------------------------------------ */

static void check_get_binary(struct hx_check *c)
{
	enum { LEN = 100000 };
	unsigned char *body = malloc(LEN);
	const struct hx_http_reply_plan reply = {
	    .status = 200,
	    .body = body,
	    .body_len = LEN,
	    .headers = "Content-Type: image/png\r\n",
	    .body_plan = {.split = HX_RANDOM, .max_piece = 4096}};
	const struct answer answer = {.plan = &reply};
	struct download d = {.target = "/logo.png",
			     .answers = &answer,
			     .nanswers = 1,
			     .body = body,
			     .body_len = LEN};

	if (!body)
		return;
	/* Every byte value, a NUL first and a blank line inside: nothing
	 * of the body may be taken for text or for the head's end. */
	memcpy(body, "\0\r\n\r\nPNG\0\0", 10);
	for (int i = 10; i < 266; i++)
		body[i] = (unsigned char)(i - 10);
	for (int i = 266; i < LEN; i++)
		body[i] = (unsigned char)hx_random(c);
	run_download(c, &d);
	free_download(&d);
	free(body);
}

static void check_get_pieces(struct hx_check *c)
{
	static const char text[] = "line one\nline two\nline three\n"
				   "and the last line, a longer one\n";
	static const char crlf_head[] = "HTTP/1.1 200 OK\r\nContent-Type: "
					"text/plain\r\nContent-Length: 60000"
					"\r\n\r\n";
	static const char lf_head[] = "HTTP/1.1 200 OK\nContent-Type: "
				      "text/plain\nContent-Length: 61\n\n";
	_Static_assert(sizeof(text) - 1 == 61, "lf_head's Content-Length");
	/* The head a byte at a time with a pause, so no recv gets it
	 * whole; the body in random small pieces. */
	const struct hx_http_reply_plan reply = {
	    .status = 200,
	    .body = text,
	    .body_len = strlen(text),
	    .headers = "Content-Type: text/plain\r\nX-Padding: abcdefgh\r\n",
	    .head_plan = {.split = HX_BYTES, .delay_ms = 1},
	    .body_plan = {.split = HX_RANDOM, .max_piece = 7, .delay_ms = 1}};
	char *big = make_text(60000);
	struct hx_buf raw;
	struct {
		const char *what;     /* the case, in feedback */
		const char *head;     /* its head */
		const void *body;     /* its body */
		size_t len;	      /* bytes of body */
		struct hx_plan split; /* how it is cut */
		size_t first_piece;   /* bytes sent before the rest */
	} cases[] = {
	    {.what = "a head of lines ending in \\n alone, a byte at a time",
	     .head = lf_head,
	     .body = text,
	     .len = strlen(text),
	     .split = {.split = HX_BYTES, .delay_ms = 1}},
	    /* get's buffer holds part of a line when 60 KB come at once:
	     * a recv into more than its free part overflows it. */
	    {.what = "the head cut inside a field name, then the rest of it "
		     "and 60000 bytes of body at once",
	     .head = crlf_head,
	     .body = big,
	     .len = 60000,
	     .first_piece = 25},
	    {.what = "the head cut between the \\r and the \\n of its empty "
		     "line, then the rest and the body at once",
	     .head = crlf_head,
	     .body = big,
	     .len = 60000,
	     .first_piece = sizeof(crlf_head) - 2},
	};

	if (!big)
		return;
	hx_buf_init(&raw);
	{
		const struct answer answer = {.plan = &reply};
		struct download d = {.target = "/slow.txt",
				     .answers = &answer,
				     .nanswers = 1,
				     .body = text,
				     .body_len = strlen(text)};

		if (run_case(c, &d,
			     "the head a byte at a time, the body in small "
			     "pieces") < 0)
			goto out_free;
	}
	for (int i = 0; i < SL_COUNT(cases); i++) {
		struct answer answer = {.split = cases[i].split,
					.first_piece = cases[i].first_piece,
					.keep_open = 1};
		struct download d = {.target = "/pieces.txt",
				     .answers = &answer,
				     .nanswers = 1,
				     .body = cases[i].body,
				     .body_len = cases[i].len};

		make_raw(&raw, cases[i].head, cases[i].body, cases[i].len);
		answer.raw = raw.data;
		answer.raw_len = raw.len;
		if (run_case(c, &d, cases[i].what) < 0)
			break;
	}
out_free:
	hx_buf_free(&raw);
	free(big);
}

/* ---- errors ------------------------------------------------------------ */

static void check_get_cut(struct hx_check *c)
{
	static const size_t chunks[] = {500, 500};
	char *body = make_text(2000);
	/* By Content-Length, then by chunks: the server closes midway; the
	 * wire of the chunks is "1f4\r\n" 500 bytes "\r\n" "1F4\r\n" ... */
	const struct hx_http_reply_plan replies[] = {
	    {.status = 200,
	     .body = body,
	     .body_len = 2000,
	     .ending = HX_HTTP_CUT,
	     .cut_at = 700},
	    {.status = 200,
	     .body = body,
	     .body_len = 2000,
	     .ending = HX_HTTP_CUT,
	     .cut_at = 1999},
	    {.status = 200,
	     .body = body,
	     .body_len = 2000,
	     .ending = HX_HTTP_CUT,
	     .cut_at = 0},
	    {.status = 200,
	     .body = body,
	     .body_len = 2000,
	     .framing = HX_HTTP_CHUNKED,
	     .chunks = chunks,
	     .nchunks = SL_COUNT(chunks),
	     .ending = HX_HTTP_CUT,
	     .cut_at = 800},
	    {.status = 200,
	     .body = body,
	     .body_len = 2000,
	     .framing = HX_HTTP_CHUNKED,
	     .chunks = chunks,
	     .nchunks = SL_COUNT(chunks),
	     .ending = HX_HTTP_CUT,
	     .cut_at = 507},
	};
	static const char *const what[] = {
	    "Content-Length: 2000, the close after 700 bytes",
	    "Content-Length: 2000, the close after 1999 bytes",
	    "Content-Length: 2000, the close right after the head",
	    "chunked, the close inside the second chunk",
	    "chunked, the close after the first chunk, before the next size"};

	if (!body)
		return;
	for (int i = 0; i < SL_COUNT(replies); i++) {
		const struct answer answer = {.plan = &replies[i]};
		struct download d = {.target = "/big.txt",
				     .answers = &answer,
				     .nanswers = 1,
				     .exit_code = 2};

		if (run_case(c, &d, what[i]) < 0)
			break;
	}
	if (hx_ok(c)) {
		/* The head itself ends before its empty line. */
		const struct answer answer = {
		    .raw = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"};
		struct download d = {.target = "/big.txt",
				     .answers = &answer,
				     .nanswers = 1,
				     .exit_code = 2};

		run_case(c, &d, "the close in the head, before its empty line");
	}
	free(body);
}

/* 1 if text holds one of the (up to 3) words, in any case. */
static int mentions_any(const char *text, const char *const words[3])
{
	for (int i = 0; i < 3 && words[i]; i++)
		if (strcasestr(text, words[i]))
			return 1;
	return 0;
}

static void check_get_errors(struct hx_check *c)
{
	const struct answer not_http = {.raw = "SSH-2.0-OpenSSH_9.2p1\r\n"};
	const struct hx_http_reply_plan nothing = {.ending = HX_HTTP_NO_REPLY};
	const struct answer silent = {.plan = &nothing};
	const struct {
		const char *what;	     /* the case, in feedback */
		const char *url;	     /* "%d": the port */
		const struct answer *answer; /* NULL: no connection */
		int no_listener;	     /* 1: nothing listens */
		const char *names[3];	     /* stderr holds one of these
						(any case); NULL: any text */
	} cases[] = {
	    {.what = "a host name that does not resolve",
	     .url = "http://no-such-host.invalid:%d/x"},
	    {.what = "a port where nothing listens",
	     .url = "http://127.0.0.1:%d/x",
	     .no_listener = 1,
	     .names = {"connect", "refused", "127.0.0.1"}},
	    {.what = "an https URL (no TLS in this lab)",
	     .url = "https://127.0.0.1:%d/x"},
	    {.what = "a server that answers with something that is not HTTP",
	     .url = "http://127.0.0.1:%d/x",
	     .answer = &not_http},
	    {.what = "a server that closes without a byte",
	     .url = "http://127.0.0.1:%d/x",
	     .answer = &silent},
	};

	for (int i = 0; i < SL_COUNT(cases); i++) {
		struct download d = {.url = cases[i].url,
				     .no_listener = cases[i].no_listener,
				     .answers = cases[i].answer,
				     .nanswers = cases[i].answer ? 1 : 0,
				     .no_more = "no connection was expected",
				     .exit_code = 2};

		if (run_case(c, &d, cases[i].what) < 0)
			return;
		if (!d.client->err.len) {
			hx_fail(c, HX_FAIL,
				"get exited 2 for %s without a word on stderr; "
				"say what failed",
				cases[i].what);
			return;
		}
		if (cases[i].names[0] &&
		    !mentions_any(d.client->err.data, cases[i].names)) {
			hx_fail(c, HX_FAIL,
				"get's message for %s names neither the call "
				"that failed nor the host: \"%.*s\"",
				cases[i].what,
				(int)strcspn(d.client->err.data, "\n"),
				d.client->err.data);
			return;
		}
	}
}

/* ---- memory ------------------------------------------------------------ */

/* What LeakSanitizer reported for the programs that have ended: bytes and
 * allocations never freed, and the first frame in the lab's own code.
 * The reports are taken away, so only growth, judged by the check, fails
 * it. Other sanitizer reports stay for the harness to name. */
static void take_leak_reports(struct hx_check *c, long *bytes, long *allocs,
			      struct hx_buf *where)
{
	char dir[600];
	struct hx_buf report;
	struct dirent *e;
	DIR *d;

	*bytes = *allocs = 0;
	hx_sanitizer_dir(c, dir, sizeof(dir));
	d = opendir(dir);
	if (!d)
		return;
	hx_buf_init(&report);
	while ((e = readdir(d))) {
		const char *text, *sum, *frame;
		long b = 0, n = 0;

		if (strncmp(e->d_name, "report.", 7) != 0)
			continue;
		hx_buf_clear(&report);
		if (hx_read_shared_at(dirfd(d), e->d_name, 1 << 20, &report) <
		    0)
			continue;
		text = report.data ? report.data : "";
		if (!strstr(text, "ERROR: LeakSanitizer") ||
		    strstr(text, "ERROR: AddressSanitizer:"))
			continue;
		sum = strstr(text, "SUMMARY: AddressSanitizer: ");
		if (sum)
			sscanf(sum,
			       "SUMMARY: AddressSanitizer: %ld byte(s) "
			       "leaked in %ld allocation",
			       &b, &n);
		*bytes += b;
		*allocs += n;
		/* The first frame in the lab's own files names the line. */
		frame = strstr(text, "get.c:");
		if (!frame)
			frame = strstr(text, "url.c:");
		if (frame && !where->len) {
			const char *in = frame;

			while (in > text && in[-1] != '\n')
				in--;
			in = strstr(in, " in ");
			if (in && in < frame)
				hx_buf_addf(where, "%.*s",
					    (int)strcspn(in + 4, "\n"), in + 4);
		}
		unlinkat(dirfd(d), e->d_name, 0);
	}
	hx_buf_free(&report);
	closedir(d);
}

/* Runs d under LeakSanitizer; leaks at exit are counted, not failed:
 * get must exit 0, or with LEAK_EXIT after a leak report, and FILE must
 * hold the body. */
static int run_counting_leaks(struct hx_check *c, struct download *d,
			      long *bytes, long *allocs, struct hx_buf *where)
{
	char path[1024];
	struct hx_proc *p;
	int code;

	d->exit_code = -1;
	hx_recordf(c, 0, "case: %d connection(s) under LeakSanitizer",
		   d->nanswers);
	run_download(c, d);
	free_download(d);
	take_leak_reports(c, bytes, allocs, where);
	p = d->client;
	if (!hx_ok(c) || !p)
		return -1;
	code = WIFEXITED(p->wait_status) ? WEXITSTATUS(p->wait_status) : -1;
	if (code == 0 || (code == LEAK_EXIT && *allocs > 0))
		p->accepted = 1; /* a leak is judged by the caller */
	else if (hx_proc_expect_exit(c, p, 0, 0) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", c->work_dir, OUT_FILE);
	return hx_expect_file(c, path, d->body, d->body_len);
}

static void check_get_memory(struct hx_check *c)
{
	static const char body[] = "the page at the end\n";
	const struct hx_http_reply_plan hop = {.status = 302,
					       .headers = "Location: /hop\r\n"};
	const struct hx_http_reply_plan page = {
	    .status = 200, .body = body, .body_len = strlen(body)};
	struct answer answers[MAX_HOPS + 1];
	struct download once = {.target = "/page",
				.answers = &answers[MAX_HOPS],
				.nanswers = 1,
				.one_socket = 1,
				.body = body,
				.body_len = strlen(body)};
	struct download hops = once;
	long bytes[2], allocs[2];
	struct hx_buf where;

	for (int i = 0; i < MAX_HOPS; i++)
		answers[i] = (struct answer){.plan = &hop};
	answers[MAX_HOPS] = (struct answer){.plan = &page};
	hops.answers = answers;
	hops.nanswers = MAX_HOPS + 1;
	hx_buf_init(&where);
	if (run_counting_leaks(c, &once, &bytes[0], &allocs[0], &where) == 0 &&
	    run_counting_leaks(c, &hops, &bytes[1], &allocs[1], &where) == 0 &&
	    allocs[1] > allocs[0]) {
		hx_fail(c, HX_FAIL,
			"memory never freed grows with each connection: "
			"%ld allocation(s) (%ld bytes) were never freed after "
			"a download without redirect, %ld (%ld bytes) after "
			"one with %d redirects%s%s",
			allocs[0], bytes[0], allocs[1], bytes[1], MAX_HOPS,
			where.len ? "; one was allocated in " : "",
			where.len ? where.data : "");
		hx_set_cause(c, HX_CAUSE_LEAK,
			     "get: %ld more allocation(s) never freed after %d "
			     "redirects%s%s",
			     allocs[1] - allocs[0], MAX_HOPS,
			     where.len ? ", allocated in " : "",
			     where.len ? where.data : "");
	}
	hx_buf_free(&where);
}

static void check_get_usage(struct hx_check *c)
{
	static char long_host[400];
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"http://127.0.0.1/", NULL},
	    {"http://127.0.0.1/", OUT_FILE, "extra", NULL},
	    {"", OUT_FILE, NULL},
	    {"ftp://127.0.0.1/", OUT_FILE, NULL},
	    {"http://127.0.0.1:0/", OUT_FILE, NULL},
	    {"http://127.0.0.1:http/", OUT_FILE, NULL},
	    {"http://127.0.0.1:65536/", OUT_FILE, NULL},
	    {"http://[::1/", OUT_FILE, NULL},
	    {"http://user@127.0.0.1/", OUT_FILE, NULL},
	    {long_host, OUT_FILE, NULL},
	};

	/* A host of 300 letters: URL_TOO_LONG. */
	memcpy(long_host, "http://", 7);
	memset(long_host + 7, 'h', 300);
	strcpy(long_host + 307, "/");
	hx_expect_usage(c, "get", cases, SL_COUNT(cases), EXIT_MS);
}

/* The rubric: 100 points. */
