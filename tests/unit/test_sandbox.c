/* test_sandbox.c - namespaces per check, verdicts across the pipe.
 *
 * A body runs in a forked copy of this program, so it never calls cmocka:
 * what it finds goes back in its verdict (status, message, notes) and the
 * test asserts on that in the parent.
 */
#include "unit.h"

#include <dirent.h>
#include <net/if.h>
#include <sys/prctl.h>
#include <sys/wait.h>

/* Argument of every body. */
struct body_arg {
	const char *work_dir; /* the check's work folder */
	int isolated;	      /* what the body's context says */
	int up;		      /* body -> test: "the process is running" */
	int down;	      /* test -> body: "you may finish" */
	const char *marker;   /* what the body works on: the unique argument
				 of a process left behind, a host folder,
				 a shell line */
};

/* A context for a body, as the grader makes one. */
static void body_check_init(struct hx_check *c, const struct body_arg *arg)
{
	hx_check_init(c, "sandboxed", UNIT_SEED);
	c->work_dir = arg->work_dir;
	c->bin_dir = arg->work_dir;
	c->isolated = arg->isolated;
}

static void body_send(int fd, struct hx_check *c)
{
	hx_verdict_send(fd, c);
	hx_check_free(c);
}

/* A failed check with every part of a verdict filled in. */
static void body_failing_check(int fd, void *p)
{
	struct hx_check c;

	body_check_init(&c, p);
	hx_recordf(&c, 1, "connected");
	hx_record(&c, 1, '>', "hi\n", 3);
	hx_expect_str(&c, "greeting", "hello\n", "help\n");
	hx_note(&c, "a note");
	body_send(fd, &c);
}

/* Reports its pid and its network interfaces in the notes. */
static void body_identity(int fd, void *p)
{
	struct if_nameindex *names = if_nameindex();
	struct hx_check c;

	body_check_init(&c, p);
	hx_note(&c, "pid %d", (int)getpid());
	if (!names) {
		hx_fail(&c, HX_ERROR, "if_nameindex: %s", strerror(errno));
	} else {
		for (struct if_nameindex *i = names; i->if_name; i++)
			hx_note(&c, "interface %s", i->if_name);
		if_freenameindex(names);
	}
	body_send(fd, &c);
}

/* Talks to itself over TCP on loopback: passes only if lo is up. */
static void body_loopback(int fd, void *p)
{
	struct hx_conn listener, client, server;
	struct hx_check c;

	body_check_init(&c, p);
	if (hx_tcp_listen(&c, &listener, "127.0.0.1", hx_port(&c, 0)) == 0 &&
	    hx_tcp_connect(&c, &client, "127.0.0.1", hx_port(&c, 0), 2000) ==
		0 &&
	    hx_tcp_accept(&c, &listener, &server, 2000) == 0 &&
	    hx_send_str(&c, &client, "over lo\n", NULL) == 0)
		hx_recv_until(&c, &server, "\n", 2000);
	body_send(fd, &c);
}

static void body_forever(int fd, void *p)
{
	(void)fd;
	(void)p;
	for (;;)
		pause();
}

static void body_without_verdict(int fd, void *p)
{
	(void)fd;
	(void)p;
}

/* Looks at the sealed root from inside: what exists, what is writable.
 * Each finding is a note; a wrong one fails the check. */
static void body_sealed_root(int fd, void *p)
{
	const struct body_arg *arg = p;
	struct hx_check c;
	char path[600];
	int out;

	body_check_init(&c, p);
	/* the folder the test made on the host is not there */
	if (access(arg->marker, F_OK) == 0)
		hx_fail(&c, HX_FAIL, "the host folder %s is visible",
			arg->marker);
	/* the root is read-only, /work is not */
	if (mkdir("/planted", 0755) == 0 || errno != EROFS)
		hx_fail(&c, HX_FAIL, "mkdir /planted: %s", strerror(errno));
	snprintf(path, sizeof(path), "%s/file", HX_WORK_DIR);
	out = open(path, O_WRONLY | O_CREAT, 0644);
	if (out < 0)
		hx_fail(&c, HX_FAIL, "open %s: %s", path, strerror(errno));
	else
		close(out);
	/* a mounted folder is there, read-only */
	if (access("/lab/seen", F_OK) < 0)
		hx_fail(&c, HX_FAIL, "/lab/seen: %s", strerror(errno));
	out = open("/lab/written", O_WRONLY | O_CREAT, 0644);
	if (out >= 0 || errno != EROFS)
		hx_fail(&c, HX_FAIL, "/lab is writable");
	body_send(fd, &c);
}

/* Runs a shell line as a program of the check would run; its stdout
 * becomes the notes. */
static void body_shell(int fd, void *p)
{
	const struct body_arg *arg = p;
	const char *args[] = {"-c", arg->marker, NULL};
	struct hx_check c;
	struct hx_proc *sh;

	body_check_init(&c, p);
	sh = hx_start(&c, "/bin/sh", args);
	if (sh && hx_proc_expect_exit(&c, sh, 0, 5000) == 0)
		hx_note(&c, "%s", sh->out.data ? sh->out.data : "");
	body_send(fd, &c);
}

/* Leaves a sleep running, orphaned (its shell exits), then waits for the
 * test to have seen it before it finishes. */
static void body_leave_process(int fd, void *p)
{
	const struct body_arg *arg = p;
	const char *args[] = {"-c", "/bin/sleep \"$0\" & echo started",
			      arg->marker, NULL};
	struct pollfd go = {.fd = arg->down, .events = POLLIN};
	struct hx_check c;
	struct hx_proc *shell;
	char byte;

	body_check_init(&c, p);
	/* deadlines only stop a hang: a loaded machine may be slow */
	shell = hx_start(&c, "/bin/sh", args);
	if (shell && hx_proc_read_until(&c, shell, "started", 15000) == 0 &&
	    hx_proc_wait(&c, shell, 15000) == 0) {
		if (write(arg->up, "u", 1) != 1 ||
		    poll(&go, 1, (int)unit_scaled(15000)) != 1 ||
		    read(arg->down, &byte, 1) != 1)
			hx_fail(&c, HX_ERROR, "no word from the test");
	}
	body_send(fd, &c);
}

/* Collects the verdict, waiting at most limit_ms (the sandbox's own
 * deadline comes first in every test). 0, or -1 after killing it. */
static int collect_within(struct hx_sandbox *sb, struct hx_verdict *v,
			  int limit_ms)
{
	int64_t give_up = hx_now_ms() + limit_ms;

	while (!hx_sandbox_collect(sb, v)) {
		struct pollfd pfd = {.fd = sb->verdict_fd, .events = POLLIN};
		int64_t until = sb->deadline < give_up ? sb->deadline : give_up;

		if (hx_now_ms() >= give_up) {
			hx_sandbox_kill(sb);
			return -1;
		}
		poll(&pfd, 1, hx_remaining_ms(until) + 1);
	}
	return 0;
}

/* Runs body in a sandbox and collects its verdict into v. */
static void run_body(struct unit_fixture *f, int isolate, int timeout_ms,
		     void (*body)(int, void *), struct body_arg *arg,
		     struct hx_verdict *v)
{
	struct hx_sandbox_spec spec;
	struct hx_sandbox sb;
	char err[256] = "";

	arg->work_dir = isolate ? HX_WORK_DIR : f->dir;
	arg->isolated = isolate;
	hx_sandbox_spec_init(&spec, isolate, timeout_ms, body, arg);
	if (hx_sandbox_start(&sb, &spec, err, sizeof(err)) < 0)
		fail_msg("hx_sandbox_start: %s", err);
	assert_int_equal(sb.isolated, isolate);
	assert_int_equal(
	    collect_within(&sb, v, (int)unit_scaled(timeout_ms + 5000)), 0);
	assert_int_equal(sb.pid, 0);
}

/* Namespaces are there (else the whole file's isolated tests skip). */
static void require_namespaces(void)
{
	if (!hx_sandbox_probe())
		skip();
}

/* 1 if a process has marker as one of its arguments. */
static int process_with_argument(const char *marker)
{
	DIR *proc = opendir("/proc");
	struct dirent *e;
	int found = 0;

	if (!proc)
		return -1;
	while (!found && (e = readdir(proc))) {
		char path[300];
		struct hx_buf cmdline;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", e->d_name);
		hx_buf_init(&cmdline);
		if (unit_read_file(path, &cmdline) == 0)
			for (size_t at = 0; at < cmdline.len;
			     at += strlen(cmdline.data + at) + 1)
				found |= strcmp(cmdline.data + at, marker) == 0;
		hx_buf_free(&cmdline);
	}
	closedir(proc);
	return found;
}

/* 1 once no process has marker as an argument, 0 if one still does at
 * the deadline. */
static int gone_within(const char *marker, int timeout_ms)
{
	int64_t deadline = hx_deadline(timeout_ms);
	int attempt = 0;

	while (process_with_argument(marker) != 0) {
		if (hx_remaining_ms(deadline) == 0)
			return 0;
		hx_backoff(&attempt, deadline);
	}
	return 1;
}

static void test_sandbox_probe_finds_namespaces(void **state)
{
	(void)state;
	require_namespaces();
	assert_int_equal(hx_sandbox_probe(), 1);
	/* the answer is remembered */
	assert_int_equal(hx_sandbox_probe(), 1);
}

/* Everything the grader reports crosses the pipe intact. */
static void test_sandbox_verdict_comes_back_parsed(void **state)
{
	struct unit_fixture *f = *state;
	struct body_arg arg = {0};
	struct hx_verdict v;

	require_namespaces();
	run_body(f, 1, 5000, body_failing_check, &arg, &v);
	assert_int_equal(v.status, HX_FAIL);
	assert_string_equal(v.message.data, "greeting: differs from byte 3 on");
	assert_string_equal(v.expected.data, "hello\n");
	assert_string_equal(v.actual.data, "help\n");
	assert_int_equal(v.diff_at, 3);
	assert_string_equal(v.notes.data, "a note\n");
	assert_non_null(
	    strstr(v.transcript.data, "conn 1 sent 3 bytes \"hi\\n\""));
	assert_non_null(strstr(v.transcript.data, "note connected"));
	assert_true(v.duration_ms >= 0);
	hx_verdict_free(&v);
}

/* PID 1 of its own namespace: when it ends, the kernel ends the rest. */
static void test_sandbox_body_is_pid_one(void **state)
{
	struct unit_fixture *f = *state;
	struct body_arg arg = {0};
	struct hx_verdict v;

	require_namespaces();
	run_body(f, 1, 5000, body_identity, &arg, &v);
	assert_int_equal(v.status, HX_PASS);
	assert_non_null(strstr(v.notes.data, "pid 1\n"));
	hx_verdict_free(&v);
}

/* No way out: a student's program can reach nothing but loopback. */
static void test_sandbox_network_has_only_loopback(void **state)
{
	struct unit_fixture *f = *state;
	struct body_arg arg = {0};
	struct hx_verdict v;

	require_namespaces();
	run_body(f, 1, 5000, body_identity, &arg, &v);
	assert_int_equal(v.status, HX_PASS);
	assert_non_null(strstr(v.notes.data, "interface "));
	/* the interface lines are the end of the notes: lo, nothing else */
	assert_string_equal(strstr(v.notes.data, "interface "),
			    "interface lo\n");
	hx_verdict_free(&v);
}

/* A fresh network namespace has lo down; the sandbox brings it up. */
static void test_sandbox_loopback_is_up(void **state)
{
	struct unit_fixture *f = *state;
	struct body_arg arg = {0};
	struct hx_verdict v;

	require_namespaces();
	run_body(f, 1, 5000, body_loopback, &arg, &v);
	if (v.status != HX_PASS)
		fail_msg("loopback in the sandbox: %s", v.message.data);
	assert_non_null(strstr(v.transcript.data, "recv 8 bytes"));
	hx_verdict_free(&v);
}

/* Reports the size of the sandbox's TCP connection table: negative when
 * it is the machine's, shared (tcp_ehash_entries in the kernel's
 * ip-sysctl documentation). */
static void body_tcp_table(int fd, void *p)
{
	char text[32] = "";
	struct hx_check c;
	FILE *f = fopen("/proc/sys/net/ipv4/tcp_ehash_entries", "re");

	body_check_init(&c, p);
	if (f && fgets(text, sizeof(text), f))
		hx_note(&c, "tcp_ehash_entries %ld", strtol(text, NULL, 10));
	if (f)
		fclose(f);
	body_send(fd, &c);
}

/* A sandbox's network has a TCP table of its own, not the machine's: a
 * shared one makes /proc/net/tcp walk every bucket of the machine. */
static void test_sandbox_tcp_table_is_its_own(void **state)
{
	struct unit_fixture *f = *state;
	struct body_arg arg = {0};
	struct hx_verdict v;

	require_namespaces();
	if (access("/proc/sys/net/ipv4/tcp_child_ehash_entries", F_OK) < 0)
		skip(); /* a kernel before 6.1: one table for all */
	run_body(f, 1, 5000, body_tcp_table, &arg, &v);
	assert_int_equal(v.status, HX_PASS);
	if (!strstr(v.notes.data, "tcp_ehash_entries 4096"))
		fail_msg("the sandbox's TCP table: %s", v.notes.data);
	hx_verdict_free(&v);
}

/* A check that hangs costs its deadline; its sandbox is killed and the
 * verdict says why. */
static void test_sandbox_body_killed_at_deadline(void **state)
{
	struct unit_fixture *f = *state;
	struct body_arg arg = {.work_dir = HX_WORK_DIR, .isolated = 1};
	struct hx_sandbox_spec spec;
	struct hx_sandbox sb;
	struct hx_verdict v;
	char err[256] = "";
	pid_t outer;

	(void)f;
	require_namespaces();
	hx_sandbox_spec_init(&spec, 1, 300, body_forever, &arg);
	assert_int_equal(hx_sandbox_start(&sb, &spec, err, sizeof(err)), 0);
	outer = sb.pid;
	assert_int_equal(collect_within(&sb, &v, (int)unit_scaled(5000)), 0);
	assert_int_equal(v.status, HX_TIMEOUT);
	assert_non_null(
	    strstr(v.message.data, "did not finish within its deadline"));
	assert_true(v.duration_ms >= 300);
	assert_true(kill(outer, 0) < 0 && errno == ESRCH);
	hx_verdict_free(&v);
}

/* A process a check started and forgot (here an orphan, outside every
 * process group the harness knows) must not outlive the check. */
static void test_sandbox_leftover_process_is_gone(void **state)
{
	struct unit_fixture *f = *state;
	struct body_arg arg = {.work_dir = HX_WORK_DIR, .isolated = 1};
	int up[2], down[2];
	struct pollfd ready;
	struct hx_sandbox_spec spec;
	struct hx_sandbox sb;
	struct hx_verdict v;
	char marker[64], err[256] = "", byte;

	require_namespaces();
	/* a sleep of a few microseconds over 1000 s: unique to this run */
	snprintf(marker, sizeof(marker), "1000.%06d", (int)getpid() % 1000000);
	arg.marker = marker;
	assert_int_equal(pipe2(up, O_CLOEXEC), 0);
	assert_int_equal(pipe2(down, O_CLOEXEC), 0);
	arg.up = up[1];
	arg.down = down[0];
	(void)f;
	hx_sandbox_spec_init(&spec, 1, 60000, body_leave_process, &arg);
	assert_int_equal(hx_sandbox_start(&sb, &spec, err, sizeof(err)), 0);
	ready.fd = up[0];
	ready.events = POLLIN;
	assert_int_equal(poll(&ready, 1, (int)unit_scaled(30000)), 1);
	assert_int_equal(read(up[0], &byte, 1), 1);
	/* the scan does find it while the sandbox runs */
	assert_int_equal(process_with_argument(marker), 1);
	assert_int_equal(write(down[1], "g", 1), 1);
	assert_int_equal(collect_within(&sb, &v, (int)unit_scaled(30000)), 0);
	if (v.status != HX_PASS)
		fail_msg("body: %s", v.message.data);
	/* killed with its namespace, it may take a moment to go: a
	 * deadline, not a guess at how long */
	assert_int_equal(gone_within(marker, (int)unit_scaled(15000)), 1);
	hx_verdict_free(&v);
	close(up[0]);
	close(up[1]);
	close(down[0]);
	close(down[1]);
}

/* A body that ends without a verdict is the harness's error, never a
 * pass. */
static void test_sandbox_no_verdict_is_error(void **state)
{
	struct unit_fixture *f = *state;
	struct body_arg arg = {0};
	struct hx_verdict v;

	require_namespaces();
	run_body(f, 1, 5000, body_without_verdict, &arg, &v);
	assert_int_equal(v.status, HX_ERROR);
	assert_non_null(strstr(v.message.data, "without a verdict"));
	hx_verdict_free(&v);
}

/* Without namespaces the body still runs and reports, in a plain child
 * process. */
static void test_sandbox_degraded_runs_body_in_child(void **state)
{
	struct unit_fixture *f = *state;
	struct body_arg arg = {0};
	struct hx_verdict v;
	char own[32];

	run_body(f, 0, 5000, body_identity, &arg, &v);
	assert_int_equal(v.status, HX_PASS);
	assert_null(strstr(v.notes.data, "pid 1\n"));
	snprintf(own, sizeof(own), "pid %d\n", (int)getpid());
	assert_null(strstr(v.notes.data, own));
	hx_verdict_free(&v);
}

/* The bytes hx_verdict_send writes for a failed check. */
static void verdict_bytes(struct hx_buf *out)
{
	struct body_arg arg = {.work_dir = "."};
	struct hx_check c;
	int fds[2];
	char chunk[4096];
	ssize_t n;

	body_check_init(&c, &arg);
	hx_record(&c, 1, '<', "x", 1);
	hx_expect_str(&c, "line", "abc", "abd");
	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	assert_int_equal(hx_verdict_send(fds[1], &c), 0);
	close(fds[1]);
	while ((n = read(fds[0], chunk, sizeof(chunk))) > 0)
		hx_buf_add(out, chunk, (size_t)n);
	close(fds[0]);
	hx_check_free(&c);
}

static void test_sandbox_verdict_parse_round_trip(void **state)
{
	struct hx_buf data;
	struct hx_verdict v;

	(void)state;
	hx_buf_init(&data);
	verdict_bytes(&data);
	hx_verdict_init(&v);
	assert_int_equal(hx_verdict_parse(&data, &v), 0);
	assert_int_equal(v.status, HX_FAIL);
	assert_int_equal(v.diff_at, 2);
	assert_string_equal(v.expected.data, "abc");
	assert_string_equal(v.actual.data, "abd");
	hx_verdict_free(&v);
	hx_buf_free(&data);
}

/* A sandbox killed halfway through writing must not pass for a verdict:
 * every cut of the bytes is rejected. */
static void test_sandbox_verdict_parse_rejects_truncated(void **state)
{
	struct hx_buf data, part;

	(void)state;
	hx_buf_init(&data);
	verdict_bytes(&data);
	assert_true(data.len > 5);
	for (size_t len = 0; len < data.len; len++) {
		struct hx_verdict v;

		hx_buf_init(&part);
		hx_buf_add(&part, data.data, len);
		hx_verdict_init(&v);
		if (hx_verdict_parse(&part, &v) != -1)
			fail_msg("a verdict cut to %zu of %zu bytes was "
				 "accepted",
				 len, data.len);
		hx_verdict_free(&v);
		hx_buf_free(&part);
	}
	hx_buf_free(&data);
}

static void test_sandbox_verdict_parse_rejects_unknown_record(void **state)
{
	struct hx_buf data;
	struct hx_verdict v;

	(void)state;
	hx_buf_init(&data);
	verdict_bytes(&data);
	data.data[0] = '?';
	hx_verdict_init(&v);
	assert_int_equal(hx_verdict_parse(&data, &v), -1);
	hx_verdict_free(&v);
	hx_buf_free(&data);
}

/* 1 if field is cut as the verdict cuts one: at most max bytes, its
 * start kept, a marker at its end. */
static int cut_like_a_field(const struct hx_buf *field, char first, size_t max)
{
	static const char marker[] = " bytes cut]";
	size_t tail = sizeof(marker) - 1;

	if (field->len > max || field->len < tail || field->data[0] != first ||
	    memcmp(field->data + field->len - tail, marker, tail) != 0) {
		print_message("a field of %zu bytes, limit %zu\n", field->len,
			      max);
		return 0;
	}
	return 1;
}

/* A program makes the check's actual value and notes a megabyte each
 * (its output, a file it wrote): the sandbox sends a part of each, and
 * the notes say what was cut. Sent through a file: a pipe would hold
 * only 64 KiB until read. */
static void test_sandbox_verdict_fields_cut_when_sent(void **state)
{
	struct unit_fixture *f = *state;
	size_t big = 1 << 20;
	char *bytes = malloc(big), path[300];
	struct hx_buf data;
	struct hx_verdict v;
	int fd;

	assert_non_null(bytes);
	memset(bytes, 'x', big);
	hx_fail_values(&f->c, HX_FAIL, "hello\n", 6, bytes, big,
		       "differs from byte 0 on");
	hx_buf_add(&f->c.notes, bytes, big);
	snprintf(path, sizeof(path), "%s/verdict", f->dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(hx_verdict_send(fd, &f->c), 0);
	close(fd);
	hx_buf_init(&data);
	assert_int_equal(unit_read_file(path, &data), 0);
	assert_true(data.len < 4 * HX_FIELD_MAX);
	hx_verdict_init(&v);
	assert_int_equal(hx_verdict_parse(&data, &v), 0);
	assert_true(cut_like_a_field(&v.actual, 'x', HX_FIELD_MAX));
	assert_true(v.notes.len <= HX_FIELD_MAX);
	assert_non_null(strstr(v.notes.data, "the actual value was 1048576 "
					     "bytes"));
	/* what was small is whole */
	assert_int_equal(v.expected.len, 6);
	hx_verdict_free(&v);
	hx_buf_free(&data);
	free(bytes);
}

/* The grader trusts no sandbox with its memory: frames longer than a
 * field's limit are cut again where they are read. */
static void test_sandbox_verdict_fields_cut_when_parsed(void **state)
{
	static const char tags[] = "MEANVWT";
	size_t big = 2 << 20;
	char *bytes = malloc(big);
	struct hx_buf data;
	struct hx_verdict v;

	(void)state;
	assert_non_null(bytes);
	memset(bytes, 'y', big);
	hx_buf_init(&data);
	hx_frame_put(&data, 'S', "\1", 1);
	for (const char *tag = tags; *tag; tag++)
		hx_frame_put(&data, *tag, bytes, big);
	hx_frame_put(&data, '.', "", 0);
	hx_verdict_init(&v);
	assert_int_equal(hx_verdict_parse(&data, &v), 0);
	assert_true(cut_like_a_field(&v.message, 'y', HX_FIELD_MAX));
	assert_true(cut_like_a_field(&v.expected, 'y', HX_FIELD_MAX));
	assert_true(cut_like_a_field(&v.actual, 'y', HX_FIELD_MAX));
	assert_true(cut_like_a_field(&v.notes, 'y', HX_FIELD_MAX));
	assert_true(cut_like_a_field(&v.memcheck, 'y', HX_FIELD_MAX));
	assert_true(cut_like_a_field(&v.cause_text, 'y', HX_FIELD_MAX));
	assert_true(cut_like_a_field(&v.transcript, 'y', HX_TRANSCRIPT_MAX));
	hx_verdict_free(&v);
	hx_buf_free(&data);
	free(bytes);
}

/* prctl, wrapped (-Wl,--wrap=prctl): refuses the option refused_prctl
 * with EPERM, and passes every other call on. */
int __real_prctl(int option, unsigned long a2, unsigned long a3,
		 unsigned long a4, unsigned long a5);
int __wrap_prctl(int option, ...);
static int refused_prctl = -1;

int __wrap_prctl(int option, ...)
{
	unsigned long a[4];
	va_list ap;

	if (option == refused_prctl) {
		errno = EPERM;
		return -1;
	}
	va_start(ap, option);
	for (int i = 0; i < 4; i++)
		a[i] = va_arg(ap, unsigned long);
	va_end(ap);
	return __real_prctl(option, a[0], a[1], a[2], a[3]);
}

/* A prctl the sandbox needs, refused: the setup names it. */
static void test_sandbox_refused_prctl_is_named(void **state)
{
	static const struct {
		int option;
		const char *message;
	} cases[] = {
	    {PR_SET_PDEATHSIG, "sandbox setup: prctl PR_SET_PDEATHSIG: "
			       "Operation not permitted"},
	    {PR_SET_DUMPABLE, "sandbox setup: prctl PR_SET_DUMPABLE: "
			      "Operation not permitted"},
	};
	struct unit_fixture *f = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct body_arg arg = {.work_dir = f->dir};
		struct hx_sandbox_spec spec;
		struct hx_sandbox sb;
		struct hx_verdict v;
		char err[256] = "";

		hx_sandbox_spec_init(&spec, 0, 5000, body_identity, &arg);
		refused_prctl = cases[i].option;
		assert_int_equal(hx_sandbox_start(&sb, &spec, err, sizeof(err)),
				 0);
		refused_prctl = -1;
		assert_int_equal(
		    collect_within(&sb, &v, (int)unit_scaled(10000)), 0);
		assert_int_equal(v.status, HX_ERROR);
		assert_string_equal(v.message.data, cases[i].message);
		hx_verdict_free(&v);
	}
}

/* A setup step that fails is named, not "ended without a verdict". */
static void test_sandbox_setup_failure_is_named(void **state)
{
	struct body_arg arg = {.work_dir = HX_WORK_DIR, .isolated = 1};
	struct hx_sandbox_spec spec;
	struct hx_sandbox sb;
	struct hx_verdict v;
	char err[256] = "";

	(void)state;
	require_namespaces();
	hx_sandbox_spec_init(&spec, 1, 5000, body_identity, &arg);
	spec.root.mounts[0] =
	    (struct hx_mount){.host = "/no/such/folder", .inside = "/lab"};
	spec.root.nmounts = 1;
	assert_int_equal(hx_sandbox_start(&sb, &spec, err, sizeof(err)), 0);
	assert_int_equal(collect_within(&sb, &v, (int)unit_scaled(10000)), 0);
	assert_int_equal(v.status, HX_ERROR);
	assert_string_equal(v.message.data,
			    "sandbox setup: open /no/such/folder: "
			    "No such file or directory");
	hx_verdict_free(&v);
}

/* Inside: nothing of the host but what was asked for; the root is
 * read-only, /work writable, a mounted folder read-only. */
static void test_sandbox_root_is_sealed(void **state)
{
	struct unit_fixture *f = *state;
	struct body_arg arg = {
	    .work_dir = HX_WORK_DIR, .isolated = 1, .marker = f->dir};
	struct hx_sandbox_spec spec;
	struct hx_sandbox sb;
	struct hx_verdict v;
	char err[256] = "", seen[600];

	require_namespaces();
	/* readable by the sandbox's users, as the grader's programs are */
	assert_int_equal(chmod(f->dir, 0755), 0);
	snprintf(seen, sizeof(seen), "%s/seen", f->dir);
	assert_int_equal(close(open(seen, O_WRONLY | O_CREAT, 0644)), 0);
	hx_sandbox_spec_init(&spec, 1, 5000, body_sealed_root, &arg);
	spec.root.mounts[0] =
	    (struct hx_mount){.host = f->dir, .inside = "/lab"};
	spec.root.nmounts = 1;
	assert_int_equal(hx_sandbox_start(&sb, &spec, err, sizeof(err)), 0);
	assert_int_equal(collect_within(&sb, &v, (int)unit_scaled(10000)), 0);
	if (v.status != HX_PASS)
		fail_msg("inside the sandbox: %s", v.message.data);
	hx_verdict_free(&v);
}

/* Runs line in a program of a sandbox and returns its stdout in v.notes. */
static void run_shell(struct unit_fixture *f, const char *line,
		      struct hx_verdict *v)
{
	struct body_arg arg = {.marker = line};

	run_body(f, 1, 5000, body_shell, &arg, v);
	if (v->status != HX_PASS)
		fail_msg("%s: %s", line, v->message.data);
}

/* As root, the student's programs have a user of their own: they cannot
 * see, signal or trace the harness (PID 1), nor write its files. */
static void test_sandbox_programs_run_as_student(void **state)
{
	struct hx_verdict v;

	require_namespaces();
	if (getuid() != 0)
		skip();
	run_shell(*state,
		  "id -u; test -e /proc/1 && echo seen || echo hidden; "
		  "kill -0 1 2>/dev/null && echo signalled || echo alone",
		  &v);
	assert_string_equal(v.notes.data, "1000\nhidden\nalone\n\n");
	hx_verdict_free(&v);
}

/* /etc is the sandbox's own, not the machine's: its users, its name. */
static void test_sandbox_etc_is_generated(void **state)
{
	struct hx_verdict v;

	require_namespaces();
	run_shell(*state, "grep -c '^student:x:1000:' /etc/passwd; hostname",
		  &v);
	assert_string_equal(v.notes.data, "1\nsandbox\n\n");
	hx_verdict_free(&v);
}

/* Runs this program again with mode as its argument, SOCKLAB_NO_NAMESPACES
 * set or not, and returns the first byte it printed (or 0). */
static char run_self(const char *mode, int no_namespaces)
{
	char self[PATH_MAX], answer = 0;
	struct pollfd pfd;
	int out[2], status;
	ssize_t len;
	pid_t pid;

	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	assert_true(len > 0);
	self[len] = '\0';
	assert_int_equal(pipe2(out, O_CLOEXEC), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char *argv[] = {self, (char *)mode, NULL};

		if (no_namespaces)
			setenv("SOCKLAB_NO_NAMESPACES", "1", 1);
		else
			unsetenv("SOCKLAB_NO_NAMESPACES");
		dup2(out[1], 1);
		execv(self, argv);
		_exit(127);
	}
	close(out[1]);
	pfd.fd = out[0];
	pfd.events = POLLIN;
	if (poll(&pfd, 1, (int)unit_scaled(15000)) == 1 &&
	    read(out[0], &answer, 1) != 1)
		answer = 0;
	close(out[0]);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return answer;
}

/* The probe remembers its answer, so the variable is tried in a fresh
 * copy of this program: with it set, no namespaces are used even though
 * the same copy without it finds them. */
static void test_sandbox_no_namespaces_forces_degraded(void **state)
{
	(void)state;
	require_namespaces();
	assert_int_equal(run_self("--probe", 0), '1');
	assert_int_equal(run_self("--probe", 1), '0');
}

/* Run as "--barrier-chain" in a fresh copy, root and SOCKLAB_NO_NAMESPACES
 * set, so a uid barrier: a program of the check leaves a chain of
 * processes in a session of its own (a shell, its child, that one's
 * child), then the check ends. Prints 1 when none of them is left, 0 when
 * one is (and kills them), s when there is no barrier here, n when the
 * chain did not start. */
static int barrier_chain(void)
{
	struct body_arg arg = {0};
	struct hx_sandbox_spec spec;
	struct hx_sandbox sb;
	struct hx_verdict v;
	char line[600], dir[256], marker[64], err[256] = "", answer = 'n';

	if (hx_sandbox_mode() != HX_MODE_BARRIER ||
	    unit_temp_dir(dir, sizeof(dir)) < 0) {
		printf("s\n");
		return 0;
	}
	/* a sleep of a few microseconds over 1000 s: unique to this run,
	 * and not among this program's own arguments */
	snprintf(marker, sizeof(marker), "1000.%06d", (int)getpid() % 1000000);
	snprintf(line, sizeof(line),
		 "setsid sh -c 'sh -c \"sleep \\$0 & touch \\$0.up; wait\" "
		 "\"$0\" & wait' %s </dev/null >/dev/null 2>&1 & "
		 "until [ -e %s.up ]; do sleep 0.05; done; echo started",
		 marker, marker);
	arg.work_dir = dir;
	arg.marker = line;
	hx_sandbox_spec_init(&spec, 0, 10000, body_shell, &arg);
	spec.work_host = dir;
	if (hx_sandbox_start(&sb, &spec, err, sizeof(err)) == 0 &&
	    collect_within(&sb, &v, (int)unit_scaled(10000)) == 0) {
		if (v.notes.data && strstr(v.notes.data, "started"))
			answer = gone_within(marker, 2000) ? '1' : '0';
		hx_verdict_free(&v);
	}
	if (answer == '0') {
		char kill_line[300];

		snprintf(kill_line, sizeof(kill_line), "pkill -KILL -f -- %s",
			 marker);
		if (system(kill_line) < 0) {
			/* what is left ends with its sleep */
		}
	}
	unit_remove_tree(dir);
	printf("%c\n", answer);
	return 0;
}

/* Under a uid barrier there is no PID namespace to end with the check:
 * a process that left its session, and the children it started, must
 * still die with it. Each sandbox there has a uid of its own, whose
 * processes are all the check's. */
static void test_sandbox_barrier_chain_dies_with_check(void **state)
{
	char answer;

	(void)state;
	if (getuid() != 0)
		skip();
	answer = run_self("--barrier-chain", 1);
	if (answer == 's')
		skip();
	assert_int_equal(answer, '1');
}

/* In a child: its arguments wiped, /proc/self/cmdline holds nothing but
 * zeros (its length is the kernel's to keep). Exit 0 when so, 1 when a
 * byte of them is still there, 2 when it could not be read. */
static int wiped_child(void)
{
	struct hx_buf cmdline;
	int rc = 0;

	hx_wipe_command_line();
	hx_buf_init(&cmdline);
	if (unit_read_file("/proc/self/cmdline", &cmdline) < 0)
		return 2;
	for (size_t i = 0; i < cmdline.len; i++)
		if (cmdline.data[i] != '\0')
			rc = 1;
	hx_buf_free(&cmdline);
	return rc;
}

/* PID 1 of a sandbox inherits the grader's command line (a class folder,
 * an output folder): after the wipe, none of it shows in /proc. */
static void test_sandbox_command_line_wiped(void **state)
{
	struct hx_buf own;
	int status;
	pid_t pid;

	(void)state;
	/* this program's own shows, to start with */
	hx_buf_init(&own);
	assert_int_equal(unit_read_file("/proc/self/cmdline", &own), 0);
	assert_non_null(strstr(own.data, "test_sandbox"));
	hx_buf_free(&own);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(wiped_child());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

#define SANDBOX_TEST(name)                                                     \
	cmocka_unit_test_setup_teardown(name, unit_fixture_setup,              \
					unit_fixture_teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    SANDBOX_TEST(test_sandbox_probe_finds_namespaces),
	    SANDBOX_TEST(test_sandbox_verdict_comes_back_parsed),
	    SANDBOX_TEST(test_sandbox_body_is_pid_one),
	    SANDBOX_TEST(test_sandbox_network_has_only_loopback),
	    SANDBOX_TEST(test_sandbox_loopback_is_up),
	    SANDBOX_TEST(test_sandbox_tcp_table_is_its_own),
	    SANDBOX_TEST(test_sandbox_body_killed_at_deadline),
	    SANDBOX_TEST(test_sandbox_leftover_process_is_gone),
	    SANDBOX_TEST(test_sandbox_no_verdict_is_error),
	    SANDBOX_TEST(test_sandbox_degraded_runs_body_in_child),
	    SANDBOX_TEST(test_sandbox_verdict_parse_round_trip),
	    SANDBOX_TEST(test_sandbox_verdict_parse_rejects_truncated),
	    SANDBOX_TEST(test_sandbox_verdict_parse_rejects_unknown_record),
	    SANDBOX_TEST(test_sandbox_verdict_fields_cut_when_sent),
	    SANDBOX_TEST(test_sandbox_verdict_fields_cut_when_parsed),
	    SANDBOX_TEST(test_sandbox_no_namespaces_forces_degraded),
	    SANDBOX_TEST(test_sandbox_barrier_chain_dies_with_check),
	    SANDBOX_TEST(test_sandbox_command_line_wiped),
	    SANDBOX_TEST(test_sandbox_setup_failure_is_named),
	    SANDBOX_TEST(test_sandbox_refused_prctl_is_named),
	    SANDBOX_TEST(test_sandbox_root_is_sealed),
	    SANDBOX_TEST(test_sandbox_programs_run_as_student),
	    SANDBOX_TEST(test_sandbox_etc_is_generated),
	};

	/* run by test_sandbox_no_namespaces_forces_degraded */
	if (argc == 2 && strcmp(argv[1], "--probe") == 0) {
		printf("%d\n", hx_sandbox_probe());
		return 0;
	}
	/* run by test_sandbox_barrier_chain_dies_with_check */
	if (argc == 2 && strcmp(argv[1], "--barrier-chain") == 0)
		return barrier_chain();
	unit_init();
	return cmocka_run_group_tests_name("hx_sandbox", tests, NULL, NULL);
}
