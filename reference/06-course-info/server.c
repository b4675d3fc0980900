/* server.c - lab 06: answers course requests, one line per request.
 *
 * usage: server PORT [TABLE_FILE]
 *
 * Each request is a course name on a line of its own; the reply is one
 * line (see course.h). A client may send as many requests as it likes on
 * one connection; the server answers them in order until the client
 * closes, then serves the next client: one client at a time. The courses
 * are the lecture's three, or those of TABLE_FILE (lines
 * "Name,Duration,Fee"). Logs go to stderr. The server runs until SIGINT
 * or SIGTERM, then exits with status 0.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "course.h"

/* Connections the kernel may complete and queue while we are busy. */
#define BACKLOG 16

/* Set to 1 by the signal handler; every loop tests it. volatile: it
 * changes behind the loops' backs; sig_atomic_t: read in one go. */
static volatile sig_atomic_t stop_requested = 0;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* Catches SIGINT and SIGTERM, ignores SIGPIPE. Returns 0 or -1. */
static int install_signal_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a blocked accept or recv fails with EINTR, so the
	 * loops get to see the flag. */
	sa.sa_flags = 0;
	if (sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigaction(SIGTERM, &sa, NULL) < 0)
		return -1;
	/* A reply to a client that reset must not kill the server. */
	sa.sa_handler = SIG_IGN;
	return sigaction(SIGPIPE, &sa, NULL);
}

/* Returns a socket listening on every IPv4 address on port, or -1 with
 * *failed_call naming the call that failed. */
static int open_listener(int port, const char **failed_call)
{
	struct sockaddr_in addr; /* any IPv4 address, our port */
	int one = 1;		 /* "on", for setsockopt */
	int fd, saved_errno;

	/* Python: s = socket.socket(socket.AF_INET, socket.SOCK_STREAM) */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		*failed_call = "socket";
		return -1;
	}
	/* A restarted server can bind while old connections linger. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) {
		*failed_call = "setsockopt";
		goto out_close;
	}
	/* Python: s.bind(('', port)) */
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_ANY);
	addr.sin_port = htons((unsigned short)port);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		*failed_call = "bind";
		goto out_close;
	}
	/* Python: s.listen(BACKLOG) */
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

/* Answers the requests of one client until it closes, resets or a stop
 * signal comes. Every problem here is the client's: log it, return. */
static void serve_client(int connfd, const struct course_table *table)
{
	struct line_reader reader;     /* the client's bytes, cut in lines */
	char request[REQUEST_MAX + 1]; /* one course name */
	char reply[256];	       /* one reply line, "\n" included */

	line_reader_init(&reader, connfd);
	while (!stop_requested) {
		/* Python: name = conn.recv(1024).decode() - but a line at a
		 * time, whatever pieces it arrives in. */
		enum line_status got =
		    read_line(&reader, request, sizeof(request));

		if (got == LINE_ERROR && errno == EINTR)
			continue; /* a signal: the loop test decides */
		if (got == LINE_ERROR) {
			perror("server: recv"); /* e.g. the client reset */
			return;
		}
		if (got == LINE_EOF)
			return; /* the client closed: it is done */
		if (got == LINE_TOO_LONG)
			snprintf(reply, sizeof(reply), "%s\n", REPLY_TOO_LONG);
		else
			course_reply(table, request, reply, sizeof(reply));

		/* Python: conn.send(reply.encode()) */
		if (writen(connfd, reply, strlen(reply)) < 0) {
			perror("server: write");
			return;
		}
		fprintf(stderr, "server: %s", reply);
	}
}

int main(int argc, char **argv)
{
	struct course_table table; /* the courses we answer for */
	char error[512];	   /* why the table could not be read */
	const char *failed_call = "";
	int port, listenfd;

	/* One or two arguments, the first a port number. */
	if (argc < 2 || argc > 3 || (port = parse_port(argv[1])) < 0) {
		fprintf(stderr, "usage: server PORT [TABLE_FILE] "
				"(PORT from 1 to 65535)\n");
		return EXIT_USAGE;
	}
	if (argc == 3) {
		if (table_load(&table, argv[2], error, sizeof(error)) < 0) {
			fprintf(stderr, "server: %s\n", error);
			return EXIT_RUNTIME;
		}
	} else {
		table_builtin(&table);
	}

	if (install_signal_handlers() < 0) {
		perror("server: sigaction");
		return EXIT_RUNTIME;
	}
	listenfd = open_listener(port, &failed_call);
	if (listenfd < 0) {
		fprintf(stderr, "server: %s: %s\n", failed_call,
			strerror(errno));
		return EXIT_RUNTIME;
	}
	fprintf(stderr, "server: %d courses, listening on port %d\n",
		table.count, port);

	while (!stop_requested) {
		/* Python: conn, addr = s.accept() */
		int connfd = accept(listenfd, NULL, NULL);

		if (connfd < 0) {
			/* EINTR: test the flag. ECONNABORTED, EPROTO: the
			 * client gave up before we got to it. */
			if (errno == EINTR || errno == ECONNABORTED ||
			    errno == EPROTO)
				continue;
			perror("server: accept");
			close(listenfd);
			return EXIT_RUNTIME;
		}
		serve_client(connfd, &table);
		/* Python: conn.close() */
		close(connfd);
	}

	fprintf(stderr, "server: stopping\n");
	close(listenfd);
	return EXIT_OK;
}
