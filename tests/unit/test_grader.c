/* test_grader.c - the registry, check seeds, submission folders, reports.
 *
 * The report tests build a grading run of lab 01 by hand (no build, no
 * sandbox): a few checks selected, their verdicts filled in.
 */
#include "unit.h"

#include <ctype.h>
#include <sys/wait.h>

/* A run of lab 01 with checks 0, 2 and 3 selected: the first passed,
 * the second failed with bytes a report must escape, the third skipped. */
static struct sl_run *hand_made_run(void)
{
	struct sl_run *run = calloc(1, sizeof(*run));
	const struct sl_lab *lab = sl_lab_find("01");

	assert_non_null(run);
	assert_non_null(lab);
	assert_true(lab->nchecks >= 4);
	run->lab = lab;
	run->opt.seed = 1234;
	run->isolated = 1;
	run->duration_ms = 4321;
	snprintf(run->build.submission, sizeof(run->build.submission),
		 "labs/01-lookup");
	for (int i = 0; i < lab->nchecks; i++) {
		run->results[i].check = &lab->checks[i];
		run->results[i].seed =
		    sl_check_seed(run->opt.seed, lab->checks[i].id);
		hx_verdict_init(&run->results[i].verdict);
	}
	run->results[0].selected = 1;
	run->results[0].points = lab->checks[0].points;
	run->results[0].verdict.status = HX_PASS;
	run->results[0].verdict.duration_ms = 12;

	run->results[2].selected = 1;
	run->results[2].verdict.status = HX_FAIL;
	run->results[2].verdict.diff_at = 1;
	run->results[2].verdict.duration_ms = 34;
	hx_buf_addf(&run->results[2].verdict.message,
		    "stdout differs \"quoted\" back\\slash");
	hx_buf_add(&run->results[2].verdict.expected, "ab\n", 3);
	hx_buf_add(&run->results[2].verdict.actual,
		   "a\x01\x1f\r\t\x7f\x80\xff\n", 9);
	hx_buf_addf(&run->results[2].verdict.transcript, "0.001 note x\n");
	hx_buf_addf(&run->results[2].verdict.notes,
		    "stderr of lookup:\n\xe2\x80\x98main\xe2\x80\x99 \x1b[2J");

	run->results[3].selected = 1;
	run->results[3].verdict.status = HX_SKIPPED;
	hx_buf_addf(&run->results[3].verdict.message, "needs namespaces");

	run->score = lab->checks[0].points;
	run->max_score = lab->checks[0].points + lab->checks[2].points +
			 lab->checks[3].points;
	return run;
}

static void free_run(struct sl_run *run)
{
	sl_run_free(run);
	free(run);
}

/* A report printed into memory. */
static char *report(void (*print)(const struct sl_run *, FILE *),
		    const struct sl_run *run)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	assert_non_null(out);
	print(run, out);
	fclose(out);
	return text;
}

/* A small JSON validator: enough to tell a valid document from one with
 * a raw control byte, a bad escape or unbalanced brackets. Returns the
 * position after the value, or NULL. */
static const char *json_value(const char *p);

static const char *json_space(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
		p++;
	return p;
}

static const char *json_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	while (*p != '"') {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p++ != '\\')
			continue;
		if (*p == 'u') {
			for (int i = 1; i <= 4; i++)
				if (!isxdigit((unsigned char)p[i]))
					return NULL;
			p += 5;
		} else if (*p && strchr("\"\\/bfnrt", *p)) {
			p++;
		} else {
			return NULL;
		}
	}
	return p + 1;
}

static const char *json_number(const char *p)
{
	const char *start;

	if (*p == '-')
		p++;
	start = p;
	while (isdigit((unsigned char)*p))
		p++;
	if (p == start)
		return NULL;
	if (*p == '.') {
		start = ++p;
		while (isdigit((unsigned char)*p))
			p++;
		if (p == start)
			return NULL;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		start = p;
		while (isdigit((unsigned char)*p))
			p++;
		if (p == start)
			return NULL;
	}
	return p;
}

/* Members of an object (pairs) or an array (values) up to close. */
static const char *json_members(const char *p, char close, int pairs)
{
	p = json_space(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (pairs) {
			p = json_string(json_space(p));
			if (!p)
				return NULL;
			p = json_space(p);
			if (*p++ != ':')
				return NULL;
		}
		p = json_value(p);
		if (!p)
			return NULL;
		p = json_space(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *json_value(const char *p)
{
	p = json_space(p);
	switch (*p) {
	case '{':
		return json_members(p, '}', 1);
	case '[':
		return json_members(p, ']', 0);
	case '"':
		return json_string(p);
	case 't':
		return strncmp(p, "true", 4) ? NULL : p + 4;
	case 'f':
		return strncmp(p, "false", 5) ? NULL : p + 5;
	case 'n':
		return strncmp(p, "null", 4) ? NULL : p + 4;
	default:
		return json_number(p);
	}
}

static int json_valid(const char *text)
{
	const char *end = json_value(text);

	return end && *json_space(end) == '\0';
}

/* Writes the hand-made run's JSON report to a file in dir; returns its
 * text (to free) and the path in path. */
static char *json_report(const struct sl_run *run, const char *dir, char *path,
			 size_t size)
{
	struct hx_buf text;
	char err[256] = "";

	snprintf(path, size, "%s/results.json", dir);
	if (sl_report_json(run, path, err, sizeof(err)) < 0)
		fail_msg("sl_report_json: %s", err);
	hx_buf_init(&text);
	assert_int_equal(unit_read_file(path, &text), 0);
	return text.data;
}

/* The digest builds are named by: the standard's own examples. */
static void test_grader_sha256_known_digests(void **state)
{
	static const struct {
		const char *text;   /* input */
		const char *digest; /* its SHA-256 */
	} cases[] = {
	    {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b"
		 "7852b855"},
	    {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff"
		    "61f20015ad"},
	    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419d"
	     "b06c1"},
	};
	char hex[65];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sl_sha256 h;

		sl_sha256_init(&h);
		/* in two pieces, so the block boundary is crossed unevenly */
		sl_sha256_add(&h, cases[i].text, strlen(cases[i].text) / 3);
		sl_sha256_add(&h, cases[i].text + strlen(cases[i].text) / 3,
			      strlen(cases[i].text) -
				  strlen(cases[i].text) / 3);
		sl_sha256_hex(&h, hex);
		assert_string_equal(hex, cases[i].digest);
	}
}

/* A build kept in the cache comes back as it went in: whether it
 * built, the compiler's words, the executable. */
static void test_grader_build_cache_round_trip(void **state)
{
	struct unit_fixture *f = *state;
	char cache[300], bin[300], exe[300], got[320];
	struct hx_buf log, back;
	int built = 0;

	snprintf(cache, sizeof(cache), "%s/cache", f->dir);
	snprintf(bin, sizeof(bin), "%s/bin", f->dir);
	snprintf(exe, sizeof(exe), "%s/server", f->dir);
	assert_int_equal(mkdir(bin, 0755), 0);
	{
		FILE *out = fopen(exe, "w");

		assert_non_null(out);
		fputs("\x7f"
		      "ELF pretend",
		      out);
		fclose(out);
	}
	hx_buf_init(&log);
	hx_buf_init(&back);
	hx_buf_addf(&log, "server.c:3: warning: unused\n");
	assert_int_equal(
	    sl_cache_load(cache, "k1", bin, "server", &built, &back), 0);
	sl_cache_store(cache, "k1", 1, &log, exe);
	assert_int_equal(
	    sl_cache_load(cache, "k1", bin, "server", &built, &back), 1);
	assert_int_equal(built, 1);
	assert_string_equal(back.data, log.data);
	snprintf(got, sizeof(got), "%s/server", bin);
	hx_buf_clear(&back);
	assert_int_equal(unit_read_file(got, &back), 0);
	assert_string_equal(back.data, "\x7f"
				       "ELF pretend");
	hx_buf_free(&log);
	hx_buf_free(&back);
}

/* A program's build is named by every file of the student's, not only
 * its sources (lab 02's server may #include client.c), and not by the
 * folder it is written to. */
static void test_grader_build_cache_key_covers_every_file(void **state)
{
	struct unit_fixture *f = *state;
	static struct sl_run run;
	const char *const argv[] = {"-O2", "-o", "/work/server", NULL};
	const char *const elsewhere[] = {"-O2", "-o", "/tmp/b.1/work/server",
					 NULL};
	char first[65], again[65], changed[65], other[65], moved[65],
	    server[300], wrappers[300], client[300];

	memset(&run, 0, sizeof(run));
	run.lab = sl_lab_find("02");
	assert_non_null(run.lab);
	snprintf(run.build.src, sizeof(run.build.src), "%s", f->dir);
	snprintf(server, sizeof(server), "%s/server.c", f->dir);
	snprintf(wrappers, sizeof(wrappers), "%s/wrappers.c", f->dir);
	snprintf(client, sizeof(client), "%s/client.c", f->dir);
	assert_int_equal(
	    unit_write_file(server, "int main(void) { return 0; }\n", 0644), 0);
	assert_int_equal(unit_write_file(wrappers, "int w;\n", 0644), 0);
	assert_int_equal(unit_write_file(client, "int c = 1;\n", 0644), 0);
	sl_cache_key(&run, &run.lab->programs[0], argv, first);
	sl_cache_key(&run, &run.lab->programs[0], argv, again);
	assert_string_equal(first, again);
	/* without a sandbox of its own the build writes in a new folder
	 * each run: the same build all the same */
	sl_cache_key(&run, &run.lab->programs[0], elsewhere, moved);
	assert_string_equal(first, moved);
	assert_int_equal(unit_write_file(client, "int c = 2;\n", 0644), 0);
	sl_cache_key(&run, &run.lab->programs[0], argv, changed);
	assert_string_not_equal(first, changed);
	/* another program of the same files is another build */
	sl_cache_key(&run, &run.lab->programs[1], argv, other);
	assert_string_not_equal(changed, other);
}

/* A folder that outlives a run keeps its most recently used entries
 * (a load counts as a use), and removes what a dead run left half
 * written; an entry half removed is a miss that leaves the log alone. */
static void test_grader_build_cache_trim_keeps_recent(void **state)
{
	struct unit_fixture *f = *state;
	char cache[300], bin[300], exe[300], key[4][65], path[600];
	struct hx_buf log, back;
	struct timespec old[2] = {{.tv_sec = 1000}, {.tv_sec = 1000}};
	int built = 0;

	snprintf(cache, sizeof(cache), "%s/cache", f->dir);
	snprintf(bin, sizeof(bin), "%s/bin", f->dir);
	assert_int_equal(mkdir(bin, 0755), 0);
	snprintf(exe, sizeof(exe), "%s/exe", f->dir);
	assert_int_equal(unit_write_file(exe,
					 "\x7f"
					 "ELF pretend",
					 0755),
			 0);
	hx_buf_init(&log);
	hx_buf_init(&back);
	hx_buf_addf(&log, "ok\n");
	for (int i = 0; i < 4; i++) {
		memset(key[i], 'a' + i, 64);
		key[i][64] = '\0';
		sl_cache_store(cache, key[i], 1, &log, exe);
		/* stored in turn, a second apart */
		snprintf(path, sizeof(path), "%s/%s", cache, key[i]);
		old[0].tv_sec = old[1].tv_sec = 1000 + i;
		assert_int_equal(utimensat(AT_FDCWD, path, old, 0), 0);
	}
	/* the oldest is loaded: now the most recent */
	assert_int_equal(
	    sl_cache_load(cache, key[0], bin, "server", &built, &back), 1);
	/* a dead run's half-written entry, an hour and more old */
	snprintf(path, sizeof(path), "%s/.%s.XXXXXX", cache, key[3]);
	assert_non_null(mkdtemp(path));
	old[0].tv_sec = old[1].tv_sec = 1000;
	assert_int_equal(utimensat(AT_FDCWD, path, old, 0), 0);
	assert_int_equal(sl_cache_trim(cache, 2, 1 << 20), 2);
	assert_int_equal(access(path, F_OK), -1);
	hx_buf_clear(&back);
	assert_int_equal(
	    sl_cache_load(cache, key[0], bin, "server", &built, &back), 1);
	assert_int_equal(
	    sl_cache_load(cache, key[3], bin, "server", &built, &back), 1);
	assert_int_equal(
	    sl_cache_load(cache, key[1], bin, "server", &built, &back), 0);
	assert_int_equal(
	    sl_cache_load(cache, key[2], bin, "server", &built, &back), 0);
	/* bytes count too: one entry's worth keeps one */
	assert_int_equal(sl_cache_trim(cache, 10, 20), 1);
	/* an entry whose executable is gone is a miss, its log unread */
	snprintf(path, sizeof(path), "%s/%s/exe", cache, key[3]);
	unlink(path);
	hx_buf_clear(&back);
	assert_int_equal(
	    sl_cache_load(cache, key[3], bin, "server", &built, &back), 0);
	assert_int_equal(back.len, 0);
	hx_buf_free(&log);
	hx_buf_free(&back);
}

/* A build or batch folder deeper than PATH_MAX (an archive made it so)
 * is removed all the same: no path is ever built. */
static void test_grader_remove_tree_deeper_than_path_max(void **state)
{
	struct unit_fixture *f = *state;
	char top[300], name[200];
	int fd;

	snprintf(top, sizeof(top), "%s/deep", f->dir);
	assert_int_equal(mkdir(top, 0755), 0);
	fd = open(top, O_RDONLY | O_DIRECTORY);
	memset(name, 'd', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	/* 40 levels of 199 bytes: about 8,000 bytes of path */
	for (int level = 0; level < 40; level++) {
		int next;

		assert_int_equal(mkdirat(fd, name, 0755), 0);
		next = openat(fd, name, O_RDONLY | O_DIRECTORY);
		assert_true(next >= 0);
		close(fd);
		fd = next;
	}
	assert_true(close(openat(fd, "file.c", O_WRONLY | O_CREAT, 0644)) == 0);
	close(fd);
	assert_int_equal(sl_remove_tree(top), 0);
	assert_int_equal(access(top, F_OK), -1);
	/* a missing path is already removed */
	assert_int_equal(sl_remove_tree(top), 0);
}

static void test_grader_find_lab_by_number(void **state)
{
	const struct sl_lab *one = sl_lab_find("1");

	(void)state;
	assert_non_null(one);
	assert_string_equal(one->number, "01");
	assert_ptr_equal(sl_lab_find("01"), one);
}

static void test_grader_find_lab_by_name(void **state)
{
	const struct sl_lab *one = sl_lab_find("01");

	(void)state;
	assert_ptr_equal(sl_lab_find("lookup"), one);
	assert_ptr_equal(sl_lab_find("01-lookup"), one);
}

static void test_grader_find_unknown_lab(void **state)
{
	(void)state;
	assert_null(sl_lab_find("99"));
	assert_null(sl_lab_find(""));
	assert_null(sl_lab_find("nope"));
	/* a number with something after it is not a number */
	assert_null(sl_lab_find("1x"));
	assert_null(sl_lab_find("02-lookup"));
}

/* `socklab list` and `make grade` walk the labs in order of number. */
static void test_grader_registry_sorted_by_number(void **state)
{
	int n = sl_lab_count();

	(void)state;
	assert_true(n >= 1);
	for (int i = 1; i < n; i++)
		assert_true(
		    strcmp(sl_lab_at(i - 1)->number, sl_lab_at(i)->number) < 0);
	assert_null(sl_lab_at(-1));
	assert_null(sl_lab_at(n));
}

static void test_grader_lab_dirname(void **state)
{
	char name[64];

	(void)state;
	sl_lab_dirname(sl_lab_find("01"), name, sizeof(name));
	assert_string_equal(name, "01-lookup");
}

/* A student's total is what the visible rubric adds up to; hidden rows
 * are counted apart. */
static void test_grader_total_points_leave_out_hidden(void **state)
{
	static const struct sl_check checks[] = {
	    {.id = "a", .title = "first", .points = 30, .timeout_ms = 1000},
	    {.id = "b", .title = "second", .points = 70, .timeout_ms = 1000},
	    {.id = "h",
	     .title = "hidden",
	     .points = 15,
	     .timeout_ms = 1000,
	     .flags = SL_HIDDEN},
	};
	static const struct sl_lab lab = {
	    .number = "77",
	    .name = "made-up",
	    .title = "a lab for this test",
	    .files = {"x.c"},
	    .programs = {{.name = "x", .sources = {"x.c"}}},
	    .checks = checks,
	    .nchecks = 3,
	};
	char *text = NULL;
	size_t size = 0;
	FILE *out;

	(void)state;
	assert_int_equal(sl_lab_total_points(&lab), 100);
	assert_int_equal(sl_lab_hidden_points(&lab), 15);
	out = open_memstream(&text, &size);
	sl_report_rubric(&lab, out);
	fclose(out);
	assert_null(strstr(text, "`h`"));
	assert_non_null(strstr(text, "| `a` | first | 30 |"));
	assert_non_null(strstr(text, "**100**"));
	free(text);
}

/* Checks that wait out time start first, each group in the table's
 * order: lab 04's pings overlap its other checks instead of coming one
 * after another once the CPUs are busy. */
static void test_grader_waiting_checks_start_first(void **state)
{
	static const struct sl_check checks[] = {
	    {.id = "a", .title = "busy", .points = 10, .timeout_ms = 1000},
	    {.id = "b",
	     .title = "waits",
	     .points = 10,
	     .timeout_ms = 1000,
	     .flags = SL_WAITS},
	    {.id = "c", .title = "busy", .points = 10, .timeout_ms = 1000},
	    {.id = "d",
	     .title = "waits",
	     .points = 10,
	     .timeout_ms = 1000,
	     .flags = SL_NETWORK | SL_WAITS},
	};
	static const struct sl_lab lab = {
	    .number = "77",
	    .name = "made-up",
	    .title = "a lab for this test",
	    .checks = checks,
	    .nchecks = 4,
	};
	int order[SL_MAX_CHECKS];
	const struct sl_lab *ping = sl_lab_find("04");

	(void)state;
	sl_start_order(&lab, order);
	assert_int_equal(order[0], 1);
	assert_int_equal(order[1], 3);
	assert_int_equal(order[2], 0);
	assert_int_equal(order[3], 2);
	/* the lab that waits most has checks marked so */
	assert_non_null(ping);
	sl_start_order(ping, order);
	assert_true(ping->checks[order[0]].flags & SL_WAITS);
}

/* Rerunning one check with the run's seed must replay it exactly. */
static void test_grader_check_seed_deterministic(void **state)
{
	(void)state;
	assert_true(sl_check_seed(99, "name-many") ==
		    sl_check_seed(99, "name-many"));
	assert_true(sl_check_seed(0, "build") != 0);
}

/* Checks of one run must not share random choices. */
static void test_grader_check_seed_differs_per_id(void **state)
{
	const struct sl_lab *lab = sl_lab_find("01");

	(void)state;
	for (int i = 0; i < lab->nchecks; i++)
		for (int k = i + 1; k < lab->nchecks; k++)
			assert_true(sl_check_seed(7, lab->checks[i].id) !=
				    sl_check_seed(7, lab->checks[k].id));
}

static void test_grader_check_seed_differs_per_run_seed(void **state)
{
	(void)state;
	assert_true(sl_check_seed(1, "self") != sl_check_seed(2, "self"));
}

/* --dir labs (a folder of labs) finds labs/01-lookup inside it. */
static void test_grader_submission_dir_folder_of_labs(void **state)
{
	struct unit_fixture *f = *state;
	char lab_dir[512], out[512], err[256] = "", want[600];

	snprintf(lab_dir, sizeof(lab_dir), "%s/01-lookup", f->dir);
	assert_int_equal(mkdir(lab_dir, 0755), 0);
	assert_int_equal(sl_submission_dir(sl_lab_find("01"), f->dir, out,
					   sizeof(out), err, sizeof(err)),
			 0);
	snprintf(want, sizeof(want), "%s/01-lookup", f->dir);
	assert_string_equal(out, want);
}

/* --dir pointing at the lab's own folder takes the folder itself. */
static void test_grader_submission_dir_lab_folder(void **state)
{
	struct unit_fixture *f = *state;
	char out[512], err[256] = "";

	assert_int_equal(sl_submission_dir(sl_lab_find("01"), f->dir, out,
					   sizeof(out), err, sizeof(err)),
			 0);
	assert_string_equal(out, f->dir);
}

static void test_grader_submission_dir_missing(void **state)
{
	struct unit_fixture *f = *state;
	char missing[512], out[512], err[256] = "";

	snprintf(missing, sizeof(missing), "%s/not-here", f->dir);
	assert_int_equal(sl_submission_dir(sl_lab_find("01"), missing, out,
					   sizeof(out), err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "not-here"));
	assert_non_null(strstr(err, "does not exist"));
}

/* A file where a folder belongs is not a submission. */
static void test_grader_submission_dir_file_refused(void **state)
{
	struct unit_fixture *f = *state;
	char file[512], out[512], err[256] = "";

	snprintf(file, sizeof(file), "%s/lookup.c", f->dir);
	assert_int_equal(unit_write_file(file, "int main;\n", 0644), 0);
	assert_int_equal(sl_submission_dir(sl_lab_find("01"), file, out,
					   sizeof(out), err, sizeof(err)),
			 -1);
	assert_true(err[0] != '\0');
}

/* The JSON goes to other programs (a gradebook, an autograder): it must
 * parse whatever bytes a student's program printed. */
static void test_grader_json_report_is_valid(void **state)
{
	struct unit_fixture *f = *state;
	struct sl_run *run = hand_made_run();
	char path[512], command[1200];
	char *text = json_report(run, f->dir, path, sizeof(path));

	if (!json_valid(text))
		fail_msg("not valid JSON:\n%s", text);
	if (system("command -v python3 >/dev/null 2>&1") == 0) {
		snprintf(command, sizeof(command),
			 "python3 -c 'import json,sys; "
			 "json.load(open(sys.argv[1]))' '%s'",
			 path);
		assert_int_equal(system(command), 0);
	}
	free(text);
	free_run(run);
}

/* Control bytes as code points; bytes that are not UTF-8 as U+FFFD;
 * valid UTF-8 (gcc's quotes) as it is. */
static void test_grader_json_escapes_control_and_invalid_bytes(void **state)
{
	struct unit_fixture *f = *state;
	struct sl_run *run = hand_made_run();
	char path[512];
	char *text = json_report(run, f->dir, path, sizeof(path));

	assert_non_null(strstr(text, "\"a\\u0001\\u001f\\u000d\\t\\u007f"
				     "\\ufffd\\ufffd\\n\""));
	assert_non_null(strstr(text, "\\\"quoted\\\" back\\\\slash"));
	assert_non_null(strstr(text, "\xe2\x80\x98main\xe2\x80\x99 "
				     "\\u001b[2J"));
	for (const char *p = text; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\n')
			fail_msg("raw byte 0x%02x at %ld", (unsigned char)*p,
				 (long)(p - text));
	free(text);
	free_run(run);
}

/* Checks that did not run are not in the results. */
static void test_grader_json_lists_selected_checks(void **state)
{
	struct unit_fixture *f = *state;
	struct sl_run *run = hand_made_run();
	char path[512], id[128];
	char *text = json_report(run, f->dir, path, sizeof(path));
	int count = 0;

	for (const char *p = text; (p = strstr(p, "{\"id\": ")); p++)
		count++;
	assert_int_equal(count, 3);
	snprintf(id, sizeof(id), "\"id\": \"%s\"", run->lab->checks[1].id);
	assert_null(strstr(text, id));
	assert_non_null(strstr(text, "\"lab\": \"01-lookup\""));
	assert_non_null(strstr(text, "\"status\": \"skipped\""));
	free(text);
	free_run(run);
}

static void test_grader_json_unwritable_path_fails(void **state)
{
	struct unit_fixture *f = *state;
	struct sl_run *run = hand_made_run();
	char path[512], err[256] = "";

	snprintf(path, sizeof(path), "%s/no/such/folder/r.json", f->dir);
	assert_int_equal(sl_report_json(run, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot write"));
	free_run(run);
}

/* Scripts read the tsv: one line per check that ran, in rubric order,
 * five fields, then the total. */
static void test_grader_tsv_one_line_per_selected_check(void **state)
{
	struct sl_run *run = hand_made_run();
	char *text = report(sl_report_tsv, run);
	const int rows[] = {0, 2, 3};
	char want[256], *line = text;

	(void)state;
	for (int i = 0; i < 3; i++) {
		const struct sl_result *r = &run->results[rows[i]];
		char *end = strchr(line, '\n');

		assert_non_null(end);
		snprintf(want, sizeof(want), "%s\t%s\t%d\t%d\t%lld\t%d",
			 r->check->id, hx_status_name(r->verdict.status),
			 r->points, r->check->points,
			 (long long)r->verdict.duration_ms,
			 r->check->timeout_ms);
		assert_memory_equal(line, want, strlen(want));
		assert_int_equal(end - line, (long)strlen(want));
		line = end + 1;
	}
	snprintf(want, sizeof(want), "total\tfail\t%d\t%d\t4321\n", run->score,
		 run->max_score);
	assert_string_equal(line, want);
	free(text);
	free_run(run);
}

static void test_grader_tsv_deadline_is_ten_times_under_valgrind(void **state)
{
	struct sl_run *run = hand_made_run();
	char *text, want[64];

	(void)state;
	run->opt.valgrind = 1;
	text = report(sl_report_tsv, run);
	snprintf(want, sizeof(want), "\t%d\n",
		 10 * run->results[0].check->timeout_ms);
	assert_non_null(strstr(text, want));
	assert_true(strstr(text, want) < strchr(text, '\n'));
	free(text);
	free_run(run);
}

static void test_grader_tsv_total_passes_at_full_score(void **state)
{
	struct sl_run *run = hand_made_run();
	char *text;

	(void)state;
	run->score = run->max_score;
	text = report(sl_report_tsv, run);
	assert_non_null(strstr(text, "\ntotal\tpass\t"));
	free(text);
	free_run(run);
}

/* A failure tells the student what to look at and how to rerun it. */
static void test_grader_text_report_failure_has_hint_and_rerun(void **state)
{
	struct sl_run *run = hand_made_run();
	const struct sl_check *failed = &run->lab->checks[2];
	char *text = report(sl_report_text, run);
	char rerun[128];

	(void)state;
	assert_non_null(strstr(text, "stdout differs"));
	/* values are shown escaped, never raw; so is what a program wrote */
	assert_non_null(strstr(text, "actual:   \"a\\x01\\x1f\\r\\t"));
	assert_non_null(strstr(text, "\xe2\x80\x98main\xe2\x80\x99 \\x1b[2J"));
	assert_null(strchr(text, '\x1b'));
	if (failed->hint)
		assert_non_null(strstr(text, "hint: "));
	snprintf(rerun, sizeof(rerun), "make grade LAB=01 CHECK=%s V=1",
		 failed->id);
	assert_non_null(strstr(text, rerun));
	assert_non_null(strstr(text, "SEED=1234"));
	free(text);
	free_run(run);
}

static void test_grader_text_report_pass_is_one_line(void **state)
{
	struct sl_run *run = hand_made_run();
	char *text = report(sl_report_text, run);
	char rerun[128];

	(void)state;
	snprintf(rerun, sizeof(rerun), "CHECK=%s ", run->lab->checks[0].id);
	assert_null(strstr(text, rerun));
	free(text);
	free_run(run);
}

/* A run without namespaces must say so on its first lines. */
static void test_grader_text_report_marks_degraded(void **state)
{
	struct sl_run *run = hand_made_run();
	char *text;

	(void)state;
	run->isolated = 0;
	snprintf(run->degraded, sizeof(run->degraded),
		 "DEGRADED: no isolation (no user namespaces)");
	text = report(sl_report_text, run);
	assert_non_null(strstr(text, "DEGRADED"));
	assert_non_null(strstr(text, "1 check(s) not run here"));
	free(text);
	free_run(run);
}

/* Shared holders coexist; an exclusive taker waits for them, and while it
 * waits no new shared holder starts; once it has the machine, nobody
 * else does. */
static void
test_grader_machine_lock_exclusive_waits_then_runs_alone(void **state)
{
	int gate = -1, none = -1, a, b, x, c;
	char err[200] = "";

	(void)state;
	a = sl_lock_try(0, &none, err, sizeof(err));
	b = sl_lock_try(0, &none, err, sizeof(err));
	assert_true(a >= 0);
	assert_true(b >= 0);
	/* an exclusive taker waits for both, and holds the turnstile */
	assert_int_equal(sl_lock_try(1, &gate, err, sizeof(err)), -1);
	assert_true(gate >= 0);
	/* so a new shared taker waits too */
	assert_int_equal(sl_lock_try(0, &none, err, sizeof(err)), -1);
	sl_lock_release(a, NULL);
	assert_int_equal(sl_lock_try(1, &gate, err, sizeof(err)), -1);
	sl_lock_release(b, NULL);
	x = sl_lock_try(1, &gate, err, sizeof(err));
	assert_true(x >= 0);
	assert_int_equal(gate, -1);
	/* alone: neither shared nor exclusive takers get in */
	assert_int_equal(sl_lock_try(0, &none, err, sizeof(err)), -1);
	c = -1;
	assert_int_equal(sl_lock_try(1, &c, err, sizeof(err)), -1);
	sl_lock_release(-1, &c);
	sl_lock_release(x, NULL);
	c = sl_lock_try(0, &none, err, sizeof(err));
	assert_true(c >= 0);
	sl_lock_release(c, NULL);
}

/* A lock released in the parent is released for the children that share
 * its descriptor (sandboxes forked while it was held). */
static void test_grader_machine_lock_released_despite_children(void **state)
{
	int none = -1, shared, go[2], x;
	char err[200] = "";
	pid_t child;

	(void)state;
	shared = sl_lock_try(0, &none, err, sizeof(err));
	assert_true(shared >= 0);
	assert_int_equal(pipe(go), 0);
	child = fork();
	if (child == 0) {
		char byte;

		/* holds the inherited descriptor until told */
		close(go[1]);
		if (read(go[0], &byte, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(go[0]);
	sl_lock_release(shared, NULL);
	x = sl_lock_try(1, &none, err, sizeof(err));
	assert_true(x >= 0);
	sl_lock_release(x, &none);
	close(go[1]);
	waitpid(child, NULL, 0);
}

#define GRADER_TEST(name)                                                      \
	cmocka_unit_test_setup_teardown(name, unit_fixture_setup,              \
					unit_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    GRADER_TEST(test_grader_remove_tree_deeper_than_path_max),
	    cmocka_unit_test(test_grader_sha256_known_digests),
	    GRADER_TEST(test_grader_build_cache_round_trip),
	    GRADER_TEST(test_grader_build_cache_key_covers_every_file),
	    GRADER_TEST(test_grader_build_cache_trim_keeps_recent),
	    cmocka_unit_test(test_grader_find_lab_by_number),
	    cmocka_unit_test(test_grader_find_lab_by_name),
	    cmocka_unit_test(test_grader_find_unknown_lab),
	    cmocka_unit_test(test_grader_registry_sorted_by_number),
	    cmocka_unit_test(test_grader_lab_dirname),
	    cmocka_unit_test(test_grader_total_points_leave_out_hidden),
	    cmocka_unit_test(test_grader_waiting_checks_start_first),
	    cmocka_unit_test(test_grader_check_seed_deterministic),
	    cmocka_unit_test(test_grader_check_seed_differs_per_id),
	    cmocka_unit_test(test_grader_check_seed_differs_per_run_seed),
	    GRADER_TEST(test_grader_submission_dir_folder_of_labs),
	    GRADER_TEST(test_grader_submission_dir_lab_folder),
	    GRADER_TEST(test_grader_submission_dir_missing),
	    GRADER_TEST(test_grader_submission_dir_file_refused),
	    GRADER_TEST(test_grader_json_report_is_valid),
	    GRADER_TEST(test_grader_json_escapes_control_and_invalid_bytes),
	    GRADER_TEST(test_grader_json_lists_selected_checks),
	    GRADER_TEST(test_grader_json_unwritable_path_fails),
	    cmocka_unit_test(test_grader_tsv_one_line_per_selected_check),
	    cmocka_unit_test(
		test_grader_tsv_deadline_is_ten_times_under_valgrind),
	    cmocka_unit_test(test_grader_tsv_total_passes_at_full_score),
	    cmocka_unit_test(
		test_grader_text_report_failure_has_hint_and_rerun),
	    cmocka_unit_test(test_grader_text_report_pass_is_one_line),
	    cmocka_unit_test(test_grader_text_report_marks_degraded),
	    cmocka_unit_test(
		test_grader_machine_lock_exclusive_waits_then_runs_alone),
	    cmocka_unit_test(
		test_grader_machine_lock_released_despite_children),
	};

	unit_init();
	return cmocka_run_group_tests_name("grader", tests, NULL, NULL);
}
