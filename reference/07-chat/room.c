/* room.c - lab 07, part two: a chat room for many clients, a thread per
 * client.
 *
 * usage: room PORT
 *
 * The protocol, one line each way (see chat.h for lines):
 *   - the first line a client sends is its nick: 1 to NICK_MAX letters,
 *     digits, '-' or '_', not in use by another member. A bad nick gets
 *     "* error: bad nick", a nick in use "* error: nick in use", and the
 *     connection is closed.
 *   - a good nick gets "* welcome NICK", and every other member
 *     "* NICK joined".
 *   - each later line TEXT goes to every OTHER member as "NICK: TEXT",
 *     in the order sent; never back to the sender. Empty lines are
 *     ignored. A line over MESSAGE_MAX bytes is dropped, and its sender
 *     gets "* error: line too long".
 *   - when a member closes, resets or is dropped, every other member
 *     gets "* NICK left".
 * A member that does not read never stalls the others: what it is sent
 * waits in its own outbox, written by its own writer thread. When more
 * than OUTBOX_MAX bytes wait there, the member is dropped (its connection
 * is shut down). Logs go to stderr. On SIGINT or SIGTERM the room closes
 * every connection, waits for its threads, and exits with status 0.
 *
 * Threads: main accepts; each client has a reader thread (its lines in,
 * relayed to the others) and a writer thread (its outbox out). The member
 * list is shared: every use of it holds room.lock.
 */
#define _GNU_SOURCE /* ppoll */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "chat.h"

#define NICK_MAX   32	     /* bytes of a nick */
#define OUTBOX_MAX (1 << 20) /* unsent bytes a member may have: 1 MiB */

/* One client, from accept until its threads end. */
struct member {
	int fd;			 /* its connection */
	int joined;		 /* 1 once its nick is accepted (room.lock) */
	char nick[NICK_MAX + 1]; /* set before joined, then never changed */
	struct member *next;	 /* next in room.members (room.lock) */

	pthread_mutex_t out_lock; /* guards the four fields below */
	pthread_cond_t out_ready; /* signalled when they change */
	char *outbox;		  /* bytes to send it, not yet taken */
	size_t out_len;		  /* bytes in outbox */
	size_t out_cap;		  /* bytes allocated for outbox */
	int closing;		  /* 1: its writer thread must end */
	int dropped;		  /* 1: it fell OUTBOX_MAX behind */

	pthread_t writer;	    /* its writer thread */
	struct line_reader reader;  /* its bytes in, cut in lines */
	char line[MESSAGE_MAX + 1]; /* one line it sent */
	char message[NICK_MAX + MESSAGE_MAX + 8]; /* "NICK: TEXT\n" */
};

/* Everything the threads share. */
static struct {
	pthread_mutex_t lock;	 /* guards members and threads */
	pthread_cond_t all_gone; /* signalled when threads drops */
	struct member *members;	 /* every connected client */
	int threads;		 /* reader threads still running */
} room = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, 0};

/* Set by the signal handler; only the main thread gets the signals. */
static volatile sig_atomic_t stop_requested = 0;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* One log line on stderr, in one write, so that lines from different
 * threads never mix. */
static void log_line(const char *fmt, ...)
{
	char text[256];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(text, sizeof(text) - 1, fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	if (len > (int)sizeof(text) - 2)
		len = (int)sizeof(text) - 2;
	text[len++] = '\n';
	if (write(STDERR_FILENO, text, (size_t)len) < 0)
		return; /* nowhere to report it */
}

/* Adds len bytes to m's outbox and wakes its writer. When the outbox
 * would pass OUTBOX_MAX, m is dropped instead: its connection is shut
 * down, so its reader thread sees the end and it leaves. */
static void queue_for(struct member *m, const char *text, size_t len)
{
	pthread_mutex_lock(&m->out_lock);
	if (m->dropped || m->closing)
		goto out_unlock;
	if (m->out_len + len > OUTBOX_MAX) {
		m->dropped = 1;
		shutdown(m->fd, SHUT_RDWR);
		log_line("room: %s dropped: it reads too slowly", m->nick);
		goto out_unlock;
	}
	if (m->out_len + len > m->out_cap) {
		size_t cap = m->out_cap ? m->out_cap : 4096;
		char *bigger;

		while (cap < m->out_len + len)
			cap *= 2;
		bigger = realloc(m->outbox, cap);
		if (!bigger) {
			log_line("room: out of memory for %s", m->nick);
			goto out_unlock;
		}
		m->outbox = bigger;
		m->out_cap = cap;
	}
	memcpy(m->outbox + m->out_len, text, len);
	m->out_len += len;
	pthread_cond_signal(&m->out_ready);
out_unlock:
	pthread_mutex_unlock(&m->out_lock);
}

/* Queues text for every joined member but sender. Holds room.lock. */
static void tell_others(const struct member *sender, const char *text,
			size_t len)
{
	for (struct member *m = room.members; m; m = m->next)
		if (m != sender && m->joined)
			queue_for(m, text, len);
}

/* The writer thread: sends m's outbox until m leaves. It takes the whole
 * outbox at once and writes it without any lock held, so a member that
 * does not read blocks only its own writer. */
static void *writer_main(void *arg)
{
	struct member *m = arg;

	pthread_mutex_lock(&m->out_lock);
	for (;;) {
		char *chunk;
		size_t len;

		while (m->out_len == 0 && !m->closing)
			pthread_cond_wait(&m->out_ready, &m->out_lock);
		if (m->closing)
			break;
		chunk = m->outbox;
		len = m->out_len;
		m->outbox = NULL;
		m->out_len = m->out_cap = 0;
		pthread_mutex_unlock(&m->out_lock);

		/* Python: conn.sendall(data) */
		if (writen(m->fd, chunk, len) < 0)
			shutdown(m->fd, SHUT_RDWR); /* its reader will see it */
		free(chunk);
		pthread_mutex_lock(&m->out_lock);
	}
	pthread_mutex_unlock(&m->out_lock);
	return NULL;
}

/* 1 if nick is 1..NICK_MAX letters, digits, '-' or '_'. */
static int valid_nick(const char *nick)
{
	size_t len = strlen(nick);

	if (len == 0 || len > NICK_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)nick[i]) && nick[i] != '-' &&
		    nick[i] != '_')
			return 0;
	return 1;
}

/* Reads the next line of m into m->line, blocking. Returns LINE_OK,
 * LINE_TOO_LONG, or LINE_NONE when the connection ended. */
static enum line_status next_line(struct member *m)
{
	for (;;) {
		enum line_status got =
		    line_reader_next(&m->reader, m->line, sizeof(m->line));
		ssize_t n;

		if (got != LINE_NONE)
			return got;
		n = line_reader_fill(&m->reader, m->fd);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			log_line("room: recv from %s: %s",
				 m->nick[0] ? m->nick : "a newcomer",
				 strerror(errno)); /* e.g. it reset */
		if (n <= 0)
			return LINE_NONE;
	}
}

/* Reads and checks m's nick, then adds it to the room: "* welcome" to it
 * and "* NICK joined" to the others. Returns 0, or -1 after telling the
 * client why not. */
static int join_room(struct member *m)
{
	static const char bad[] = "* error: bad nick\n";
	static const char taken[] = "* error: nick in use\n";
	enum line_status got = next_line(m);
	int in_use = 0;

	if (got == LINE_NONE)
		return -1; /* gone before saying who it is */
	if (got == LINE_TOO_LONG || !valid_nick(m->line)) {
		writen(m->fd, bad, sizeof(bad) - 1);
		return -1;
	}
	pthread_mutex_lock(&room.lock);
	for (struct member *o = room.members; o; o = o->next)
		if (o->joined && strcmp(o->nick, m->line) == 0)
			in_use = 1;
	if (!in_use) {
		int len;

		strcpy(m->nick, m->line);
		m->joined = 1;
		len = snprintf(m->message, sizeof(m->message), "* welcome %s\n",
			       m->nick);
		queue_for(m, m->message, (size_t)len);
		len = snprintf(m->message, sizeof(m->message), "* %s joined\n",
			       m->nick);
		tell_others(m, m->message, (size_t)len);
	}
	pthread_mutex_unlock(&room.lock);
	if (in_use) {
		writen(m->fd, taken, sizeof(taken) - 1);
		return -1;
	}
	log_line("room: %s joined", m->nick);
	return 0;
}

/* Relays each line m sends to the others, until it goes. */
static void relay_lines(struct member *m)
{
	static const char too_long[] = "* error: line too long\n";
	enum line_status got;

	while ((got = next_line(m)) != LINE_NONE) {
		size_t nick_len = strlen(m->nick), line_len;

		if (got == LINE_TOO_LONG) {
			queue_for(m, too_long, sizeof(too_long) - 1);
			continue;
		}
		line_len = strlen(m->line);
		if (line_len == 0)
			continue; /* nothing to say */
		/* "NICK: TEXT\n", built without a lock: m->message is m's. */
		memcpy(m->message, m->nick, nick_len);
		memcpy(m->message + nick_len, ": ", 2);
		memcpy(m->message + nick_len + 2, m->line, line_len);
		m->message[nick_len + 2 + line_len] = '\n';
		pthread_mutex_lock(&room.lock);
		tell_others(m, m->message, nick_len + 3 + line_len);
		pthread_mutex_unlock(&room.lock);
	}
}

/* Takes m out of the room ("* NICK left" to the others if it had
 * joined), ends its writer, frees it. */
static void leave_room(struct member *m, int writer_started)
{
	struct member **link;
	int len;

	pthread_mutex_lock(&room.lock);
	for (link = &room.members; *link != m; link = &(*link)->next)
		;
	*link = m->next;
	if (m->joined) {
		len = snprintf(m->message, sizeof(m->message), "* %s left\n",
			       m->nick);
		tell_others(m, m->message, (size_t)len);
	}
	pthread_mutex_unlock(&room.lock);
	if (m->joined)
		log_line("room: %s left", m->nick);

	/* No one can reach m now. Unblock a writer stuck on a member that
	 * does not read, and let it end. */
	shutdown(m->fd, SHUT_RDWR);
	pthread_mutex_lock(&m->out_lock);
	m->closing = 1;
	pthread_cond_signal(&m->out_ready);
	pthread_mutex_unlock(&m->out_lock);
	if (writer_started)
		pthread_join(m->writer, NULL);
	close(m->fd);
	pthread_cond_destroy(&m->out_ready);
	pthread_mutex_destroy(&m->out_lock);
	free(m->outbox);
	free(m);
}

/* A client's reader thread. */
static void *member_main(void *arg)
{
	struct member *m = arg;
	int writer_started = 0;

	if (join_room(m) == 0) {
		writer_started =
		    pthread_create(&m->writer, NULL, writer_main, m) == 0;
		if (writer_started)
			relay_lines(m);
		else
			log_line("room: pthread_create failed");
	}
	leave_room(m, writer_started);

	pthread_mutex_lock(&room.lock);
	room.threads--;
	pthread_cond_signal(&room.all_gone);
	pthread_mutex_unlock(&room.lock);
	return NULL;
}

/* Makes a member for a new connection and starts its reader thread.
 * Returns 0, or -1 (the connection is closed). */
static int admit(int fd, const pthread_attr_t *detached)
{
	struct member *m = calloc(1, sizeof(*m));
	pthread_t reader;

	if (!m) {
		log_line("room: out of memory");
		close(fd);
		return -1;
	}
	m->fd = fd;
	pthread_mutex_init(&m->out_lock, NULL);
	pthread_cond_init(&m->out_ready, NULL);
	line_reader_init(&m->reader);

	pthread_mutex_lock(&room.lock);
	m->next = room.members;
	room.members = m;
	room.threads++;
	pthread_mutex_unlock(&room.lock);
	if (pthread_create(&reader, detached, member_main, m) == 0)
		return 0;

	log_line("room: pthread_create failed");
	pthread_mutex_lock(&room.lock);
	room.members = m->next; /* still first: only main adds */
	room.threads--;
	pthread_mutex_unlock(&room.lock);
	close(fd);
	free(m);
	return -1;
}

/* Shuts every connection down and waits until every thread has ended. */
static void close_room(void)
{
	pthread_mutex_lock(&room.lock);
	for (struct member *m = room.members; m; m = m->next)
		shutdown(m->fd, SHUT_RDWR); /* its reader sees the end */
	while (room.threads > 0)
		pthread_cond_wait(&room.all_gone, &room.lock);
	pthread_mutex_unlock(&room.lock);
}

/* Catches SIGINT and SIGTERM, ignores SIGPIPE, and blocks the two stop
 * signals: threads started later inherit the block, so only main gets
 * them, inside ppoll. *open_mask is the mask for ppoll. */
static int install_signal_handlers(sigset_t *open_mask)
{
	struct sigaction sa;
	sigset_t stops;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	if (sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigaction(SIGTERM, &sa, NULL) < 0)
		return -1;
	sa.sa_handler = SIG_IGN; /* a member that vanished must not kill us */
	if (sigaction(SIGPIPE, &sa, NULL) < 0)
		return -1;
	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	return pthread_sigmask(SIG_BLOCK, &stops, open_mask) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	char error[512];	 /* what went wrong, for stderr */
	sigset_t open_mask;	 /* signals open while main waits */
	pthread_attr_t detached; /* reader threads end on their own */
	int port, listenfd;

	if (argc != 2 || (port = parse_port(argv[1])) < 0) {
		fprintf(stderr, "usage: room PORT (PORT from 1 to 65535)\n");
		return EXIT_USAGE;
	}
	if (install_signal_handlers(&open_mask) < 0) {
		perror("room: sigaction");
		return EXIT_RUNTIME;
	}
	listenfd = open_listener(port, error, sizeof(error));
	if (listenfd < 0) {
		fprintf(stderr, "room: %s\n", error);
		return EXIT_RUNTIME;
	}
	pthread_attr_init(&detached);
	pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
	log_line("room: listening on port %d", port);

	while (!stop_requested) {
		struct pollfd pfd = {.fd = listenfd, .events = POLLIN};
		int fd;

		/* Like poll, but SIGINT and SIGTERM are let in only while
		 * it waits: a signal cannot slip in between the test of the
		 * flag and the wait. */
		if (ppoll(&pfd, 1, NULL, &open_mask) < 0) {
			if (errno == EINTR)
				continue;
			perror("room: ppoll");
			break;
		}
		/* Python: conn, addr = s.accept() */
		fd = accept(listenfd, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED ||
			    errno == EPROTO)
				continue; /* that client gave up, not us */
			perror("room: accept");
			break;
		}
		/* Python: threading.Thread(target=serve, args=(conn,)) */
		admit(fd, &detached);
	}

	log_line("room: stopping");
	close(listenfd);
	close_room();
	pthread_attr_destroy(&detached);
	return stop_requested ? EXIT_OK : EXIT_RUNTIME;
}
