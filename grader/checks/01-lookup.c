/* 01-lookup.c - lab 01: names, addresses and services.
 *
 * Every check but the usage one runs lookup in a sandbox whose /etc/hosts,
 * /etc/services, /etc/nsswitch.conf and hostname are the fixtures below,
 * so the answers are exact and no check touches the network. The names
 * and numbers are made up on purpose: neither a hard-coded answer nor a
 * real DNS server can produce them.
 *
 * A check is a list of cases: a command line, the exit status it must end
 * with, its exact stdout, and a text its stderr must contain.
 */
#include <stdio.h>
#include <string.h>

#include "../sl_lab.h"

/* Deadline of one lookup run: a lookup in local files takes milliseconds. */
#define RUN_MS 2000
/* Deadline of a check: a handful of runs plus the sandbox's setup. */
#define CHECK_MS 8000

#define FIXTURE_HOSTNAME "workstation-17"

/* The machine's world. fileserver.lab is listed on four lines, one an
 * alias line that repeats 10.1.2.4, so getaddrinfo returns that address
 * twice even for a single socket type. */
static const char fixture_hosts[] =
	"127.0.0.1\tlocalhost\n"
	"::1\t\tlocalhost ip6-localhost ip6-loopback\n"
	"10.1.2.77\tworkstation-17.lab " FIXTURE_HOSTNAME "\n"
	"10.1.2.3\tfileserver.lab fileserver\n"
	"10.1.2.4\tfileserver.lab\n"
	"10.1.2.5\tfileserver.lab\n"
	"10.1.2.4\tbackup.lab fileserver.lab\n"
	"10.1.2.9\tdualstack.lab\n"
	"fd00:1:2::9\tdualstack.lab\n"
	"fd00:1:2::3\tprinter.lab\n";

/* The lecture's services, and two pairs where tcp and udp differ. */
static const char fixture_services[] =
	"smtp\t\t25/tcp\t\tmail\n"
	"domain\t\t53/tcp\n"
	"domain\t\t53/udp\n"
	"http\t\t80/tcp\t\twww\n"
	"labquiz\t\t4321/tcp\n"
	"labquiz\t\t4322/udp\n"
	"sl-report\t7001/tcp\n"
	"sl-beacon\t7001/udp\n";

/* Files only: no DNS server is asked, whatever the machine's setup. */
static const char fixture_nsswitch[] = "passwd: files\n"
				       "group: files\n"
				       "hosts: files\n"
				       "networks: files\n"
				       "protocols: files\n"
				       "services: files\n";

/* How a case compares stdout. */
enum lookup_order {
	SAME_ORDER, /* stdout is exactly the expected text */
	ANY_ORDER   /* the expected lines, each once, in any order */
};

struct lookup_case {
	const char *args[5];     /* arguments after "lookup", NULL-ended */
	int status;              /* exit status it must end with */
	const char *out;         /* its stdout ("" for nothing) */
	enum lookup_order order; /* how out is compared */
	const char *err_has;     /* text its stderr must contain, or NULL */
};

/* Installs the fixture world; -1 once the check failed or was skipped. */
static int install_fixtures(struct hx_check *c)
{
	if (hx_fixture_file(c, "/etc/hosts", fixture_hosts) < 0 ||
	    hx_fixture_file(c, "/etc/services", fixture_services) < 0 ||
	    hx_fixture_file(c, "/etc/nsswitch.conf", fixture_nsswitch) < 0 ||
	    hx_fixture_hostname(c, FIXTURE_HOSTNAME) < 0)
		return -1;
	return 0;
}

/* Writes the command line of a case ("lookup name fileserver.lab"). */
static void describe_command(const struct lookup_case *lc, char *out,
			     size_t size)
{
	size_t used = (size_t)snprintf(out, size, "lookup");

	for (int i = 0; lc->args[i] && used < size; i++)
		used += (size_t)snprintf(out + used, size - used, " %s",
					 lc->args[i]);
}

/* 1 if line (len bytes, no newline) equals one of the n wanted lines not
 * taken yet; marks that one taken. */
static int take_line(const char *line, size_t len, const char *const *want,
		     int n, int *taken)
{
	for (int i = 0; i < n; i++) {
		if (!taken[i] && strlen(want[i]) == len &&
		    memcmp(want[i], line, len) == 0) {
			taken[i] = 1;
			return 1;
		}
	}
	return 0;
}

/* Compares actual with the lines of expected in any order, each exactly
 * once: getaddrinfo sorts addresses by the system's rules (RFC 6724), so
 * only the set is graded. The expected text is rebuilt in the order the
 * program printed, with missing lines at the end, so that the first
 * difference shown is a real one (a repeat, a stranger, a gap). */
static int expect_lines_any_order(struct hx_check *c, const char *what,
				  const char *expected, const char *actual)
{
	const char *want[16];
	int taken[16] = { 0 };
	char copy[512];
	struct hx_buf order;
	const char *line;
	int n = 0;
	int rc;

	if (!actual)
		actual = "";
	snprintf(copy, sizeof copy, "%s", expected);
	for (char *save, *w = strtok_r(copy, "\n", &save); w && n < 16;
	     w = strtok_r(NULL, "\n", &save))
		want[n++] = w;

	hx_buf_init(&order);
	for (line = actual; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);

		if (take_line(line, len, want, n, taken))
			hx_buf_addf(&order, "%.*s\n", (int)len, line);
		if (!end)
			break;
		line = end + 1;
	}
	for (int i = 0; i < n; i++) {
		if (!taken[i])
			hx_buf_addf(&order, "%s\n", want[i]);
	}
	rc = hx_expect_str(c, what, order.data ? order.data : "", actual);
	hx_buf_free(&order);
	return rc;
}

/* Runs one case; -1 once the check has failed. */
static int run_case(struct hx_check *c, const struct lookup_case *lc)
{
	char command[256];
	char what[320];
	struct hx_proc *p;

	/* The command line is the process's label, so feedback names it. */
	describe_command(lc, command, sizeof command);
	p = hx_start_labelled(c, command, "lookup", lc->args);
	if (!p || hx_proc_expect_exit(c, p, lc->status, RUN_MS) < 0)
		return -1;

	snprintf(what, sizeof what, "stdout of `%s`", command);
	if (lc->order == ANY_ORDER) {
		if (expect_lines_any_order(c, what, lc->out, p->out.data) < 0)
			return -1;
	} else if (hx_expect_str(c, what, lc->out, p->out.data) < 0) {
		return -1;
	}

	snprintf(what, sizeof what, "stderr of `%s`", command);
	if (lc->err_has &&
	    hx_expect_contains(c, what, lc->err_has, p->err.data) < 0)
		return -1;
	return 0;
}

/* Runs every case in order inside the fixture world, or (usage) without
 * it; stops at the first failure. */
static void run_cases(struct hx_check *c, const struct lookup_case *cases,
		      int n, int with_fixtures)
{
	if (with_fixtures && install_fixtures(c) < 0)
		return;
	for (int i = 0; i < n; i++) {
		if (run_case(c, &cases[i]) < 0)
			return;
	}
}

/* Defines the check function fn, which runs the table cases. */
#define CASES_CHECK(fn, cases, with_fixtures)                                \
	static void fn(struct hx_check *c)                                   \
	{                                                                    \
		run_cases(c, cases, SL_COUNT(cases), with_fixtures);         \
	}

static const struct lookup_case self_cases[] = {
	{ { "self" }, 0, FIXTURE_HOSTNAME "\n10.1.2.77\n", SAME_ORDER, NULL },
};

static const struct lookup_case name_many_cases[] = {
	{ { "name", "fileserver.lab" }, 0, "10.1.2.3\n10.1.2.4\n10.1.2.5\n",
	  ANY_ORDER, NULL },
};

static const struct lookup_case name_dual_cases[] = {
	{ { "name", "dualstack.lab" }, 0, "10.1.2.9\nfd00:1:2::9\n", ANY_ORDER,
	  NULL },
};

static const struct lookup_case name_v6_literal_cases[] = {
	{ { "name", "FD00:0001:0002:0:0:0:0:0003" }, 0,
	  "fd00:1:2::3\n", SAME_ORDER, NULL },
};

static const struct lookup_case name_unknown_cases[] = {
	{ { "name", "nowhere.lab" }, 2, "", SAME_ORDER, "nowhere.lab" },
};

static const struct lookup_case addr_v4_cases[] = {
	{ { "addr", "10.1.2.3" }, 0, "fileserver.lab\n", SAME_ORDER, NULL },
	{ { "addr", "10.1.2.77" }, 0, "workstation-17.lab\n", SAME_ORDER,
	  NULL },
};

static const struct lookup_case addr_v6_cases[] = {
	{ { "addr", "fd00:1:2:0:0:0:0:3" }, 0, "printer.lab\n", SAME_ORDER,
	  NULL },
	{ { "addr", "fd00:1:2::9" }, 0, "dualstack.lab\n", SAME_ORDER, NULL },
};

static const struct lookup_case addr_unknown_cases[] = {
	{ { "addr", "10.9.9.9" }, 2, "", SAME_ORDER, "10.9.9.9" },
	{ { "addr", "fd00:1:2::99" }, 2, "", SAME_ORDER, "fd00:1:2::99" },
};

static const struct lookup_case port_lecture_cases[] = {
	{ { "port", "80", "tcp" }, 0, "http\n", SAME_ORDER, NULL },
	{ { "port", "25", "tcp" }, 0, "smtp\n", SAME_ORDER, NULL },
	{ { "port", "53", "udp" }, 0, "domain\n", SAME_ORDER, NULL },
};

static const struct lookup_case port_udp_cases[] = {
	{ { "port", "7001", "udp" }, 0, "sl-beacon\n", SAME_ORDER, NULL },
	{ { "port", "7001", "tcp" }, 0, "sl-report\n", SAME_ORDER, NULL },
};

static const struct lookup_case service_port_cases[] = {
	{ { "service", "http", "tcp" }, 0, "80\n", SAME_ORDER, NULL },
	{ { "service", "smtp", "tcp" }, 0, "25\n", SAME_ORDER, NULL },
	{ { "service", "labquiz", "tcp" }, 0, "4321\n", SAME_ORDER, NULL },
	{ { "service", "labquiz", "udp" }, 0, "4322\n", SAME_ORDER, NULL },
};

static const struct lookup_case service_unknown_cases[] = {
	{ { "service", "gopherx", "tcp" }, 2, "", SAME_ORDER, "gopherx" },
	{ { "service", "sl-beacon", "tcp" }, 2, "", SAME_ORDER, "sl-beacon" },
	{ { "port", "6001", "tcp" }, 2, "", SAME_ORDER, "6001" },
};

static const struct lookup_case usage_cases[] = {
	{ { NULL }, 1, "", SAME_ORDER, "usage:" },
	{ { "where", "fileserver.lab" }, 1, "", SAME_ORDER, "usage:" },
	{ { "name" }, 1, "", SAME_ORDER, "usage:" },
	{ { "service", "http" }, 1, "", SAME_ORDER, "usage:" },
	{ { "port", "http", "tcp" }, 1, "", SAME_ORDER, "usage:" },
	{ { "port", "65536", "tcp" }, 1, "", SAME_ORDER, "usage:" },
	{ { "port", "-1", "tcp" }, 1, "", SAME_ORDER, "usage:" },
	{ { "port", "80", "icmp" }, 1, "", SAME_ORDER, "usage:" },
	{ { "service", "http", "sctp" }, 1, "", SAME_ORDER, "usage:" },
	{ { "addr", "fileserver.lab" }, 1, "", SAME_ORDER, "usage:" },
};

CASES_CHECK(check_self, self_cases, 1)
CASES_CHECK(check_name_many, name_many_cases, 1)
CASES_CHECK(check_name_dual, name_dual_cases, 1)
CASES_CHECK(check_name_v6_literal, name_v6_literal_cases, 1)
CASES_CHECK(check_name_unknown, name_unknown_cases, 1)
CASES_CHECK(check_addr_v4, addr_v4_cases, 1)
CASES_CHECK(check_addr_v6, addr_v6_cases, 1)
CASES_CHECK(check_addr_unknown, addr_unknown_cases, 1)
CASES_CHECK(check_port_lecture, port_lecture_cases, 1)
CASES_CHECK(check_port_udp, port_udp_cases, 1)
CASES_CHECK(check_service_port, service_port_cases, 1)
CASES_CHECK(check_service_unknown, service_unknown_cases, 1)
CASES_CHECK(check_usage, usage_cases, 0)

static const struct sl_check checks[] = {
	{
		.id = "build",
		.title = "lookup builds with no warnings under -Wall -Wextra",
		.points = 10,
		.timeout_ms = 20000,
		.programs = "lookup",
		.hint = "Read the compiler's first message: it names the file and line. "
			"Unused variables and parameters count as warnings.",
		.run = NULL,
	},
	{
		.id = "self",
		.title = "self: prints the hostname, then the address it resolves to",
		.points = 10,
		.timeout_ms = CHECK_MS,
		.flags = SL_NAMESPACE,
		.programs = "lookup",
		.hint = "Call gethostname into a char buffer, terminate it, print it on "
			"its own line, then resolve that name with getaddrinfo and print "
			"its addresses as `lookup name` does.",
		.run = check_self,
	},
	{
		.id = "name-many",
		.title = "name: a name with several IPv4 addresses prints each one once",
		.points = 10,
		.timeout_ms = CHECK_MS,
		.flags = SL_NAMESPACE,
		.programs = "lookup",
		.hint = "Walk the whole getaddrinfo list (ai = ai->ai_next), not only the "
			"first entry, and skip an address already printed: it comes back "
			"once per socket type and once per /etc/hosts line that lists it.",
		.run = check_name_many,
	},
	{
		.id = "name-dual",
		.title = "name: a name with IPv4 and IPv6 addresses prints both",
		.points = 10,
		.timeout_ms = CHECK_MS,
		.flags = SL_NAMESPACE,
		.programs = "lookup",
		.hint = "Set hints.ai_family = AF_UNSPEC (AF_INET hides IPv6) and print an "
			"AF_INET6 entry with inet_ntop(AF_INET6, &sin6->sin6_addr, ...).",
		.run = check_name_dual,
	},
	{
		.id = "name-v6-literal",
		.title = "name: an IPv6 literal comes back in its short form",
		.points = 6,
		.timeout_ms = CHECK_MS,
		.flags = SL_NAMESPACE,
		.programs = "lookup",
		.hint = "getaddrinfo takes an address literal as a name when ai_family is "
			"AF_UNSPEC; print the address it returns with inet_ntop (short "
			"form), not the argument as typed.",
		.run = check_name_v6_literal,
	},
	{
		.id = "name-unknown",
		.title = "name: an unknown name is reported on stderr, exit 2",
		.points = 6,
		.timeout_ms = CHECK_MS,
		.flags = SL_NAMESPACE,
		.programs = "lookup",
		.hint = "When getaddrinfo returns non-zero, print the name and "
			"gai_strerror(rc) on stderr, nothing on stdout, and exit 2.",
		.run = check_name_unknown,
	},
	{
		.id = "addr-v4",
		.title = "addr: an IPv4 address maps back to its host name",
		.points = 7,
		.timeout_ms = CHECK_MS,
		.flags = SL_NAMESPACE,
		.programs = "lookup",
		.hint = "Fill a struct sockaddr_in with inet_pton(AF_INET, ...), pass "
			"sizeof(struct sockaddr_in) to getnameinfo and print the host name "
			"it writes (NI_NAMEREQD, not NI_NUMERICHOST).",
		.run = check_addr_v4,
	},
	{
		.id = "addr-v6",
		.title = "addr: an IPv6 address maps back to its host name",
		.points = 6,
		.timeout_ms = CHECK_MS,
		.flags = SL_NAMESPACE,
		.programs = "lookup",
		.hint = "Fill a struct sockaddr_in6 (sin6_family = AF_INET6) and pass "
			"sizeof(struct sockaddr_in6) to getnameinfo: it refuses a shorter "
			"length such as sizeof(struct sockaddr).",
		.run = check_addr_v6,
	},
	{
		.id = "addr-unknown",
		.title = "addr: an address without a name is an error, exit 2",
		.points = 6,
		.timeout_ms = CHECK_MS,
		.flags = SL_NAMESPACE,
		.programs = "lookup",
		.hint = "Pass NI_NAMEREQD to getnameinfo: without it an address with no "
			"name comes back as its own text. On failure print the address "
			"and gai_strerror(rc) on stderr and exit 2.",
		.run = check_addr_unknown,
	},
	{
		.id = "port-lecture",
		.title = "port: 80/tcp is http, 25/tcp is smtp, 53/udp is domain",
		.points = 8,
		.timeout_ms = CHECK_MS,
		.flags = SL_NAMESPACE,
		.programs = "lookup",
		.hint = "getservbyport wants the port in network byte order: call "
			"getservbyport(htons(port), protocol) and print s_name.",
		.run = check_port_lecture,
	},
	{
		.id = "port-udp",
		.title = "port: one port number names different services over tcp and udp",
		.points = 5,
		.timeout_ms = CHECK_MS,
		.flags = SL_NAMESPACE,
		.programs = "lookup",
		.hint = "Pass the protocol argument (\"tcp\" or \"udp\") on to "
			"getservbyport instead of a fixed \"tcp\".",
		.run = check_port_udp,
	},
	{
		.id = "service-port",
		.title = "service: a service name gives its port (http/tcp is 80)",
		.points = 7,
		.timeout_ms = CHECK_MS,
		.flags = SL_NAMESPACE,
		.programs = "lookup",
		.hint = "s_port from getservbyname is in network byte order: print "
			"ntohs(s_port), and pass the protocol argument on.",
		.run = check_service_port,
	},
	{
		.id = "service-unknown",
		.title = "service, port: an unknown service or port is an error, exit 2",
		.points = 4,
		.timeout_ms = CHECK_MS,
		.flags = SL_NAMESPACE,
		.programs = "lookup",
		.hint = "getservbyname and getservbyport return NULL when nothing matches: "
			"test for NULL before using the result, name the service or port "
			"on stderr and exit 2.",
		.run = check_service_unknown,
	},
	{
		.id = "usage",
		.title = "bad command lines print a usage line on stderr, exit 1",
		.points = 5,
		.timeout_ms = CHECK_MS,
		.programs = "lookup",
		.hint = "Check argc for each command, accept a port only when it is all "
			"digits and at most 65535 (strtol, then test end and range), and "
			"only tcp or udp; otherwise print the usage lines on stderr and "
			"exit 1.",
		.run = check_usage,
	},
};

static const struct sl_lab lab01 = {
	.number = "01",
	.name = "lookup",
	.title = "Names, addresses and services: a lookup tool",
	.files = { "lookup.c", "lookup_lib.c" },
	.given = { "lookup.h" },
	.programs = {
		{ .name = "lookup", .sources = { "lookup.c", "lookup_lib.c" } },
	},
	.checks = checks,
	.nchecks = SL_COUNT(checks),
};

SL_REGISTER_LAB(lab01);
