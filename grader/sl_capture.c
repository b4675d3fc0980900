/* sl_capture.c - each check's packets, as pcap files in the --pcap folder. */
#define _GNU_SOURCE
#include "sl_capture.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../harness/hx_capture.h"

void sl_capture_path(const struct sl_run *run, const struct sl_check *check,
		     char *out, size_t size)
{
	char lab[128];

	sl_lab_dirname(run->lab, lab, sizeof(lab));
	snprintf(out, size, "%s/%s-%s.pcap", run->opt.pcap, lab, check->id);
}

int sl_output_folder(const char *option, const char *dir, char *err,
		     size_t errlen)
{
	char path[1024];
	struct stat st;

	snprintf(path, sizeof(path), "%s", dir);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			goto out_fail;
		*p = '/';
	}
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		goto out_fail;
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode) ||
	    access(dir, W_OK | X_OK) < 0) {
		snprintf(err, errlen,
			 "%s %s: not a folder socklab can write to", option,
			 dir);
		return -1;
	}
	return 0;

out_fail:
	snprintf(err, errlen, "%s %s: mkdir %s: %s", option, dir, path,
		 strerror(errno));
	return -1;
}

/* Writes one file whole; 0 or -1 with err. A link in its place is not
 * followed. */
static int sl_write_file(const char *path, const struct hx_buf *data, char *err,
			 size_t errlen)
{
	int fd = open(
	    path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);

	if (fd < 0)
		goto out_fail;
	if (hx_write_all(fd, data->data, data->len) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		goto out_fail;
	}
	if (close(fd) < 0)
		goto out_fail;
	return 0;

out_fail:
	snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
	return -1;
}

int sl_capture_write(const struct sl_run *run, char *err, size_t errlen)
{
	char path[1200];

	if (!run->opt.pcap)
		return 0;
	for (int i = 0; i < run->lab->nchecks; i++) {
		const struct sl_result *r = &run->results[i];

		if (!r->selected || !r->check->run)
			continue;
		sl_capture_path(run, r->check, path, sizeof(path));
		if (r->verdict.capture.len == 0) {
			/* an earlier run's file would pass for this one's */
			if (unlink(path) < 0 && errno != ENOENT) {
				snprintf(err, errlen, "cannot remove %s: %s",
					 path, strerror(errno));
				return -1;
			}
			continue;
		}
		if (sl_write_file(path, &r->verdict.capture, err, errlen) < 0)
			return -1;
	}
	return 0;
}

void sl_capture_describe(const struct sl_run *run, const struct sl_result *r,
			 struct hx_buf *out)
{
	const struct hx_verdict *v = &r->verdict;
	char path[1200];
	long packets;

	if (!run->opt.pcap || !r->check->run)
		return;
	if (v->capture.len == 0) {
		if (v->capture_note.len)
			hx_buf_add(out, v->capture_note.data,
				   v->capture_note.len);
		else
			hx_buf_addf(out,
				    "none: the check ended before it could "
				    "send one");
		return;
	}
	sl_capture_path(run, r->check, path, sizeof(path));
	packets = hx_capture_count(v->capture.data, v->capture.len);
	hx_buf_addf(out,
		    "%s, %ld packets, %zu bytes (wireshark FILE, or "
		    "tshark -r FILE)",
		    path, packets, v->capture.len);
	if (v->capture_note.len) {
		hx_buf_add(out, "; ", 2);
		hx_buf_add(out, v->capture_note.data, v->capture_note.len);
	}
}

int sl_capture_files(const struct sl_run *run)
{
	int files = 0;

	for (int i = 0; run->opt.pcap && i < run->lab->nchecks; i++)
		files += run->results[i].selected &&
			 run->results[i].verdict.capture.len > 0;
	return files;
}
