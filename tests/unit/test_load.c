/* test_load.c - the load generator against the plain echo server and
 * against servers that get it wrong: every answer is checked, failures
 * are counted and named, and nothing waits past its deadline. */
#include "unit.h"

#include <pthread.h>

#include "../../harness/hx_load.h"

/* A plan for the echo server s: two clients, short lines, 200 ms. */
static struct hx_load_plan echo_plan(int port)
{
	struct hx_load_plan plan = {
	    .host = "127.0.0.1",
	    .port = port,
	    .clients = 2,
	    .lines_per_connection = 3,
	    .line_bytes = 40,
	    .pause_us = 0,
	    .duration_ms = 200,
	    .timeout_ms = 1000,
	};

	return plan;
}

static void test_load_echo_server_answers_every_line(void **state)
{
	struct hx_echo_server s;
	struct hx_load_result r;
	struct hx_load_plan plan;
	char err[256];

	(void)state;
	assert_int_equal(hx_echo_start(&s, "127.0.0.1", 0, err, sizeof(err)),
			 0);
	plan = echo_plan(s.port);
	assert_int_equal(hx_load_run(&plan, &r), 0);
	hx_echo_stop(&s);
	assert_int_equal(r.failures, 0);
	assert_true(r.answers > 0);
	assert_true(r.connections * 3 <= r.answers);
	assert_true(r.elapsed_ms >= 200);
	assert_true(hx_load_rate(&r) > 0);
}

/* Long lines and a think time: still exact, and the pause is kept. */
static void test_load_long_lines_with_pauses(void **state)
{
	struct hx_echo_server s;
	struct hx_load_result r;
	struct hx_load_plan plan;
	char err[256];

	(void)state;
	assert_int_equal(hx_echo_start(&s, "127.0.0.1", 0, err, sizeof(err)),
			 0);
	plan = echo_plan(s.port);
	plan.line_bytes = HX_LOAD_MAX_LINE;
	plan.pause_us = 10000;
	plan.clients = 1;
	assert_int_equal(hx_load_run(&plan, &r), 0);
	hx_echo_stop(&s);
	assert_int_equal(r.failures, 0);
	/* 10 ms per line: about 20 in 200 ms, never 100 */
	assert_true(r.answers > 0 && r.answers <= 21);
}

/* A server that answers each line with something else. */
static void *wrong_server(void *arg)
{
	int listen_fd = *(int *)arg;
	int fd = accept(listen_fd, NULL, NULL);
	char buf[64];

	if (fd >= 0 && recv(fd, buf, sizeof(buf), 0) > 0) {
		memset(buf, 'z', 40);
		(void)!send(fd, buf, 40, MSG_NOSIGNAL);
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* A listening socket on a free loopback port; its port in *port. */
static int listen_any(int *port)
{
	struct sockaddr_in addr = {.sin_family = AF_INET};
	socklen_t len = sizeof(addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(fd, 16) < 0 ||
	    getsockname(fd, (struct sockaddr *)&addr, &len) < 0)
		return -1;
	*port = ntohs(addr.sin_port);
	return fd;
}

static void test_load_counts_a_wrong_answer(void **state)
{
	struct hx_load_result r;
	struct hx_load_plan plan;
	pthread_t thread;
	int port, fd = listen_any(&port);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(pthread_create(&thread, NULL, wrong_server, &fd), 0);
	plan = echo_plan(port);
	plan.clients = 1;
	plan.duration_ms = 100;
	assert_int_equal(hx_load_run(&plan, &r), 0);
	pthread_join(thread, NULL);
	close(fd);
	assert_true(r.failures >= 1);
	assert_int_equal(r.answers, 0);
	assert_non_null(strstr(r.error, "came back as"));
}

/* A server that accepts and never answers: the timeout ends each wait. */
static void test_load_silent_server_times_out(void **state)
{
	struct hx_load_result r;
	struct hx_load_plan plan;
	int port, fd = listen_any(&port);
	int64_t start = hx_now_ms();

	(void)state;
	assert_true(fd >= 0);
	plan = echo_plan(port);
	plan.clients = 1;
	plan.duration_ms = 50;
	plan.timeout_ms = 300;
	assert_int_equal(hx_load_run(&plan, &r), 0);
	close(fd);
	assert_true(r.failures >= 1);
	assert_non_null(strstr(r.error, "no answer within"));
	assert_true(hx_now_ms() - start < unit_scaled(3000));
}

static void test_load_refused_is_a_failure(void **state)
{
	struct hx_load_result r;
	struct hx_load_plan plan;
	int port, fd = listen_any(&port);

	(void)state;
	close(fd); /* nothing listens there now */
	plan = echo_plan(port);
	plan.duration_ms = 50;
	assert_int_equal(hx_load_run(&plan, &r), 0);
	assert_true(r.failures >= 1);
	assert_int_equal(r.answers, 0);
	assert_non_null(strstr(r.error, "connect"));
}

/* Request mode: one request per connection, the answer read to EOF. */
static void *request_server(void *arg)
{
	int listen_fd = *(int *)arg;

	for (int i = 0; i < 3; i++) {
		int fd = accept(listen_fd, NULL, NULL);
		char buf[256];

		if (fd < 0)
			break;
		if (recv(fd, buf, sizeof(buf), 0) > 0)
			(void)!send(fd, "HTTP/1.0 200 OK\r\n\r\nhi\n", 22,
				    MSG_NOSIGNAL);
		close(fd);
	}
	return NULL;
}

static void test_load_request_mode_reads_to_close(void **state)
{
	struct hx_load_result r;
	struct hx_load_plan plan;
	pthread_t thread;
	int port, fd = listen_any(&port);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(pthread_create(&thread, NULL, request_server, &fd), 0);
	plan = echo_plan(port);
	plan.clients = 1;
	plan.request = "GET / HTTP/1.0\r\n\r\n";
	plan.duration_ms = 100;
	plan.timeout_ms = 300;
	assert_int_equal(hx_load_run(&plan, &r), 0);
	/* the server stops after three: later connections are refused or
	 * left waiting in the backlog until their timeout */
	shutdown(fd, SHUT_RDWR);
	pthread_join(thread, NULL);
	close(fd);
	assert_int_equal(r.answers, 3);
	assert_int_equal(r.connections, 3);
}

static void test_load_rejects_a_bad_plan(void **state)
{
	struct hx_load_result r;
	struct hx_load_plan plan = echo_plan(9);

	(void)state;
	plan.clients = 0;
	assert_int_equal(hx_load_run(&plan, &r), -1);
	assert_non_null(strstr(r.error, "clients"));
	plan = echo_plan(9);
	plan.line_bytes = 8;
	assert_int_equal(hx_load_run(&plan, &r), -1);
	assert_non_null(strstr(r.error, "line"));
}

/* Stopping the echo server ends connections still open. */
static void test_echo_stop_ends_open_connections(void **state)
{
	struct hx_echo_server s;
	struct sockaddr_in addr = {.sin_family = AF_INET};
	char err[256], buf[8];
	int fd;

	(void)state;
	assert_int_equal(hx_echo_start(&s, "127.0.0.1", 0, err, sizeof(err)),
			 0);
	addr.sin_port = htons((uint16_t)s.port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&addr, sizeof(addr)),
			 0);
	assert_int_equal(send(fd, "hi\n", 3, 0), 3);
	assert_int_equal(recv(fd, buf, sizeof(buf), 0), 3);
	hx_echo_stop(&s);
	assert_int_equal(recv(fd, buf, sizeof(buf), 0), 0);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_load_echo_server_answers_every_line),
	    cmocka_unit_test(test_load_long_lines_with_pauses),
	    cmocka_unit_test(test_load_counts_a_wrong_answer),
	    cmocka_unit_test(test_load_silent_server_times_out),
	    cmocka_unit_test(test_load_refused_is_a_failure),
	    cmocka_unit_test(test_load_request_mode_reads_to_close),
	    cmocka_unit_test(test_load_rejects_a_bad_plan),
	    cmocka_unit_test(test_echo_stop_ends_open_connections),
	};

	unit_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
