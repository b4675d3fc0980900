/* hx_footprint.c - a program's children, memory and leftovers. */
#define _GNU_SOURCE
#include "hx_footprint.h"
#include "hx_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int hx_proc_count_sockets(struct hx_proc *p)
{
	char dir[64], path[320], link[64];
	struct dirent *e;
	DIR *fds;
	int count = 0;

	if (!hx_proc_running(p))
		return -1;
	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)p->pid);
	fds = opendir(dir);
	if (!fds)
		return -1;
	while ((e = readdir(fds))) {
		ssize_t len;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		len = readlink(path, link, sizeof(link) - 1);
		if (len <= 0)
			continue;
		link[len] = '\0';
		count += strncmp(link, "socket:", 7) == 0;
	}
	closedir(fds);
	return count;
}

int hx_proc_count_children(struct hx_proc *p)
{
	char path[320], text[1024];
	struct dirent *e;
	DIR *dir;
	int n = 0;

	if (!hx_proc_running(p))
		return -1;
	dir = opendir("/proc");
	if (!dir)
		return -1;
	while ((e = readdir(dir))) {
		const char *after;
		int ppid;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		if (hx_read_proc(path, text, sizeof(text)) < 0)
			continue;
		/* "pid (comm) S ppid ...": the name may hold anything */
		after = strrchr(text, ')');
		if (after && sscanf(after, ") %*c %d", &ppid) == 1 &&
		    ppid == (int)p->pid)
			n++;
	}
	closedir(dir);
	return n;
}

long hx_proc_rss_kb(struct hx_proc *p)
{
	char path[64], text[4096];
	const char *at;

	if (!hx_proc_running(p))
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)p->pid);
	if (hx_read_proc(path, text, sizeof(text)) < 0)
		return -1;
	at = strstr(text, "\nVmRSS:");
	return at ? strtol(at + 7, NULL, 10) : -1;
}

/* "in use at exit: 1,024 bytes in 2 blocks" (Valgrind groups digits
 * with commas) into bytes and blocks; anything else changes nothing. */
static void hx_parse_in_use(const char *line, size_t len, long *bytes,
			    long *blocks)
{
	char plain[256];
	size_t n = 0;

	for (size_t i = 0; i < len && n + 1 < sizeof(plain); i++)
		if (line[i] != ',')
			plain[n++] = line[i];
	plain[n] = '\0';
	sscanf(plain, " in use at exit: %ld bytes in %ld", bytes, blocks);
}

void hx_proc_heap_in_use(const struct hx_proc *p, long *bytes, long *blocks)
{
	char prefix[32];
	const char *line = p->log.data ? p->log.data : "";
	int plen = snprintf(prefix, sizeof(prefix), "==%d== ", (int)p->pid);

	*bytes = 0;
	*blocks = 0;
	while (*line) {
		size_t len = strcspn(line, "\n");

		if ((int)len > plen && strncmp(line, prefix, (size_t)plen) == 0)
			hx_parse_in_use(line + plen, len - (size_t)plen, bytes,
					blocks);
		line += len;
		line += *line == '\n';
	}
}
