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
 *
 * Print results on stdout with printf, problems on stderr with fprintf,
 * and return LOOKUP_OK, LOOKUP_USAGE or LOOKUP_ERROR (see lookup.h).
 * You may add static helper functions to this file.
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

int lookup_self(void)
{
	/* TODO: get this machine's name with gethostname(buf, sizeof buf - 1)
	 * into a char buf[256], then set buf[sizeof buf - 1] = '\0' (the
	 * name is not terminated when it was cut short). On failure print
	 * "lookup: gethostname: <strerror(errno)>" on stderr and return
	 * LOOKUP_ERROR. Print the name on its own line, then print its
	 * addresses exactly as lookup_name does (share a helper). */
	return LOOKUP_OK;
}

int lookup_name(const char *host)
{
	/* TODO: resolve host with getaddrinfo(host, NULL, &hints, &res),
	 * hints zeroed with memset and hints.ai_family = AF_UNSPEC so both
	 * IPv4 and IPv6 come back (leave ai_flags 0).
	 * - on failure (return value rc != 0) print
	 *   "lookup: HOST: getaddrinfo: <gai_strerror(rc)>" on stderr and
	 *   return LOOKUP_ERROR;
	 * - walk the list with ai = ai->ai_next; turn each address into text
	 *   with inet_ntop: &((struct sockaddr_in *)ai->ai_addr)->sin_addr
	 *   for AF_INET, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr
	 *   for AF_INET6, into a char[INET6_ADDRSTRLEN];
	 * - print each address once, in list order: the same address comes
	 *   back once per socket type, and again when the name is listed on
	 *   several lines of /etc/hosts, so skip one already printed. A name
	 *   may have any number of addresses: compare with the entries
	 *   before this one in the list itself rather than keep a table of
	 *   a fixed size;
	 * - freeaddrinfo(res) at the end and return LOOKUP_OK. */
	(void)host;
	return LOOKUP_OK;
}

int lookup_addr(const char *address)
{
	/* TODO: zero a struct sockaddr_storage. Fill it with inet_pton as a
	 * struct sockaddr_in (AF_INET, sin_addr, length sizeof(struct
	 * sockaddr_in)) or, if that fails, as a struct sockaddr_in6
	 * (AF_INET6, sin6_addr, length sizeof(struct sockaddr_in6)).
	 * Neither: print "lookup: not an IPv4 or IPv6 address: ADDRESS" on
	 * stderr and return LOOKUP_USAGE.
	 * Then getnameinfo(sa, length, name, sizeof name, NULL, 0,
	 * NI_NAMEREQD) with char name[NI_MAXHOST]: NI_NAMEREQD makes it fail
	 * for an address without a name instead of returning the address.
	 * On failure print "lookup: ADDRESS: getnameinfo: <gai_strerror(rc)>"
	 * and return LOOKUP_ERROR; else print the name and return LOOKUP_OK. */
	(void)address;
	return LOOKUP_OK;
}

int lookup_service(const char *name, const char *protocol)
{
	/* TODO: getservbyname(name, protocol); protocol may be NULL (any
	 * protocol: the first entry that matches). NULL result: print
	 * "lookup: NAME/PROTOCOL: getservbyname: unknown service" on stderr
	 * ("lookup: NAME: ..." when protocol is NULL: printf must never get
	 * a NULL for %s) and return LOOKUP_ERROR. Else print the port as a
	 * decimal number: s_port is in network byte order, so print
	 * ntohs(s_port). */
	(void)name;
	(void)protocol;
	return LOOKUP_OK;
}

int lookup_port(int port, const char *protocol)
{
	/* TODO: getservbyport(htons(port), protocol): the port must be in
	 * network byte order; protocol may be NULL (any protocol). NULL
	 * result: print "lookup: PORT/PROTOCOL: getservbyport: unknown port"
	 * on stderr ("lookup: PORT: ..." when protocol is NULL) and return
	 * LOOKUP_ERROR. Else print the official name, s_name. */
	(void)port;
	(void)protocol;
	return LOOKUP_OK;
}
