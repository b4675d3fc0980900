/* hx_netdev.h - a network device for broadcast inside the sandbox.
 *
 * Loopback alone carries broadcast to 127.255.255.255 with no set-up: the
 * kernel's local table already holds "broadcast 127.255.255.255 dev lo",
 * and a sender needs only SO_BROADCAST, as it does for any broadcast
 * address (without it sendto fails with EACCES). What loopback cannot
 * carry is the limited broadcast address, 255.255.255.255: with no route
 * for it, sendto fails with ENETUNREACH. hx_netdev_broadcast gives the
 * sandbox's private network namespace a veth pair,
 *
 *	HX_NETDEV_NAME (HX_NETDEV_ADDRESS/24, broadcast HX_NETDEV_BROADCAST)
 *	<-> HX_NETDEV_PEER (up, no IPv4 address)
 *
 * and a route "255.255.255.255/32 dev HX_NETDEV_NAME scope link". A
 * datagram sent to 255.255.255.255 (or to HX_NETDEV_BROADCAST) with
 * SO_BROADCAST then leaves through HX_NETDEV_NAME, whose source address is
 * HX_NETDEV_ADDRESS, and the kernel loops a copy back to every socket
 * bound to INADDR_ANY on its port in this namespace. The peer has no IPv4
 * address, so it does not deliver a second copy; nothing reaches any other
 * namespace. Everything is done over rtnetlink, so no tool needs to be
 * installed, and only the check process (root of the sandbox's user
 * namespace) needs CAP_NET_ADMIN: the student's programs keep none.
 */
#ifndef HX_NETDEV_H
#define HX_NETDEV_H

#include "hx_check.h"

#define HX_NETDEV_NAME	      "slbr0"	 /* the device that carries broadcast */
#define HX_NETDEV_PEER	      "slbr1"	 /* its veth peer */
#define HX_NETDEV_ADDRESS     "10.9.0.1" /* the address of HX_NETDEV_NAME */
#define HX_NETDEV_PREFIX      24	 /* its subnet, 10.9.0.0/24 */
#define HX_NETDEV_BROADCAST   "10.9.0.255" /* the subnet's broadcast address */
#define HX_LIMITED_BROADCAST  "255.255.255.255" /* INADDR_BROADCAST */
#define HX_LOOPBACK_BROADCAST "127.255.255.255" /* needs no set-up */

/* Creates the veth pair, its address and the route described above, in
 * the check's own network namespace. Needs c->isolated: otherwise the
 * check is skipped, since the devices would be the host's. Every netlink
 * request is acknowledged within a deadline; a refusal fails the check
 * with HX_ERROR naming the request (a kernel without veth skips it).
 * Returns 0, or -1 once the check has failed or been skipped. */
int hx_netdev_broadcast(struct hx_check *c);

#endif
