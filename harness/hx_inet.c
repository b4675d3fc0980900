/* hx_inet.c - IPv6 presence, clients from a chosen address, loopback
 * addresses and sysctls of the check's own network namespace. */
#define _GNU_SOURCE
#include "hx_inet.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hx_time.h"

#define HX_INET_NETLINK_MS 2000 /* the kernel acknowledges a request */
#define HX_INET_MAX_INODES 64	/* sockets of one process looked at */
#define HX_INET_USABLE_MS  3000 /* an address just added takes connections */
#define HX_TCP_LISTEN	   0x0A /* TCP_LISTEN in /proc/net/tcp */

int hx_ipv6_stack(char *why, size_t size)
{
	int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		snprintf(why, size, "socket(AF_INET6): %s", strerror(errno));
		return 0;
	}
	close(fd);
	return 1;
}

int hx_ipv6_loopback(char *why, size_t size)
{
	struct sockaddr_in6 addr = {.sin6_family = AF_INET6,
				    .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	int fd, ok;

	if (!hx_ipv6_stack(why, size))
		return 0;
	fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ok = fd >= 0 && bind(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0;
	if (!ok)
		snprintf(why, size, "bind to ::1: %s (IPv6 is switched off)",
			 strerror(errno));
	if (fd >= 0)
		close(fd);
	return ok;
}

int hx_need_ipv6_loopback(struct hx_check *c)
{
	char why[160];

	if (hx_ipv6_loopback(why, sizeof(why)))
		return 1;
	hx_skip(c, "this machine has no IPv6 loopback address (::1): %s", why);
	return 0;
}

/* Fills addr from a numeric IPv4 or IPv6 address and port; its length,
 * or 0 when text is neither. */
static socklen_t hx_inet_address(const char *text, int port,
				 struct sockaddr_storage *addr)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)addr;

	memset(addr, 0, sizeof(*addr));
	if (inet_pton(AF_INET, text, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		return sizeof(*v4);
	}
	if (inet_pton(AF_INET6, text, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		return sizeof(*v6);
	}
	return 0;
}

int hx_tcp_connect_from(struct hx_check *c, struct hx_conn *conn,
			const char *source, const char *host, int port,
			int timeout_ms)
{
	struct sockaddr_storage from, to;
	socklen_t from_len = hx_inet_address(source, 0, &from);
	socklen_t to_len = hx_inet_address(host, port, &to);
	struct pollfd pfd = {.events = POLLOUT};
	int64_t deadline = hx_deadline(timeout_ms);
	socklen_t errlen = sizeof(int);
	int err = 0, ready;

	memset(conn, 0, sizeof(*conn));
	conn->fd = -1;
	if (from_len == 0 || to_len == 0 || from.ss_family != to.ss_family)
		return hx_fail(c, HX_ERROR, "bad peer addresses %s and %s",
			       source, host);
	conn->fd =
	    socket(to.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (conn->fd < 0)
		return hx_fail(c, HX_ERROR, "socket: %s", strerror(errno));
	conn->id = __atomic_fetch_add(&c->next_conn, 1, __ATOMIC_SEQ_CST);
	hx_buf_init(&conn->in);
	if (bind(conn->fd, (struct sockaddr *)&from, from_len) < 0) {
		err = errno;
		hx_close(c, conn);
		return hx_fail(c, HX_ERROR, "harness could not bind %s: %s",
			       source, strerror(err));
	}
	if (connect(conn->fd, (struct sockaddr *)&to, to_len) < 0 &&
	    errno != EINPROGRESS) {
		err = errno;
		goto out_fail;
	}
	pfd.fd = conn->fd;
	do
		ready = poll(&pfd, 1, hx_remaining_ms(deadline));
	while (ready < 0 && errno == EINTR);
	if (ready <= 0) {
		hx_close(c, conn);
		return hx_fail(c, HX_TIMEOUT,
			       "connecting to %s port %d took more than %.1f s",
			       host, port, timeout_ms / 1000.0);
	}
	getsockopt(conn->fd, SOL_SOCKET, SO_ERROR, &err, &errlen);
	if (err)
		goto out_fail;
	hx_recordf(c, conn->id, "connected to %s port %d from %s", host, port,
		   source);
	return 0;

out_fail:
	hx_close(c, conn);
	return hx_fail(c, HX_FAIL, "connect to %s port %d: %s", host, port,
		       strerror(err));
}

/* Sends one rtnetlink request and waits for its acknowledgement: 0, the
 * kernel's (positive) errno, or ETIMEDOUT. */
static int hx_inet_netlink(struct nlmsghdr *request)
{
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	int64_t deadline = hx_deadline(HX_INET_NETLINK_MS);
	char reply[8192];
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	int rc = ETIMEDOUT;

	if (fd < 0)
		return errno;
	if (sendto(fd, request, request->nlmsg_len, 0,
		   (struct sockaddr *)&kernel, sizeof(kernel)) < 0) {
		rc = errno;
		goto out_close;
	}
	while (rc == ETIMEDOUT && hx_remaining_ms(deadline) > 0) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		struct nlmsghdr *h;
		ssize_t n;

		if (poll(&pfd, 1, hx_remaining_ms(deadline)) <= 0)
			continue;
		n = recv(fd, reply, sizeof(reply), 0);
		if (n < 0 && errno != EINTR) {
			rc = errno;
			break;
		}
		for (h = (struct nlmsghdr *)reply;
		     n > 0 && NLMSG_OK(h, (unsigned)n); h = NLMSG_NEXT(h, n)) {
			const struct nlmsgerr *err = NLMSG_DATA(h);

			if (h->nlmsg_seq == request->nlmsg_seq &&
			    h->nlmsg_type == NLMSG_ERROR)
				rc = h->nlmsg_len < NLMSG_LENGTH(sizeof(*err))
					 ? EPROTO
					 : -err->error; /* 0: done */
		}
	}
out_close:
	close(fd);
	return rc;
}

/* Appends an attribute to a request built in a buffer big enough. */
static void hx_inet_attr(struct nlmsghdr *h, int type, const void *data,
			 size_t len)
{
	struct rtattr *attr =
	    (struct rtattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));

	attr->rta_type = (unsigned short)type;
	attr->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(attr), data, len);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(attr->rta_len);
}

/* The kernel makes an address just added fully usable a moment later,
 * from a work queue: until then a connection to it may lose its SYN and
 * fail a second later with ENETUNREACH, the more often the busier the
 * machine. Waits until a TCP connect from the address to a port of its
 * own that nobody listens on is refused, as it is once the address
 * works. 0, or -1 after HX_INET_USABLE_MS. */
static int hx_inet_wait_usable(int family, const unsigned char *bytes)
{
	struct sockaddr_storage addr;
	socklen_t len;
	int64_t deadline = hx_deadline(HX_INET_USABLE_MS);
	int attempt = 0;

	memset(&addr, 0, sizeof(addr));
	addr.ss_family = (sa_family_t)family;
	if (family == AF_INET6) {
		memcpy(&((struct sockaddr_in6 *)&addr)->sin6_addr, bytes, 16);
		len = sizeof(struct sockaddr_in6);
	} else {
		memcpy(&((struct sockaddr_in *)&addr)->sin_addr, bytes, 4);
		len = sizeof(struct sockaddr_in);
	}
	for (;;) {
		/* closed: bound to a port of the address, never listening */
		int closed = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int probe = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		struct sockaddr_storage to = addr;
		socklen_t to_len = len;
		int refused = 0;

		if (closed >= 0 && probe >= 0 &&
		    bind(closed, (struct sockaddr *)&addr, len) == 0 &&
		    getsockname(closed, (struct sockaddr *)&to, &to_len) == 0 &&
		    bind(probe, (struct sockaddr *)&addr, len) == 0 &&
		    connect(probe, (struct sockaddr *)&to, to_len) < 0)
			refused = errno == ECONNREFUSED;
		if (closed >= 0)
			close(closed);
		if (probe >= 0)
			close(probe);
		if (refused)
			return 0;
		if (hx_remaining_ms(deadline) <= 0)
			return -1;
		hx_backoff(&attempt, deadline);
	}
}

int hx_loopback_add(struct hx_check *c, const char *address)
{
	union {
		struct nlmsghdr hdr; /* the request's header */
		char bytes[256];     /* header, ifaddrmsg, attributes */
	} msg;
	unsigned char bytes[16];
	struct ifaddrmsg *ifa;
	int family = strchr(address, ':') ? AF_INET6 : AF_INET;
	unsigned index = if_nametoindex("lo");
	int rc;

	if (!c->isolated)
		return hx_skip(c,
			       "needs a network namespace of its own to add "
			       "%s to loopback, and this machine allows "
			       "none",
			       address);
	if (inet_pton(family, address, bytes) != 1 || index == 0)
		return hx_fail(c, HX_ERROR, "bad loopback address %s", address);
	memset(&msg, 0, sizeof(msg));
	msg.hdr.nlmsg_len = NLMSG_LENGTH(sizeof(*ifa));
	msg.hdr.nlmsg_type = RTM_NEWADDR;
	msg.hdr.nlmsg_flags =
	    NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
	msg.hdr.nlmsg_seq = 1;
	ifa = NLMSG_DATA(&msg.hdr);
	ifa->ifa_family = (unsigned char)family;
	ifa->ifa_prefixlen = family == AF_INET6 ? 128 : 32;
	ifa->ifa_flags = IFA_F_NODAD; /* usable at once */
	ifa->ifa_scope = RT_SCOPE_HOST;
	ifa->ifa_index = index;
	hx_inet_attr(&msg.hdr, IFA_LOCAL, bytes, family == AF_INET6 ? 16 : 4);
	hx_inet_attr(&msg.hdr, IFA_ADDRESS, bytes, family == AF_INET6 ? 16 : 4);
	rc = hx_inet_netlink(&msg.hdr);
	if (rc != 0)
		return hx_fail(c, HX_ERROR, "add %s to loopback: %s", address,
			       strerror(rc));
	if (hx_inet_wait_usable(family, bytes) < 0)
		return hx_fail(c, HX_ERROR,
			       "added %s to loopback, but it took no "
			       "connection within %.1f s",
			       address, HX_INET_USABLE_MS / 1000.0);
	hx_recordf(c, 0, "added %s to loopback", address);
	return 0;
}

int hx_net_sysctl(struct hx_check *c, const char *name, const char *value)
{
	char path[256];
	ssize_t n = -1;
	int fd;

	if (!c->isolated)
		return hx_skip(c,
			       "needs a network namespace of its own to set "
			       "net.%s, and this machine allows none",
			       name);
	snprintf(path, sizeof(path), "/proc/sys/net/%s", name);
	for (char *dot = path; (dot = strchr(dot, '.'));)
		*dot = '/';
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = write(fd, value, strlen(value));
		if (close(fd) < 0)
			n = -1;
	}
	if (n != (ssize_t)strlen(value))
		return hx_skip(c, "cannot set net.%s in this sandbox: %s", name,
			       strerror(errno));
	hx_recordf(c, 0, "set net.%s to %s", name, value);
	return 0;
}

/* Counts the lines of a /proc/net/tcp table in TCP_LISTEN whose inode
 * is one of inodes. */
static int hx_count_listening(const char *table, const unsigned long *inodes,
			      int n)
{
	char line[512];
	FILE *f = fopen(table, "re");
	int count = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long inode;
		unsigned state;

		if (sscanf(line, " %*d: %*s %*s %x %*s %*s %*s %*s %*s %lu",
			   &state, &inode) != 2 ||
		    state != HX_TCP_LISTEN)
			continue;
		for (int i = 0; i < n; i++)
			count += inodes[i] == inode;
	}
	fclose(f);
	return count;
}

int hx_proc_socket_inodes(const struct hx_proc *p, unsigned long *inodes,
			  int max)
{
	char dir[64], link[330], target[64];
	struct dirent *e;
	DIR *fds;
	int n = 0;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)p->pid);
	fds = opendir(dir);
	if (!fds)
		return 0;
	while ((e = readdir(fds)) && n < max) {
		ssize_t len;

		snprintf(link, sizeof(link), "%s/%s", dir, e->d_name);
		len = readlink(link, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		if (sscanf(target, "socket:[%lu]", &inodes[n]) == 1)
			n++;
	}
	closedir(fds);
	return n;
}

int hx_proc_tcp_listeners(struct hx_proc *p, int *ipv4, int *ipv6)
{
	unsigned long inodes[HX_INET_MAX_INODES];
	int n;

	if (!hx_proc_running(p))
		return -1;
	n = hx_proc_socket_inodes(p, inodes, HX_INET_MAX_INODES);
	*ipv4 = hx_count_listening("/proc/net/tcp", inodes, n);
	*ipv6 = hx_count_listening("/proc/net/tcp6", inodes, n);
	return 0;
}
