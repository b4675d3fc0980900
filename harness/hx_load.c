/* hx_load.c - the load generator's client threads, and the plain echo
 * server they are measured against. */
#define _GNU_SOURCE
#include "hx_load.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "hx_time.h"

#define HX_ECHO_STOP_MS 5000	  /* the echo server's threads end */
#define HX_ECHO_CHUNK	16384	  /* bytes echoed at a time */
#define HX_ANSWER_CAP	(1 << 20) /* most bytes read of one request's answer */

/* ---- the clients ------------------------------------------------------ */

/* What the client threads share. */
struct hx_load_run {
	const struct hx_load_plan *plan; /* what to do */
	int64_t start_ms;		 /* when the clients start */
	int64_t end_ms;			 /* when they stop starting lines */
	pthread_mutex_t lock;		 /* guards the result */
	struct hx_load_result *result;	 /* counts, first error */
};

/* One client thread's own counts, added to the result at its end. */
struct hx_load_client {
	struct hx_load_run *run; /* shared */
	int number;	  /* 0, 1, ...: in its lines, to tell them apart */
	pthread_t thread; /* the thread */
	long answers;	  /* answers it got right */
	long connections; /* connections it completed */
	long failures;	  /* connections that failed */
	char error[256];  /* its first failure */
};

static void hx_load_fail(struct hx_load_client *k, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void hx_load_fail(struct hx_load_client *k, const char *fmt, ...)
{
	va_list ap;

	k->failures++;
	if (k->error[0])
		return;
	va_start(ap, fmt);
	vsnprintf(k->error, sizeof(k->error), fmt, ap);
	va_end(ap);
}

/* Waits for events on fd until deadline: 1 ready, 0 timeout, -1 error. */
static int hx_load_wait(int fd, short events, int64_t deadline)
{
	struct pollfd pfd = {.fd = fd, .events = events};

	for (;;) {
		int n = poll(&pfd, 1, hx_remaining_ms(deadline));

		if (n < 0 && errno == EINTR)
			continue;
		return n < 0 ? -1 : n;
	}
}

/* A connected socket (non-blocking), or -1 after a recorded failure. */
static int hx_load_connect(struct hx_load_client *k)
{
	const struct hx_load_plan *plan = k->run->plan;
	struct sockaddr_in addr = {.sin_family = AF_INET,
				   .sin_port = htons((uint16_t)plan->port)};
	int64_t deadline = hx_deadline(plan->timeout_ms);
	int fd, err = 0, one = 1;
	socklen_t len = sizeof(err);

	if (inet_pton(AF_INET, plan->host, &addr.sin_addr) != 1) {
		hx_load_fail(k, "not a numeric IPv4 address: %s", plan->host);
		return -1;
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		hx_load_fail(k, "socket: %s", strerror(errno));
		return -1;
	}
	/* lines go out at once, as an interactive client's would */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 &&
	    errno != EINPROGRESS) {
		hx_load_fail(k, "connect: %s", strerror(errno));
		goto out_close;
	}
	if (hx_load_wait(fd, POLLOUT, deadline) <= 0) {
		hx_load_fail(k, "connect: no answer within %d ms",
			     plan->timeout_ms);
		goto out_close;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err) {
		hx_load_fail(k, "connect: %s", strerror(err ? err : errno));
		goto out_close;
	}
	return fd;
out_close:
	close(fd);
	return -1;
}

/* Sends all of data; 0, or -1 after a recorded failure. */
static int hx_load_send(struct hx_load_client *k, int fd, const char *data,
			size_t len)
{
	int64_t deadline = hx_deadline(k->run->plan->timeout_ms);

	while (len > 0) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);

		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (hx_load_wait(fd, POLLOUT, deadline) <= 0) {
				hx_load_fail(k,
					     "send: the server took "
					     "nothing for %d ms",
					     k->run->plan->timeout_ms);
				return -1;
			}
			continue;
		}
		if (n < 0) {
			hx_load_fail(k, "send: %s", strerror(errno));
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Receives exactly len bytes into buf (len 0: until the server closes,
 * at most cap bytes, *got says how many). 0, or -1 after a recorded
 * failure. */
static int hx_load_recv(struct hx_load_client *k, int fd, char *buf, size_t len,
			size_t cap, size_t *got)
{
	int64_t deadline = hx_deadline(k->run->plan->timeout_ms);
	size_t want = len ? len : cap;

	*got = 0;
	while (*got < want) {
		ssize_t n = recv(fd, buf + *got, want - *got, 0);

		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (hx_load_wait(fd, POLLIN, deadline) <= 0) {
				hx_load_fail(k,
					     "no answer within %d ms (%zu "
					     "of %zu bytes came)",
					     k->run->plan->timeout_ms, *got,
					     want);
				return -1;
			}
			continue;
		}
		if (n == 0 && len == 0)
			return 0;
		if (n <= 0) {
			hx_load_fail(k,
				     "%s after %zu of %zu bytes of an "
				     "answer",
				     n == 0 ? "the server closed"
					    : strerror(errno),
				     *got, want);
			return -1;
		}
		*got += (size_t)n;
	}
	if (len == 0) {
		hx_load_fail(k, "an answer longer than %zu bytes", cap);
		return -1;
	}
	return 0;
}

/* The think time after an answer. */
static void hx_load_think(const struct hx_load_plan *plan)
{
	struct timespec t = {plan->pause_us / 1000000,
			     (long)(plan->pause_us % 1000000) * 1000L};

	if (plan->pause_us > 0)
		while (nanosleep(&t, &t) < 0 && errno == EINTR)
			;
}

/* One connection of the echo load: lines out, each back exact. */
static void hx_load_echo_connection(struct hx_load_client *k, char *line,
				    char *answer, long *sequence)
{
	const struct hx_load_plan *plan = k->run->plan;
	size_t len = (size_t)plan->line_bytes;
	int fd = hx_load_connect(k);

	if (fd < 0)
		return;
	for (int i = 0; i < plan->lines_per_connection; i++) {
		size_t got;
		int n;

		if (hx_now_ms() >= k->run->end_ms)
			goto out_close; /* time is up: not a failure */
		/* each line its own: a server that mixes clients up shows */
		memset(line, 'a' + (int)(*sequence % 26), len);
		n = snprintf(line, len, "client %d line %ld ", k->number,
			     (*sequence)++);
		if (n < 0 || n > (int)len - 2)
			n = (int)len - 2;
		line[n] = '.';
		line[len - 1] = '\n';
		if (hx_load_send(k, fd, line, len) < 0 ||
		    hx_load_recv(k, fd, answer, len, len, &got) < 0)
			goto out_close;
		if (memcmp(line, answer, len) != 0) {
			hx_load_fail(k, "line %.*s came back as %.*s",
				     (int)strcspn(line, "."), line,
				     (int)strcspn(answer, "."), answer);
			goto out_close;
		}
		k->answers++;
		/* the pause after the last line comes after the close */
		if (i + 1 < plan->lines_per_connection)
			hx_load_think(plan);
	}
	k->connections++;
	close(fd);
	hx_load_think(plan);
	return;
out_close:
	close(fd);
}

/* One connection of the request load: the request, the whole answer. */
static void hx_load_request_connection(struct hx_load_client *k, char *answer)
{
	const struct hx_load_plan *plan = k->run->plan;
	int fd = hx_load_connect(k);
	size_t got;

	if (fd < 0)
		return;
	if (hx_load_send(k, fd, plan->request, strlen(plan->request)) == 0 &&
	    hx_load_recv(k, fd, answer, 0, HX_ANSWER_CAP, &got) == 0) {
		if (got == 0) {
			hx_load_fail(k, "the server closed without an answer");
		} else {
			k->answers++;
			k->connections++;
		}
	}
	close(fd);
	hx_load_think(plan);
}

static void *hx_load_client_main(void *arg)
{
	struct hx_load_client *k = arg;
	const struct hx_load_plan *plan = k->run->plan;
	char *line = malloc(HX_LOAD_MAX_LINE);
	char *answer = malloc(HX_ANSWER_CAP);
	long sequence = 0;

	if (!line || !answer) {
		hx_load_fail(k, "out of memory");
		goto out_free;
	}
	while (hx_now_ms() < k->run->end_ms) {
		long failures = k->failures;

		if (plan->request)
			hx_load_request_connection(k, answer);
		else
			hx_load_echo_connection(k, line, answer, &sequence);
		if (k->failures > failures) {
			/* a dead server refuses at once: do not spin */
			struct timespec t = {0, 1000000L};

			nanosleep(&t, NULL);
		}
	}
out_free:
	free(line);
	free(answer);
	return NULL;
}

static int hx_load_check_plan(const struct hx_load_plan *plan,
			      struct hx_load_result *result)
{
	const char *why = NULL;

	if (!plan->host || plan->port <= 0 || plan->port > 65535)
		why = "no server address";
	else if (plan->clients < 1 || plan->clients > HX_LOAD_MAX_CLIENTS)
		why = "clients must be 1 to 64";
	else if (!plan->request && (plan->line_bytes < 16 ||
				    plan->line_bytes > HX_LOAD_MAX_LINE ||
				    plan->lines_per_connection < 1))
		why = "a line must be 16 to 4096 bytes, at least one a "
		      "connection";
	else if (plan->duration_ms <= 0 || plan->timeout_ms <= 0 ||
		 plan->pause_us < 0)
		why = "duration and timeout must be positive";
	if (!why)
		return 0;
	snprintf(result->error, sizeof(result->error), "load plan: %s", why);
	return -1;
}

int hx_load_run(const struct hx_load_plan *plan, struct hx_load_result *result)
{
	struct hx_load_client *clients;
	struct hx_load_run run;
	int started = 0;

	memset(result, 0, sizeof(*result));
	if (hx_load_check_plan(plan, result) < 0)
		return -1;
	clients = calloc((size_t)plan->clients, sizeof(*clients));
	if (!clients) {
		snprintf(result->error, sizeof(result->error), "out of memory");
		return -1;
	}
	run.plan = plan;
	run.result = result;
	run.start_ms = hx_now_ms();
	run.end_ms = run.start_ms + plan->duration_ms;
	for (; started < plan->clients; started++) {
		clients[started].run = &run;
		clients[started].number = started + 1;
		if (pthread_create(&clients[started].thread, NULL,
				   hx_load_client_main, &clients[started]) != 0)
			break;
	}
	for (int i = 0; i < started; i++) {
		pthread_join(clients[i].thread, NULL);
		result->answers += clients[i].answers;
		result->connections += clients[i].connections;
		result->failures += clients[i].failures;
		if (!result->error[0] && clients[i].error[0])
			snprintf(result->error, sizeof(result->error),
				 "client %d: %s", i + 1, clients[i].error);
	}
	result->elapsed_ms = hx_now_ms() - run.start_ms;
	free(clients);
	if (started < plan->clients && !result->error[0]) {
		snprintf(result->error, sizeof(result->error),
			 "pthread_create failed after %d clients", started);
		return -1;
	}
	return 0;
}

double hx_load_rate(const struct hx_load_result *result)
{
	if (result->elapsed_ms <= 0)
		return 0;
	return (double)result->answers * 1000.0 / (double)result->elapsed_ms;
}

/* ---- the plain echo server -------------------------------------------- */

/* What a connection's thread gets. */
struct hx_echo_conn {
	struct hx_echo_server *server; /* its server */
	int fd;			       /* the connection */
};

/* Waits for events on fd or the stop pipe: 1 fd ready, 0 stop, -1 error. */
static int hx_echo_wait(struct hx_echo_server *s, int fd, short events)
{
	struct pollfd pfd[2] = {{.fd = fd, .events = events},
				{.fd = s->stop_pipe[0], .events = POLLIN}};

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (pfd[1].revents)
			return 0;
		if (pfd[0].revents)
			return 1;
	}
}

static void *hx_echo_conn_main(void *arg)
{
	struct hx_echo_conn *conn = arg;
	struct hx_echo_server *s = conn->server;
	char *buf = malloc(HX_ECHO_CHUNK);
	ssize_t n;

	while (buf && hx_echo_wait(s, conn->fd, POLLIN) == 1 &&
	       (n = recv(conn->fd, buf, HX_ECHO_CHUNK, 0)) > 0) {
		const char *at = buf;

		while (n > 0 && hx_echo_wait(s, conn->fd, POLLOUT) == 1) {
			ssize_t sent = send(conn->fd, at, (size_t)n,
					    MSG_NOSIGNAL | MSG_DONTWAIT);

			if (sent < 0 && errno == EAGAIN)
				continue;
			if (sent < 0)
				break;
			at += sent;
			n -= sent;
		}
		if (n > 0)
			break;
	}
	free(buf);
	close(conn->fd);
	pthread_mutex_lock(&s->lock);
	if (--s->active == 0)
		pthread_cond_broadcast(&s->idle);
	pthread_mutex_unlock(&s->lock);
	free(conn);
	return NULL;
}

static void *hx_echo_accept_main(void *arg)
{
	struct hx_echo_server *s = arg;
	pthread_attr_t attr;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	while (hx_echo_wait(s, s->listen_fd, POLLIN) == 1) {
		struct hx_echo_conn *conn;
		pthread_t thread;
		int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		int one = 1;

		if (fd < 0)
			continue;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		conn = malloc(sizeof(*conn));
		if (!conn) {
			close(fd);
			continue;
		}
		conn->server = s;
		conn->fd = fd;
		pthread_mutex_lock(&s->lock);
		s->active++;
		pthread_mutex_unlock(&s->lock);
		if (pthread_create(&thread, &attr, hx_echo_conn_main, conn) !=
		    0) {
			pthread_mutex_lock(&s->lock);
			s->active--;
			pthread_mutex_unlock(&s->lock);
			close(fd);
			free(conn);
		}
	}
	pthread_attr_destroy(&attr);
	return NULL;
}

int hx_echo_start(struct hx_echo_server *s, const char *host, int port,
		  char *err, size_t errlen)
{
	struct sockaddr_in addr = {.sin_family = AF_INET,
				   .sin_port = htons((uint16_t)port)};
	socklen_t len = sizeof(addr);
	const char *call = "socket";
	int one = 1;

	memset(s, 0, sizeof(*s));
	s->listen_fd = -1;
	if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
		snprintf(err, errlen, "not a numeric IPv4 address: %s", host);
		return -1;
	}
	if (pipe2(s->stop_pipe, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->listen_fd < 0)
		goto out_fail;
	call = "bind";
	setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		goto out_fail;
	call = "listen";
	if (listen(s->listen_fd, 128) < 0)
		goto out_fail;
	call = "getsockname";
	if (getsockname(s->listen_fd, (struct sockaddr *)&addr, &len) < 0)
		goto out_fail;
	s->port = ntohs(addr.sin_port);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->idle, NULL);
	if (pthread_create(&s->acceptor, NULL, hx_echo_accept_main, s) != 0) {
		errno = EAGAIN;
		call = "pthread_create";
		pthread_mutex_destroy(&s->lock);
		pthread_cond_destroy(&s->idle);
		goto out_fail;
	}
	return 0;
out_fail:
	snprintf(err, errlen, "echo server: %s: %s", call, strerror(errno));
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	s->listen_fd = -1;
	close(s->stop_pipe[0]);
	close(s->stop_pipe[1]);
	return -1;
}

void hx_echo_stop(struct hx_echo_server *s)
{
	struct timespec until;
	int active;

	if (s->listen_fd < 0)
		return;
	if (write(s->stop_pipe[1], "x", 1) < 0) {
		/* a full pipe is readable already */
	}
	pthread_join(s->acceptor, NULL);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += HX_ECHO_STOP_MS / 1000;
	pthread_mutex_lock(&s->lock);
	while (s->active > 0 &&
	       pthread_cond_timedwait(&s->idle, &s->lock, &until) == 0)
		;
	active = s->active;
	pthread_mutex_unlock(&s->lock);
	close(s->listen_fd);
	s->listen_fd = -1;
	/* a thread still running (it never should) keeps its pipe open */
	if (active == 0) {
		close(s->stop_pipe[0]);
		close(s->stop_pipe[1]);
		pthread_mutex_destroy(&s->lock);
		pthread_cond_destroy(&s->idle);
	}
}
