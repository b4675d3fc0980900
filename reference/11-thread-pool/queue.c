/* queue.c - lab 11: the bounded queue of accepted connections.
 *
 * One mutex guards every field; two conditions say what a waiting thread
 * waits for. A thread that finds the queue empty (or full) waits on the
 * condition in a while loop: pthread_cond_wait may return when nothing
 * changed (a spurious wakeup), or after another thread has already taken
 * what it was woken for, so the test is made again every time.
 */
#include <stdlib.h>
#include <unistd.h>

#include "pool.h"

int queue_init(struct queue *q, int capacity)
{
	q->fds = malloc((size_t)capacity * sizeof(q->fds[0]));
	if (!q->fds)
		return -1;
	q->capacity = capacity;
	q->head = 0;
	q->count = 0;
	q->stopping = 0;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->not_empty, NULL);
	pthread_cond_init(&q->not_full, NULL);
	return 0;
}

int queue_put(struct queue *q, int fd)
{
	int rc = -1; /* -1 until fd is in */

	pthread_mutex_lock(&q->lock);
	/* Full: sleep until a worker takes one. The mutex is released
	 * while we sleep and held again when pthread_cond_wait returns. */
	while (q->count == q->capacity && !q->stopping)
		pthread_cond_wait(&q->not_full, &q->lock);
	if (!q->stopping) {
		/* The tail is count slots after the head, round the ring. */
		q->fds[(q->head + q->count) % q->capacity] = fd;
		q->count++;
		/* One connection: one waiting worker is enough. */
		pthread_cond_signal(&q->not_empty);
		rc = 0;
	}
	/* Every path out unlocks: a return with the mutex held would
	 * block every other thread for ever. */
	pthread_mutex_unlock(&q->lock);
	return rc;
}

int queue_take(struct queue *q)
{
	int fd = -1; /* -1 once the queue stops */

	pthread_mutex_lock(&q->lock);
	while (q->count == 0 && !q->stopping)
		pthread_cond_wait(&q->not_empty, &q->lock);
	if (!q->stopping) {
		fd = q->fds[q->head];
		q->head = (q->head + 1) % q->capacity;
		q->count--;
		/* A slot is free: the main thread may be waiting for one. */
		pthread_cond_signal(&q->not_full);
	}
	pthread_mutex_unlock(&q->lock);
	return fd;
}

void queue_stop(struct queue *q)
{
	pthread_mutex_lock(&q->lock);
	q->stopping = 1;
	/* Every waiter, not one: each must see stopping and return. */
	pthread_cond_broadcast(&q->not_empty);
	pthread_cond_broadcast(&q->not_full);
	pthread_mutex_unlock(&q->lock);
}

void queue_destroy(struct queue *q)
{
	/* No thread uses q now: no lock needed. The connections still
	 * waiting were never served; closing them tells their clients. */
	for (int i = 0; i < q->count; i++)
		close(q->fds[(q->head + i) % q->capacity]);
	free(q->fds);
	q->fds = NULL;
	q->count = 0;
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->not_empty);
	pthread_cond_destroy(&q->not_full);
}
