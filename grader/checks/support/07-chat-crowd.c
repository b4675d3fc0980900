/* 07-chat-crowd.c - lab 07: members at once, long lines, many members, and
 * clients that leave early, descriptors and memory.
 *
 * Included by grader/checks/07-chat.c (the Makefile compiles only the
 * check files themselves), after the definitions it uses.
 */

/* ---- members at once, long lines, many members --------------------- */

/* Waits until the room has been given every byte sent on m (acked) and
 * has handled them. */
static void wait_delivered(struct hx_proc *room, struct member *m)
{
	int64_t deadline = hx_deadline(IO_MS);
	int attempt = 0, unacked;

	while (ioctl(m->conn.fd, SIOCOUTQ, &unacked) == 0 && unacked > 0 &&
	       hx_remaining_ms(deadline) > 0)
		hx_backoff(&attempt, deadline);
	hx_proc_wait_idle(room, IO_MS);
}

/* Receives count lines on m, which must be the lines of a (nick "ana")
 * and of b ("ben"), each in its own order, however they interleave. */
static int expect_merged(struct hx_check *c, struct member *m, int count)
{
	int next_a = 0, next_b = 0;

	for (int i = 0; i < count; i++) {
		char want_a[64], want_b[64];
		long n = hx_recv_until(c, &m->conn, "\n", IO_MS);

		if (n < 0) {
			hx_note(c,
				"%s got %d of ana's and %d of ben's %d lines",
				m->nick, next_a, next_b, BURST_LINES);
			return -1;
		}
		snprintf(want_a, sizeof(want_a), "ana: burst %d from ana\n",
			 next_a);
		snprintf(want_b, sizeof(want_b), "ben: burst %d from ben\n",
			 next_b);
		if ((size_t)n == strlen(want_a) &&
		    memcmp(m->conn.in.data, want_a, (size_t)n) == 0)
			next_a++;
		else if ((size_t)n == strlen(want_b) &&
			 memcmp(m->conn.in.data, want_b, (size_t)n) == 0)
			next_b++;
		else {
			hx_note(c, "expected either \"%.*s\" or \"%.*s\"",
				(int)strlen(want_a) - 1, want_a,
				(int)strlen(want_b) - 1, want_b);
			return hx_fail(c, HX_FAIL,
				       "%s got a line that is lost, repeated, "
				       "mixed or out of order: \"%.*s\"",
				       m->nick, (int)n - 1, m->conn.in.data);
		}
		hx_consume(&m->conn, (size_t)n);
	}
	return 0;
}

/* The lines of one member's burst, "burst I from NICK\n". */
static size_t burst_text(char *buf, size_t size, const char *nick)
{
	size_t used = 0;

	for (int i = 0; i < BURST_LINES; i++)
		used += (size_t)snprintf(buf + used, size - used,
					 "burst %d from %s\n", i, nick);
	return used;
}

ROOM_CHECK(check_concurrent)
{
	struct member list[] = {
	    {.nick = "ana"}, {.nick = "ben"}, {.nick = "cleo"}};
	static char text_a[BURST_LINES * 32], text_b[BURST_LINES * 32];
	size_t len_a, len_b;
	struct hx_proc *room = start_room(c, NULL);

	if (!room || join_all(c, list, 3) < 0)
		return;
	/* Both start a line and each finishes it later: the room holds two
	 * unfinished lines at once, one per member, and must not mix them. */
	hx_recordf(c, 0, "ana and ben each send half a line, then the rest");
	if (hx_send_str(c, &list[0].conn, "hello fr", NULL) < 0)
		return;
	wait_delivered(room, &list[0]);
	if (hx_send_str(c, &list[1].conn, "good mor", NULL) < 0)
		return;
	wait_delivered(room, &list[1]);
	if (hx_send_str(c, &list[0].conn, "om ana\n", NULL) < 0)
		return;
	wait_delivered(room, &list[0]);
	if (hx_send_str(c, &list[1].conn, "ning from ben\n", NULL) < 0 ||
	    expect_line(c, &list[2], "ana: hello from ana\n") < 0 ||
	    expect_line(c, &list[2], "ben: good morning from ben\n") < 0 ||
	    expect_line(c, &list[1], "ana: hello from ana\n") < 0 ||
	    expect_line(c, &list[0], "ben: good morning from ben\n") < 0)
		return;

	/* Then both at full speed: every line must come through. */
	len_a = burst_text(text_a, sizeof(text_a), "ana");
	len_b = burst_text(text_b, sizeof(text_b), "ben");
	hx_recordf(c, 0, "ana and ben each send %d lines at once", BURST_LINES);
	if (hx_send(c, &list[0].conn, text_a, len_a, NULL) < 0 ||
	    hx_send(c, &list[1].conn, text_b, len_b, NULL) < 0)
		return;
	if (expect_merged(c, &list[2], 2 * BURST_LINES) < 0)
		return;
	for (int i = 0; i < BURST_LINES; i++) {
		char want[64];

		snprintf(want, sizeof(want), "ben: burst %d from ben\n", i);
		if (expect_line(c, &list[0], want) < 0)
			return;
		snprintf(want, sizeof(want), "ana: burst %d from ana\n", i);
		if (expect_line(c, &list[1], want) < 0)
			return;
	}
}

/* ana sends a line of len bytes; ben must get it whole, "ana: " first. */
static int expect_relayed_whole(struct hx_check *c, struct member *list,
				size_t len)
{
	static char line[MESSAGE_MAX + 8], want[MESSAGE_MAX + 16];
	char what[64];
	long n;

	/* The line first, read by the room before its "\n" comes. */
	long_line(line, sizeof(line), NULL, 'x', len);
	if (hx_send(c, &list[0].conn, line, len, NULL) < 0)
		return -1;
	wait_taken(c, &list[0].conn, room_under_test);
	if (hx_send_str(c, &list[0].conn, "\n", NULL) < 0)
		return -1;
	n = hx_recv_until(c, &list[1].conn, "\n", IO_MS);
	if (n < 0) {
		hx_note(c, "ben was waiting for ana's line of %zu bytes", len);
		return -1;
	}
	long_line(want, sizeof(want), "ana: ", 'x', len);
	snprintf(what, sizeof(what), "ana's line of %zu bytes, as ben got it",
		 len);
	if (hx_expect_bytes(c, what, want, strlen(want), list[1].conn.in.data,
			    (size_t)n) < 0)
		return -1;
	hx_consume(&list[1].conn, (size_t)n);
	return 0;
}

ROOM_CHECK(check_long_line)
{
	static char line[300002];
	struct member list[] = {{.nick = "ana"}, {.nick = "ben"}};

	if (!start_room(c, NULL) || join_all(c, list, 2) < 0)
		return;
	/* One byte short of the limit, and exactly the limit: relayed. */
	if (expect_relayed_whole(c, list, MESSAGE_MAX - 1) < 0 ||
	    expect_relayed_whole(c, list, MESSAGE_MAX) < 0)
		return;
	/* One byte over, then far over: dropped, and only ana is told. */
	if (hx_send_str(
		c, &list[0].conn,
		long_line(line, sizeof(line), NULL, 'x', MESSAGE_MAX + 1),
		NULL) < 0 ||
	    expect_line(c, &list[0], "* error: line too long\n") < 0 ||
	    hx_send_str(
		c, &list[0].conn,
		long_line(line, sizeof(line), NULL, 'x', sizeof(line) - 2),
		NULL) < 0 ||
	    expect_line(c, &list[0], "* error: line too long\n") < 0)
		return;
	/* The room goes on: the next line is an ordinary one. */
	say(c, list, 2, &list[0], "after the long ones\n", NULL, IO_MS);
}

ROOM_CHECK(check_many_members)
{
	static char nicks[MANY_MEMBERS][16];
	struct member list[MANY_MEMBERS];
	char text[64];

	for (int i = 0; i < MANY_MEMBERS; i++) {
		snprintf(nicks[i], sizeof(nicks[i]), "member%02d", i + 1);
		list[i].nick = nicks[i];
	}
	if (!start_room(c, NULL) || join_all(c, list, MANY_MEMBERS) < 0)
		return;
	for (int i = 0; i < MANY_MEMBERS; i++) {
		snprintf(text, sizeof(text), "this is %s speaking\n",
			 list[i].nick);
		if (say(c, list, MANY_MEMBERS, &list[i], text, NULL, IO_MS) < 0)
			return;
	}
	/* Half of them go; the rest hear of each. */
	for (int i = 0; i < MANY_MEMBERS / 2; i++)
		if (leave(c, list, MANY_MEMBERS, &list[i], IO_MS) < 0)
			return;
	say(c, list, MANY_MEMBERS, &list[MANY_MEMBERS - 1], "bye\n", NULL,
	    IO_MS);
}

ROOM_CHECK(check_race)
{
	struct member list[] = {{.nick = "ana"},
				{.nick = "ben"},
				{.nick = "cleo"},
				{.nick = "dan"}};
	struct hx_proc *room = start_room(c, "helgrind");

	if (!room)
		return;
	for (int i = 0; i < 3; i++)
		if (join_within(c, list, i, TOOL_IO_MS) < 0)
			return;
	if (say(c, list, 3, &list[0], "hi from ana\n", NULL, TOOL_IO_MS) < 0 ||
	    say(c, list, 3, &list[1], "hi from ben\n", NULL, TOOL_IO_MS) < 0 ||
	    say(c, list, 3, &list[2], "hi from cleo\n", NULL, TOOL_IO_MS) < 0 ||
	    leave(c, list, 3, &list[1], TOOL_IO_MS) < 0 ||
	    join_within(c, list, 3, TOOL_IO_MS) < 0 ||
	    say(c, list, 4, &list[3], "hi from dan\n", NULL, TOOL_IO_MS) < 0 ||
	    say(c, list, 4, &list[0], "bye from ana\n", NULL, TOOL_IO_MS) < 0 ||
	    leave_by(c, list, 4, &list[2], 1, TOOL_IO_MS) < 0 ||
	    leave(c, list, 4, &list[3], TOOL_IO_MS) < 0)
		return;
	/* Stopped with ana still there: main walks the list while her
	 * reader takes her off it. */
	hx_proc_wait_idle(room, TOOL_IO_MS);
	if (stop_room(c, room, SIGTERM, TOOL_STOP_MS) == 0)
		hx_proc_expect_tool_clean(c, room);
}

ROOM_CHECK(check_room_pieces)
{
	/* A pause between bytes, so no single recv can get them all. */
	static const struct hx_plan byte_by_byte = {
	    .split = HX_BYTES, .max_piece = 0, .delay_ms = 2};
	struct member list[] = {
	    {.nick = "ana"}, {.nick = "ben"}, {.nick = "cleo"}};

	if (!start_room(c, NULL) ||
	    connect_member(c, &list[0], &byte_by_byte, IO_MS) < 0 ||
	    join_within(c, list, 1, IO_MS) < 0 ||
	    say(c, list, 2, &list[0], "hello\r\nworld\n", &byte_by_byte,
		IO_MS) < 0)
		return;
	/* Two lines in one segment are two lines. */
	if (say(c, list, 2, &list[1], "one\ntwo\n", NULL, IO_MS) < 0)
		return;
	/* A nick ending in "\r\n", a byte at a time: the "\r" is not in
	 * the nick. */
	if (connect_member_eol(c, &list[2], "\r\n", &byte_by_byte, IO_MS) == 0)
		expect_all_but(c, list, 2, NULL, "* cleo joined\n", IO_MS);
}

ROOM_CHECK(check_bad_input)
{
	static const char *const bad_nicks[] = {
	    "\n",	  "two words\n", "ana:\n",
	    "no/slash\n", "tab\there\n", "a_nick_of_thirty-three_bytes_xxxx\n",
	};
	static char huge[70002];
	/* Good nicks that look like bad ones: at the limit of 32 bytes,
	 * one byte, '-' and '_', and "Ana" beside "ana" (nicks are compared
	 * exactly). */
	struct member list[] = {
	    {.nick = "ana"}, {.nick = "Ana"},
	    {.nick = "x"},   {.nick = "a_nick_of_thirty-two_bytes_xxxxx"},
	    {.nick = "x-y"}, {.nick = "Ben_2"},
	};

	if (!start_room(c, NULL) || join_all(c, list, 1) < 0)
		return;
	for (int i = 0; i < SL_COUNT(bad_nicks); i++)
		if (expect_refused(c, bad_nicks[i], "* error: bad nick\n") < 0)
			return;
	if (expect_refused(
		c, long_line(huge, sizeof(huge), NULL, 'n', sizeof(huge) - 2),
		"* error: bad nick\n") < 0 ||
	    expect_refused(c, "ana\n", "* error: nick in use\n") < 0)
		return;
	/* ana heard of none of them; the good ones come in. */
	for (int i = 1; i < SL_COUNT(list); i++)
		if (join_within(c, list, i, IO_MS) < 0)
			return;
	if (expect_refused(c, "Ana\n", "* error: nick in use\n") < 0)
		return;
	/* An empty line is not relayed, nor "\r\n" alone. */
	if (hx_send_str(c, &list[0].conn, "\n\r\n", NULL) < 0)
		return;
	say(c, list, SL_COUNT(list), &list[0], "that was nothing\n", NULL,
	    IO_MS);
}

/* ---- clients that leave early, descriptors, memory ------------------ */

ROOM_CHECK(check_leave_early)
{
	static const char *const refused[] = {"bad nick!\n", "ana\n"};
	struct member list[] = {{.nick = "ana"}, {.nick = "ben"}};
	struct hx_proc *room = start_room(c, NULL);

	if (!room || join_all(c, list, 1) < 0)
		return;
	/* The room's refusal is written to a connection that is gone. */
	for (int i = 0; i < SL_COUNT(refused); i++)
		if (hx_probe_leave_early(c, room, hx_port(c, 0), refused[i],
					 strlen(refused[i]), IO_MS) < 0)
			return;
	/* A good nick that leaves at once: it joined, then left. */
	if (hx_probe_leave_early(c, room, hx_port(c, 0), "early\n", 6, IO_MS) <
		0 ||
	    expect_line(c, &list[0], "* early joined\n") < 0 ||
	    expect_line(c, &list[0], "* early left\n") < 0)
		return;
	/* The room goes on as if nothing happened. */
	if (join_within(c, list, 1, IO_MS) == 0)
		say(c, list, 2, &list[0], "anyone else?\n", NULL, IO_MS);
}

/* Connects and leaves before a nick: after sending what (may be empty),
 * with a close, or with a reset when reset is set. */
static int leave_unnamed(struct hx_check *c, const char *what, int reset)
{
	struct hx_conn conn;

	if (hx_tcp_connect(c, &conn, "127.0.0.1", hx_port(c, 0), IO_MS) < 0)
		return -1;
	if (*what && hx_send_str(c, &conn, what, NULL) < 0)
		return -1;
	if (reset)
		hx_reset(c, &conn);
	else
		hx_close(c, &conn);
	return 0;
}

/* One round of every way a client comes and goes, with ana in the room:
 * three refused nicks, two that leave before a nick, a member that
 * leaves and one that resets. */
static int churn(struct hx_check *c, struct member *list, int round)
{
	static char too_long[NICK_MAX + 3];
	char nick_a[24], nick_b[24];

	long_line(too_long, sizeof(too_long), NULL, 'n', NICK_MAX + 1);
	snprintf(nick_a, sizeof(nick_a), "churn%da", round);
	snprintf(nick_b, sizeof(nick_b), "churn%db", round);
	if (expect_refused(c, "two words\n", "* error: bad nick\n") < 0 ||
	    expect_refused(c, too_long, "* error: bad nick\n") < 0 ||
	    expect_refused(c, "ana\n", "* error: nick in use\n") < 0 ||
	    leave_unnamed(c, "", 0) < 0 || leave_unnamed(c, "hal", 1) < 0)
		return -1;
	list[1].nick = nick_a;
	if (join_within(c, list, 1, IO_MS) < 0 ||
	    say(c, list, 2, &list[1], "in and out\n", NULL, IO_MS) < 0 ||
	    leave(c, list, 2, &list[1], IO_MS) < 0)
		return -1;
	list[1].nick = nick_b;
	if (join_within(c, list, 1, IO_MS) < 0 ||
	    leave_by(c, list, 2, &list[1], 1, IO_MS) < 0)
		return -1;
	list[1].nick = "";
	return 0;
}

/* Descriptors the room holds once idle, waited for: its threads may
 * still be closing the last connections. The last count is judged. */
static int expect_fds_settle(struct hx_check *c, struct hx_proc *room,
			     int before, const char *what)
{
	int64_t deadline = hx_deadline(IO_MS);
	int attempt = 0;

	for (;;) {
		hx_proc_wait_idle(room, IO_MS);
		if (hx_proc_count_fds(room) <= before ||
		    hx_remaining_ms(deadline) <= 0)
			return hx_expect_fds_steady(c, room, before, what,
						    IO_MS);
		hx_backoff(&attempt, deadline);
	}
}

ROOM_CHECK(check_descriptors)
{
	struct member list[] = {{.nick = "ana"}, {.nick = ""}};
	struct hx_proc *room = start_room(c, NULL);
	char what[160];
	int before;

	if (!room || join_all(c, list, 1) < 0)
		return;
	hx_proc_wait_idle(room, IO_MS);
	before = hx_proc_count_fds(room);
	if (before < 0) {
		hx_skip(c, "the room's descriptors cannot be counted here");
		return;
	}
	hx_recordf(c, 0, "the room holds %d descriptors, its limit is %d",
		   before, room->max_files);
	for (int round = 1; round <= CHURN_ROUNDS; round++) {
		if (churn(c, list, round) < 0) {
			hx_note(c, "in round %d of %d", round, CHURN_ROUNDS);
			return;
		}
		snprintf(what, sizeof(what),
			 "%d rounds of 7 clients (3 refused nicks, 2 that "
			 "left before a nick, a member that left and one "
			 "that reset)",
			 round);
		if (round % 2 == 0 &&
		    expect_fds_settle(c, room, before, what) < 0)
			return;
	}
}

ROOM_CHECK(check_memory)
{
	static char overlong[MESSAGE_MAX + 8];
	struct member list[] = {{.nick = "ana"}, {.nick = ""}};
	struct hx_proc *room = start_room(c, NULL);

	if (!room || join_all(c, list, 1) < 0)
		return;
	for (int round = 1; round <= CHURN_ROUNDS / 2; round++)
		if (churn(c, list, round) < 0)
			return;
	/* A line over the limit: its error goes to ana alone. */
	long_line(overlong, sizeof(overlong), NULL, 'o', MESSAGE_MAX + 1);
	if (hx_send_str(c, &list[0].conn, overlong, NULL) < 0 ||
	    expect_line(c, &list[0], "* error: line too long\n") < 0)
		return;
	/* LeakSanitizer looks when main returns, ana still there: every
	 * member's memory must have been freed by then. */
	if (stop_room(c, room, SIGTERM, STOP_MS) < 0)
		hx_note(c, "LeakSanitizer reports only when main returns: a "
			   "room that does not stop cannot be looked at");
}
