/* test_proc.c - starting real programs, feeding, reading, waiting, stopping. */
#include "unit.h"

#include <pthread.h>
#include <sys/wait.h>
#include <time.h>

/* Runs a shell script as the process under test, labelled "prog". */
static struct hx_proc *start_script(struct hx_check *c, const char *script)
{
	const char *args[] = {"-c", script, NULL};

	return hx_start_labelled(c, "prog", "/bin/sh", args);
}

/* 1 if no process with pid exists any more (not even as a zombie). */
static int process_gone(pid_t pid)
{
	return kill(pid, 0) < 0 && errno == ESRCH;
}

static void test_proc_captures_stdout(void **state)
{
	struct unit_fixture *f = *state;
	const char *args[] = {"hello", "world", NULL};
	struct hx_proc *p = hx_start(&f->c, "/bin/echo", args);

	assert_non_null(p);
	assert_int_equal(hx_proc_expect_exit(&f->c, p, 0, 5000), 0);
	assert_string_equal(p->out.data, "hello world\n");
	assert_int_equal(p->err.len, 0);
	assert_true(hx_ok(&f->c));
}

static void test_proc_captures_stderr_apart(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p = start_script(&f->c, "echo out; echo oops >&2");

	assert_non_null(p);
	assert_int_equal(hx_proc_wait(&f->c, p, 5000), 0);
	assert_string_equal(p->out.data, "out\n");
	assert_string_equal(p->err.data, "oops\n");
}

/* Programs write their files in the check's folder, never in the
 * grader's. */
static void test_proc_runs_in_work_dir(void **state)
{
	struct unit_fixture *f = *state;
	char want[PATH_MAX + 1];
	struct hx_proc *p = start_script(&f->c, "pwd -P");

	assert_non_null(p);
	assert_int_equal(hx_proc_expect_exit(&f->c, p, 0, 5000), 0);
	assert_non_null(realpath(f->dir, want));
	strcat(want, "\n");
	assert_string_equal(p->out.data, want);
}

/* The grader's environment must not leak into a student's program: the
 * same program sees the same environment on every machine. */
static void test_proc_environment_is_fixed(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p;
	char want[600];

	setenv("SOCKLAB_UNIT_MARK", "leaked", 1);
	p = start_script(&f->c,
			 "echo \"$HOME\" \"${SOCKLAB_UNIT_MARK-unset}\"");
	unsetenv("SOCKLAB_UNIT_MARK");
	assert_non_null(p);
	assert_int_equal(hx_proc_expect_exit(&f->c, p, 0, 5000), 0);
	snprintf(want, sizeof(want), "%s unset\n", f->dir);
	assert_string_equal(p->out.data, want);
}

/* A name without a slash is one of the lab's programs, in bin_dir. */
static void test_proc_program_found_in_bin_dir(void **state)
{
	struct unit_fixture *f = *state;
	char path[512];
	struct hx_proc *p;

	snprintf(path, sizeof(path), "%s/greeter", f->dir);
	assert_int_equal(
	    unit_write_file(path, "#!/bin/sh\necho hi \"$1\"\n", 0755), 0);
	p = hx_start(&f->c, "greeter", (const char *[]){"there", NULL});
	assert_non_null(p);
	assert_int_equal(hx_proc_expect_exit(&f->c, p, 0, 5000), 0);
	assert_string_equal(p->out.data, "hi there\n");
}

static void test_proc_expect_exit_matches_code(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p = start_script(&f->c, "exit 3");

	assert_non_null(p);
	assert_int_equal(hx_proc_expect_exit(&f->c, p, 3, 5000), 0);
	assert_true(hx_ok(&f->c));
}

static void test_proc_expect_exit_wrong_code_fails(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p = start_script(&f->c, "echo bad >&2; exit 3");

	assert_non_null(p);
	assert_int_equal(hx_proc_expect_exit(&f->c, p, 0, 5000), -1);
	assert_int_equal(f->c.status, HX_FAIL);
	assert_true(unit_message_has(&f->c, "expected exit status 0, "
					    "got exit status 3"));
}

static void test_proc_expect_exit_crash_names_signal(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p = start_script(&f->c, "kill -SEGV $$");

	assert_non_null(p);
	assert_int_equal(hx_proc_expect_exit(&f->c, p, 0, 5000), -1);
	assert_int_equal(f->c.status, HX_CRASH);
	assert_true(unit_message_has(&f->c, "SIGSEGV"));
}

/* The sanitizer builds exit with 86 after a report: a crash, not a
 * wrong exit status. */
static void test_proc_expect_exit_sanitizer_status_is_crash(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p;

	f->c.sanitize = 1;
	p = start_script(&f->c, "exit 86");
	assert_non_null(p);
	assert_int_equal(hx_proc_expect_exit(&f->c, p, 0, 5000), -1);
	assert_int_equal(f->c.status, HX_CRASH);
	assert_true(unit_message_has(&f->c, "sanitizer"));
}

/* Without the sanitizers, 86 is an exit status like any other. */
static void test_proc_expect_exit_86_without_sanitizer_is_status(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p = start_script(&f->c, "exit 86");

	assert_non_null(p);
	assert_int_equal(hx_proc_expect_exit(&f->c, p, 0, 5000), -1);
	assert_int_equal(f->c.status, HX_FAIL);
	assert_true(unit_message_has(&f->c, "exit status 86"));
}

/* A program that hangs costs its deadline and no more, and leaves
 * nothing running behind. */
static void test_proc_wait_timeout_kills(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p = start_script(&f->c, "exec sleep 1000");
	int64_t start = hx_now_ms();
	pid_t pid;

	assert_non_null(p);
	pid = p->pid;
	assert_int_equal(hx_proc_wait(&f->c, p, 200), -1);
	assert_in_range(hx_now_ms() - start, 200, unit_scaled(3000));
	assert_int_equal(f->c.status, HX_TIMEOUT);
	assert_true(unit_message_has(&f->c, "did not exit within 0.2 s"));
	assert_true(p->timed_out);
	assert_true(p->exited);
	assert_true(process_gone(pid));
}

/* An endless printer must not fill the grader's memory: its output is
 * kept up to the cap, then it is stopped and the check says so. */
static void test_proc_output_flood_is_cut(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p = start_script(&f->c, "exec yes");
	pid_t pid;
	struct hx_buf how;

	assert_non_null(p);
	pid = p->pid;
	assert_int_equal(hx_proc_wait(&f->c, p, 10000), -1);
	assert_int_equal(f->c.status, HX_FAIL);
	assert_true(unit_message_has(&f->c, "output was cut"));
	assert_true(p->output_cut);
	assert_int_equal(p->out.len, HX_OUTPUT_CAP);
	assert_memory_equal(p->out.data, "y\ny\n", 4);
	assert_true(process_gone(pid));
	hx_buf_init(&how);
	hx_proc_describe_end(p, &how);
	assert_non_null(strstr(how.data, "more than"));
	hx_buf_free(&how);
}

static void test_proc_stdin_round_trip(void **state)
{
	struct unit_fixture *f = *state;
	static const char data[] = "line one\nbinary \0\xff\nlast";
	struct hx_proc *p = hx_start(&f->c, "/bin/cat", NULL);

	assert_non_null(p);
	assert_int_equal(hx_proc_write(&f->c, p, data, sizeof(data) - 1, 5000),
			 0);
	hx_proc_close_stdin(p);
	assert_int_equal(p->in_fd, -1);
	assert_int_equal(hx_proc_expect_exit(&f->c, p, 0, 5000), 0);
	assert_int_equal(p->out.len, sizeof(data) - 1);
	assert_memory_equal(p->out.data, data, sizeof(data) - 1);
}

/* A watchdog for a step that may block for good: unless the test says
 * it is done first, it kills pid after ms, so the step fails instead of
 * hanging the test run. */
struct watchdog {
	pthread_mutex_t lock; /* guards done and fired */
	pthread_cond_t wake;  /* signalled when the step is done */
	pthread_t thread;     /* the waiting thread */
	int done;	      /* 1 once the step returned */
	int fired;	      /* 1 if the watchdog had to kill */
	pid_t pid;	      /* process killed when it fires */
	int ms;		      /* how long the step may take */
};

static void *watchdog_run(void *arg)
{
	struct watchdog *w = arg;
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += w->ms / 1000;
	until.tv_nsec += (long)(w->ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&w->lock);
	while (!w->done)
		if (pthread_cond_timedwait(&w->wake, &w->lock, &until) ==
		    ETIMEDOUT) {
			w->fired = !w->done;
			if (w->fired)
				kill(w->pid, SIGKILL);
			break;
		}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static void watchdog_start(struct watchdog *w, pid_t pid, int ms)
{
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	w->done = w->fired = 0;
	w->pid = pid;
	w->ms = ms;
	pthread_create(&w->thread, NULL, watchdog_run, w);
}

/* Returns 1 if the watchdog had to fire. */
static int watchdog_stop(struct watchdog *w)
{
	pthread_mutex_lock(&w->lock);
	w->done = 1;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	return w->fired;
}

/* Writing much input to a program that echoes it must not deadlock: once
 * cat's output pipe is full, cat stops reading, and a blocking write would
 * never return (the student would be blamed with a timeout). 512 KiB is more
 * than the two pipes and cat's buffer hold together; the write only finishes if
 * the harness reads the output while it writes. */
static void test_proc_large_stdin_does_not_deadlock(void **state)
{
	struct unit_fixture *f = *state;
	size_t len = 512 * 1024;
	char *data = malloc(len);
	struct hx_proc *p = hx_start(&f->c, "/bin/cat", NULL);
	struct watchdog w;
	int rc;

	assert_non_null(data);
	assert_non_null(p);
	for (size_t i = 0; i < len; i++)
		data[i] = (char)('a' + i % 23);
	watchdog_start(&w, p->pid, (int)unit_scaled(4000));
	rc = hx_proc_write(&f->c, p, data, len, 2000);
	if (watchdog_stop(&w))
		fail_msg("hx_proc_write blocked past its deadline");
	assert_int_equal(rc, 0);
	hx_proc_close_stdin(p);
	assert_int_equal(hx_proc_expect_exit(&f->c, p, 0, 5000), 0);
	assert_int_equal(p->out.len, len);
	assert_memory_equal(p->out.data, data, len);
	free(data);
}

static void test_proc_write_to_closed_input_fails(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p =
	    start_script(&f->c, "exec 0<&-; echo closed; exec sleep 1000");

	assert_non_null(p);
	assert_int_equal(hx_proc_read_until(&f->c, p, "closed", 5000), 0);
	assert_int_equal(hx_proc_write(&f->c, p, "data\n", 5, 2000), -1);
	assert_int_equal(f->c.status, HX_FAIL);
	assert_true(unit_message_has(&f->c, "closed its input early"));
}

static void test_proc_read_until_finds_text(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p =
	    start_script(&f->c, "echo starting; echo ready; exec cat");

	assert_non_null(p);
	assert_int_equal(hx_proc_read_until(&f->c, p, "ready\n", 5000), 0);
	assert_true(hx_ok(&f->c));
	assert_int_equal(p->out_seen, strlen("starting\nready\n"));
	assert_true(hx_proc_running(p));
}

/* Each read starts where the last one stopped, so a repeated marker is
 * found once per occurrence. */
static void test_proc_read_until_moves_past_match(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p =
	    start_script(&f->c, "printf 'x1\\nx2\\n'; exec cat");

	assert_non_null(p);
	assert_int_equal(hx_proc_read_until(&f->c, p, "x", 5000), 0);
	assert_int_equal(hx_proc_read_until(&f->c, p, "x", 5000), 0);
	assert_int_equal(hx_proc_read_until(&f->c, p, "x", 200), -1);
	assert_int_equal(f->c.status, HX_TIMEOUT);
	assert_string_equal(f->c.actual.data, "2\n");
}

static void test_proc_read_until_times_out(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p = start_script(&f->c, "echo other; exec sleep 1000");
	int64_t start = hx_now_ms();

	assert_non_null(p);
	assert_int_equal(hx_proc_read_until(&f->c, p, "ready", 200), -1);
	assert_in_range(hx_now_ms() - start, 200, unit_scaled(3000));
	assert_int_equal(f->c.status, HX_TIMEOUT);
	assert_true(unit_message_has(&f->c, "did not print \"ready\""));
	assert_string_equal(f->c.expected.data, "output containing \"ready\"");
	assert_string_equal(f->c.actual.data, "other\n");
}

/* A program that ends without the text fails at once, not at the
 * deadline, and the message says how it ended. */
static void test_proc_read_until_reports_early_exit(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p = start_script(&f->c, "echo bye; exit 4");
	int64_t start = hx_now_ms();

	assert_non_null(p);
	assert_int_equal(hx_proc_read_until(&f->c, p, "ready", 10000), -1);
	assert_true(hx_now_ms() - start < unit_scaled(5000));
	assert_int_equal(f->c.status, HX_FAIL);
	assert_true(unit_message_has(
	    &f->c, "ended (exit status 4) without printing \"ready\""));
	assert_string_equal(f->c.actual.data, "bye\n");
}

static void test_proc_stop_ends_program(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p = hx_start(&f->c, "/bin/cat", NULL);

	assert_non_null(p);
	assert_int_equal(hx_proc_stop(&f->c, p, 5000), 0);
	assert_true(hx_ok(&f->c));
	assert_true(p->exited);
	assert_true(WIFSIGNALED(p->wait_status));
	assert_int_equal(WTERMSIG(p->wait_status), SIGTERM);
}

/* A server that ignores SIGTERM fails with a timeout that names SIGTERM,
 * and is killed all the same. */
static void test_proc_stop_ignoring_term_times_out(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p = start_script(
	    &f->c, "trap '' TERM; echo armed; while :; do sleep 1; done");
	pid_t pid;

	assert_non_null(p);
	pid = p->pid;
	/* the trap must be set before the signal is sent */
	assert_int_equal(hx_proc_read_until(&f->c, p, "armed", 5000), 0);
	assert_int_equal(hx_proc_stop(&f->c, p, 300), -1);
	assert_int_equal(f->c.status, HX_TIMEOUT);
	assert_true(unit_message_has(&f->c, "of SIGTERM"));
	assert_true(process_gone(pid));
}

static void test_proc_stop_after_exit_fails(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p = start_script(&f->c, "exit 0");

	assert_non_null(p);
	assert_int_equal(hx_proc_wait(&f->c, p, 5000), 0);
	assert_int_equal(hx_proc_stop(&f->c, p, 1000), -1);
	assert_int_equal(f->c.status, HX_FAIL);
	assert_true(
	    unit_message_has(&f->c, "had already ended (exit status 0)"));
}

/* A program may crash while the check looks elsewhere; finishing the
 * check still turns that into the verdict. */
static void test_proc_check_finish_reports_crash(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p = start_script(&f->c, "kill -SEGV $$");

	assert_non_null(p);
	assert_int_equal(hx_proc_wait(&f->c, p, 5000), 0);
	assert_true(hx_ok(&f->c));
	hx_check_finish(&f->c);
	assert_int_equal(f->c.status, HX_CRASH);
	assert_true(unit_message_has(&f->c, "prog crashed: killed by SIGSEGV"));
}

/* The harness killing a program at the end is not the program's fault. */
static void test_proc_check_finish_kill_is_not_crash(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p = hx_start(&f->c, "/bin/cat", NULL);
	pid_t pid;

	assert_non_null(p);
	pid = p->pid;
	hx_check_finish(&f->c);
	assert_int_equal(f->c.status, HX_PASS);
	assert_true(process_gone(pid));
}

/* A failing check shows each program's stderr: that is where a student
 * looks first. */
static void test_proc_check_finish_notes_stderr_on_failure(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p = start_script(&f->c, "echo 'bind: in use' >&2");

	assert_non_null(p);
	hx_proc_wait(&f->c, p, 5000);
	hx_fail(&f->c, HX_FAIL, "no greeting");
	hx_check_finish(&f->c);
	assert_non_null(f->c.notes.data);
	assert_non_null(
	    strstr(f->c.notes.data, "stderr of prog:\nbind: in use"));
}

/* A sanitizer report is read from the file the sanitizer writes (its
 * log_path), as ASan would write it: the program's own pid after the
 * path. */
static void test_proc_check_finish_names_sanitizer_report(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p;

	f->c.sanitize = 1;
	p = start_script(
	    &f->c,
	    "log=${ASAN_OPTIONS##*log_path=}; log=${log%%:*}.$$;"
	    "echo '==9==ERROR: AddressSanitizer: heap-buffer-overflow on x'"
	    " >$log;"
	    "echo '    #0 0x4011 in read_line lib.c:12' >>$log; exit 86");
	assert_non_null(p);
	hx_proc_wait(&f->c, p, 5000);
	hx_check_finish(&f->c);
	assert_int_equal(f->c.status, HX_CRASH);
	assert_true(unit_message_has(&f->c, "prog: AddressSanitizer: "
					    "heap-buffer-overflow"));
	assert_true(unit_message_has(&f->c, "in read_line lib.c:12"));
}

/* Text a program prints is never a sanitizer's report: a program that
 * writes one on stderr, and passes otherwise, passes. */
static void test_proc_check_finish_ignores_report_text_on_stderr(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p;

	f->c.sanitize = 1;
	p = start_script(
	    &f->c,
	    "echo '==9==ERROR: AddressSanitizer: heap-buffer-overflow' >&2;"
	    "echo 'x.c:3:5: runtime error: signed integer overflow' >&2");
	assert_non_null(p);
	assert_int_equal(hx_proc_expect_exit(&f->c, p, 0, 5000), 0);
	hx_check_finish(&f->c);
	assert_int_equal(f->c.status, HX_PASS);
}

static void test_proc_missing_program_is_error(void **state)
{
	struct unit_fixture *f = *state;

	assert_null(hx_start(&f->c, "/nonexistent/socklab-unit-prog", NULL));
	assert_int_equal(f->c.status, HX_ERROR);
	assert_true(unit_message_has(&f->c, "was not built"));
}

/* A file that exists but cannot be executed fails in exec, after fork;
 * the reason crosses back to the harness. */
static void test_proc_exec_failure_is_error(void **state)
{
	struct unit_fixture *f = *state;
	char path[512];

	snprintf(path, sizeof(path), "%s/not-a-program", f->dir);
	assert_int_equal(unit_write_file(path,
					 "\x7f"
					 "ELF garbage",
					 0755),
			 0);
	assert_null(hx_start(&f->c, path, NULL));
	assert_int_equal(f->c.status, HX_ERROR);
	assert_true(unit_message_has(&f->c, "could not start"));
	assert_true(unit_message_has(&f->c, "Exec format error"));
}

/* A program that keeps running is stopped quietly: no failure, and its
 * end (SIGTERM) is accepted. */
static void test_proc_stop_quietly_ends_without_judging(void **state)
{
	struct unit_fixture *f = *state;
	const char *args[] = {"-c", "exec sleep 1000", NULL};
	struct hx_proc *p = hx_start(&f->c, "/bin/sh", args);

	assert_non_null(p);
	hx_proc_stop_quietly(&f->c, p, 2000);
	assert_false(hx_proc_running(p));
	assert_true(p->accepted);
	assert_int_equal(f->c.status, HX_PASS);
}

/* A valid port: a usage error (exit 1) fails; running, or another
 * failure at run time, passes. */
static void test_proc_port_accepted_unless_usage_error(void **state)
{
	struct unit_fixture *f = *state;
	const char *runs[] = {"-c", "exec sleep 1000", "1", NULL};
	const char *fails[] = {"-c", "exit 2", "1", NULL};
	const char *usage[] = {"-c", "echo usage: x >&2; exit 1", "1", NULL};

	hx_expect_port_accepted(&f->c, "/bin/sh", runs, "1", 1000, 2000);
	assert_int_equal(f->c.status, HX_PASS);
	hx_expect_port_accepted(&f->c, "/bin/sh", fails, "1", 1000, 2000);
	assert_int_equal(f->c.status, HX_PASS);
	hx_expect_port_accepted(&f->c, "/bin/sh", usage, "65535", 1000, 2000);
	assert_int_equal(f->c.status, HX_FAIL);
	assert_true(unit_message_has(&f->c, "65535 is a valid port"));
	assert_true(unit_message_has(&f->c, "usage error (exit status 1)"));
}

#define PROC_TEST(name)                                                        \
	cmocka_unit_test_setup_teardown(name, unit_fixture_setup,              \
					unit_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    PROC_TEST(test_proc_captures_stdout),
	    PROC_TEST(test_proc_captures_stderr_apart),
	    PROC_TEST(test_proc_runs_in_work_dir),
	    PROC_TEST(test_proc_environment_is_fixed),
	    PROC_TEST(test_proc_program_found_in_bin_dir),
	    PROC_TEST(test_proc_expect_exit_matches_code),
	    PROC_TEST(test_proc_expect_exit_wrong_code_fails),
	    PROC_TEST(test_proc_expect_exit_crash_names_signal),
	    PROC_TEST(test_proc_expect_exit_sanitizer_status_is_crash),
	    PROC_TEST(test_proc_expect_exit_86_without_sanitizer_is_status),
	    PROC_TEST(test_proc_wait_timeout_kills),
	    PROC_TEST(test_proc_output_flood_is_cut),
	    PROC_TEST(test_proc_stdin_round_trip),
	    PROC_TEST(test_proc_large_stdin_does_not_deadlock),
	    PROC_TEST(test_proc_write_to_closed_input_fails),
	    PROC_TEST(test_proc_read_until_finds_text),
	    PROC_TEST(test_proc_read_until_moves_past_match),
	    PROC_TEST(test_proc_read_until_times_out),
	    PROC_TEST(test_proc_read_until_reports_early_exit),
	    PROC_TEST(test_proc_stop_ends_program),
	    PROC_TEST(test_proc_stop_ignoring_term_times_out),
	    PROC_TEST(test_proc_stop_after_exit_fails),
	    PROC_TEST(test_proc_stop_quietly_ends_without_judging),
	    PROC_TEST(test_proc_port_accepted_unless_usage_error),
	    PROC_TEST(test_proc_check_finish_reports_crash),
	    PROC_TEST(test_proc_check_finish_kill_is_not_crash),
	    PROC_TEST(test_proc_check_finish_notes_stderr_on_failure),
	    PROC_TEST(test_proc_check_finish_names_sanitizer_report),
	    PROC_TEST(test_proc_check_finish_ignores_report_text_on_stderr),
	    PROC_TEST(test_proc_missing_program_is_error),
	    PROC_TEST(test_proc_exec_failure_is_error),
	};

	unit_init();
	return cmocka_run_group_tests_name("hx_proc", tests, NULL, NULL);
}
