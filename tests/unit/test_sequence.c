/* test_sequence.c - the exchange drawn: lanes, arrows, and every byte of
 * a submission escaped on its way into the page. */
#include "unit.h"

/* The events of a short exchange with a server, as a check records
 * them; the server's reply is markup and terminal escapes. */
static void record_exchange(struct hx_check *c)
{
	static const char reply[] = "<script>alert(1)</script>\x1b[2J&\n";

	hx_recordf(c, 0, "started server (pid 2)");
	hx_recordf(c, 0, "server is ready on port 9000");
	hx_recordf(c, 1, "connected to 127.0.0.1 port 9000");
	hx_record(c, 1, '>', "hi\n", 3);
	hx_record(c, 1, '<', reply, sizeof(reply) - 1);
	hx_recordf(c, 1, "reset (SO_LINGER 0, close)");
}

/* Draws c's events into svg; the number drawn. */
static int draw(struct hx_check *c, struct hx_buf *svg)
{
	struct hx_buf events;
	int drawn;

	hx_buf_init(&events);
	hx_events_put(c, &events);
	drawn = sl_sequence_svg(svg, &events);
	hx_buf_free(&events);
	return drawn;
}

/* A program's bytes are text in the picture, never markup: a <script>
 * in a reply would otherwise run in the page of whoever opens it. */
static void test_sequence_escapes_the_bytes(void **state)
{
	struct hx_buf svg;
	struct hx_check c;

	(void)state;
	hx_check_init(&c, "drawn", UNIT_SEED);
	record_exchange(&c);
	hx_buf_init(&svg);
	assert_int_equal(draw(&c, &svg), 6);
	assert_null(strstr(svg.data, "<script"));
	assert_null(strstr(svg.data, "\x1b"));
	assert_non_null(
	    strstr(svg.data, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(svg.data, "\\x1b[2J&amp;\\n"));
	hx_buf_free(&svg);
	hx_check_free(&c);
}

/* The program has its lane under its own name, the peer one of its own,
 * and the reset is drawn as one. */
static void test_sequence_lanes_and_reset(void **state)
{
	struct hx_buf svg;
	struct hx_check c;

	(void)state;
	hx_check_init(&c, "drawn", UNIT_SEED);
	record_exchange(&c);
	hx_buf_init(&svg);
	draw(&c, &svg);
	assert_non_null(strstr(svg.data, ">server</text>"));
	assert_non_null(strstr(svg.data, ">harness peer 1</text>"));
	assert_null(strstr(svg.data, "harness peer 2"));
	assert_non_null(strstr(svg.data, "<g class=\"rst\">"));
	assert_non_null(strstr(svg.data, "resets (RST)"));
	hx_buf_free(&svg);
	hx_check_free(&c);
}

/* Connections one after another share a lane; at once, they do not. */
static void test_sequence_lanes_are_reused(void **state)
{
	struct hx_buf svg;
	struct hx_check c;

	(void)state;
	hx_check_init(&c, "drawn", UNIT_SEED);
	hx_recordf(&c, 0, "started server (pid 2)");
	for (int conn = 1; conn <= 5; conn++)
		hx_record(&c, conn, '<', "x", 1);
	hx_record(&c, 6, '<', "y", 1);
	hx_record(&c, 7, '<', "z", 1);
	hx_record(&c, 6, '<', "y", 1);
	hx_buf_init(&svg);
	draw(&c, &svg);
	assert_non_null(strstr(svg.data, "harness peer 2"));
	assert_null(strstr(svg.data, "harness peer 3"));
	hx_buf_free(&svg);
	hx_check_free(&c);
}

/* No events: nothing drawn; bytes that are not events: an error. */
static void test_sequence_nothing_or_garbage(void **state)
{
	struct hx_buf svg, junk;

	(void)state;
	hx_buf_init(&svg);
	hx_buf_init(&junk);
	assert_int_equal(sl_sequence_svg(&svg, &junk), 0);
	hx_buf_add(&junk, "not events at all", 17);
	assert_int_equal(sl_sequence_svg(&svg, &junk), -1);
	assert_int_equal(svg.len, 0);
	hx_buf_free(&svg);
	hx_buf_free(&junk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sequence_escapes_the_bytes),
	    cmocka_unit_test(test_sequence_lanes_and_reset),
	    cmocka_unit_test(test_sequence_lanes_are_reused),
	    cmocka_unit_test(test_sequence_nothing_or_garbage),
	};

	unit_init();
	return cmocka_run_group_tests_name("sl_sequence", tests, NULL, NULL);
}
