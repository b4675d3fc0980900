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
 *
 * You may add static helper functions and one static variable, the stop
 * flag.
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

int main(int argc, char **argv)
{
	/* TODO, step by step (the handout explains each call):
	 *
	 * 1. Arguments: unless argc is 2 and parse_port(argv[1]) returns a
	 *    port, print "usage: chat-server PORT" on stderr and return
	 *    EXIT_USAGE.
	 *
	 * 2. Signals: a static volatile sig_atomic_t stop flag and a handler
	 *    for SIGINT and SIGTERM that only sets it, installed with
	 *    sigaction and sa_flags = 0 (no SA_RESTART). SIG_IGN for SIGPIPE.
	 *
	 * 3. listenfd = open_listener(port, ...); on -1 print
	 *    "chat-server: " and the message, return EXIT_RUNTIME.
	 *
	 * 4. accept one peer; on EINTR test the flag (set: close and return
	 *    EXIT_OK), on ECONNABORTED or EPROTO accept again. Then close
	 *    listenfd: the chat has its peer.
	 *
	 * 5. chat_session(peerfd, &stop_flag, ...), close(peerfd). Return
	 *    EXIT_OK, or print the message and return EXIT_RUNTIME if the
	 *    session failed. */
	(void)argc;
	(void)argv;
	return EXIT_OK;
}
