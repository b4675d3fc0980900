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
 * listeners for the student's broadcaster, and answers as responders. The
 * rubric is the table at the end of this file.
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

/* Deadlines of single steps, in milliseconds (scaled like all deadlines). */
#define READY_MS 1500 /* listeners or responders bind their port */
#define IO_MS	 1500 /* a datagram arrives, a program exits */
#define EXIT_MS	 1500 /* a program exits after bad arguments */

#define MESSAGE	    "hello, everyone on this network"
#define QUESTION    "DISCOVER" /* the discovery question, exactly */
#define DISCOVER_MS 400	       /* discover's TIMEOUT_MS in the checks */
#define SENDS	    3	       /* datagrams asked of the broadcaster */
#define MAX_PEERS   4	       /* harness sockets on one port */

/* ---- harness sockets that share a port -------------------------------- */

/* A harness UDP socket bound to host:port with SO_REUSEADDR, so it can
 * share the port with the student's listeners, and SO_BROADCAST, so it
 * can send to a broadcast address. */
static int open_shared(struct hx_check *c, struct hx_conn *conn,
		       const char *host, int port)
{
	struct sockaddr_in addr = {.sin_family = AF_INET,
				   .sin_port = htons((unsigned short)port)};
	int on = 1;

	memset(conn, 0, sizeof(*conn));
	hx_buf_init(&conn->in);
	conn->id = __atomic_fetch_add(&c->next_conn, 1, __ATOMIC_SEQ_CST);
	inet_pton(AF_INET, host, &addr.sin_addr);
	conn->fd =
	    socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (conn->fd < 0)
		return hx_fail(c, HX_ERROR, "socket: %s", strerror(errno));
	if (setsockopt(conn->fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) <
		0 ||
	    setsockopt(conn->fd, SOL_SOCKET, SO_BROADCAST, &on, sizeof(on)) <
		0 ||
	    bind(conn->fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int err = errno;

		hx_close(c, conn);
		return hx_fail(c, HX_ERROR,
			       "harness could not open a socket on %s port %d: "
			       "%s",
			       host, port, strerror(err));
	}
	hx_recordf(c, conn->id, "harness socket on %s port %d", host, port);
	return 0;
}

/* Number of UDP sockets bound to port in this network namespace. */
static int count_bound(int port)
{
	char line[512];
	FILE *f = fopen("/proc/net/udp", "re");
	int count = 0;

	if (!f)
		return 0;
	if (fgets(line, sizeof(line), f)) /* column titles */
		while (fgets(line, sizeof(line), f)) {
			char local[128], *colon;

			if (sscanf(line, " %*d: %127s", local) != 1)
				continue;
			colon = strrchr(local, ':');
			if (colon && strtol(colon + 1, NULL, 16) == port)
				count++;
		}
	fclose(f);
	return count;
}

/* Fails naming how proc ended, before it did what was awaited. */
static int fail_ended(struct hx_check *c, struct hx_proc *proc,
		      const char *awaited)
{
	struct hx_buf how;

	hx_proc_pump(proc, 0);
	hx_buf_init(&how);
	hx_proc_describe_end(proc, &how);
	hx_fail(c, WIFSIGNALED(proc->wait_status) ? HX_CRASH : HX_FAIL,
		"%s ended (%s) before %s", proc->label, how.data, awaited);
	hx_buf_free(&how);
	return -1;
}

/* Waits until want sockets are bound to port, polling with backoff. A
 * port that several programs share cannot say which one is ready, so this
 * counts them; a program that ends first fails the check at once. */
static int wait_bound(struct hx_check *c, struct hx_proc **procs, int n,
		      int port, int want)
{
	int64_t deadline = hx_deadline(READY_MS);
	int attempt = 0;

	for (;;) {
		int bound = count_bound(port);

		if (bound >= want) {
			hx_recordf(c, 0, "%d sockets are bound to UDP port %d",
				   bound, port);
			return 0;
		}
		for (int i = 0; i < n; i++)
			if (!hx_proc_running(procs[i]))
				return fail_ended(c, procs[i],
						  want > 1
						      ? "binding its UDP "
							"port, shared with "
							"others"
						      : "binding its UDP "
							"port");
		if (hx_remaining_ms(deadline) == 0)
			return hx_fail(
			    c, HX_TIMEOUT,
			    "only %d of %d sockets were bound to UDP "
			    "port %d after %.1f s",
			    bound, want, port, READY_MS / 1000.0);
		hx_backoff(&attempt, deadline);
	}
}

/* Starts n copies of program with args, labelled "label 1".., into procs,
 * and waits until want sockets are bound to port. */
static int start_sharing(struct hx_check *c, const char *label,
			 const char *program, const char *const *args,
			 const char *const *names, int n, int port, int want,
			 struct hx_proc **procs)
{
	for (int i = 0; i < n; i++) {
		char name[48];
		const char *each[4] = {args[0], args[1], NULL, NULL};

		if (names)
			each[1] = names[i];
		snprintf(name, sizeof(name), "%s %d", label, i + 1);
		procs[i] = hx_start_labelled(c, name, program, each);
		if (!procs[i])
			return -1;
	}
	return wait_bound(c, procs, n, port, want);
}

/* Waits up to timeout_ms for one datagram on peer, or for proc (which
 * should send it) to end first. Returns its length, or -1. */
static long receive_from(struct hx_check *c, struct hx_conn *peer,
			 struct hx_proc *proc, const char *what, int timeout_ms)
{
	int64_t deadline = hx_deadline(timeout_ms);
	int pidfd = (int)syscall(SYS_pidfd_open, proc->pid, 0);
	struct pollfd pfd[2] = {
	    {.fd = peer->fd, .events = POLLIN},
	    {.fd = pidfd, .events = POLLIN},
	};
	int ready;

	do
		ready = poll(pfd, 2, hx_remaining_ms(deadline));
	while (ready < 0 && errno == EINTR);
	if (pidfd >= 0)
		close(pidfd);
	if (pfd[0].revents & POLLIN)
		return hx_udp_recv(c, peer, 0);
	if (ready <= 0)
		return hx_fail(c, HX_TIMEOUT, "%s did not come within %.1f s",
			       what, timeout_ms / 1000.0);
	hx_proc_wait(c, proc, IO_MS);
	return fail_ended(c, proc, what);
}

/* "ADDRESS:PORT" of the last sender on peer. */
static void sender_text(const struct hx_conn *peer, char *out, size_t size)
{
	const struct sockaddr_in *from =
	    (const struct sockaddr_in *)&peer->peer;
	char address[INET_ADDRSTRLEN] = "?";

	inet_ntop(AF_INET, &from->sin_addr, address, sizeof(address));
	snprintf(out, size, "%s:%u", address, (unsigned)ntohs(from->sin_port));
}

/* ---- what the student's programs print -------------------------------- */

/* 1 if text (len bytes) is "D.D.D.D:D" with digits for D. */
static int looks_like_sender(const char *text, size_t len)
{
	int dots = 0, colons = 0, digits = 0;

	for (size_t i = 0; i < len; i++) {
		if (isdigit((unsigned char)text[i])) {
			digits++;
			continue;
		}
		if (!digits || (text[i] != '.' && text[i] != ':'))
			return 0;
		if (text[i] == '.' ? colons || ++dots > 3 : ++colons > 1)
			return 0;
		digits = 0;
	}
	return dots == 3 && colons == 1 && digits;
}

/* 1 if line (len bytes, no '\n') is prefix, a sender, ": " and body. */
static int line_matches(const char *line, size_t len, const char *prefix,
			const char *body)
{
	size_t plen = strlen(prefix), blen = strlen(body);

	return len >= plen + blen + 2 && memcmp(line, prefix, plen) == 0 &&
	       memcmp(line + len - blen - 2, ": ", 2) == 0 &&
	       memcmp(line + len - blen, body, blen) == 0 &&
	       looks_like_sender(line + plen, len - plen - blen - 2);
}

/* Requires what (a program's stdout) to be the lines prefix + SENDER +
 * ": " + bodies[i] + "\n", in order (sorted: in any order). With exact,
 * SENDER must be senders[i]; without, any "D.D.D.D:D" will do, since
 * the sender's address belongs to one check only. A mismatch shows the
 * whole expected text against the whole output. */
static int expect_lines(struct hx_check *c, const char *what,
			const struct hx_buf *out, const char *prefix,
			const char *const *senders, const char *const *bodies,
			int n, int exact, int sorted)
{
	struct hx_buf want;
	const char *p = out->data, *end = out->data + out->len;
	int used[MAX_PEERS] = {0};
	int ok = 1, rc;

	for (int i = 0; i < n && ok; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		int found = -1;

		if (!nl) {
			ok = 0;
			break;
		}
		for (int j = sorted ? 0 : i; j < (sorted ? n : i + 1); j++) {
			if (used[j] || !line_matches(p, (size_t)(nl - p),
						     prefix, bodies[j]))
				continue;
			if (exact && (strlen(prefix) + strlen(senders[j]) +
					      strlen(bodies[j]) + 2 !=
					  (size_t)(nl - p) ||
				      memcmp(p + strlen(prefix), senders[j],
					     strlen(senders[j])) != 0))
				continue;
			found = j;
			break;
		}
		if (found < 0)
			ok = 0;
		else
			used[found] = 1;
		p = nl + 1;
	}
	if (ok && p == end)
		return 0;
	hx_buf_init(&want);
	for (int i = 0; i < n; i++)
		hx_buf_addf(&want, "%s%s: %s\n", prefix, senders[i], bodies[i]);
	rc = hx_expect_bytes(c, what, want.data, want.len, out->data, out->len);
	if (rc == 0) /* same bytes, other order: still a mismatch here */
		rc = hx_fail(c, HX_FAIL, "%s is not as expected", what);
	hx_buf_free(&want);
	return rc;
}

/* Waits for a listener to exit 0 and requires its one line for body. */
static int expect_heard(struct hx_check *c, struct hx_proc *listener,
			const char *sender, const char *body, int exact)
{
	char what[sizeof(listener->label) + 16];

	snprintf(what, sizeof(what), "stdout of %s", listener->label);
	if (hx_proc_expect_exit(c, listener, 0, IO_MS) < 0) {
		hx_note(c,
			"%s was started as \"listen PORT 1\": it should "
			"print one line and exit 0",
			listener->label);
		return -1;
	}
	return expect_lines(c, what, &listener->out, "from ", &sender, &body, 1,
			    exact, 0);
}

/* Runs the student's "broadcast ADDRESS PORT MESSAGE [COUNT]" to exit 0. */
static struct hx_proc *run_broadcaster(struct hx_check *c, const char *address,
				       int port, const char *count)
{
	char port_arg[16];
	const char *args[] = {address, port_arg, MESSAGE, count, NULL};
	struct hx_proc *sender;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	sender = hx_start_labelled(c, "broadcast", "broadcast", args);
	if (!sender || hx_proc_expect_exit(c, sender, 0, IO_MS) < 0)
		return NULL;
	return sender;
}

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
			break;
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
	int opened = 0;

	snprintf(count, sizeof(count), "%d", SENDS);
	for (; opened < 2; opened++)
		if (open_shared(c, &harness[opened], "0.0.0.0", port) < 0)
			goto out_close;
	if (!run_broadcaster(c, HX_LOOPBACK_BROADCAST, port, count))
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

/* A long datagram, then a short one: the short line must not carry bytes
 * of the long one. */
static void check_lengths(struct hx_check *c)
{
	static char long_text[1200];
	static const char short_text[] = "short";
	const char *bodies[] = {long_text, short_text};
	int port = hx_port(c, 0);
	char port_arg[16], sender[32];
	const char *args[] = {port_arg, "2"};
	const char *senders[] = {sender, sender};
	struct hx_proc *listener;
	struct hx_conn harness;
	size_t used = 0;

	for (int n = 1; used + 24 < sizeof(long_text); n++)
		used +=
		    (size_t)snprintf(long_text + used, sizeof(long_text) - used,
				     "%04d a long datagram. ", n);
	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (start_sharing(c, "listener", "listen", args, NULL, 1, port, 1,
			  &listener) < 0 ||
	    open_shared(c, &harness, "127.0.0.1", hx_port(c, 1)) < 0)
		return;
	snprintf(sender, sizeof(sender), "127.0.0.1:%d", hx_port(c, 1));
	for (int i = 0; i < 2 && hx_ok(c); i++)
		hx_udp_send(c, &harness, HX_LOOPBACK_BROADCAST, port, bodies[i],
			    strlen(bodies[i]));
	if (hx_ok(c) && hx_proc_expect_exit(c, listener, 0, IO_MS) == 0)
		expect_lines(c, "stdout of listen PORT 2", &listener->out,
			     "from ", senders, bodies, 2, 0, 0);
	hx_close(c, &harness);
}

/* ---- discovery -------------------------------------------------------- */

static const char *const names[] = {"alpha", "beta", "gamma"};

/* Starts "discover 127.255.255.255 PORT DISCOVER_MS". */
static struct hx_proc *start_discover(struct hx_check *c, int port)
{
	char port_arg[16], timeout_arg[16];
	const char *args[] = {HX_LOOPBACK_BROADCAST, port_arg, timeout_arg,
			      NULL};

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	snprintf(timeout_arg, sizeof(timeout_arg), "%d", DISCOVER_MS);
	return hx_start(c, "discover", args);
}

/* discover must exit 0 after its timeout, with one line per name. */
static void expect_answers(struct hx_check *c, struct hx_proc *discover,
			   int port, int n, int sorted)
{
	char sender[32];
	const char *senders[MAX_PEERS];

	snprintf(sender, sizeof(sender), "127.0.0.1:%d", port);
	for (int i = 0; i < n; i++)
		senders[i] = sender;
	if (hx_proc_expect_exit(c, discover, 0, DISCOVER_MS + IO_MS) == 0)
		expect_lines(c, "stdout of discover", &discover->out,
			     "answer from ", senders, names, n, 0, sorted);
	if (!hx_ok(c))
		hx_note(c, "%d responders on port %d each answered once", n,
			port);
}

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

/* ---- a forgotten SO_BROADCAST ----------------------------------------- */

#if defined(__x86_64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

#if __BYTE_ORDER == __LITTLE_ENDIAN
#define ARG_LOW(n) (offsetof(struct seccomp_data, args[n]))
#else
#define ARG_LOW(n) (offsetof(struct seccomp_data, args[n]) + 4)
#endif

/* From now on, in this process and every program it starts,
 * setsockopt(fd, SOL_SOCKET, SO_BROADCAST, ...) returns 0 and does
 * nothing: the program runs as if it had forgotten SO_BROADCAST, and its
 * sendto to a broadcast address fails with EACCES. A seccomp filter
 * cannot be removed, which is fine: the sandbox ends with the check. */
static int pretend_broadcast_forgotten(struct hx_check *c)
{
#ifdef NATIVE_AUDIT_ARCH
	struct sock_filter code[] = {
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		     offsetof(struct seccomp_data, arch)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_AUDIT_ARCH, 1, 0),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		     offsetof(struct seccomp_data, nr)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_setsockopt, 1, 0),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LOW(1)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SOL_SOCKET, 1, 0),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LOW(2)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SO_BROADCAST, 1, 0),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	    /* errno 0: the call is skipped and returns 0 */
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 0),
	};
	struct sock_fprog program = {.len = SL_COUNT(code), .filter = code};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) < 0)
		return hx_skip(c,
			       "this kernel cannot filter system calls "
			       "(seccomp: %s)",
			       strerror(errno));
	hx_recordf(c, 0, "setsockopt(SO_BROADCAST) now does nothing");
	return 0;
#else
	return hx_skip(c, "the harness cannot filter system calls on this "
			  "processor");
#endif
}

/* program must exit 2 with a message naming sendto and EACCES's text. */
static int expect_refused(struct hx_check *c, const char *program,
			  const char *const *args)
{
	static const char *const needles[] = {"sendto", "Permission denied",
					      NULL};
	struct hx_proc *p = hx_start(c, program, args);
	char what[48];

	if (!p || hx_proc_expect_exit(c, p, 2, DISCOVER_MS + IO_MS) < 0)
		return -1;
	snprintf(what, sizeof(what), "stderr of %s", program);
	for (int i = 0; needles[i]; i++)
		if (hx_expect_contains(c, what, needles[i], p->err.data) < 0)
			return -1;
	return 0;
}

static void check_forgot_flag(struct hx_check *c)
{
	char port_arg[16], timeout_arg[16];
	const char *broadcast_args[] = {HX_LOOPBACK_BROADCAST, port_arg,
					MESSAGE, NULL};
	const char *discover_args[] = {HX_LOOPBACK_BROADCAST, port_arg,
				       timeout_arg, NULL};

	snprintf(port_arg, sizeof(port_arg), "%d", hx_port(c, 0));
	snprintf(timeout_arg, sizeof(timeout_arg), "%d", DISCOVER_MS);
	if (pretend_broadcast_forgotten(c) < 0)
		return;
	if (expect_refused(c, "broadcast", broadcast_args) == 0)
		expect_refused(c, "discover", discover_args);
	if (!hx_ok(c))
		hx_note(c, "the harness made setsockopt(SO_BROADCAST) do "
			   "nothing, so that sendto to a broadcast address "
			   "fails with EACCES");
}

/* ---- arguments -------------------------------------------------------- */

static void check_usage(struct hx_check *c)
{
	static const char *const broadcast[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"127.255.255.255", "9000", NULL},
	    {"127.255.255.255", "abc", "hi", NULL},
	    {"127.255.255.255", "0", "hi", NULL},
	    {"127.255.255.255", "9000", "hi", "0", NULL},
	    {"127.255.255.255", "9000", "hi", "2", "extra", NULL},
	};
	static const char *const listen[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"abc", NULL},
	    {"65536", NULL},
	    {"9000", "0", NULL},
	    {"9000", "x", NULL},
	    {"9000", "1", "extra", NULL},
	};
	static const char *const discover[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"127.255.255.255", NULL},
	    {"127.255.255.255", "abc", NULL},
	    {"127.255.255.255", "9000", "0", NULL},
	    {"127.255.255.255", "9000", "500", "x", NULL},
	};
	static const char *const responder[][HX_MAX_USAGE_ARGS] = {
	    {NULL},
	    {"9000", NULL},
	    {"abc", "alpha", NULL},
	    {"9000", "", NULL},
	    {"9000", "alpha", "extra", NULL},
	};

	if (hx_expect_usage(c, "broadcast", broadcast, SL_COUNT(broadcast), EXIT_MS) == 0 &&
	    hx_expect_usage(c, "listen", listen, SL_COUNT(listen), EXIT_MS) == 0 &&
	    hx_expect_usage(c, "discover", discover, SL_COUNT(discover), EXIT_MS) == 0)
		hx_expect_usage(c, "responder", responder, SL_COUNT(responder), EXIT_MS);
}

/* The rubric: 100 points. */
static const struct sl_check checks[] = {
	{
		.id = "build",
		.title = "all four programs build without warnings",
		.points = 10,
		.timeout_ms = 60000,
		.programs = "broadcast listen discover responder",
		.hint = "Read the compiler's messages from the first one down; fix every "
			"warning too (an unused variable, a missing return, a signed and "
			"unsigned comparison).",
		.run = NULL,
	},
	{
		.id = "two-listeners",
		.title = "Two listeners on one port both hear a broadcast to 127.255.255.255",
		.points = 10,
		.timeout_ms = 5000,
		.programs = "listen",
		.hint = "Set SO_REUSEADDR with setsockopt before bind, or the second "
			"listener's bind fails with \"Address already in use\"; bind to "
			"INADDR_ANY (a socket bound to 127.0.0.1 never gets broadcasts); "
			"print one line per datagram and exit 0 after COUNT of them.",
		.run = check_two_listeners,
	},
	{
		.id = "three-listeners",
		.title = "The broadcaster reaches three listeners at once on 127.255.255.255",
		.points = 8,
		.timeout_ms = 6000,
		.programs = "broadcast listen",
		.hint = "Run it yourself: three \"listen PORT 1\" in other terminals, then "
			"\"broadcast 127.255.255.255 PORT hello\". The broadcaster needs "
			"SO_BROADCAST and must exit 0; each listener needs SO_REUSEADDR "
			"and prints \"from ADDRESS:PORT: hello\".",
		.run = check_three_listeners,
	},
	{
		.id = "broadcast-sends",
		.title = "The broadcaster sends COUNT datagrams of exactly MESSAGE's bytes",
		.points = 8,
		.timeout_ms = 5000,
		.programs = "broadcast",
		.hint = "setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &on, sizeof on) before "
			"sendto; send strlen(MESSAGE) bytes (no '\\0', no newline), COUNT "
			"times (1 when COUNT is not given), to the address getaddrinfo gave.",
		.run = check_broadcast_sends,
	},
	{
		.id = "limited-broadcast",
		.title = "A broadcast to 255.255.255.255 reaches a listener over a network "
			"device",
		.points = 10,
		.timeout_ms = 6000,
		.flags = SL_NAMESPACE,
		.programs = "broadcast listen",
		.hint = "255.255.255.255 is sent out of a real network device, here one with "
			"address 10.9.0.1: the listener must print the address recvfrom "
			"reports (\"from 10.9.0.1:PORT: ...\"), and the broadcaster must "
			"send to whatever address it was given, not a fixed one.",
		.run = check_limited_broadcast,
	},
	{
		.id = "sender-address",
		.title = "The listener prints the sender's own address and port",
		.points = 10,
		.timeout_ms = 5000,
		.programs = "listen",
		.hint = "Print the address recvfrom filled in (not getsockname, which is "
			"your own socket): inet_ntop for the address, ntohs(sin_port) for "
			"the port, and set the length argument to sizeof(from) before every "
			"recvfrom.",
		.run = check_sender_address,
	},
	{
		.id = "lengths",
		.title = "The listener prints a long datagram, then a short one, exactly",
		.points = 8,
		.timeout_ms = 5000,
		.programs = "listen",
		.hint = "recvfrom returns the datagram's length n and adds no '\\0': write "
			"exactly n bytes (fwrite or write), or set buf[n] = '\\0' (with a "
			"buffer one byte larger) before printing with %s. Otherwise the "
			"short message is followed by the rest of the long one.",
		.run = check_lengths,
	},
	{
		.id = "discover-harness",
		.title = "discover prints the answers of three responders, once each",
		.points = 8,
		.timeout_ms = 5000,
		.programs = "discover",
		.hint = "Send \"DISCOVER\" (8 bytes) once with SO_BROADCAST, then keep "
			"calling recvfrom until TIMEOUT_MS after the question, with poll or "
			"SO_RCVTIMEO set to the time left; print \"answer from "
			"ADDRESS:PORT: NAME\" for each answer and do not stop at the first.",
		.run = check_discover_harness,
	},
	{
		.id = "discover-two",
		.title = "Discovery with two responders on one port lists both, once each",
		.points = 6,
		.timeout_ms = 10000,
		.programs = "discover responder",
		.hint = "Each responder binds the port with SO_REUSEADDR and answers every "
			"\"DISCOVER\" it gets with its NAME, sent with sendto to the address "
			"recvfrom gave; discover collects answers until its timeout.",
		.run = check_discover_two,
	},
	{
		.id = "discover-three",
		.title = "Discovery with three responders on one port lists all three",
		.points = 6,
		.timeout_ms = 10000,
		.programs = "discover responder",
		.hint = "As with two responders: every responder on the port gets its own "
			"copy of the broadcast question, and discover must wait for all of "
			"them, printing each answer once.",
		.run = check_discover_three,
	},
	{
		.id = "responder-direct",
		.title = "The responder answers each asker directly, not by broadcast",
		.points = 6,
		.timeout_ms = 5000,
		.programs = "responder",
		.hint = "Answer with sendto(fd, name, strlen(name), 0, (struct sockaddr "
			"*)&asker, asker_len), where asker is the address recvfrom filled "
			"in: a unicast reply that only the asker gets. Do not send to a "
			"broadcast address.",
		.run = check_responder_direct,
	},
	{
		.id = "forgot-flag",
		.title = "A broadcast the kernel refuses (EACCES) is reported: exit 2",
		.points = 6,
		.timeout_ms = 6000,
		.programs = "broadcast discover",
		.hint = "Test what sendto returns: when it is negative, print a message "
			"naming sendto and strerror(errno), e.g. \"broadcast: sendto "
			"127.255.255.255 port 9000: Permission denied\", and return 2. "
			"EACCES is what you get without SO_BROADCAST.",
		.run = check_forgot_flag,
	},
	{
		.id = "usage",
		.title = "Every program rejects bad arguments with a usage line, status 1",
		.points = 4,
		.timeout_ms = 30000,
		.programs = "broadcast listen discover responder",
		.hint = "Check the argument count and every number with parse_number before "
			"any socket call (PORT 1..65535, COUNT 1..1000, TIMEOUT_MS "
			"1..60000, NAME not empty); otherwise print the usage line from the "
			"handout on stderr and return 1.",
		.run = check_usage,
	},
};

static const struct sl_lab lab05 = {
	.number = "05",
	.name = "broadcast",
	.title = "SO_BROADCAST: a broadcaster and listeners, and discovery of servers",
	.files = { "broadcast.c", "listen.c", "discover.c", "responder.c", "bcast.c" },
	.given = { "bcast.h" },
	.programs = {
		{ .name = "broadcast", .sources = { "broadcast.c", "bcast.c" } },
		{ .name = "listen", .sources = { "listen.c", "bcast.c" } },
		{ .name = "discover", .sources = { "discover.c", "bcast.c" } },
		{ .name = "responder", .sources = { "responder.c", "bcast.c" } },
	},
	.checks = checks,
	.nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab05);
