/* queue_cases.c - lab 11: the bounded queue's tests, one group at a time.
 *
 * usage: queue-cases GROUP STEP_MS
 *
 * Linked with the student's queue.c. GROUP is order, wait or stop; STEP_MS
 * is how long one call may take to return or to go to sleep (the
 * grader's deadline, already scaled). Each case drives the queue from
 * helper threads, one per call that may block, and looks at what they do:
 * whether a call returned and with what, and whether a thread that must
 * wait is asleep (its state in /proc/self/task is 'S'). Spurious wakeups
 * are made on purpose, by broadcasting a condition of the queue with its
 * mutex held, so that a wait that is not in a loop is seen every time.
 *
 * Prints "ok NAME" for a case that passed, "case failed: NAME: reason"
 * for one that did not, and last "cases: N run, F failed".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "pool.h"

#define MAX_CALLS 8 /* calls of one case that may block */
#define FAKE_FD                                                                \
	900 /* first of the descriptor numbers queued where                    \
	       nothing is closed: none is open here */

/* One call of queue_put or queue_take, made by a thread of its own. */
struct call {
	struct queue *q;  /* the queue */
	int put;	  /* 1: queue_put(q, fd); 0: queue_take(q) */
	int fd;		  /* what queue_put is given */
	pthread_t thread; /* the thread making the call */
	pid_t tid;	  /* its id in /proc/self/task, 0 until known */
	int done;	  /* 1 once the call returned */
	int result;	  /* what it returned */
};

/* Guards the tid, done and result of every call. */
static pthread_mutex_t calls_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t calls_changed = PTHREAD_COND_INITIALIZER;

static int step_ms = 2000; /* how long a call may take */
static int run_count;	   /* cases run */
static int failed_count;   /* cases failed */
static char failure[512];  /* why the current case failed, "" if not */

/* Records the first reason the current case fails. Returns -1. */
static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	va_list ap;

	if (failure[0])
		return -1;
	va_start(ap, fmt);
	vsnprintf(failure, sizeof(failure), fmt, ap);
	va_end(ap);
	return -1;
}

static void *call_main(void *arg)
{
	struct call *k = arg;
	int result;

	pthread_mutex_lock(&calls_lock);
	k->tid = (pid_t)syscall(SYS_gettid);
	pthread_cond_broadcast(&calls_changed);
	pthread_mutex_unlock(&calls_lock);
	result = k->put ? queue_put(k->q, k->fd) : queue_take(k->q);
	pthread_mutex_lock(&calls_lock);
	k->result = result;
	k->done = 1;
	pthread_cond_broadcast(&calls_changed);
	pthread_mutex_unlock(&calls_lock);
	return NULL;
}

/* An absolute time ms from now, for pthread_cond_timedwait. */
static struct timespec after_ms(int ms)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

/* Starts queue_put(q, fd) (put 1) or queue_take(q) in a thread of its
 * own and waits until the thread is known. */
static int start_call(struct call *k, struct queue *q, int put, int fd)
{
	struct timespec until = after_ms(step_ms);

	memset(k, 0, sizeof(*k));
	k->q = q;
	k->put = put;
	k->fd = fd;
	if (pthread_create(&k->thread, NULL, call_main, k) != 0)
		return fail("pthread_create failed in the test driver");
	pthread_mutex_lock(&calls_lock);
	while (k->tid == 0 &&
	       pthread_cond_timedwait(&calls_changed, &calls_lock, &until) == 0)
		;
	pthread_mutex_unlock(&calls_lock);
	return 0;
}

/* Waits until the call returned: 1, or 0 when it did not within ms. */
static int wait_done(struct call *k, int ms)
{
	struct timespec until = after_ms(ms);
	int done;

	pthread_mutex_lock(&calls_lock);
	while (!k->done &&
	       pthread_cond_timedwait(&calls_changed, &calls_lock, &until) == 0)
		;
	done = k->done;
	pthread_mutex_unlock(&calls_lock);
	return done;
}

static int is_done(struct call *k)
{
	int done;

	pthread_mutex_lock(&calls_lock);
	done = k->done;
	pthread_mutex_unlock(&calls_lock);
	return done;
}

/* The scheduler state of a thread of this process: 'S' asleep, 'R'
 * running or runnable; 0 once it has ended. */
static char thread_state(pid_t tid)
{
	char path[64], text[512], *close_paren;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	text[n] = '\0';
	close_paren = strrchr(text, ')');
	return close_paren && close_paren[1] == ' ' ? close_paren[2] : 0;
}

static void pause_ms(int ms)
{
	struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};

	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

/* Waits until each of the n calls has returned or sleeps; twice in a row
 * 5 ms apart, so a thread just woken has had its turn. Returns 0, or -1
 * when one never slept: it spins instead of waiting. */
static int settle(struct call *calls, int n)
{
	struct timespec start, now;
	int quiet = 0;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		int asleep = 1;

		for (int i = 0; i < n; i++) {
			char state = thread_state(calls[i].tid);

			if (!is_done(&calls[i]) && state != 'S' && state != 0)
				asleep = 0;
		}
		quiet = asleep ? quiet + 1 : 0;
		if (quiet == 2)
			return 0;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - start.tv_sec) * 1000 +
			(now.tv_nsec - start.tv_nsec) / 1000000 >
		    step_ms)
			return fail("a thread waiting in queue_%s never went "
				    "to sleep: it keeps running (a loop that "
				    "tests the queue without "
				    "pthread_cond_wait?)",
				    calls[0].put ? "put" : "take");
		pause_ms(5);
	}
}

/* Requires the call to be waiting: asleep, not returned. */
static int expect_waiting(struct call *k, const char *why)
{
	if (settle(k, 1) < 0)
		return -1;
	if (is_done(k))
		return fail("queue_%s(%s) returned %d %s: it must wait",
			    k->put ? "put" : "take", k->put ? "fd" : "q",
			    k->result, why);
	return 0;
}

/* Waits for the call to return with want. */
static int expect_result(struct call *k, int want, const char *what)
{
	if (!wait_done(k, step_ms))
		return fail("%s: queue_%s did not return within %d ms", what,
			    k->put ? "put" : "take", step_ms);
	if (k->result != want)
		return fail("%s: queue_%s returned %d, expected %d", what,
			    k->put ? "put" : "take", k->result, want);
	return 0;
}

/* Joins the call's thread if it returned; a call still blocked belongs
 * to a failed case and is left behind. */
static void finish_call(struct call *k)
{
	if (k->tid && is_done(k))
		pthread_join(k->thread, NULL);
}

/* queue_put(q, fd) must return 0 without waiting. */
static int put_now(struct queue *q, int fd, const char *what)
{
	struct call k;
	int rc;

	if (start_call(&k, q, 1, fd) < 0)
		return -1;
	rc = expect_result(&k, 0, what);
	finish_call(&k);
	return rc;
}

/* queue_take(q) must return want without waiting. */
static int take_now(struct queue *q, int want, const char *what)
{
	struct call k;
	int rc;

	if (start_call(&k, q, 0, 0) < 0)
		return -1;
	rc = expect_result(&k, want, what);
	finish_call(&k);
	return rc;
}

/* A spurious wakeup: every thread waiting on cond wakes while nothing
 * changed. */
static void wake_for_nothing(struct queue *q, pthread_cond_t *cond)
{
	pthread_mutex_lock(&q->lock);
	pthread_cond_broadcast(cond);
	pthread_mutex_unlock(&q->lock);
}

static int init_queue(struct queue *q, int capacity)
{
	memset(q, 0, sizeof(*q));
	if (queue_init(q, capacity) < 0)
		return fail("queue_init(q, %d) returned -1", capacity);
	return 0;
}

/* ---- order: first in, first out, within the capacity --------------- */

static int case_fifo(void)
{
	struct queue q;
	char what[64];
	int rc = 0;

	if (init_queue(&q, 4) < 0)
		return -1;
	for (int i = 0; i < 3 && rc == 0; i++) {
		snprintf(what, sizeof(what), "put %d of 3 on a queue of 4",
			 i + 1);
		rc = put_now(&q, FAKE_FD + i, what);
	}
	for (int i = 0; i < 3 && rc == 0; i++) {
		snprintf(what, sizeof(what),
			 "take %d of 3 (fd %d went in "
			 "%s)",
			 i + 1, FAKE_FD + i,
			 i == 0	  ? "first"
			 : i == 1 ? "second"
				  : "third");
		rc = take_now(&q, FAKE_FD + i, what);
	}
	if (rc == 0)
		queue_destroy(&q);
	return rc;
}

/* A queue fills to its capacity without waiting. */
static int case_fill(int capacity)
{
	struct queue q;
	char what[96];
	int rc = 0;

	if (init_queue(&q, capacity) < 0)
		return -1;
	for (int i = 0; i < capacity && rc == 0; i++) {
		snprintf(what, sizeof(what), "put %d of %d on a queue of %d",
			 i + 1, capacity, capacity);
		rc = put_now(&q, FAKE_FD + i, what);
	}
	for (int i = 0; i < capacity && rc == 0; i++) {
		snprintf(what, sizeof(what), "take %d of %d", i + 1, capacity);
		rc = take_now(&q, FAKE_FD + i, what);
	}
	if (rc == 0)
		queue_destroy(&q);
	return rc;
}

/* Round and round the ring: the order holds past the last slot. */
static int case_ring(void)
{
	struct queue q;
	char what[96];
	int next_in = FAKE_FD, next_out = FAKE_FD, rc = 0;

	if (init_queue(&q, 3) < 0)
		return -1;
	for (int round = 1; round <= 10 && rc == 0; round++) {
		int n = round % 3 + 1; /* 2, 3, 1, 2, ... at a time */

		for (int i = 0; i < n && rc == 0; i++) {
			snprintf(what, sizeof(what),
				 "round %d of puts and "
				 "takes on a queue of 3",
				 round);
			rc = put_now(&q, next_in++, what);
		}
		for (int i = 0; i < n && rc == 0; i++) {
			snprintf(what, sizeof(what),
				 "round %d of puts and "
				 "takes on a queue of 3",
				 round);
			rc = take_now(&q, next_out++, what);
		}
	}
	if (rc == 0)
		queue_destroy(&q);
	return rc;
}

static int case_one_slot(void)
{
	return case_fill(1);
}

static int case_three_slots(void)
{
	return case_fill(3);
}

static int case_largest(void)
{
	return case_fill(QUEUE_MAX);
}

/* ---- wait: empty and full queues make threads sleep ----------------- */

static int case_take_waits(void)
{
	struct queue q;
	struct call taker;
	int rc;

	if (init_queue(&q, 2) < 0 || start_call(&taker, &q, 0, 0) < 0)
		return -1;
	rc = expect_waiting(&taker, "on an empty queue");
	if (rc == 0 && put_now(&q, FAKE_FD, "put while a take waits") < 0)
		rc = -1;
	if (rc == 0)
		rc = expect_result(&taker, FAKE_FD,
				   "take waiting when fd was put");
	finish_call(&taker);
	if (rc == 0)
		queue_destroy(&q);
	return rc;
}

/* Two takers, a spurious wakeup: neither returns; then a put each. */
static int case_take_spurious(void)
{
	struct queue q;
	struct call takers[2];
	int rc = 0, seen = 0;

	if (init_queue(&q, 2) < 0)
		return -1;
	for (int i = 0; i < 2; i++)
		if (start_call(&takers[i], &q, 0, 0) < 0)
			return -1;
	if (settle(takers, 2) < 0)
		return -1;
	wake_for_nothing(&q, &q.not_empty);
	if (settle(takers, 2) < 0)
		return -1;
	for (int i = 0; i < 2; i++)
		if (is_done(&takers[i]))
			return fail("queue_take returned %d from an empty "
				    "queue after pthread_cond_wait returned "
				    "with nothing put (a spurious wakeup): "
				    "test the queue again in a while loop",
				    takers[i].result);
	if (put_now(&q, FAKE_FD, "first put while two takes wait") < 0 ||
	    put_now(&q, FAKE_FD + 1, "second put while two takes wait") < 0)
		return -1;
	for (int i = 0; i < 2 && rc == 0; i++) {
		if (!wait_done(&takers[i], step_ms))
			rc = fail("two takes waited, two fds were put: take "
				  "%d did not return within %d ms",
				  i + 1, step_ms);
		else if (takers[i].result == FAKE_FD ||
			 takers[i].result == FAKE_FD + 1)
			seen |= 1 << (takers[i].result - FAKE_FD);
	}
	if (rc == 0 && seen != 3)
		rc = fail("two takes waited, fds %d and %d were put: they "
			  "returned %d and %d",
			  FAKE_FD, FAKE_FD + 1, takers[0].result,
			  takers[1].result);
	for (int i = 0; i < 2; i++)
		finish_call(&takers[i]);
	if (rc == 0)
		queue_destroy(&q);
	return rc;
}

static int case_put_waits(void)
{
	struct queue q;
	struct call putter;
	int rc;

	if (init_queue(&q, 2) < 0 ||
	    put_now(&q, FAKE_FD, "put 1 of 2 on a queue of 2") < 0 ||
	    put_now(&q, FAKE_FD + 1, "put 2 of 2 on a queue of 2") < 0 ||
	    start_call(&putter, &q, 1, FAKE_FD + 2) < 0)
		return -1;
	rc = expect_waiting(&putter, "on a full queue");
	if (rc == 0)
		rc = take_now(&q, FAKE_FD, "take from the full queue");
	if (rc == 0)
		rc = expect_result(&putter, 0,
				   "put waiting when a slot was freed");
	if (rc == 0)
		rc = take_now(&q, FAKE_FD + 1, "take after the waiting put");
	if (rc == 0)
		rc = take_now(&q, FAKE_FD + 2,
			      "take of what the waiting put added");
	finish_call(&putter);
	if (rc == 0)
		queue_destroy(&q);
	return rc;
}

/* A full queue, a waiting put, a spurious wakeup: it must go on
 * waiting. */
static int case_put_spurious(void)
{
	struct queue q;
	struct call putter;
	int rc = 0;

	if (init_queue(&q, 1) < 0 ||
	    put_now(&q, FAKE_FD, "put on a queue of 1") < 0 ||
	    start_call(&putter, &q, 1, FAKE_FD + 1) < 0)
		return -1;
	if (settle(&putter, 1) < 0)
		return -1;
	wake_for_nothing(&q, &q.not_full);
	if (settle(&putter, 1) < 0)
		return -1;
	if (is_done(&putter))
		return fail("queue_put returned %d on a full queue after "
			    "pthread_cond_wait returned with nothing taken "
			    "(a spurious wakeup): test the queue again in a "
			    "while loop",
			    putter.result);
	rc = take_now(&q, FAKE_FD, "take from the full queue");
	if (rc == 0)
		rc = expect_result(&putter, 0,
				   "put waiting when a slot was freed");
	if (rc == 0)
		rc = take_now(&q, FAKE_FD + 1,
			      "take of what the waiting put added");
	finish_call(&putter);
	if (rc == 0)
		queue_destroy(&q);
	return rc;
}

/* Three takers wait; three puts come at once, from three threads held
 * back behind the queue's mutex until all are ready: each put must wake
 * a taker. A put that signals only when the queue was empty loses a
 * wakeup whenever two puts come before a taker runs; ROUNDS rounds make
 * that all but certain to be seen. */
#define ROUNDS 10
static int every_taker_wakes_once(int round)
{
	struct queue q;
	struct call takers[3], putters[3];
	int rc = 0, seen = 0;

	if (init_queue(&q, 4) < 0)
		return -1;
	for (int i = 0; i < 3; i++)
		if (start_call(&takers[i], &q, 0, 0) < 0)
			return -1;
	if (settle(takers, 3) < 0)
		return -1;
	pthread_mutex_lock(&q.lock);
	for (int i = 0; i < 3; i++)
		if (start_call(&putters[i], &q, 1, FAKE_FD + i) < 0) {
			pthread_mutex_unlock(&q.lock);
			return -1;
		}
	pause_ms(5);
	pthread_mutex_unlock(&q.lock);
	for (int i = 0; i < 3 && rc == 0; i++)
		rc =
		    expect_result(&putters[i], 0, "put while three takes wait");
	for (int i = 0; i < 3 && rc == 0; i++) {
		if (!wait_done(&takers[i], step_ms))
			rc = fail("three takes waited and three fds were put "
				  "at once (round %d), but only %d take(s) "
				  "returned within %d ms: each put must wake "
				  "a waiting take (pthread_cond_signal on "
				  "every put, not only when the queue was "
				  "empty)",
				  round, i, step_ms);
		else if (takers[i].result >= FAKE_FD &&
			 takers[i].result < FAKE_FD + 3)
			seen |= 1 << (takers[i].result - FAKE_FD);
	}
	if (rc == 0 && seen != 7)
		rc = fail("three takes waited, fds %d, %d and %d were put: "
			  "they returned %d, %d and %d",
			  FAKE_FD, FAKE_FD + 1, FAKE_FD + 2, takers[0].result,
			  takers[1].result, takers[2].result);
	for (int i = 0; i < 3; i++) {
		finish_call(&takers[i]);
		finish_call(&putters[i]);
	}
	if (rc == 0)
		queue_destroy(&q);
	return rc;
}

static int case_every_taker_wakes(void)
{
	for (int round = 1; round <= ROUNDS; round++)
		if (every_taker_wakes_once(round) < 0)
			return -1;
	return 0;
}

/* ---- stop: every waiter returns, what is left is closed ------------- */

static int case_stop_wakes_takers(void)
{
	struct queue q;
	struct call takers[2];
	int rc = 0;

	if (init_queue(&q, 2) < 0)
		return -1;
	for (int i = 0; i < 2; i++)
		if (start_call(&takers[i], &q, 0, 0) < 0)
			return -1;
	if (settle(takers, 2) < 0)
		return -1;
	queue_stop(&q);
	for (int i = 0; i < 2 && rc == 0; i++)
		if (!wait_done(&takers[i], step_ms))
			rc = fail("two takes waited on an empty queue; after "
				  "queue_stop, take %d did not return within "
				  "%d ms (wake every waiter with "
				  "pthread_cond_broadcast, and unlock the "
				  "mutex on every way out of queue_take)",
				  i + 1, step_ms);
		else if (takers[i].result != -1)
			rc = fail("after queue_stop, a waiting take returned "
				  "%d, expected -1",
				  takers[i].result);
	for (int i = 0; i < 2; i++)
		finish_call(&takers[i]);
	if (rc == 0)
		queue_destroy(&q);
	return rc;
}

static int case_stop_wakes_putter(void)
{
	struct queue q;
	struct call putter;
	int rc;

	if (init_queue(&q, 1) < 0 ||
	    put_now(&q, FAKE_FD, "put on a queue of 1") < 0 ||
	    start_call(&putter, &q, 1, FAKE_FD + 1) < 0)
		return -1;
	if (settle(&putter, 1) < 0)
		return -1;
	queue_stop(&q);
	rc = expect_result(&putter, -1,
			   "a put waiting on a full queue, "
			   "after queue_stop");
	finish_call(&putter);
	if (rc == 0)
		rc = take_now(&q, -1,
			      "take after queue_stop, a connection "
			      "still queued");
	if (rc == 0)
		queue_destroy(&q);
	return rc;
}

static int case_after_stop(void)
{
	struct queue q;
	int rc;

	if (init_queue(&q, 3) < 0 ||
	    put_now(&q, FAKE_FD, "put on a queue of 3") < 0)
		return -1;
	queue_stop(&q);
	rc = take_now(&q, -1,
		      "take after queue_stop, a connection still "
		      "queued");
	if (rc == 0) {
		struct call putter;

		if (start_call(&putter, &q, 1, FAKE_FD + 1) < 0)
			return -1;
		rc = expect_result(&putter, -1, "put after queue_stop");
		finish_call(&putter);
	}
	if (rc == 0)
		queue_destroy(&q);
	return rc;
}

/* 1 if fd is an open descriptor. */
static int is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0 || errno != EBADF;
}

static int case_destroy_closes(void)
{
	struct queue q;
	int pipes[3][2], rc = 0;

	for (int i = 0; i < 3; i++)
		if (pipe(pipes[i]) < 0)
			return fail("pipe failed in the test driver");
	if (init_queue(&q, 4) < 0)
		return -1;
	for (int i = 0; i < 3 && rc == 0; i++)
		rc = put_now(&q, pipes[i][0], "put of a pipe's read end");
	if (rc == 0)
		rc = take_now(&q, pipes[0][0], "take of the first pipe");
	if (rc < 0)
		return -1;
	queue_stop(&q);
	queue_destroy(&q);
	if (!is_open(pipes[0][0]))
		rc = fail("queue_destroy closed fd %d, which a worker had "
			  "taken out of the queue: close only what still "
			  "waits in it",
			  pipes[0][0]);
	for (int i = 1; i < 3 && rc == 0; i++)
		if (is_open(pipes[i][0]))
			rc = fail("after queue_destroy, fd %d, still waiting "
				  "in the queue, is open: close every "
				  "connection still queued",
				  pipes[i][0]);
	close(pipes[0][0]);
	for (int i = 0; i < 3; i++) {
		if (is_open(pipes[i][0]))
			close(pipes[i][0]);
		close(pipes[i][1]);
	}
	return rc;
}

/* A queue stopped and destroyed while full: LeakSanitizer sees whether
 * the slots were freed when the driver exits. */
static int case_destroy_full(void)
{
	struct queue q;
	int fds[2], rc;

	if (pipe(fds) < 0)
		return fail("pipe failed in the test driver");
	if (init_queue(&q, 2) < 0)
		return -1;
	rc = put_now(&q, fds[0], "put 1 of 2");
	if (rc == 0)
		rc = put_now(&q, fds[1], "put 2 of 2");
	if (rc < 0)
		return -1;
	queue_stop(&q);
	queue_destroy(&q);
	if (is_open(fds[0]) || is_open(fds[1]))
		rc = fail("after queue_destroy of a full queue, a queued fd "
			  "is still open");
	return rc;
}

/* ---- the driver ----------------------------------------------------- */

struct test_case {
	const char *group; /* order, wait or stop */
	const char *name;  /* shown in feedback */
	int (*run)(void);  /* 0 when it passed */
};

static const struct test_case cases[] = {
    {"order", "three in, three out, first in first out", case_fifo},
    {"order", "a queue of 3 fills without waiting", case_three_slots},
    {"order", "a queue of 1: put, take, in turn", case_one_slot},
    {"order", "round and round a ring of 3 slots", case_ring},
    {"order", "a queue of QUEUE_MAX (1024) slots, full", case_largest},
    {"wait", "take waits on an empty queue until a put", case_take_waits},
    {"wait", "take goes on waiting after a spurious wakeup",
     case_take_spurious},
    {"wait", "put waits on a full queue until a take", case_put_waits},
    {"wait", "put goes on waiting after a spurious wakeup", case_put_spurious},
    {"wait", "three puts at once wake three waiting takes",
     case_every_taker_wakes},
    {"stop", "queue_stop wakes every waiting take with -1",
     case_stop_wakes_takers},
    {"stop", "queue_stop wakes a put waiting on a full queue with -1",
     case_stop_wakes_putter},
    {"stop", "after queue_stop, take and put return -1 at once",
     case_after_stop},
    {"stop", "queue_destroy closes what still waits, nothing else",
     case_destroy_closes},
    {"stop", "queue_destroy of a full queue", case_destroy_full},
};

int main(int argc, char **argv)
{
	int any = 0;
	char token[64] = "";

	/* First, before any of the student's code runs: the harness's
	 * token for this run, which only the last line carries. */
	if (!fgets(token, sizeof(token), stdin))
		token[0] = '\0';
	token[strcspn(token, "\n")] = '\0';
	if (argc != 3 || atoi(argv[2]) <= 0) {
		fprintf(stderr, "usage: queue-cases order|wait|stop STEP_MS\n");
		return 1;
	}
	step_ms = atoi(argv[2]);
	setvbuf(stdout, NULL, _IONBF, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strcmp(cases[i].group, argv[1]) != 0)
			continue;
		any = 1;
		failure[0] = '\0';
		run_count++;
		if (cases[i].run() == 0 && !failure[0]) {
			printf("ok %s\n", cases[i].name);
		} else {
			failed_count++;
			printf("case failed: %s: %s\n", cases[i].name,
			       failure[0] ? failure : "it failed");
		}
	}
	if (!any) {
		fprintf(stderr, "queue-cases: no group %s\n", argv[1]);
		return 1;
	}
	printf("cases: %d run, %d failed, token %s\n", run_count, failed_count,
	       token);
	/* A call still blocked belongs to a failed case: leave it. */
	return failed_count ? 1 : 0;
}
