/* 07-chat.c - lab 07: a chat, one-to-one and then a room.
 *
 * Part one: chat-server PORT and chat-client HOST PORT each read the
 * keyboard (stdin) and the socket at once. A line typed is sent with its
 * "\n"; a line received is printed as "peer: TEXT\n" at once; "exit"
 * typed is sent and ends the program, and "exit" received, the peer's
 * close or the end of stdin end it too, with status 0. The checks play
 * the other side: a client for chat-server, a server for chat-client, and
 * type on the program's stdin through its pipe.
 *
 * Part two: room PORT. The first line of a client is its nick; it gets
 * "* welcome NICK\n" and the others "* NICK joined\n"; each later line
 * goes to every other member as "NICK: TEXT\n"; a member that goes is
 * announced as "* NICK left\n". Lines are up to 65536 bytes; a longer one
 * gets "* error: line too long\n". A member that does not read never
 * stalls the others, and is dropped once 1 MiB waits for it. The checks
 * play every member, and clients that leave before their answer; they
 * count the room's descriptors and look at its memory at exit.
 *
 * Every rule of the handout and the check that exercises it:
 * grader/checks/rules/07-chat.md. The rubric is the table at the end;
 * the checks themselves, part by part, are in support/07-chat-*.c,
 * included below.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../sl_lab.h"

/* Deadlines of single steps, in milliseconds (scaled like all deadlines). */
#define READY_MS      1500  /* a server starts listening */
#define IO_MS	      1500  /* a line arrives, a program connects or exits */
#define STOP_MS	      1000  /* a server exits after SIGTERM or SIGINT */
#define EXIT_MS	      1500  /* a program exits after bad arguments */
#define SETTLE_MS     300   /* a room that is dying finishes dying */
#define TOOL_READY_MS 15000 /* the room starts under the thread checker */
#define TOOL_IO_MS    8000  /* a line arrives through it */
#define TOOL_STOP_MS  15000 /* it exits and the checker writes its report */

/* Deadlines of whole checks. */
#define CHECK_MS      8000  /* most checks */
#define BUILD_MS      60000 /* the build */
#define LONG_CHECK_MS 20000 /* megabytes through the room */
#define RACE_CHECK_MS 90000 /* the room under the thread checker */

#define FEW_FILES     32	/* RLIMIT_NOFILE of the programs */
#define MESSAGE_MAX   65536	/* the longest line, bytes before its "\n" */
#define NICK_MAX      32	/* the longest nick */
#define OUTBOX_MAX    (1 << 20) /* what may wait for a member */
#define MANY_MEMBERS  20	/* members of the big room */
#define ROUND_LINES   64	/* lines per round of the slow checks */
#define ROUND_LINE    1000	/* bytes per line: 64 KB a round */
#define AFTER_BLOCKED 4		/* rounds sent once a writer is blocked */
#define BEN_RCVBUF                                                             \
	(256 << 10) /* the receive buffer of a member that                     \
		       does not read: fixed, four segments */
#define STILL_MS                                                               \
	300 /* a queue that does not move in that time                         \
	       is stuck */
#define EARLY_DROP_ROUNDS                                                      \
	8 /* rounds (512 KB) in an outbox: too few to                          \
	     drop a member */
#define READER_TOTAL                                                           \
	(OUTBOX_MAX + (128 << 10)) /* sent to a member that                    \
		  reads, in slow-member: past the limit */
#define BURST_LINES  200	   /* lines each of two members sends at once */
#define CHURN_ROUNDS 8		   /* rounds of joins and leaves */

#include "support/07-chat-one-to-one.c"
#include "support/07-chat-room.c"
#include "support/07-chat-crowd.c"

/* ---- arguments and stopping ----------------------------------------- */

static void check_room_usage(struct hx_check *c)
{
	static const char *const cases[][HX_MAX_USAGE_ARGS] = {
	    {NULL},	     {"abc", NULL},   {"0", NULL},
	    {"65536", NULL}, {"-1", NULL},    {"+9000", NULL},
	    {" 9000", NULL}, {"9000x", NULL}, {"9000", "extra", NULL},
	};
	char port_arg[16];
	const char *busy[] = {port_arg, NULL};
	struct hx_conn taken;

	if (hx_expect_usage(c, "room", cases, SL_COUNT(cases), EXIT_MS) < 0 ||
	    expect_port_valid(c, "room", 1) < 0 ||
	    expect_port_valid(c, "room", 65535) < 0)
		return;
	/* A port someone listens on already: bind fails. */
	snprintf(port_arg, sizeof(port_arg), "%d", hx_port(c, 1));
	if (hx_tcp_listen(c, &taken, "0.0.0.0", hx_port(c, 1)) < 0)
		return;
	expect_runtime_error(c, "room on a busy port", "room", busy, "bind");
	hx_close(c, &taken);
}

/* Stops a one-to-one program in the middle of a chat with sig. */
static void stop_chatting(struct hx_check *c, struct chat *chat, int sig)
{
	if (hx_send_str(c, &chat->conn, "still there?\n", NULL) == 0 &&
	    expect_printed(c, chat, "peer: still there?\n") == 0 &&
	    hx_proc_signal_exit(c, chat->proc, sig, STOP_MS) < 0)
		hx_note(c, "%s was in the middle of a chat", chat->proc->label);
	close_chat(c, chat);
}

ROOM_CHECK(check_stop_signal)
{
	struct member list[] = {{.nick = "ana"}};
	struct hx_proc *room = start_room(c, NULL);
	struct hx_proc *waiting;
	struct chat chat;

	/* SIGTERM with no one there. */
	if (!room || stop_room(c, room, SIGTERM, STOP_MS) < 0)
		return;
	/* SIGINT with a member halfway through a line: its connection is
	 * shut down (it reads the end). */
	room = start_room(c, NULL);
	if (!room || join_all(c, list, 1) < 0 ||
	    hx_send_str(c, &list[0].conn, "half a li", NULL) < 0)
		return;
	wait_delivered(room, &list[0]);
	if (stop_room(c, room, SIGINT, STOP_MS) < 0 ||
	    hx_recv_all(c, &list[0].conn, 1 << 16, IO_MS) < 0)
		return;
	hx_close(c, &list[0].conn);
	/* chat-server while it waits for its peer, and both programs in
	 * the middle of a chat. */
	waiting = hx_start_server_on(c, "chat-server", "chat-server", HX_TCP,
				     hx_port(c, 1), NULL, READY_MS);
	if (!waiting || hx_proc_signal_exit(c, waiting, SIGTERM, STOP_MS) < 0)
		return;
	if (open_server_chat(c, &chat) < 0)
		return;
	stop_chatting(c, &chat, SIGTERM);
	if (hx_ok(c) && open_client_chat(c, &chat) == 0)
		stop_chatting(c, &chat, SIGINT);
}

/* The rubric: 100 points. */
static const struct sl_check checks[] = {
    {
	.id = "build",
	.title = "chat-server, chat-client and room build without warnings",
	.points = 4,
	.timeout_ms = BUILD_MS,
	.programs = "chat-server chat-client room",
	.hint =
	    "Read the compiler's messages from the first one down; fix every "
	    "warning too (an unused variable, a missing return, a signed and "
	    "unsigned comparison).",
	.run = NULL,
    },
    {
	.id = "peer-message",
	.title =
	    "A line from the peer is printed at once while nothing is typed",
	.points = 6,
	.timeout_ms = CHECK_MS,
	.programs = "chat-server chat-client",
	.hint =
	    "Do not block in fgets or read on the keyboard: poll both stdin "
	    "(fd 0) and the socket with POLLIN, and read only the one that is "
	    "ready. Print \"peer: TEXT\\n\" and fflush(stdout): when stdout "
	    "is a pipe, stdio keeps the line in memory until it is flushed.",
	.run = check_peer_message,
    },
    {
	.id = "typed-line",
	.title = "Lines typed are sent, each with its \"\\n\"",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "chat-server chat-client",
	.hint =
	    "When poll says stdin is readable, read it into the keyboard's "
	    "line reader and send every whole line with its \"\\n\" using "
	    "writen. Do not mix stdio (fgets) with poll: fgets may read two "
	    "lines and return one, and poll will not tell you about the other.",
	.run = check_typed_line,
    },
    {
	.id = "exit-typed",
	.title = "Typing \"exit\" or closing stdin sends \"exit\", closes and "
		 "exits 0",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "chat-server chat-client",
	.hint =
	    "A typed line \"exit\" is sent like any other, then close the "
	    "socket and return 0. read on stdin returning 0 (Ctrl-D, or the "
	    "end of a pipe) means the same: send \"exit\\n\", close, return 0.",
	.run = check_exit_typed,
    },
    {
	.id = "exit-peer",
	.title = "\"exit\" from the peer, or its close, ends the program with "
		 "status 0",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "chat-server chat-client",
	.hint =
	    "A received line \"exit\" is not printed: it ends the chat. So "
	    "does recv (read) returning 0 on the socket. Close the socket and "
	    "return 0 from main in both cases.",
	.run = check_exit_peer,
    },
    {
	.id = "chat-pieces",
	.title =
	    "Lines arriving byte by byte, or two at once, are printed whole",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "chat-server chat-client",
	.hint =
	    "One read is not one line. Keep the bytes of each input in its "
	    "own line_reader; after each fill, take every whole line out with "
	    "line_reader_next, and keep the rest for the next read.",
	.run = check_chat_pieces,
    },
    {
	.id = "chat-long",
	.title = "A 64 KiB line passes whole each way; a longer one is dropped",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "chat-server chat-client",
	.hint =
	    "A line may hold 65536 bytes before its \"\\n\", typed or "
	    "received: the line buffer holds MESSAGE_MAX + 2 bytes (the line, "
	    "its \"\\n\", the '\\0'). On LINE_TOO_LONG print a line on "
	    "stderr, send or print nothing, and go on with the next line.",
	.run = check_chat_long,
    },
    {
	.id = "chat-connect",
	.title =
	    "chat-client tries every address of a name, and IPv6; chat-server "
	    "takes one peer",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "chat-server chat-client",
	.hint =
	    "connect_to: getaddrinfo with AF_UNSPEC, then socket and connect "
	    "on each address in turn until one connects (\"localhost\" is ::1 "
	    "first, then 127.0.0.1). chat-server binds INADDR_ANY and closes "
	    "its listening socket once its peer is accepted.",
	.run = check_chat_connect,
    },
    {
	.id = "chat-usage",
	.title =
	    "chat-server and chat-client reject bad arguments; runtime errors "
	    "exit 2",
	.points = 2,
	.timeout_ms = CHECK_MS,
	.programs = "chat-server chat-client",
	.hint =
	    "chat-server takes exactly PORT, chat-client exactly HOST PORT, "
	    "PORT digits only from 1 to 65535 (parse_port); otherwise print a "
	    "\"usage:\" line on stderr and return 1. Exit 2 with one line on "
	    "stderr naming the host (gai_strerror), the call (\"connect to "
	    "HOST port PORT: ...\") or bind (a busy port).",
	.run = check_chat_usage,
    },
    {
	.id = "relay-order",
	.title =
	    "Each line goes to every other member as \"NICK: TEXT\", in order",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "room",
	.hint =
	    "After the nick line, read the member's lines one by one and "
	    "queue \"NICK: TEXT\\n\" for every other member, holding the "
	    "room's mutex while you walk the list. Lines of one member must "
	    "leave in the order they came.",
	.run = check_relay_order,
    },
    {
	.id = "no-echo",
	.title = "A member is never sent its own lines",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "room",
	.hint =
	    "When you walk the member list to relay a line, skip the member "
	    "who sent it (compare the pointers).",
	.run = check_no_echo,
    },
    {
	.id = "notices",
	.title =
	    "Welcome, joined and left notices are sent; stdout stays empty",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.programs = "room",
	.hint =
	    "After a good nick: \"* welcome NICK\\n\" to the newcomer first, "
	    "then \"* NICK joined\\n\" to the others, both while holding the "
	    "room's mutex. When a member's recv returns 0, take it off the "
	    "list and send \"* NICK left\\n\" to those left. Log on stderr "
	    "only.",
	.run = check_notices,
    },
    {
	.id = "vanish",
	.title = "A member that resets is removed and the others told it left",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "room",
	.hint =
	    "recv fails with ECONNRESET when a client resets: that member has "
	    "left, exactly as when recv returns 0. Take it off the list and "
	    "send \"* NICK left\\n\" in both cases; never exit the room.",
	.run = check_vanish,
    },
    {
	.id = "slow-member",
	.title = "A member that never reads does not stall the others",
	.points = 5,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "room",
	.hint =
	    "Never write to a member's socket from another member's thread: a "
	    "write to a client that does not read blocks for ever. Append the "
	    "line to the member's outbox and let its own writer thread send "
	    "it; the member stays while its outbox holds 1 MiB or less.",
	.run = check_slow_member,
    },
    {
	.id = "outbox-limit",
	.title =
	    "A member more than 1 MiB behind is dropped and the others told",
	.points = 4,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "room",
	.hint =
	    "Before appending to an outbox, compare: when out_len + len would "
	    "pass OUTBOX_MAX, do not append; shutdown(fd, SHUT_RDWR) that "
	    "member instead. Its reader then sees the end and it leaves like "
	    "any other (\"* NICK left\").",
	.run = check_outbox_limit,
    },
    {
	.id = "concurrent",
	.title =
	    "Two members writing at once: every line relayed, none mixed or "
	    "lost",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.programs = "room",
	.hint = "Each member needs its own line reader and its own line and "
		"message buffers (in its struct member, not static or global): "
		"two threads read at the same time. Queue each whole line with "
		"the room's mutex held.",
	.run = check_concurrent,
    },
    {
	.id = "long-line",
	.title = "A 64 KiB line arrives whole; a longer one gets an error",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "room",
	.hint =
	    "A line may be 65536 bytes before its \"\\n\": the reader's "
	    "buffer holds MESSAGE_MAX + 1 bytes and the message buffer the "
	    "nick, \": \", the line and \"\\n\". On LINE_TOO_LONG send only "
	    "the sender \"* error: line too long\\n\" and go on with its next "
	    "line.",
	.run = check_long_line,
    },
    {
	.id = "many-members",
	.title = "A room of 20 members: every line and notice reaches all",
	.points = 4,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "room",
	.hint =
	    "Start a thread for every client that connects and keep every "
	    "member in the list; do not limit the room to a few clients, and "
	    "take members off the list when they leave.",
	.run = check_many_members,
    },
    {
	.id = "race",
	.title =
	    "No data race: joins, lines and leaves under the thread checker",
	.points = 4,
	.timeout_ms = RACE_CHECK_MS,
	.programs = "room",
	.hint =
	    "Every read and write of the member list (adding, removing, "
	    "walking it) and of each outbox must hold the mutex that guards "
	    "it, in every thread, main included. The first report names the "
	    "two places that raced; V=1 shows the whole report.",
	.run = check_race,
    },
    {
	.id = "room-pieces",
	.title = "A nick and lines arriving byte by byte are read whole",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "room",
	.hint =
	    "One recv is not one line, not even for the nick: read into the "
	    "member's line reader until line_reader_next gives a whole line, "
	    "and keep what follows it. Drop a \"\\r\" before the \"\\n\".",
	.run = check_room_pieces,
    },
    {
	.id = "bad-input",
	.title =
	    "Bad or taken nicks are refused, good ones at the limit taken; "
	    "empty lines dropped",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "room",
	.hint =
	    "A nick is 1 to 32 letters, digits, '-' or '_', compared exactly "
	    "(\"Ana\" is not \"ana\"). Anything else gets \"* error: bad "
	    "nick\\n\", a nick in use \"* error: nick in use\\n\", then close "
	    "that connection without telling anyone. Skip empty lines.",
	.run = check_bad_input,
    },
    {
	.id = "leave-early",
	.title = "Clients that leave before the room answers do not stop it",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "room",
	.hint =
	    "A client may be gone when the room writes to it (its refusal, "
	    "its welcome): the write fails with EPIPE. Ignore SIGPIPE in main "
	    "(sigaction with SIG_IGN) so the room lives on, and treat the "
	    "failed write as that client leaving.",
	.run = check_leave_early,
    },
    {
	.id = "descriptors",
	.title =
	    "Refused, unnamed and departed clients leave no descriptor open",
	.points = 4,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "room",
	.hint =
	    "Every connection accepted is closed once: after a refused nick, "
	    "after a client that left before its nick, and when a member "
	    "leaves or resets. Follow each path of the reader thread to its "
	    "close.",
	.run = check_descriptors,
    },
    {
	.id = "memory",
	.title = "Every member's memory is freed (LeakSanitizer after SIGTERM)",
	.points = 4,
	.timeout_ms = LONG_CHECK_MS,
	.flags = SL_SANITIZE | SL_LEAKS,
	.programs = "room",
	.hint =
	    "What a member owns is freed when it leaves, on every path: its "
	    "struct member, its outbox, a chunk its writer took, also for a "
	    "refused nick. At stop, wait for every reader thread before "
	    "returning from main.",
	.run = check_memory,
    },
    {
	.id = "room-usage",
	.title =
	    "room rejects bad arguments (status 1) and a busy port (status 2)",
	.points = 2,
	.timeout_ms = CHECK_MS,
	.programs = "room",
	.hint = "Accept exactly one argument and check it with parse_port; "
		"otherwise print \"usage: room PORT\" on stderr and return 1. "
		"When bind fails, print \"room: bind: reason\" and return 2.",
	.run = check_room_usage,
    },
    {
	.id = "stop-signal",
	.title =
	    "room, chat-server and chat-client exit 0 promptly on SIGTERM and "
	    "SIGINT",
	.points = 4,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "room chat-server chat-client",
	.hint =
	    "Install the handler with sigaction and sa_flags 0, so accept or "
	    "poll fails with EINTR. In the room block the signals in every "
	    "thread but main (pthread_sigmask before pthread_create), and on "
	    "stop shutdown every member's socket (a writer blocked in write "
	    "wakes), wait for their threads and return 0.",
	.run = check_stop_signal,
    },
};

static const struct sl_lab lab07 = {
    .number = "07",
    .name = "chat",
    .title = "A chat: one-to-one with poll, then a room with threads",
    .files = {"chat.c", "chat-server.c", "chat-client.c", "room.c"},
    .given = {"chat.h"},
    .programs =
	{
	    {.name = "chat-server", .sources = {"chat-server.c", "chat.c"}},
	    {.name = "chat-client", .sources = {"chat-client.c", "chat.c"}},
	    {.name = "room", .sources = {"room.c", "chat.c"}},
	},
    .max_files = FEW_FILES,
    .checks = checks,
    .nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab07);
