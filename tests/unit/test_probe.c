/* test_probe.c - the probes every lab gets, against small servers of this
 * program's own (it runs itself again in a server's mode), so each probe
 * is seen to pass a correct program and fail the one with the bug. */
#include "unit.h"

#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>

/* --- the programs: this binary with a mode as its first argument ------ */

/* A server on port that answers each request with one write; with
 * ignore, it ignores SIGPIPE, so a client that left costs it nothing.
 * With leak, it never closes a connection. */
static int serve(int port, int ignore, int leak)
{
	struct sockaddr_in addr = {.sin_family = AF_INET,
				   .sin_port = htons((uint16_t)port)};
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	if (ignore)
		signal(SIGPIPE, SIG_IGN);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(fd, 16) < 0)
		return 2;
	for (;;) {
		char buf[256];
		int conn = accept(fd, NULL, NULL);

		if (conn < 0)
			continue;
		if (read(conn, buf, sizeof(buf)) > 0)
			(void)!write(conn, "one\ntwo\n", 8);
		if (!leak)
			close(conn);
	}
}

/* Prints "first", waits 300 ms, prints "second"; flushed or not. */
static int talk(int flush)
{
	struct timespec pause = {0, 300 * 1000000L};

	printf("first\n");
	if (flush)
		fflush(stdout);
	nanosleep(&pause, NULL);
	printf("second\n");
	return 0;
}

static char self[PATH_MAX];

static struct hx_proc *start_self(struct hx_check *c, const char *mode,
				  const char *arg1, const char *arg2)
{
	const char *args[] = {mode, arg1, arg2, NULL};

	return hx_start_labelled(c, "server", self, args);
}

static struct hx_proc *start_server(struct hx_check *c, const char *mode,
				    int port)
{
	char port_arg[16];
	struct hx_proc *p;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	p = start_self(c, mode, port_arg, NULL);
	if (p && hx_wait_ready(c, p, HX_TCP, port, 5000) < 0)
		return NULL;
	return p;
}

/* --- the tests --------------------------------------------------------- */

/* A server that ignores SIGPIPE outlives a client that left early. */
static void test_probe_leave_early_passes_careful_server(void **state)
{
	struct unit_fixture *f = *state;
	int port = hx_free_port();
	struct hx_proc *server = start_server(&f->c, "--careful", port);

	assert_non_null(server);
	assert_int_equal(
	    hx_probe_leave_early(&f->c, server, port, "hi\n", 3, 5000), 0);
	assert_true(hx_ok(&f->c));
}

/* One that does not dies of it, and the cause is named. */
static void test_probe_leave_early_names_sigpipe(void **state)
{
	struct unit_fixture *f = *state;
	int port = hx_free_port();
	struct hx_proc *server = start_server(&f->c, "--careless", port);

	assert_non_null(server);
	assert_int_equal(
	    hx_probe_leave_early(&f->c, server, port, "hi\n", 3, 5000), -1);
	assert_int_equal(f->c.status, HX_CRASH);
	assert_int_equal(f->c.cause, HX_CAUSE_SIGPIPE);
	assert_non_null(strstr(f->c.cause_text.data, "SIGPIPE"));
}

/* A server's disposition of SIGPIPE, from its signal masks. */
static void test_probe_sigpipe_ignored_reads_masks(void **state)
{
	struct unit_fixture *f = *state;
	int port = hx_free_port(), other = hx_free_port();
	struct hx_proc *careful = start_server(&f->c, "--careful", port);
	struct hx_proc *careless = start_server(&f->c, "--careless", other);

	assert_non_null(careful);
	assert_non_null(careless);
	assert_int_equal(hx_expect_sigpipe_ignored(&f->c, careful), 0);
	assert_int_equal(hx_expect_sigpipe_ignored(&f->c, careless), -1);
	assert_int_equal(f->c.cause, HX_CAUSE_SIGPIPE);
}

/* A server that leaves SIGPIPE alone but names itself "SigIgn:1000", so
 * its status's Name: line reads like the mask with SIGPIPE's bit: the
 * probe reads the real line. */
static void test_probe_sigpipe_ignored_not_fooled_by_name(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *disguised =
	    start_server(&f->c, "--disguised", hx_free_port());

	assert_non_null(disguised);
	assert_int_equal(hx_expect_sigpipe_ignored(&f->c, disguised), -1);
	assert_int_equal(f->c.cause, HX_CAUSE_SIGPIPE);
}

/* Runs n clients that each say a line and read the answer. */
static void run_clients(struct hx_check *c, int port, int n)
{
	for (int i = 0; i < n; i++) {
		struct hx_conn conn;

		assert_int_equal(
		    hx_tcp_connect(c, &conn, "127.0.0.1", port, 5000), 0);
		hx_send_str(c, &conn, "hello\n", NULL);
		hx_recv_until(c, &conn, "two\n", 5000);
		hx_close(c, &conn);
	}
}

static void test_probe_fds_steady_passes_closing_server(void **state)
{
	struct unit_fixture *f = *state;
	int port = hx_free_port(), before;
	struct hx_proc *server = start_server(&f->c, "--careful", port);

	assert_non_null(server);
	before = hx_proc_count_fds(server);
	assert_true(before > 0);
	run_clients(&f->c, port, 5);
	assert_int_equal(
	    hx_expect_fds_steady(&f->c, server, before, "5 clients", 5000), 0);
}

static void test_probe_fds_steady_names_leak(void **state)
{
	struct unit_fixture *f = *state;
	int port = hx_free_port(), before;
	struct hx_proc *server = start_server(&f->c, "--leaky", port);

	assert_non_null(server);
	before = hx_proc_count_fds(server);
	run_clients(&f->c, port, 5);
	assert_int_equal(
	    hx_expect_fds_steady(&f->c, server, before, "5 clients", 5000), -1);
	assert_int_equal(f->c.cause, HX_CAUSE_DESCRIPTORS);
	assert_true(unit_message_has(&f->c, "5 leaked"));
}

static void test_probe_no_stdout(void **state)
{
	struct unit_fixture *f = *state;
	const char *args[] = {"-c", "echo listening; echo log >&2", NULL};
	struct hx_proc *p = hx_start(&f->c, "/bin/sh", args);

	assert_non_null(p);
	assert_int_equal(hx_proc_wait(&f->c, p, 5000), 0);
	assert_int_equal(hx_expect_no_stdout(&f->c, p), -1);
	assert_true(unit_message_has(&f->c, "stderr only"));
}

/* A flushed line is there at once; an unflushed one only at exit. */
static void test_probe_line_by_flushed_is_on_time(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p = start_self(&f->c, "--talk", "flush", NULL);
	int64_t started = hx_now_ms() - f->c.started_ms;

	assert_non_null(p);
	assert_int_equal(
	    hx_expect_line_by(&f->c, p, "first\n", started, 200, 5000), 0);
}

static void test_probe_line_by_names_late_output(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *p = start_self(&f->c, "--talk", "hold", NULL);
	int64_t started = hx_now_ms() - f->c.started_ms;

	assert_non_null(p);
	assert_int_equal(
	    hx_expect_line_by(&f->c, p, "first\n", started, 200, 5000), -1);
	assert_int_equal(f->c.cause, HX_CAUSE_LATE_OUTPUT);
}

static int sleepers_started; /* sleepers running their own code */

/* A thread of this test process that sleeps until told to leave. */
static void *sleeper(void *arg)
{
	int *leave = arg;

	__atomic_add_fetch(&sleepers_started, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(leave, __ATOMIC_SEQ_CST))
		usleep(1000);
	return NULL;
}

/* Starts a sleeper with SIGINT and SIGTERM blocked (or not), and waits
 * until it runs its own code: a new thread starts with every signal
 * blocked until its creator's mask is restored in it. */
static void start_sleeper(pthread_t *t, int *leave, int blocked)
{
	int before = __atomic_load_n(&sleepers_started, __ATOMIC_SEQ_CST);
	int64_t deadline = hx_deadline(2000);
	sigset_t stops, old;
	int attempt = 0;

	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	pthread_sigmask(blocked ? SIG_BLOCK : SIG_UNBLOCK, &stops, &old);
	assert_int_equal(pthread_create(t, NULL, sleeper, leave), 0);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	while (__atomic_load_n(&sleepers_started, __ATOMIC_SEQ_CST) == before &&
	       hx_remaining_ms(deadline) > 0)
		hx_backoff(&attempt, deadline);
}

/* Every thread but the main one blocks the stop signals: read in /proc
 * per thread, the first that does not named. */
static void test_probe_threads_block_reads_each_thread(void **state)
{
	static const int stops[] = {SIGINT, SIGTERM, 0};
	struct unit_fixture *f = *state;
	struct hx_proc self = {.pid = getpid(), .label = "this test"};
	pthread_t careful, careless;
	int leave = 0;

	start_sleeper(&careful, &leave, 1);
	assert_int_equal(hx_expect_threads_block(&f->c, &self, stops, "why"),
			 0);
	assert_int_equal(f->c.status, HX_PASS);
	start_sleeper(&careless, &leave, 0);
	assert_int_equal(hx_expect_threads_block(&f->c, &self, stops, "why"),
			 -1);
	assert_true(unit_message_has(&f->c, "does not block SIGINT and "
					    "SIGTERM: why"));
	__atomic_store_n(&leave, 1, __ATOMIC_SEQ_CST);
	pthread_join(careful, NULL);
	pthread_join(careless, NULL);
}

#define PROBE_TEST(name)                                                       \
	cmocka_unit_test_setup_teardown(name, unit_fixture_setup,              \
					unit_fixture_teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    PROBE_TEST(test_probe_leave_early_passes_careful_server),
	    PROBE_TEST(test_probe_leave_early_names_sigpipe),
	    PROBE_TEST(test_probe_sigpipe_ignored_reads_masks),
	    PROBE_TEST(test_probe_sigpipe_ignored_not_fooled_by_name),
	    PROBE_TEST(test_probe_threads_block_reads_each_thread),
	    PROBE_TEST(test_probe_fds_steady_passes_closing_server),
	    PROBE_TEST(test_probe_fds_steady_names_leak),
	    PROBE_TEST(test_probe_no_stdout),
	    PROBE_TEST(test_probe_line_by_flushed_is_on_time),
	    PROBE_TEST(test_probe_line_by_names_late_output),
	};
	ssize_t len;

	if (argc == 3 && strcmp(argv[1], "--careful") == 0)
		return serve(atoi(argv[2]), 1, 0);
	if (argc == 3 && strcmp(argv[1], "--careless") == 0)
		return serve(atoi(argv[2]), 0, 0);
	if (argc == 3 && strcmp(argv[1], "--disguised") == 0) {
		prctl(PR_SET_NAME, "SigIgn:1000");
		return serve(atoi(argv[2]), 0, 0);
	}
	if (argc == 3 && strcmp(argv[1], "--leaky") == 0)
		return serve(atoi(argv[2]), 1, 1);
	if (argc == 3 && strcmp(argv[1], "--talk") == 0)
		return talk(strcmp(argv[2], "flush") == 0);
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len <= 0)
		return 1;
	self[len] = '\0';
	unit_init();
	return cmocka_run_group_tests_name("hx_probe", tests, NULL, NULL);
}
