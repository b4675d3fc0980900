/* 03-udp-echo-peers.c - lab 03: the harness's side of every datagram.
 *
 * Included by grader/checks/03-udp-echo.c (the Makefile compiles only the
 * check files themselves). For the server's checks the harness plays
 * clients; for the client's checks it plays the server, and a plan says
 * how: which tries it lets pass unanswered, what it answers, from where,
 * and what strays come first. Arrival times are the kernel's own stamps
 * (SO_TIMESTAMP), so the gap between two tries is measured as the client
 * made it, not as late as the harness happened to look.
 */

/* Deadlines of single steps, in milliseconds (scaled like all deadlines). */
#define READY_MS   1500 /* a server binds its port */
#define IO_MS	   1500 /* a reply or a request arrives, a client exits */
#define STOP_MS	   1000 /* a server exits after SIGTERM or SIGINT */
#define EXIT_MS	   1500 /* a program exits after bad arguments */
#define RESOLVE_MS 3000 /* the client gives up on an unknown name */

/* The time the client's own timers take: about time itself, never scaled
 * where it is a lower bound (a timer never fires early). */
#define EARLY_MS 25   /* a try may end this much before its timeout */
#define LATE_MS	 1000 /* and this much after it (scaled) */

/* A harness UDP socket on host (a numeric IPv4 or IPv6 address), on port
 * (0: any free port), whose datagrams the kernel stamps on arrival. */
static int open_peer_on(struct hx_check *c, struct hx_conn *peer,
			const char *host, int port)
{
	int on = 1;

	if (hx_udp_open(c, peer, host, port) < 0)
		return -1;
	if (setsockopt(peer->fd, SOL_SOCKET, SO_TIMESTAMP, &on, sizeof(on)) <
	    0) {
		int err = errno;

		hx_close(c, peer);
		return hx_fail(c, HX_ERROR, "setsockopt SO_TIMESTAMP: %s",
			       strerror(err));
	}
	return 0;
}

/* A harness UDP socket on 127.0.0.1. */
static int open_peer(struct hx_check *c, struct hx_conn *peer, int port)
{
	return open_peer_on(c, peer, "127.0.0.1", port);
}

/* When the last datagram peer received reached its socket, in ms on the
 * kernel's clock (only differences of two of these mean anything). */
static int64_t arrival_ms(const struct hx_conn *peer)
{
	struct timeval tv;

	if (ioctl(peer->fd, SIOCGSTAMP, &tv) < 0)
		return hx_now_ms();
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* "ADDRESS port PORT" of an IPv4 or IPv6 socket address. */
static void address_text(const struct sockaddr_storage *addr, char *out,
			 size_t size)
{
	char host[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;

	if (addr->ss_family == AF_INET) {
		const struct sockaddr_in *v4 = (const struct sockaddr_in *)addr;

		inet_ntop(AF_INET, &v4->sin_addr, host, sizeof(host));
		port = ntohs(v4->sin_port);
	} else if (addr->ss_family == AF_INET6) {
		const struct sockaddr_in6 *v6 =
		    (const struct sockaddr_in6 *)addr;

		inet_ntop(AF_INET6, &v6->sin6_addr, host, sizeof(host));
		port = ntohs(v6->sin6_port);
	}
	snprintf(out, size, "%s port %u", host, port);
}

/* Sends data from peer to the address to (a sender a datagram came
 * from), recording it in the transcript. */
static int send_back(struct hx_check *c, struct hx_conn *peer,
		     const struct sockaddr_storage *to, const void *data,
		     size_t len)
{
	socklen_t to_len = to->ss_family == AF_INET6
			       ? sizeof(struct sockaddr_in6)
			       : sizeof(struct sockaddr_in);
	char where[INET6_ADDRSTRLEN + 16];

	if (sendto(peer->fd, data, len, 0, (const struct sockaddr *)to,
		   to_len) < 0) {
		address_text(to, where, sizeof(where));
		return hx_fail(c, HX_ERROR, "sendto %s: %s", where,
			       strerror(errno));
	}
	hx_record(c, peer->id, '>', data, len);
	return 0;
}

/* Waits up to timeout_ms for one datagram on peer (into peer->in, sender
 * in peer->peer) and returns its length. Fails at once, rather than at the
 * deadline, when proc (the program that should send it) ends first. what
 * names the datagram in feedback: "the reply to the empty datagram". */
static long receive_from(struct hx_check *c, struct hx_conn *peer,
			 struct hx_proc *proc, const char *what, int timeout_ms)
{
	char after[128];
	int ready;

	snprintf(after, sizeof(after), "before %s came", what);
	ready = hx_wait_readable(c, peer->fd, proc, after, timeout_ms);
	if (ready == 0)
		return hx_fail(c, HX_TIMEOUT, "%s did not come within %.1f s",
			       what, timeout_ms / 1000.0);
	return ready > 0 ? hx_udp_recv(c, peer, 0) : -1;
}

/* Takes every datagram already waiting on peer; returns how many. */
static int drain(struct hx_check *c, struct hx_conn *peer)
{
	struct pollfd pfd = {.fd = peer->fd, .events = POLLIN};
	int n = 0;

	while (poll(&pfd, 1, 0) == 1 && hx_udp_recv(c, peer, 0) >= 0)
		n++;
	return n;
}

/* ---- the server's side: the harness plays clients ---------------------- */

/* Starts the server on port and waits until its UDP socket is bound. */
#define start_server(c, label, port)                                           \
	hx_start_server_on(c, label, "server", HX_UDP, port, NULL, READY_MS)

/* Sends data to the server on port from peer, and requires a reply that
 * is the same bytes. what names the datagram in feedback. */
static int expect_echo(struct hx_check *c, struct hx_proc *server,
		       struct hx_conn *peer, int port, const char *what,
		       const void *data, size_t len)
{
	char label[96];

	snprintf(label, sizeof(label), "the reply to %s", what);
	if (hx_udp_send(c, peer, "127.0.0.1", port, data, len) < 0 ||
	    receive_from(c, peer, server, label, IO_MS) < 0)
		return -1;
	return hx_expect_bytes(c, label, data, len, peer->in.data,
			       peer->in.len);
}

/* Starts the server on port and requires it to echo one datagram, data,
 * to a fresh peer. */
static void echo_once_on(struct hx_check *c, int port, const char *what,
			 const void *data, size_t len)
{
	struct hx_proc *server = start_server(c, "server", port);
	struct hx_conn peer;

	if (!server || open_peer(c, &peer, 0) < 0)
		return;
	expect_echo(c, server, &peer, port, what, data, len);
	hx_close(c, &peer);
}

/* ---- the client's side: the harness plays the server ------------------- */

/* Strays a plan sends before the reply. */
enum strays {
	NO_STRAYS,    /* none */
	LONG_STRAYS,  /* longer than the reply, so bytes of them left in a
			 buffer show; from another port and, on IPv4, from
			 the server's port on another address */
	SHORT_STRAYS, /* the same, shorter than the reply */
};

/* How the harness, as the server, treats one run of the client. */
struct serve_plan {
	const char *host;    /* where it listens: "127.0.0.1" or "::1" */
	const char *message; /* MESSAGE; NULL: the default one */
	const char *timeout; /* TIMEOUT_MS; NULL: left out (and RETRIES) */
	const char *retries; /* RETRIES; NULL: left out */
	int exact_request;   /* 1: every try must be MESSAGE exactly */
	int ignore;	     /* tries it lets pass before it replies */
	int gap_ms;	     /* > 0: the client's timeout, which must part
				the tries it lets pass from the next */
	int to_first;	     /* 1: the reply goes to the first try's
				sender, after the last try came (late) */
	const void *reply;   /* the reply datagram */
	size_t len;	     /* its length */
	enum strays strays;  /* datagrams from elsewhere that come first */
	const char *more;    /* a second datagram right after it, or NULL */
	int run_ms;	     /* the client's budget to exit, unscaled */
};

/* The client's command line for a plan, on port. */
static void plan_args(const struct serve_plan *plan, const char *port_arg,
		      const char **args)
{
	int n = 0;

	args[n++] = plan->host;
	args[n++] = port_arg;
	args[n++] = plan->message ? plan->message : MESSAGE;
	if (plan->timeout) {
		args[n++] = plan->timeout;
		if (plan->retries)
			args[n++] = plan->retries;
	}
	args[n] = NULL;
}

/* Requires the gap between two tries to be the client's timeout. */
static int expect_gap(struct hx_check *c, int try, long gap, int timeout_ms)
{
	long most = timeout_ms + (long)(LATE_MS * hx_timeout_scale());

	if (gap >= timeout_ms - EARLY_MS && gap <= most)
		return 0;
	return hx_fail(c, HX_FAIL,
		       "try %d came %ld ms after try %d; with a timeout of %d "
		       "ms it should come after %d ms (%d to %ld ms passes)",
		       try + 1, gap, try, timeout_ms, timeout_ms,
		       timeout_ms - EARLY_MS, most);
}

/* Sends the strays of the plan to the client at to: from another port of
 * the server's address and, on IPv4, from the server's port on another
 * address. Only both together are the server. */
static int send_strays(struct hx_check *c, const struct serve_plan *plan,
		       int port, const struct sockaddr_storage *to)
{
	const char *stray = plan->strays == LONG_STRAYS
				? "a stray datagram from someone who is not "
				  "the server: ignore it"
				: "a stray";
	struct hx_conn other_port, other_address;

	if (open_peer_on(c, &other_port, plan->host, 0) < 0)
		return -1;
	send_back(c, &other_port, to, stray, strlen(stray));
	hx_close(c, &other_port);
	if (strcmp(plan->host, "127.0.0.1") == 0 &&
	    open_peer_on(c, &other_address, "127.0.0.2", port) == 0) {
		send_back(c, &other_address, to, stray, strlen(stray));
		hx_close(c, &other_address);
	}
	return hx_ok(c) ? 0 : -1;
}

/* Plays the server for one run of the client by plan: takes its tries
 * (each compared with MESSAGE when the plan says so), lets plan->ignore
 * of them pass, answers the next, and requires the client to print the
 * reply and "\n", exit 0, and send no try after the reply. */
static void serve_client(struct hx_check *c, const struct serve_plan *plan)
{
	const char *message = plan->message ? plan->message : MESSAGE;
	int port = hx_port(c, 0);
	char port_arg[16];
	const char *args[8];
	struct sockaddr_storage first, last; /* senders of the tries */
	struct hx_conn server;
	struct hx_proc *client;
	struct hx_buf want;
	int64_t arrived = 0;
	int tries = 0;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	plan_args(plan, port_arg, args);
	if (open_peer_on(c, &server, plan->host, port) < 0)
		return;
	client = hx_start(c, "client", args);
	if (!client)
		goto out_close_server;
	for (; tries <= plan->ignore && hx_ok(c); tries++) {
		char what[64];
		int wait = IO_MS + (tries > 0 ? plan->gap_ms : 0);
		int64_t now;

		snprintf(what, sizeof(what), "try %d of the client", tries + 1);
		if (receive_from(c, &server, client, what, wait) < 0)
			break;
		now = arrival_ms(&server);
		if (plan->exact_request)
			hx_expect_bytes(c, what, message, strlen(message),
					server.in.data, server.in.len);
		if (tries > 0 && plan->gap_ms > 0 && hx_ok(c))
			expect_gap(c, tries, (long)(now - arrived),
				   plan->gap_ms);
		if (tries == 0)
			first = server.peer;
		last = server.peer;
		arrived = now;
	}
	if (!hx_ok(c) ||
	    (plan->strays != NO_STRAYS &&
	     send_strays(c, plan, port, &last) < 0) ||
	    send_back(c, &server, plan->to_first ? &first : &last, plan->reply,
		      plan->len) < 0 ||
	    (plan->more && send_back(c, &server, &last, plan->more,
				     strlen(plan->more)) < 0) ||
	    hx_proc_expect_exit(c, client, 0, plan->run_ms) < 0)
		goto out_note;
	/* The client has ended: any try it sent after the reply is queued. */
	tries += drain(c, &server);
	if (hx_expect_int(c, "tries the server received", plan->ignore + 1,
			  tries) < 0)
		goto out_note;
	hx_buf_init(&want);
	hx_buf_add(&want, plan->reply, plan->len);
	hx_buf_add(&want, "\n", 1);
	hx_expect_bytes(c, "client's stdout", want.data, want.len,
			client->out.data, client->out.len);
	hx_buf_free(&want);
out_note:
	if (!hx_ok(c) && plan->ignore > 0)
		hx_note(c,
			"the server let %d tr%s pass unanswered and replied to "
			"the next%s",
			plan->ignore, plan->ignore == 1 ? "y" : "ies",
			plan->to_first ? ", to the address of the first try"
				       : "");
out_close_server:
	hx_close(c, &server);
}

/* Runs "client 127.0.0.1 PORT MESSAGE timeout retries" and requires its
 * request to arrive: the arguments were taken. What it does then is other
 * checks' business, so it is stopped there. */
static int expect_accepted(struct hx_check *c, const char *timeout,
			   const char *retries)
{
	int port = hx_port(c, 0);
	char port_arg[16], label[96];
	const char *args[] = {"127.0.0.1", port_arg, MESSAGE,
			      timeout,	   retries,  NULL};
	struct hx_conn server;
	struct hx_proc *client;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	snprintf(label, sizeof(label), "client 127.0.0.1 %d \"%s\" %s %s", port,
		 MESSAGE, timeout, retries);
	if (open_peer(c, &server, port) < 0)
		return -1;
	client = hx_start_labelled(c, label, "client", args);
	if (client &&
	    receive_from(c, &server, client, "the request", IO_MS) < 0)
		hx_note(c, "TIMEOUT_MS %s and RETRIES %s are in range", timeout,
			retries);
	if (client && hx_proc_running(client)) {
		client->stopped_by_harness = 1;
		hx_proc_kill(client);
	}
	hx_close(c, &server);
	return hx_ok(c) ? 0 : -1;
}

/* Starts "client 127.0.0.1 PORT MESSAGE [TIMEOUT_MS [RETRIES]]" against a
 * harness socket on PORT that never answers, counts the datagrams it gets
 * until the client exits, and requires exit status 3, a "no reply"
 * message, nothing on stdout, and a run no shorter than the timeouts.
 * timeout_ms and retries are the values the client uses; timeout_arg and
 * retries_arg are what it is given (NULL: left out, the default). */
static void expect_no_reply(struct hx_check *c, int timeout_ms, int retries,
			    const char *timeout_arg, const char *retries_arg,
			    int count_tries)
{
	int port = hx_port(c, 0);
	int tries = retries + 1;
	int budget = tries * timeout_ms; /* the client's waits, unscaled */
	char port_arg[16];
	const char *args[] = {"127.0.0.1", port_arg,	MESSAGE,
			      timeout_arg, retries_arg, NULL};
	int64_t started, deadline = hx_deadline(budget + IO_MS);
	struct hx_conn silent;
	struct hx_proc *client;
	int pidfd, received = 0;
	long waited;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	if (open_peer(c, &silent, port) < 0)
		return;
	started = hx_now_ms();
	client = hx_start(c, "client", args);
	if (!client)
		goto out_close;
	/* Take every datagram until the client ends or the deadline; then
	 * what it sent before it ended is still in the socket's queue. */
	pidfd = (int)syscall(SYS_pidfd_open, client->pid, 0);
	for (;;) {
		struct pollfd pfd[2] = {
		    {.fd = silent.fd, .events = POLLIN},
		    {.fd = pidfd, .events = POLLIN},
		};
		int ready = poll(pfd, 2, hx_remaining_ms(deadline));

		if (ready < 0 && errno == EINTR)
			continue;
		if (pfd[0].revents & POLLIN) {
			if (hx_udp_recv(c, &silent, 0) < 0)
				break;
			received++;
			continue;
		}
		if (ready <= 0 || (pfd[1].revents & POLLIN))
			break;
	}
	if (pidfd >= 0)
		close(pidfd);
	if (!hx_ok(c))
		goto out_note;
	waited = (long)(hx_now_ms() - started);
	if (hx_proc_running(client)) {
		hx_fail(c, HX_TIMEOUT,
			"the client was still running after %.1f s, though its "
			"tries should all have timed out after %.1f s",
			waited / 1000.0, budget / 1000.0);
		goto out_note;
	}
	if (hx_proc_expect_exit(c, client, 3, IO_MS) < 0)
		goto out_note;
	if (count_tries) {
		received += drain(c, &silent);
		if (hx_expect_int(c, "datagrams the server received", tries,
				  received) < 0)
			goto out_note;
	}
	if (hx_expect_contains(c, "client's stderr", "no reply",
			       client->err.data) < 0 ||
	    hx_expect_bytes(c, "client's stdout", "", 0, client->out.data,
			    client->out.len) < 0)
		goto out_note;
	/* A timer never fires early: a client that ends sooner than its
	 * timeouts did not wait for them. */
	if (waited < budget * 8 / 10)
		hx_fail(c, HX_FAIL,
			"the client gave up after %ld ms, before its %d tries "
			"of %d ms could have timed out",
			waited, tries, timeout_ms);
out_note:
	if (!hx_ok(c))
		hx_note(c,
			"the server stayed silent; the client was run as "
			"\"client 127.0.0.1 %d %s%s%s%s%s\": %d %s of %d ms; "
			"it sent %d datagram%s",
			port, MESSAGE, timeout_arg ? " " : "",
			timeout_arg ? timeout_arg : "", retries_arg ? " " : "",
			retries_arg ? retries_arg : "", tries,
			tries == 1 ? "try" : "tries", timeout_ms, received,
			received == 1 ? "" : "s");
out_close:
	hx_close(c, &silent);
}
