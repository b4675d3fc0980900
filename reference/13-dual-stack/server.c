/* server.c - lab 13: greet clients of every family, one at a time.
 *
 * usage: server PORT PATH
 *
 * It listens on two sockets at once: TCP port PORT for IPv4 and IPv6
 * clients (one AF_INET6 socket, IPV6_V6ONLY off) and the UNIX stream
 * socket at PATH. Each client gets one line that names it, then the
 * connection is closed:
 *
 *	Thank you for connecting, IPv4 127.0.0.1 port 40312
 *	Thank you for connecting, IPv6 ::1 port 40312
 *	Thank you for connecting, unix (unnamed)
 *
 * It logs to stderr, never to stdout, and runs until SIGINT or SIGTERM;
 * then it closes both sockets, removes PATH and exits with status 0.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dual.h"

#define GREETING "Thank you for connecting, "

/* Set to 1 by the signal handler; the loop stops when it sees it.
 * volatile: read again at every test; sig_atomic_t: read in one go. */
static volatile sig_atomic_t stop_requested = 0;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1; /* all a handler may safely do here */
}

/* Catches SIGINT and SIGTERM, ignores SIGPIPE. 0 or -1. */
static int install_signal_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* poll fails with EINTR, and the loop looks */
	if (sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigaction(SIGTERM, &sa, NULL) < 0)
		return -1;
	/* A client that left before its greeting: the write fails with
	 * EPIPE instead of killing the whole server with SIGPIPE. */
	sa.sa_handler = SIG_IGN;
	return sigaction(SIGPIPE, &sa, NULL);
}

/* Sends the greeting that names the peer of connfd. Logs what went
 * wrong, if anything: one client's trouble is never the server's. */
static void greet(int connfd)
{
	/* Big enough for any family's address: sockaddr_in would be cut
	 * short by an IPv6 peer, sockaddr_in6 by a UNIX path. */
	struct sockaddr_storage peer;
	socklen_t len = sizeof(peer);
	char name[PEER_TEXT_MAX];		  /* "IPv4 127.0.0.1 port 9" */
	char line[sizeof(GREETING) + PEER_TEXT_MAX]; /* the greeting */
	int n;

	/* On the connected socket: the listening one has no peer. A
	 * client that reset before we got here makes it fail (ENOTCONN). */
	if (getpeername(connfd, (struct sockaddr *)&peer, &len) < 0) {
		perror("server: getpeername");
		return;
	}
	if (format_peer((struct sockaddr *)&peer, len, name, sizeof(name)) <
	    0) {
		perror("server: format_peer");
		return;
	}
	n = snprintf(line, sizeof(line), GREETING "%s\n", name);
	if (writen(connfd, line, (size_t)n) < 0) {
		fprintf(stderr, "server: write to %s: %s\n", name,
			strerror(errno));
		return;
	}
	fprintf(stderr, "server: greeted %s\n", name);
}

/* Accepts one client on listenfd, greets it and hangs up. */
static void serve_one(int listenfd)
{
	int connfd = accept(listenfd, NULL, NULL);

	if (connfd < 0) {
		/* EINTR: a signal, the loop will look at the flag;
		 * ECONNABORTED: the client gave up while queued. Neither
		 * is an error of ours. */
		if (errno != EINTR && errno != ECONNABORTED)
			perror("server: accept");
		return;
	}
	greet(connfd);
	close(connfd); /* the client's recv returns 0: it is done */
}

int main(int argc, char **argv)
{
	char err[ERR_MAX]; /* what failed, from sockets.c */
	struct pollfd listeners[2];
	const char *path;
	int port, status = EXIT_OK;

	/* PORT, then a PATH that fits sun_path with its '\0'. */
	if (argc != 3 || (port = parse_port(argv[1])) < 0 ||
	    argv[2][0] == '\0' || strlen(argv[2]) > SOCKET_PATH_MAX) {
		fprintf(stderr, "usage: server PORT PATH (PATH of 1 to %d "
				"bytes)\n",
			SOCKET_PATH_MAX);
		return EXIT_USAGE;
	}
	path = argv[2];
	if (install_signal_handlers() < 0) {
		perror("server: sigaction");
		return EXIT_RUNTIME;
	}

	/* Two listening sockets, and poll on both: a server blocked in
	 * accept on one would never see a client of the other. */
	listeners[0].fd = listen_dual(port, err, sizeof(err));
	if (listeners[0].fd < 0) {
		fprintf(stderr, "server: %s\n", err);
		return EXIT_RUNTIME;
	}
	listeners[1].fd = listen_unix(path, err, sizeof(err));
	if (listeners[1].fd < 0) {
		fprintf(stderr, "server: %s\n", err);
		close(listeners[0].fd);
		return EXIT_RUNTIME;
	}
	listeners[0].events = listeners[1].events = POLLIN;
	fprintf(stderr, "server: listening on port %d and on %s\n", port,
		path);

	/* One client at a time, until a signal sets stop_requested. (A
	 * signal that lands between the test and poll is seen only at the
	 * next client; lab 12 closes that gap.) */
	while (!stop_requested) {
		/* Python: selectors.DefaultSelector().select() */
		if (poll(listeners, 2, -1) < 0) {
			if (errno == EINTR)
				continue; /* a signal: test the flag */
			perror("server: poll");
			status = EXIT_RUNTIME;
			break;
		}
		/* Both may be ready: serve each, IPv4/IPv6 first. */
		for (int i = 0; i < 2; i++)
			if (listeners[i].revents & POLLIN)
				serve_one(listeners[i].fd);
	}

	fprintf(stderr, "server: stopping\n");
	close(listeners[0].fd);
	close(listeners[1].fd);
	/* The socket file outlives the socket: remove it, or the next run
	 * finds it there. (A server killed by SIGKILL cannot; that is why
	 * listen_unix removes stale files.) */
	unlink(path);
	return status;
}
