/* listen.c - lab 05: hear broadcasts on a port and say who sent them.
 *
 * usage: listen PORT [COUNT]
 *
 * Binds every local IPv4 address on PORT (with SO_REUSEADDR, so several
 * listeners can share the port: each hears every broadcast) and prints
 * each datagram it receives as one line,
 *
 *	from 127.0.0.1:40000: hello, everyone\n
 *
 * the sender's address and port, then exactly the datagram's bytes. After
 * COUNT datagrams (1 to 1000) it exits 0; without COUNT it runs until
 * SIGINT or SIGTERM and then exits 0. Problems go to stderr.
 *
 * You may add static helper functions, for instance
 *	static int hear_one(int fd, const char **failed_call);
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
	 * 1. Arguments: 1 or 2 of them; PORT must pass parse_number(argv[1],
	 *    1, 65535) and COUNT, when given, parse_number(argv[2], 1, 1000).
	 *    Otherwise print "usage: listen PORT [COUNT]" on stderr and
	 *    return EXIT_USAGE.
	 *
	 * 2. install_stop_handlers(); fd = open_shared_port(port,
	 *    &failed_call). On a failure print "listen: CALL port PORT: "
	 *    and strerror(errno) on stderr and return EXIT_RUNTIME.
	 *
	 * 3. While stop_requested is 0 and fewer than COUNT datagrams were
	 *    heard (no limit without COUNT):
	 *    - from_len = sizeof from (again before every call), then
	 *      n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from,
	 *      &from_len), with a static char buf[MAX_DATAGRAM];
	 *    - n < 0 with errno EINTR: continue (the loop tests the flag);
	 *      another n < 0: report "listen: recvfrom: ..." and return
	 *      EXIT_RUNTIME;
	 *    - format_sender(&from, sender, sizeof sender), then write the
	 *      line "from SENDER: " + exactly the n bytes + "\n" to stdout
	 *      (build it in one buffer and writen it, or printf then fwrite
	 *      then fflush(stdout)). buf holds no '\0' after the n bytes.
	 *
	 * 4. close(fd) and return EXIT_OK. */
	(void)argc;
	(void)argv;
	return EXIT_OK;
}
