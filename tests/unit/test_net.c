/* test_net.c - peers over loopback: TCP, UDP, fault plans, readiness.
 *
 * These tests run in the machine's own network namespace, so every port
 * is one the kernel just reported free, never a fixed number.
 */
#include "unit.h"

#include <arpa/inet.h>

/* A connected pair on loopback: the harness as client and as server. */
struct pair {
	struct hx_conn listener; /* the server peer's listening socket */
	struct hx_conn client;	 /* the client peer */
	struct hx_conn server;	 /* the accepted end */
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
	hx_close(c, &p->client);
	hx_close(c, &p->server);
	hx_close(c, &p->listener);
}

/* A socket of type bound (and listening when listen_too) on loopback
 * port, made without the harness: the "server" a readiness test waits
 * for. */
static int plain_socket(int family, int type, int port, int listen_too)
{
	struct sockaddr_storage addr;
	socklen_t len;
	int fd = socket(family, type | SOCK_CLOEXEC, 0);

	memset(&addr, 0, sizeof(addr));
	if (family == AF_INET) {
		struct sockaddr_in *v4 = (struct sockaddr_in *)&addr;

		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		v4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*v4);
	} else {
		struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&addr;

		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		v6->sin6_addr = in6addr_loopback;
		len = sizeof(*v6);
	}
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&addr, len) < 0 ||
	    (listen_too && listen(fd, 8) < 0)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The process a readiness wait watches: it runs and does nothing. */
static struct hx_proc *start_idle_server(struct hx_check *c)
{
	const char *args[] = {"-c", "exec sleep 1000", NULL};

	return hx_start_labelled(c, "server", "/bin/sh", args);
}

static void test_net_connect_accept_round_trip(void **state)
{
	struct unit_fixture *f = *state;
	struct pair p;

	pair_open(&f->c, &p);
	assert_int_equal(hx_send_str(&f->c, &p.client, "ping\n", NULL), 0);
	assert_int_equal(hx_recv_until(&f->c, &p.server, "\n", 2000), 5);
	assert_string_equal(p.server.in.data, "ping\n");
	assert_int_equal(hx_send_str(&f->c, &p.server, "pong\n", NULL), 0);
	assert_int_equal(hx_recv_until(&f->c, &p.client, "\n", 2000), 5);
	assert_string_equal(p.client.in.data, "pong\n");
	assert_true(hx_ok(&f->c));
	assert_int_not_equal(p.client.id, p.server.id);
	pair_close(&f->c, &p);
}

/* An IPv6 address the machine does not have (a container has no ::1):
 * the check is skipped with the reason, never an error or a pass; an
 * IPv4 address it does not have is the harness's error. */
static void test_net_listen_on_missing_ipv6_skips(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_conn listener;
	struct hx_check other;

	assert_int_equal(hx_tcp_listen(&f->c, &listener, "fd00:5ee::99", 4000),
			 -1);
	assert_int_equal(f->c.status, HX_SKIPPED);
	assert_non_null(strstr(f->c.message.data, "fd00:5ee::99"));
	hx_check_init(&other, "other", UNIT_SEED);
	assert_int_equal(hx_udp_open(&other, &listener, "192.0.2.99", 4000),
			 -1);
	assert_int_equal(other.status, HX_ERROR);
	hx_check_free_verdict(&other);
}

/* Everything a peer does is in the transcript, by connection. */
static void test_net_transcript_records_both_directions(void **state)
{
	struct unit_fixture *f = *state;
	struct pair p;

	pair_open(&f->c, &p);
	hx_send_str(&f->c, &p.client, "abc", NULL);
	hx_recv_until(&f->c, &p.server, "c", 2000);
	assert_int_equal(unit_count_events(&f->c, p.client.id, '>'), 1);
	assert_true(unit_count_events(&f->c, p.server.id, '<') >= 1);
	assert_int_equal(unit_count_events(&f->c, p.client.id, '*'), 1);
	assert_int_equal(unit_count_events(&f->c, p.server.id, '*'), 1);
	pair_close(&f->c, &p);
}

/* A program that assumes one recv gets one whole line fails against a
 * peer that sends one byte per segment; each byte is its own event. */
static void test_net_send_bytes_one_event_per_byte(void **state)
{
	struct unit_fixture *f = *state;
	const struct hx_plan bytes = {HX_BYTES, 0, 0};
	struct pair p;

	pair_open(&f->c, &p);
	assert_int_equal(hx_send_str(&f->c, &p.client, "hello", &bytes), 0);
	assert_int_equal(unit_count_events(&f->c, p.client.id, '>'), 5);
	for (int i = 0; i < f->c.nevents; i++)
		if (f->c.events[i].dir == '>')
			assert_int_equal(f->c.events[i].bytes.len, 1);
	assert_int_equal(hx_recv_until(&f->c, &p.server, "o", 2000), 5);
	assert_string_equal(p.server.in.data, "hello");
	pair_close(&f->c, &p);
}

static void test_net_send_whole_one_event(void **state)
{
	struct unit_fixture *f = *state;
	struct pair p;

	pair_open(&f->c, &p);
	assert_int_equal(hx_send_str(&f->c, &p.client, "hello", NULL), 0);
	assert_int_equal(unit_count_events(&f->c, p.client.id, '>'), 1);
	pair_close(&f->c, &p);
}

/* Sends 200 bytes with HX_RANDOM under seed and writes the size of each
 * piece sent into sizes; returns how many pieces there were. */
static int random_pieces(uint64_t seed, int max_piece, int sizes[200])
{
	const struct hx_plan plan = {HX_RANDOM, max_piece, 0};
	char data[200];
	struct hx_check c;
	struct pair p;
	int n = 0;

	memset(data, 'r', sizeof(data));
	hx_check_init(&c, "random", seed);
	pair_open(&c, &p);
	assert_int_equal(hx_send(&c, &p.client, data, sizeof(data), &plan), 0);
	for (int i = 0; i < c.nevents; i++)
		if (c.events[i].dir == '>')
			sizes[n++] = (int)c.events[i].bytes.len;
	assert_int_equal(hx_recv_all(&c, &p.server, sizeof(data), 2000), 0);
	assert_int_equal(p.server.in.len, sizeof(data));
	pair_close(&c, &p);
	hx_check_free(&c);
	return n;
}

/* The cut of a failing run must come back when the run is repeated with
 * its seed, and stay within 1..max_piece. */
static void test_net_send_random_pieces_follow_seed(void **state)
{
	int a[200], b[200], other[200];
	int na = random_pieces(11, 7, a);
	int nb = random_pieces(11, 7, b);
	int nother = random_pieces(12, 7, other);
	int total = 0;

	(void)state;
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, (size_t)na * sizeof(a[0]));
	assert_true(na != nother ||
		    memcmp(a, other, (size_t)na * sizeof(a[0])) != 0);
	for (int i = 0; i < na; i++) {
		assert_in_range(a[i], 1, 7);
		total += a[i];
	}
	assert_int_equal(total, 200);
}

static void test_net_send_random_respects_max_piece(void **state)
{
	int sizes[200];
	int n = random_pieces(5, 2, sizes);

	(void)state;
	assert_int_equal(n >= 100, 1);
	for (int i = 0; i < n; i++)
		assert_in_range(sizes[i], 1, 2);
}

/* The length covers the delimiter, so hx_consume(n) removes exactly one
 * line and leaves what came after it. */
static void test_net_recv_until_returns_length_through_delimiter(void **state)
{
	struct unit_fixture *f = *state;
	struct pair p;
	long n;

	pair_open(&f->c, &p);
	hx_send_str(&f->c, &p.client, "abc\r\nrest\r\n", NULL);
	n = hx_recv_until(&f->c, &p.server, "\r\n", 2000);
	assert_int_equal(n, 5);
	assert_memory_equal(p.server.in.data, "abc\r\n", 5);
	hx_consume(&p.server, (size_t)n);
	assert_int_equal(hx_recv_until(&f->c, &p.server, "\r\n", 2000), 6);
	assert_string_equal(p.server.in.data, "rest\r\n");
	pair_close(&f->c, &p);
}

static void test_net_recv_until_fails_on_eof(void **state)
{
	struct unit_fixture *f = *state;
	struct pair p;

	pair_open(&f->c, &p);
	hx_send_str(&f->c, &p.server, "partial", NULL);
	hx_close(&f->c, &p.server);
	assert_int_equal(hx_recv_until(&f->c, &p.client, "\n", 2000), -1);
	assert_int_equal(f->c.status, HX_FAIL);
	assert_true(unit_message_has(&f->c, "was closed after 7 bytes"));
	assert_string_equal(f->c.actual.data, "partial");
	assert_true(p.client.eof);
	pair_close(&f->c, &p);
}

static void test_net_recv_until_times_out(void **state)
{
	struct unit_fixture *f = *state;
	int64_t start;
	struct pair p;

	pair_open(&f->c, &p);
	hx_send_str(&f->c, &p.server, "no newline", NULL);
	start = hx_now_ms();
	assert_int_equal(hx_recv_until(&f->c, &p.client, "\n", 200), -1);
	assert_in_range(hx_now_ms() - start, 200, unit_scaled(3000));
	assert_int_equal(f->c.status, HX_TIMEOUT);
	assert_string_equal(f->c.actual.data, "no newline");
	pair_close(&f->c, &p);
}

/* A timeout after an earlier failure must not overwrite the check's
 * actual value: the report would pair the first failure's message and
 * expected value with bytes from a later, unrelated wait. */
static void test_net_recv_until_timeout_keeps_first_failure_values(void **state)
{
	struct unit_fixture *f = *state;
	struct pair p;

	pair_open(&f->c, &p);
	hx_expect_str(&f->c, "greeting", "hello\n", "help\n");
	hx_send_str(&f->c, &p.server, "later bytes", NULL);
	assert_int_equal(hx_recv_until(&f->c, &p.client, "\n", 200), -1);
	assert_true(unit_message_has(&f->c, "greeting"));
	assert_string_equal(f->c.expected.data, "hello\n");
	assert_string_equal(f->c.actual.data, "help\n");
	pair_close(&f->c, &p);
}

static void test_net_recv_all_stops_at_close(void **state)
{
	struct unit_fixture *f = *state;
	struct pair p;

	pair_open(&f->c, &p);
	hx_send_str(&f->c, &p.server, "one\ntwo\n", NULL);
	hx_close(&f->c, &p.server);
	assert_int_equal(hx_recv_all(&f->c, &p.client, 1 << 20, 2000), 0);
	assert_string_equal(p.client.in.data, "one\ntwo\n");
	assert_true(p.client.eof);
	assert_false(p.client.reset);
	pair_close(&f->c, &p);
}

static void test_net_recv_all_stops_at_max(void **state)
{
	struct unit_fixture *f = *state;
	struct pair p;

	pair_open(&f->c, &p);
	hx_send_str(&f->c, &p.server, "0123456789abcdef", NULL);
	assert_int_equal(hx_recv_all(&f->c, &p.client, 10, 2000), 0);
	assert_true(p.client.in.len >= 10);
	assert_false(p.client.eof);
	assert_true(hx_ok(&f->c));
	pair_close(&f->c, &p);
}

static void test_net_recv_all_times_out_while_open(void **state)
{
	struct unit_fixture *f = *state;
	struct pair p;

	pair_open(&f->c, &p);
	hx_send_str(&f->c, &p.server, "some", NULL);
	assert_int_equal(hx_recv_all(&f->c, &p.client, 1 << 20, 200), -1);
	assert_int_equal(f->c.status, HX_TIMEOUT);
	assert_true(unit_message_has(&f->c, "received 4 bytes"));
	pair_close(&f->c, &p);
}

static void test_net_recv_for_never_fails(void **state)
{
	struct unit_fixture *f = *state;
	struct pair p;

	pair_open(&f->c, &p);
	hx_send_str(&f->c, &p.server, "x", NULL);
	hx_recv_for(&f->c, &p.client, 100);
	assert_string_equal(p.client.in.data, "x");
	assert_true(hx_ok(&f->c));
	pair_close(&f->c, &p);
}

/* Programs must cope with a peer that aborts: the other side sees
 * ECONNRESET, not an orderly end of file. */
static void test_net_reset_seen_as_connection_reset(void **state)
{
	struct unit_fixture *f = *state;
	struct pair p;

	pair_open(&f->c, &p);
	hx_reset(&f->c, &p.server);
	assert_int_equal(p.server.fd, -1);
	assert_int_equal(hx_recv_until(&f->c, &p.client, "\n", 2000), -1);
	assert_true(p.client.reset);
	assert_int_equal(f->c.status, HX_FAIL);
	assert_true(unit_message_has(&f->c, "was reset"));
	pair_close(&f->c, &p);
}

static void test_net_send_after_reset_fails(void **state)
{
	struct unit_fixture *f = *state;
	struct pair p;

	pair_open(&f->c, &p);
	hx_reset(&f->c, &p.server);
	hx_recv_for(&f->c, &p.client, 2000);
	assert_true(p.client.reset);
	assert_int_equal(hx_send_str(&f->c, &p.client, "late", NULL), -1);
	assert_int_equal(f->c.status, HX_FAIL);
	assert_true(unit_message_has(&f->c, "closed while the harness"));
	pair_close(&f->c, &p);
}

/* After a half-close the peer still reads: a server must answer a
 * request whose end it learnt from EOF. */
static void test_net_shutdown_write_keeps_reading(void **state)
{
	struct unit_fixture *f = *state;
	struct pair p;

	pair_open(&f->c, &p);
	hx_send_str(&f->c, &p.client, "request", NULL);
	assert_int_equal(hx_shutdown_write(&f->c, &p.client), 0);
	assert_int_equal(hx_recv_all(&f->c, &p.server, 1 << 20, 2000), 0);
	assert_true(p.server.eof);
	assert_string_equal(p.server.in.data, "request");
	assert_int_equal(hx_send_str(&f->c, &p.server, "answer\n", NULL), 0);
	assert_int_equal(hx_recv_until(&f->c, &p.client, "\n", 2000), 7);
	pair_close(&f->c, &p);
}

static void test_net_consume_removes_front(void **state)
{
	struct hx_conn conn;

	(void)state;
	memset(&conn, 0, sizeof(conn));
	hx_buf_init(&conn.in);
	hx_buf_add(&conn.in, "abcdef", 6);
	hx_consume(&conn, 2);
	assert_int_equal(conn.in.len, 4);
	assert_string_equal(conn.in.data, "cdef");
	hx_consume(&conn, 100);
	assert_int_equal(conn.in.len, 0);
	assert_string_equal(conn.in.data, "");
	hx_buf_free(&conn.in);
}

static void test_net_connect_refused_fails(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_conn conn;
	int port = hx_free_port();

	assert_int_equal(hx_tcp_connect(&f->c, &conn, "127.0.0.1", port, 2000),
			 -1);
	assert_int_equal(f->c.status, HX_FAIL);
	assert_true(unit_message_has(&f->c, "refused"));
	assert_int_equal(conn.fd, -1);
}

/* A typo in a check is the harness's fault, not the student's. */
static void test_net_bad_address_is_error(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_conn conn;

	assert_int_equal(hx_tcp_connect(&f->c, &conn, "localhost", 80, 100),
			 -1);
	assert_int_equal(f->c.status, HX_ERROR);
	assert_true(unit_message_has(&f->c, "bad peer address localhost"));
}

static void test_net_listen_on_taken_port_is_error(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_conn listener;
	int port = hx_free_port();
	int fd = plain_socket(AF_INET, SOCK_STREAM, port, 1);

	assert_true(fd >= 0);
	assert_int_equal(hx_tcp_listen(&f->c, &listener, "127.0.0.1", port),
			 -1);
	assert_int_equal(f->c.status, HX_ERROR);
	assert_true(unit_message_has(&f->c, "could not listen"));
	close(fd);
}

static void test_net_accept_times_out(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_conn listener, conn;
	int64_t start;

	assert_int_equal(
	    hx_tcp_listen(&f->c, &listener, "127.0.0.1", hx_free_port()), 0);
	start = hx_now_ms();
	assert_int_equal(hx_tcp_accept(&f->c, &listener, &conn, 200), -1);
	assert_in_range(hx_now_ms() - start, 200, unit_scaled(3000));
	assert_int_equal(f->c.status, HX_TIMEOUT);
	hx_close(&f->c, &listener);
}

/* A server that dies at start is reported at once with how it ended,
 * not after the whole readiness deadline. */
static void test_net_wait_ready_fails_fast_when_server_exits(void **state)
{
	struct unit_fixture *f = *state;
	const char *args[] = {"-c", "exit 3", NULL};
	struct hx_proc *server =
	    hx_start_labelled(&f->c, "server", "/bin/sh", args);
	int64_t start = hx_now_ms();

	assert_non_null(server);
	assert_int_equal(
	    hx_wait_ready(&f->c, server, HX_TCP, hx_free_port(), 10000), -1);
	assert_true(hx_now_ms() - start < unit_scaled(5000));
	assert_int_equal(f->c.status, HX_FAIL);
	assert_true(unit_message_has(&f->c, "server ended (exit status 3) "
					    "before it began to listen"));
}

static void test_net_wait_ready_crash_is_crash(void **state)
{
	struct unit_fixture *f = *state;
	const char *args[] = {"-c", "kill -SEGV $$", NULL};
	struct hx_proc *server =
	    hx_start_labelled(&f->c, "server", "/bin/sh", args);

	assert_non_null(server);
	assert_int_equal(
	    hx_wait_ready(&f->c, server, HX_TCP, hx_free_port(), 10000), -1);
	assert_int_equal(f->c.status, HX_CRASH);
	assert_true(unit_message_has(&f->c, "SIGSEGV"));
}

static void test_net_wait_ready_succeeds_when_listening(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *server = start_idle_server(&f->c);
	int port = hx_free_port();
	int fd = plain_socket(AF_INET, SOCK_STREAM, port, 1);
	int64_t start = hx_now_ms();

	assert_non_null(server);
	assert_true(fd >= 0);
	assert_int_equal(hx_wait_ready(&f->c, server, HX_TCP, port, 5000), 0);
	assert_true(hx_now_ms() - start < unit_scaled(2000));
	assert_true(hx_ok(&f->c));
	close(fd);
}

/* bind without listen is not ready: a client would be refused. */
static void test_net_wait_ready_needs_listen_for_tcp(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *server = start_idle_server(&f->c);
	int port = hx_free_port();
	int fd = plain_socket(AF_INET, SOCK_STREAM, port, 0);

	assert_non_null(server);
	assert_true(fd >= 0);
	assert_int_equal(hx_wait_ready(&f->c, server, HX_TCP, port, 200), -1);
	assert_int_equal(f->c.status, HX_TIMEOUT);
	assert_true(unit_message_has(&f->c, "did not listen for TCP"));
	close(fd);
}

static void test_net_wait_ready_udp_bound(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *server = start_idle_server(&f->c);
	int port = hx_free_port();
	int fd = plain_socket(AF_INET, SOCK_DGRAM, port, 0);

	assert_non_null(server);
	assert_true(fd >= 0);
	assert_int_equal(hx_wait_ready(&f->c, server, HX_UDP, port, 5000), 0);
	close(fd);
}

/* A server may listen on IPv6 only; it is ready all the same. */
static void test_net_wait_ready_sees_ipv6_listener(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *server;
	int port = hx_free_port();
	int fd = plain_socket(AF_INET6, SOCK_STREAM, port, 1);

	if (fd < 0)
		skip(); /* no IPv6 loopback here */
	server = start_idle_server(&f->c);
	assert_non_null(server);
	assert_int_equal(hx_wait_ready(&f->c, server, HX_TCP, port, 5000), 0);
	close(fd);
}

static void test_net_udp_round_trip(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_conn a, b;
	struct sockaddr_in self;
	socklen_t len = sizeof(self);
	int port = hx_free_port();

	assert_int_equal(hx_udp_open(&f->c, &a, "127.0.0.1", 0), 0);
	assert_int_equal(hx_udp_open(&f->c, &b, "127.0.0.1", port), 0);
	getsockname(a.fd, (struct sockaddr *)&self, &len);
	assert_int_equal(hx_udp_send(&f->c, &a, "127.0.0.1", port, "dg\0x", 4),
			 0);
	assert_int_equal(hx_udp_recv(&f->c, &b, 2000), 4);
	assert_memory_equal(b.in.data, "dg\0x", 4);
	/* the sender's address is kept, so the reply can go back to it */
	assert_int_equal(((struct sockaddr_in *)&b.peer)->sin_port,
			 self.sin_port);
	assert_int_equal(hx_udp_send(&f->c, &b, "127.0.0.1",
				     ntohs(self.sin_port), "back", 4),
			 0);
	assert_int_equal(hx_udp_recv(&f->c, &a, 2000), 4);
	assert_string_equal(a.in.data, "back");
	assert_int_equal(unit_count_events(&f->c, 0, '>'), 2);
	assert_int_equal(unit_count_events(&f->c, 0, '<'), 2);
	hx_close(&f->c, &a);
	hx_close(&f->c, &b);
}

/* Each datagram replaces the last: one recv, one message. */
static void test_net_udp_recv_replaces_buffer(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_conn a, b;
	int port = hx_free_port();

	hx_udp_open(&f->c, &a, "127.0.0.1", 0);
	hx_udp_open(&f->c, &b, "127.0.0.1", port);
	hx_udp_send(&f->c, &a, "127.0.0.1", port, "first", 5);
	hx_udp_send(&f->c, &a, "127.0.0.1", port, "2nd", 3);
	assert_int_equal(hx_udp_recv(&f->c, &b, 2000), 5);
	assert_int_equal(hx_udp_recv(&f->c, &b, 2000), 3);
	assert_string_equal(b.in.data, "2nd");
	hx_close(&f->c, &a);
	hx_close(&f->c, &b);
}

static void test_net_udp_recv_times_out(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_conn b;
	int64_t start;

	assert_int_equal(hx_udp_open(&f->c, &b, "127.0.0.1", 0), 0);
	start = hx_now_ms();
	assert_int_equal(hx_udp_recv(&f->c, &b, 200), -1);
	assert_in_range(hx_now_ms() - start, 200, unit_scaled(3000));
	assert_int_equal(f->c.status, HX_TIMEOUT);
	assert_true(unit_message_has(&f->c, "no datagram came"));
	hx_close(&f->c, &b);
}

#define NET_TEST(name)                                                         \
	cmocka_unit_test_setup_teardown(name, unit_fixture_setup,              \
					unit_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    NET_TEST(test_net_connect_accept_round_trip),
	    NET_TEST(test_net_listen_on_missing_ipv6_skips),
	    NET_TEST(test_net_transcript_records_both_directions),
	    NET_TEST(test_net_send_bytes_one_event_per_byte),
	    NET_TEST(test_net_send_whole_one_event),
	    NET_TEST(test_net_send_random_pieces_follow_seed),
	    NET_TEST(test_net_send_random_respects_max_piece),
	    NET_TEST(test_net_recv_until_returns_length_through_delimiter),
	    NET_TEST(test_net_recv_until_fails_on_eof),
	    NET_TEST(test_net_recv_until_times_out),
	    NET_TEST(test_net_recv_until_timeout_keeps_first_failure_values),
	    NET_TEST(test_net_recv_all_stops_at_close),
	    NET_TEST(test_net_recv_all_stops_at_max),
	    NET_TEST(test_net_recv_all_times_out_while_open),
	    NET_TEST(test_net_recv_for_never_fails),
	    NET_TEST(test_net_reset_seen_as_connection_reset),
	    NET_TEST(test_net_send_after_reset_fails),
	    NET_TEST(test_net_shutdown_write_keeps_reading),
	    NET_TEST(test_net_consume_removes_front),
	    NET_TEST(test_net_connect_refused_fails),
	    NET_TEST(test_net_bad_address_is_error),
	    NET_TEST(test_net_listen_on_taken_port_is_error),
	    NET_TEST(test_net_accept_times_out),
	    NET_TEST(test_net_wait_ready_fails_fast_when_server_exits),
	    NET_TEST(test_net_wait_ready_crash_is_crash),
	    NET_TEST(test_net_wait_ready_succeeds_when_listening),
	    NET_TEST(test_net_wait_ready_needs_listen_for_tcp),
	    NET_TEST(test_net_wait_ready_udp_bound),
	    NET_TEST(test_net_wait_ready_sees_ipv6_listener),
	    NET_TEST(test_net_udp_round_trip),
	    NET_TEST(test_net_udp_recv_replaces_buffer),
	    NET_TEST(test_net_udp_recv_times_out),
	};

	unit_init();
	return cmocka_run_group_tests_name("hx_net", tests, NULL, NULL);
}
