/* 11-thread-pool.c - lab 11: an echo server with a fixed pool of worker
 * threads and a bounded queue.
 *
 * "pool PORT WORKERS QUEUE" echoes every line a client sends (pool.h).
 * Its queue (queue.c) is graded on its own first, through a driver linked
 * with it (support/queue_cases.c): order, waiting on an empty or a full
 * queue (spurious wakeups made on purpose), stopping. The server is then
 * graded from the outside: the checks play clients, hold workers busy
 * with clients that say nothing, count the server's threads and
 * descriptors and its wakeups in /proc, run it under Valgrind's thread
 * checker and memcheck, and measure its throughput under the harness's
 * load generator against a plain echo server measured in the same check.
 * The rubric is the table at the end of this file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../harness/hx_lines.h"
#include "../../harness/hx_load.h"
#include "../../harness/hx_sched.h"
#include "../sl_lab.h"

/* Deadlines of single steps, in milliseconds (scaled like all deadlines). */
#define READY_MS      1500  /* the server starts listening */
#define IO_MS	      3000  /* an echo arrives, a client connects */
#define STOP_MS	      3000  /* the server exits after SIGTERM or SIGINT */
#define EXIT_MS	      1500  /* the server exits after bad arguments */
#define STEP_MS	      2000  /* a queue call returns or goes to sleep */
#define CASES_MS      20000 /* the queue driver runs one group */
#define SILENCE_MS    100   /* a client waits to see that nothing comes */
#define TOOL_READY_MS 15000 /* the server starts under Valgrind */
#define TOOL_IO_MS    8000  /* an echo arrives through it */
#define TOOL_STOP_MS  20000 /* it exits and Valgrind writes its report */

/* The protocol's limits, as pool.h has them. */
#define ECHO_LINE_MAX  1024 /* longest line, its "\n" included */
#define TOO_LONG_REPLY "error: line too long\n"

/* The idle check: a window with nothing to do, and what a thread may do
 * in it. */
#define IDLE_WINDOW_MS 2000 /* unscaled: the test is about time */
#define IDLE_WAKEUPS   3    /* times one thread may wake in the window */
#define IDLE_CPU_MS    50   /* CPU time the server may use in it */

/* The throughput check: the harness's load generator against the plain
 * echo server and against pool, in turns. */
#define LOAD_CLIENTS   16   /* client threads at once (= WORKERS) */
#define LOAD_LINES     4    /* lines per connection */
#define LOAD_BYTES     64   /* bytes per line */
#define LOAD_PAUSE_US  1000 /* think time between lines, after a close */
#define LOAD_MS	       150  /* one measurement (unscaled) */
#define LOAD_ROUNDS    2    /* measurements of each, best kept */
#define LOAD_MIN_RATIO 20   /* pool's best, in % of the echo's best */

#define IN_A_ROW 8 /* clients one after another in the pool-size check */

#define FD_LEAK_FILES  32 /* RLIMIT_NOFILE of the fd-leak check */
#define FD_LEAK_VISITS 36 /* clients of the fd-leak check, six kinds */

/* The echo's rules, as the fd-leak check's visits need them. */
static const struct hx_echo_rules echo_rules = {
    .line_max = ECHO_LINE_MAX, .too_long_reply = TOO_LONG_REPLY};

#include "support/11-thread-pool-server.c"
#include "support/11-thread-pool-pool.c"
#include "support/11-thread-pool-shutdown.c"

/* Deadlines of whole checks (scaled like all deadlines). */
#define CHECK_MS      20000 /* most checks */
#define LONG_CHECK_MS 30000 /* the queue driver, load, leaks, pool-size */
/* fd-leak's 36 clients: a pool that polls its queue once a second (slow,
 * not leaking) keeps each waiting up to a second */
#define VISITS_MS     60000
#define TOOL_CHECK_MS 120000 /* under ThreadSanitizer or memcheck */
#define BUILD_MS      60000  /* the build */

static const struct sl_check checks[] = {
    {
	.id = "build",
	.title = "pool and the queue build without warnings",
	.points = 6,
	.timeout_ms = BUILD_MS,
	.programs = "pool queue-cases",
	.hint =
	    "Read the compiler's messages from the first one down; fix every "
	    "warning too (an unused variable, a missing return, a signed and "
	    "unsigned comparison).",
	.run = NULL,
    },
    {
	.id = "queue-order",
	.title =
	    "the queue: first in, first out, round its ring, up to 1024 slots",
	.points = 4,
	.timeout_ms = LONG_CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "queue-cases",
	.hint = "The tail is (head + count) % capacity; queue_take returns "
		"fds[head], then head = (head + 1) % capacity and count--. "
		"queue_init mallocs capacity ints.",
	.run = check_queue_order,
    },
    {
	.id = "queue-wait",
	.title = "the queue: take waits while empty, put while full, in a loop",
	.points = 7,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "queue-cases",
	.hint = "Wait with while (count == 0 && !stopping) "
		"pthread_cond_wait(&not_empty, &lock), never with if: a wait "
		"may return when nothing changed. The same in queue_put with "
		"count == capacity and not_full. Signal not_empty on every put "
		"and not_full on every take.",
	.run = check_queue_wait,
    },
    {
	.id = "queue-stop",
	.title = "the queue: stop wakes every waiter, destroy closes and frees",
	.points = 4,
	.timeout_ms = LONG_CHECK_MS,
	.flags = SL_SANITIZE | SL_LEAKS,
	.programs = "queue-cases",
	.hint =
	    "queue_stop sets stopping and broadcasts both conditions. Every "
	    "way out of queue_put and queue_take unlocks the mutex. "
	    "queue_destroy closes the count fds still queued (from head) "
	    "and frees the slots.",
	.run = check_queue_stop,
    },
    {
	.id = "echo",
	.title = "every line comes back exact: empty, CR LF, NUL bytes, a "
		 "hundred at once",
	.points = 7,
	.timeout_ms = CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "pool",
	.hint =
	    "Echo each line with its \"\\n\", byte for byte: use the lengths "
	    "recv and memchr give, never strlen or a string function (a line "
	    "may hold '\\0'). Keep the bytes after a line for the next one. "
	    "recv returning 0: close the connection.",
	.run = check_echo,
    },
    {
	.id = "pieces",
	.title = "lines in pieces: answered once whole; a last piece without "
		 "\"\\n\" is not",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.programs = "pool",
	.hint = "One recv is not one line: receive into the free part of the "
		"buffer and echo only when memchr finds the \"\\n\", the whole "
		"line in one send. At the client's close, drop bytes with no "
		"\"\\n\" after them.",
	.run = check_pieces,
    },
    {
	.id = "long-line",
	.title =
	    "lines of 1023 and 1024 bytes echoed, longer ones refused once",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.flags = SL_SANITIZE,
	.programs = "pool",
	.hint =
	    "recv at most sizeof(buf) - len bytes. When the buffer holds "
	    "ECHO_LINE_MAX bytes and no \"\\n\", send TOO_LONG_REPLY once, "
	    "empty the buffer and drop bytes until the line's \"\\n\"; then "
	    "go on with the next line.",
	.run = check_long_line,
    },
    {
	.id = "concurrent",
	.title =
	    "silent clients below WORKERS do not keep the next one waiting",
	.points = 7,
	.timeout_ms = CHECK_MS,
	.programs = "pool",
	.hint = "Start WORKERS threads before the first accept; each loops on "
		"queue_take and serves its client to the end. Never hold the "
		"queue's mutex while serving a client, and never serve one in "
		"the main thread.",
	.run = check_concurrent,
    },
    {
	.id = "all-busy",
	.title = "with every worker busy, the next clients wait, then are "
		 "served in order",
	.points = 7,
	.timeout_ms = CHECK_MS,
	.programs = "pool",
	.hint =
	    "Exactly WORKERS clients are served at a time: never start a "
	    "thread "
	    "per client. A connection that finds every worker busy waits in "
	    "the queue; queue_take returns the oldest (fds[head]), not the "
	    "newest.",
	.run = check_all_busy,
    },
    {
	.id = "bounded",
	.title =
	    "a full queue makes accept wait; every waiting client is served",
	.points = 6,
	.timeout_ms = LONG_CHECK_MS,
	.flags = SL_WAITS,
	.programs = "pool",
	.hint = "queue_put waits while count == capacity, so the main thread "
		"stops accepting and new clients wait in the kernel's backlog "
		"(listen with 128). Never grow the queue; signal not_full in "
		"queue_take.",
	.run = check_bounded,
    },
    {
	.id = "idle",
	.title = "with nothing to do, no thread spins or polls",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.flags = SL_WAITS,
	.programs = "pool",
	.hint =
	    "A thread with nothing to do sleeps until there is something: in "
	    "pthread_cond_wait (in its while loop), accept or poll with no "
	    "timeout. No usleep, sched_yield or timed wait in a loop that "
	    "tests the queue or a flag.",
	.run = check_idle,
    },
    {
	.id = "pool-size",
	.title =
	    "exactly WORKERS + 1 threads: before, during and after clients",
	.points = 4,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "pool",
	.hint = "main creates WORKERS threads with pthread_create before it "
		"accepts, and no other thread ever: not per client, not when "
		"the queue is full. Only SIGTERM ends them.",
	.run = check_pool_size,
    },
    {
	.id = "throughput",
	.title = "throughput under load: at least 20% of a plain echo server's",
	.points = 6,
	.timeout_ms = LONG_CHECK_MS,
	.programs = "pool",
	.hint =
	    "Each put must wake a waiting worker at once (pthread_cond_signal "
	    "while holding the mutex), and each worker serves its client "
	    "while the others serve theirs. V=1 shows the rates measured.",
	.run = check_throughput,
    },
    {
	.id = "race",
	.title =
	    "no data race: clients, a queue, resets and SIGTERM under helgrind",
	.points = 6,
	.timeout_ms = TOOL_CHECK_MS,
	.programs = "pool",
	.hint =
	    "Every variable two threads use is read and written with its "
	    "mutex held: the queue's fields inside queue.c only, the totals "
	    "with their own mutex. A worker's line buffer is its own (a "
	    "local array). V=1 shows the whole report.",
	.run = check_race,
    },
    {
	.id = "stop-signal",
	.title =
	    "SIGTERM or SIGINT: exit 0 promptly, even with every thread busy",
	.points = 6,
	.timeout_ms = CHECK_MS,
	.programs = "pool",
	.hint =
	    "The handler sets the flag and writes a byte into the stop pipe. "
	    "The main thread polls the listening socket and the pipe; a "
	    "worker polls its client and the pipe before each recv and "
	    "send. Then queue_stop, pthread_join every worker, return 0.",
	.run = check_stop_signal,
    },
    {
	.id = "memcheck",
	.title =
	    "after SIGTERM: totals printed, nothing left allocated or open",
	.points = 5,
	.timeout_ms = TOOL_CHECK_MS,
	.programs = "pool",
	.hint =
	    "After the workers are joined: queue_destroy (closes what waits, "
	    "frees the slots), close the listening socket and the pipe, print "
	    "\"pool: served C clients, L lines\" and return. Free every "
	    "malloc; join, never detach, the workers.",
	.run = check_memcheck,
    },
    {
	.id = "leave-early",
	.title =
	    "a client that resets before its echo does not stop the server",
	.points = 3,
	.timeout_ms = CHECK_MS,
	.programs = "pool",
	.hint =
	    "Ignore SIGPIPE with sigaction (SIG_IGN) before the first thread "
	    "starts, so a send to a client that has gone fails with EPIPE or "
	    "ECONNRESET; then close that client and take the next.",
	.run = check_leave_early,
    },
    {
	.id = "fd-leak",
	.title = "36 clients of every kind leave no descriptor open",
	.points = 3,
	.timeout_ms = VISITS_MS,
	.programs = "pool",
	.hint = "Every way serve_client ends (EOF, a reset, a failed send, the "
		"stop pipe) leads to one close of the client's socket, in the "
		"worker that took it. A fd queue_put refused is closed by "
		"main.",
	.run = check_fd_leak,
	.max_files = FD_LEAK_FILES,
    },
    {
	.id = "usage",
	.title = "bad arguments: usage and status 1; a port in use: status 2",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.programs = "pool",
	.hint =
	    "Exactly three arguments, each a whole number made of digits only: "
	    "PORT 1 to 65535, WORKERS 1 to 64, QUEUE 1 to 1024; else "
	    "\"usage: pool PORT WORKERS QUEUE\" on stderr, status 1. A failed "
	    "bind: \"pool: bind: reason\", status 2.",
	.run = check_usage,
    },
};

static const struct sl_lab lab11 = {
    .number = "11",
    .name = "thread-pool",
    .title = "pthreads: an echo server with a fixed pool of workers and a "
	     "bounded queue",
    .files = {"pool.c", "queue.c"},
    .given = {"pool.h"},
    .programs =
	{
	    {.name = "pool", .sources = {"pool.c", "queue.c"}},
	    {.name = "queue-cases",
	     .sources = {"queue.c"},
	     .support = {"queue_cases.c"}},
	},
    .max_files = 64,
    .checks = checks,
    .nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab11);
