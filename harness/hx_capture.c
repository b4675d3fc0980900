/* hx_capture.c - a packet socket on every device of the check's network
 * namespace, read by a thread into a pcap file. */
#define _GNU_SOURCE
#include "hx_capture.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if_arp.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "hx_time.h"
#include "hx_verdict.h"

#define HX_PCAP_MAGIC	     0xa1b2c3d4u /* classic pcap, microseconds */
#define HX_PCAP_SNAPLEN	     262144u	 /* bytes kept of one packet */
#define HX_LINKTYPE_ETHERNET 1u		 /* frames with an Ethernet header */
#define HX_CAPTURE_QUEUE     (4 << 20)	 /* receive queue asked of the kernel */
#define HX_CAPTURE_WAIT_MS   1000	 /* the thread looks at its stop pipe */
#define HX_CAPTURE_DRAIN_MS  500	 /* reading what is left, at most */

/* The file's header and each packet's, as pcap readers expect them (in
 * the writer's byte order, which the magic number tells). */
struct hx_pcap_header {
	uint32_t magic;	       /* HX_PCAP_MAGIC */
	uint16_t major, minor; /* 2.4 */
	int32_t thiszone;      /* 0: times are UTC */
	uint32_t sigfigs;      /* 0 */
	uint32_t snaplen;      /* longest packet kept */
	uint32_t linktype;     /* HX_LINKTYPE_ETHERNET */
};

struct hx_pcap_record {
	uint32_t sec, usec; /* when it was seen */
	uint32_t kept;	    /* bytes that follow */
	uint32_t length;    /* bytes the packet had */
};

void hx_capture_init(struct hx_capture *cap)
{
	memset(cap, 0, sizeof(*cap));
	cap->fd = -1;
	cap->wake[0] = cap->wake[1] = -1;
	hx_buf_init(&cap->file);
	hx_buf_init(&cap->note);
}

/* Attaches a filter of instructions n to the socket; 0 or -1. */
static int hx_capture_filter(int fd, struct sock_filter *code, unsigned short n)
{
	struct sock_fprog program = {.len = n, .filter = code};

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program,
			  sizeof(program));
}

/* The kernel leaves out the copy of a packet that is leaving a device:
 * it comes again as it arrives. Where the filter cannot be attached, the
 * same test is made on each packet read. */
static void hx_capture_arrivals(int fd)
{
	struct sock_filter code[] = {
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_PKTTYPE),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, 0),
	    BPF_STMT(BPF_RET | BPF_K, HX_PCAP_SNAPLEN),
	};

	(void)hx_capture_filter(fd, code, sizeof(code) / sizeof(code[0]));
}

/* The file is full: what the kernel dropped so far is counted, and from
 * now on it queues nothing (where it refuses the filter, the thread
 * still stops reading and the queue fills and stays full). */
static void hx_capture_close_queue(struct hx_capture *cap)
{
	struct sock_filter none[] = {BPF_STMT(BPF_RET | BPF_K, 0)};
	struct tpacket_stats stats;
	socklen_t len = sizeof(stats);

	if (getsockopt(cap->fd, SOL_PACKET, PACKET_STATISTICS, &stats, &len) ==
	    0)
		cap->dropped += stats.tp_drops;
	(void)hx_capture_filter(cap->fd, none, 1);
}

/* Appends one packet; the first that does not fit fills the file. */
static void hx_capture_keep(struct hx_capture *cap, const void *frame,
			    size_t kept, size_t length,
			    const struct timeval *tv)
{
	struct hx_pcap_record record = {
	    .sec = (uint32_t)tv->tv_sec,
	    .usec = (uint32_t)tv->tv_usec,
	    .kept = (uint32_t)kept,
	    .length = (uint32_t)length,
	};

	size_t before = cap->file.len;

	if (before + sizeof(record) + kept > cap->max_bytes ||
	    hx_buf_add(&cap->file, &record, sizeof(record)) < 0 ||
	    hx_buf_add(&cap->file, frame, kept) < 0) {
		cap->file.len = before; /* never half a record */
		cap->full = 1;
		hx_capture_close_queue(cap);
		return;
	}
	cap->packets++;
}

/* Reads one packet if one is waiting: 1 when one was read, 0 when none
 * is, -1 when the socket failed. */
static int hx_capture_read(struct hx_capture *cap, unsigned char *frame)
{
	char control[CMSG_SPACE(sizeof(struct timeval))];
	struct sockaddr_ll from;
	struct iovec iov = {.iov_base = frame, .iov_len = HX_PCAP_SNAPLEN};
	struct msghdr msg = {
	    .msg_name = &from,
	    .msg_namelen = sizeof(from),
	    .msg_iov = &iov,
	    .msg_iovlen = 1,
	    .msg_control = control,
	    .msg_controllen = sizeof(control),
	};
	struct timeval tv = {0, 0};
	struct cmsghdr *cm;
	ssize_t n;

	/* MSG_TRUNC: the packet's own length, even when it is cut */
	n = recvmsg(cap->fd, &msg, MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR
			   ? 0
			   : -1;
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_TIMESTAMP)
			memcpy(&tv, CMSG_DATA(cm), sizeof(tv));
	if (tv.tv_sec == 0)
		gettimeofday(&tv, NULL);
	if (from.sll_pkttype == PACKET_OUTGOING)
		return 1;
	if (from.sll_hatype != ARPHRD_ETHER &&
	    from.sll_hatype != ARPHRD_LOOPBACK) {
		cap->other++;
		return 1;
	}
	hx_capture_keep(cap, frame,
			(size_t)n < HX_PCAP_SNAPLEN ? (size_t)n
						    : HX_PCAP_SNAPLEN,
			(size_t)n, &tv);
	return 1;
}

/* The thread: packets as they come until the stop pipe closes, then
 * what the kernel still holds, under a deadline. A full capture reads no
 * more: it waits for the stop. */
static void *hx_capture_loop(void *arg)
{
	struct hx_capture *cap = arg;
	unsigned char *frame = malloc(HX_PCAP_SNAPLEN);
	int64_t deadline;

	if (!frame)
		return NULL;
	for (;;) {
		struct pollfd pfd[2] = {
		    {.fd = cap->wake[0], .events = POLLIN},
		    {.fd = cap->fd, .events = POLLIN},
		};
		nfds_t n = cap->full ? 1 : 2;

		if (poll(pfd, n, HX_CAPTURE_WAIT_MS) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents || (n == 2 && pfd[1].revents & POLLERR))
			break;
		if (n == 2 && pfd[1].revents & POLLIN)
			while (!cap->full && hx_capture_read(cap, frame) == 1)
				;
	}
	deadline = hx_deadline(HX_CAPTURE_DRAIN_MS);
	while (!cap->full && hx_remaining_ms(deadline) > 0 &&
	       hx_capture_read(cap, frame) == 1)
		;
	free(frame);
	return NULL;
}

int hx_capture_start(struct hx_capture *cap, int isolated, size_t max_bytes)
{
	struct hx_pcap_header header = {
	    .magic = HX_PCAP_MAGIC,
	    .major = 2,
	    .minor = 4,
	    .snaplen = HX_PCAP_SNAPLEN,
	    .linktype = HX_LINKTYPE_ETHERNET,
	};
	int queue = HX_CAPTURE_QUEUE, one = 1;

	cap->max_bytes = max_bytes;
	if (!isolated) {
		hx_buf_addf(&cap->note,
			    "no capture: the sandbox has no network namespace "
			    "of its own here (DEGRADED), and the machine's "
			    "traffic is not the check's");
		return -1;
	}
	cap->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (cap->fd < 0) {
		hx_buf_addf(&cap->note, "no capture: socket(AF_PACKET): %s",
			    strerror(errno));
		return -1;
	}
	/* the kernel caps the queue at net.core.rmem_max; drops are
	 * counted and said */
	if (setsockopt(cap->fd, SOL_SOCKET, SO_RCVBUF, &queue, sizeof(queue)) <
		0 ||
	    setsockopt(cap->fd, SOL_SOCKET, SO_TIMESTAMP, &one, sizeof(one)) <
		0) {
		hx_buf_addf(&cap->note, "no capture: setsockopt: %s",
			    strerror(errno));
		goto out_close;
	}
	hx_capture_arrivals(cap->fd);
	if (pipe2(cap->wake, O_CLOEXEC) < 0) {
		hx_buf_addf(&cap->note, "no capture: pipe: %s",
			    strerror(errno));
		goto out_close;
	}
	hx_buf_add(&cap->file, &header, sizeof(header));
	if (pthread_create(&cap->thread, NULL, hx_capture_loop, cap) != 0) {
		hx_buf_addf(&cap->note, "no capture: no thread to read it");
		goto out_close_pipe;
	}
	cap->running = 1;
	return 0;

out_close_pipe:
	close(cap->wake[0]);
	close(cap->wake[1]);
	cap->wake[0] = cap->wake[1] = -1;
	hx_buf_clear(&cap->file);
out_close:
	close(cap->fd);
	cap->fd = -1;
	return -1;
}

void hx_capture_stop(struct hx_capture *cap)
{
	struct tpacket_stats stats;
	socklen_t len = sizeof(stats);

	if (!cap->running)
		return;
	/* the pipe closed wakes the thread */
	close(cap->wake[1]);
	cap->wake[1] = -1;
	pthread_join(cap->thread, NULL);
	cap->running = 0;
	if (!cap->full && getsockopt(cap->fd, SOL_PACKET, PACKET_STATISTICS,
				     &stats, &len) == 0)
		cap->dropped += stats.tp_drops;
	close(cap->fd);
	close(cap->wake[0]);
	cap->fd = cap->wake[0] = -1;
	if (cap->full)
		hx_buf_addf(&cap->note,
			    "capture cut at its cap of %zu KiB: the first %lu "
			    "packets are in it, the later ones are not",
			    cap->max_bytes / 1024, cap->packets);
	if (cap->dropped)
		hx_buf_addf(&cap->note,
			    "%sthe kernel dropped %lu packets before the "
			    "capture could read them",
			    cap->note.len ? "; " : "capture incomplete: ",
			    cap->dropped);
}

int hx_capture_send(int fd, const struct hx_capture *cap)
{
	struct hx_buf out;
	int rc;

	hx_buf_init(&out);
	if (cap->file.len)
		hx_frame_put(&out, HX_FRAME_CAPTURE, cap->file.data,
			     cap->file.len);
	if (cap->note.len)
		hx_frame_put(&out, HX_FRAME_CAPTURE_NOTE, cap->note.data,
			     cap->note.len);
	rc = out.len ? hx_write_all(fd, out.data, out.len) : 0;
	hx_buf_free(&out);
	return rc;
}

void hx_capture_free(struct hx_capture *cap)
{
	hx_capture_stop(cap);
	hx_buf_free(&cap->file);
	hx_buf_free(&cap->note);
}

long hx_capture_count(const void *file, size_t len)
{
	const unsigned char *p = file;
	struct hx_pcap_header header;
	size_t at = sizeof(header);
	long packets = 0;

	if (len < sizeof(header))
		return -1;
	memcpy(&header, p, sizeof(header));
	if (header.magic != HX_PCAP_MAGIC)
		return -1;
	while (at + sizeof(struct hx_pcap_record) <= len) {
		struct hx_pcap_record record;

		memcpy(&record, p + at, sizeof(record));
		at += sizeof(record);
		if (record.kept > len - at)
			return -1;
		at += record.kept;
		packets++;
	}
	return at == len ? packets : -1;
}
