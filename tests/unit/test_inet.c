/* test_inet.c - IPv6 presence, clients from a chosen address, loopback
 * addresses and sysctls of a network namespace of the test's own.
 *
 * What needs a network namespace runs in a child that unshares one (with
 * a user namespace, as the sandbox does); where the machine refuses, the
 * test is skipped.
 */
#include "unit.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include "../../harness/hx_inet.h"

#define LONG_IPV6 "fd13:1313:1313:1313:1313:1313:1313:1313"

/* A listening socket on address (numeric), port chosen by the kernel;
 * the port in *port. */
static int listen_on(const char *address, int *port)
{
	struct sockaddr_storage addr;
	socklen_t len;
	int family = strchr(address, ':') ? AF_INET6 : AF_INET;
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memset(&addr, 0, sizeof(addr));
	addr.ss_family = (sa_family_t)family;
	if (family == AF_INET) {
		inet_pton(AF_INET, address,
			  &((struct sockaddr_in *)&addr)->sin_addr);
		len = sizeof(struct sockaddr_in);
	} else {
		inet_pton(AF_INET6, address,
			  &((struct sockaddr_in6 *)&addr)->sin6_addr);
		len = sizeof(struct sockaddr_in6);
	}
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, len) < 0 ||
	    listen(fd, 4) < 0)
		return -1;
	len = sizeof(addr);
	getsockname(fd, (struct sockaddr *)&addr, &len);
	*port = ntohs(((struct sockaddr_in *)&addr)->sin_port);
	return fd;
}

/* The text of the address the accepted end of listener sees as peer. */
static void accepted_peer(int listener, char *out, size_t size)
{
	struct sockaddr_storage peer;
	socklen_t len = sizeof(peer);
	int fd = accept(listener, (struct sockaddr *)&peer, &len);

	assert_true(fd >= 0);
	if (peer.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&peer)->sin_addr,
			  out, (socklen_t)size);
	else
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&peer)->sin6_addr,
			  out, (socklen_t)size);
	close(fd);
}

/* A program sees the source the harness chose, not 127.0.0.1. */
static void test_inet_connect_from_source(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_conn conn;
	char peer[INET6_ADDRSTRLEN];
	int port, fd = listen_on("127.0.0.1", &port);

	assert_true(fd >= 0);
	assert_int_equal(hx_tcp_connect_from(&f->c, &conn, "127.45.6.7",
					     "127.0.0.1", port, 2000),
			 0);
	accepted_peer(fd, peer, sizeof(peer));
	assert_string_equal(peer, "127.45.6.7");
	assert_int_equal(unit_count_events(&f->c, conn.id, '*'), 1);
	hx_close(&f->c, &conn);
	close(fd);
}

static void test_inet_connect_from_refused_fails(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_conn conn;
	int port = hx_free_port();

	assert_int_equal(hx_tcp_connect_from(&f->c, &conn, "127.0.0.1",
					     "127.0.0.1", port, 2000),
			 -1);
	assert_int_equal(f->c.status, HX_FAIL);
	assert_true(unit_message_has(&f->c, "Connection refused"));
	assert_int_equal(conn.fd, -1);
}

/* Two families cannot meet: the check asked for nonsense. */
static void test_inet_connect_from_mixed_families_is_error(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_conn conn;

	assert_int_equal(
	    hx_tcp_connect_from(&f->c, &conn, "::1", "127.0.0.1", 9, 2000), -1);
	assert_int_equal(f->c.status, HX_ERROR);
}

/* Where ::1 exists, both answers say so; either way they agree. */
static void test_inet_ipv6_answers_agree(void **state)
{
	char why[256] = "";
	int stack = hx_ipv6_stack(why, sizeof(why));
	int loopback = hx_ipv6_loopback(why, sizeof(why));

	(void)state;
	assert_true(stack || !loopback);
	if (!loopback)
		assert_true(why[0] != '\0');
}

static void test_inet_listeners_counted_by_family(void **state)
{
	struct unit_fixture *f = *state;
	struct hx_proc *self = calloc(1, sizeof(*self));
	int port, v4 = listen_on("127.0.0.1", &port), v6 = -1;
	int ipv4 = -1, ipv6 = -1;

	(void)f;
	assert_non_null(self);
	assert_true(v4 >= 0);
	if (hx_ipv6_loopback(NULL, 0))
		v6 = listen_on("::1", &port);
	/* this process, seen as a program would be */
	self->pid = getpid();
	assert_int_equal(hx_proc_tcp_listeners(self, &ipv4, &ipv6), 0);
	assert_true(ipv4 >= 1);
	assert_true(ipv6 >= (v6 >= 0 ? 1 : 0));
	close(v4);
	if (v6 >= 0)
		close(v6);
	free(self);
}

/* Without a network namespace of its own, nothing is changed: the
 * machine's loopback and sysctls are not the check's. */
static void test_inet_needs_isolation(void **state)
{
	struct unit_fixture *f = *state;

	f->c.isolated = 0;
	assert_int_equal(hx_loopback_add(&f->c, LONG_IPV6), -1);
	assert_int_equal(f->c.status, HX_SKIPPED);
	hx_check_free_verdict(&f->c);
	hx_check_init(&f->c, "unit", UNIT_SEED);
	assert_int_equal(hx_net_sysctl(&f->c, "ipv6.bindv6only", "1"), -1);
	assert_int_equal(f->c.status, HX_SKIPPED);
}

/* Brings loopback up, as the sandbox does; 0 or -1. */
static int loopback_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = -1;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

/* In a child with user and network namespaces of its own: adds the
 * address, connects from it, sets bindv6only. Exit status: 0 done, 77
 * the machine refuses the namespaces, else the step that failed. */
static int namespace_child(void)
{
	struct hx_check c;
	struct hx_conn conn;
	char peer[INET6_ADDRSTRLEN], value[8] = "";
	int port, fd, rc = 0;
	FILE *f;

	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
		return 77;
	hx_check_init(&c, "unit", UNIT_SEED);
	c.isolated = 1;
	if (loopback_up() < 0 || !hx_ipv6_loopback(NULL, 0))
		return 77;
	if (hx_loopback_add(&c, LONG_IPV6) < 0)
		return 1;
	/* at once, the address is one a client can connect to */
	fd = listen_on(LONG_IPV6, &port);
	if (fd < 0 || hx_tcp_connect_from(&c, &conn, LONG_IPV6, LONG_IPV6, port,
					  2000) < 0)
		return 6;
	hx_close(&c, &conn);
	close(fd);
	fd = listen_on("::1", &port);
	if (fd < 0 ||
	    hx_tcp_connect_from(&c, &conn, LONG_IPV6, "::1", port, 2000) < 0)
		return 2;
	accepted_peer(fd, peer, sizeof(peer));
	if (strcmp(peer, LONG_IPV6) != 0)
		return 3;
	if (hx_net_sysctl(&c, "ipv6.bindv6only", "1") < 0)
		return 4;
	f = fopen("/proc/sys/net/ipv6/bindv6only", "r");
	if (!f || !fgets(value, sizeof(value), f) || value[0] != '1')
		rc = 5;
	if (f)
		fclose(f);
	hx_close(&c, &conn);
	close(fd);
	hx_check_free(&c);
	return rc;
}

static void test_inet_namespace_address_and_sysctl(void **state)
{
	int status;
	pid_t pid;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(namespace_child());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		skip();
	assert_int_equal(WEXITSTATUS(status), 0);
}

#define INET_TEST(name)                                                        \
	cmocka_unit_test_setup_teardown(name, unit_fixture_setup,              \
					unit_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    INET_TEST(test_inet_connect_from_source),
	    INET_TEST(test_inet_connect_from_refused_fails),
	    INET_TEST(test_inet_connect_from_mixed_families_is_error),
	    INET_TEST(test_inet_ipv6_answers_agree),
	    INET_TEST(test_inet_listeners_counted_by_family),
	    INET_TEST(test_inet_needs_isolation),
	    INET_TEST(test_inet_namespace_address_and_sysctl),
	};

	unit_init();
	return cmocka_run_group_tests_name("hx_inet", tests, NULL, NULL);
}
