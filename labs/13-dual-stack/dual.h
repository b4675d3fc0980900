/* dual.h - lab 13: one server for IPv4, IPv6 and UNIX sockets.
 *
 * The server greets every client, as lab 02's did, but it listens on two
 * sockets: one AF_INET6 socket with IPV6_V6ONLY off, which takes IPv4 and
 * IPv6 clients alike (an IPv4 client shows up as an IPv4-mapped address,
 * ::ffff:127.0.0.1), and one AF_UNIX stream socket on a path. The client
 * connects to a host and port, trying every address getaddrinfo gives
 * until one answers, or to a UNIX socket's path.
 *
 * You write every function below in sockets.c; server.c and client.c use
 * them. The convention is Redis anet.c's: a function that can fail
 * returns -1 and writes what failed into err (errlen bytes, always ended
 * by '\0'), naming the call and the address, for example
 *	"bind port 9000: Address already in use"
 *	"connect to localhost port 9000: Connection refused"
 * and main prints it after "server: " or "client: " and returns
 * EXIT_RUNTIME. Nothing here prints or exits.
 */
#ifndef DUAL_H
#define DUAL_H

#include <sys/socket.h>
#include <sys/types.h>

/* Exit statuses, the same in every lab. */
#define EXIT_OK	     0 /* the program did its job */
#define EXIT_USAGE   1 /* wrong arguments: a "usage:" line was printed */
#define EXIT_RUNTIME 2 /* a call failed or a host is unknown: reported */

/* The longest UNIX socket path this lab takes: sun_path holds 108 bytes,
 * and a path is kept there with its '\0'. */
#define SOCKET_PATH_MAX 107

#define BACKLOG	      16  /* listen's backlog, for both sockets */
#define PEER_TEXT_MAX 128 /* room for any text format_peer writes, '\0'
			     included */
#define ERR_MAX	      512 /* room for any message written into err */

/* The text of a port (digits only, 1 to 65535), or -1. */
int parse_port(const char *text);

/* Writes all n bytes of buf to fd, retrying short writes and EINTR;
 * returns n, or -1 with errno set. */
ssize_t writen(int fd, const void *buf, size_t n);

/* Writes into out (size bytes) the text that names a peer, from the
 * address and length getpeername gave:
 *	AF_INET			"IPv4 127.0.0.1 port 40312"
 *	AF_INET6, IPv4-mapped	"IPv4 127.0.0.1 port 40312" (::ffff:0:0/96)
 *	AF_INET6, any other	"IPv6 ::1 port 40312" (inet_ntop's text)
 *	AF_UNIX, a path		"unix client.sock" (the path's bytes)
 *	AF_UNIX, abstract	"unix @name" (sun_path[0] is '\0')
 *	AF_UNIX, unnamed	"unix (unnamed)" (no byte of sun_path given)
 * For AF_UNIX, len says how many bytes of sun_path belong to the name
 * (never more than sizeof(sun_path)); a path ends at its first '\0' or
 * there, whichever comes first. Returns the text's length, without its
 * '\0'; or -1 when out cannot hold the text and its '\0' (nothing is
 * written past out[size - 1]) or the family is none of these three. */
int format_peer(const struct sockaddr *addr, socklen_t len, char *out,
		size_t size);

/* A TCP socket listening on port for IPv4 and IPv6 clients at once: one
 * AF_INET6 socket, SO_REUSEADDR on, IPV6_V6ONLY off, bound to the IPv6
 * wildcard address (in6addr_any), listen(BACKLOG). Returns it, or -1. */
int listen_dual(int port, char *err, size_t errlen);

/* A UNIX stream socket listening on path, which only its owner may use:
 * the socket file gets mode 0600 whatever the umask. A socket file left
 * at path by an earlier run that nobody listens on any more (connect is
 * refused) is removed first. Anything else at path is left as it is and
 * is an error: a file that is not a socket, or a socket another server
 * still listens on. Returns the socket, or -1. */
int listen_unix(const char *path, char *err, size_t errlen);

/* A TCP connection to host (a name, an IPv4 or an IPv6 literal) on port,
 * trying every address getaddrinfo gives, in its order, until one
 * connects. Returns the socket, or -1: an unknown host ("HOST: " and
 * gai_strerror's text) or every address failed (strerror of the last
 * failure). */
int connect_host(const char *host, const char *port, char *err,
		 size_t errlen);

/* A connection to the UNIX stream socket at path. Returns the socket, or
 * -1. */
int connect_unix(const char *path, char *err, size_t errlen);

#endif
