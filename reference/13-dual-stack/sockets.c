/* sockets.c - lab 13: sockets of every family, named and connected.
 *
 * Each function is described in dual.h. Those that can fail write what
 * failed into the caller's err buffer, naming the call and the address,
 * and return -1; they never print and never exit, so the caller decides.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "dual.h"

/* The path must fit sun_path with its '\0': check it at compile time. */
_Static_assert(SOCKET_PATH_MAX + 1 ==
		   sizeof(((struct sockaddr_un *)0)->sun_path),
	       "SOCKET_PATH_MAX is sizeof(sun_path) - 1");

/* Writes "what: strerror(errno)" into err and returns -1; errno is kept,
 * so the caller may still look at it. */
static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	int saved = errno; /* vsnprintf may change errno */
	size_t used;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	used = strlen(err);
	snprintf(err + used, errlen - used, ": %s", strerror(saved));
	errno = saved;
	return -1;
}

/* Closes fd without losing errno, which says why we give it up. */
static void close_keep_errno(int fd)
{
	int saved = errno;

	close(fd);
	errno = saved;
}

int parse_port(const char *text)
{
	char *end;  /* strtol leaves here the first byte it did not use */
	long value; /* the number read */

	/* strtol would skip spaces and accept a sign: ask for a digit first. */
	if (!isdigit((unsigned char)text[0]))
		return -1;
	errno = 0;
	value = strtol(text, &end, 10);
	/* The whole text must be the number, and the number a real port. */
	if (errno != 0 || *end != '\0' || value < 1 || value > 65535)
		return -1;
	return (int)value;
}

ssize_t writen(int fd, const void *buf, size_t n)
{
	const char *next = buf; /* first byte not written yet */
	size_t left = n;	/* bytes still to write */

	/* write may take fewer bytes than asked: loop, as sendall does. */
	while (left > 0) {
		ssize_t written = write(fd, next, left);

		if (written < 0 && errno == EINTR)
			continue; /* a signal came before any byte: again */
		if (written < 0)
			return -1; /* a real error, errno says which */
		next += written;
		left -= (size_t)written;
	}
	return (ssize_t)n;
}

/* snprintf into out, but -1 (ENOSPC) when the text and its '\0' do not
 * fit: a cut text would name somebody else. */
static int put_text(char *out, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int put_text(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size) {
		errno = ENOSPC;
		return -1;
	}
	return n;
}

/* The text of an IPv4 address (4 bytes, network order) and a port. */
static int format_ipv4(const void *address, in_port_t port, char *out,
		       size_t size)
{
	char text[INET_ADDRSTRLEN]; /* "255.255.255.255" and its '\0' */

	inet_ntop(AF_INET, address, text, sizeof(text));
	return put_text(out, size, "IPv4 %s port %u", text,
			(unsigned)ntohs(port));
}

/* The text of a UNIX socket's address; n is how many bytes of sun_path
 * belong to the name (getpeername's len minus the family's bytes). */
static int format_unix(const struct sockaddr_un *un, size_t n, char *out,
		       size_t size)
{
	/* The kernel may say one byte more than sun_path holds (a path of
	 * exactly 108 bytes, counted with a '\0' that is not there): never
	 * read past sun_path. */
	if (n > sizeof(un->sun_path))
		n = sizeof(un->sun_path);
	/* No byte of a name: a client that never called bind. */
	if (n == 0)
		return put_text(out, size, "unix (unnamed)");
	/* A leading '\0' marks Linux's abstract names: no file on disk.
	 * The name is the bytes after it, all n - 1 of them. */
	if (un->sun_path[0] == '\0')
		return put_text(out, size, "unix @%.*s", (int)(n - 1),
				un->sun_path + 1);
	/* A path: up to its '\0', or to the end of the n bytes if it has
	 * none there (sun_path need not be a C string). */
	return put_text(out, size, "unix %.*s",
			(int)strnlen(un->sun_path, n), un->sun_path);
}

int format_peer(const struct sockaddr *addr, socklen_t len, char *out,
		size_t size)
{
	if (addr->sa_family == AF_INET) {
		const struct sockaddr_in *v4 = (const struct sockaddr_in *)addr;

		return format_ipv4(&v4->sin_addr, v4->sin_port, out, size);
	}
	if (addr->sa_family == AF_INET6) {
		const struct sockaddr_in6 *v6 =
		    (const struct sockaddr_in6 *)addr;
		char text[INET6_ADDRSTRLEN]; /* the longest IPv6 text, 45 */

		/* An IPv4 client of a dual-stack socket: ::ffff:a.b.c.d. Its
		 * IPv4 address is the last 4 of the 16 bytes. */
		if (IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr))
			return format_ipv4(&v6->sin6_addr.s6_addr[12],
					   v6->sin6_port, out, size);
		inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof(text));
		return put_text(out, size, "IPv6 %s port %u", text,
				(unsigned)ntohs(v6->sin6_port));
	}
	if (addr->sa_family == AF_UNIX) {
		size_t family = offsetof(struct sockaddr_un, sun_path);

		return format_unix((const struct sockaddr_un *)addr,
				   len > family ? len - family : 0, out, size);
	}
	errno = EAFNOSUPPORT;
	return -1;
}

int listen_dual(int port, char *err, size_t errlen)
{
	struct sockaddr_in6 addr; /* every address, IPv6 and IPv4, on port */
	int on = 1, off = 0;	  /* for setsockopt */
	int fd;

	/* Python: socket.create_server(("", port), family=AF_INET6,
	 * dualstack_ipv6=True) does all of this. */
	fd = socket(AF_INET6, SOCK_STREAM, 0);
	if (fd < 0)
		return fail(err, errlen, "socket AF_INET6");
	/* Restart at once, while old connections wait in TIME_WAIT. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0) {
		fail(err, errlen, "setsockopt SO_REUSEADDR");
		goto out_close;
	}
	/* Off: the socket takes IPv4 clients too, as ::ffff:a.b.c.d. Say it
	 * even though Linux's default is off: the default is the sysctl
	 * net.ipv6.bindv6only, and on some systems it is on. */
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) < 0) {
		fail(err, errlen, "setsockopt IPV6_V6ONLY");
		goto out_close;
	}
	memset(&addr, 0, sizeof(addr));
	addr.sin6_family = AF_INET6;
	addr.sin6_addr = in6addr_any; /* "::", IPv6's INADDR_ANY */
	addr.sin6_port = htons((uint16_t)port);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		fail(err, errlen, "bind port %d", port);
		goto out_close;
	}
	if (listen(fd, BACKLOG) < 0) {
		fail(err, errlen, "listen port %d", port);
		goto out_close;
	}
	return fd;

out_close:
	close_keep_errno(fd);
	return -1;
}

/* Fills addr with path (at most SOCKET_PATH_MAX bytes); -1 if too long. */
static int unix_address(struct sockaddr_un *addr, const char *path)
{
	size_t len = strlen(path);

	if (len == 0 || len > SOCKET_PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memset(addr, 0, sizeof(*addr));
	addr->sun_family = AF_UNIX;
	memcpy(addr->sun_path, path, len + 1); /* the '\0' too */
	return 0;
}

/* Removes a socket file at path that nobody listens on any more (an
 * earlier run that was killed left it: bind would fail with EADDRINUSE).
 * Leaves anything else there alone and says why. 0 or -1. */
static int remove_stale(const char *path, const struct sockaddr_un *addr,
			char *err, size_t errlen)
{
	struct stat st;
	int fd, rc;

	/* lstat, not stat: a symbolic link is not a socket of ours. */
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : fail(err, errlen, "lstat %s", path);
	if (!S_ISSOCK(st.st_mode)) {
		errno = EEXIST;
		return fail(err, errlen,
			    "%s is there and is not a socket, left as it is",
			    path);
	}
	/* A socket file: is a server still behind it? Only a connect
	 * tells. Refused means nobody listens: the file is stale. */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		return fail(err, errlen, "socket AF_UNIX");
	rc = connect(fd, (const struct sockaddr *)addr, sizeof(*addr));
	close_keep_errno(fd);
	if (rc == 0) {
		errno = EADDRINUSE;
		return fail(err, errlen, "%s: another server listens there",
			    path);
	}
	if (errno != ECONNREFUSED)
		return fail(err, errlen, "connect to %s", path);
	if (unlink(path) < 0 && errno != ENOENT)
		return fail(err, errlen, "unlink %s", path);
	return 0;
}

int listen_unix(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un addr; /* the path, as bind wants it */
	mode_t old_mask;	 /* the umask to put back */
	int fd, rc;

	if (unix_address(&addr, path) < 0)
		return fail(err, errlen, "%s", path);
	if (remove_stale(path, &addr, err, errlen) < 0)
		return -1;
	/* Python: s = socket.socket(AF_UNIX, SOCK_STREAM); s.bind(path) */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		return fail(err, errlen, "socket AF_UNIX");
	/* bind creates the file with mode 0777 minus the umask. A umask
	 * of 0177 makes it 0600 (srw-------): only our own user may
	 * connect (connect needs write permission on the file). Put the
	 * old umask back at once: it is the whole process's. */
	old_mask = umask(0177);
	rc = bind(fd, (struct sockaddr *)&addr, sizeof(addr));
	umask(old_mask); /* umask never fails, and keeps errno */
	if (rc < 0) {
		fail(err, errlen, "bind %s", path);
		goto out_close;
	}
	if (listen(fd, BACKLOG) < 0) {
		fail(err, errlen, "listen %s", path);
		unlink(path); /* ours, and of no use to anybody */
		goto out_close;
	}
	return fd;

out_close:
	close_keep_errno(fd);
	return -1;
}

int connect_host(const char *host, const char *port, char *err,
		 size_t errlen)
{
	struct addrinfo hints;	  /* what kind of addresses we want */
	struct addrinfo *results; /* what getaddrinfo found */
	struct addrinfo *ai;	  /* the one being tried */
	int last_errno = ECONNREFUSED; /* why the last try failed */
	int fd = -1, rc;

	/* Python: socket.getaddrinfo(host, port, 0, SOCK_STREAM). AF_UNSPEC:
	 * IPv6 and IPv4 addresses both, in the order the system prefers. */
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, port, &hints, &results);
	if (rc != 0) {
		/* getaddrinfo has codes of its own, not errno */
		snprintf(err, errlen, "%s: %s", host, gai_strerror(rc));
		return -1;
	}
	/* Python's socket.create_connection does this loop: a name may
	 * have an address that does not answer (::1 where the server
	 * listens on IPv4 only); the next one may. */
	for (ai = results; ai != NULL; ai = ai->ai_next) {
		/* A new socket for each try, of that address's family: an
		 * AF_INET6 socket cannot connect to an IPv4 address. */
		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd < 0) {
			last_errno = errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break; /* connected: fd is the one */
		/* Not this one: remember why, close it (or it leaks), and
		 * try the next address. */
		last_errno = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(results); /* done with the list, whatever happened */
	if (fd < 0) {
		errno = last_errno;
		return fail(err, errlen, "connect to %s port %s", host, port);
	}
	return fd;
}

int connect_unix(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un addr; /* the server's path */
	int fd;

	if (unix_address(&addr, path) < 0)
		return fail(err, errlen, "%s", path);
	/* Python: s = socket.socket(AF_UNIX); s.connect(path) */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		return fail(err, errlen, "socket AF_UNIX");
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		fail(err, errlen, "connect to %s", path);
		close_keep_errno(fd);
		return -1;
	}
	return fd;
}
