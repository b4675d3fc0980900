/* test_crowd.c - a crowd of connections against the plain echo server
 * and against servers that get it wrong: every echo is checked, every
 * failure names its connection, and nothing waits past its deadline. */
#include "unit.h"

#include <pthread.h>
#include <sys/resource.h>

#include "../../harness/hx_crowd.h"
#include "../../harness/hx_load.h"

/* A listening socket on a free loopback port; its port in *port. */
static int listen_any(int *port, int backlog)
{
	struct sockaddr_in addr = {.sin_family = AF_INET};
	socklen_t len = sizeof(addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(fd, backlog) < 0 ||
	    getsockname(fd, (struct sockaddr *)&addr, &len) < 0)
		return -1;
	*port = ntohs(addr.sin_port);
	return fd;
}

/* Batches smaller than the crowd, then a round on every connection at
 * once: all held open, all served. */
static void test_crowd_grows_and_echoes(void **state)
{
	struct hx_echo_server s;
	struct hx_crowd cr;
	char err[256];

	(void)state;
	assert_int_equal(hx_echo_start(&s, "127.0.0.1", 0, err, sizeof(err)),
			 0);
	hx_crowd_init(&cr, "127.0.0.1", s.port);
	assert_int_equal(hx_crowd_grow(&cr, 150, 40, 3000), 0);
	assert_int_equal(cr.count, 150);
	assert_int_equal(hx_crowd_grow(&cr, 10, 40, 3000), 0);
	assert_int_equal(cr.count, 160);
	assert_int_equal(hx_crowd_echo(&cr, 1, 3000), 0);
	assert_int_equal(hx_crowd_echo(&cr, 2, 3000), 0);
	assert_string_equal(cr.error, "");
	hx_crowd_close(&cr);
	assert_int_equal(cr.count, 0);
	hx_echo_stop(&s);
}

static void test_crowd_refused_names_the_connection(void **state)
{
	struct hx_crowd cr;
	int port, fd = listen_any(&port, 4);

	(void)state;
	close(fd); /* nothing listens there now */
	hx_crowd_init(&cr, "127.0.0.1", port);
	assert_int_equal(hx_crowd_grow(&cr, 3, 3, 1000), -1);
	assert_non_null(strstr(cr.error, "connection 0: connect"));
	hx_crowd_close(&cr);
}

/* A server that accepts nothing: the connections complete in the
 * backlog, and the echo never comes. */
static void test_crowd_silent_server_times_out(void **state)
{
	struct hx_crowd cr;
	int port, fd = listen_any(&port, 16);
	int64_t start = hx_now_ms();

	(void)state;
	assert_true(fd >= 0);
	hx_crowd_init(&cr, "127.0.0.1", port);
	assert_int_equal(hx_crowd_grow(&cr, 4, 4, 200), -1);
	assert_non_null(strstr(cr.error, "no echo within 200 ms on 4 of 4"));
	assert_true(hx_now_ms() - start < unit_scaled(2000));
	hx_crowd_close(&cr);
	close(fd);
}

/* A server that answers each connection with something else. */
static void *wrong_server(void *arg)
{
	int listen_fd = *(int *)arg;
	int fd = accept(listen_fd, NULL, NULL);
	char buf[64];

	if (fd >= 0 && recv(fd, buf, sizeof(buf), 0) > 0)
		(void)!send(fd, "crowd 9 round 0\n", 16, MSG_NOSIGNAL);
	if (fd >= 0) {
		/* wait for the client to close first */
		(void)!recv(fd, buf, sizeof(buf), 0);
		close(fd);
	}
	return NULL;
}

static void test_crowd_wrong_echo_is_named(void **state)
{
	struct hx_crowd cr;
	pthread_t thread;
	int port, fd = listen_any(&port, 4);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(pthread_create(&thread, NULL, wrong_server, &fd), 0);
	hx_crowd_init(&cr, "127.0.0.1", port);
	assert_int_equal(hx_crowd_grow(&cr, 1, 1, 1000), -1);
	assert_non_null(strstr(cr.error, "connection 0 sent \"crowd 0 round "
					 "0\" and got back \"crowd 9"));
	hx_crowd_close(&cr);
	pthread_join(thread, NULL);
	close(fd);
}

/* A server that closes each connection once it has read its line. */
static void *closing_server(void *arg)
{
	int listen_fd = *(int *)arg;
	int fd = accept(listen_fd, NULL, NULL);
	char buf[64];

	if (fd >= 0) {
		(void)!recv(fd, buf, sizeof(buf), 0);
		close(fd);
	}
	return NULL;
}

static void test_crowd_closed_connection_fails(void **state)
{
	struct hx_crowd cr;
	pthread_t thread;
	int port, fd = listen_any(&port, 4);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(pthread_create(&thread, NULL, closing_server, &fd), 0);
	hx_crowd_init(&cr, "127.0.0.1", port);
	assert_int_equal(hx_crowd_grow(&cr, 1, 1, 1000), -1);
	assert_non_null(strstr(cr.error, "the server closed it after 0"));
	pthread_join(thread, NULL);
	hx_crowd_close(&cr);
	close(fd);
}

static void test_raise_files_within_and_past_the_hard_limit(void **state)
{
	struct rlimit lim, now;
	char err[256] = "";

	(void)state;
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &lim), 0);
	/* at or below the soft limit: nothing to do */
	assert_int_equal(hx_raise_files(16, err, sizeof(err)), 0);
	if (lim.rlim_max != RLIM_INFINITY && lim.rlim_max < (1u << 30)) {
		assert_int_equal(
		    hx_raise_files((int)lim.rlim_max + 1, err, sizeof(err)),
		    -1);
		assert_non_null(strstr(err, "hard RLIMIT_NOFILE"));
		/* up to the hard limit: raised */
		assert_int_equal(
		    hx_raise_files((int)lim.rlim_max, err, sizeof(err)), 0);
		assert_int_equal(getrlimit(RLIMIT_NOFILE, &now), 0);
		assert_true(now.rlim_cur == lim.rlim_max);
		assert_int_equal(setrlimit(RLIMIT_NOFILE, &lim), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_crowd_grows_and_echoes),
	    cmocka_unit_test(test_crowd_refused_names_the_connection),
	    cmocka_unit_test(test_crowd_silent_server_times_out),
	    cmocka_unit_test(test_crowd_wrong_echo_is_named),
	    cmocka_unit_test(test_crowd_closed_connection_fails),
	    cmocka_unit_test(test_raise_files_within_and_past_the_hard_limit),
	};

	unit_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
