/* hx_cgroup.c - a cgroup per sandbox, v1 or v2, found from /proc/self. */
#define _GNU_SOURCE
#include "hx_cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* v1 hierarchies, in the order of struct hx_cgroup's dirs. */
enum { HX_CG_CPU, HX_CG_CPUACCT, HX_CG_MEMORY, HX_CG_PIDS };
static const char *const hx_v1_controllers[HX_CGROUP_DIRS] = {"cpu", "cpuacct",
							      "memory", "pids"};

/* What was found on this machine, once. */
static struct {
	int probed;			 /* 1 once looked for */
	int version;			 /* 0, 1 or 2 */
	char bases[HX_CGROUP_DIRS][512]; /* our own group in each hierarchy */
	int nbases;			 /* bases in use */
} hx_found;

static int hx_write_text(const char *dir, const char *file, const char *text)
{
	char path[700];
	size_t len = strlen(text);
	int fd, rc;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	rc = write(fd, text, len) == (ssize_t)len ? 0 : -1;
	if (close(fd) < 0)
		rc = -1;
	return rc;
}

/* Reads a small file of dir into buf; the empty string when absent. */
static void hx_read_text(const char *dir, const char *file, char *buf,
			 size_t size)
{
	char path[700];
	ssize_t n = -1;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, size - 1);
		close(fd);
	}
	buf[n > 0 ? n : 0] = '\0';
}

/* The number after "key " in a "key value" file, or 0. */
static int64_t hx_read_key(const char *dir, const char *file, const char *key)
{
	char text[4096];
	size_t klen = strlen(key);

	hx_read_text(dir, file, text, sizeof(text));
	for (char *line = text; line && *line; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (strncmp(line, key, klen) == 0 && line[klen] == ' ')
			return strtoll(line + klen + 1, NULL, 10);
	}
	return 0;
}

static int64_t hx_read_number(const char *dir, const char *file)
{
	char text[64];

	hx_read_text(dir, file, text, sizeof(text));
	return strtoll(text, NULL, 10);
}

/* 1 if the comma-separated list holds word. */
static int hx_has_word(const char *list, const char *word, char sep)
{
	size_t len = strlen(word);

	for (const char *p = list; p && *p;) {
		size_t n = strcspn(p, sep == ',' ? ",\n" : " \n");

		if (n == len && strncmp(p, word, len) == 0)
			return 1;
		p += n;
		while (*p == sep || *p == '\n')
			p++;
	}
	return 0;
}

/* This process's path in the hierarchy holding controller (v1), or in
 * the v2 hierarchy (controller NULL). */
static int hx_own_path(const char *controller, char *out, size_t size)
{
	char line[1024];
	FILE *f = fopen("/proc/self/cgroup", "re");
	int found = -1;

	if (!f)
		return -1;
	while (found < 0 && fgets(line, sizeof(line), f)) {
		char *names = strchr(line, ':'), *path;

		if (!names || !(path = strchr(names + 1, ':')))
			continue;
		*path++ = '\0';
		path[strcspn(path, "\n")] = '\0';
		names++;
		if (controller
			? hx_has_word(names, controller, ',')
			: (*names == '\0' && strncmp(line, "0", 1) == 0)) {
			snprintf(out, size, "%s", path);
			found = 0;
		}
	}
	fclose(f);
	return found;
}

/* The folder of our own group in the hierarchy that holds controller
 * (v1) or in the v2 one: its mount point joined with our path. */
static int hx_own_dir(const char *controller, char *out, size_t size)
{
	char line[2048], own[240];
	FILE *f;
	int found = -1;

	if (hx_own_path(controller, own, sizeof(own)) < 0)
		return -1;
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -1;
	while (found < 0 && fgets(line, sizeof(line), f)) {
		char root[256], point[256], type[64], options[512];
		const char *dash = strstr(line, " - ");
		size_t rootlen;

		if (!dash ||
		    sscanf(line, "%*s %*s %*s %255s %255s", root, point) != 2 ||
		    sscanf(dash + 3, "%63s %*s %511s", type, options) != 2)
			continue;
		if (controller ? strcmp(type, "cgroup") != 0 ||
				     !hx_has_word(options, controller, ',')
			       : strcmp(type, "cgroup2") != 0)
			continue;
		/* a mount of part of the hierarchy shows our path below it */
		rootlen = strcmp(root, "/") == 0 ? 0 : strlen(root);
		if (strncmp(own, root, rootlen) != 0)
			continue;
		snprintf(out, size, "%s%s", point, own + rootlen);
		found = 0;
	}
	fclose(f);
	return found;
}

/* v2 lets a group hand controllers to its children only when it holds
 * no process itself: the processes of our group move into a leaf of it,
 * then cpu, memory and pids are switched on for its children. */
static int hx_v2_prepare(const char *base)
{
	char text[4096], leaf[600];

	hx_read_text(base, "cgroup.controllers", text, sizeof(text));
	if (!hx_has_word(text, "cpu", ' ') ||
	    !hx_has_word(text, "memory", ' ') ||
	    !hx_has_word(text, "pids", ' '))
		return -1;
	hx_read_text(base, "cgroup.subtree_control", text, sizeof(text));
	if (hx_has_word(text, "cpu", ' ') && hx_has_word(text, "memory", ' ') &&
	    hx_has_word(text, "pids", ' '))
		return 0;
	snprintf(leaf, sizeof(leaf), "%s/socklab.leaf", base);
	if (mkdir(leaf, 0755) < 0 && errno != EEXIST)
		return -1;
	hx_read_text(base, "cgroup.procs", text, sizeof(text));
	for (char *pid = strtok(text, "\n"); pid; pid = strtok(NULL, "\n"))
		hx_write_text(leaf, "cgroup.procs", pid);
	return hx_write_text(base, "cgroup.subtree_control",
			     "+cpu +memory +pids");
}

int hx_cgroup_kind(void)
{
	char dir[512];

	if (hx_found.probed)
		return hx_found.version;
	hx_found.probed = 1;
	if (getenv("SOCKLAB_NO_CGROUPS"))
		return 0;
	if (hx_own_dir(NULL, dir, sizeof(dir)) == 0 && access(dir, W_OK) == 0 &&
	    hx_v2_prepare(dir) == 0) {
		snprintf(hx_found.bases[0], sizeof(hx_found.bases[0]), "%s",
			 dir);
		hx_found.nbases = 1;
		hx_found.version = 2;
		return 2;
	}
	for (int i = 0; i < HX_CGROUP_DIRS; i++) {
		if (hx_own_dir(hx_v1_controllers[i], hx_found.bases[i],
			       sizeof(hx_found.bases[i])) < 0 ||
		    access(hx_found.bases[i], W_OK) < 0)
			return 0;
	}
	hx_found.nbases = HX_CGROUP_DIRS;
	hx_found.version = 1;
	return 1;
}

int hx_cgroup_create_in(struct hx_cgroup *cg, int version,
			const char *const *bases, int nbases, const char *name,
			const struct hx_budget *b)
{
	char number[32];

	memset(cg, 0, sizeof(*cg));
	for (int i = 0; i < nbases && i < HX_CGROUP_DIRS; i++) {
		snprintf(cg->dirs[i], sizeof(cg->dirs[i]), "%s/%s", bases[i],
			 name);
		/* cpu and cpuacct are often one hierarchy: made once */
		if (mkdir(cg->dirs[i], 0755) < 0 && errno != EEXIST)
			goto out_remove;
		cg->ndirs = i + 1;
	}
	cg->version = version;
	if (version == 2) {
		snprintf(number, sizeof(number), "%lld",
			 (long long)b->memory_mb << 20);
		if (hx_write_text(cg->dirs[0], "memory.max", number) < 0)
			goto out_remove;
		hx_write_text(cg->dirs[0], "memory.swap.max", "0");
		snprintf(number, sizeof(number), "%d", b->pids);
		if (hx_write_text(cg->dirs[0], "pids.max", number) < 0 ||
		    hx_write_text(cg->dirs[0], "cpu.weight", "100") < 0)
			goto out_remove;
		return 0;
	}
	snprintf(number, sizeof(number), "%lld", (long long)b->memory_mb << 20);
	if (hx_write_text(cg->dirs[HX_CG_MEMORY], "memory.limit_in_bytes",
			  number) < 0)
		goto out_remove;
	snprintf(number, sizeof(number), "%d", b->pids);
	if (hx_write_text(cg->dirs[HX_CG_PIDS], "pids.max", number) < 0 ||
	    hx_write_text(cg->dirs[HX_CG_CPU], "cpu.shares", "1024") < 0)
		goto out_remove;
	return 0;

out_remove:
	hx_cgroup_remove(cg);
	cg->version = 0;
	return -1;
}

int hx_cgroup_create(struct hx_cgroup *cg, const char *name,
		     const struct hx_budget *b)
{
	const char *bases[HX_CGROUP_DIRS];
	int version = hx_cgroup_kind();

	memset(cg, 0, sizeof(*cg));
	if (version == 0)
		return -1;
	for (int i = 0; i < hx_found.nbases; i++)
		bases[i] = hx_found.bases[i];
	return hx_cgroup_create_in(cg, version, bases, hx_found.nbases, name,
				   b);
}

int hx_cgroup_attach(const struct hx_cgroup *cg, pid_t pid)
{
	char number[32];

	snprintf(number, sizeof(number), "%d", (int)pid);
	for (int i = 0; i < cg->ndirs; i++)
		if (hx_write_text(cg->dirs[i], "cgroup.procs", number) < 0)
			return -1;
	return 0;
}

void hx_cgroup_usage(const struct hx_cgroup *cg, struct hx_usage *u)
{
	memset(u, 0, sizeof(*u));
	if (cg->version == 2) {
		const char *dir = cg->dirs[0];
		int64_t peak = hx_read_number(dir, "memory.peak");

		u->cpu_ms = hx_read_key(dir, "cpu.stat", "usage_usec") / 1000;
		u->memory_mb =
		    (peak ? peak : hx_read_number(dir, "memory.current")) >> 20;
		u->oom_kills =
		    (int)hx_read_key(dir, "memory.events", "oom_kill");
		u->pids_refused = (int)hx_read_key(dir, "pids.events", "max");
	} else if (cg->version == 1) {
		u->cpu_ms =
		    hx_read_number(cg->dirs[HX_CG_CPUACCT], "cpuacct.usage") /
		    1000000;
		u->memory_mb = hx_read_number(cg->dirs[HX_CG_MEMORY],
					      "memory.max_usage_in_bytes") >>
			       20;
		u->oom_kills = (int)hx_read_key(
		    cg->dirs[HX_CG_MEMORY], "memory.oom_control", "oom_kill");
		u->pids_refused = (int)hx_read_key(cg->dirs[HX_CG_PIDS],
						   "pids.events", "max");
	}
}

int hx_cgroup_remove(struct hx_cgroup *cg)
{
	int rc = 0;

	for (int i = cg->ndirs - 1; i >= 0; i--) {
		if (!cg->dirs[i][0])
			continue;
		if (rmdir(cg->dirs[i]) == 0 || errno == ENOENT)
			cg->dirs[i][0] = '\0';
		else
			rc = -1;
	}
	return rc;
}
