/* writen_cases.c - lab 02: writen's contract, tested directly.
 *
 * usage: writen-cases STEP_MS
 *
 * Linked with the student's wrappers.c. writen must write all n bytes,
 * through short writes and EINTR. Neither happens on demand over a fast
 * loopback socket, so this driver makes both: writen writes into a UNIX
 * stream socket with small buffers whose peer, this program's main
 * thread, reads slowly, and whenever the writer is asleep in its call
 * with the buffers full, main interrupts it with a signal whose handler
 * does not restart the call (sa_flags 0). A call that had sent part of
 * its buffer returns that part (a short write); the next one, started
 * with the buffers still full, is interrupted before any byte and fails
 * with EINTR. Both happen on every bufferful of the data, whether writen
 * calls write or send. STEP_MS bounds each wait for the writer.
 *
 * Prints "ok NAME" for a case that passed, "case failed: NAME: reason"
 * for one that did not, and last "cases: N run, F failed".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "wrappers.h"

#define DATA_BYTES (64 * 1024) /* what writen is asked to write */
#define BUFFER	   4096	       /* SO_SNDBUF and SO_RCVBUF asked for */

static volatile sig_atomic_t interruptions; /* signals handled */

static void on_signal(int sig)
{
	(void)sig;
	interruptions++;
}

/* The writer thread's call and what came of it. */
struct writer {
	int fd;		   /* the socket writen writes to */
	const char *data;  /* DATA_BYTES bytes */
	pid_t tid;	   /* its thread id, for /proc */
	volatile int done; /* 1 once writen returned */
	ssize_t result;	   /* what writen returned */
	int error;	   /* errno after a -1 */
	pthread_t thread;
};

static void *writer_main(void *p)
{
	struct writer *w = p;

	w->tid = (pid_t)syscall(SYS_gettid);
	w->result = writen(w->fd, w->data, DATA_BYTES);
	w->error = errno;
	__atomic_store_n(&w->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 1 when the writer sleeps (state S in /proc/self/task/TID/stat). */
static int asleep(pid_t tid)
{
	char path[64], line[256], *close_paren;
	FILE *f;
	int s = 0;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fgets(line, sizeof(line), f) && (close_paren = strrchr(line, ')')))
		s = close_paren[1] == ' ' && close_paren[2] == 'S';
	fclose(f);
	return s;
}

/* Waits (polling, under step_ms) until the writer is done, or asleep
 * in its call with data waiting to be read; 1 asleep, 0 done, -1
 * neither in time. */
static int wait_blocked(struct writer *w, int rfd, int step_ms)
{
	long long until = now_ms() + step_ms;
	struct timespec tick = {0, 200000}; /* 0.2 ms */

	while (now_ms() < until) {
		int queued = 0;

		if (__atomic_load_n(&w->done, __ATOMIC_SEQ_CST))
			return 0;
		if (w->tid && ioctl(rfd, FIONREAD, &queued) == 0 &&
		    queued > 0 && asleep(w->tid))
			return 1;
		nanosleep(&tick, NULL);
	}
	return -1;
}

/* Interrupts the sleeping writer once and waits until its handler ran. */
static int interrupt(struct writer *w, int step_ms)
{
	sig_atomic_t before = interruptions;
	long long until = now_ms() + step_ms;
	struct timespec tick = {0, 200000};

	pthread_kill(w->thread, SIGUSR1);
	while (interruptions == before && now_ms() < until)
		nanosleep(&tick, NULL);
	return interruptions != before ? 0 : -1;
}

int main(int argc, char **argv)
{
	int step_ms = argc > 1 ? atoi(argv[1]) : 2000;
	struct sigaction sa;
	struct writer w = {0};
	char *data = malloc(DATA_BYTES), *got = malloc(DATA_BYTES);
	size_t have = 0;
	int fds[2], failed = 0, blocked, size = BUFFER;
	char token[64] = "";

	/* First, before any of the student's code runs: the harness's
	 * token for this run, which only the last line carries. */
	if (!fgets(token, sizeof(token), stdin))
		token[0] = '\0';
	token[strcspn(token, "\n")] = '\0';
	if (!data || !got ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0 ||
	    setsockopt(fds[1], SOL_SOCKET, SO_SNDBUF, &size, sizeof(size)) <
		0 ||
	    setsockopt(fds[0], SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) <
		0) {
		perror("writen-cases: setup");
		return 3;
	}
	for (size_t i = 0; i < DATA_BYTES; i++)
		data[i] = (char)('a' + (i * 7 + i / 26) % 26);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: write is interrupted */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	w.fd = fds[1];
	w.data = data;
	if (pthread_create(&w.thread, NULL, writer_main, &w) != 0) {
		perror("writen-cases: pthread_create");
		return 3;
	}
	/* each bufferful: a short write, then EINTR, then it is read */
	while ((blocked = wait_blocked(&w, fds[0], step_ms)) == 1) {
		ssize_t n;

		if (interrupt(&w, step_ms) < 0 ||
		    wait_blocked(&w, fds[0], step_ms) != 1 ||
		    interrupt(&w, step_ms) < 0)
			break;
		n = read(fds[0], got + have, DATA_BYTES - have);
		if (n <= 0)
			break;
		have += (size_t)n;
	}
	/* what is left once writen has returned (or given up) */
	if (__atomic_load_n(&w.done, __ATOMIC_SEQ_CST) || blocked == 0) {
		ssize_t n;

		pthread_join(w.thread, NULL);
		close(fds[1]);
		while (have < DATA_BYTES &&
		       (n = read(fds[0], got + have, DATA_BYTES - have)) > 0)
			have += (size_t)n;
	} else {
		printf("case failed: interrupted: writen neither returned nor "
		       "wrote the rest within %d ms\n",
		       step_ms);
		printf("cases: 1 run, 1 failed, token %s\n", token);
		return 1;
	}
	if (w.result != DATA_BYTES) {
		failed = 1;
		if (w.result < 0)
			printf("case failed: interrupted: writen(fd, buf, %d) "
			       "returned -1 (%s) after %d signal(s): a write "
			       "interrupted before its first byte fails with "
			       "EINTR, and writen must try again\n",
			       DATA_BYTES, strerror(w.error),
			       (int)interruptions);
		else
			printf("case failed: interrupted: writen(fd, buf, %d) "
			       "returned %zd: a write interrupted by a signal "
			       "after part of the data returns that part, and "
			       "writen must write the rest\n",
			       DATA_BYTES, w.result);
	} else if (have != DATA_BYTES || memcmp(got, data, DATA_BYTES) != 0) {
		failed = 1;
		printf("case failed: interrupted: writen returned %d but the "
		       "reader got %zu bytes%s\n",
		       DATA_BYTES, have,
		       have == DATA_BYTES ? ", not the ones given" : "");
	} else {
		printf("ok interrupted (%d signals)\n", (int)interruptions);
	}
	printf("cases: 1 run, %d failed, token %s\n", failed, token);
	free(data);
	free(got);
	return failed;
}
