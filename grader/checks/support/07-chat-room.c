/* 07-chat-room.c - lab 07: part two, the room's checks: members that talk, and
 * members that do not read.
 *
 * Included by grader/checks/07-chat.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

/* ---- part two: the room ------------------------------------------- */

/* One member, played by the harness. */
struct member {
	const char *nick;    /* its nick */
	struct hx_conn conn; /* its connection to the room */
};

/* The room of the running check (each check runs in a process of its
 * own, and starts one room at a time). */
static struct hx_proc *room_under_test;

/* Starts the room on port, natively or under a Valgrind tool. */
static struct hx_proc *start_room(struct hx_check *c, const char *tool)
{
	int port = hx_port(c, 0);
	char port_arg[16];
	const char *args[] = {port_arg, NULL};
	struct hx_spawn spawn = {
	    .label = tool ? "room (under the thread checker)" : "room",
	    .program = "room",
	    .args = args,
	    .tool = tool,
	};
	struct hx_proc *room;

	snprintf(port_arg, sizeof(port_arg), "%d", port);
	room = hx_start_with(c, &spawn);
	if (!room || hx_wait_ready(c, room, HX_TCP, port,
				   tool ? TOOL_READY_MS : READY_MS) < 0)
		return NULL;
	room_under_test = room;
	return room;
}

/* A room that died while a check failed is given a moment to finish
 * dying: its connections close before the process is gone, and one
 * reaped only after the harness killed it could not be named for its
 * signal (SIGPIPE) in the diagnosis. */
static void settle_room(struct hx_check *c)
{
	int64_t deadline = hx_deadline(SETTLE_MS);

	if (hx_ok(c) || !room_under_test)
		return;
	while (hx_proc_running(room_under_test) &&
	       hx_remaining_ms(deadline) > 0)
		hx_pause(10);
}

/* Every room check: its steps, then settle_room. */
#define ROOM_CHECK(name)                                                       \
	static void name##_steps(struct hx_check *c);                          \
	static void name(struct hx_check *c)                                   \
	{                                                                      \
		name##_steps(c);                                               \
		settle_room(c);                                                \
	}                                                                      \
	static void name##_steps(struct hx_check *c)

/* Sends sig to the room once it is idle and requires exit 0 within
 * timeout_ms; a death by a signal is named as its cause. */
static int stop_room(struct hx_check *c, struct hx_proc *room, int sig,
		     int timeout_ms)
{
	if (hx_proc_signal_exit(c, room, sig, timeout_ms) == 0)
		return 0;
	if (room->exited && WIFSIGNALED(room->wait_status) &&
	    WTERMSIG(room->wait_status) == SIGPIPE)
		hx_set_cause(c, HX_CAUSE_SIGPIPE,
			     "%s: killed by SIGPIPE while it stopped",
			     room->label);
	return -1;
}

/* Stops the room with SIGTERM and waits (STOP_MS) for it to exit,
 * without judging how: stop-signal does. */
static void stop_room_quietly(struct hx_check *c, struct hx_proc *room)
{
	int64_t deadline = hx_deadline(STOP_MS);

	hx_proc_wait_idle(room, IO_MS);
	hx_recordf(c, 0, "stopping %s (SIGTERM)", room->label);
	room->stopped_by_harness = 1;
	kill(room->pid, SIGTERM);
	while (hx_proc_running(room) && hx_remaining_ms(deadline) > 0)
		hx_proc_pump(room, 20);
	hx_proc_pump(room, 0);
}

/* Receives the next line of m and requires it to be want. */
static int expect_line_within(struct hx_check *c, struct member *m,
			      const char *want, int timeout_ms)
{
	char what[96];
	long n = hx_recv_until(c, &m->conn, "\n", timeout_ms);

	snprintf(what, sizeof(what), "next line to %s", m->nick);
	if (n < 0) {
		hx_fail_show(c, want, strlen(want), NULL, 0);
		hx_note(c, "%s was waiting for \"%.*s\"", m->nick,
			(int)strcspn(want, "\n"), want);
		return -1;
	}
	if (hx_expect_bytes(c, what, want, strlen(want), m->conn.in.data,
			    (size_t)n) < 0)
		return -1;
	hx_consume(&m->conn, (size_t)n);
	return 0;
}

static int expect_line(struct hx_check *c, struct member *m, const char *want)
{
	return expect_line_within(c, m, want, IO_MS);
}

/* Connects m, sends its nick line (nick and eol) cut by plan and
 * requires the welcome. */
static int connect_member_eol(struct hx_check *c, struct member *m,
			      const char *eol, const struct hx_plan *plan,
			      int timeout_ms)
{
	char line[96];

	if (hx_tcp_connect(c, &m->conn, "127.0.0.1", hx_port(c, 0), IO_MS) < 0)
		return -1;
	snprintf(line, sizeof(line), "%s%s", m->nick, eol);
	if (hx_send_str(c, &m->conn, line, plan) < 0)
		return -1;
	snprintf(line, sizeof(line), "* welcome %s\n", m->nick);
	return expect_line_within(c, m, line, timeout_ms);
}

static int connect_member(struct hx_check *c, struct member *m,
			  const struct hx_plan *plan, int timeout_ms)
{
	return connect_member_eol(c, m, "\n", plan, timeout_ms);
}

/* Requires each member of list[0..n-1] still connected but skip to get
 * the line want. */
static int expect_all_but(struct hx_check *c, struct member *list, int n,
			  const struct member *skip, const char *want,
			  int timeout_ms)
{
	for (int i = 0; i < n; i++)
		if (&list[i] != skip && list[i].conn.fd >= 0 &&
		    expect_line_within(c, &list[i], want, timeout_ms) < 0)
			return -1;
	return 0;
}

/* Joins list[count] to a room whose members are list[0..count-1], who
 * must each be told "* NICK joined". */
static int join_within(struct hx_check *c, struct member *list, int count,
		       int timeout_ms)
{
	char notice[96];

	if (connect_member(c, &list[count], NULL, timeout_ms) < 0)
		return -1;
	snprintf(notice, sizeof(notice), "* %s joined\n", list[count].nick);
	if (expect_all_but(c, list, count, NULL, notice, timeout_ms) < 0)
		return -1;
	hx_proc_wait_idle(room_under_test, timeout_ms);
	return 0;
}

/* Joins the first n members of list, one after another. */
static int join_all(struct hx_check *c, struct member *list, int n)
{
	for (int i = 0; i < n; i++)
		if (join_within(c, list, i, IO_MS) < 0)
			return -1;
	return 0;
}

/* m says text (lines, each with its "\n") cut by plan; every other member
 * of list must get each line as "NICK: TEXT", in order. */
static int say(struct hx_check *c, struct member *list, int n, struct member *m,
	       const char *text, const struct hx_plan *plan, int timeout_ms)
{
	char want[256];

	if (hx_send_str(c, &m->conn, text, plan) < 0)
		return -1;
	for (const char *line = text; *line;) {
		size_t len = strcspn(line, "\r\n");

		snprintf(want, sizeof(want), "%s: %.*s\n", m->nick, (int)len,
			 line);
		if (expect_all_but(c, list, n, m, want, timeout_ms) < 0)
			return -1;
		line += len;
		line += strspn(line, "\r\n");
	}
	hx_proc_wait_idle(room_under_test, timeout_ms);
	return 0;
}

/* m leaves, with a close or (reset set) a reset, and the others in list
 * must be told "* NICK left". */
static int leave_by(struct hx_check *c, struct member *list, int n,
		    struct member *m, int reset, int timeout_ms)
{
	char notice[96];

	if (reset)
		hx_reset(c, &m->conn);
	else
		hx_close(c, &m->conn);
	snprintf(notice, sizeof(notice), "* %s left\n", m->nick);
	if (expect_all_but(c, list, n, m, notice, timeout_ms) < 0)
		return -1;
	hx_proc_wait_idle(room_under_test, timeout_ms);
	return 0;
}

static int leave(struct hx_check *c, struct member *list, int n,
		 struct member *m, int timeout_ms)
{
	return leave_by(c, list, n, m, 0, timeout_ms);
}

/* Connects, sends first (a nick line), and requires the reply want and
 * then the room's close. */
static int expect_refused(struct hx_check *c, const char *first,
			  const char *want)
{
	struct hx_conn conn;
	int rc = -1;

	if (hx_tcp_connect(c, &conn, "127.0.0.1", hx_port(c, 0), IO_MS) < 0)
		return -1;
	if (hx_send_str(c, &conn, first, NULL) == 0 &&
	    hx_recv_all(c, &conn, 4096, IO_MS) == 0)
		rc = hx_expect_bytes(c, "the room's answer, then its close",
				     want, strlen(want), conn.in.data,
				     conn.in.len);
	hx_close(c, &conn);
	return rc;
}

ROOM_CHECK(check_relay_order)
{
	static const struct hx_plan random_pieces = {
	    .split = HX_RANDOM, .max_piece = 6, .delay_ms = 1};
	struct member list[] = {
	    {.nick = "ana"}, {.nick = "ben"}, {.nick = "cleo"}};
	char text[256];
	size_t used = 0;

	if (!start_room(c, NULL) || join_all(c, list, 3) < 0)
		return;
	for (int i = 1; i <= 10; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used,
					 "line %d of ten\n", i);
	if (say(c, list, 3, &list[0], text, NULL, IO_MS) < 0)
		return;
	say(c, list, 3, &list[2], "first\nsecond\nthird\n", &random_pieces,
	    IO_MS);
}

ROOM_CHECK(check_no_echo)
{
	struct member list[] = {
	    {.nick = "ana"}, {.nick = "ben"}, {.nick = "cleo"}};

	if (!start_room(c, NULL) || join_all(c, list, 3) < 0 ||
	    say(c, list, 3, &list[0], "one\ntwo\n", NULL, IO_MS) < 0 ||
	    say(c, list, 3, &list[1], "three\n", NULL, IO_MS) < 0)
		return;
	/* Had ana been sent her own lines, they would have come first. */
	say(c, list, 3, &list[2], "four\n", NULL, IO_MS);
}

ROOM_CHECK(check_notices)
{
	struct member list[] = {{.nick = "ana"},
				{.nick = "ben"},
				{.nick = "cleo"},
				{.nick = "dan"}};
	struct hx_proc *room = start_room(c, NULL);

	if (!room || join_all(c, list, 3) < 0 ||
	    leave(c, list, 3, &list[1], IO_MS) < 0)
		return;
	/* The room goes on without ben, and lets a newcomer in. */
	if (join_within(c, list, 3, IO_MS) < 0 ||
	    say(c, list, 4, &list[3], "hi all\n", NULL, IO_MS) < 0 ||
	    leave(c, list, 4, &list[0], IO_MS) < 0)
		return;
	/* It logged all that on stderr, and nothing on stdout (stdio keeps
	 * what it prints on a pipe until it exits). */
	stop_room_quietly(c, room);
	hx_expect_no_stdout(c, room);
}

ROOM_CHECK(check_vanish)
{
	struct member list[] = {
	    {.nick = "ana"}, {.nick = "ben"}, {.nick = "cleo"}};

	if (!start_room(c, NULL) || join_all(c, list, 3) < 0 ||
	    say(c, list, 3, &list[1], "brb\n", NULL, IO_MS) < 0)
		return;
	/* ben resets: the room's recv fails with ECONNRESET. */
	if (leave_by(c, list, 3, &list[1], 1, IO_MS) < 0)
		return;
	say(c, list, 3, &list[0], "still here\n", NULL, IO_MS);
}

/* ---- members that do not read -------------------------------------- */

/* One line of a round: round r, line i, ROUND_LINE bytes before the
 * "\n" (the room adds the prefix "ana: "). */
static void round_line(char *buf, int round, int i)
{
	int n = snprintf(buf, ROUND_LINE + 2, "round %d line %d ", round, i);

	memset(buf + n, '.', (size_t)(ROUND_LINE - n));
	buf[ROUND_LINE] = '\n';
	buf[ROUND_LINE + 1] = '\0';
}

/* talker sends round r, ROUND_LINES lines in one send. */
static int send_round(struct hx_check *c, struct member *talker, int r)
{
	static char text[ROUND_LINES * (ROUND_LINE + 1) + 2];
	size_t used = 0;

	for (int i = 0; i < ROUND_LINES; i++) {
		round_line(text + used, r, i);
		used += ROUND_LINE + 1;
	}
	return hx_send(c, &talker->conn, text, used, NULL);
}

/* m receives round r of talker, every line in order. The notice
 * "* NICK left" of the member gone (NULL: none expected) may come
 * between them, once: *left is then set. */
static int expect_round(struct hx_check *c, struct member *m,
			const struct member *talker, int r, const char *gone,
			int *left)
{
	char line[ROUND_LINE + 2], want[ROUND_LINE + 64], notice[96];

	snprintf(notice, sizeof(notice), "* %s left\n", gone ? gone : "");
	for (int i = 0; i < ROUND_LINES; i++) {
		long n = hx_recv_until(c, &m->conn, "\n", IO_MS);

		if (n < 0) {
			hx_note(c, "%s got %d of the %d lines of round %d",
				m->nick, i, ROUND_LINES, r + 1);
			return -1;
		}
		if (gone && !*left && (size_t)n == strlen(notice) &&
		    memcmp(m->conn.in.data, notice, (size_t)n) == 0) {
			*left = 1;
			hx_consume(&m->conn, (size_t)n);
			i--;
			continue;
		}
		round_line(line, r, i);
		snprintf(want, sizeof(want), "%s: %s", talker->nick, line);
		if (hx_expect_bytes(c, "next line", want, strlen(want),
				    m->conn.in.data, (size_t)n) < 0)
			return -1;
		hx_consume(&m->conn, (size_t)n);
	}
	return 0;
}

/* The last number of a /proc/sys file ("4096 16384 4194304"), or def. */
static long sysctl_last(const char *path, long def)
{
	char text[128];
	FILE *f = fopen(path, "re");
	long value = def;

	if (f && fgets(text, sizeof(text), f)) {
		char *last = strrchr(text, '\t');

		value = strtol(last ? last + 1 : text, NULL, 10);
	}
	if (f)
		fclose(f);
	return value > 0 ? value : def;
}

/* What the kernel holds for m: bytes the room wrote on m's connection
 * that m has not read, in the room's send queue and in m's receive
 * queue; -1 when it cannot be seen. */
static long queued_for(struct member *m)
{
	int self, peer, unread = 0;
	long sent, room_unread;

	if (conn_ports(&m->conn, &self, &peer) < 0 ||
	    ioctl(m->conn.fd, SIOCINQ, &unread) < 0 ||
	    tcp_queues(peer, self, &sent, &room_unread) < 0)
		return -1;
	return sent + unread;
}

/* The three members of the slow checks: ana talks, ben reads nothing,
 * cleo reads all. */
enum { ANA, BEN, CLEO };

/* What fill_until_blocked found. */
struct filled {
	int rounds;  /* rounds sent */
	int dropped; /* 1: ben was dropped meanwhile (his "left" came) */
};

/* ana talks in rounds while ben reads nothing, until what the kernel
 * holds for ben stops growing: the room's writer for ben is then blocked
 * in write, and what ben is sent from now on waits in his outbox (or the
 * kernel grows its buffers, which only makes the outbox smaller). ben's
 * receive buffer is fixed (one the kernel may grow would take megabytes),
 * and a pause that is only a pause (the kernel's window probes come every
 * 200 ms) is told apart by waiting longer. cleo must get every line; ben
 * may be dropped meanwhile once 1 MiB was sent. 0, or -1 after a
 * failure. */
static int fill_until_blocked(struct hx_check *c, struct member *list,
			      struct filled *out)
{
	long max = sysctl_last("/proc/sys/net/ipv4/tcp_wmem", 4 << 20);
	int max_rounds =
	    (int)((max + 2 * OUTBOX_MAX) / (ROUND_LINES * ROUND_LINE));
	int rcvbuf = BEN_RCVBUF;
	long last = -1;

	out->rounds = out->dropped = 0;
	if (setsockopt(list[BEN].conn.fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		       sizeof(rcvbuf)) < 0)
		return hx_fail(c, HX_ERROR, "setsockopt SO_RCVBUF: %s",
			       strerror(errno));
	hx_recordf(c, 0,
		   "ben stops reading; ana talks until the room's "
		   "writes to ben block");
	while (out->rounds < max_rounds) {
		int r = out->rounds++;
		long now;

		if (send_round(c, &list[ANA], r) < 0 ||
		    expect_round(c, &list[CLEO], &list[ANA], r, "ben",
				 &out->dropped) < 0)
			return -1;
		if (out->dropped &&
		    out->rounds * ROUND_LINES * ROUND_LINE <= OUTBOX_MAX)
			return hx_fail(c, HX_FAIL,
				       "ben was dropped after %d KB were sent "
				       "to him in all: a member is dropped "
				       "only once more than 1 MiB waits for "
				       "it",
				       out->rounds * ROUND_LINES * ROUND_LINE /
					   1000);
		if (out->dropped)
			return 0;
		hx_proc_wait_idle(room_under_test, IO_MS);
		now = queued_for(&list[BEN]);
		if (now >= 0 && now == last) {
			hx_pause(STILL_MS);
			now = queued_for(&list[BEN]);
		}
		if (now >= 0 && now == last) {
			hx_recordf(c, 0,
				   "the kernel holds %ld bytes for ben "
				   "and takes no more",
				   now);
			return 0;
		}
		last = now;
	}
	hx_recordf(c, 0,
		   "after %d rounds: the room's writes to ben must "
		   "have blocked",
		   max_rounds);
	return 0;
}

/* ana sends count more rounds (or until ben is dropped, with
 * until_dropped); cleo must get them all. ben, whose writer is blocked,
 * may be dropped only once more than 1 MiB waits for him: *dropped says
 * whether he was. */
static int talk_past_blocked(struct hx_check *c, struct member *list,
			     const struct filled *filled, int count,
			     int until_dropped, int *dropped)
{
	int before = *dropped;

	for (int i = 0; i < count && !(until_dropped && *dropped); i++) {
		int r = filled->rounds + i;

		if (send_round(c, &list[ANA], r) < 0 ||
		    expect_round(c, &list[CLEO], &list[ANA], r, "ben",
				 dropped) < 0) {
			hx_note(c, "ben reads nothing, and the room's writes "
				   "to him were blocked");
			return -1;
		}
		/* What waits for ben: at most the rounds since his writer
		 * blocked, and the one it blocked in. */
		if (*dropped && !before && i + 2 < EARLY_DROP_ROUNDS)
			return hx_fail(c, HX_FAIL,
				       "ben was dropped when at most %d KB "
				       "waited in his outbox: a member is "
				       "dropped only past 1 MiB",
				       (i + 2) * ROUND_LINES * ROUND_LINE /
					   1000);
	}
	return 0;
}

ROOM_CHECK(check_slow_member)
{
	struct member list[] = {
	    {.nick = "ana"}, {.nick = "ben"}, {.nick = "cleo"}};
	struct filled filled;
	int more;

	if (!start_room(c, NULL) || join_all(c, list, 3) < 0 ||
	    fill_until_blocked(c, list, &filled) < 0)
		return;
	/* Now every line for ben waits in his outbox (or he was dropped):
	 * cleo must get each round at once, past 1 MiB in all, and ben
	 * stays, his outbox far from 1 MiB (the kernel holds more than
	 * what his receive buffer takes). */
	more = (READER_TOTAL + ROUND_LINES * ROUND_LINE - 1) /
		   (ROUND_LINES * ROUND_LINE) -
	       filled.rounds;
	talk_past_blocked(c, list, &filled,
			  more > AFTER_BLOCKED ? more : AFTER_BLOCKED, 0,
			  &filled.dropped);
}

ROOM_CHECK(check_outbox_limit)
{
	struct member list[] = {
	    {.nick = "ana"}, {.nick = "ben"}, {.nick = "cleo"}};
	struct filled filled;
	int dropped = 0, rounds;

	if (!start_room(c, NULL) || join_all(c, list, 3) < 0 ||
	    fill_until_blocked(c, list, &filled) < 0)
		return;
	/* From here on, every round waits in ben's outbox, unless the
	 * kernel grows its buffers (up to tcp_wmem's maximum): past 1 MiB
	 * the room must drop him. */
	dropped = filled.dropped;
	rounds = (int)((sysctl_last("/proc/sys/net/ipv4/tcp_wmem", 4 << 20) +
			2 * OUTBOX_MAX) /
		       (ROUND_LINES * ROUND_LINE));
	if (talk_past_blocked(c, list, &filled, rounds, 1, &dropped) < 0)
		return;
	if (!dropped) {
		hx_fail(c, HX_FAIL,
			"ben read nothing while %d KB more than the kernel "
			"took were sent to him, and is still in the room: "
			"once more than 1 MiB waits for a member, drop it",
			rounds * ROUND_LINES * ROUND_LINE / 1000);
		return;
	}
	/* ana hears it too, ben's connection ends after what the kernel
	 * held for him, and the room goes on. */
	if (expect_line(c, &list[ANA], "* ben left\n") < 0 ||
	    hx_recv_all(c, &list[BEN].conn, 64 << 20, IO_MS) < 0) {
		hx_note(c, "the room drops a member by shutting its connection "
			   "down: it reads the end once it has read the rest");
		return;
	}
	hx_close(c, &list[BEN].conn);
	say(c, list, 3, &list[CLEO], "is ben gone?\n", NULL, IO_MS);
}
