/* hx_http.h - HTTP peers: a scripted server and a raw client.
 *
 * The server peer accepts one connection on a listener the check opened
 * (hx_tcp_listen), reads the request head under a deadline, parses it,
 * and answers as a reply plan says: a body framed by Content-Length, by
 * chunks of given sizes or by the close; head and body cut by hx_plan
 * (byte by byte, random pieces, delays); the body cut short; no reply at
 * all; or the connection left open after the reply, for a client that
 * must not wait for the close.
 *
 *	struct hx_http_reply_plan plan = { .status = 200, .body = "hi",
 *					   .body_len = 2 };
 *	struct hx_http_request req;
 *	struct hx_conn conn;
 *
 *	if (hx_http_serve(c, &listener, &conn, &req, &plan, 1000) < 0)
 *		return;
 *	... hx_http_header(&req, "Host") ...
 *	hx_close(c, &conn);
 *
 * The client peer sends a request exactly as given (so it may be
 * malformed), cut by a plan, reads the response until the server closes,
 * and parses its status line, headers and body.
 *
 * Every byte goes into the check's transcript. Nothing here prints or
 * exits: failures are recorded with hx_fail and returned as -1.
 */
#ifndef HX_HTTP_H
#define HX_HTTP_H

#include <stddef.h>

#include "hx_check.h"
#include "hx_net.h"

#define HX_HTTP_HEAD_MAX   16384 /* longest head either peer accepts */
#define HX_HTTP_MAX_FIELDS 32	 /* header fields kept per message */

/* How the server peer frames the body. */
enum hx_http_framing {
	HX_HTTP_LENGTH,	    /* Content-Length: body_len */
	HX_HTTP_CHUNKED,    /* Transfer-Encoding: chunked, sizes in chunks */
	HX_HTTP_UNTIL_CLOSE /* no length: the close ends the body */
};

/* What the server peer does after the head. */
enum hx_http_ending {
	HX_HTTP_CLOSE,	   /* the whole body, then close */
	HX_HTTP_KEEP_OPEN, /* the whole body, then keep the connection open
			      until the check closes it */
	HX_HTTP_CUT,	   /* only cut_at bytes of the body, then close */
	HX_HTTP_NO_REPLY   /* close at once, without a byte */
};

/* A response the server peer sends. Zeroed fields mean: whole sends,
 * Content-Length framing, close after the body. When both plans are
 * whole, head and body go out in a single send. */
struct hx_http_reply_plan {
	int status;		      /* 200, 301, 404, ... */
	const char *reason;	      /* NULL: the usual one for status */
	const char *headers;	      /* extra lines, each ending "\r\n" */
	const void *body;	      /* the body's bytes (may hold NUL) */
	size_t body_len;	      /* bytes of body */
	enum hx_http_framing framing; /* how the body's end is shown */
	const size_t *chunks;	      /* HX_HTTP_CHUNKED: sizes of the first
					 chunks; the rest goes in one more */
	int nchunks;		      /* entries in chunks */
	enum hx_http_ending ending;   /* what happens after the head */
	size_t cut_at;		      /* HX_HTTP_CUT: body bytes sent */
	struct hx_plan head_plan;     /* how the head is cut and paced */
	struct hx_plan body_plan;     /* how the body is cut and paced */
};

/* One header field, as received (name without its colon, value without
 * the spaces around it). */
struct hx_http_field {
	char name[64];	 /* "Content-Length" */
	char value[512]; /* "1234" */
};

/* A parsed request (server peer) or response (client peer). */
struct hx_http_message {
	struct hx_buf head;  /* raw head, through its blank line */
	struct hx_buf body;  /* response body (client peer only) */
	char start[3][2048]; /* request: method, target, version;
				response: version, status, reason */
	int status;	     /* response: status code, else 0 */
	struct hx_http_field fields[HX_HTTP_MAX_FIELDS]; /* in order */
	int nfields;					 /* fields in use */
	int bare_lf; /* 1 if lines ended in "\n" without "\r" */
};

void hx_http_message_init(struct hx_http_message *m);
void hx_http_message_free(struct hx_http_message *m);

/* The value of the first field called name (any case), or NULL. */
const char *hx_http_header(const struct hx_http_message *m, const char *name);

/* Server peer: reads a request head from conn into req under a deadline
 * and parses it. A head that is not a request line and fields fails. */
int hx_http_read_request(struct hx_check *c, struct hx_conn *conn,
			 struct hx_http_message *req, int timeout_ms);

/* Server peer: sends the response plan describes on conn, and closes
 * conn unless the plan keeps it open. */
int hx_http_send_reply(struct hx_check *c, struct hx_conn *conn,
		       const struct hx_http_reply_plan *plan);

/* Server peer, all three steps: accepts a connection on listener into
 * conn, reads the request into req (initialised here) and replies. The
 * caller frees req and closes conn (a no-op once the reply closed it). */
int hx_http_serve(struct hx_check *c, struct hx_conn *listener,
		  struct hx_conn *conn, struct hx_http_message *req,
		  const struct hx_http_reply_plan *plan, int timeout_ms);

/* Client peer: sends request (len bytes, exactly) on conn cut by plan
 * (NULL: whole), reads until the server closes (at most max bytes) and
 * parses the response into resp (initialised here): the body is what
 * follows the head; with a Content-Length field, a body of another
 * length fails. */
int hx_http_exchange(struct hx_check *c, struct hx_conn *conn,
		     const void *request, size_t len,
		     const struct hx_plan *plan, struct hx_http_message *resp,
		     size_t max, int timeout_ms);

/* Client peer on a connection of its own to host:port. */
int hx_http_fetch(struct hx_check *c, const char *host, int port,
		  const char *request, const struct hx_plan *plan,
		  struct hx_http_message *resp, size_t max, int timeout_ms);

/* Parses a response received whole (head, then body until the close)
 * from raw. Returns 0, or -1 after hx_fail. */
int hx_http_parse_response(struct hx_check *c, const void *raw, size_t len,
			   struct hx_http_message *resp);

/* Requires the file at path to hold exactly expected (len bytes). */
int hx_expect_file(struct hx_check *c, const char *path, const void *expected,
		   size_t len);

/* Requires that no file exists at path. */
int hx_expect_no_file(struct hx_check *c, const char *path);

#endif
