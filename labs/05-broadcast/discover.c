/* discover.c - lab 05: ask who is there, and list everyone who answers.
 *
 * usage: discover ADDRESS PORT [TIMEOUT_MS]
 *
 * Broadcasts the question QUESTION ("DISCOVER") once to ADDRESS and PORT,
 * then collects answers for TIMEOUT_MS milliseconds (default 1000, from 1
 * to 60000) after sending it. Each responder answers with its name, sent
 * straight back to the port the question came from; each answer is
 * printed as one line,
 *
 *	answer from 127.0.0.1:9000: alpha\n
 *
 * in the order they arrive. When the time is up it says how many came on
 * stderr and exits 0, even when none came.
 *
 * You may add static helper functions, for instance
 *	static long long now_ms(void);
 *	static int collect_answers(int fd, long long deadline,
 *				   const char **failed_call);
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bcast.h"

int main(int argc, char **argv)
{
	/* TODO, step by step (the handout explains each call):
	 *
	 * 1. Arguments: 2 or 3 of them; PORT must pass parse_number(argv[2],
	 *    1, 65535) and TIMEOUT_MS, when given, parse_number(argv[3], 1,
	 *    60000). Otherwise print "usage: discover ADDRESS PORT
	 *    [TIMEOUT_MS]" on stderr and return EXIT_USAGE.
	 *
	 * 2. resolve_ipv4, socket(AF_INET, SOCK_DGRAM, 0) and SO_BROADCAST,
	 *    as in broadcast.c.
	 *
	 * 3. sendto(fd, QUESTION, strlen(QUESTION), 0, ...): once. If it
	 *    fails print "discover: sendto ADDRESS port PORT: " and
	 *    strerror(errno) and return EXIT_RUNTIME.
	 *
	 * 4. deadline = now + TIMEOUT_MS, on clock_gettime(CLOCK_MONOTONIC).
	 *    Loop: left = deadline - now; stop when left <= 0; poll(&pfd, 1,
	 *    left) on the socket (retry on EINTR); 0 means the time is up,
	 *    stop; else recvfrom one answer and print "answer from SENDER: "
	 *    + exactly its n bytes + "\n" (format_sender, writen). Keep
	 *    going after an answer: every responder sends one.
	 *
	 * 5. Log "discover: N answers" on stderr, close(fd), return EXIT_OK. */
	(void)argc;
	(void)argv;
	return EXIT_OK;
}
