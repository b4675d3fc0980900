/* hx_tools.c - what Valgrind and the sanitizers reported, read only from
 * their own channels: Valgrind's log pipe (hx_proc.c) and the sanitizers'
 * report files. Nothing a program prints on stdout or stderr is taken
 * for a tool's report, and only the lines Valgrind wrote for the process
 * itself count. */
#define _GNU_SOURCE
#include "hx_tools.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hx_file.h"

#define HX_REPORT_MAX (64 << 10) /* bytes read of one sanitizer report */

/* The lines of p's tool log that Valgrind wrote for p itself, each
 * starting "==PID== ", without that prefix. */
static void hx_own_lines(const struct hx_proc *p, struct hx_buf *out)
{
	char prefix[32];
	size_t plen;
	const char *line = p->log.data ? p->log.data : "";

	plen = (size_t)snprintf(prefix, sizeof(prefix), "==%d== ", (int)p->pid);
	while (*line) {
		size_t len = strcspn(line, "\n");

		if (len >= plen && strncmp(line, prefix, plen) == 0) {
			hx_buf_add(out, line + plen, len - plen);
			hx_buf_add(out, "\n", 1);
		}
		line += len;
		if (*line == '\n')
			line++;
	}
	if (!out->data)
		hx_buf_add(out, "", 0);
}

/* The number after the last "key" in text; -1 if absent. Valgrind writes
 * its summary last, after the program has ended. */
static long hx_last_number_after(const char *text, const char *key)
{
	const char *at = NULL;

	for (const char *hit = text; (hit = strstr(hit, key)); hit++)
		at = hit;
	return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

/* A summary counts only from a program that ended by itself: one killed
 * by a signal never had Valgrind write it. */
static int hx_ended_normally(const struct hx_proc *p)
{
	return p->exited && WIFEXITED(p->wait_status);
}

int hx_proc_expect_tool_clean(struct hx_check *c, struct hx_proc *p)
{
	struct hx_buf log;
	const char *first;
	long errors;
	int rc = 0;

	if (!p->tool)
		return 0;
	hx_buf_init(&log);
	hx_own_lines(p, &log);
	errors = hx_ended_normally(p)
		     ? hx_last_number_after(log.data, "ERROR SUMMARY: ")
		     : -1;
	if (errors < 0) {
		rc = hx_fail(c, HX_ERROR,
			     "%s: the tool wrote no summary (did "
			     "the program exit normally?)",
			     p->label);
	} else if (errors > 0) {
		/* a report starts after a line of dashes: "Possible data
		 * race during write ..." and its first frame "at 0x...: f" */
		first = strstr(log.data, "Possible data race");
		if (!first)
			first = strstr(log.data, "Lock at");
		rc = hx_fail_values(c, HX_FAIL, NULL, 0, log.data, log.len,
				    "%s: %ld error(s) found by the thread "
				    "checker%s%.*s",
				    p->label, errors, first ? "; first: " : "",
				    first ? (int)strcspn(first, "\n") : 0,
				    first ? first : "");
	}
	hx_buf_free(&log);
	return rc;
}

/* Descriptors memcheck lists as open at exit ("Open file descriptor 5:",
 * "Open AF_INET socket 4:"), but the standard three and the log's own,
 * which sits above every descriptor the program may use. */
static long hx_count_open_descriptors(const char *log, int first_reserved)
{
	long count = 0;

	for (const char *at = log; (at = strstr(at, "Open ")); at++) {
		const char *end = strchr(at, '\n');
		const char *colon =
		    memchr(at, ':', end ? (size_t)(end - at) : strlen(at));
		const char *digits = colon;
		long fd;

		if (at != log && at[-1] != '\n')
			continue;
		while (digits && digits > at && digits[-1] >= '0' &&
		       digits[-1] <= '9')
			digits--;
		if (!colon || digits == colon)
			continue;
		fd = strtol(digits, NULL, 10);
		count += fd > 2 && fd < first_reserved;
	}
	return count;
}

void hx_proc_memcheck(const struct hx_proc *p, struct hx_buf *out)
{
	struct hx_buf log;
	long errors, lost, fds;

	if (!p->tool || strcmp(p->tool, "memcheck") != 0)
		return;
	hx_buf_init(&log);
	hx_own_lines(p, &log);
	errors = hx_ended_normally(p)
		     ? hx_last_number_after(log.data, "ERROR SUMMARY: ")
		     : -1;
	if (errors < 0) {
		hx_buf_addf(out,
			    "%s: no memcheck summary (it did not exit "
			    "normally)\n",
			    p->label);
		goto out_free;
	}
	lost = hx_last_number_after(log.data, "definitely lost: ");
	fds = hx_count_open_descriptors(log.data, p->max_files);
	if (errors == 0 && lost <= 0 && fds == 0) {
		hx_buf_addf(out, "%s: clean\n", p->label);
		goto out_free;
	}
	hx_buf_addf(out,
		    "%s: %ld error(s), %ld byte(s) definitely lost, %ld "
		    "descriptor(s) left open at exit",
		    p->label, errors, lost > 0 ? lost : 0, fds);
	{
		/* the first error's description says where to look */
		const char *first = strstr(log.data, "Invalid");

		if (!first)
			first = strstr(log.data, "Conditional jump");
		if (first)
			hx_buf_addf(out, "; first: %.*s",
				    (int)strcspn(first, "\n"), first);
	}
	hx_buf_add(out, "\n", 1);
out_free:
	hx_buf_free(&log);
}

/* The first frame of a leak's stack that is the program's own, not the
 * allocator's: "in read_line course.c:88". */
static void hx_leak_frame(const char *report, struct hx_buf *out)
{
	static const char *const allocators[] = {
	    " in malloc",  " in calloc",	 " in realloc", " in strdup",
	    " in strndup", " in __interceptor_", NULL};

	for (const char *frame = report; (frame = strstr(frame, "#"));
	     frame++) {
		const char *in = strstr(frame, " in ");
		const char *eol = strchr(frame, '\n');
		int allocator = 0;

		if (!in || (eol && in > eol))
			continue;
		for (int i = 0; allocators[i]; i++)
			allocator |= strncmp(in, allocators[i],
					     strlen(allocators[i])) == 0;
		if (!allocator) {
			hx_buf_addf(out, ", allocated%.*s",
				    (int)strcspn(in, "\n"), in);
			return;
		}
	}
}

/* One line naming a sanitizer report: its kind and first frame. */
static int hx_summarise_report(const char *text, struct hx_buf *out)
{
	const char *report = strstr(text, "ERROR: AddressSanitizer: ");
	const char *frame;

	if (!report && (report = strstr(text, "ERROR: LeakSanitizer: "))) {
		const char *total =
		    strstr(report, "SUMMARY: AddressSanitizer: ");

		size_t len = total ? strcspn(total + 27, "\n") : 0;

		/* "100 byte(s) leaked in 1 allocation(s)." */
		if (len && total[27 + len - 1] == '.')
			len--;
		hx_buf_addf(out, "LeakSanitizer: %.*s", total ? (int)len : 23,
			    total ? total + 27 : "detected memory leaks");
		hx_leak_frame(report, out);
		return 1;
	}

	if (report) {
		const char *kind = report + strlen("ERROR: ");

		hx_buf_add(out, kind, strcspn(kind, "\n"));
		frame = strstr(report, "#0 ");
		if (frame) {
			const char *in = strstr(frame, " in ");
			const char *eol = strchr(frame, '\n');

			if (in && (!eol || in < eol))
				hx_buf_addf(out, ", first frame:%.*s",
					    (int)strcspn(in, "\n"), in);
		}
		return 1;
	}
	report = strstr(text, "runtime error: ");
	if (report) {
		const char *start = report;

		while (start > text && start[-1] != '\n')
			start--;
		hx_buf_addf(out, "UndefinedBehaviorSanitizer: %.*s",
			    (int)strcspn(start, "\n"), start);
		return 1;
	}
	return 0;
}

int hx_sanitizer_reports(const char *dir, struct hx_proc *const *procs,
			 int nprocs, struct hx_buf *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		const char *label = "a process the programs started";
		struct hx_buf text, line;
		long pid;

		if (strncmp(e->d_name, "report.", 7) != 0)
			continue;
		pid = strtol(e->d_name + 7, NULL, 10);
		for (int i = 0; i < nprocs; i++)
			if (procs[i]->pid == pid)
				label = procs[i]->label;
		hx_buf_init(&text);
		hx_buf_init(&line);
		hx_read_shared_at(dirfd(d), e->d_name, HX_REPORT_MAX, &text);
		if (hx_summarise_report(text.data ? text.data : "", &line)) {
			hx_buf_addf(out, "%s%s: %s", found ? "\n" : "", label,
				    line.data);
			found++;
		}
		hx_buf_free(&text);
		hx_buf_free(&line);
	}
	closedir(d);
	return found;
}
