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
	/* Given: the usage text from the handout. Call it for every
	 * command line that is wrong, and return what it returns. */
	fprintf(stderr, "usage: lookup self\n"
			"       lookup name HOST\n"
			"       lookup addr ADDRESS\n"
			"       lookup service NAME [tcp|udp]\n"
			"       lookup port NUMBER [tcp|udp]\n");
	return LOOKUP_USAGE;
}

int parse_port(const char *text)
{
	/* TODO: return the number written in text if it is a whole port
	 * number 0..65535 made only of digits, else -1.
	 * - refuse text that does not start with a digit (strtol would
	 *   accept " 80" and "-1");
	 * - convert with strtol(text, &end, 10) after setting errno = 0;
	 * - refuse it when errno != 0 or *end != '\0' ("80x");
	 * - refuse values above 65535. */
	(void)text;
	return -1;
}

int is_protocol(const char *text)
{
	/* TODO: return 1 if text is exactly "tcp" or "udp" (strcmp: in
	 * lowercase, as /etc/services writes them; "TCP" is refused),
	 * else 0. */
	(void)text;
	return 0;
}

int main(int argc, char *argv[])
{
	/* TODO: choose the lookup from argv[1] and check the argument count:
	 *   "self"    argc == 2       -> lookup_self()
	 *   "name"    argc == 3       -> lookup_name(argv[2])
	 *   "addr"    argc == 3       -> lookup_addr(argv[2])
	 *   "service" argc == 3 or 4  -> lookup_service(argv[2], protocol)
	 *   "port"    argc == 3 or 4  -> lookup_port(port, protocol), when
	 *                                port = parse_port(argv[2]) is not -1
	 * where protocol is argv[3] when argc == 4 (and is_protocol says
	 * it is one), and NULL when argc == 3: NULL asks getservbyname and
	 * getservbyport for any protocol, as the lecture's calls do.
	 * Anything else (no command, unknown command, wrong count, a bad
	 * port or protocol) is a usage error: return print_usage().
	 * When a lookup returns LOOKUP_USAGE, also return print_usage();
	 * otherwise return the status the lookup returned. */
	(void)argc;
	(void)argv;
	return 0;
}
