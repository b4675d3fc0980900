/* test_unix.c - UNIX stream peers, stale files and readiness on a path.
 *
 * Each test works in a temporary folder of its own, the check's work
 * folder, whose own path may be long: the paths given are relative to it,
 * as a program's are to its cwd.
 */
#include "unit.h"

#include <sys/un.h>
#include <sys/wait.h>

#include "../../harness/hx_unix.h"

/* A relative name of exactly 107 bytes: sun_path's limit. */
#define X10	 "xxxxxxxxxx"
#define NAME_107 "long-" X10 X10 X10 X10 X10 X10 X10 X10 X10 "xxxxxxx.sock"

/* A process that binds name in dir (and listens when listen_too), tells
 * it is done, and waits to be killed: the "server" of a readiness test.
 * Not one of the check's own processes: the test frees it. */
static struct hx_proc *fork_holder(const char *dir, const char *name,
				   int listen_too)
{
	struct hx_proc *p = calloc(1, sizeof(*p));
	int done[2];
	char byte;

	assert_non_null(p);
	assert_int_equal(pipe(done), 0);
	p->pid = fork();
	assert_true(p->pid >= 0);
	if (p->pid == 0) {
		struct sockaddr_un addr = {.sun_family = AF_UNIX};
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);

		snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", name);
		if (chdir(dir) < 0 || fd < 0 ||
		    bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
		    (listen_too && listen(fd, 4) < 0))
			_exit(1);
		if (write(done[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(done[1]);
	assert_int_equal(read(done[0], &byte, 1), 1);
	close(done[0]);
	snprintf(p->label, sizeof(p->label), "server");
	p->in_fd = p->out_fd = p->err_fd = p->log_fd = -1;
	return p;
}

static void free_holder(struct hx_proc *p)
{
	kill(p->pid, SIGKILL);
	waitpid(p->pid, NULL, 0);
	free(p);
}

/* A path relative to the work folder reaches the same socket from the
 * harness as from a program started there. */
static void test_unix_connect_accept_round_trip(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_conn listener, client, server;
	char file[512];
	struct stat st;

	assert_int_equal(hx_unix_listen(&f->c, &listener, "s.sock"), 0);
	snprintf(file, sizeof(file), "%s/s.sock", f->dir);
	assert_int_equal(lstat(file, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(hx_unix_connect(&f->c, &client, "s.sock", NULL, 2000),
			 0);
	assert_int_equal(hx_tcp_accept(&f->c, &listener, &server, 2000), 0);
	assert_int_equal(hx_send_str(&f->c, &client, "ping\n", NULL), 0);
	assert_int_equal(hx_recv_until(&f->c, &server, "\n", 2000), 5);
	hx_close(&f->c, &server);
	assert_int_equal(hx_recv_all(&f->c, &client, 100, 2000), 0);
	assert_true(client.eof);
	assert_true(hx_ok(&f->c));
	hx_close(&f->c, &client);
	hx_close(&f->c, &listener);
}

/* The program sees the client's bound name as its peer: a path, or an
 * abstract name ('@' in the harness's spelling, '\0' on the wire). */
static void test_unix_connect_from_bound_name(void **state)
{
	static const char *const names[] = {"client.sock", "@hx-unit-client",
					    NAME_107};
	struct unit_fixture *f = *state;
	struct hx_conn listener;

	assert_int_equal(strlen(NAME_107), 107);
	assert_int_equal(hx_unix_listen(&f->c, &listener, "s.sock"), 0);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct sockaddr_un peer;
		socklen_t len = sizeof(peer);
		struct hx_conn client, server;
		size_t n;

		assert_int_equal(
		    hx_unix_connect(&f->c, &client, "s.sock", names[i], 2000),
		    0);
		assert_int_equal(hx_tcp_accept(&f->c, &listener, &server, 2000),
				 0);
		assert_int_equal(
		    getpeername(server.fd, (struct sockaddr *)&peer, &len), 0);
		n = len - offsetof(struct sockaddr_un, sun_path);
		if (names[i][0] == '@') {
			assert_int_equal(peer.sun_path[0], '\0');
			assert_int_equal(n, strlen(names[i]));
			assert_memory_equal(peer.sun_path + 1, names[i] + 1,
					    n - 1);
		} else {
			assert_string_equal(peer.sun_path, names[i]);
		}
		hx_close(&f->c, &client);
		hx_close(&f->c, &server);
	}
	hx_close(&f->c, &listener);
}

/* A stale file: the socket file is there, nobody listens, connect is
 * refused. */
static void test_unix_stale_file_refuses(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_conn client;
	char file[512];
	struct stat st;

	assert_int_equal(hx_unix_stale(&f->c, "stale.sock"), 0);
	snprintf(file, sizeof(file), "%s/stale.sock", f->dir);
	assert_int_equal(lstat(file, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(
	    hx_unix_connect(&f->c, &client, "stale.sock", NULL, 500), -1);
	assert_int_equal(f->c.status, HX_FAIL);
	assert_true(unit_message_has(&f->c, "Connection refused"));
}

static void test_unix_connect_missing_fails(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_conn client;

	assert_int_equal(
	    hx_unix_connect(&f->c, &client, "none.sock", NULL, 500), -1);
	assert_true(unit_message_has(&f->c, "connect to none.sock"));
	assert_int_equal(client.fd, -1);
}

/* 108 bytes do not fit with a '\0': refused before any call. */
static void test_unix_path_too_long_is_error(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_conn listener;

	assert_int_equal(hx_unix_listen(&f->c, &listener, NAME_107 "8"), -1);
	assert_int_equal(f->c.status, HX_ERROR);
	assert_true(unit_message_has(&f->c, "File name too long"));
}

/* The harness comes back to its own folder after each call. */
static void test_unix_keeps_the_harness_cwd(void **state)
{
	struct unit_fixture *f = *state;
	char before[PATH_MAX], after[PATH_MAX];
	struct hx_conn listener;

	assert_non_null(getcwd(before, sizeof(before)));
	assert_int_equal(hx_unix_listen(&f->c, &listener, "s.sock"), 0);
	assert_non_null(getcwd(after, sizeof(after)));
	assert_string_equal(before, after);
	hx_close(&f->c, &listener);
}

static void test_unix_wait_ready_sees_listener(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *server = fork_holder(f->dir, "ready.sock", 1);

	assert_int_equal(hx_unix_listening(server, "ready.sock", f->dir, NULL),
			 1);
	assert_int_equal(hx_unix_wait_ready(&f->c, server, "ready.sock", 2000),
			 0);
	assert_true(hx_ok(&f->c));
	free_holder(server);
}

/* bound without listen is not ready: a client would be refused. */
static void test_unix_wait_ready_needs_listen(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *server = fork_holder(f->dir, "bound.sock", 0);

	assert_int_equal(hx_unix_wait_ready(&f->c, server, "bound.sock", 200),
			 -1);
	assert_int_equal(f->c.status, HX_TIMEOUT);
	assert_true(unit_message_has(&f->c, "did not listen on the UNIX "
					    "socket bound.sock"));
	free_holder(server);
}

/* Another path is not this one, and the failure says where it is. */
static void test_unix_wait_ready_names_other_path(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *server = fork_holder(f->dir, "other.sock", 1);

	assert_int_equal(hx_unix_wait_ready(&f->c, server, "wanted.sock", 200),
			 -1);
	assert_non_null(f->c.notes.data);
	assert_non_null(strstr(f->c.notes.data, "other.sock instead"));
	free_holder(server);
}

/* Someone else's listener on the same path is not the server's. */
static void test_unix_wait_ready_only_the_servers_sockets(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *server = fork_holder(f->dir, "mine.sock", 0);
	struct hx_conn listener;

	assert_int_equal(hx_unix_listen(&f->c, &listener, "theirs.sock"), 0);
	assert_int_equal(hx_unix_listening(server, "theirs.sock", f->dir, NULL),
			 0);
	hx_close(&f->c, &listener);
	free_holder(server);
}

static void test_unix_wait_ready_fails_fast_when_server_exits(void **state)
{
	struct unit_fixture *f = *state;
	const char *args[] = {"-c", "exit 2", NULL};
	struct hx_proc *server =
	    hx_start_labelled(&f->c, "server", "/bin/sh", args);
	int64_t start = hx_now_ms();

	assert_non_null(server);
	assert_int_equal(hx_unix_wait_ready(&f->c, server, "x.sock", 10000),
			 -1);
	assert_true(hx_now_ms() - start < unit_scaled(5000));
	assert_true(unit_message_has(&f->c, "ended (exit status 2) before it "
					    "began to listen"));
}

#define UNIX_TEST(name)                                                        \
	cmocka_unit_test_setup_teardown(name, unit_fixture_setup,              \
					unit_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    UNIX_TEST(test_unix_connect_accept_round_trip),
	    UNIX_TEST(test_unix_connect_from_bound_name),
	    UNIX_TEST(test_unix_stale_file_refuses),
	    UNIX_TEST(test_unix_connect_missing_fails),
	    UNIX_TEST(test_unix_path_too_long_is_error),
	    UNIX_TEST(test_unix_keeps_the_harness_cwd),
	    UNIX_TEST(test_unix_wait_ready_sees_listener),
	    UNIX_TEST(test_unix_wait_ready_needs_listen),
	    UNIX_TEST(test_unix_wait_ready_names_other_path),
	    UNIX_TEST(test_unix_wait_ready_only_the_servers_sockets),
	    UNIX_TEST(test_unix_wait_ready_fails_fast_when_server_exits),
	};

	unit_init();
	return cmocka_run_group_tests_name("hx_unix", tests, NULL, NULL);
}
