/* ping.c - lab 04: a ping client over UDP.
 *
 * usage: ping HOST PORT COUNT TIMEOUT_MS
 *
 * Sends COUNT pings, one datagram each, to the UDP echo server on HOST
 * port PORT, one after another. Ping number seq (from 1) is the text
 * "PING <seq> <time>\n"; the server sends the same bytes back. The client
 * waits up to TIMEOUT_MS milliseconds, counted from the moment it sent
 * the ping, for that reply: a datagram from the server's address and port
 * whose bytes are exactly the ping's. Anything else (a late reply to an
 * earlier ping, a second copy of a reply, a datagram from another port)
 * is ignored and does not stop the clock. For each ping it prints
 *	"seq=<seq> time=<rtt> ms"	the reply came, rtt in ms, 3 decimals
 *	"seq=<seq> timeout"		it did not come in time
 * and sends the next ping at once. At the end it prints the totals (see
 * stats_print in ping.h) and exits 0 if any reply came, 3 if none did.
 *
 * You may add static helper functions, for instance
 *	static int same_sender(const struct sockaddr_storage *a,
 *			       const struct sockaddr_storage *b);
 *	static int wait_for_reply(int fd,
 *				  const struct sockaddr_storage *server,
 *				  const char *ping, size_t len,
 *				  const struct timespec *sent,
 *				  long timeout_ms, double *rtt_ms);
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "ping.h"

int main(int argc, char **argv)
{
	/* TODO, step by step (the handout explains each call):
	 *
	 * 1. Arguments: exactly 4. HOST must not be empty, PORT is
	 *    parse_number(argv[2], 1, 65535), COUNT parse_number(argv[3],
	 *    1, MAX_COUNT), TIMEOUT_MS parse_number(argv[4], 1,
	 *    MAX_TIMEOUT_MS). Otherwise print "usage: ping HOST PORT COUNT
	 *    TIMEOUT_MS" on stderr and return EXIT_USAGE.
	 *
	 * 2. Resolve: hints zeroed, ai_family = AF_UNSPEC, ai_socktype =
	 *    SOCK_DGRAM; getaddrinfo(host, port, &hints, &results). If it
	 *    fails print "ping: HOST: " and gai_strerror(rc) on stderr and
	 *    return EXIT_RUNTIME. Copy the first result's address into a
	 *    struct sockaddr_storage, create the socket from it, then
	 *    freeaddrinfo.
	 *
	 * 3. For seq = 1 .. COUNT:
	 *    - clock_gettime(CLOCK_MONOTONIC, &sent); format_ping into a
	 *      char ping[MAX_PING]; sendto the server; transmitted++;
	 *    - wait for the reply until sent + TIMEOUT_MS: before each
	 *      recvfrom, set SO_RCVTIMEO to the time left (at least 1 us:
	 *      a zero timeval waits forever); if no time is left, or
	 *      recvfrom fails with EAGAIN or EWOULDBLOCK after the deadline,
	 *      the ping timed out; EINTR: try again; other errors: perror,
	 *      return EXIT_RUNTIME;
	 *    - ignore (and keep waiting for) a datagram that does not come
	 *      from the server's address and port, or whose bytes are not
	 *      exactly the ping's (n != len or memcmp != 0);
	 *    - the reply: clock_gettime again, rtt = elapsed_ms(&sent,
	 *      &now), printf("seq=%ld time=%.3f ms\n", seq, rtt),
	 *      stats_add_reply; a timeout: printf("seq=%ld timeout\n", seq);
	 *      fflush(stdout).
	 *
	 * 4. stats_print, close the socket, and return EXIT_OK if any reply
	 *    came, EXIT_NO_REPLY if none did. */
	(void)argc;
	(void)argv;
	return EXIT_OK;
}
