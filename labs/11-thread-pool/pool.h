/* pool.h - lab 11: an echo server with a fixed pool of worker threads.
 *
 * The service, line by line: every line a client sends, its bytes up to
 * and including its "\n", comes back to it exactly, in one piece, once
 * the whole line has arrived. A line may hold any byte but "\n" ('\0' and
 * "\r" included) and is at most ECHO_LINE_MAX bytes long, its "\n"
 * included. When ECHO_LINE_MAX bytes have arrived without a "\n", the
 * line is too long: the server answers TOO_LONG_REPLY once, drops the
 * line's bytes up to and including its "\n", however many there are,
 * and goes on with the next line. Bytes after the last "\n" when the
 * client closes are not a line: nothing answers them.
 *
 * The server: the main thread accepts connections and puts each in a
 * bounded queue; WORKERS worker threads take them out, oldest first,
 * and each serves its client until the client leaves. While every
 * worker is busy, new connections wait in the queue; while the queue is
 * full, the main thread waits before it accepts more.
 *
 * The queue is the part every thread shares. Its fields are here so that
 * the grader's tests can reach them; only queue.c touches them, always
 * with lock held.
 */
#ifndef POOL_H
#define POOL_H

#include <pthread.h>

/* Exit statuses, the same in every lab. */
#define EXIT_OK	     0 /* the server was stopped by a signal */
#define EXIT_USAGE   1 /* wrong arguments: a "usage:" line was printed */
#define EXIT_RUNTIME 2 /* a call failed: reported on stderr */

#define WORKERS_MAX   64   /* most worker threads (WORKERS: 1 to 64) */
#define QUEUE_MAX     1024 /* longest queue (QUEUE: 1 to 1024) */
#define ECHO_LINE_MAX 1024 /* longest line, its "\n" included */

/* The answer to a line longer than ECHO_LINE_MAX. */
#define TOO_LONG_REPLY "error: line too long\n"

/* Accepted connections waiting for a worker, oldest first: a ring of
 * capacity slots. */
struct queue {
	int *fds;		  /* capacity slots (malloc'd) */
	int capacity;		  /* the most connections that may wait */
	int head;		  /* slot of the oldest waiting connection */
	int count;		  /* connections waiting */
	int stopping;		  /* 1 once queue_stop was called */
	pthread_mutex_t lock;	  /* guards every field above */
	pthread_cond_t not_empty; /* signalled when a connection is put */
	pthread_cond_t not_full;  /* signalled when a connection is taken */
};

/* Makes q an empty queue of capacity slots (1 to QUEUE_MAX). Returns 0,
 * or -1 when memory runs out. */
int queue_init(struct queue *q, int capacity);

/* Adds fd at the tail. While the queue is full it waits until a slot is
 * free. Returns 0, or -1 once queue_stop was called: fd was not added,
 * and closing it is the caller's job. */
int queue_put(struct queue *q, int fd);

/* Removes the oldest connection and returns it. While the queue is empty
 * it waits until one is put. Returns -1 once queue_stop was called, at
 * once, even if connections still wait. */
int queue_take(struct queue *q);

/* From now on queue_put and queue_take return -1; wakes every thread
 * waiting in either of them. */
void queue_stop(struct queue *q);

/* Closes every connection still waiting, frees the slots, destroys the
 * mutex and the conditions. Only once no thread uses q any more. */
void queue_destroy(struct queue *q);

#endif
