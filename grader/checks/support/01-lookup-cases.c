/* 01-lookup-cases.c - lab 01: the worlds a case runs in, and one case run and
 * judged.
 *
 * Included by grader/checks/01-lookup.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

/* Which name service a case runs with. */
enum lookup_world {
	NO_FIXTURES, /* the sandbox's own files (usage errors need none) */
	FILES_ONLY,  /* the fixtures above, hosts from files only */
	DEAD_DNS     /* the same, and a DNS server that never answers */
};

/* How a case compares stdout. */
enum lookup_order {
	SAME_ORDER,    /* stdout is exactly the expected text */
	ANY_ORDER,     /* the expected lines, each once, in any order */
	FIRST_THEN_ANY /* the first line exactly, then the others in any
			  order (self: the hostname, then its addresses) */
};

struct lookup_case {
	const char
	    *args[MAX_ARGS + 1]; /* arguments after "lookup", NULL-ended */
	int status;		 /* exit status it must end with */
	const char *out;	 /* its stdout ("" for nothing) */
	enum lookup_order order; /* how out is compared */
	const char *err_has[3];	 /* texts its stderr must contain */
};

/* The fixture /etc/hosts: the fixed lines, then nine.lab and lots.lab,
 * whose expected output is written into nine_out and lots_out (each NULL
 * when not wanted). */
static void hosts_fixture(struct hx_buf *hosts, struct hx_buf *nine_out,
			  struct hx_buf *lots_out)
{
	hx_buf_add(hosts, fixture_hosts, strlen(fixture_hosts));
	for (int i = 1; i <= NINE; i++) {
		hx_buf_addf(hosts, "10.4.0.%d\tnine.lab\n", i);
		if (nine_out)
			hx_buf_addf(nine_out, "10.4.0.%d\n", i);
	}
	for (int i = 1; i <= LOTS_V4; i++) {
		hx_buf_addf(hosts, "10.3.0.%d\tlots.lab\n", i);
		if (lots_out)
			hx_buf_addf(lots_out, "10.3.0.%d\n", i);
	}
	for (int i = 1; i <= LOTS_V6; i++) {
		hx_buf_addf(hosts, "fd00:3::%x\tlots.lab\n", i);
		if (lots_out)
			hx_buf_addf(lots_out, "fd00:3::%x\n", i);
	}
	/* Repeats after the table is full: a table that stops recording
	 * addresses when it is full prints these twice. */
	for (int i = 1; i <= LOTS_V4; i += LOTS_REPEAT)
		hx_buf_addf(hosts, "10.3.0.%d\tlots-alias.lab lots.lab\n", i);
}

/* Installs a world; -1 once the check failed or was skipped. */
static int install_world(struct hx_check *c, enum lookup_world world)
{
	struct hx_buf hosts;
	int rc;

	if (world == NO_FIXTURES)
		return 0;
	hx_buf_init(&hosts);
	hosts_fixture(&hosts, NULL, NULL);
	rc = hx_fixture_file(c, "/etc/hosts", hosts.data);
	hx_buf_free(&hosts);
	if (rc < 0 ||
	    hx_fixture_file(c, "/etc/services", fixture_services) < 0 ||
	    hx_fixture_file(c, "/etc/resolv.conf", fixture_resolv) < 0 ||
	    hx_fixture_file(c, "/etc/nsswitch.conf",
			    world == DEAD_DNS ? fixture_nsswitch_dns
					      : fixture_nsswitch) < 0)
		return -1;
	if (world == DEAD_DNS)
		hx_recordf(c, 0,
			   "hosts: files dns, and nothing answers at the "
			   "nameserver 127.0.0.1");
	return 0;
}

/* Writes the command line of a case ("lookup port \" 80\" tcp"): an empty
 * argument or one with spaces is quoted, so feedback shows it. */
static void describe_command(const struct lookup_case *lc, char *out,
			     size_t size)
{
	size_t used = (size_t)snprintf(out, size, "lookup");

	for (int i = 0; lc->args[i] && used < size; i++) {
		const char *a = lc->args[i];
		int quote = a[0] == '\0' || strpbrk(a, " \t") != NULL;

		used += (size_t)snprintf(out + used, size - used,
					 quote ? " \"%s\"" : " %s", a);
	}
}

/* 1 if line (len bytes, no newline) equals one of the n wanted lines not
 * taken yet; marks that one taken. */
static int take_line(const char *line, size_t len, char *const *want, int n,
		     char *taken)
{
	for (int i = 0; i < n; i++) {
		if (!taken[i] && strlen(want[i]) == len &&
		    memcmp(want[i], line, len) == 0) {
			taken[i] = 1;
			return 1;
		}
	}
	return 0;
}

/* Compares actual with the lines of expected in any order, each exactly
 * once: getaddrinfo sorts addresses by the system's rules (RFC 6724), so
 * only the set is graded. The expected text is rebuilt in the order the
 * program printed, with missing lines at the end, so that the first
 * difference shown is a real one (a repeat, a stranger, a gap). */
static int expect_lines_any_order(struct hx_check *c, const char *what,
				  const char *expected, const char *actual)
{
	char *copy = strdup(expected);
	size_t lines = 1;
	char **want;
	char *taken;
	struct hx_buf order;
	int n = 0;
	int rc;

	for (const char *p = expected; *p; p++)
		lines += *p == '\n';
	want = calloc(lines, sizeof(*want));
	taken = calloc(lines, 1);
	if (!copy || !want || !taken) {
		free(copy);
		free(want);
		free(taken);
		return hx_fail(c, HX_ERROR, "out of memory");
	}
	for (char *save, *w = strtok_r(copy, "\n", &save); w;
	     w = strtok_r(NULL, "\n", &save))
		want[n++] = w;

	hx_buf_init(&order);
	for (const char *line = actual; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);

		if (take_line(line, len, want, n, taken))
			hx_buf_addf(&order, "%.*s\n", (int)len, line);
		if (!end)
			break;
		line = end + 1;
	}
	for (int i = 0; i < n; i++) {
		if (!taken[i])
			hx_buf_addf(&order, "%s\n", want[i]);
	}
	rc = hx_expect_str(c, what, order.data ? order.data : "", actual);
	hx_buf_free(&order);
	free(taken);
	free(want);
	free(copy);
	return rc;
}

/* Compares actual with expected: the first line exactly, the others in
 * any order (see expect_lines_any_order). */
static int expect_first_then_any(struct hx_check *c, const char *what,
				 const char *expected, const char *actual)
{
	const char *end = strchr(expected, '\n');
	size_t first = end ? (size_t)(end - expected) + 1 : strlen(expected);
	char rest[400];

	if (strncmp(actual, expected, first) != 0)
		return hx_expect_str(c, what, expected, actual);
	snprintf(rest, sizeof rest, "%s after its first line", what);
	return expect_lines_any_order(c, rest, expected + first,
				      actual + first);
}

/* Runs one case; -1 once the check has failed. */
static int run_case(struct hx_check *c, const struct lookup_case *lc)
{
	char command[256];
	char what[320];
	const char *out, *err;
	struct hx_proc *p;

	/* The command line is the process's label, so feedback names it. */
	describe_command(lc, command, sizeof command);
	p = hx_start_labelled(c, command, "lookup", lc->args);
	if (!p || hx_proc_expect_exit(c, p, lc->status, RUN_MS) < 0)
		return -1;
	out = p->out.len ? p->out.data : "";
	err = p->err.len ? p->err.data : "";

	snprintf(what, sizeof what, "stdout of `%s`", command);
	if (lc->order == ANY_ORDER) {
		if (expect_lines_any_order(c, what, lc->out, out) < 0)
			return -1;
	} else if (lc->order == FIRST_THEN_ANY) {
		if (expect_first_then_any(c, what, lc->out, out) < 0)
			return -1;
	} else if (hx_expect_str(c, what, lc->out, out) < 0) {
		return -1;
	}

	/* Results go to stdout; a lookup that worked says nothing else. */
	snprintf(what, sizeof what, "stderr of `%s`", command);
	if (lc->status == 0)
		return hx_expect_str(c, what, "", err);
	if (!err[0])
		return hx_fail(c, HX_FAIL,
			       "`%s` exited with status %d as it should, but "
			       "printed nothing on stderr to say why",
			       command, lc->status);
	for (int i = 0; i < 3 && lc->err_has[i]; i++) {
		if (hx_expect_contains(c, what, lc->err_has[i], err) < 0)
			return -1;
	}
	return 0;
}

/* Installs world, then runs every case in order; stops at the first
 * failure. -1 once the check has failed. */
static int run_cases(struct hx_check *c, enum lookup_world world,
		     const struct lookup_case *cases, int n)
{
	if (install_world(c, world) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		if (run_case(c, &cases[i]) < 0)
			return -1;
	}
	return 0;
}

/* Defines the check function fn, which runs the table cases in world. */
#define CASES_CHECK(fn, world, cases)                                          \
	static void fn(struct hx_check *c)                                     \
	{                                                                      \
		run_cases(c, world, cases, SL_COUNT(cases));                   \
	}

static const struct lookup_case self_cases[] = {
    {.args = {"self"},
     .out = FIXTURE_HOSTNAME "\n10.1.2.77\nfd00:1:2::77\n",
     .order = FIRST_THEN_ANY},
};

/* The same machine renamed to a hostname of HOST_NAME_MAX characters. */
static const struct lookup_case self_long_cases[] = {
    {.args = {"self"},
     .out = LONG_HOSTNAME "\n10.1.2.78\n",
     .order = SAME_ORDER},
};
