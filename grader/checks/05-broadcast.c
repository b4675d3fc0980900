/* 05-broadcast.c - lab 05: SO_BROADCAST, listeners and discovery.
 *
 * Four programs. "broadcast ADDRESS PORT MESSAGE [COUNT]" sends MESSAGE to
 * a broadcast address; "listen PORT [COUNT]" prints every datagram it hears
 * as "from ADDRESS:PORT: MESSAGE\n"; "discover ADDRESS PORT [TIMEOUT_MS]"
 * broadcasts the question "DISCOVER" and prints each answer as
 * "answer from ADDRESS:PORT: NAME\n"; "responder PORT NAME" answers each
 * question with NAME, straight back to the asker.
 *
 * Broadcast to 127.255.255.255 works on loopback with no set-up; checks
 * for 255.255.255.255 give the sandbox a veth pair (hx_netdev.h). Where a
 * check is about one program, the harness plays the other side: it
 * broadcasts (with SO_BROADCAST) to the student's listeners, binds its own
 * listeners for the student's broadcaster, and answers as responders
 * (support/05-broadcast-peers.c). Discovery is timed: answers come before
 * and after discover's deadline, from the same address and port, and
 * only those before it count. The rules of the handout and the check of
 * each are listed in rules/05-broadcast.md. The rubric is the table at
 * the end of this file.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <endian.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../harness/hx_netdev.h"
#include "../sl_lab.h"

#define MESSAGE		 "hello, everyone on this network"
#define QUESTION	 "DISCOVER" /* the discovery question, exactly */
#define DISCOVER_MS	 400	    /* discover's TIMEOUT_MS in the checks */
#define SENDS		 3	    /* datagrams asked of the broadcaster */
#define UNKNOWN_HOST	 "no-such-host.invalid" /* RFC 6761: never resolves */
#define LARGEST_DATAGRAM 65507 /* 65535 - 20 (IPv4 header) - 8 (UDP) */

#include "support/05-broadcast-peers.c"

/* after the peers, which it uses */
#include "support/05-broadcast-discovery.c"

/* ---- listeners -------------------------------------------------------- */

static void check_two_listeners(struct hx_check *c)
{
	int port = hx_port(c, 0);
	char port_arg[16], sender[32];
	const char *args[] = {port_arg, "1"};
	struct hx_proc *listeners[2];
	struct hx_conn harness;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (start_sharing(c, "listener", "listen", args, NULL, 2, port, 2,
			  listeners) < 0 ||
	    open_shared(c, &harness, "127.0.0.1", hx_port(c, 1)) < 0)
		return;
	snprintf(sender, sizeof(sender), "127.0.0.1:%d", hx_port(c, 1));
	if (hx_udp_send(c, &harness, HX_LOOPBACK_BROADCAST, port, MESSAGE,
			strlen(MESSAGE)) == 0)
		for (int i = 0; i < 2; i++)
			if (expect_heard(c, listeners[i], sender, MESSAGE, 0) <
			    0)
				break;
	hx_close(c, &harness);
}

/* Three student listeners and the harness's own on one port hear the
 * student's broadcaster; the harness learns the sender's port. */
static void check_three_listeners(struct hx_check *c)
{
	int port = hx_port(c, 0);
	char port_arg[16], sender[32];
	const char *args[] = {port_arg, "1"};
	struct hx_proc *listeners[3];
	struct hx_conn harness;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (open_shared(c, &harness, "0.0.0.0", port) < 0)
		return;
	if (start_sharing(c, "listener", "listen", args, NULL, 3, port, 4,
			  listeners) < 0 ||
	    !run_broadcaster(c, HX_LOOPBACK_BROADCAST, port, NULL) ||
	    hx_udp_recv(c, &harness, IO_MS) < 0)
		goto out_close;
	sender_text(&harness, sender, sizeof(sender));
	for (int i = 0; i < 3; i++)
		if (expect_heard(c, listeners[i], sender, MESSAGE, 0) < 0)
			goto out_close;
	/* The broadcaster has ended: whatever it sent is queued here. */
	if (hx_udp_try_recv(c, &harness, 0) >= 0)
		hx_fail(c, HX_FAIL,
			"the broadcaster sent more than one datagram, though "
			"it was given no COUNT (its default is 1)");
out_close:
	hx_close(c, &harness);
}

/* The student's broadcaster sends COUNT datagrams of exactly MESSAGE,
 * and two harness listeners on the port each get all of them. */
static void check_broadcast_sends(struct hx_check *c)
{
	int port = hx_port(c, 0);
	char count[8];
	struct hx_conn harness[2];
	struct hx_proc *sender;
	int opened = 0;

	snprintf(count, sizeof(count), "%d", SENDS);
	for (; opened < 2; opened++)
		if (open_shared(c, &harness[opened], "0.0.0.0", port) < 0)
			goto out_close;
	sender = run_broadcaster(c, HX_LOOPBACK_BROADCAST, port, count);
	if (!sender)
		goto out_close;
	for (int i = 0; i < 2 && hx_ok(c); i++)
		for (int n = 1; n <= SENDS && hx_ok(c); n++) {
			char what[64];

			snprintf(what, sizeof(what),
				 "datagram %d of %d at harness listener %d", n,
				 SENDS, i + 1);
			if (hx_udp_recv(c, &harness[i], IO_MS) < 0) {
				hx_note(c, "%s never came", what);
				break;
			}
			hx_expect_bytes(c, what, MESSAGE, strlen(MESSAGE),
					harness[i].in.data, harness[i].in.len);
		}
	if (hx_ok(c) && hx_udp_try_recv(c, &harness[0], 0) >= 0)
		hx_fail(c, HX_FAIL,
			"the broadcaster sent more than COUNT (%d) datagrams",
			SENDS);
	if (hx_ok(c))
		hx_expect_no_stdout(c, sender);
out_close:
	while (opened-- > 0)
		hx_close(c, &harness[opened]);
}

/* 255.255.255.255 over the sandbox's veth: the sender is its address. */
static void check_limited_broadcast(struct hx_check *c)
{
	int port = hx_port(c, 0);
	char port_arg[16], sender[32];
	const char *args[] = {port_arg, "1"};
	struct hx_proc *listener;
	struct hx_conn harness;

	if (hx_netdev_broadcast(c) < 0)
		return;
	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (open_shared(c, &harness, "0.0.0.0", port) < 0)
		return;
	if (start_sharing(c, "listener", "listen", args, NULL, 1, port, 2,
			  &listener) < 0 ||
	    !run_broadcaster(c, HX_LIMITED_BROADCAST, port, NULL) ||
	    hx_udp_recv(c, &harness, IO_MS) < 0)
		goto out_close;
	sender_text(&harness, sender, sizeof(sender));
	if (strncmp(sender, HX_NETDEV_ADDRESS ":",
		    strlen(HX_NETDEV_ADDRESS ":")) != 0)
		hx_fail(c, HX_ERROR,
			"the broadcast came from %s, not from the sandbox's "
			"device address " HX_NETDEV_ADDRESS,
			sender);
	else
		expect_heard(c, listener, sender, MESSAGE, 1);
out_close:
	hx_close(c, &harness);
}

static void check_sender_address(struct hx_check *c)
{
	static const char text[] = "who sent this?";
	int port = hx_port(c, 0);
	char port_arg[16], sender[32];
	const char *args[] = {port_arg, "1"};
	struct hx_proc *listener;
	struct hx_conn harness;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	/* A port whose two bytes differ, so a missing ntohs shows. */
	if (start_sharing(c, "listener", "listen", args, NULL, 1, port, 1,
			  &listener) < 0 ||
	    open_shared(c, &harness, "127.0.0.1", hx_port(c, 1)) < 0)
		return;
	snprintf(sender, sizeof(sender), "127.0.0.1:%d", hx_port(c, 1));
	if (hx_udp_send(c, &harness, HX_LOOPBACK_BROADCAST, port, text,
			strlen(text)) == 0)
		expect_heard(c, listener, sender, text, 1);
	hx_close(c, &harness);
}

/* A long datagram, then a short one (whose line must not carry bytes of
 * the long one), an empty one (a line with nothing after ": "), and the
 * largest (whole, and with no byte written past a buffer: the programs
 * are the AddressSanitizer builds here). */
static void check_lengths(struct hx_check *c)
{
	static char long_text[1200], largest[LARGEST_DATAGRAM + 1];
	static const char short_text[] = "short";
	const char *bodies[] = {long_text, short_text, "", largest};
	int port = hx_port(c, 0);
	char port_arg[16], count_arg[8], sender[32];
	const char *args[] = {port_arg, count_arg};
	const char *senders[] = {sender, sender, sender, sender};
	struct hx_proc *listener;
	struct hx_conn harness;
	size_t used = 0;

	for (int n = 1; used + 24 < sizeof(long_text); n++)
		used +=
		    (size_t)snprintf(long_text + used, sizeof(long_text) - used,
				     "%04d a long datagram. ", n);
	for (size_t i = 0; i < LARGEST_DATAGRAM; i++)
		largest[i] = (char)('a' + i % 26);
	snprintf(port_arg, sizeof(port_arg), "%d", port);
	snprintf(count_arg, sizeof(count_arg), "%d", SL_COUNT(bodies));
	if (start_sharing(c, "listener", "listen", args, NULL, 1, port, 1,
			  &listener) < 0 ||
	    open_shared(c, &harness, "127.0.0.1", hx_port(c, 1)) < 0)
		return;
	snprintf(sender, sizeof(sender), "127.0.0.1:%d", hx_port(c, 1));
	for (int i = 0; i < SL_COUNT(bodies) && hx_ok(c); i++)
		hx_udp_send(c, &harness, HX_LOOPBACK_BROADCAST, port, bodies[i],
			    strlen(bodies[i]));
	if (hx_ok(c) && hx_proc_expect_exit(c, listener, 0, IO_MS) == 0)
		expect_lines(c, "stdout of listen PORT 4", &listener->out,
			     "from ", senders, bodies, SL_COUNT(bodies), 0, 0);
	hx_close(c, &harness);
}

/* Without COUNT, the listener prints each datagram as it comes (the
 * grader reads its line while it runs) and runs on until SIGTERM, or
 * SIGINT, then exits 0. */
static void check_listen_forever(struct hx_check *c)
{
	static const int signals[] = {SIGTERM, SIGINT};
	static const int datagrams[] = {3, 1};
	int port = hx_port(c, 0);
	char port_arg[16];
	const char *args[] = {port_arg, NULL};
	struct hx_conn harness;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (open_shared(c, &harness, "127.0.0.1", hx_port(c, 1)) < 0)
		return;
	for (int run = 0; run < SL_COUNT(signals) && hx_ok(c); run++) {
		struct hx_proc *listener;

		if (start_sharing(c, "listener", "listen", args, NULL, 1, port,
				  1, &listener) < 0)
			break;
		for (int i = 1; i <= datagrams[run] && hx_ok(c); i++) {
			char text[48], needle[64];
			int64_t sent;

			snprintf(text, sizeof(text), "datagram %d of %d", i,
				 datagrams[run]);
			snprintf(needle, sizeof(needle), ": %s\n", text);
			sent = hx_now_ms() - c->started_ms;
			if (hx_udp_send(c, &harness, HX_LOOPBACK_BROADCAST,
					port, text, strlen(text)) < 0 ||
			    expect_line_soon(c, listener, needle, sent) < 0)
				hx_note(c,
					"listener %d was started as \"listen "
					"%d\", without COUNT: it prints a line "
					"for each datagram and runs until a "
					"signal",
					run + 1, port);
		}
		if (hx_ok(c))
			hx_proc_signal_exit(c, listener, signals[run], IO_MS);
	}
	hx_close(c, &harness);
}

/* ---- discovery -------------------------------------------------------- */

/* The harness plays three responders; the student's discover must list
 * each answer once. */
static void check_discover_harness(struct hx_check *c)
{
	enum { RESPONDERS = 3 };
	int port = hx_port(c, 0);
	struct hx_conn responders[RESPONDERS];
	struct hx_proc *discover;
	int opened = 0;

	for (; opened < RESPONDERS; opened++)
		if (open_shared(c, &responders[opened], "0.0.0.0", port) < 0)
			goto out_close;
	discover = start_discover(c, port);
	if (!discover)
		goto out_close;
	for (int i = 0; i < RESPONDERS && hx_ok(c); i++) {
		char what[64];

		snprintf(what, sizeof(what), "the question at responder %d",
			 i + 1);
		if (receive_from(c, &responders[i], discover, what, IO_MS) <
			0 ||
		    hx_expect_bytes(c, what, QUESTION, strlen(QUESTION),
				    responders[i].in.data,
				    responders[i].in.len) < 0)
			goto out_close;
	}
	/* All answer only now, so discover is sure to hear them all while
	 * it waits. */
	for (int i = 0; i < RESPONDERS && hx_ok(c); i++) {
		const struct sockaddr_in *asker =
		    (const struct sockaddr_in *)&responders[i].peer;
		char address[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &asker->sin_addr, address, sizeof(address));
		hx_udp_send(c, &responders[i], address, ntohs(asker->sin_port),
			    names[i], strlen(names[i]));
	}
	if (hx_ok(c))
		expect_answers(c, discover, port, RESPONDERS, 0);
	/* discover has ended, so any second question is already queued. */
	for (int i = 0; i < RESPONDERS && hx_ok(c); i++) {
		struct pollfd pfd = {.fd = responders[i].fd, .events = POLLIN};

		if (poll(&pfd, 1, 0) == 1 &&
		    hx_udp_recv(c, &responders[i], 0) >= 0)
			hx_fail(c, HX_FAIL,
				"responder %d got a second datagram from "
				"discover: the question must be sent once, or "
				"every responder answers it twice",
				i + 1);
	}
out_close:
	while (opened-- > 0)
		hx_close(c, &responders[opened]);
}

/* Discovery end to end: the student's responders and discover. */
static void check_discover_responders(struct hx_check *c, int n)
{
	int port = hx_port(c, 0);
	char port_arg[16];
	const char *args[] = {port_arg, NULL};
	struct hx_proc *responders[MAX_PEERS], *discover;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (start_sharing(c, "responder", "responder", args, names, n, port, n,
			  responders) < 0)
		return;
	discover = start_discover(c, port);
	if (discover)
		expect_answers(c, discover, port, n, 1);
}

static void check_discover_two(struct hx_check *c)
{
	check_discover_responders(c, 2);
}

static void check_discover_three(struct hx_check *c)
{
	check_discover_responders(c, 3);
}

/* Two askers on their own addresses ask in turn; each must get the answer
 * itself, while a bystander bound to every address on the askers' port
 * must get nothing: a broadcast answer would reach it, not the askers. */
static void check_responder_direct(struct hx_check *c)
{
	static const char *const askers[] = {"127.0.0.2", "127.0.0.3"};
	int port = hx_port(c, 0), asker_port = hx_port(c, 1);
	char port_arg[16];
	const char *args[] = {port_arg, "alpha"};
	struct hx_conn bystander, asker[2];
	struct hx_proc *responder;
	int opened = 0;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (start_sharing(c, "responder", "responder", args, NULL, 1, port, 1,
			  &responder) < 0 ||
	    open_shared(c, &bystander, "0.0.0.0", asker_port) < 0)
		return;
	for (; opened < 2; opened++)
		if (open_shared(c, &asker[opened], askers[opened], asker_port) <
		    0)
			goto out_close;
	for (int i = 0; i < 2 && hx_ok(c); i++) {
		struct pollfd pfd[2] = {{.fd = asker[i].fd, .events = POLLIN},
					{.fd = bystander.fd, .events = POLLIN}};
		char what[64], from[32], want_from[32];
		int64_t deadline = hx_deadline(IO_MS);
		int ready;

		snprintf(what, sizeof(what), "the answer to %s port %d",
			 askers[i], asker_port);
		if (hx_udp_send(c, &asker[i], HX_LOOPBACK_BROADCAST, port,
				QUESTION, strlen(QUESTION)) < 0)
			break;
		do
			ready = poll(pfd, 2, hx_remaining_ms(deadline));
		while (ready < 0 && errno == EINTR);
		if (pfd[1].revents & POLLIN) {
			hx_udp_recv(c, &bystander, 0);
			sender_text(&bystander, from, sizeof(from));
			hx_fail(c, HX_FAIL,
				"%s was broadcast: a socket bound to 0.0.0.0 "
				"port %d that asked nothing got it (from %s), "
				"and the asker, bound to %s, did not",
				what, asker_port, from, askers[i]);
			break;
		}
		if (!(pfd[0].revents & POLLIN)) {
			if (!hx_proc_running(responder))
				fail_ended(c, responder, what);
			else
				hx_fail(c, HX_TIMEOUT,
					"%s did not come within %.1f s", what,
					IO_MS / 1000.0);
			break;
		}
		if (hx_udp_recv(c, &asker[i], 0) < 0 ||
		    hx_expect_bytes(c, what, "alpha", 5, asker[i].in.data,
				    asker[i].in.len) < 0)
			break;
		sender_text(&asker[i], from, sizeof(from));
		snprintf(want_from, sizeof(want_from), "127.0.0.1:%d", port);
		hx_expect_str(c, "the sender of the answer", want_from, from);
	}
out_close:
	while (opened-- > 0)
		hx_close(c, &asker[opened]);
	hx_close(c, &bystander);
}

/* TIMEOUT_MS 1200 (more than a second): two answers in time, the second
 * after a long pause, and one after the deadline, from the same address
 * and port as the others. */
static void check_discover_deadline(struct hx_check *c)
{
	static const struct timed_answer answers[] = {
	    {.at_ms = 0, .name = "alpha"},
	    {.at_ms = 900, .name = "beta"},
	    {.at_ms = 2000, .name = "gamma"},
	};

	run_timed_discover(c, "1200", 1200, answers, SL_COUNT(answers));
}

/* TIMEOUT_MS left out: 1000 ms. */
static void check_discover_default(struct hx_check *c)
{
	static const struct timed_answer answers[] = {
	    {.at_ms = 700, .name = "alpha"},
	    {.at_ms = 1500, .name = "beta"},
	};

	run_timed_discover(c, NULL, 1000, answers, SL_COUNT(answers));
}

/* Datagrams that resemble the question get no answer; the question
 * itself, after them, gets exactly one. Each is sent alone, and judged
 * once the responder sleeps again (it has dealt with it). */
static void check_responder_question(struct hx_check *c)
{
	static const struct {
		const char *bytes; /* the datagram */
		size_t len;	   /* its length */
		const char *what;  /* in feedback */
	} lookalikes[] = {
	    {"DISCOVERY", 9, "\"DISCOVERY\" (9 bytes, the question first)"},
	    {"DISCOVE", 7, "\"DISCOVE\" (7 bytes, the question cut short)"},
	    {"discover", 8, "\"discover\" (lowercase)"},
	    {"DISCOVER\n", 9, "\"DISCOVER\\n\" (with a newline)"},
	    {"DISCOVER\0", 9, "\"DISCOVER\\0\" (with a NUL byte)"},
	    {"", 0, "an empty datagram"},
	};
	int port = hx_port(c, 0);
	char port_arg[16];
	const char *args[] = {port_arg, "alpha"};
	struct hx_proc *responder;
	struct hx_conn asker;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (start_sharing(c, "responder", "responder", args, NULL, 1, port, 1,
			  &responder) < 0 ||
	    open_shared(c, &asker, "0.0.0.0", hx_port(c, 1)) < 0)
		return;
	for (int i = 0; i < SL_COUNT(lookalikes) && hx_ok(c); i++) {
		if (hx_udp_send(c, &asker, "127.0.0.1", port,
				lookalikes[i].bytes, lookalikes[i].len) < 0)
			break;
		hx_proc_wait_idle(responder, IO_MS);
		if (hx_udp_try_recv(c, &asker, 0) >= 0)
			hx_fail(c, HX_FAIL,
				"the responder answered %s: only the 8 bytes "
				"DISCOVER are the question",
				lookalikes[i].what);
		else if (!hx_proc_running(responder))
			fail_ended(c, responder, "the next datagram");
	}
	if (hx_ok(c) &&
	    hx_udp_send(c, &asker, "127.0.0.1", port, QUESTION,
			strlen(QUESTION)) == 0 &&
	    receive_from(c, &asker, responder, "the answer to DISCOVER",
			 IO_MS) >= 0 &&
	    hx_expect_bytes(c, "the answer to DISCOVER", "alpha", 5,
			    asker.in.data, asker.in.len) == 0) {
		hx_proc_wait_idle(responder, IO_MS);
		if (hx_udp_try_recv(c, &asker, 0) >= 0)
			hx_fail(c, HX_FAIL,
				"the responder answered DISCOVER twice");
	}
	hx_close(c, &asker);
}

/* The responder answers a question, then exits 0 on SIGTERM (and, once
 * more, on SIGINT), having printed nothing on stdout. */
static void check_responder_stops(struct hx_check *c)
{
	static const int signals[] = {SIGTERM, SIGINT};
	int port = hx_port(c, 0);
	char port_arg[16];
	const char *args[] = {port_arg, "alpha"};
	struct hx_conn asker;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (open_shared(c, &asker, "0.0.0.0", hx_port(c, 1)) < 0)
		return;
	for (int run = 0; run < SL_COUNT(signals) && hx_ok(c); run++) {
		struct hx_proc *responder;

		if (start_sharing(c, "responder", "responder", args, NULL, 1,
				  port, 1, &responder) < 0 ||
		    hx_udp_send(c, &asker, "127.0.0.1", port, QUESTION,
				strlen(QUESTION)) < 0 ||
		    receive_from(c, &asker, responder, "the answer to DISCOVER",
				 IO_MS) < 0 ||
		    hx_proc_signal_exit(c, responder, signals[run], IO_MS) < 0)
			break;
		hx_expect_no_stdout(c, responder);
	}
	hx_close(c, &asker);
}

/* The calls a refused broadcast may be reported from: sendto, or, for a
 * socket connected to the broadcast address, connect (which checks the
 * permission and the route at once), send or write. */
static const char *const refusing_calls[] = {"sendto", "connect", "send",
					     "write"};

/* Runs program, which must exit 2 with a message naming the failing
 * call, the address it was given and the reason (strerror's text). */
static int expect_refused(struct hx_check *c, const char *program,
			  const char *const *args, const char *reason)
{
	struct hx_proc *p = hx_start(c, program, args);
	const char *err;
	char what[48];

	if (!p || hx_proc_expect_exit(c, p, 2, DISCOVER_MS + IO_MS) < 0)
		return -1;
	err = p->err.data ? p->err.data : "";
	snprintf(what, sizeof(what), "stderr of %s", program);
	if (hx_expect_contains(c, what, reason, err) < 0 ||
	    hx_expect_contains(c, what, args[0], err) < 0)
		return -1;
	for (int i = 0; i < SL_COUNT(refusing_calls); i++)
		if (strstr(err, refusing_calls[i]))
			return 0;
	return hx_fail(c, HX_FAIL,
		       "%s says why and where, but not which call failed: name "
		       "it (sendto, or connect, send or write)",
		       what);
}

/* Without a route for 255.255.255.255 (a sandbox with loopback only),
 * sendto fails with ENETUNREACH; then, with SO_BROADCAST made to do
 * nothing, every broadcast fails with EACCES. */
static void check_forgot_flag(struct hx_check *c)
{
	char port_arg[16], timeout_arg[16];
	const char *unreachable_args[] = {HX_LIMITED_BROADCAST, port_arg,
					  MESSAGE, NULL};
	const char *broadcast_args[] = {HX_LOOPBACK_BROADCAST, port_arg,
					MESSAGE, NULL};
	const char *discover_args[] = {HX_LOOPBACK_BROADCAST, port_arg,
				       timeout_arg, NULL};

	snprintf(port_arg, sizeof(port_arg), "%d", hx_port(c, 0));
	snprintf(timeout_arg, sizeof(timeout_arg), "%d", DISCOVER_MS);
	/* Only where the sandbox owns its network: elsewhere this machine
	 * may have a route, and the broadcast would really go out. */
	if (c->isolated && expect_refused(c, "broadcast", unreachable_args,
					  "Network is unreachable") < 0) {
		hx_note(c, "this sandbox has no network device but loopback, "
			   "so nothing can be sent to 255.255.255.255");
		return;
	}
	if (pretend_broadcast_forgotten(c) < 0)
		return;
	if (expect_refused(c, "broadcast", broadcast_args,
			   "Permission denied") == 0)
		expect_refused(c, "discover", discover_args,
			       "Permission denied");
	if (!hx_ok(c))
		hx_note(c, "the harness made setsockopt(SO_BROADCAST) do "
			   "nothing, so that a broadcast fails with EACCES");
}

/* A harness socket holds the port without SO_REUSEADDR, so the student's
 * bind fails however it is set up: the program must say so, exit 2. */
static int expect_busy(struct hx_check *c, const char *program,
		       const char *const *args)
{
	struct hx_proc *p = hx_start(c, program, args);
	char what[48];

	snprintf(what, sizeof(what), "stderr of %s", program);
	if (!p || hx_proc_expect_exit(c, p, 2, EXIT_MS) < 0 ||
	    hx_expect_contains(c, what, "bind", p->err.data) < 0 ||
	    hx_expect_contains(c, what, "Address already in use", p->err.data) <
		0)
		return -1;
	return 0;
}

static void check_busy_port(struct hx_check *c)
{
	int port = hx_port(c, 0);
	char port_arg[16];
	const char *listen_args[] = {port_arg, "1", NULL};
	const char *responder_args[] = {port_arg, "alpha", NULL};
	struct hx_conn holder;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (hx_udp_open(c, &holder, "0.0.0.0", port) < 0)
		return;
	if (expect_busy(c, "listen", listen_args) == 0)
		expect_busy(c, "responder", responder_args);
	if (!hx_ok(c))
		hx_note(c,
			"a harness socket without SO_REUSEADDR held 0.0.0.0 "
			"port %d",
			port);
	hx_close(c, &holder);
}

/* The unknown host is named with getaddrinfo's own text. */
static void check_unknown_host(struct hx_check *c)
{
	char port_arg[16], timeout_arg[16];
	const char *broadcast_args[] = {UNKNOWN_HOST, port_arg, MESSAGE, NULL};
	const char *discover_args[] = {UNKNOWN_HOST, port_arg, timeout_arg,
				       NULL};
	const char *const *runs[] = {broadcast_args, discover_args};
	const char *programs[] = {"broadcast", "discover"};

	snprintf(port_arg, sizeof(port_arg), "%d", hx_port(c, 0));
	snprintf(timeout_arg, sizeof(timeout_arg), "%d", DISCOVER_MS);
	for (int i = 0; i < 2 && hx_ok(c); i++) {
		struct hx_proc *p = hx_start(c, programs[i], runs[i]);
		char what[48];

		snprintf(what, sizeof(what), "stderr of %s", programs[i]);
		if (p && hx_proc_expect_exit(c, p, 2, RESOLVE_MS) == 0)
			hx_expect_contains(c, what, UNKNOWN_HOST, p->err.data);
	}
}

/* ---- arguments -------------------------------------------------------- */

/* Starts program with args, which must bind its port (one more socket on
 * port than before): the arguments were taken. It is stopped then. */
static int expect_binds(struct hx_check *c, const char *program,
			const char *const *args, int port)
{
	char label[64];
	struct hx_proc *p;
	int before = count_bound(port);

	snprintf(label, sizeof(label), "%s %s %s", program, args[0],
		 args[1] ? args[1] : "");
	p = hx_start_labelled(c, label, program, args);
	if (!p || wait_bound(c, &p, 1, port, before + 1) < 0)
		return -1;
	p->stopped_by_harness = 1;
	hx_proc_kill(p);
	return 0;
}

/* Runs program with args, which must not end as a usage error (status
 * 1): the arguments were taken. What it does then is other checks'
 * business. */
static int expect_taken(struct hx_check *c, const char *program,
			const char *const *args)
{
	char label[96];
	struct hx_proc *p;

	snprintf(label, sizeof(label), "%s %s %s %s %s", program, args[0],
		 args[1], args[2] ? args[2] : "", args[3] ? args[3] : "");
	p = hx_start_labelled(c, label, program, args);
	if (!p || hx_proc_wait(c, p, DISCOVER_MS + IO_MS) < 0)
		return -1;
	if (WIFEXITED(p->wait_status) && WEXITSTATUS(p->wait_status) == 1)
		return hx_fail(c, HX_FAIL,
			       "%s printed the usage line, though every "
			       "argument is in range",
			       label);
	return 0;
}

static void check_usage(struct hx_check *c)
{
	static const char *const broadcast[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"127.255.255.255", "9000", NULL},
	    {"127.255.255.255", "abc", "hi", NULL},
	    {"127.255.255.255", "0", "hi", NULL},
	    {"127.255.255.255", "65536", "hi", NULL},
	    {"127.255.255.255", "+9000", "hi", NULL},
	    {"127.255.255.255", "9000", "hi", "0", NULL},
	    {"127.255.255.255", "9000", "hi", "1001", NULL},
	    {"127.255.255.255", "9000", "hi", "2", "extra", NULL},
	};
	static const char *const listen[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"abc", NULL},
	    {"0", NULL},
	    {"65536", NULL},
	    {" 9000", NULL},
	    {"9000", "0", NULL},
	    {"9000", "x", NULL},
	    {"9000", "1001", NULL},
	    {"9000", "1", "extra", NULL},
	};
	static const char *const discover[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"127.255.255.255", NULL},
	    {"127.255.255.255", "abc", NULL},
	    {"127.255.255.255", "65536", NULL},
	    {"127.255.255.255", "9000", "0", NULL},
	    {"127.255.255.255", "9000", "60001", NULL},
	    {"127.255.255.255", "9000", "-500", NULL},
	    {"127.255.255.255", "9000", "500", "x", NULL},
	};
	static const char *const responder[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"9000", NULL},
	    {"abc", "alpha", NULL},
	    {"0", "alpha", NULL},
	    {"65536", "alpha", NULL},
	    {"9000", "", NULL},
	    {"9000", "alpha", "extra", NULL},
	};
	int port = hx_port(c, 0);
	char port_arg[16];
	const char *one[] = {HX_LOOPBACK_BROADCAST, port_arg, "hi", "1", NULL};
	const char *most[] = {HX_LOOPBACK_BROADCAST, port_arg, "hi", "1000",
			      NULL};
	const char *quick[] = {HX_LOOPBACK_BROADCAST, port_arg, "1", NULL};
	const char *long_count[] = {port_arg, "1000", NULL};
	const char *top_listen[] = {"65535", NULL};
	const char *top_responder[] = {"65535", "alpha", NULL};

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (hx_expect_usage(c, "broadcast", broadcast, SL_COUNT(broadcast),
			    EXIT_MS) < 0 ||
	    hx_expect_usage(c, "listen", listen, SL_COUNT(listen), EXIT_MS) <
		0 ||
	    hx_expect_usage(c, "discover", discover, SL_COUNT(discover),
			    EXIT_MS) < 0 ||
	    hx_expect_usage(c, "responder", responder, SL_COUNT(responder),
			    EXIT_MS) < 0)
		return;
	/* Every value in range is taken, the limits too. Port 65535 only
	 * where the check owns its network: elsewhere it may be taken. */
	if (expect_taken(c, "broadcast", one) < 0 ||
	    expect_taken(c, "broadcast", most) < 0 ||
	    expect_taken(c, "discover", quick) < 0 ||
	    expect_binds(c, "listen", long_count, port) < 0 || !c->isolated ||
	    expect_binds(c, "listen", top_listen, 65535) < 0)
		return;
	expect_binds(c, "responder", top_responder, 65535);
}

/* The rubric: 100 points. */
static const struct sl_check checks[] = {
    {
	.id = "build",
	.title = "all four programs build without warnings",
	.points = 10,
	.timeout_ms = 60000,
	.programs = "broadcast listen discover responder",
	.hint =
	    "Read the compiler's messages from the first one down; fix every "
	    "warning too (an unused variable, a missing return, a signed and "
	    "unsigned comparison).",
	.run = NULL,
    },
    {
	.id = "two-listeners",
	.title = "Two listeners on one port both hear a broadcast to "
		 "127.255.255.255",
	.points = 7,
	.timeout_ms = 5000,
	.programs = "listen",
	.hint = "Set SO_REUSEADDR with setsockopt before bind, or the second "
		"listener's bind fails with \"Address already in use\"; bind "
		"to INADDR_ANY (a socket bound to 127.0.0.1 never gets "
		"broadcasts); print one line per datagram and exit 0 after "
		"COUNT of them.",
	.run = check_two_listeners,
    },
    {
	.id = "three-listeners",
	.title = "The broadcaster reaches three listeners at once on "
		 "127.255.255.255",
	.points = 5,
	.timeout_ms = 6000,
	.programs = "broadcast listen",
	.hint =
	    "Run it yourself: three \"listen PORT 1\" in other terminals, then "
	    "\"broadcast 127.255.255.255 PORT hello\". The broadcaster needs "
	    "SO_BROADCAST and must exit 0; each listener needs SO_REUSEADDR "
	    "and prints \"from ADDRESS:PORT: hello\".",
	.run = check_three_listeners,
    },
    {
	.id = "broadcast-sends",
	.title =
	    "The broadcaster sends COUNT datagrams of exactly MESSAGE's bytes, "
	    "and nothing on stdout",
	.points = 5,
	.timeout_ms = 5000,
	.programs = "broadcast",
	.hint =
	    "setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &on, sizeof on) before "
	    "sendto; send strlen(MESSAGE) bytes (no '\\0', no newline), COUNT "
	    "times (1 when COUNT is not given), to the address getaddrinfo "
	    "gave, and print nothing on stdout (logs go to stderr).",
	.run = check_broadcast_sends,
    },
    {
	.id = "limited-broadcast",
	.title =
	    "A broadcast to 255.255.255.255 reaches a listener over a network "
	    "device",
	.points = 6,
	.timeout_ms = 6000,
	.flags = SL_NAMESPACE,
	.programs = "broadcast listen",
	.hint = "255.255.255.255 is sent out of a real network device, here "
		"one with address 10.9.0.1: the listener must print the "
		"address recvfrom reports (\"from 10.9.0.1:PORT: ...\"), and "
		"the broadcaster must send to whatever address it was given, "
		"not a fixed one.",
	.run = check_limited_broadcast,
    },
    {
	.id = "sender-address",
	.title = "The listener prints the sender's own address and port",
	.points = 7,
	.timeout_ms = 5000,
	.programs = "listen",
	.hint =
	    "Print the address recvfrom filled in (not getsockname, which is "
	    "your own socket): inet_ntop for the address, ntohs(sin_port) for "
	    "the port, and set the length argument to sizeof(from) before "
	    "every recvfrom.",
	.run = check_sender_address,
    },
    {
	.id = "lengths",
	.title =
	    "The listener prints a long, a short, an empty and the largest "
	    "datagram, each exactly",
	.points = 5,
	.timeout_ms = 8000,
	.flags = SL_SANITIZE,
	.programs = "listen",
	.hint =
	    "recvfrom returns the datagram's length n and adds no '\\0': write "
	    "exactly n bytes (fwrite or write), or set buf[n] = '\\0' (with a "
	    "buffer one byte larger) before printing with %s. Otherwise the "
	    "short message is followed by the rest of the long one. 0 is an "
	    "empty datagram (a line with nothing after \": \"), and the "
	    "buffers must hold MAX_DATAGRAM bytes and the line around them.",
	.run = check_lengths,
    },
    {
	.id = "listen-forever",
	.title = "Without COUNT the listener prints each line at once and runs "
		 "until SIGTERM or SIGINT, then exits 0",
	.points = 5,
	.timeout_ms = 8000,
	.programs = "listen",
	.hint =
	    "COUNT left out means no limit: loop until the stop flag is set (a "
	    "handler for SIGINT and SIGTERM, sigaction without SA_RESTART, so "
	    "recvfrom fails with EINTR), then return 0. Write each line whole "
	    "and at once: one writen, or printf then fflush(stdout) (stdout is "
	    "a pipe here, fully buffered).",
	.run = check_listen_forever,
    },
    {
	.id = "discover-harness",
	.title = "discover prints the answers of three responders, once each",
	.points = 5,
	.timeout_ms = 5000,
	.programs = "discover",
	.hint = "Send \"DISCOVER\" (8 bytes) once with SO_BROADCAST, then keep "
		"calling recvfrom until TIMEOUT_MS after the question, with "
		"poll or SO_RCVTIMEO set to the time left; print \"answer from "
		"ADDRESS:PORT: NAME\" for each answer and do not stop at the "
		"first.",
	.run = check_discover_harness,
    },
    {
	.id = "discover-two",
	.title =
	    "Discovery with two responders on one port lists both, once each",
	.points = 4,
	.timeout_ms = 10000,
	.programs = "discover responder",
	.hint =
	    "Each responder binds the port with SO_REUSEADDR and answers every "
	    "\"DISCOVER\" it gets with its NAME, sent with sendto to the "
	    "address recvfrom gave; discover collects answers until its "
	    "timeout.",
	.run = check_discover_two,
    },
    {
	.id = "discover-three",
	.title = "Discovery with three responders on one port lists all three",
	.points = 3,
	.timeout_ms = 10000,
	.programs = "discover responder",
	.hint =
	    "As with two responders: every responder on the port gets its own "
	    "copy of the broadcast question, and discover must wait for all of "
	    "them, printing each answer once.",
	.run = check_discover_three,
    },
    {
	.id = "discover-deadline",
	.title = "discover takes answers until TIMEOUT_MS (1200) after its "
		 "question, then stops; a later answer is not printed",
	.points = 5,
	.timeout_ms = 8000,
	.programs = "discover",
	.hint = "Compute the deadline once, send time + TIMEOUT_MS, and before "
		"each recvfrom poll for the milliseconds left until it (or set "
		"SO_RCVTIMEO to them, with tv_usec below 1000000): waiting the "
		"whole TIMEOUT_MS again after each answer lets answers in "
		"after the deadline and runs too long.",
	.run = check_discover_deadline,
    },
    {
	.id = "discover-default",
	.title = "discover without TIMEOUT_MS waits 1000 ms",
	.points = 4,
	.timeout_ms = 8000,
	.programs = "discover",
	.hint = "With two arguments TIMEOUT_MS is 1000: set the default before "
		"reading argv[3], and read argv[3] only when argc is 4.",
	.run = check_discover_default,
    },
    {
	.id = "responder-direct",
	.title = "The responder answers each asker directly, not by broadcast",
	.points = 5,
	.timeout_ms = 5000,
	.programs = "responder",
	.hint =
	    "Answer with sendto(fd, name, strlen(name), 0, (struct sockaddr "
	    "*)&asker, asker_len), where asker is the address recvfrom filled "
	    "in: a unicast reply that only the asker gets. Do not send to a "
	    "broadcast address.",
	.run = check_responder_direct,
    },
    {
	.id = "responder-question",
	.title =
	    "The responder answers the 8 bytes DISCOVER only, not datagrams "
	    "that resemble it",
	.points = 4,
	.timeout_ms = 6000,
	.programs = "responder",
	.hint = "The question is exactly the 8 bytes of QUESTION: compare n == "
		"strlen(QUESTION) and memcmp(buf, QUESTION, n) == 0. strncmp "
		"of 8 bytes takes \"DISCOVERY\" and \"DISCOVER\\n\", and "
		"strcmp on a terminated buffer takes \"DISCOVER\\0...\"; "
		"ignore anything else.",
	.run = check_responder_question,
    },
    {
	.id = "responder-stops",
	.title =
	    "The responder exits 0 on SIGTERM and SIGINT and prints nothing on "
	    "stdout",
	.points = 3,
	.timeout_ms = 6000,
	.programs = "responder",
	.hint =
	    "install_stop_handlers (sigaction, no SA_RESTART) makes recvfrom "
	    "fail with EINTR: test stop_requested, close the socket and return "
	    "0. Log with fprintf(stderr, ...), never printf.",
	.run = check_responder_stops,
    },
    {
	.id = "forgot-flag",
	.title =
	    "A broadcast the kernel refuses (EACCES, ENETUNREACH) is reported: "
	    "exit 2",
	.points = 6,
	.timeout_ms = 8000,
	.programs = "broadcast discover",
	.hint = "Test what sendto returns (or connect, send or write, if you "
		"connect the socket): when it is negative, print the call, the "
		"address and strerror(errno), e.g. \"broadcast: sendto "
		"127.255.255.255 port 9000: Permission denied\", and return 2. "
		"EACCES is what you get without SO_BROADCAST, ENETUNREACH "
		"where no route leads to the address.",
	.run = check_forgot_flag,
    },
    {
	.id = "busy-port",
	.title = "listen and responder report a port they cannot bind, exit 2",
	.points = 4,
	.timeout_ms = 6000,
	.programs = "listen responder",
	.hint = "Test what bind returns (open_shared_port returns -1 and names "
		"the call): print the call, the port and strerror(errno), e.g. "
		"\"listen: bind port 9000: Address already in use\", and "
		"return 2.",
	.run = check_busy_port,
    },
    {
	.id = "unknown-host",
	.title = "broadcast and discover report an unknown ADDRESS, exit 2",
	.points = 3,
	.timeout_ms = 8000,
	.programs = "broadcast discover",
	.hint = "When getaddrinfo (resolve_ipv4) returns non-zero, print the "
		"address and gai_strerror(rc) (getaddrinfo does not set "
		"errno), e.g. \"broadcast: no-such-host.invalid: Name or "
		"service not known\", and return 2.",
	.run = check_unknown_host,
    },
    {
	.id = "usage",
	.title =
	    "Every program rejects bad arguments with a usage line, status 1, "
	    "and takes every value in range",
	.points = 4,
	.timeout_ms = 30000,
	.programs = "broadcast listen discover responder",
	.hint = "Check the argument count and every number with parse_number "
		"before any socket call (PORT 1..65535, COUNT 1..1000, "
		"TIMEOUT_MS 1..60000, NAME not empty; digits only, the limits "
		"included) before any socket call; otherwise print the usage "
		"line from the handout on stderr and return 1.",
	.run = check_usage,
    },
};

static const struct sl_lab lab05 = {
    .number = "05",
    .name = "broadcast",
    .title =
	"SO_BROADCAST: a broadcaster and listeners, and discovery of servers",
    .files = {"broadcast.c", "listen.c", "discover.c", "responder.c",
	      "bcast.c"},
    .given = {"bcast.h"},
    .programs =
	{
	    {.name = "broadcast", .sources = {"broadcast.c", "bcast.c"}},
	    {.name = "listen", .sources = {"listen.c", "bcast.c"}},
	    {.name = "discover", .sources = {"discover.c", "bcast.c"}},
	    {.name = "responder", .sources = {"responder.c", "bcast.c"}},
	},
    .max_files = 32,
    .checks = checks,
    .nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab05);
