/* evloop.c - lab 12: an echo server in one thread, with an event loop.
 *
 * usage: evloop PORT
 *
 * Echoes every line a client sends (see evloop.h), to any number of
 * clients at once, in one thread. Every socket is non-blocking; one call
 * to poll waits for all of them at once and says which are ready; the
 * loop then does, for each ready socket, what can be done without
 * waiting (conn.c), and polls again. A client that sends half a line,
 * or does not read its echo, costs the others nothing: what it has not
 * finished waits in its struct conn, not in a blocked call.
 *
 * Stopping: SIGINT or SIGTERM. The handler writes a byte into the stop
 * pipe (the "self-pipe trick"), whose read end is one of the descriptors
 * poll watches: the loop wakes up, closes every connection, frees
 * everything, prints the totals and exits 0.
 *
 * Python: selectors.DefaultSelector() with sock.setblocking(False), and
 * a loop over sel.select(); here poll(2) plays select().
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "evloop.h"

#define BACKLOG	     128 /* connections the kernel holds before accept */
#define FIRST_SLOTS  64	 /* clients the arrays hold before they grow */
#define STOP_SLOT    0	 /* pfds[0]: the stop pipe */
#define LISTEN_SLOT  1	 /* pfds[1]: the listening socket */
#define FIRST_CLIENT 2	 /* pfds[2 + i]: clients[i] */

/* Everything the loop owns. */
struct server {
	int listen_fd;	       /* the listening socket, non-blocking */
	int stop_fd;	       /* read end of the stop pipe */
	int accepting;	       /* 0 while accept is paused: no descriptor
				  left (EMFILE) until a client leaves */
	struct conn **clients; /* connected clients, [0, count) */
	int count;	       /* clients connected */
	int slots;	       /* clients the arrays can hold */
	struct pollfd *pfds;   /* FIRST_CLIENT + slots entries */
	long served;	       /* clients accepted */
	long lines;	       /* lines echoed, by clients that have left */
	long dropped;	       /* clients dropped for not reading */
};

/* Set by the signal handler; tested by the loop. */
static volatile sig_atomic_t stop_requested = 0;
/* Write end of the stop pipe, for the signal handler. */
static int stop_pipe_write = -1;

static void on_stop_signal(int sig)
{
	int saved_errno = errno; /* write may change it under main's feet */

	(void)sig;
	stop_requested = 1;
	/* write is async-signal-safe. A full pipe (non-blocking) is fine:
	 * it is readable already. */
	if (write(stop_pipe_write, "x", 1) < 0) {
		/* nothing to do: the pipe is readable or the flag is set */
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
	/* A send to a client that has gone must not kill the server. */
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

/* O_NONBLOCK on fd: recv, send and accept then fail with EAGAIN instead
 * of waiting. Returns 0 or -1. */
static int set_nonblocking(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0)
		return -1;
	return fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

/* Returns a non-blocking socket listening on every IPv4 address on
 * port, or -1 with *failed_call naming the call that failed. */
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
	/* accept in a loop until EAGAIN: it must never wait */
	if (set_nonblocking(fd) < 0) {
		*failed_call = "fcntl";
		goto out_close;
	}
	return fd;

out_close:
	saved_errno = errno; /* close must not change the reason */
	close(fd);
	errno = saved_errno;
	return -1;
}

/* Makes room for one more client: both arrays double when full.
 * Returns 0, or -1 when memory runs out (nothing changed). */
static int make_room(struct server *s)
{
	struct conn **clients;
	struct pollfd *pfds;
	int slots;

	if (s->count < s->slots)
		return 0;
	slots = s->slots ? 2 * s->slots : FIRST_SLOTS;
	clients = realloc(s->clients, (size_t)slots * sizeof(*clients));
	if (!clients)
		return -1;
	s->clients = clients;
	pfds = realloc(s->pfds, (size_t)(FIRST_CLIENT + slots) * sizeof(*pfds));
	if (!pfds)
		return -1; /* s->clients is bigger: harmless */
	s->pfds = pfds;
	s->slots = slots;
	return 0;
}

/* Accepts every connection waiting, until accept says EAGAIN. */
static void accept_clients(struct server *s)
{
	for (;;) {
		struct conn *c;
		int fd = accept(s->listen_fd, NULL, NULL);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue; /* that one left before we came */
			if (errno == EMFILE || errno == ENFILE) {
				/* No descriptor left. The listening socket
				 * stays readable, so watching it now would
				 * wake the loop at once, again and again:
				 * stop watching it until a client leaves. */
				perror("evloop: accept (waiting for a client "
				       "to leave)");
				s->accepting = 0;
			} else if (errno != EAGAIN && errno != EWOULDBLOCK) {
				perror("evloop: accept");
			}
			return;
		}
		c = malloc(sizeof(*c));
		if (!c || set_nonblocking(fd) < 0 || make_room(s) < 0) {
			perror("evloop: new client");
			free(c);
			close(fd);
			continue;
		}
		conn_init(c, fd);
		s->clients[s->count++] = c;
		s->served++;
	}
}

/* Does what poll said can be done for c without waiting. Returns
 * CONN_KEEP, or why c must go. */
static int serve_client(struct conn *c, short revents)
{
	int rc = CONN_KEEP;

	if (revents & POLLNVAL)
		return CONN_CLOSE; /* never happens: every fd here is open */
	/* POLLHUP and POLLERR come whether asked for or not, and must be
	 * handled: left alone they would make poll return at once for
	 * ever. The next recv (or send) says what happened: EOF, or
	 * ECONNRESET. */
	if (revents & (POLLIN | POLLHUP | POLLERR))
		rc = c->eof ? conn_write(c) : conn_read(c);
	if (rc == CONN_KEEP && (revents & POLLOUT))
		rc = conn_write(c);
	return rc;
}

/* Closes clients[i], adds its lines to the totals and leaves a hole
 * (NULL) that remove_holes fills. */
static void finish_client(struct server *s, int i, int why)
{
	struct conn *c = s->clients[i];

	s->lines += c->lines;
	if (why == CONN_DROP)
		s->dropped++;
	conn_close(c);
	free(c);
	s->clients[i] = NULL;
	/* A descriptor is free: accept again if it had run out. */
	s->accepting = 1;
}

/* Moves the clients left down over the holes, keeping their order. */
static void remove_holes(struct server *s)
{
	int kept = 0;

	for (int i = 0; i < s->count; i++)
		if (s->clients[i])
			s->clients[kept++] = s->clients[i];
	s->count = kept;
}

/* Polls and serves until a stop signal. Returns EXIT_OK, or
 * EXIT_RUNTIME when poll fails. */
static int run_loop(struct server *s)
{
	while (!stop_requested) {
		int polled = s->count; /* clients in this round's poll */

		/* What to wait for, built afresh each round: a client's
		 * events change with what waits in its buffers. */
		s->pfds[STOP_SLOT] =
		    (struct pollfd){.fd = s->stop_fd, .events = POLLIN};
		s->pfds[LISTEN_SLOT] = (struct pollfd){
		    .fd = s->listen_fd, .events = s->accepting ? POLLIN : 0};
		for (int i = 0; i < polled; i++)
			s->pfds[FIRST_CLIENT + i] = (struct pollfd){
			    .fd = s->clients[i]->fd,
			    .events = conn_events(s->clients[i])};
		/* The only place the server waits: no timeout, so with
		 * nothing to do it sleeps and uses no CPU. */
		if (poll(s->pfds, (nfds_t)(FIRST_CLIENT + polled), -1) < 0) {
			if (errno == EINTR)
				continue; /* a signal: the pipe says which */
			perror("evloop: poll");
			return EXIT_RUNTIME;
		}
		if (s->pfds[STOP_SLOT].revents)
			break;
		for (int i = 0; i < polled; i++) {
			short revents = s->pfds[FIRST_CLIENT + i].revents;
			int rc;

			if (revents == 0)
				continue;
			rc = serve_client(s->clients[i], revents);
			if (rc != CONN_KEEP)
				finish_client(s, i, rc);
		}
		remove_holes(s);
		/* New clients last: their pfds entries come next round. */
		if (s->pfds[LISTEN_SLOT].revents & POLLIN)
			accept_clients(s);
	}
	return EXIT_OK;
}

/* Closes every client still connected and frees the arrays. */
static void close_all(struct server *s)
{
	for (int i = 0; i < s->count; i++) {
		s->lines += s->clients[i]->lines;
		conn_close(s->clients[i]);
		free(s->clients[i]);
	}
	free(s->clients);
	free(s->pfds);
	s->count = 0;
}

int main(int argc, char **argv)
{
	struct server s = {.listen_fd = -1, .accepting = 1};
	const char *failed_call = "";
	int port, stop_pipe[2];
	int status;

	if (argc != 2 || (port = parse_number(argv[1], 1, 65535)) < 0) {
		fprintf(stderr, "usage: evloop PORT (1 to 65535)\n");
		return EXIT_USAGE;
	}
	if (pipe(stop_pipe) < 0) {
		perror("evloop: pipe");
		return EXIT_RUNTIME;
	}
	stop_pipe_write = stop_pipe[1];
	s.stop_fd = stop_pipe[0];
	/* The handler's write must never wait, even on a full pipe. */
	if (set_nonblocking(stop_pipe[1]) < 0 ||
	    install_signal_handlers() < 0) {
		perror("evloop: signals");
		status = EXIT_RUNTIME;
		goto out_close_pipe;
	}
	s.listen_fd = open_listener(port, &failed_call);
	if (s.listen_fd < 0) {
		fprintf(stderr, "evloop: %s: %s\n", failed_call,
			strerror(errno));
		status = EXIT_RUNTIME;
		goto out_close_pipe;
	}
	if (make_room(&s) == 0) {
		fprintf(stderr, "evloop: listening on port %d\n", port);
		status = run_loop(&s);
	} else {
		perror("evloop: malloc");
		status = EXIT_RUNTIME;
	}
	close_all(&s);
	fprintf(stderr, "evloop: served %ld clients, %ld lines, %ld dropped\n",
		s.served, s.lines, s.dropped);
	close(s.listen_fd);
out_close_pipe:
	close(stop_pipe[0]);
	close(stop_pipe[1]);
	return status;
}
