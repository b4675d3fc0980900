/* lookup.h - the lookup tool: names, addresses and services.
 *
 * lookup.c reads the command line and calls one of the lookup_* functions
 * below; lookup_lib.c does the lookups. Each lookup prints its result on
 * stdout, any problem on stderr, and returns the exit status for main.
 * No state is kept between calls: everything lives in local variables.
 */
#ifndef LOOKUP_H
#define LOOKUP_H

/* Exit statuses, the same in every lab. */
enum lookup_status {
	LOOKUP_OK = 0,	  /* the lookup succeeded and printed its result */
	LOOKUP_USAGE = 1, /* the command line was wrong: print the usage */
	LOOKUP_ERROR = 2  /* the lookup itself failed (unknown name, ...) */
};

/* Prints this machine's hostname (gethostname), then its addresses. */
int lookup_self(void);

/* Prints every distinct IPv4 and IPv6 address of host, one per line. */
int lookup_name(const char *host);

/* Prints the host name of a numeric IPv4 or IPv6 address (getnameinfo). */
int lookup_addr(const char *address);

/* Prints the port number of a service name over protocol "tcp" or "udp",
 * or, when protocol is NULL, over any protocol (the first entry that
 * matches). */
int lookup_service(const char *name, const char *protocol);

/* Prints the service name of a port number over protocol "tcp" or "udp",
 * or, when protocol is NULL, over any protocol (the first entry that
 * matches). */
int lookup_port(int port, const char *protocol);

/* Prints the usage lines on stderr and returns LOOKUP_USAGE. */
int print_usage(void);

/* Returns the port number (0..65535) written in text, or -1 if none. */
int parse_port(const char *text);

/* Returns 1 if text names a protocol lookup knows ("tcp" or "udp", in
 * lowercase), else 0. */
int is_protocol(const char *text);

#endif
