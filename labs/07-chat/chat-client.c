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
 *
 * You may add static helper functions and one static variable, the stop
 * flag.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "chat.h"

int main(int argc, char **argv)
{
	/* TODO, step by step:
	 *
	 * 1. Arguments: unless argc is 3 and parse_port(argv[2]) accepts
	 *    the port, print "usage: chat-client HOST PORT" on stderr and
	 *    return EXIT_USAGE.
	 *
	 * 2. Signals as in chat-server.c: a stop flag set by SIGINT and
	 *    SIGTERM (sigaction, sa_flags = 0), SIG_IGN for SIGPIPE.
	 *
	 * 3. fd = connect_to(argv[1], argv[2], ...); on -1 print
	 *    "chat-client: " and the message, return EXIT_RUNTIME.
	 *
	 * 4. chat_session(fd, &stop_flag, ...), close(fd). Return EXIT_OK,
	 *    or print the message and return EXIT_RUNTIME. */
	(void)argc;
	(void)argv;
	return EXIT_OK;
}
