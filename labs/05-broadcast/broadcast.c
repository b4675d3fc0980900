/* broadcast.c - lab 05: send a message to every listener on a port.
 *
 * usage: broadcast ADDRESS PORT MESSAGE [COUNT]
 *
 * Sends MESSAGE (its bytes, no '\0', no newline) COUNT times (default 1,
 * at most 1000) as UDP datagrams to ADDRESS and PORT. ADDRESS is a
 * broadcast address: 127.255.255.255 (loopback's), 255.255.255.255
 * (every host on the local network, Python's '<broadcast>'), or a
 * subnet's, such as 192.168.1.255. The kernel refuses to send to a
 * broadcast address from a socket that has not asked for it with
 * SO_BROADCAST: sendto then fails with EACCES ("Permission denied"), which
 * is reported, never ignored. Prints nothing on stdout; exits 0 when every
 * datagram went out.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bcast.h"

int main(int argc, char **argv)
{
	/* TODO, step by step (the handout explains each call):
	 *
	 * 1. Arguments: 3 or 4 of them; PORT must pass parse_number(argv[2],
	 *    1, 65535) and COUNT, when given, parse_number(argv[4], 1, 1000).
	 *    Otherwise print "usage: broadcast ADDRESS PORT MESSAGE [COUNT]"
	 *    on stderr and return EXIT_USAGE.
	 *
	 * 2. rc = resolve_ipv4(argv[1], argv[2], &to); if rc != 0 print
	 *    "broadcast: ADDRESS: " and gai_strerror(rc), return EXIT_RUNTIME.
	 *
	 * 3. fd = socket(AF_INET, SOCK_DGRAM, 0), then
	 *    setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &on, sizeof on) with
	 *    int on = 1: Python's s.setsockopt(SOL_SOCKET, SO_BROADCAST, 1).
	 *    Report a failure of either (perror) and return EXIT_RUNTIME.
	 *
	 * 4. COUNT times: sendto(fd, message, strlen(message), 0,
	 *    (struct sockaddr *)&to, sizeof to). If it returns -1, print
	 *    "broadcast: sendto ADDRESS port PORT: " and strerror(errno) on
	 *    stderr, close(fd) and return EXIT_RUNTIME: never go on silently.
	 *
	 * 5. Log "broadcast: sent N datagrams to ..." on stderr, close(fd),
	 *    return EXIT_OK. */
	(void)argc;
	(void)argv;
	return EXIT_OK;
}
