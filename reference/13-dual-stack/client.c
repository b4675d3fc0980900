/* client.c - lab 13: connect over IPv4, IPv6 or a UNIX socket and print
 * what the server sends.
 *
 * usage: client HOST PORT
 *        client -U PATH
 *
 * HOST is a name ("localhost"), an IPv4 literal ("127.0.0.1") or an IPv6
 * literal ("::1"); every address getaddrinfo gives for it is tried in
 * order until one connects. With -U, PATH is a UNIX stream socket's
 * path (as with nc -U). Everything received is copied to stdout until
 * the server closes the connection; then the client exits 0. Problems go
 * to stderr, with exit status 2.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dual.h"

/* Copies everything that arrives on fd to stdout until the peer closes.
 * Returns 0, or -1 with *failed_call naming the call that failed. */
static int copy_until_close(int fd, const char **failed_call)
{
	char buf[4096]; /* one recv's worth */

	for (;;) {
		/* The greeting may come in pieces: read until 0, the end. */
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n == 0)
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*failed_call = "recv";
			return -1;
		}
		/* Exactly the n bytes received: they may hold '\0'. */
		if (writen(STDOUT_FILENO, buf, (size_t)n) < 0) {
			*failed_call = "write";
			return -1;
		}
	}
}

int main(int argc, char **argv)
{
	char err[ERR_MAX];	 /* what failed, from sockets.c */
	const char *failed_call; /* set by copy_until_close */
	int fd;

	if (argc == 3 && strcmp(argv[1], "-U") == 0) {
		/* A path that fits sun_path, '\0' included. */
		if (argv[2][0] == '\0' || strlen(argv[2]) > SOCKET_PATH_MAX)
			goto out_usage;
		fd = connect_unix(argv[2], err, sizeof(err));
	} else if (argc == 3 && parse_port(argv[2]) > 0) {
		fd = connect_host(argv[1], argv[2], err, sizeof(err));
	} else {
		goto out_usage;
	}
	if (fd < 0) {
		fprintf(stderr, "client: %s\n", err);
		return EXIT_RUNTIME;
	}

	if (copy_until_close(fd, &failed_call) < 0) {
		fprintf(stderr, "client: %s: %s\n", failed_call,
			strerror(errno));
		close(fd);
		return EXIT_RUNTIME;
	}
	close(fd);
	return EXIT_OK;

out_usage:
	fprintf(stderr, "usage: client HOST PORT | client -U PATH (PATH of 1 "
			"to %d bytes)\n",
		SOCKET_PATH_MAX);
	return EXIT_USAGE;
}
