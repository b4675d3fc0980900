/* chat-server.c - lab 07, part one: the listening side of a one-to-one
 * chat.
 *
 * usage: chat-server PORT
 *
 * Waits for one peer on PORT (every IPv4 address), stops listening, then
 * chats: lines typed are sent, lines received are printed as
 * "peer: TEXT". "exit" typed or received, the end of the keyboard or of
 * the connection end the chat with status 0; so do SIGINT and SIGTERM,
 * while waiting or chatting. Logs go to stderr.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "chat.h"

/* Set to 1 by the signal handler; the loops test it. */
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
	/* No SA_RESTART: a blocked accept or poll fails with EINTR, so the
	 * loops get to see the flag. */
	sa.sa_flags = 0;
	if (sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigaction(SIGTERM, &sa, NULL) < 0)
		return -1;
	/* Sending to a peer that has gone must not kill us. */
	sa.sa_handler = SIG_IGN;
	return sigaction(SIGPIPE, &sa, NULL);
}

/* Accepts one peer; returns its socket, or -1: a stop signal came (errno
 * EINTR) or accept failed. */
static int accept_peer(int listenfd)
{
	struct sockaddr_in peer; /* who connected */
	socklen_t peer_len;
	char address[INET_ADDRSTRLEN];

	while (!stop_requested) {
		int fd;

		peer_len = sizeof(peer);
		/* Python: conn, addr = s.accept() */
		fd = accept(listenfd, (struct sockaddr *)&peer, &peer_len);
		if (fd >= 0) {
			inet_ntop(AF_INET, &peer.sin_addr, address,
				  sizeof(address));
			fprintf(stderr, "chat-server: %s port %u connected\n",
				address, (unsigned)ntohs(peer.sin_port));
			return fd;
		}
		/* EINTR: test the flag. ECONNABORTED, EPROTO: that peer
		 * gave up before we got to it; wait for another. */
		if (errno != EINTR && errno != ECONNABORTED && errno != EPROTO)
			return -1;
	}
	errno = EINTR;
	return -1;
}

int main(int argc, char **argv)
{
	char error[512]; /* what went wrong, for stderr */
	int port, listenfd, peerfd, rc;

	if (argc != 2 || (port = parse_port(argv[1])) < 0) {
		fprintf(stderr,
			"usage: chat-server PORT (PORT from 1 to 65535)\n");
		return EXIT_USAGE;
	}
	if (install_signal_handlers() < 0) {
		perror("chat-server: sigaction");
		return EXIT_RUNTIME;
	}
	listenfd = open_listener(port, error, sizeof(error));
	if (listenfd < 0) {
		fprintf(stderr, "chat-server: %s\n", error);
		return EXIT_RUNTIME;
	}
	fprintf(stderr, "chat-server: waiting for a peer on port %d\n", port);

	peerfd = accept_peer(listenfd);
	/* One peer only: no one else may connect to a finished chat. */
	close(listenfd);
	if (peerfd < 0) {
		if (errno == EINTR)
			return EXIT_OK; /* stopped while waiting */
		perror("chat-server: accept");
		return EXIT_RUNTIME;
	}

	rc = chat_session(peerfd, &stop_requested, error, sizeof(error));
	/* Python: conn.close(). The peer sees the end of the stream. */
	close(peerfd);
	if (rc < 0) {
		fprintf(stderr, "chat-server: %s\n", error);
		return EXIT_RUNTIME;
	}
	fprintf(stderr, "chat-server: chat over\n");
	return EXIT_OK;
}
