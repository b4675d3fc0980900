/* lookup_lib.c - the five lookups: our own name, name to addresses,
 * address to name, service to port, and port to service.
 *
 * Each function is the C form of a call from the lecture:
 *
 *	socket.gethostname()          gethostname()
 *	socket.gethostbyname(name)    getaddrinfo()  (IPv4 and IPv6)
 *	socket.gethostbyaddr(addr)    getnameinfo()  (IPv4 and IPv6)
 *	socket.getservbyname(n, p)    getservbyname()
 *	socket.getservbyport(n, p)    getservbyport()
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lookup.h"

/* Writes the address in ai as text ("10.1.2.3", "fd00::1") into out.
 * Returns 0, or -1 for a family we do not print. */
static int address_text(const struct addrinfo *ai, char *out, size_t size)
{
	const void *addr;

	/* The address bytes sit in a different place for each family:
	 * sin_addr inside a sockaddr_in, sin6_addr inside a sockaddr_in6. */
	if (ai->ai_family == AF_INET) {
		const struct sockaddr_in *v4 =
		    (const struct sockaddr_in *)ai->ai_addr;
		addr = &v4->sin_addr;
	} else if (ai->ai_family == AF_INET6) {
		const struct sockaddr_in6 *v6 =
		    (const struct sockaddr_in6 *)ai->ai_addr;
		addr = &v6->sin6_addr;
	} else {
		return -1;
	}

	/* inet_ntop turns the binary address into the usual text form. */
	if (inet_ntop(ai->ai_family, addr, out, (socklen_t)size) == NULL)
		return -1;
	return 0;
}

/* Returns 1 if an entry before ai in the list (which starts at first)
 * holds the same address as ai. */
static int seen_before(const struct addrinfo *first, const struct addrinfo *ai)
{
	char mine[INET6_ADDRSTRLEN];
	char other[INET6_ADDRSTRLEN];
	const struct addrinfo *p;

	if (address_text(ai, mine, sizeof mine) < 0)
		return 0;

	/* getaddrinfo returns one entry per socket type (stream, datagram,
	 * raw) for each address, so the same address comes back up to three
	 * times: compare with every entry printed before this one. */
	for (p = first; p != ai; p = p->ai_next) {
		if (address_text(p, other, sizeof other) == 0 &&
		    strcmp(mine, other) == 0)
			return 1;
	}
	return 0;
}

/* Prints every distinct address of host, one per line, in the order
 * getaddrinfo returns them. */
static int print_addresses(const char *host)
{
	struct addrinfo hints;
	struct addrinfo *res;
	struct addrinfo *ai;
	char text[INET6_ADDRSTRLEN];
	int rc;

	/* Ask for any family (IPv4 and IPv6) and any socket type. */
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;

	/* We want addresses only, no service: the second argument is NULL. */
	rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc != 0) {
		/* getaddrinfo does not set errno: gai_strerror explains rc. */
		fprintf(stderr, "lookup: %s: getaddrinfo: %s\n", host,
			gai_strerror(rc));
		return LOOKUP_ERROR;
	}

	/* Walk the linked list of results, skipping repeated addresses. */
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (seen_before(res, ai))
			continue;
		if (address_text(ai, text, sizeof text) == 0)
			printf("%s\n", text);
	}

	/* The list was allocated by getaddrinfo: give it back. */
	freeaddrinfo(res);
	return LOOKUP_OK;
}

int lookup_self(void)
{
	char host[256];

	/* gethostname may leave the name unterminated when it is cut short,
	 * so pass one byte less and terminate it ourselves. */
	if (gethostname(host, sizeof host - 1) < 0) {
		fprintf(stderr, "lookup: gethostname: %s\n", strerror(errno));
		return LOOKUP_ERROR;
	}
	host[sizeof host - 1] = '\0';

	/* First line: the name; then the addresses, as for "lookup name". */
	printf("%s\n", host);
	return print_addresses(host);
}

int lookup_name(const char *host)
{
	return print_addresses(host);
}

int lookup_addr(const char *address)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	char name[NI_MAXHOST];
	int rc;

	/* sockaddr_storage is big enough for either family; start from zero. */
	memset(&ss, 0, sizeof ss);

	/* Try the text as an IPv4 address, then as an IPv6 address. The
	 * length we hand to getnameinfo must match the family's struct. */
	if (inet_pton(AF_INET, address, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		len = sizeof *v4;
	} else if (inet_pton(AF_INET6, address, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		len = sizeof *v6;
	} else {
		fprintf(stderr, "lookup: not an IPv4 or IPv6 address: %s\n",
			address);
		return LOOKUP_USAGE;
	}

	/* NI_NAMEREQD: fail when the address has no name, instead of
	 * quietly handing back the address itself as text. We want no
	 * service name, so serv is NULL with length 0. */
	rc = getnameinfo((struct sockaddr *)&ss, len, name, sizeof name, NULL,
			 0, NI_NAMEREQD);
	if (rc != 0) {
		fprintf(stderr, "lookup: %s: getnameinfo: %s\n", address,
			gai_strerror(rc));
		return LOOKUP_ERROR;
	}

	printf("%s\n", name);
	return LOOKUP_OK;
}

/* The "/PROTOCOL" part of an error message ("/tcp"), or "" for a lookup
 * over any protocol. */
static const char *protocol_suffix(const char *protocol, char *out,
				   size_t size)
{
	if (protocol == NULL)
		return "";
	snprintf(out, size, "/%s", protocol);
	return out;
}

int lookup_service(const char *name, const char *protocol)
{
	struct servent *service;
	char suffix[16];

	/* getservbyname reads /etc/services; NULL means no such entry. A
	 * NULL protocol matches an entry of any protocol: the first one. */
	service = getservbyname(name, protocol);
	if (service == NULL) {
		fprintf(stderr,
			"lookup: %s%s: getservbyname: unknown service\n", name,
			protocol_suffix(protocol, suffix, sizeof suffix));
		return LOOKUP_ERROR;
	}

	/* s_port is in network byte order: ntohs turns it into a number. */
	printf("%d\n", ntohs((uint16_t)service->s_port));
	return LOOKUP_OK;
}

int lookup_port(int port, const char *protocol)
{
	struct servent *service;
	char suffix[16];

	/* getservbyport wants the port in network byte order: htons. A
	 * NULL protocol matches an entry of any protocol: the first one. */
	service = getservbyport((int)htons((uint16_t)port), protocol);
	if (service == NULL) {
		fprintf(stderr, "lookup: %d%s: getservbyport: unknown port\n",
			port, protocol_suffix(protocol, suffix, sizeof suffix));
		return LOOKUP_ERROR;
	}

	/* s_name is the official name; aliases (s_aliases) are not printed. */
	printf("%s\n", service->s_name);
	return LOOKUP_OK;
}
