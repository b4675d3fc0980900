/* sockets.c - lab 13: sockets of every family, named and connected.
 *
 * Write each function as dual.h describes it. Those that can fail write
 * what failed into the caller's err buffer (snprintf(err, errlen, ...),
 * naming the call and the address, then ": " and strerror(errno)) and
 * return -1; they never print and never exit. You may add static helper
 * functions; parse_port and writen are lab 02's.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "dual.h"

int parse_port(const char *text)
{
	/* TODO: as in lab 02: a digit first (strtol would accept a sign or
	 * spaces), then strtol; the whole text must be the number, from 1
	 * to 65535. Return it, or -1. */
	(void)text;
	return -1;
}

ssize_t writen(int fd, const void *buf, size_t n)
{
	/* TODO: as in lab 02: write in a loop until all n bytes are gone,
	 * again on EINTR; return n, or -1 on any other error. */
	(void)fd;
	(void)buf;
	(void)n;
	return -1;
}

int format_peer(const struct sockaddr *addr, socklen_t len, char *out,
		size_t size)
{
	/* TODO, by addr->sa_family:
	 *
	 * - AF_INET: cast to const struct sockaddr_in *; inet_ntop(AF_INET,
	 *   &sin_addr, ...) into a char[INET_ADDRSTRLEN]; ntohs(sin_port);
	 *   the text "IPv4 ADDRESS port PORT".
	 * - AF_INET6: cast to const struct sockaddr_in6 *. If
	 *   IN6_IS_ADDR_V4MAPPED(&sin6_addr), the IPv4 address is its last 4
	 *   bytes, &sin6_addr.s6_addr[12]: "IPv4 ADDRESS port PORT", as
	 *   above. Otherwise inet_ntop(AF_INET6, ...) into a
	 *   char[INET6_ADDRSTRLEN] (46: an IPv6 text does not fit 16) and
	 *   "IPv6 ADDRESS port PORT".
	 * - AF_UNIX: cast to const struct sockaddr_un *. The name's bytes:
	 *   n = len - offsetof(struct sockaddr_un, sun_path) (0 if len is
	 *   smaller), never more than sizeof(sun_path). n == 0: "unix
	 *   (unnamed)". sun_path[0] == '\0': an abstract name, "unix @" and
	 *   the n - 1 bytes after the '\0'. Otherwise a path: "unix " and
	 *   the path, which ends at its first '\0' or after n bytes
	 *   (strnlen(sun_path, n), printed with "%.*s": sun_path need not
	 *   end in '\0').
	 * - any other family: return -1.
	 *
	 * Write the text with snprintf(out, size, ...). It returns the
	 * length the whole text needs: if that is size or more, the text
	 * was cut, so return -1. Otherwise return the length. */
	(void)addr;
	(void)len;
	(void)out;
	(void)size;
	return -1;
}

int listen_dual(int port, char *err, size_t errlen)
{
	/* TODO:
	 * 1. fd = socket(AF_INET6, SOCK_STREAM, 0).
	 * 2. setsockopt SO_REUSEADDR to 1, as in lab 02.
	 * 3. setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off))
	 *    with int off = 0: the socket then takes IPv4 clients too.
	 *    Always say it: the default comes from the system (the sysctl
	 *    net.ipv6.bindv6only) and is not off everywhere.
	 * 4. A struct sockaddr_in6, zeroed with memset: sin6_family
	 *    AF_INET6, sin6_addr in6addr_any, sin6_port htons(port); bind.
	 * 5. listen(fd, BACKLOG).
	 * On any failure: the message ("bind port 9000: Address already in
	 * use"), close(fd), return -1. Else return fd. */
	(void)port;
	snprintf(err, errlen, "listen_dual: not written yet");
	return -1;
}

int listen_unix(const char *path, char *err, size_t errlen)
{
	/* TODO:
	 * 1. A struct sockaddr_un, zeroed: sun_family AF_UNIX, and path
	 *    copied into sun_path with its '\0' (check strlen(path) is 1 to
	 *    SOCKET_PATH_MAX first: never copy past sun_path).
	 * 2. A stale socket: lstat(path, &st). ENOENT: nothing there, go
	 *    on. Not S_ISSOCK(st.st_mode): an error ("lab13.sock is there
	 *    and is not a socket"), and leave the file alone. A socket:
	 *    connect a new AF_UNIX socket to it (and close that socket).
	 *    Connected: another server listens there, an error, leave it.
	 *    ECONNREFUSED: nobody listens, the file is stale: unlink(path).
	 * 3. fd = socket(AF_UNIX, SOCK_STREAM, 0); old = umask(0177); bind;
	 *    umask(old). bind creates the file with mode 0777 minus the
	 *    umask: 0600, only its owner may connect.
	 * 4. listen(fd, BACKLOG).
	 * On any failure: the message ("bind lab13.sock: No such file or
	 * directory"), close what you opened, return -1. Else return fd. */
	(void)path;
	snprintf(err, errlen, "listen_unix: not written yet");
	return -1;
}

int connect_host(const char *host, const char *port, char *err,
		 size_t errlen)
{
	/* TODO, as lab 02's client did:
	 * 1. getaddrinfo(host, port, &hints, &results) with hints zeroed,
	 *    ai_family AF_UNSPEC and ai_socktype SOCK_STREAM. Not 0: the
	 *    message "HOST: " and gai_strerror(rc), return -1.
	 * 2. For each address ai in the list, in order: fd =
	 *    socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol) (a new
	 *    socket each time, of that address's family), then connect(fd,
	 *    ai->ai_addr, ai->ai_addrlen). Stop at the first that connects;
	 *    close the socket of each that fails and remember its errno.
	 * 3. freeaddrinfo(results).
	 * 4. None connected: "connect to HOST port PORT: " and strerror of
	 *    the last errno, return -1. Else return fd. */
	(void)host;
	(void)port;
	snprintf(err, errlen, "connect_host: not written yet");
	return -1;
}

int connect_unix(const char *path, char *err, size_t errlen)
{
	/* TODO: a struct sockaddr_un for path, as in listen_unix; fd =
	 * socket(AF_UNIX, SOCK_STREAM, 0); connect. On failure "connect to
	 * PATH: " and strerror(errno), close(fd), return -1. Else fd. */
	(void)path;
	snprintf(err, errlen, "connect_unix: not written yet");
	return -1;
}
