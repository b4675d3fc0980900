/* hx_inet.h - IPv4 and IPv6 beyond hx_net.h: what the network offers,
 * a client from a source address of the check's choosing, and what a
 * check may change in its own network namespace.
 *
 * Some machines have no IPv6 at all (a kernel started with
 * ipv6.disable=1: socket(AF_INET6) fails) and more have no ::1 (IPv6
 * switched off by sysctl, as in many containers: AF_INET6 sockets work,
 * IPv4-mapped connections too, but no IPv6 address can be bound). A
 * check asks first and skips what the machine cannot do, with the
 * reason these functions give.
 */
#ifndef HX_INET_H
#define HX_INET_H

#include <stddef.h>

#include "hx_check.h"
#include "hx_net.h"
#include "hx_proc.h"

/* 1 when socket(AF_INET6, SOCK_STREAM) works here; 0 with the reason in
 * why ("socket(AF_INET6): Address family not supported by protocol"). */
int hx_ipv6_stack(char *why, size_t size);

/* 1 when a TCP socket can be bound to ::1 here; 0 with the reason. */
int hx_ipv6_loopback(char *why, size_t size);

/* 1 when ::1 is there; else skips the check with the reason, 0. The one
 * way a check that needs ::1 asks (a container has none). */
int hx_need_ipv6_loopback(struct hx_check *c);

/* hx_tcp_connect from a socket bound to source (a numeric address of
 * host's family, port 0) first: the program sees that address as its
 * peer's. */
int hx_tcp_connect_from(struct hx_check *c, struct hx_conn *conn,
			const char *source, const char *host, int port,
			int timeout_ms);

/* Adds address (numeric, IPv4 /32 or IPv6 /128, no duplicate address
 * detection) to loopback in the check's own network namespace, and
 * waits until a route leads to it (the kernel adds that a moment later):
 * on return a connect to the address works. Without a namespace of its
 * own (c->isolated 0) the check is skipped: it would be the machine's.
 * 0, or -1 once the check was skipped or failed. */
int hx_loopback_add(struct hx_check *c, const char *address);

/* Sets the sysctl net.NAME ("ipv6.bindv6only") to value in the check's
 * own network namespace; skipped without one, or where the kernel
 * refuses. 0, or -1 once the check was skipped or failed. */
int hx_net_sysctl(struct hx_check *c, const char *name, const char *value);

/* The inodes of the sockets process p holds (its /proc/PID/fd links),
 * at most max of them; how many. */
int hx_proc_socket_inodes(const struct hx_proc *p, unsigned long *inodes,
			  int max);

/* Counts the TCP sockets process p listens on, by table: *ipv4 in
 * /proc/net/tcp, *ipv6 in /proc/net/tcp6 (where one AF_INET6 socket
 * serves IPv4 clients too). 0, or -1 when p has ended. */
int hx_proc_tcp_listeners(struct hx_proc *p, int *ipv4, int *ipv6);

#endif
