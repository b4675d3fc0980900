/* chat-client.c - lab 07, part one: the connecting side of a one-to-one
 * chat.
 *
 * usage: chat-client HOST PORT
 *
 * Connects to a chat-server (HOST a name, an IPv4 or an IPv6 literal),
 * then chats: lines typed are sent, lines received are printed as
 * "peer: TEXT". "exit" typed or received, the end of the keyboard or of
 * the connection end the chat with status 0; so do SIGINT and SIGTERM.
 * An unknown host or a refused connection exit with status 2.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "chat.h"

/* Set to 1 by the signal handler; the chat loop tests it. */
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
	sa.sa_flags = 0; /* no SA_RESTART: poll fails with EINTR */
	if (sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigaction(SIGTERM, &sa, NULL) < 0)
		return -1;
	sa.sa_handler = SIG_IGN;
	return sigaction(SIGPIPE, &sa, NULL);
}

int main(int argc, char **argv)
{
	char error[512]; /* what went wrong, for stderr */
	int fd, rc;

	if (argc != 3 || parse_port(argv[2]) < 0) {
		fprintf(stderr, "usage: chat-client HOST PORT\n");
		return EXIT_USAGE;
	}
	if (install_signal_handlers() < 0) {
		perror("chat-client: sigaction");
		return EXIT_RUNTIME;
	}
	/* Python: s = socket.create_connection((host, port)) */
	fd = connect_to(argv[1], argv[2], error, sizeof(error));
	if (fd < 0) {
		fprintf(stderr, "chat-client: %s\n", error);
		return EXIT_RUNTIME;
	}
	fprintf(stderr, "chat-client: connected to %s port %s\n", argv[1],
		argv[2]);

	rc = chat_session(fd, &stop_requested, error, sizeof(error));
	close(fd);
	if (rc < 0) {
		fprintf(stderr, "chat-client: %s\n", error);
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}
