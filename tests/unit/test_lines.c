/* test_lines.c - a client of a line echo protocol over loopback: lines
 * back, an echo, silence. The "server" is the accepted end of a pair,
 * written to or closed by the test before the call under test waits. */
#include "unit.h"

#include "../../harness/hx_load.h"

struct pair {
	struct hx_conn listener; /* the server's listening socket */
	struct hx_conn client;	 /* the client, whose calls are tested */
	struct hx_conn server;	 /* the accepted end, played by the test */
};

static void pair_open(struct hx_check *c, struct pair *p)
{
	int port = hx_free_port();

	assert_true(port > 0);
	assert_int_equal(hx_tcp_listen(c, &p->listener, "127.0.0.1", port), 0);
	assert_int_equal(hx_tcp_connect(c, &p->client, "127.0.0.1", port, 2000),
			 0);
	assert_int_equal(hx_tcp_accept(c, &p->listener, &p->server, 2000), 0);
}

static void pair_close(struct hx_check *c, struct pair *p)
{
	struct hx_conn all[] = {p->client, p->server, p->listener};

	hx_close_all(c, all, 3);
	assert_int_equal(all[0].fd, -1);
	assert_int_equal(all[2].fd, -1);
}

/* The process a silence waits on: it runs and does nothing. */
static struct hx_proc *start_idle_server(struct hx_check *c)
{
	const char *args[] = {"-c", "exec sleep 1000", NULL};

	return hx_start_labelled(c, "server", "/bin/sh", args);
}

static const struct hx_silence silence = {
    .idle_ms = 2000, .listen_ms = 50, .rule = "it must wait"};

static void test_lines_echo_passes_and_sends_the_lines(void **state)
{
	struct unit_fixture *f = *state;
	struct pair p;

	pair_open(&f->c, &p);
	assert_int_equal(hx_send_str(&f->c, &p.server, "a\nbb\n", NULL), 0);
	assert_int_equal(hx_expect_echo_str(&f->c, &p.client, "a\nbb\n", 2000,
					    hx_client_name(1)),
			 0);
	assert_int_equal(f->c.status, HX_PASS);
	assert_int_equal(hx_recv_all(&f->c, &p.server, 5, 2000), 0);
	assert_int_equal(p.server.in.len, 5);
	assert_memory_equal(p.server.in.data, "a\nbb\n", 5);
	pair_close(&f->c, &p);
}

static void test_lines_wrong_line_fails_with_values(void **state)
{
	struct unit_fixture *f = *state;
	struct pair p;

	pair_open(&f->c, &p);
	assert_int_equal(hx_send_str(&f->c, &p.server, "a\nXb\n", NULL), 0);
	assert_int_equal(hx_expect_lines(&f->c, &p.client, "a\nbb\n", 5, 2000,
					 hx_client_name(2)),
			 -1);
	assert_int_equal(f->c.status, HX_FAIL);
	assert_true(unit_message_has(&f->c, "what client 2 got back"));
	assert_memory_equal(f->c.expected.data, "a\nbb\n", 5);
	assert_memory_equal(f->c.actual.data, "a\nXb\n", 5);
	pair_close(&f->c, &p);
}

static void test_lines_missing_line_fails_with_a_count(void **state)
{
	struct unit_fixture *f = *state;
	struct pair p;

	pair_open(&f->c, &p);
	assert_int_equal(hx_send_str(&f->c, &p.server, "a\n", NULL), 0);
	hx_close(&f->c, &p.server);
	assert_int_equal(
	    hx_expect_lines(&f->c, &p.client, "a\nb\n", 4, 2000, "the client"),
	    -1);
	assert_int_not_equal(f->c.status, HX_PASS);
	assert_non_null(strstr(f->c.notes.data,
			       "the client was waiting for 2 line(s) back, "
			       "got 1"));
	pair_close(&f->c, &p);
}

static void test_lines_silence_passes_when_nothing_comes(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *server = start_idle_server(&f->c);
	struct pair p;

	assert_non_null(server);
	pair_open(&f->c, &p);
	assert_int_equal(hx_expect_silence(&f->c, server, &p.client, &silence,
					   "client 3", "while it waits"),
			 0);
	assert_int_equal(f->c.status, HX_PASS);
	pair_close(&f->c, &p);
}

static void test_lines_silence_fails_on_an_answer(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *server = start_idle_server(&f->c);
	struct pair p;

	assert_non_null(server);
	pair_open(&f->c, &p);
	assert_int_equal(hx_send_str(&f->c, &p.server, "early\n", NULL), 0);
	assert_int_equal(hx_expect_silence(&f->c, server, &p.client, &silence,
					   "client 3", "while it waits"),
			 -1);
	assert_int_equal(f->c.status, HX_FAIL);
	assert_true(unit_message_has(&f->c, "client 3 got an answer while it "
					    "waits"));
	assert_memory_equal(f->c.actual.data, "early\n", 6);
	pair_close(&f->c, &p);
}

static void test_lines_silence_fails_on_a_close_with_the_rule(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *server = start_idle_server(&f->c);
	struct pair p;

	assert_non_null(server);
	pair_open(&f->c, &p);
	hx_close(&f->c, &p.server);
	assert_int_equal(hx_expect_silence(&f->c, server, &p.client, &silence,
					   "client 4", "while it waits"),
			 -1);
	assert_int_equal(f->c.status, HX_FAIL);
	assert_true(unit_message_has(&f->c, "client 4 was closed while it "
					    "waits: it must wait"));
	pair_close(&f->c, &p);
}

static void test_lines_client_names_stay_apart(void **state)
{
	const char *one = hx_client_name(1);
	const char *two = hx_client_name(2);

	(void)state;
	assert_string_equal(one, "client 1");
	assert_string_equal(two, "client 2");
	assert_string_equal(hx_client_name(HX_CLIENT_NAMES + 5), "client 69");
	assert_string_equal(one, "client 1");
}

static void test_lines_long_line_numbers_its_bytes(void **state)
{
	struct hx_buf line;

	(void)state;
	hx_buf_init(&line);
	hx_buf_add(&line, "old", 3);
	hx_long_line(&line, 40);
	assert_int_equal(line.len, 40);
	assert_memory_equal(line.data,
			    "0123456789abcdefghijklmnopqrstuvwxyz012", 39);
	assert_int_equal(line.data[39], '\n');
	hx_buf_free(&line);
}

/* Against the harness's plain echo: the visits a plain echo satisfies
 * pass; the line too long fails, since it echoes where the rules want
 * an error line. */
static void test_lines_visits_against_a_plain_echo(void **state)
{
	static const struct hx_echo_rules rules = {
	    .line_max = 16, .too_long_reply = "error: line too long\n"};
	struct unit_fixture *f = *state;
	struct hx_proc *server = start_idle_server(&f->c);
	struct hx_echo_server echo;
	char err[256];

	assert_non_null(server);
	assert_int_equal(
	    hx_echo_start(&echo, "127.0.0.1", hx_free_port(), err, sizeof(err)),
	    0);
	for (int kind = 0; kind < 5; kind++)
		if (kind != 2)
			assert_int_equal(hx_echo_visit(&f->c, server, echo.port,
						       kind, &rules, 2000),
					 0);
	assert_int_equal(f->c.status, HX_PASS);
	assert_int_equal(hx_echo_visit(&f->c, server, echo.port,
				       2 + HX_VISIT_KINDS, &rules, 2000),
			 -1);
	assert_true(unit_message_has(&f->c, "a client with a line too long"));
	hx_echo_stop(&echo);
}

#define LINES_TEST(name)                                                       \
	cmocka_unit_test_setup_teardown(name, unit_fixture_setup,              \
					unit_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    LINES_TEST(test_lines_echo_passes_and_sends_the_lines),
	    LINES_TEST(test_lines_wrong_line_fails_with_values),
	    LINES_TEST(test_lines_missing_line_fails_with_a_count),
	    LINES_TEST(test_lines_silence_passes_when_nothing_comes),
	    LINES_TEST(test_lines_silence_fails_on_an_answer),
	    LINES_TEST(test_lines_silence_fails_on_a_close_with_the_rule),
	    LINES_TEST(test_lines_client_names_stay_apart),
	    LINES_TEST(test_lines_long_line_numbers_its_bytes),
	    LINES_TEST(test_lines_visits_against_a_plain_echo),
	};

	unit_init();
	return cmocka_run_group_tests_name("hx_lines", tests, NULL, NULL);
}
