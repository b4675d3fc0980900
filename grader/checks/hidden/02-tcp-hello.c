/* hidden/02-tcp-hello.c - lab 02's hidden check: queued clients.
 *
 * Hidden checks run in batch and exported grading, never in a student's
 * own `make grade`, and are left out of the student release. This one
 * catches a server that passes the public checks, which meet it one client
 * at a time, but mixes up clients that wait in the listen queue together:
 * a greeting taken from the wrong socket, or one shared buffer.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "../../sl_grade.h"

#define READY_MS  1500 /* the server starts listening */
#define IO_MS	  1500 /* a connection completes, a greeting arrives */
#define QUEUED	  5    /* clients connected before the first is served */
#define REPLY_CAP 4096 /* more than any greeting */
#define CHECK_MS  8000 /* the whole check */

/* Connects QUEUED clients at once, so the kernel queues them all before
 * the server accepts the first; then each must get its own greeting. */
static void check_queued_clients(struct hx_check *c)
{
	int port = hx_port(c, 0);
	char port_arg[16];
	const char *args[] = {port_arg, NULL};
	struct hx_conn conns[QUEUED];
	struct hx_proc *server;
	int opened = 0;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	server = hx_start_labelled(c, "server", "server", args);
	if (!server || hx_wait_ready(c, server, HX_TCP, port, READY_MS) < 0)
		return;
	for (; opened < QUEUED; opened++)
		if (hx_tcp_connect(c, &conns[opened], "127.0.0.1", port,
				   IO_MS) < 0)
			goto out_close;
	for (int n = 0; n < QUEUED && hx_ok(c); n++) {
		struct sockaddr_in
		    me; /* the client's end, named in its greeting */
		socklen_t me_len = sizeof(me);
		char want[128], what[64];

		if (getsockname(conns[n].fd, (struct sockaddr *)&me, &me_len) <
		    0) {
			hx_fail(c, HX_ERROR, "getsockname: %s",
				strerror(errno));
			break;
		}
		snprintf(want, sizeof(want),
			 "Thank you for connecting, 127.0.0.1 port %u\n",
			 (unsigned)ntohs(me.sin_port));
		snprintf(what, sizeof(what), "reply to queued client %d of %d",
			 n + 1, QUEUED);
		if (hx_recv_all(c, &conns[n], REPLY_CAP, IO_MS) < 0)
			break;
		hx_expect_bytes(c, what, want, strlen(want), conns[n].in.data,
				conns[n].in.len);
	}
out_close:
	for (int n = 0; n < opened; n++)
		hx_close(c, &conns[n]);
}

static const struct sl_check hidden_checks[] = {
    {
	.id = "queued-clients",
	.title = "server greets 5 clients that connected at once, each with "
		 "its own port",
	.points = 10,
	.timeout_ms = CHECK_MS,
	.flags = SL_HIDDEN,
	.programs = "server",
	.hint = "Clients that connect while the server is busy wait in the "
		"listen queue (listen's backlog). Serve each in turn: its own "
		"accept, its own getpeername on the socket accept returned, "
		"its own greeting, then close it.",
	.run = check_queued_clients,
    },
};

static const struct sl_hidden_checks lab02_hidden = {
    .lab = "02",
    .checks = hidden_checks,
    .nchecks = SL_COUNT(hidden_checks),
};

SL_REGISTER_HIDDEN(lab02_hidden);
