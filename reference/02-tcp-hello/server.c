/* server.c - lab 02: a TCP server that greets each client, then hangs up.
 *
 * usage: server PORT
 *
 * For every client it sends exactly one line,
 *
 *	Thank you for connecting, 127.0.0.1 port 40312\n
 *
 * naming the client's address and port as getpeername reports them, closes
 * the connection and waits for the next client. It listens on IPv4 only:
 * an AF_INET socket bound to INADDR_ANY, every IPv4 address of the machine
 * (lab 13 makes it accept IPv6 too). It logs to stderr, never to stdout,
 * and runs until SIGINT or SIGTERM, then exits with status 0.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wrappers.h"

/* Connections the kernel may complete and queue while we are busy. */
#define BACKLOG 16

/* Set to 1 by the signal handler; the accept loop stops when it sees it.
 * volatile: the compiler must read it again on every test, because it
 * changes behind the loop's back. sig_atomic_t: read and written in one
 * go, so the loop never sees half a value. */
static volatile sig_atomic_t stop_requested = 0;

static void on_stop_signal(int sig)
{
	(void)sig;
	/* A handler may call very few functions safely: set the flag, and
	 * let the main loop do the rest. */
	stop_requested = 1;
}

/* Catches SIGINT and SIGTERM, and ignores SIGPIPE. */
static void install_signal_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: after the handler, a blocked accept must fail with
	 * EINTR instead of waiting on, so the loop gets to see the flag. */
	sa.sa_flags = 0;
	if (sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigaction(SIGTERM, &sa, NULL) < 0)
		err_sys("sigaction");

	/* Writing to a connection the client has reset raises SIGPIPE, which
	 * kills the process by default. Ignored, the write fails with EPIPE
	 * instead, and we simply go on with the next client. */
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL) < 0)
		err_sys("sigaction");
}

/* Returns a socket listening on every local IPv4 address, on port. */
static int open_listener(int port)
{
	struct sockaddr_in addr; /* our address: any IPv4 address, port */
	int on = 1;		 /* for setsockopt: turn the option on */
	int listenfd;

	/* Python: s = socket.socket(socket.AF_INET, socket.SOCK_STREAM) */
	listenfd = Socket(AF_INET, SOCK_STREAM, 0);

	/* Python: s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1). Without it, a
	 * restarted server cannot bind the port while connections of the old
	 * one linger in TIME_WAIT (up to a minute). */
	if (setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0)
		err_sys("setsockopt");

	/* Python: s.bind(('', port)). Ports and addresses go into the
	 * structure in network byte order (big-endian): htons, htonl. */
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_ANY);
	addr.sin_port = htons((unsigned short)port);
	Bind(listenfd, (struct sockaddr *)&addr, sizeof(addr));

	/* Python: s.listen(BACKLOG). From now on clients can connect. */
	Listen(listenfd, BACKLOG);
	return listenfd;
}

/* Sends the greeting line on connfd. Returns 0, or -1 after logging why. */
static int greet_client(int connfd)
{
	struct sockaddr_in peer; /* the client's address and port */
	socklen_t peer_len = sizeof(peer);
	char address[INET_ADDRSTRLEN]; /* "127.0.0.1" */
	unsigned port;		       /* the client's port, host order */
	char greeting[128];	       /* the line we send */
	int len;

	/* Python: conn.getpeername(). It fails (ENOTCONN) when the client
	 * reset the connection before we got to it: log it and move on. */
	if (getpeername(connfd, (struct sockaddr *)&peer, &peer_len) < 0) {
		perror("server: getpeername");
		return -1;
	}

	/* Binary address to text, and the port back to host byte order. */
	inet_ntop(AF_INET, &peer.sin_addr, address, sizeof(address));
	port = ntohs(peer.sin_port);

	len = snprintf(greeting, sizeof(greeting),
		       "Thank you for connecting, %s port %u\n", address, port);

	/* Python: conn.sendall(greeting). writen loops until all is sent.
	 * A client that reset the connection makes it fail (ECONNRESET or
	 * EPIPE): that is the client's problem, not a reason to stop. */
	if (writen(connfd, greeting, (size_t)len) < 0) {
		fprintf(stderr, "server: write to %s port %u: %s\n", address,
			port, strerror(errno));
		return -1;
	}
	fprintf(stderr, "server: greeted %s port %u\n", address, port);
	return 0;
}

int main(int argc, char **argv)
{
	int port;     /* the port to listen on */
	int listenfd; /* the listening socket */

	/* Exactly one argument, and it must be a port number. */
	if (argc != 2 || (port = parse_port(argv[1])) < 0) {
		fprintf(stderr, "usage: server PORT\n");
		return EXIT_USAGE;
	}

	install_signal_handlers();
	listenfd = open_listener(port);
	fprintf(stderr, "server: listening on port %d\n", port);

	/* One client at a time, until a signal sets stop_requested. (A signal
	 * that lands just after the test and before accept blocks is only
	 * seen at the next client; the event-loop labs close that gap.) */
	while (!stop_requested) {
		/* Python: conn, addr = s.accept(). Blocks until a client. */
		int connfd = Accept(listenfd, NULL, NULL);

		if (connfd < 0)
			continue; /* EINTR: go and test stop_requested */

		greet_client(connfd);

		/* Python: conn.close(). The client's recv now returns 0. */
		close(connfd);
	}

	fprintf(stderr, "server: stopping\n");
	close(listenfd);
	return EXIT_OK;
}
