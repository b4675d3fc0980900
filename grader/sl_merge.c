/* sl_merge.c - a class split across machines: which students a shard
 * grades, the record of a batch's students (students.tsv), and merging
 * the results of shards into what one batch would have written.
 *
 * students.tsv, one line per student after a header line
 * "socklab-students\t1\tLAB", fields separated by tabs, with tab, newline,
 * carriage return and backslash written as \t \n \r \\:
 *	id, source, problem, graded, regraded, score, max_score,
 *	hidden_score, hidden_max, duration_ms,
 *	then per check of the lab: points, status, message.
 */
#define _GNU_SOURCE
#include "sl_grade.h"
#include "sl_class.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SL_RECORD_MAGIC	  "socklab-students"
#define SL_RECORD_VERSION 1
#define SL_RECORD_FILE	  "students.tsv"

int sl_parse_shard(const char *text, int *k, int *n)
{
	char extra;

	return sscanf(text, "%d/%d%c", k, n, &extra) == 2 && *n >= 1 &&
		       *n <= 1000 && *k >= 1 && *k <= *n
		   ? 0
		   : -1;
}

int sl_in_shard(const char *id, int k, int n)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	if (n <= 1)
		return 1;
	for (const char *p = id; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return (int)(h % (uint64_t)n) == k - 1;
}

/* One field, escaped. */
static void sl_put_field(FILE *out, const char *text)
{
	for (const char *p = text ? text : ""; *p; p++) {
		switch (*p) {
		case '\t':
			fputs("\\t", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		default:
			fputc(*p, out);
		}
	}
}

int sl_write_records(const struct sl_lab *lab, const struct sl_student *s,
		     int n, const char *dir, char *err, size_t errlen)
{
	char path[1200];
	FILE *out;

	snprintf(path, sizeof(path), "%s/%s", dir, SL_RECORD_FILE);
	out = fopen(path, "w");
	if (!out) {
		snprintf(err, errlen, "cannot write %s: %s", path,
			 strerror(errno));
		return -1;
	}
	fprintf(out, "%s\t%d\t%s\n", SL_RECORD_MAGIC, SL_RECORD_VERSION,
		lab->number);
	for (int i = 0; i < n; i++) {
		const struct sl_student *st = &s[i];

		sl_put_field(out, st->id);
		fputc('\t', out);
		sl_put_field(out, st->source);
		fputc('\t', out);
		sl_put_field(out, st->problem);
		fprintf(out, "\t%d\t%d\t%d\t%d\t%d\t%d\t%lld", st->graded,
			st->regraded, st->score, st->max_score,
			st->hidden_score, st->hidden_max,
			(long long)st->duration_ms);
		for (int c = 0; c < lab->nchecks; c++) {
			fprintf(out, "\t%d\t%d\t", st->points[c],
				st->status[c]);
			sl_put_field(out, st->message[c]);
		}
		fputc('\n', out);
	}
	if (ferror(out) | (fclose(out) != 0)) {
		snprintf(err, errlen, "cannot write %s: %s", path,
			 strerror(errno));
		return -1;
	}
	return 0;
}

/* Splits line at tabs in place, undoing the escapes; the number of
 * fields, at most max. */
static int sl_split_fields(char *line, char **fields, int max)
{
	int n = 0;
	char *out = line;

	fields[n++] = out;
	for (char *p = line; *p && *p != '\n'; p++) {
		if (*p == '\t') {
			*out++ = '\0';
			if (n == max)
				return -1;
			fields[n++] = out;
		} else if (*p == '\\' && p[1]) {
			p++;
			*out++ = *p == 't'   ? '\t'
				 : *p == 'n' ? '\n'
				 : *p == 'r' ? '\r'
					     : *p;
		} else {
			*out++ = *p;
		}
	}
	*out = '\0';
	return n;
}

/* Opens dir's record and reads its header: the lab's number. */
static FILE *sl_open_records(const char *dir, char *number, size_t size,
			     char *err, size_t errlen)
{
	char path[1200], line[256], magic[64], lab[16];
	int version;
	FILE *in;

	snprintf(path, sizeof(path), "%s/%s", dir, SL_RECORD_FILE);
	in = fopen(path, "r");
	if (!in) {
		snprintf(err, errlen,
			 "%s: %s (not the output of socklab batch?)", path,
			 strerror(errno));
		return NULL;
	}
	if (!fgets(line, sizeof(line), in) ||
	    sscanf(line, "%63[^\t]\t%d\t%15s", magic, &version, lab) != 3 ||
	    strcmp(magic, SL_RECORD_MAGIC) != 0 ||
	    version != SL_RECORD_VERSION) {
		snprintf(err, errlen, "%s: not a socklab batch record", path);
		fclose(in);
		return NULL;
	}
	snprintf(number, size, "%s", lab);
	return in;
}

int sl_records_lab(const char *dir, char *number, size_t size, char *err,
		   size_t errlen)
{
	FILE *in = sl_open_records(dir, number, size, err, errlen);

	if (!in)
		return -1;
	fclose(in);
	return 0;
}

/* Appends the students of one shard's record to *s. */
static int sl_read_records(const struct sl_lab *lab, const char *dir,
			   struct sl_student **s, int *n, char *err,
			   size_t errlen)
{
	int want = 10 + 3 * lab->nchecks, rc = -1;
	char *fields[10 + 3 * SL_MAX_CHECKS], number[16], *line = NULL;
	size_t cap = 0;
	FILE *in = sl_open_records(dir, number, sizeof(number), err, errlen);

	if (!in)
		return -1;
	if (strcmp(number, lab->number) != 0) {
		snprintf(err, errlen, "%s: a batch of lab %s, not of lab %s",
			 dir, number, lab->number);
		goto out_close;
	}
	while (getline(&line, &cap, in) > 0) {
		struct sl_student *grown =
		    realloc(*s, (size_t)(*n + 1) * sizeof(**s));
		struct sl_student *st;

		if (!grown) {
			snprintf(err, errlen, "out of memory");
			goto out_close;
		}
		*s = grown;
		st = &(*s)[*n];
		memset(st, 0, sizeof(*st));
		if (sl_split_fields(line, fields, want) != want) {
			snprintf(err, errlen, "%s/%s: a line is cut short", dir,
				 SL_RECORD_FILE);
			goto out_close;
		}
		snprintf(st->id, sizeof(st->id), "%s", fields[0]);
		snprintf(st->source, sizeof(st->source), "%s", fields[1]);
		snprintf(st->problem, sizeof(st->problem), "%s", fields[2]);
		st->graded = atoi(fields[3]);
		st->regraded = atoi(fields[4]);
		st->score = atoi(fields[5]);
		st->max_score = atoi(fields[6]);
		st->hidden_score = atoi(fields[7]);
		st->hidden_max = atoi(fields[8]);
		st->duration_ms = atoll(fields[9]);
		for (int c = 0; c < lab->nchecks; c++) {
			st->points[c] = atoi(fields[10 + 3 * c]);
			st->status[c] = atoi(fields[11 + 3 * c]);
			snprintf(st->message[c], sizeof(st->message[c]), "%s",
				 fields[12 + 3 * c]);
		}
		for (int c = lab->nchecks; c < SL_MAX_CHECKS; c++)
			st->points[c] = -1;
		(*n)++;
	}
	rc = 0;
out_close:
	free(line);
	fclose(in);
	return rc;
}

int sl_compare_students(const void *a, const void *b)
{
	const struct sl_student *x = a, *y = b;
	int by_id = strcmp(x->id, y->id);

	return by_id ? by_id : strcmp(x->source, y->source);
}

/* Copies a per-student file (or folder of them) from a shard's output;
 * an existing file is a student graded twice: refused. */
static int sl_copy_results(const char *from, const char *to, char *err,
			   size_t errlen)
{
	struct dirent *e;
	DIR *d = opendir(from);
	int rc = 0;

	if (!d) {
		snprintf(err, errlen, "cannot read %s: %s", from,
			 strerror(errno));
		return -1;
	}
	if (mkdir(to, 0755) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "mkdir %s: %s", to, strerror(errno));
		closedir(d);
		return -1;
	}
	while (rc == 0 && (e = readdir(d))) {
		char src[1200], dst[1200], chunk[65536];
		struct stat st;
		int in, out;
		ssize_t n;

		if (e->d_name[0] == '.' ||
		    strcmp(e->d_name, "gradebook.csv") == 0 ||
		    strcmp(e->d_name, "summary.md") == 0 ||
		    strcmp(e->d_name, SL_RECORD_FILE) == 0)
			continue;
		snprintf(src, sizeof(src), "%s/%s", from, e->d_name);
		snprintf(dst, sizeof(dst), "%s/%s", to, e->d_name);
		if (lstat(src, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			rc = sl_copy_results(src, dst, err, errlen);
			continue;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (in < 0 || out < 0) {
			snprintf(err, errlen, "%s: %s%s", out < 0 ? dst : src,
				 strerror(errno),
				 out < 0 && errno == EEXIST
				     ? " (a student in two shards?)"
				     : "");
			rc = -1;
		}
		while (rc == 0 && (n = read(in, chunk, sizeof(chunk))) > 0)
			if (write(out, chunk, (size_t)n) != n) {
				snprintf(err, errlen, "write %s: %s", dst,
					 strerror(errno));
				rc = -1;
			}
		if (in >= 0)
			close(in);
		if (out >= 0 && close(out) < 0 && rc == 0) {
			snprintf(err, errlen, "write %s: %s", dst,
				 strerror(errno));
			rc = -1;
		}
	}
	closedir(d);
	return rc;
}

int sl_merge(const struct sl_lab *lab, const char *out,
	     const char *const *shards, int nshards, char *err, size_t errlen)
{
	struct sl_student *s = NULL;
	char path[1200];
	int n = 0, rc = -1;

	if (mkdir(out, 0755) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "mkdir %s: %s", out, strerror(errno));
		return -1;
	}
	for (int i = 0; i < nshards; i++)
		if (sl_read_records(lab, shards[i], &s, &n, err, errlen) < 0)
			goto out_free;
	/* the order one batch lists its class in */
	qsort(s, (size_t)n, sizeof(*s), sl_compare_students);
	for (int i = 1; i < n; i++)
		if (strcmp(s[i - 1].id, s[i].id) == 0) {
			snprintf(err, errlen, "student %s is in two shards",
				 s[i].id);
			goto out_free;
		}
	for (int i = 0; i < nshards; i++)
		if (sl_copy_results(shards[i], out, err, errlen) < 0)
			goto out_free;
	snprintf(path, sizeof(path), "%s/gradebook.csv", out);
	if (sl_write_gradebook(lab, s, n, path, err, errlen) < 0)
		goto out_free;
	snprintf(path, sizeof(path), "%s/summary.md", out);
	if (sl_write_summary(lab, s, n, path, err, errlen) < 0)
		goto out_free;
	rc = sl_write_records(lab, s, n, out, err, errlen);
out_free:
	free(s);
	return rc;
}
