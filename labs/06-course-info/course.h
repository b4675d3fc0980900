/* course.h - the course-information protocol of lab 06, shared by server
 * and client.
 *
 * The protocol, one line each way:
 *   request  a course name and "\n" (a "\r" before the "\n" is dropped);
 *            at most REQUEST_MAX bytes before the "\n"; letters in any
 *            case ("python", as the lecture types it, or "Python")
 *   reply    one line ending in "\n":
 *              CourseName:Python,Duration:1Year,Fee=4000   a known course
 *              this course is not available               any other name
 *              error: empty request                       an empty line
 *              error: request too long                    a line over the
 *                                                         limit (the rest
 *                                                         of it is dropped)
 * Several requests may follow each other on one connection.
 *
 * Nothing here keeps hidden state: a line reader and a course table are
 * structures the caller owns and passes in.
 */
#ifndef COURSE_H
#define COURSE_H

#include <stddef.h>
#include <sys/types.h>

/* Exit statuses, the same in every lab. */
#define EXIT_OK	     0 /* the program did its job */
#define EXIT_USAGE   1 /* wrong arguments: a "usage:" line was printed */
#define EXIT_RUNTIME 2 /* a call failed or a file is wrong: reported */

/* The longest request, in bytes before its "\n" (a "\r" counts). */
#define REQUEST_MAX 256

/* The replies that are not course lines, without their "\n". */
#define REPLY_NOT_AVAILABLE "this course is not available"
#define REPLY_EMPTY	    "error: empty request"
#define REPLY_TOO_LONG	    "error: request too long"

#define COURSES_MAX 32 /* courses a table holds */
#define FIELD_MAX   64 /* bytes of one field, with its '\0' */

/* One course: the three fields of a reply. */
struct course {
	char name[FIELD_MAX];	  /* "Python": compared whole, in any case */
	char duration[FIELD_MAX]; /* "1Year" */
	char fee[FIELD_MAX];	  /* "4000" */
};

/* The courses a server knows. */
struct course_table {
	struct course courses[COURSES_MAX]; /* in the order they were read */
	int count;			    /* courses in use */
};

/* What read_line found. */
enum line_status {
	LINE_ERROR = -1,  /* recv failed: errno says why (EINTR too) */
	LINE_EOF = 0,	  /* the peer closed; an unfinished line is dropped */
	LINE_OK = 1,	  /* a whole line is in the caller's buffer */
	LINE_TOO_LONG = 2 /* over REQUEST_MAX bytes: the rest of that line
			     will be skipped by the next calls */
};

/* Reads lines from a stream socket, whatever pieces they arrive in.
 * Bytes received after a line stay here for the next call. */
struct line_reader {
	int fd;			   /* the connected socket */
	int skipping;		   /* 1 while dropping an overlong line */
	size_t len;		   /* bytes waiting in buf */
	char buf[REQUEST_MAX + 1]; /* received, not yet returned */
};

/* Returns the port written in text (a whole number 1..65535), or -1. */
int parse_port(const char *text);

/* Writes all n bytes of buf to fd, retrying short writes and EINTR;
 * returns n, or -1 with errno set. */
ssize_t writen(int fd, const void *buf, size_t n);

/* Prepares r to read lines from fd. */
void line_reader_init(struct line_reader *r, int fd);

/* Gets the next line from r into line (size > REQUEST_MAX), without its
 * "\n" and without a "\r" just before it, as a C string. */
enum line_status read_line(struct line_reader *r, char *line, size_t size);

/* Fills table with the lecture's three courses: Python, Java, C. */
void table_builtin(struct course_table *table);

/* Fills table from a file of lines "Name,Duration,Fee". Returns 0, or -1
 * with a message naming the file (and the line) in error. */
int table_load(struct course_table *table, const char *path, char *error,
	       size_t error_size);

/* Writes the reply line to request, "\n" included, into reply: the first
 * course whose name is the whole request, compared without case. */
void course_reply(const struct course_table *table, const char *request,
		  char *reply, size_t size);

#endif
