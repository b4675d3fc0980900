/* 01-lookup.c - lab 01: names, addresses and services.
 *
 * Every check but the usage one runs lookup in a sandbox whose /etc/hosts,
 * /etc/services, /etc/nsswitch.conf and hostname are the fixtures below,
 * so the answers are exact and no check touches the network. The names
 * and numbers are made up on purpose: neither a hard-coded answer nor a
 * real DNS server can produce them.
 *
 * A check is a list of cases: a command line, the exit status it must end
 * with, its exact stdout, and texts its stderr must contain. A case that
 * must succeed also leaves stderr empty; one that must fail prints nothing
 * on stdout. The rules of the handout and the case behind each are listed
 * in rules/01-lookup.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sl_lab.h"

/* Deadline of one lookup run: a lookup in local files takes milliseconds. */
#define RUN_MS 2000
/* Deadline of a check: a handful of runs plus the sandbox's setup. */
#define CHECK_MS 8000
/* Deadline of a check that runs the sanitizer builds. */
#define SANITIZED_CHECK_MS 15000

#define FIXTURE_HOSTNAME "workstation-17"
/* 64 characters, HOST_NAME_MAX: the longest hostname Linux allows. A
 * buffer of 64 bytes has no room for its terminating NUL. */
#define LONG_HOSTNAME                                                          \
	"room-214-workstation-17-of-the-network-programming-lab-east-wing"

/* lots.lab: LOTS_V4 + LOTS_V6 addresses, more than any fixed table a
 * student might size "big enough"; some listed twice, far apart. */
#define LOTS_V4 60
#define LOTS_V6 40
#define LOTS_REPEAT                                                            \
	10 /* every tenth IPv4 address comes back on a later line              \
	    */
/* nine.lab: one address more than a table of eight. */
#define NINE 9

/* The most arguments a case passes after "lookup". */
#define MAX_ARGS 5

/* The machine's world. fileserver.lab is listed on four lines, one an
 * alias line that repeats 10.1.2.4, so getaddrinfo returns that address
 * twice even for a single socket type. The generated lines for nine.lab
 * and lots.lab follow (see hosts_fixture). */
static const char fixture_hosts[] =
    "127.0.0.1\tlocalhost\n"
    "::1\t\tlocalhost ip6-localhost ip6-loopback\n"
    "10.1.2.77\tworkstation-17.lab " FIXTURE_HOSTNAME "\n"
    "fd00:1:2::77\tworkstation-17.lab " FIXTURE_HOSTNAME "\n"
    "10.1.2.78\t" LONG_HOSTNAME "\n"
    "10.1.2.3\tfileserver.lab fileserver\n"
    "10.1.2.4\tfileserver.lab\n"
    "10.1.2.5\tfileserver.lab\n"
    "10.1.2.4\tbackup.lab fileserver.lab\n"
    "10.1.2.9\tdualstack.lab\n"
    "fd00:1:2::9\tdualstack.lab\n"
    "fd00:1:2::3\tprinter.lab\n";

/* The lecture's services, two pairs where tcp and udp differ, a service
 * listed over udp only, and the ends of the port range. */
static const char fixture_services[] = "tcpmux\t\t1/tcp\n"
				       "discard\t\t9/tcp\t\tsink null\n"
				       "discard\t\t9/udp\t\tsink null\n"
				       "smtp\t\t25/tcp\t\tmail\n"
				       "domain\t\t53/tcp\n"
				       "domain\t\t53/udp\n"
				       "http\t\t80/tcp\t\twww\n"
				       "labquiz\t\t4321/tcp\n"
				       "labquiz\t\t4322/udp\n"
				       "sl-report\t7001/tcp\n"
				       "sl-beacon\t7001/udp\n"
				       "sl-top\t\t65535/tcp\n";

/* Files only: no DNS server is asked, whatever the machine's setup. An
 * unknown name then fails with EAI_NONAME. */
static const char fixture_nsswitch[] = "passwd: files\n"
				       "group: files\n"
				       "hosts: files\n"
				       "networks: files\n"
				       "protocols: files\n"
				       "services: files\n";

/* Files, then a DNS server where nothing listens (the sandbox has no
 * network but loopback): a name not in the files fails with EAI_AGAIN at
 * once, and its gai_strerror text is not that of EAI_NONAME. */
static const char fixture_nsswitch_dns[] = "passwd: files\n"
					   "group: files\n"
					   "hosts: files dns\n"
					   "networks: files\n"
					   "protocols: files\n"
					   "services: files\n";
static const char fixture_resolv[] = "nameserver 127.0.0.1\n"
				     "options timeout:1 attempts:1\n";

/* gai_strerror's texts for the two failures the checks provoke. */
#define TEXT_EAI_NONAME "Name or service not known"
#define TEXT_EAI_AGAIN	"Temporary failure in name resolution"

#include "support/01-lookup-cases.c"

static void check_self(struct hx_check *c)
{
	/* the one check that renames the machine: where fixtures go in
	 * place (no UTS namespace) it is skipped, with the reason */
	if (hx_fixture_hostname(c, FIXTURE_HOSTNAME) < 0 ||
	    run_cases(c, FILES_ONLY, self_cases, SL_COUNT(self_cases)) < 0 ||
	    hx_fixture_hostname(c, LONG_HOSTNAME) < 0)
		return;
	hx_recordf(c, 0, "hostname set to %s (%zu characters)", LONG_HOSTNAME,
		   strlen(LONG_HOSTNAME));
	run_cases(c, NO_FIXTURES, self_long_cases, SL_COUNT(self_long_cases));
}

static const struct lookup_case name_many_cases[] = {
    {.args = {"name", "fileserver.lab"},
     .out = "10.1.2.3\n10.1.2.4\n10.1.2.5\n",
     .order = ANY_ORDER},
};

/* nine.lab and lots.lab, in the sanitizer build with leak checking: an
 * address table with a fixed size overflows (AddressSanitizer), and a
 * list never given back to freeaddrinfo is a leak. */
static void check_name_lots(struct hx_check *c)
{
	struct hx_buf hosts, nine, lots;
	struct lookup_case cases[] = {
	    {.args = {"name", "nine.lab"}, .order = ANY_ORDER},
	    {.args = {"name", "lots.lab"}, .order = ANY_ORDER},
	};

	hx_buf_init(&hosts);
	hx_buf_init(&nine);
	hx_buf_init(&lots);
	hosts_fixture(&hosts, &nine, &lots);
	cases[0].out = nine.data;
	cases[1].out = lots.data;
	run_cases(c, FILES_ONLY, cases, SL_COUNT(cases));
	hx_buf_free(&lots);
	hx_buf_free(&nine);
	hx_buf_free(&hosts);
}

static const struct lookup_case name_dual_cases[] = {
    {.args = {"name", "dualstack.lab"},
     .out = "10.1.2.9\nfd00:1:2::9\n",
     .order = ANY_ORDER},
};

static const struct lookup_case name_v6_literal_cases[] = {
    {.args = {"name", "FD00:0001:0002:0:0:0:0:0003"},
     .out = "fd00:1:2::3\n",
     .order = SAME_ORDER},
};

/* Files only: EAI_NONAME. */
static const struct lookup_case name_unknown_cases[] = {
    {.args = {"name", "nowhere.lab"},
     .status = 2,
     .out = "",
     .err_has = {"nowhere.lab", TEXT_EAI_NONAME}},
};

/* A DNS server that never answers: EAI_AGAIN. */
static const struct lookup_case name_dns_down_cases[] = {
    {.args = {"name", "nowhere.lab"},
     .status = 2,
     .out = "",
     .err_has = {"nowhere.lab", TEXT_EAI_AGAIN}},
};

/* Notes, after a failure in the DEAD_DNS world, why the reason differs. */
static void note_dead_dns(struct hx_check *c)
{
	hx_note(c,
		"this run's /etc/nsswitch.conf says \"hosts: files dns\" "
		"and nothing answers at the nameserver 127.0.0.1: the "
		"lookup fails with EAI_AGAIN, whose text is \"" TEXT_EAI_AGAIN
		"\"");
}

static void check_name_unknown(struct hx_check *c)
{
	if (run_cases(c, FILES_ONLY, name_unknown_cases,
		      SL_COUNT(name_unknown_cases)) == 0 &&
	    run_cases(c, DEAD_DNS, name_dns_down_cases,
		      SL_COUNT(name_dns_down_cases)) < 0)
		note_dead_dns(c);
}

static const struct lookup_case addr_v4_cases[] = {
    {.args = {"addr", "10.1.2.3"}, .out = "fileserver.lab\n"},
    {.args = {"addr", "10.1.2.77"}, .out = "workstation-17.lab\n"},
};

static const struct lookup_case addr_v6_cases[] = {
    {.args = {"addr", "fd00:1:2:0:0:0:0:3"}, .out = "printer.lab\n"},
    {.args = {"addr", "FD00:1:2::9"}, .out = "dualstack.lab\n"},
};

static const struct lookup_case addr_unknown_cases[] = {
    {.args = {"addr", "10.9.9.9"},
     .status = 2,
     .out = "",
     .err_has = {"10.9.9.9", TEXT_EAI_NONAME}},
    {.args = {"addr", "fd00:1:2::99"},
     .status = 2,
     .out = "",
     .err_has = {"fd00:1:2::99", TEXT_EAI_NONAME}},
};

static const struct lookup_case addr_dns_down_cases[] = {
    {.args = {"addr", "10.9.9.9"},
     .status = 2,
     .out = "",
     .err_has = {"10.9.9.9", TEXT_EAI_AGAIN}},
};

static void check_addr_unknown(struct hx_check *c)
{
	if (run_cases(c, FILES_ONLY, addr_unknown_cases,
		      SL_COUNT(addr_unknown_cases)) == 0 &&
	    run_cases(c, DEAD_DNS, addr_dns_down_cases,
		      SL_COUNT(addr_dns_down_cases)) < 0)
		note_dead_dns(c);
}

static const struct lookup_case port_lecture_cases[] = {
    {.args = {"port", "80", "tcp"}, .out = "http\n"},
    {.args = {"port", "25", "tcp"}, .out = "smtp\n"},
    {.args = {"port", "53", "udp"}, .out = "domain\n"},
};

/* The lecture's calls, getservbyname('domain') and getservbyport(53),
 * with no protocol: the first entry of /etc/services that matches. The
 * other cases tell NULL from a default of "tcp" or "udp". */
static const struct lookup_case any_protocol_cases[] = {
    {.args = {"service", "domain"}, .out = "53\n"},
    {.args = {"port", "53"}, .out = "domain\n"},
    {.args = {"service", "sl-beacon"}, .out = "7001\n"},
    {.args = {"port", "4322"}, .out = "labquiz\n"},
    {.args = {"service", "labquiz"}, .out = "4321\n"},
    {.args = {"port", "7001"}, .out = "sl-report\n"},
    {.args = {"service", "gopherx"},
     .status = 2,
     .out = "",
     .err_has = {"gopherx"}},
    {.args = {"port", "6001"}, .status = 2, .out = "", .err_has = {"6001"}},
};

static const struct lookup_case port_udp_cases[] = {
    {.args = {"port", "7001", "udp"}, .out = "sl-beacon\n"},
    {.args = {"port", "7001", "tcp"}, .out = "sl-report\n"},
};

/* Ports at the ends of 0..65535 and written with leading zeros: each is
 * a port, so each is looked up (port 0 names no service: exit 2). */
static const struct lookup_case port_limits_cases[] = {
    {.args = {"port", "1", "tcp"}, .out = "tcpmux\n"},
    {.args = {"port", "9", "udp"}, .out = "discard\n"},
    {.args = {"port", "65535", "tcp"}, .out = "sl-top\n"},
    {.args = {"port", "0080", "tcp"}, .out = "http\n"},
    {.args = {"port", "0", "tcp"}, .status = 2, .out = ""},
};

static const struct lookup_case service_port_cases[] = {
    {.args = {"service", "http", "tcp"}, .out = "80\n"},
    {.args = {"service", "smtp", "tcp"}, .out = "25\n"},
    {.args = {"service", "labquiz", "tcp"}, .out = "4321\n"},
    {.args = {"service", "labquiz", "udp"}, .out = "4322\n"},
    {.args = {"service", "www", "tcp"}, .out = "80\n"},
    {.args = {"service", "sl-top", "tcp"}, .out = "65535\n"},
};

static const struct lookup_case service_unknown_cases[] = {
    {.args = {"service", "gopherx", "tcp"},
     .status = 2,
     .out = "",
     .err_has = {"gopherx"}},
    {.args = {"service", "sl-beacon", "tcp"},
     .status = 2,
     .out = "",
     .err_has = {"sl-beacon"}},
    {.args = {"port", "6001", "tcp"},
     .status = 2,
     .out = "",
     .err_has = {"6001"}},
};

/* Defines a usage case: the arguments, exit status 1, nothing on stdout,
 * a usage line on stderr. */
#define USAGE(...)                                                             \
	{                                                                      \
		.args = {__VA_ARGS__}, .status = 1, .out = "", .err_has = {    \
			"usage:"                                               \
		}                                                              \
	}

static const struct lookup_case usage_cases[] = {
    USAGE(NULL),
    USAGE("where", "fileserver.lab"),
    USAGE("self", "extra"),
    USAGE("name"),
    USAGE("name", "fileserver.lab", "extra"),
    USAGE("addr"),
    USAGE("addr", "fileserver.lab"),
    USAGE("addr", "10.1.2.256"),
    USAGE("service"),
    USAGE("service", "http", "tcp", "extra"),
    USAGE("port"),
    USAGE("port", "80", "tcp", "extra"),
    USAGE("port", "http", "tcp"),
    USAGE("port", "65536", "tcp"),
    USAGE("port", "65536"),
    USAGE("port", "-1", "tcp"),
    USAGE("port", "+80", "tcp"),
    USAGE("port", " 80", "tcp"),
    USAGE("port", " 80"),
    USAGE("port", "80 ", "tcp"),
    USAGE("port", "", "tcp"),
    USAGE("port", "80x", "tcp"),
    USAGE("port", "0x50", "tcp"),
    USAGE("port", "4294967376", "tcp"),
    USAGE("port", "99999999999999999999", "tcp"),
    USAGE("port", "80", "icmp"),
    USAGE("port", "80", "Udp"),
    USAGE("service", "http", "sctp"),
    USAGE("service", "http", "TCP"),
    USAGE("service", "http", ""),
};

CASES_CHECK(check_name_many, FILES_ONLY, name_many_cases)
CASES_CHECK(check_name_dual, FILES_ONLY, name_dual_cases)
CASES_CHECK(check_name_v6_literal, FILES_ONLY, name_v6_literal_cases)
CASES_CHECK(check_addr_v4, FILES_ONLY, addr_v4_cases)
CASES_CHECK(check_addr_v6, FILES_ONLY, addr_v6_cases)
CASES_CHECK(check_port_lecture, FILES_ONLY, port_lecture_cases)
CASES_CHECK(check_any_protocol, FILES_ONLY, any_protocol_cases)
CASES_CHECK(check_port_udp, FILES_ONLY, port_udp_cases)
CASES_CHECK(check_port_limits, FILES_ONLY, port_limits_cases)
CASES_CHECK(check_service_port, FILES_ONLY, service_port_cases)
CASES_CHECK(check_service_unknown, FILES_ONLY, service_unknown_cases)
CASES_CHECK(check_usage, NO_FIXTURES, usage_cases)

/* Deadlines of whole checks (scaled like all deadlines). */
#define BUILD_MS 20000 /* the build */

static const struct sl_check checks[] = {
    {
	.id = "build",
	.title = "lookup builds with no warnings under -Wall -Wextra",
	.points = 10,
	.timeout_ms = BUILD_MS,
	.programs = "lookup",
	.hint = "Read the compiler's first message: it names the file "
		"and line. Unused variables and parameters count as "
		"warnings.",
	.run = NULL,
    },
    {
	.id = "self",
	.title = "self: the hostname and its address, also at 64 "
		 "characters",
	.points = 8,
	.timeout_ms = CHECK_MS,
	.flags = SL_FIXTURES,
	.programs = "lookup",
	.hint = "Call gethostname into a buffer with room for 64 "
		"characters and the NUL (HOST_NAME_MAX + 1; the stub's "
		"256 is fine), terminate it, print it on its own line, "
		"then resolve that name with getaddrinfo and print its "
		"addresses as `lookup name` does.",
	.run = check_self,
    },
    {
	.id = "name-many",
	.title = "name: a name with several IPv4 addresses prints each "
		 "one once",
	.points = 7,
	.timeout_ms = CHECK_MS,
	.flags = SL_FIXTURES,
	.programs = "lookup",
	.hint = "Walk the whole getaddrinfo list (ai = ai->ai_next), "
		"not only the first entry, and skip an address already "
		"printed: it comes back once per socket type and once "
		"per /etc/hosts line that lists it, not always next to "
		"its twin.",
	.run = check_name_many,
    },
    {
	.id = "name-lots",
	.title = "name: 9 and 100 addresses, each once, in bounds, "
		 "list freed",
	.points = 7,
	.timeout_ms = SANITIZED_CHECK_MS,
	.flags = SL_FIXTURES | SL_SANITIZE | SL_LEAKS,
	.programs = "lookup",
	.hint = "A name may have any number of addresses: a table of "
		"addresses seen with a fixed size overflows. Compare "
		"each entry with the entries before it in the list "
		"itself (they are all there until freeaddrinfo), and "
		"give the list back with freeaddrinfo(res) once "
		"printed.",
	.run = check_name_lots,
    },
    {
	.id = "name-dual",
	.title = "name: a name with IPv4 and IPv6 addresses prints both",
	.points = 7,
	.timeout_ms = CHECK_MS,
	.flags = SL_FIXTURES,
	.programs = "lookup",
	.hint = "Set hints.ai_family = AF_UNSPEC (AF_INET hides IPv6) "
		"and print an AF_INET6 entry with inet_ntop(AF_INET6, "
		"&sin6->sin6_addr, ...) into a buffer of "
		"INET6_ADDRSTRLEN bytes.",
	.run = check_name_dual,
    },
    {
	.id = "name-v6-literal",
	.title = "name: an IPv6 literal comes back in its short form",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.flags = SL_FIXTURES,
	.programs = "lookup",
	.hint = "getaddrinfo takes an address literal as a name when "
		"ai_family is AF_UNSPEC; print the address it returns "
		"with inet_ntop (short form), not the argument as "
		"typed.",
	.run = check_name_v6_literal,
    },
    {
	.id = "name-unknown",
	.title = "name: an unknown name: gai_strerror's reason, exit 2",
	.points = 6,
	.timeout_ms = CHECK_MS,
	.flags = SL_FIXTURES,
	.programs = "lookup",
	.hint = "When getaddrinfo returns rc != 0, print the name and "
		"gai_strerror(rc) on stderr (getaddrinfo does not set "
		"errno, so strerror and perror say something else; the "
		"reason is not always \"" TEXT_EAI_NONAME "\"), "
		"nothing on stdout, and exit 2.",
	.run = check_name_unknown,
    },
    {
	.id = "addr-v4",
	.title = "addr: an IPv4 address maps back to its host name",
	.points = 6,
	.timeout_ms = CHECK_MS,
	.flags = SL_FIXTURES,
	.programs = "lookup",
	.hint = "Fill a struct sockaddr_in with inet_pton(AF_INET, "
		"...), pass sizeof(struct sockaddr_in) to getnameinfo "
		"and print the host name it writes (NI_NAMEREQD, not "
		"NI_NUMERICHOST).",
	.run = check_addr_v4,
    },
    {
	.id = "addr-v6",
	.title = "addr: an IPv6 address maps back to its host name",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.flags = SL_FIXTURES,
	.programs = "lookup",
	.hint = "Fill a struct sockaddr_in6 (sin6_family = AF_INET6) "
		"and pass sizeof(struct sockaddr_in6) to getnameinfo: "
		"it refuses a shorter length such as sizeof(struct "
		"sockaddr).",
	.run = check_addr_v6,
    },
    {
	.id = "addr-unknown",
	.title = "addr: an address without a name: gai_strerror's "
		 "reason, exit 2",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.flags = SL_FIXTURES,
	.programs = "lookup",
	.hint = "Pass NI_NAMEREQD to getnameinfo: without it an "
		"address with no name comes back as its own text. On "
		"failure print the address and gai_strerror(rc) on "
		"stderr (not strerror(errno)) and exit 2.",
	.run = check_addr_unknown,
    },
    {
	.id = "port-lecture",
	.title = "port: 80/tcp is http, 25/tcp is smtp, 53/udp is "
		 "domain",
	.points = 6,
	.timeout_ms = CHECK_MS,
	.flags = SL_FIXTURES,
	.programs = "lookup",
	.hint = "getservbyport wants the port in network byte order: "
		"call getservbyport(htons(port), protocol) and print "
		"s_name.",
	.run = check_port_lecture,
    },
    {
	.id = "any-protocol",
	.title = "service, port: no protocol means any (the lecture's "
		 "calls)",
	.points = 6,
	.timeout_ms = CHECK_MS,
	.flags = SL_FIXTURES,
	.programs = "lookup",
	.hint = "The protocol is optional, as in the lecture's "
		"getservbyname('domain') and getservbyport(53): with "
		"three arguments pass NULL as the protocol (not \"tcp\" "
		"or \"udp\"), and getservbyname or getservbyport "
		"returns the first entry of /etc/services that "
		"matches, over any protocol.",
	.run = check_any_protocol,
    },
    {
	.id = "port-udp",
	.title = "port: one port number names different services over "
		 "tcp and udp",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.flags = SL_FIXTURES,
	.programs = "lookup",
	.hint = "Pass the protocol argument (\"tcp\" or \"udp\") on to "
		"getservbyport instead of a fixed \"tcp\".",
	.run = check_port_udp,
    },
    {
	.id = "port-limits",
	.title = "port: 0, 1, 9, 65535 and 0080 are ports, looked up",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.flags = SL_FIXTURES,
	.programs = "lookup",
	.hint = "A port is any number from 0 to 65535 written with "
		"digits only, leading zeros included: test the first "
		"character with '0' <= c && c <= '9', read it with "
		"strtol(text, &end, 10) (base 10: base 0 reads 0080 as "
		"octal), and refuse only values above 65535.",
	.run = check_port_limits,
    },
    {
	.id = "service-port",
	.title = "service: a service name or alias gives its port",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.flags = SL_FIXTURES,
	.programs = "lookup",
	.hint = "s_port from getservbyname is in network byte order: "
		"print ntohs(s_port), and pass the protocol argument "
		"on.",
	.run = check_service_port,
    },
    {
	.id = "service-unknown",
	.title = "service, port: an unknown service or port is an "
		 "error, exit 2",
	.points = 4,
	.timeout_ms = CHECK_MS,
	.flags = SL_FIXTURES,
	.programs = "lookup",
	.hint = "getservbyname and getservbyport return NULL when "
		"nothing matches: test for NULL before using the "
		"result, name the service or port on stderr and exit "
		"2.",
	.run = check_service_unknown,
    },
    {
	.id = "usage",
	.title = "bad command lines print a usage line on stderr, "
		 "exit 1",
	.points = 5,
	.timeout_ms = CHECK_MS,
	.programs = "lookup",
	.hint = "Check argc for each command; accept a port only when "
		"it is digits only (no sign, no space, no 0x) and at "
		"most 65535, read into a long (an int cast turns "
		"4294967376 into 80); accept only tcp or udp, in "
		"lowercase; an addr argument must be an IPv4 or IPv6 "
		"address. Otherwise print the usage lines on stderr "
		"and exit 1.",
	.run = check_usage,
    },
};

static const struct sl_lab lab01 = {
    .number = "01",
    .name = "lookup",
    .title = "Names, addresses and services: a lookup tool",
    .files = {"lookup.c", "lookup_lib.c"},
    .given = {"lookup.h"},
    .programs =
	{
	    {.name = "lookup", .sources = {"lookup.c", "lookup_lib.c"}},
	},
    .checks = checks,
    .nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab01);
