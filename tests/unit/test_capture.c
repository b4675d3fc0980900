/* test_capture.c - the packets of a check, and its events, as they come
 * back from its sandbox.
 *
 * A capture runs inside a sandbox (its own network namespace), so its
 * bodies run in a forked copy of this program and never call cmocka: the
 * capture and the verdict come back over the pipe, and the test asserts
 * on them in the parent.
 */
#include "unit.h"

/* The cap of the capture a body makes: 0 for HX_CAPTURE_MAX. */
static size_t body_cap;

/* One TCP connection over loopback, the harness on both ends, with a
 * capture around it. */
static void body_capture_loopback(int fd, void *p)
{
	struct hx_conn listener, client, server;
	struct hx_capture cap;
	struct hx_check c;

	(void)p;
	hx_check_init(&c, "captured", UNIT_SEED);
	c.isolated = 1;
	hx_capture_init(&cap);
	if (hx_capture_start(&cap, 1, body_cap ? body_cap : HX_CAPTURE_MAX) < 0)
		hx_fail(&c, HX_ERROR, "%s", cap.note.data);
	if (hx_tcp_listen(&c, &listener, "127.0.0.1", hx_port(&c, 0)) == 0 &&
	    hx_tcp_connect(&c, &client, "127.0.0.1", hx_port(&c, 0), 2000) ==
		0 &&
	    hx_tcp_accept(&c, &listener, &server, 2000) == 0 &&
	    hx_send_str(&c, &client, "over lo\n", NULL) == 0)
		hx_recv_until(&c, &server, "\n", 2000);
	hx_close(&c, &client);
	hx_close(&c, &server);
	hx_close(&c, &listener);
	hx_capture_stop(&cap);
	hx_capture_send(fd, &cap);
	hx_events_send(fd, &c);
	hx_verdict_send(fd, &c);
	hx_capture_free(&cap);
	hx_check_free(&c);
}

/* Runs body in a sandbox and collects its verdict. */
static void run_captured(void (*body)(int, void *), struct hx_verdict *v)
{
	struct hx_sandbox_spec spec;
	struct hx_sandbox sb;
	int64_t give_up = hx_now_ms() + unit_scaled(10000);
	char err[256] = "";

	if (!hx_sandbox_probe())
		skip();
	hx_sandbox_spec_init(&spec, 1, 5000, body, NULL);
	if (hx_sandbox_start(&sb, &spec, err, sizeof(err)) < 0)
		fail_msg("hx_sandbox_start: %s", err);
	while (!hx_sandbox_collect(&sb, v)) {
		struct pollfd pfd = {.fd = sb.verdict_fd, .events = POLLIN};

		if (hx_now_ms() >= give_up) {
			hx_sandbox_kill(&sb);
			fail_msg("the sandbox did not end");
		}
		poll(&pfd, 1, 100);
	}
}

/* TCP packets of a pcap file with SYN set: with ACK in *synacks, without
 * in *syns. */
static void count_syns(const struct hx_buf *file, int *syns, int *synacks)
{
	const unsigned char *p = (const unsigned char *)file->data;
	size_t at = 24;

	*syns = *synacks = 0;
	while (at + 16 <= file->len) {
		uint32_t kept;
		const unsigned char *frame;

		memcpy(&kept, p + at + 8, sizeof(kept));
		frame = p + at + 16;
		at += 16 + kept;
		/* Ethernet, IPv4, TCP: the flags after a header of ihl words */
		if (kept < 14 + 20 + 20 || frame[12] != 0x08 ||
		    frame[13] != 0 || frame[14 + 9] != 6)
			continue;
		{
			const unsigned char *tcp =
			    frame + 14 + (frame[14] & 15) * 4;

			if (tcp[13] & 0x02)
				(tcp[13] & 0x10 ? (*synacks)++ : (*syns)++);
		}
	}
}

/* Each packet is kept once, where it arrives: loopback shows it leaving
 * and arriving, and a capture of both would show every packet twice. */
static void test_capture_keeps_each_packet_once(void **state)
{
	struct hx_verdict v;
	int syns, synacks;

	(void)state;
	body_cap = 0;
	run_captured(body_capture_loopback, &v);
	assert_int_equal(v.status, HX_PASS);
	assert_true(hx_capture_count(v.capture.data, v.capture.len) >= 6);
	count_syns(&v.capture, &syns, &synacks);
	assert_int_equal(syns, 1);
	assert_int_equal(synacks, 1);
	assert_int_equal(v.capture_note.len, 0);
	hx_verdict_free(&v);
}

/* A full capture keeps whole packets only, and says it was cut. */
static void test_capture_cap_is_said(void **state)
{
	struct hx_verdict v;

	(void)state;
	/* the file's header, and room for one SYN (16 + 74 bytes) */
	body_cap = 24 + 100;
	run_captured(body_capture_loopback, &v);
	assert_int_equal(hx_capture_count(v.capture.data, v.capture.len), 1);
	assert_non_null(strstr(v.capture_note.data, "cut at its cap"));
	hx_verdict_free(&v);
}

/* The events come back in the same frames: times, connections, bytes. */
static void test_capture_events_come_back(void **state)
{
	struct hx_event_view e;
	struct hx_verdict v;
	size_t at = 0;
	int sent = 0, received = 0;

	(void)state;
	body_cap = 0;
	run_captured(body_capture_loopback, &v);
	while (hx_events_next(&v.events, &at, &e) == 1) {
		if (e.dir == '>' && e.kept == 8 &&
		    memcmp(e.bytes, "over lo\n", 8) == 0)
			sent++;
		received += e.dir == '<';
	}
	assert_int_equal(at, v.events.len);
	assert_int_equal(sent, 1);
	assert_int_equal(received, 1);
	hx_verdict_free(&v);
}

/* Without a network namespace the machine's traffic would be captured:
 * nothing is, and the note says why. */
static void test_capture_degraded_says_why(void **state)
{
	struct hx_capture cap;

	(void)state;
	hx_capture_init(&cap);
	assert_int_equal(hx_capture_start(&cap, 0, HX_CAPTURE_MAX), -1);
	assert_int_equal(cap.fd, -1);
	assert_non_null(strstr(cap.note.data, "no network namespace"));
	hx_capture_free(&cap);
}

/* Bytes that are not a pcap file, or one cut short, are not counted. */
static void test_capture_count_rejects_garbage(void **state)
{
	static const char junk[40] = "not a capture at all";

	(void)state;
	assert_int_equal(hx_capture_count(junk, sizeof(junk)), -1);
	assert_int_equal(hx_capture_count(junk, 3), -1);
}

/* An event longer than HX_EVENT_BYTES keeps both ends and its length. */
static void test_events_long_event_keeps_both_ends(void **state)
{
	struct hx_event_view e;
	struct hx_buf frame;
	struct hx_check c;
	char big[2000];
	size_t at = 0;

	(void)state;
	memset(big, 'm', sizeof(big));
	memcpy(big, "HEAD", 4);
	memcpy(big + sizeof(big) - 4, "TAIL", 4);
	hx_check_init(&c, "events", UNIT_SEED);
	hx_record(&c, 3, '<', big, sizeof(big));
	hx_recordf(&c, 0, "started server (pid 2)");
	hx_buf_init(&frame);
	hx_events_put(&c, &frame);
	assert_int_equal(hx_events_next(&frame, &at, &e), 1);
	assert_int_equal(e.dir, '<');
	assert_int_equal(e.conn, 3);
	assert_int_equal(e.length, sizeof(big));
	assert_int_equal(e.kept, HX_EVENT_BYTES);
	assert_memory_equal(e.bytes, "HEAD", 4);
	assert_memory_equal(e.bytes + e.kept - 4, "TAIL", 4);
	assert_int_equal(hx_events_next(&frame, &at, &e), 1);
	assert_int_equal(e.dir, '*');
	assert_int_equal(e.conn, 0);
	assert_int_equal(hx_events_next(&frame, &at, &e), 0);
	hx_buf_free(&frame);
	hx_check_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_capture_keeps_each_packet_once),
	    cmocka_unit_test(test_capture_cap_is_said),
	    cmocka_unit_test(test_capture_events_come_back),
	    cmocka_unit_test(test_capture_degraded_says_why),
	    cmocka_unit_test(test_capture_count_rejects_garbage),
	    cmocka_unit_test(test_events_long_event_keeps_both_ends),
	};

	unit_init();
	return cmocka_run_group_tests_name("hx_capture", tests, NULL, NULL);
}
