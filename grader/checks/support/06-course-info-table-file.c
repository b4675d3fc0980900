/* 06-course-info-table-file.c - lab 06: the table file and the server's errors.
 *
 * Included by grader/checks/06-course-info.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

/* Writes a fixture file into the programs' working folder: a new one,
 * as a server run before may have left a link in its place. */
static int write_file(struct hx_check *c, const char *name, const char *text)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", c->work_dir, name);
	if (hx_write_shared(path, text, strlen(text)) < 0)
		return hx_fail(c, HX_ERROR, "cannot write %s: %s", name,
			       strerror(errno));
	hx_recordf(c, 0, "wrote %s: %s", name, text);
	return 0;
}

/* Writes text as the table file, starts "server PORT courses.txt" and
 * asks each request alone; the server, which must hold no more
 * descriptors than one without a table file (held_fds), is stopped
 * after. */
static int expect_table(struct hx_check *c, const char *label, const char *text,
			const struct exchange *list, int n, int held_fds)
{
	int port = hx_port(c, 0);
	struct hx_proc *server;
	int held;

	if (write_file(c, TABLE_NAME, text) < 0)
		return -1;
	server = start_server(c, label, port, TABLE_NAME);
	if (!server) {
		hx_note(c, "the table file was:\n%s", text);
		return -1;
	}
	held = count_idle_fds(server);
	if (held > held_fds) {
		hx_set_cause(c, HX_CAUSE_DESCRIPTORS,
			     "%s: the table file left open", server->label);
		return hx_fail(c, HX_FAIL,
			       "%s holds %d descriptors once it listens, where "
			       "the server without a table file holds %d: the "
			       "file was not closed after it was read",
			       server->label, held, held_fds);
	}
	if (expect_each_alone(c, server, port, list, n) < 0) {
		hx_note(c, "the table file was:\n%s", text);
		return -1;
	}
	/* The next table needs the port: a server that does not stop on
	 * SIGTERM (stop-signal's business) is killed. */
	hx_proc_stop_quietly(c, server, STOP_MS);
	if (hx_proc_running(server))
		hx_proc_kill(server);
	return 0;
}

/* Descriptors the server holds once it listens with its built-in table,
 * or -1; the server is stopped after. */
static int count_builtin_fds(struct hx_check *c)
{
	struct hx_proc *server =
	    start_server(c, "server (built-in table)", hx_port(c, 0), NULL);
	int held;

	if (!server)
		return -1;
	held = count_idle_fds(server);
	hx_proc_stop_quietly(c, server, STOP_MS);
	if (hx_proc_running(server))
		hx_proc_kill(server);
	return held;
}

/* A field of FIELD_MAX - 1 bytes, the longest allowed, made of letter. */
static const char *longest_field(char *buf, char letter)
{
	memset(buf, letter, FIELD_MAX - 1);
	buf[FIELD_MAX - 1] = '\0';
	return buf;
}

/* A table of COURSES_MAX courses, the first with fields of the longest
 * length, the last "Last32,1Day,32". */
static void fill_full_table(struct hx_buf *table, char *reply, size_t size)
{
	char name[FIELD_MAX], duration[FIELD_MAX], fee[FIELD_MAX];

	longest_field(name, 'N');
	longest_field(duration, 'D');
	longest_field(fee, '9');
	hx_buf_addf(table, "%s,%s,%s\n", name, duration, fee);
	snprintf(reply, size, "CourseName:%s,Duration:%s,Fee=%s\n", name,
		 duration, fee);
	for (int i = 2; i <= COURSES_MAX; i++)
		hx_buf_addf(table, "Course%d,%dDays,%d\n", i, i, i * 100);
}

static void check_table_file(struct hx_check *c)
{
	/* CR LF and LF, blank lines of both kinds, spaces inside fields, no
	 * final newline; C is redefined and Python left out: the file
	 * replaces the built-in table. */
	static const char table[] = "Rust,3Months,3000\r\n"
				    "\n"
				    "Go,6Weeks,1500\n"
				    "\r\n"
				    "Data Science,1 Year,5000\n"
				    "C,1Year,9999";
	static const struct exchange list[] = {
	    {.request = "Rust\n",
	     .reply = "CourseName:Rust,Duration:3Months,Fee=3000\n"},
	    {.request = "rust\n",
	     .reply = "CourseName:Rust,Duration:3Months,Fee=3000\n"},
	    {.request = "GO\r\n",
	     .reply = "CourseName:Go,Duration:6Weeks,Fee=1500\n"},
	    {.request = "data science\n",
	     .reply = "CourseName:Data Science,Duration:1 Year,Fee=5000\n"},
	    {.request = "c\n",
	     .reply = "CourseName:C,Duration:1Year,Fee=9999\n"},
	    {.request = "python\n", .reply = NOT_AVAILABLE},
	};
	static const struct exchange one[] = {
	    {.request = "haskell\n",
	     .reply = "CourseName:Haskell,Duration:1Term,Fee=700\n"},
	    {.request = "java\n", .reply = NOT_AVAILABLE},
	};
	char longest[256], request[FIELD_MAX + 1];
	/* The longest name, the last course, and names that are none of
	 * the 32: the search must stop at the table's end. (Past the 32nd
	 * course lies the count, 32, which reads as the name " ": a search
	 * that goes one entry too far finds it.) */
	const struct exchange full[] = {
	    {.request = request, .reply = longest},
	    {.request = "course32\n",
	     .reply = "CourseName:Course32,Duration:32Days,Fee=3200\n"},
	    {.request = "ruby\n", .reply = NOT_AVAILABLE},
	    {.request = " \n", .reply = NOT_AVAILABLE},
	};
	struct hx_buf full_table;
	int held = count_builtin_fds(c);

	if (held < 0 ||
	    expect_table(c, "server (courses.txt with 4 courses)", table, list,
			 SL_COUNT(list), held) < 0 ||
	    expect_table(c, "server (courses.txt with 1 course)",
			 "Haskell,1Term,700\n", one, SL_COUNT(one), held) < 0)
		return;
	/* The limits themselves: 32 courses, fields of 63 bytes. */
	hx_buf_init(&full_table);
	fill_full_table(&full_table, longest, sizeof(longest));
	/* The longest name, asked for in lower case. */
	memset(request, 'n', FIELD_MAX - 1);
	strcpy(request + FIELD_MAX - 1, "\n");
	expect_table(c, "server (courses.txt with 32 courses)", full_table.data,
		     full, SL_COUNT(full), held);
	hx_buf_free(&full_table);
}

/* Runs the server with args, which must fail before it listens: exit
 * status 2 and stderr holding each of needles. */
static int expect_server_error(struct hx_check *c, const char *label,
			       const char *const *args,
			       const char *const *needles)
{
	struct hx_proc *server = hx_start_labelled(c, label, "server", args);

	if (!server || hx_proc_expect_exit(c, server, 2, EXIT_MS) < 0)
		return -1;
	for (int i = 0; needles[i]; i++)
		if (hx_expect_contains(c, "server's stderr", needles[i],
				       server->err.data) < 0)
			return -1;
	return 0;
}

/* One bad table file and what its error must name. */
struct bad_table {
	const char *what; /* in the label: "a line with two fields" */
	const char *text; /* the file */
	const char *line; /* "line N", or NULL where no line is at fault */
};

static void check_server_errors(struct hx_check *c)
{
	static const struct bad_table bad[] = {
	    {.what = "two fields", .text = "Go,6Weeks\n", .line = "line 1"},
	    {.what = "an empty duration",
	     .text = "Rust,3Months,3000\nGo,,1500\n",
	     .line = "line 2"},
	    {.what = "an empty fee", .text = "Go,6Weeks,\n", .line = "line 1"},
	    {.what = "an empty name",
	     .text = "\r\n,6Weeks,1500\n",
	     .line = "line 2"},
	    {.what = "four fields",
	     .text = "Rust,3Months,3000\n\nGo,6Weeks,1500,x\n",
	     .line = "line 3"},
	    {.what = "no course", .text = "\n\r\n", .line = NULL},
	};
	static const char *const in_use[] = {"bind", "Address already in use",
					     NULL};
	char port_arg[16], label[96], name[FIELD_MAX + 1];
	const char *args[] = {port_arg, TABLE_NAME, NULL};
	const char *needles[] = {TABLE_NAME, NULL, NULL};
	struct hx_buf text;
	struct hx_conn holder;
	int port = hx_port(c, 0);

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	for (int i = 0; i < SL_COUNT(bad); i++) {
		snprintf(label, sizeof(label), "server (courses.txt with %s)",
			 bad[i].what);
		needles[1] = bad[i].line;
		if (write_file(c, TABLE_NAME, bad[i].text) < 0 ||
		    expect_server_error(c, label, args, needles) < 0)
			return;
	}
	/* Just over the limits: a name of 64 bytes, a 33rd course. */
	hx_buf_init(&text);
	memset(name, 'N', FIELD_MAX);
	name[FIELD_MAX] = '\0';
	hx_buf_addf(&text, "Go,6Weeks,1500\n%s,1Day,1\n", name);
	needles[1] = "line 2";
	if (write_file(c, TABLE_NAME, text.data) == 0 &&
	    expect_server_error(c, "server (courses.txt with a 64-byte name)",
				args, needles) == 0) {
		hx_buf_clear(&text);
		for (int i = 1; i <= COURSES_MAX + 1; i++)
			hx_buf_addf(&text, "Course%d,1Day,%d\n", i, i);
		needles[1] = NULL;
		if (write_file(c, TABLE_NAME, text.data) == 0)
			expect_server_error(
			    c, "server (courses.txt with 33 courses)", args,
			    needles);
	}
	hx_buf_free(&text);
	if (!hx_ok(c))
		return;

	/* A file that cannot be opened: its name and strerror's reason. */
	args[1] = MISSING_NAME;
	needles[0] = MISSING_NAME;
	needles[1] = "No such file or directory";
	if (expect_server_error(c, "server " MISSING_NAME, args, needles) < 0)
		return;

	/* A port another socket listens on: bind fails. */
	args[1] = NULL;
	if (hx_tcp_listen(c, &holder, "0.0.0.0", port) < 0)
		return;
	expect_server_error(c, "server (port in use)", args, in_use);
	hx_close(c, &holder);
}
