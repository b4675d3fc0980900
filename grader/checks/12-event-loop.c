/* 12-event-loop.c - lab 12: an echo server in one thread, with an event
 * loop.
 *
 * "evloop PORT" echoes every line a client sends (evloop.h), to any
 * number of clients at once, from one thread. One connection's work
 * (conn.c: its buffers, reading, echoing, partial writes) is graded on
 * its own first, through a driver linked with it (support/conn_cases.c)
 * that gives it sockets of its own and fills them on purpose. The server
 * is then graded from the outside: the checks play clients (a crowd of
 * 1,100 at once, fifty that send a byte at a time, one that never reads
 * its echo, one that reads it late, some that reset), count its threads,
 * children and descriptors in /proc, watch it sleep when there is
 * nothing to do, take its descriptors away, run it under Valgrind's
 * memcheck, and measure its throughput under the harness's load
 * generator against a plain echo server measured in the same check.
 * The checks about full sockets shrink the sandbox's socket buffers
 * (tcp_rmem, tcp_wmem of its own network namespace), so that a few
 * kilobytes fill them whatever the machine's defaults. The rubric is the
 * table at the end of this file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../harness/hx_crowd.h"
#include "../../harness/hx_footprint.h"
#include "../../harness/hx_lines.h"
#include "../../harness/hx_load.h"
#include "../../harness/hx_sched.h"
#include "../sl_lab.h"

/* Deadlines of single steps, in milliseconds (scaled like all deadlines). */
#define READY_MS      1500  /* the server starts listening */
#define IO_MS	      3000  /* an echo arrives, a client connects */
#define STOP_MS	      3000  /* the server exits after SIGTERM or SIGINT */
#define EXIT_MS	      1500  /* the server exits after bad arguments */
#define STEP_MS	      2000  /* one call of conn.c returns */
#define CASES_MS      20000 /* the conn driver runs one group */
#define SILENCE_MS    100   /* a client waits to see that nothing comes */
#define CROWD_MS      10000 /* a crowd's batch, or its round of echoes */
#define TOOL_READY_MS 15000 /* the server starts under Valgrind */
#define TOOL_IO_MS    8000  /* an echo arrives through it */
#define TOOL_STOP_MS  20000 /* it exits and Valgrind writes its report */

/* The protocol's limits, as evloop.h has them. */
#define ECHO_LINE_MAX  1024  /* longest line, its "\n" included */
#define OUT_MAX	       65536 /* most echo waiting for one client */
#define TOO_LONG_REPLY "error: line too long\n"

/* The crowd of the many-clients check: past descriptor 1024, where
 * select()'s fd_set ends (FD_SETSIZE) and fixed arrays of 1024 do. */
#define MANY_CLIENTS  1100 /* clients connected at once */
#define MANY_BATCH    50   /* connected, then served, at a time */
#define MANY_FILES    1200 /* RLIMIT_NOFILE of the server */
#define HARNESS_FILES 1400 /* of the check itself, which holds the crowd */

#define THREAD_CLIENTS 200 /* clients of the one-thread check */
#define IDLE_CLIENTS   100 /* idle clients of the idle check */
#define SLOW_SENDERS   50  /* clients sending a byte at a time */

/* Socket buffers of the checks that fill sockets: min, default, max of
 * tcp_rmem and tcp_wmem. A socket then holds a few kilobytes, and what
 * the kernel takes is far below OUT_MAX. */
#define SOCKET_BUFFERS "4096 8192 8192"
#define FLOOD_LINE     1024 /* a line of the client that never reads */
#define FLOOD_CHUNK    4    /* lines per send */
#define FLOOD_CAP                                                              \
	(1 << 20) /* bytes it sends before the server must                     \
		     have dropped it */
#define FLOOD_PING                                                             \
	16384		     /* bytes between two lines of the other           \
				client, which must be served */
#define GROWTH_KB	512  /* memory growth that shows echo kept */
#define SLOW_LINES	48   /* lines a slow reader leaves unread */
#define SLOW_LINE_BYTES 1000 /* their size: 48000 < OUT_MAX */
#define CLOSING_LINES	40   /* lines of a client that closes first */

/* The fd-limit check: the server's RLIMIT_NOFILE, and clients beyond. */
#define FD_LIMIT_FILES 24 /* RLIMIT_NOFILE of the fd-limit check */
#define FD_LIMIT_EXTRA 3  /* clients that wait for a descriptor */

/* The idle checks: a window with nothing to do, and what the server may
 * do in it. */
#define IDLE_WINDOW_MS 2000 /* unscaled: the test is about time */
#define IDLE_WAKEUPS   3    /* times its thread may wake in the window */
#define IDLE_CPU_MS    50   /* CPU time it may use in it */

/* The throughput check: the harness's load generator against the plain
 * echo server and against evloop, in turns. */
#define LOAD_CLIENTS   16  /* client threads at once */
#define LOAD_LINES     4   /* lines per connection */
#define LOAD_BYTES     64  /* bytes per line */
#define LOAD_PAUSE_US  0   /* no think time: as fast as they can */
#define LOAD_MS	       150 /* one measurement (unscaled) */
#define LOAD_ROUNDS    2   /* measurements of each, best kept */
#define LOAD_MIN_RATIO 25  /* evloop's best, in % of the echo's best */

#define FD_LEAK_FILES  32 /* RLIMIT_NOFILE of the fd-leak check */
#define FD_LEAK_VISITS 36 /* clients of the fd-leak check, six kinds */

#define STRINGIFY(x) #x
#define TEXT(x)	     STRINGIFY(x) /* a number's macro as a string */

/* The echo's rules, as the fd-leak check's visits need them. */
static const struct hx_echo_rules echo_rules = {
    .line_max = ECHO_LINE_MAX, .too_long_reply = TOO_LONG_REPLY};

#include "support/12-event-loop-server.c"
#include "support/12-event-loop-echo.c"
#include "support/12-event-loop-limits.c"

/* Deadlines of whole checks (scaled like all deadlines). */
#define CHECK_MS       20000  /* most checks */
#define LONG_CHECK_MS  30000  /* the conn driver, full sockets, load, leaks */
#define CROWD_CHECK_MS 60000  /* hundreds of clients at once */
#define TOOL_CHECK_MS  120000 /* the server under memcheck */
#define BUILD_MS       60000  /* the build */

static const struct sl_check checks[] = {
    {
	.id = "build",
	.title = "evloop and conn.c build without warnings",
	.points = 5,
	.timeout_ms = BUILD_MS,
	.programs = "evloop conn-cases",
	.hint = "Read the compiler's messages from the first one down; fix "
		"every warning too (an unused variable, a missing return, a "
		"signed and unsigned comparison).",
	.run = NULL,
    },
    {
	.id = "conn-lines",
	.title = "conn.c: whole lines echoed, in pieces or many at once, "
		 "long ones refused once",
	.points = 5,
	.timeout_ms = LONG_CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "conn-cases",
	.hint = "recv into in + in_len, at most ECHO_LINE_MAX - in_len bytes; "
		"for each \"\\n\" memchr finds, conn_queue the line and "
		"memmove the rest to the front. ECHO_LINE_MAX bytes and no "
		"\"\\n\": TOO_LONG_REPLY once, skipping = 1, in_len = 0. At "
		"EOF, drop what is in in.",
	.run = check_conn_lines,
    },
    {
	.id = "conn-output",
	.title = "conn.c: what send does not take waits in out, up to OUT_MAX",
	.points = 7,
	.timeout_ms = LONG_CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "conn-cases",
	.hint = "send may take fewer bytes than asked, or none (EAGAIN): "
		"memmove the rest to the front of out and return CONN_KEEP, "
		"never loop until it is all sent. conn_queue refuses "
		"(CONN_DROP) when out_len + len > OUT_MAX. conn_events: "
		"POLLIN unless eof, POLLOUT only while out_len > 0.",
	.run = check_conn_output,
    },
    {
	.id = "conn-close",
	.title = "conn.c: EOF, resets and conn_close end a connection "
		 "cleanly",
	.points = 4,
	.timeout_ms = LONG_CHECK_MS,
	.flags = SL_SANITIZE | SL_LEAKS,
	.programs = "conn-cases",
	.hint = "recv returning 0: eof = 1, then CONN_CLOSE if nothing waits "
		"in out, else CONN_KEEP (conn_write returns CONN_CLOSE once "
		"it is sent). recv failing with anything but EAGAIN, "
		"EWOULDBLOCK or EINTR: CONN_CLOSE. conn_close closes fd and "
		"frees out.",
	.run = check_conn_close,
    },
    {
	.id = "echo",
	.title = "every line comes back exact, to each of two clients at "
		 "once",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "evloop",
	.hint = "Each client has its own struct conn; poll every socket at "
		"once and call conn_read when one is readable. A client that "
		"closes its side gets all its echo before the server closes "
		"(watch POLLOUT for it until conn_write says CONN_CLOSE).",
	.run = check_echo,
    },
    {
	.id = "slow-senders",
	.title = "fifty clients sending a byte at a time: each gets its own "
		 "line, once whole",
	.points = 6,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "evloop",
	.hint = "Never wait for the rest of a line: one recv per readable "
		"socket, keep the bytes in that client's conn, and go back to "
		"poll. A client with a whole line must be served while others "
		"are in the middle of theirs.",
	.run = check_slow_senders,
    },
    {
	.id = "many-clients",
	.title = "1,100 clients connected at once, every one served",
	.points = 10,
	.timeout_ms = CROWD_CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "evloop",
	.hint = "No fixed limit on clients: grow the pollfd and conn arrays "
		"with realloc as clients come. Use poll or epoll, not select "
		"(whose fd_set stops at descriptor 1023). Accept until "
		"EAGAIN on a non-blocking listening socket.",
	.run = check_many_clients,
	.max_files = MANY_FILES,
    },
    {
	.id = "one-thread",
	.title = "one thread and no child process, however many clients",
	.points = 4,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "evloop",
	.hint = "The loop serves every client itself: no pthread_create, no "
		"fork. What a client has not finished waits in its conn, not "
		"in a thread of its own.",
	.run = check_one_thread,
    },
    {
	.id = "never-reads",
	.title = "a client that never reads does not stall the loop, and is "
		 "dropped past OUT_MAX",
	.points = 8,
	.timeout_ms = LONG_CHECK_MS,
	.flags = SL_NAMESPACE,
	.programs = "evloop",
	.hint = "Every socket non-blocking; conn_write returns at EAGAIN with "
		"the rest kept in out. Keep reading such a client: when one "
		"more echo would pass OUT_MAX bytes, conn_queue says "
		"CONN_DROP and the loop closes it and counts it.",
	.run = check_never_reads,
    },
    {
	.id = "slow-reader",
	.title = "a client that reads late gets all its echo, in order, "
		 "even after its EOF",
	.points = 7,
	.timeout_ms = LONG_CHECK_MS,
	.flags = SL_NAMESPACE | SL_WAITS,
	.programs = "evloop",
	.hint = "Watch POLLOUT for a client while out holds something, and "
		"call conn_write when it comes. After EOF watch POLLOUT only "
		"(EOF stays readable), and close once out is empty. V=1 shows "
		"where the echo stopped.",
	.run = check_slow_reader,
    },
    {
	.id = "reset",
	.title = "clients that reset are closed, at any moment, and the "
		 "loop goes on",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.flags = SL_WAITS,
	.programs = "evloop",
	.hint = "A reset shows as POLLERR or POLLHUP (with POLLIN): call "
		"conn_read, whose recv fails with ECONNRESET, and close the "
		"client. Never skip a client whose revents has POLLHUP or "
		"POLLERR: poll would return at once for it, for ever.",
	.run = check_reset,
    },
    {
	.id = "idle",
	.title = "with nothing to do the server sleeps, however many clients "
		 "wait",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.flags = SL_WAITS,
	.programs = "evloop",
	.hint = "poll with no timeout (-1). Ask for POLLOUT only while out "
		"holds something: an idle socket is always writable, so "
		"POLLOUT on every client wakes the loop at once, for ever.",
	.run = check_idle,
    },
    {
	.id = "fd-limit",
	.title = "out of descriptors (EMFILE): no spinning, the next client "
		 "waits, then is served",
	.points = 5,
	.timeout_ms = LONG_CHECK_MS,
	.flags = SL_WAITS,
	.programs = "evloop",
	.hint = "When accept fails with EMFILE or ENFILE, stop watching the "
		"listening socket (events 0) and keep serving the others; "
		"watch it again once a client leaves. Never close or refuse "
		"the clients that wait.",
	.run = check_fd_limit,
	.max_files = FD_LIMIT_FILES,
    },
    {
	.id = "throughput",
	.title = "throughput under load: at least 25% of a plain echo "
		 "server's",
	.points = 5,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "evloop",
	.hint = "No sleep and no poll timeout in the loop; recv as much as "
		"in has room for, not a byte at a time; send an echo at once "
		"when nothing waits before it. V=1 shows the rates measured.",
	.run = check_throughput,
    },
    {
	.id = "stop-signal",
	.title = "SIGTERM or SIGINT: totals and exit 0 promptly, whatever "
		 "the clients do",
	.points = 4,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "evloop",
	.hint = "The handler sets the flag and writes a byte into the stop "
		"pipe, whose read end is in every poll: the loop wakes, "
		"closes every client, prints \"evloop: served C clients, L "
		"lines, D dropped\" and returns 0.",
	.run = check_stop_signal,
    },
    {
	.id = "memcheck",
	.title = "after SIGTERM: totals exact, nothing left allocated or open",
	.points = 5,
	.timeout_ms = TOOL_CHECK_MS,
	.programs = "evloop",
	.hint = "After the loop: conn_close every client still connected "
		"(adding its lines to the totals), free each conn and the "
		"arrays, close the listening socket and the pipe. C counts "
		"clients accepted, L lines echoed, D clients dropped.",
	.run = check_memcheck,
    },
    {
	.id = "leave-early",
	.title = "a client that resets before its echo does not stop the "
		 "server",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "evloop",
	.hint = "Ignore SIGPIPE with sigaction (SIG_IGN) at the start, so a "
		"send to a client that has gone fails with EPIPE or "
		"ECONNRESET; then close that client and go on.",
	.run = check_leave_early,
    },
    {
	.id = "fd-leak",
	.title = "36 clients of every kind leave no descriptor open",
	.points = 3,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "evloop",
	.hint = "Every way a client ends (EOF, a reset, a failed send, a "
		"drop) leads to one conn_close, and its slot leaves the "
		"arrays.",
	.run = check_fd_leak,
	.max_files = FD_LEAK_FILES,
    },
    {
	.id = "usage",
	.title = "bad arguments: usage and status 1; a port in use: status 2",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "evloop",
	.hint = "Exactly one argument, a whole number made of digits only, 1 "
		"to 65535; else \"usage: evloop PORT\" on stderr, status 1. A "
		"failed bind: \"evloop: bind: reason\", status 2.",
	.run = check_usage,
    },
};

static const struct sl_lab lab12 = {
    .number = "12",
    .name = "event-loop",
    .title = "one thread, many connections: an echo server with poll, "
	     "non-blocking sockets and a buffer per client",
    .files = {"evloop.c", "conn.c"},
    .given = {"evloop.h"},
    .programs =
	{
	    {.name = "evloop", .sources = {"evloop.c", "conn.c"}},
	    {.name = "conn-cases",
	     .sources = {"conn.c"},
	     .support = {"conn_cases.c"}},
	},
    .max_files = 512,
    .checks = checks,
    .nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab12);
