/* hx_netdev.c - a veth pair, an address and a broadcast route, by rtnetlink. */
#define _GNU_SOURCE
#include "hx_netdev.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hx_time.h"

#define HX_NETLINK_MS	   2000 /* the kernel acknowledges a request */
#define HX_NETLINK_MSG_CAP 1024 /* more than any request made here */

/* One rtnetlink request being built, and the socket it goes out on. */
struct hx_rtnl {
	int fd;	      /* NETLINK_ROUTE socket */
	unsigned seq; /* sequence number of the last request */
	union {
		struct nlmsghdr hdr;		/* the message header */
		char bytes[HX_NETLINK_MSG_CAP]; /* header, body, attributes */
	} msg;					/* the request */
};

/* Starts a request of type with flags and a zeroed body of body_len bytes;
 * returns the body. */
static void *hx_rtnl_start(struct hx_rtnl *r, int type, int flags,
			   size_t body_len)
{
	memset(&r->msg, 0, sizeof(r->msg));
	r->msg.hdr.nlmsg_len = (unsigned)NLMSG_LENGTH(body_len);
	r->msg.hdr.nlmsg_type = (unsigned short)type;
	r->msg.hdr.nlmsg_flags =
	    (unsigned short)(NLM_F_REQUEST | NLM_F_ACK | flags);
	r->msg.hdr.nlmsg_seq = ++r->seq;
	return NLMSG_DATA(&r->msg.hdr);
}

/* Appends an attribute of len bytes from data (zeroes when data is NULL);
 * returns it (a nest is closed by hx_rtnl_end). */
static struct rtattr *hx_rtnl_add(struct hx_rtnl *r, int type, const void *data,
				  size_t len)
{
	struct rtattr *attr =
	    (struct rtattr *)(r->msg.bytes + NLMSG_ALIGN(r->msg.hdr.nlmsg_len));

	attr->rta_type = (unsigned short)type;
	attr->rta_len = (unsigned short)RTA_LENGTH(len);
	/* no data: a zeroed body the caller fills (VETH_INFO_PEER) */
	if (len && data)
		memcpy(RTA_DATA(attr), data, len);
	else if (len)
		memset(RTA_DATA(attr), 0, len);
	r->msg.hdr.nlmsg_len =
	    NLMSG_ALIGN(r->msg.hdr.nlmsg_len) + RTA_ALIGN(attr->rta_len);
	return attr;
}

/* Closes a nested attribute: its length covers what was added since. */
static void hx_rtnl_end(struct hx_rtnl *r, struct rtattr *nest)
{
	nest->rta_len = (unsigned short)(r->msg.bytes + r->msg.hdr.nlmsg_len -
					 (char *)nest);
}

/* Sends the request and waits for its acknowledgement. Returns 0, or the
 * kernel's (positive) errno, or ETIMEDOUT. */
static int hx_rtnl_call(struct hx_rtnl *r)
{
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	int64_t deadline = hx_deadline(HX_NETLINK_MS);
	char reply[8192];

	if (sendto(r->fd, &r->msg, r->msg.hdr.nlmsg_len, 0,
		   (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return errno;
	for (;;) {
		struct pollfd pfd = {.fd = r->fd, .events = POLLIN};
		struct nlmsghdr *h;
		ssize_t n;
		int ready = poll(&pfd, 1, hx_remaining_ms(deadline));

		if (ready < 0 && errno == EINTR)
			continue;
		if (ready < 0)
			return errno;
		if (ready == 0)
			return ETIMEDOUT;
		n = recv(r->fd, reply, sizeof(reply), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		for (h = (struct nlmsghdr *)reply; NLMSG_OK(h, (unsigned)n);
		     h = NLMSG_NEXT(h, n)) {
			const struct nlmsgerr *err = NLMSG_DATA(h);

			if (h->nlmsg_seq != r->seq ||
			    h->nlmsg_type != NLMSG_ERROR)
				continue;
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*err)))
				return EPROTO;
			return -err->error; /* 0: the acknowledgement */
		}
	}
}

/* RTM_NEWLINK: the veth pair, created down. */
static int hx_rtnl_new_veth(struct hx_rtnl *r)
{
	struct rtattr *linkinfo, *data, *peer;

	hx_rtnl_start(r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL,
		      sizeof(struct ifinfomsg));
	hx_rtnl_add(r, IFLA_IFNAME, HX_NETDEV_NAME, sizeof(HX_NETDEV_NAME));
	linkinfo = hx_rtnl_add(r, IFLA_LINKINFO, NULL, 0);
	hx_rtnl_add(r, IFLA_INFO_KIND, "veth", sizeof("veth"));
	data = hx_rtnl_add(r, IFLA_INFO_DATA, NULL, 0);
	/* VETH_INFO_PEER holds an ifinfomsg, then the peer's attributes. */
	peer = hx_rtnl_add(r, VETH_INFO_PEER, NULL, sizeof(struct ifinfomsg));
	hx_rtnl_add(r, IFLA_IFNAME, HX_NETDEV_PEER, sizeof(HX_NETDEV_PEER));
	hx_rtnl_end(r, peer);
	hx_rtnl_end(r, data);
	hx_rtnl_end(r, linkinfo);
	return hx_rtnl_call(r);
}

/* RTM_NEWLINK on an existing device: set it up. */
static int hx_rtnl_link_up(struct hx_rtnl *r, int index)
{
	struct ifinfomsg *info =
	    hx_rtnl_start(r, RTM_NEWLINK, 0, sizeof(struct ifinfomsg));

	info->ifi_family = AF_UNSPEC;
	info->ifi_index = index;
	info->ifi_flags = IFF_UP;
	info->ifi_change = IFF_UP;
	return hx_rtnl_call(r);
}

/* RTM_NEWADDR: HX_NETDEV_ADDRESS/HX_NETDEV_PREFIX with its broadcast. */
static int hx_rtnl_new_address(struct hx_rtnl *r, int index)
{
	struct ifaddrmsg *addr =
	    hx_rtnl_start(r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL,
			  sizeof(struct ifaddrmsg));
	struct in_addr local, broadcast;

	inet_pton(AF_INET, HX_NETDEV_ADDRESS, &local);
	inet_pton(AF_INET, HX_NETDEV_BROADCAST, &broadcast);
	addr->ifa_family = AF_INET;
	addr->ifa_prefixlen = HX_NETDEV_PREFIX;
	addr->ifa_scope = RT_SCOPE_UNIVERSE;
	addr->ifa_index = (unsigned)index;
	hx_rtnl_add(r, IFA_LOCAL, &local, sizeof(local));
	hx_rtnl_add(r, IFA_ADDRESS, &local, sizeof(local));
	hx_rtnl_add(r, IFA_BROADCAST, &broadcast, sizeof(broadcast));
	return hx_rtnl_call(r);
}

/* RTM_NEWROUTE: 255.255.255.255/32 out of the device, in the main table.
 * Without it the kernel has no route for the limited broadcast address
 * (there is no default route in a fresh namespace). */
static int hx_rtnl_new_broadcast_route(struct hx_rtnl *r, int index)
{
	struct rtmsg *route = hx_rtnl_start(
	    r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, sizeof(struct rtmsg));
	struct in_addr all = {.s_addr = htonl(INADDR_BROADCAST)};
	unsigned oif = (unsigned)index;

	route->rtm_family = AF_INET;
	route->rtm_dst_len = 32;
	route->rtm_table = RT_TABLE_MAIN;
	route->rtm_protocol = RTPROT_BOOT;
	route->rtm_scope = RT_SCOPE_LINK;
	route->rtm_type = RTN_UNICAST;
	hx_rtnl_add(r, RTA_DST, &all, sizeof(all));
	hx_rtnl_add(r, RTA_OIF, &oif, sizeof(oif));
	return hx_rtnl_call(r);
}

/* Fails the check naming the request that the kernel refused. */
static int hx_netdev_refused(struct hx_check *c, const char *request, int err)
{
	return hx_fail(c, HX_ERROR,
		       "the harness could not set up broadcast in the "
		       "sandbox: rtnetlink %s: %s",
		       request, strerror(err));
}

int hx_netdev_broadcast(struct hx_check *c)
{
	struct sockaddr_nl me = {.nl_family = AF_NETLINK};
	struct hx_rtnl r = {.fd = -1};
	int index, peer_index, err, rc = -1;

	if (!c->isolated)
		return hx_skip(c, "a private network device needs a network "
				  "namespace, and this machine gives none");
	r.fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (r.fd < 0)
		return hx_fail(c, HX_ERROR, "socket(AF_NETLINK): %s",
			       strerror(errno));
	if (bind(r.fd, (struct sockaddr *)&me, sizeof(me)) < 0) {
		hx_fail(c, HX_ERROR, "bind(AF_NETLINK): %s", strerror(errno));
		goto out_close;
	}
	err = hx_rtnl_new_veth(&r);
	if (err == EOPNOTSUPP) {
		hx_skip(c,
			"this kernel has no veth devices (RTM_NEWLINK "
			"kind veth: %s)",
			strerror(err));
		goto out_close;
	}
	if (err) {
		hx_netdev_refused(c,
				  "RTM_NEWLINK (veth " HX_NETDEV_NAME
				  " and " HX_NETDEV_PEER ")",
				  err);
		goto out_close;
	}
	index = (int)if_nametoindex(HX_NETDEV_NAME);
	peer_index = (int)if_nametoindex(HX_NETDEV_PEER);
	if (index == 0 || peer_index == 0) {
		hx_fail(c, HX_ERROR, "if_nametoindex(%s): %s",
			index == 0 ? HX_NETDEV_NAME : HX_NETDEV_PEER,
			strerror(errno));
		goto out_close;
	}
	if ((err = hx_rtnl_new_address(&r, index)) != 0)
		hx_netdev_refused(c,
				  "RTM_NEWADDR (" HX_NETDEV_ADDRESS
				  " on " HX_NETDEV_NAME ")",
				  err);
	else if ((err = hx_rtnl_link_up(&r, index)) != 0)
		hx_netdev_refused(c, "RTM_NEWLINK (" HX_NETDEV_NAME " up)",
				  err);
	else if ((err = hx_rtnl_link_up(&r, peer_index)) != 0)
		hx_netdev_refused(c, "RTM_NEWLINK (" HX_NETDEV_PEER " up)",
				  err);
	else if ((err = hx_rtnl_new_broadcast_route(&r, index)) != 0)
		hx_netdev_refused(c,
				  "RTM_NEWROUTE (" HX_LIMITED_BROADCAST
				  " dev " HX_NETDEV_NAME ")",
				  err);
	else {
		hx_recordf(c, 0,
			   "set up " HX_NETDEV_NAME " (" HX_NETDEV_ADDRESS
			   "/%d, broadcast " HX_NETDEV_BROADCAST
			   ") with a route for " HX_LIMITED_BROADCAST,
			   HX_NETDEV_PREFIX);
		rc = 0;
	}
out_close:
	close(r.fd);
	return rc;
}
