/* lookup.c - the command line of the lookup tool.
 *
 *	lookup self                     this machine's name and addresses
 *	lookup name HOST                every address of HOST
 *	lookup addr ADDRESS             the name of an IPv4 or IPv6 address
 *	lookup service NAME [tcp|udp]   the port of a service
 *	lookup port NUMBER [tcp|udp]    the service on a port
 *
 * With no protocol, service and port take the first entry of
 * /etc/services that matches, whatever its protocol: the C form of the
 * lecture's getservbyname('domain') and getservbyport(53).
 *
 * Results go to stdout, problems to stderr. Exit status: 0 success,
 * 1 usage error, 2 the lookup failed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lookup.h"

int print_usage(void)
{
	/* One "usage:" line, then the other forms lined up under it. */
	fprintf(stderr, "usage: lookup self\n"
			"       lookup name HOST\n"
			"       lookup addr ADDRESS\n"
			"       lookup service NAME [tcp|udp]\n"
			"       lookup port NUMBER [tcp|udp]\n");
	return LOOKUP_USAGE;
}

int parse_port(const char *text)
{
	char *end;
	long value;

	/* The text must start with a digit: strtol alone would also take
	 * leading spaces and a sign (" 80", "-1"), which are not ports. */
	if (text[0] < '0' || text[0] > '9')
		return -1;

	/* strtol says where the number stopped (end): it must stop at the
	 * end of the text, so "80x" is refused. errno catches overflow. */
	errno = 0;
	value = strtol(text, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;

	/* A port is a 16-bit number. */
	if (value > 65535)
		return -1;
	return (int)value;
}

int is_protocol(const char *text)
{
	/* getservbyname and getservbyport accept any name from
	 * /etc/protocols; this tool only offers the two the lab uses, as
	 * /etc/services writes them: in lowercase ("TCP" matches nothing). */
	return strcmp(text, "tcp") == 0 || strcmp(text, "udp") == 0;
}

int main(int argc, char *argv[])
{
	const char *command;
	const char *protocol;
	int port;
	int status;

	/* The first argument names the lookup; the rest are its arguments. */
	if (argc < 2)
		return print_usage();
	command = argv[1];

	/* service and port take an optional fourth argument, the protocol.
	 * Without it, protocol is NULL, which getservbyname and
	 * getservbyport read as "any protocol". (No other command takes a
	 * fourth argument, so a bad one is a usage error whatever the
	 * command.) */
	protocol = argc == 4 ? argv[3] : NULL;
	if (protocol != NULL && !is_protocol(protocol))
		return print_usage();

	if (strcmp(command, "self") == 0 && argc == 2) {
		status = lookup_self();
	} else if (strcmp(command, "name") == 0 && argc == 3) {
		status = lookup_name(argv[2]);
	} else if (strcmp(command, "addr") == 0 && argc == 3) {
		status = lookup_addr(argv[2]);
	} else if (strcmp(command, "service") == 0 &&
		   (argc == 3 || argc == 4)) {
		status = lookup_service(argv[2], protocol);
	} else if (strcmp(command, "port") == 0 && (argc == 3 || argc == 4)) {
		/* Check the number before any lookup happens. */
		port = parse_port(argv[2]);
		if (port < 0)
			return print_usage();
		status = lookup_port(port, protocol);
	} else {
		/* An unknown command, or the wrong number of arguments. */
		return print_usage();
	}

	/* A lookup that found its argument malformed asks for the usage. */
	if (status == LOOKUP_USAGE)
		return print_usage();
	return status;
}
