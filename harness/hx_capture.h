/* hx_capture.h - every packet of a check, as a pcap file for Wireshark.
 *
 * Each check runs in a network namespace of its own, so all of its
 * traffic, and only it, crosses that namespace's devices: its loopback,
 * and the veth pair a lab may add (hx_netdev.h). hx_capture_start opens a
 * packet socket bound to no device, which sees every device of the
 * namespace, and reads it in a thread of the harness until
 * hx_capture_stop. The packets are kept in memory as a classic pcap file
 * (LINKTYPE_ETHERNET: on Linux, loopback frames carry an Ethernet header
 * of zeros), at most max_bytes of it; hx_capture_send puts the file on
 * the verdict pipe, for the grader to write where it was asked to.
 *
 * A packet is kept once, where it arrives: the copy a device shows as it
 * leaves is left out, since every device inside (loopback, both ends of
 * a veth pair) delivers it again in the same namespace.
 *
 * Without a network namespace of its own (a degraded sandbox) nothing is
 * captured: the machine's traffic is not the check's to keep. The note
 * says why, as it says what a capture lacks (the cap was reached, the
 * kernel dropped packets). A full capture stops reading: a check that
 * floods (a port scan) costs it nothing more.
 *
 * Functions return 0, or -1 with the reason in cap->note.
 */
#ifndef HX_CAPTURE_H
#define HX_CAPTURE_H

#include <pthread.h>
#include <stddef.h>

#include "hx_text.h"

#define HX_CAPTURE_MAX (4u << 20) /* bytes of one check's pcap file */

/* Frames a sandbox sends before its verdict (hx_verdict.h). */
#define HX_FRAME_CAPTURE      'P' /* the pcap file */
#define HX_FRAME_CAPTURE_NOTE 'Q' /* what it lacks, or why there is none */

struct hx_capture {
	int fd;		       /* the packet socket, -1 when not capturing */
	int wake[2];	       /* a byte on it tells the thread to stop */
	pthread_t thread;      /* reads fd into file */
	int running;	       /* 1 while the thread runs */
	struct hx_buf file;    /* the pcap file: header, then records */
	size_t max_bytes;      /* the file's cap */
	unsigned long packets; /* packets kept */
	int full;	       /* 1 once a packet did not fit: the socket
				  then takes no more */
	unsigned long other;   /* packets of devices that are not Ethernet */
	unsigned long dropped; /* packets the kernel dropped, queue full */
	struct hx_buf note;    /* why there is no capture, or what it lacks */
};

void hx_capture_init(struct hx_capture *cap);
/* Starts capturing every device of this network namespace; isolated
 * says the check has one of its own (else nothing is captured). */
int hx_capture_start(struct hx_capture *cap, int isolated, size_t max_bytes);
/* Reads what the kernel still holds, stops the thread and closes the
 * socket; the note then says what the file lacks. */
void hx_capture_stop(struct hx_capture *cap);
/* Writes the file (when there is one) and the note to fd as frames. */
int hx_capture_send(int fd, const struct hx_capture *cap);
void hx_capture_free(struct hx_capture *cap);

/* The packets in a pcap file as hx_capture writes it, or -1 when it is
 * not one. */
long hx_capture_count(const void *file, size_t len);

#endif
