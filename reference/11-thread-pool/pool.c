/* pool.c - lab 11: an echo server with a fixed pool of worker threads.
 *
 * usage: pool PORT WORKERS QUEUE
 *
 * Echoes every line a client sends (see pool.h). The main thread accepts
 * and puts each connection in a queue of QUEUE slots; WORKERS threads,
 * all started before the first accept, take connections out and serve
 * each until its client leaves. Nothing is created per client: a busy
 * server has exactly WORKERS + 1 threads, and a connection waits in the
 * queue (then in the kernel's backlog) until a worker is free.
 *
 * Stopping: SIGINT or SIGTERM. The handler sets a flag and writes a byte
 * into the stop pipe (the "self-pipe trick"): every thread that waits
 * for a socket also watches the pipe's read end, so all of them wake up.
 * The main thread stops the queue, joins every worker, closes what is
 * left, prints the totals and exits 0.
 *
 * Python: socketserver.ThreadingTCPServer starts a thread per client;
 * concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS) is the pool,
 * with a queue that never fills. Here the queue has a bound.
 */
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pool.h"

#define BACKLOG 128 /* connections the kernel holds before accept */

/* What the threads share: main's static s, which outlives every
 * worker. */
struct server {
	struct queue queue;		/* connections waiting for a worker */
	int stop_fd;			/* read end of the stop pipe: readable
					   once a stop signal came */
	pthread_mutex_t totals;		/* guards clients and lines */
	long clients;			/* connections a worker has served */
	long lines;			/* lines echoed */
	pthread_t workers[WORKERS_MAX]; /* the pool */
	int nworkers;			/* threads started */
};

/* Set by the signal handler; tested by the main thread's loop. */
static volatile sig_atomic_t stop_requested = 0;
/* Write end of the stop pipe, for the signal handler. */
static int stop_pipe_write = -1;

static void on_stop_signal(int sig)
{
	int saved_errno = errno; /* write may change it under main's feet */

	(void)sig;
	stop_requested = 1;
	/* write is async-signal-safe; pthread_cond_signal is not. A full
	 * pipe is fine: it is readable already. */
	if (write(stop_pipe_write, "x", 1) < 0) {
		/* nothing to do: the flag is set */
	}
	errno = saved_errno;
}

/* Catches SIGINT and SIGTERM, ignores SIGPIPE. Returns 0 or -1. */
static int install_signal_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	if (sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigaction(SIGTERM, &sa, NULL) < 0)
		return -1;
	/* A reply to a client that has gone must not kill the server. */
	sa.sa_handler = SIG_IGN;
	return sigaction(SIGPIPE, &sa, NULL);
}

/* The number written in text if it is a whole number from low to high,
 * else -1. */
static int parse_number(const char *text, long low, long high)
{
	char *end;  /* strtol leaves here the first byte it did not use */
	long value; /* the number read */

	/* strtol would skip spaces and accept a sign: ask for a digit. */
	if (!isdigit((unsigned char)text[0]))
		return -1;
	errno = 0;
	value = strtol(text, &end, 10);
	if (errno != 0 || *end != '\0' || value < low || value > high)
		return -1;
	return (int)value;
}

/* Returns a socket listening on every IPv4 address on port, or -1 with
 * *failed_call naming the call that failed. */
static int open_listener(int port, const char **failed_call)
{
	struct sockaddr_in addr; /* any IPv4 address, our port */
	int one = 1;		 /* "on", for setsockopt */
	int fd, saved_errno;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		*failed_call = "socket";
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) {
		*failed_call = "setsockopt";
		goto out_close;
	}
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_ANY);
	addr.sin_port = htons((unsigned short)port);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		*failed_call = "bind";
		goto out_close;
	}
	if (listen(fd, BACKLOG) < 0) {
		*failed_call = "listen";
		goto out_close;
	}
	return fd;

out_close:
	saved_errno = errno; /* close must not change the reason */
	close(fd);
	errno = saved_errno;
	return -1;
}

/* Sleeps until fd is ready for events (POLLIN or POLLOUT) or the stop
 * pipe is readable. Returns 0 when fd is ready, -1 when the server
 * stops. No timeout: a thread with nothing to do uses no CPU. */
static int wait_for(int fd, short events, int stop_fd)
{
	struct pollfd pfd[2] = {
	    {.fd = fd, .events = events},
	    {.fd = stop_fd, .events = POLLIN},
	};

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (pfd[1].revents)
			return -1;
		/* POLLHUP or POLLERR: the next call on fd says what. */
		if (pfd[0].revents)
			return 0;
	}
}

/* Sends all n bytes of buf, however send cuts them. Returns 0, or -1
 * when the client has gone or the server stops. */
static int send_all(int fd, const char *buf, size_t n, int stop_fd)
{
	while (n > 0) {
		ssize_t sent;

		/* A client that does not read fills its buffers: then send
		 * would block, and only the stop pipe could end the wait. */
		if (wait_for(fd, POLLOUT, stop_fd) < 0)
			return -1;
		sent = send(fd, buf, n, 0);
		if (sent < 0 && errno == EINTR)
			continue;
		if (sent < 0)
			return -1; /* EPIPE, ECONNRESET: it has gone */
		buf += sent;
		n -= (size_t)sent;
	}
	return 0;
}

/* Serves one client until it leaves or the server stops. Returns the
 * lines echoed. */
static long serve_client(int fd, int stop_fd)
{
	char buf[ECHO_LINE_MAX]; /* bytes received, not yet echoed */
	size_t len = 0;		 /* bytes in buf */
	int skipping = 0;	 /* 1 while dropping a line that is too long */
	long lines = 0;		 /* lines echoed */

	for (;;) {
		char *newline;
		ssize_t n;

		/* Echo every whole line in buf, each in one piece. */
		while ((newline = memchr(buf, '\n', len)) != NULL) {
			size_t line_len = (size_t)(newline - buf) + 1;

			if (skipping) {
				skipping = 0; /* the end of the long line */
			} else {
				if (send_all(fd, buf, line_len, stop_fd) < 0)
					return lines;
				lines++;
			}
			/* Keep what follows the line for the next one. */
			memmove(buf, buf + line_len, len - line_len);
			len -= line_len;
		}
		if (len == sizeof(buf)) {
			/* ECHO_LINE_MAX bytes and no "\n": too long. Say so
			 * once, then drop its bytes until its "\n". */
			if (!skipping &&
			    send_all(fd, TOO_LONG_REPLY, strlen(TOO_LONG_REPLY),
				     stop_fd) < 0)
				return lines;
			skipping = 1;
			len = 0;
		}
		if (wait_for(fd, POLLIN, stop_fd) < 0)
			return lines;
		/* One recv is not one line: receive into the free part of
		 * the buffer only, and look for "\n" again. */
		n = recv(fd, buf + len, sizeof(buf) - len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return lines; /* it closed (0) or reset (-1) */
		len += (size_t)n;
	}
}

/* A worker: takes connections from the queue until it stops. */
static void *worker_main(void *arg)
{
	struct server *s = arg;
	int fd;

	while ((fd = queue_take(&s->queue)) >= 0) {
		/* Counted here, in the worker's own variable: no lock. */
		long lines = serve_client(fd, s->stop_fd);

		close(fd);
		/* Shared totals: every update holds their mutex. */
		pthread_mutex_lock(&s->totals);
		s->clients++;
		s->lines += lines;
		pthread_mutex_unlock(&s->totals);
	}
	return NULL;
}

/* Starts the workers with SIGINT and SIGTERM blocked, so that only the
 * main thread ever runs the handler. Returns 0, or -1 after a failure
 * (s->nworkers says how many run). */
static int start_workers(struct server *s, int count)
{
	sigset_t stop_signals, old_mask;
	int rc = 0;

	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	/* A new thread inherits the mask of the thread that creates it. */
	pthread_sigmask(SIG_BLOCK, &stop_signals, &old_mask);
	while (s->nworkers < count && rc == 0) {
		rc = pthread_create(&s->workers[s->nworkers], NULL, worker_main,
				    s);
		if (rc == 0)
			s->nworkers++;
		else
			fprintf(stderr, "pool: pthread_create: %s\n",
				strerror(rc));
	}
	pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
	return rc == 0 ? 0 : -1;
}

/* Accepts connections and queues them until a stop signal. */
static void accept_loop(struct server *s, int listenfd)
{
	while (!stop_requested) {
		int fd;

		/* Wait for a client or the stop pipe: a signal that comes
		 * just before this call still wakes it. */
		if (wait_for(listenfd, POLLIN, s->stop_fd) < 0)
			break;
		fd = accept(listenfd, NULL, NULL);
		if (fd < 0) {
			/* EINTR, or a client that left before accept:
			 * nothing to do for it. */
			if (errno != EINTR && errno != ECONNABORTED)
				perror("pool: accept");
			continue;
		}
		/* Waits while the queue is full: then new clients wait in
		 * the kernel's backlog, not in our memory. */
		if (queue_put(&s->queue, fd) < 0)
			close(fd);
	}
}

/* Stops the queue, waits for every worker, frees what is left. */
static void stop_workers(struct server *s)
{
	queue_stop(&s->queue);
	for (int i = 0; i < s->nworkers; i++)
		pthread_join(s->workers[i], NULL);
	queue_destroy(&s->queue);
}

int main(int argc, char **argv)
{
	static struct server s; /* shared by every thread */
	const char *failed_call = "";
	int port, workers, queue_size, listenfd, stop_pipe[2];
	int status = EXIT_OK;

	if (argc != 4 || (port = parse_number(argv[1], 1, 65535)) < 0 ||
	    (workers = parse_number(argv[2], 1, WORKERS_MAX)) < 0 ||
	    (queue_size = parse_number(argv[3], 1, QUEUE_MAX)) < 0) {
		fprintf(stderr,
			"usage: pool PORT WORKERS QUEUE (PORT 1 to "
			"65535, WORKERS 1 to %d, QUEUE 1 to %d)\n",
			WORKERS_MAX, QUEUE_MAX);
		return EXIT_USAGE;
	}
	if (pipe(stop_pipe) < 0) {
		perror("pool: pipe");
		return EXIT_RUNTIME;
	}
	stop_pipe_write = stop_pipe[1];
	s.stop_fd = stop_pipe[0];
	if (install_signal_handlers() < 0) {
		perror("pool: sigaction");
		status = EXIT_RUNTIME;
		goto out_close_pipe;
	}
	listenfd = open_listener(port, &failed_call);
	if (listenfd < 0) {
		fprintf(stderr, "pool: %s: %s\n", failed_call, strerror(errno));
		status = EXIT_RUNTIME;
		goto out_close_pipe;
	}
	if (queue_init(&s.queue, queue_size) < 0) {
		perror("pool: malloc");
		status = EXIT_RUNTIME;
		goto out_close_listener;
	}
	pthread_mutex_init(&s.totals, NULL);
	if (start_workers(&s, workers) == 0) {
		fprintf(stderr,
			"pool: listening on port %d, %d workers, a "
			"queue of %d\n",
			port, workers, queue_size);
		accept_loop(&s, listenfd);
	} else {
		status = EXIT_RUNTIME;
	}
	/* Workers blocked on a client wake up on the stop pipe (written
	 * by the handler, or here after a failed start). */
	if (write(stop_pipe_write, "x", 1) < 0)
		perror("pool: write");
	stop_workers(&s);
	pthread_mutex_destroy(&s.totals);
	/* Every worker has been joined: the totals are complete. */
	fprintf(stderr, "pool: served %ld clients, %ld lines\n", s.clients,
		s.lines);
out_close_listener:
	close(listenfd);
out_close_pipe:
	close(stop_pipe[0]);
	close(stop_pipe[1]);
	return status;
}
