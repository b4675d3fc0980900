/* responder.c - lab 05: answer every discovery question with a name.
 *
 * usage: responder PORT NAME
 *
 * Binds every local IPv4 address on PORT (with SO_REUSEADDR, so several
 * responders can share the port: a broadcast question reaches each of
 * them) and waits for datagrams. To each one that is exactly QUESTION
 * ("DISCOVER") it answers with NAME (its bytes, no '\0', no newline),
 * sent directly to the address and port the question came from: a
 * unicast reply to the asker, not a broadcast. Other datagrams are
 * logged and ignored. Logs go to stderr; it runs until SIGINT or SIGTERM,
 * then exits 0.
 *
 * You may add static helper functions, for instance
 *	static int answer_one(int fd, const char *name);
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bcast.h"

int main(int argc, char **argv)
{
	/* TODO, step by step (the handout explains each call):
	 *
	 * 1. Arguments: exactly 2; PORT must pass parse_number(argv[1], 1,
	 *    65535) and NAME must not be empty. Otherwise print "usage:
	 *    responder PORT NAME" on stderr and return EXIT_USAGE.
	 *
	 * 2. install_stop_handlers(); fd = open_shared_port(port,
	 *    &failed_call); report a failure as listen.c does, EXIT_RUNTIME.
	 *
	 * 3. While stop_requested is 0:
	 *    - asker_len = sizeof asker, n = recvfrom(fd, buf, sizeof buf, 0,
	 *      (struct sockaddr *)&asker, &asker_len);
	 *    - n < 0 with EINTR: continue; another n < 0: log it, continue;
	 *    - unless the n bytes are exactly QUESTION (n == strlen(QUESTION)
	 *      and memcmp), log "ignored" and continue;
	 *    - sendto(fd, name, strlen(name), 0, (struct sockaddr *)&asker,
	 *      asker_len): straight back to the asker, never to a broadcast
	 *      address. Log a failure and go on.
	 *
	 * 4. close(fd) and return EXIT_OK. */
	(void)argc;
	(void)argv;
	return EXIT_OK;
}
