/* broadcast.c - lab 05: send a message to every listener on a port.
 *
 * usage: broadcast ADDRESS PORT MESSAGE [COUNT]
 *
 * Sends MESSAGE (its bytes, no '\0', no newline) COUNT times (default 1,
 * at most 1000) as UDP datagrams to ADDRESS and PORT. ADDRESS is a
 * broadcast address: 127.255.255.255 (loopback's), 255.255.255.255
 * (every host on the local network, Python's '<broadcast>'), or a
 * subnet's, such as 192.168.1.255. The kernel refuses to send to a broadcast
 * address from a socket that has not asked for it with SO_BROADCAST: sendto
 * then fails with EACCES ("Permission denied"), which is reported, never
 * ignored. Prints nothing on stdout; exits 0 when every datagram went out.
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
	struct sockaddr_in to; /* the broadcast address and port */
	const char *message;   /* what to send */
	long count = 1;	       /* how many times */
	int on = 1;	       /* for setsockopt: turn the option on */
	int rc, fd;

	/* Three or four arguments: a port, and a count if one is given. */
	if (argc < 4 || argc > 5 || parse_number(argv[2], 1, 65535) < 0 ||
	    (argc == 5 && (count = parse_number(argv[4], 1, 1000)) < 0)) {
		fprintf(stderr,
			"usage: broadcast ADDRESS PORT MESSAGE [COUNT]\n");
		return EXIT_USAGE;
	}
	message = argv[3];

	rc = resolve_ipv4(argv[1], argv[2], &to);
	if (rc != 0) {
		fprintf(stderr, "broadcast: %s: %s\n", argv[1],
			gai_strerror(rc));
		return EXIT_RUNTIME;
	}

	/* Python: s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM) */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("broadcast: socket");
		return EXIT_RUNTIME;
	}

	/* Python: s.setsockopt(SOL_SOCKET, SO_BROADCAST, 1). Without it,
	 * sendto to a broadcast address fails with EACCES. */
	if (setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &on, sizeof(on)) < 0) {
		perror("broadcast: setsockopt SO_BROADCAST");
		close(fd);
		return EXIT_RUNTIME;
	}

	/* Python: s.sendto(message, ('<broadcast>', port)), COUNT times,
	 * with the address ADDRESS names instead of '<broadcast>'.
	 * No bind: the kernel picks a free port for us at the first sendto,
	 * and that is the port the listeners see. */
	for (long i = 0; i < count; i++) {
		if (sendto(fd, message, strlen(message), 0,
			   (struct sockaddr *)&to, sizeof(to)) < 0) {
			/* The one place this program can fail after its set-up:
			 * EACCES (no SO_BROADCAST), ENETUNREACH (no route for
			 * this address). Say which call, where, and why. */
			fprintf(stderr, "broadcast: sendto %s port %s: %s\n",
				argv[1], argv[2], strerror(errno));
			close(fd);
			return EXIT_RUNTIME;
		}
	}
	fprintf(stderr, "broadcast: sent %ld datagram%s to %s port %s\n", count,
		count == 1 ? "" : "s", argv[1], argv[2]);

	/* Python: s.close() */
	close(fd);
	return EXIT_OK;
}
