/* queue.c - lab 11: the bounded queue of accepted connections.
 *
 * Write each function as pool.h describes it. One mutex (q->lock) guards
 * every field; hold it for every read and write of them. A thread that
 * finds the queue empty (or full) waits on a condition in a while loop,
 * never an if: pthread_cond_wait may return when nothing changed.
 */
#include <stdlib.h>
#include <unistd.h>

#include "pool.h"

int queue_init(struct queue *q, int capacity)
{
	/* TODO: malloc capacity ints for q->fds (return -1 if that fails);
	 * capacity, head 0, count 0, stopping 0; pthread_mutex_init and
	 * pthread_cond_init for lock, not_empty and not_full. */
	(void)q;
	(void)capacity;
	return -1;
}

int queue_put(struct queue *q, int fd)
{
	/* TODO: lock. While the queue is full and not stopping,
	 * pthread_cond_wait(&q->not_full, &q->lock). Unless stopping:
	 * store fd at the tail, (head + count) % capacity, count++, and
	 * pthread_cond_signal(&q->not_empty). Unlock on every way out;
	 * return 0, or -1 when stopping. */
	(void)q;
	(void)fd;
	return -1;
}

int queue_take(struct queue *q)
{
	/* TODO: lock. While the queue is empty and not stopping, wait on
	 * not_empty. Unless stopping: the fd at head, head = (head + 1) %
	 * capacity, count--, pthread_cond_signal(&q->not_full). Unlock on
	 * every way out; return the fd, or -1 when stopping. */
	(void)q;
	return -1;
}

void queue_stop(struct queue *q)
{
	/* TODO: lock, stopping = 1, pthread_cond_broadcast both conditions
	 * (every waiter must wake and see it), unlock. */
	(void)q;
}

void queue_destroy(struct queue *q)
{
	/* TODO: close the count fds still waiting, from head round the
	 * ring; free the slots; destroy the mutex and both conditions. */
	(void)q;
}
