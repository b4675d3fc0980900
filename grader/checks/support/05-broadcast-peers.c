/* 05-broadcast-peers.c - lab 05: harness sockets that share a port, and
 * what the student's programs print.
 *
 * Included by grader/checks/05-broadcast.c (the Makefile compiles only the
 * check files themselves). Several programs bind one port here, so a
 * program is "ready" when enough sockets are bound to the port; the
 * harness's own sockets share it with SO_REUSEADDR and may broadcast.
 * Lines are matched against "PREFIX ADDRESS:PORT: BODY". The last part
 * makes setsockopt(SO_BROADCAST) do nothing, to see a refused broadcast
 * reported.
 */

/* Deadlines of single steps, in milliseconds (scaled like all deadlines). */
#define READY_MS	  1500 /* listeners or responders bind their port */
#define IO_MS		  1500 /* a datagram arrives, a program exits */
#define EXIT_MS		  1500 /* a program exits after bad arguments */
#define RESOLVE_MS	  3000 /* a program gives up on an unknown name */
#define AT_ONCE_MS	  200  /* a line follows its datagram (scaled) */
#define DEADLINE_EARLY_MS 30   /* discover may seem to end this much early */
#define DEADLINE_LATE_MS  500  /* and end this much late (scaled) */
#define MAX_PEERS	  4    /* harness sockets on one port */

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
			    "only %d of %d sockets were bound to UDP port %d "
			    "after %.1f s",
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
			"%s was started as \"listen PORT 1\": it should print "
			"one line and exit 0",
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

/* Requires the listener's line holding needle to reach the harness at
 * once after its datagram was sent (sent_ms, since the check started).
 * A line that never comes while the listener runs, but comes when it is
 * stopped, was held in stdio's buffer: that cause is named. */
static int expect_line_soon(struct hx_check *c, struct hx_proc *p,
			    const char *needle, int64_t sent_ms)
{
	int within = (int)(AT_ONCE_MS * hx_timeout_scale());
	int64_t deadline = hx_deadline(IO_MS);
	size_t from = p->out_seen;

	while (
	    !(p->out.len > from && memmem(p->out.data + from, p->out.len - from,
					  needle, strlen(needle))) &&
	    hx_proc_running(p) && hx_remaining_ms(deadline) > 0)
		hx_proc_pump(p, 20);
	if (!hx_proc_running(p) || hx_remaining_ms(deadline) > 0)
		return hx_expect_line_by(c, p, needle, sent_ms, within, 0);
	/* Still running, line not there: stop it, and see what exit
	 * flushes. */
	p->stopped_by_harness = 1;
	kill(p->pid, SIGTERM);
	deadline = hx_deadline(IO_MS);
	while (hx_proc_running(p) && hx_remaining_ms(deadline) > 0)
		hx_proc_pump(p, 20);
	hx_proc_pump(p, 0);
	if (p->out.len > from && memmem(p->out.data + from, p->out.len - from,
					needle, strlen(needle))) {
		hx_set_cause(c, HX_CAUSE_LATE_OUTPUT,
			     "%s: a line came only when it was stopped",
			     p->label);
		return hx_fail(c, HX_FAIL,
			       "%s printed its line for a datagram only when "
			       "it was stopped (SIGTERM), %.1f s later: it was "
			       "held in stdout's buffer",
			       p->label, IO_MS / 1000.0);
	}
	return hx_proc_read_until(c, p, needle, 0);
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
