/* 03-udp-echo-client.c - lab 03: the client.
 *
 * Included by grader/checks/03-udp-echo.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

/* ---- the client ------------------------------------------------------- */

/* A run where the server replies to the first try at once. */
#define REPLY_PLAN                                                             \
	.host = "127.0.0.1", .timeout = CLIENT_TIMEOUT, .retries = "0",        \
	.run_ms = IO_MS

static void check_client_reply(struct hx_check *c)
{
	/* Not the request: the client must print what came back. */
	static const char reply[] = "Reply from server: " MESSAGE;
	const struct serve_plan plan = {REPLY_PLAN, .exact_request = 1,
					.reply = reply, .len = strlen(reply)};

	serve_client(c, &plan);
}

static void check_client_binary(struct hx_check *c)
{
	static const char reply[] = "bin\0ary\r\n\t\xff\x01 end";
	const struct serve_plan plan = {REPLY_PLAN, .reply = reply,
					.len = sizeof(reply) - 1};

	serve_client(c, &plan);
}

/* An empty MESSAGE is an empty datagram, and an empty reply a reply. */
static void check_client_empty(struct hx_check *c)
{
	const struct serve_plan plan = {REPLY_PLAN, .message = "", .reply = "",
					.len = 0};

	serve_client(c, &plan);
}

static void check_client_largest(struct hx_check *c)
{
	static char reply[LARGEST_DATAGRAM];
	const struct serve_plan plan = {REPLY_PLAN, .reply = reply,
					.len = sizeof(reply)};

	fill_lines(reply, sizeof(reply), "the largest reply over IPv4");
	serve_client(c, &plan);
}

static void check_client_pieces(struct hx_check *c)
{
	static const char reply[] = "the reply is this datagram";
	const struct serve_plan plan = {REPLY_PLAN, .reply = reply,
					.len = strlen(reply),
					.more = "and not this second one"};

	serve_client(c, &plan);
}

static void check_client_stray(struct hx_check *c)
{
	static const char reply[] = "the real reply";
	const struct serve_plan plan = {REPLY_PLAN, .reply = reply,
					.len = strlen(reply),
					.strays = LONG_STRAYS};

	serve_client(c, &plan);
}

/* The reply to the first try comes late, after the second try: it is
 * from the server, so it is the reply, and the client stops there. */
static void check_client_late_reply(struct hx_check *c)
{
	static const char reply[] = "the reply to the first try, late";
	const struct serve_plan plan = {.host = "127.0.0.1",
					.timeout = "300",
					.retries = "2",
					.ignore = 1,
					.to_first = 1,
					.reply = reply,
					.len = strlen(reply),
					.run_ms = IO_MS};

	serve_client(c, &plan);
}

static void check_client_ipv6(struct hx_check *c)
{
	static const char reply[] = "the reply over IPv6";
	const struct serve_plan plan = {.host = "::1",
					.timeout = CLIENT_TIMEOUT,
					.retries = "0",
					.reply = reply,
					.len = strlen(reply),
					.strays = SHORT_STRAYS,
					.run_ms = IO_MS};

	if (hx_need_ipv6_loopback(c))
		serve_client(c, &plan);
}

static void check_client_timeout(struct hx_check *c)
{
	expect_no_reply(c, SILENT_TIMEOUT, 0, "300", "0", 0);
}

static void check_client_retries(struct hx_check *c)
{
	expect_no_reply(c, SILENT_TIMEOUT, SILENT_RETRIES, "300", "2", 1);
}

/* TIMEOUT_MS 1200: one second and 200 000 microseconds. The server lets
 * the first try pass; the second must come 1200 ms after it. */
static void check_client_long_timeout(struct hx_check *c)
{
	static const char reply[] = "the reply to the second try";
	const struct serve_plan plan = {.host = "127.0.0.1",
					.timeout = "1200",
					.retries = "1",
					.ignore = 1,
					.gap_ms = LONG_TIMEOUT,
					.reply = reply,
					.len = strlen(reply),
					.run_ms = IO_MS};

	serve_client(c, &plan);
}

/* RETRIES left out: 2, so 3 tries; both left out: a TIMEOUT_MS of 1000. */
static void check_client_defaults(struct hx_check *c)
{
	static const char reply[] = "the reply to the second try";
	const struct serve_plan plan = {.host = "127.0.0.1",
					.ignore = 1,
					.gap_ms = DEFAULT_TIMEOUT,
					.reply = reply,
					.len = strlen(reply),
					.run_ms = IO_MS};

	expect_no_reply(c, SILENT_TIMEOUT, DEFAULT_RETRIES, "300", NULL, 1);
	if (!hx_ok(c)) {
		hx_note(c, "RETRIES was left out: its default is 2");
		return;
	}
	serve_client(c, &plan);
	if (!hx_ok(c))
		hx_note(c, "TIMEOUT_MS and RETRIES were left out: the "
			   "timeout's default is 1000 ms");
}

static void check_client_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"127.0.0.1", NULL},
	    {"127.0.0.1", "9000", NULL},
	    {"", "9000", "hi", NULL},
	    {"127.0.0.1", "abc", "hi", NULL},
	    {"127.0.0.1", "0", "hi", NULL},
	    {"127.0.0.1", "65536", "hi", NULL},
	    {"127.0.0.1", "+9000", "hi", NULL},
	    {"127.0.0.1", "9000", "hi", "soon", NULL},
	    {"127.0.0.1", "9000", "hi", "0", NULL},
	    {"127.0.0.1", "9000", "hi", "60001", NULL},
	    {"127.0.0.1", "9000", "hi", "500", "-1", NULL},
	    {"127.0.0.1", "9000", "hi", "500", "101", NULL},
	    {"127.0.0.1", "9000", "hi", "500", "2", "extra", NULL},
	};

	if (hx_expect_usage(c, "client", cases, SL_COUNT(cases), EXIT_MS) < 0)
		return;
	/* Every value in range is taken, the limits too. */
	if (expect_accepted(c, "60000", "100") == 0)
		expect_accepted(c, "1", "0");
}

static void check_client_unknown_host(struct hx_check *c)
{
	char port_arg[16];
	const char *args[] = {UNKNOWN_HOST, port_arg, MESSAGE, NULL};
	struct hx_proc *client;

	snprintf(port_arg, sizeof(port_arg), "%d", hx_port(c, 0));
	client = hx_start(c, "client", args);
	if (client && hx_proc_expect_exit(c, client, 2, RESOLVE_MS) == 0)
		hx_expect_contains(c, "client's stderr", UNKNOWN_HOST,
				   client->err.data);
}
