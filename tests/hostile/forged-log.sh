#!/usr/bin/env bash
# A chat room with a real data race (members added without the mutex)
# that also forges the thread checker's verdict: at start and at exit it
# writes "ERROR SUMMARY: 0 errors" lines, with its own pid, at the start
# of every log it can find among its descriptors, directly or opened
# again through /proc/self/fd.
# Safe outcome: the race check still fails, naming the race.
source "$(dirname "$0")/lib.sh"

dir=$scratch/room
submission 07 "$dir"
patch -s -d "$dir" -p1 <"$here/tests/mutants/07-chat/unlocked-add.patch"
cat >>"$dir/room.c" <<'C'

#include <dirent.h>
#include <fcntl.h>

/* writes a clean summary at the start of every log it can find: a file
 * named *.log, or the descriptor the grader's source says Valgrind logs
 * to (1035: the default limit of 1024 and 11 of Valgrind's reserved
 * ones), written directly or opened again through /proc/self/fd */
static void forge(void)
{
	char line[128], path[300], target[300];
	int len = snprintf(line, sizeof(line),
			   "==%d== ERROR SUMMARY: 0 errors from 0 contexts "
			   "(suppressed: 0 from 0)\n",
			   (int)getpid());
	DIR *fds = opendir("/proc/self/fd");
	struct dirent *e;

	while (fds && (e = readdir(fds))) {
		int fd = atoi(e->d_name), again;
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		if (fd < 3 || n <= 0)
			continue;
		target[n] = '\0';
		if (!strstr(target, ".log") && fd != 1035)
			continue;
		if (pwrite(fd, line, (size_t)len, 0) < 0 &&
		    write(fd, line, (size_t)len) > 0)
			fprintf(stderr, "forged into %d (%s)\n", fd, target);
		again = open(path, O_WRONLY);
		if (again >= 0 && (pwrite(again, line, (size_t)len, 0) > 0 ||
				   write(again, line, (size_t)len) > 0))
			fprintf(stderr, "forged into %s (%s)\n", path, target);
		if (again >= 0)
			close(again);
	}
	if (fds)
		closedir(fds);
}

C
# at start and at exit: main calls it first and registers it with atexit
# (constructors are refused in a student's file)
python3 - "$dir/room.c" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
s = re.sub(r'(#include [^\n]*\n)', r'\1static void forge(void);\n', s, count=1)
s = re.sub(r'(\nint main\([^)]*\)\n\{\n)', r'\1\tforge();\n\tatexit(forge);\n', s, count=1)
open(p, 'w').write(s)
PY
grep -q 'atexit(forge);' "$dir/room.c" || bad "forged thread-checker log: the forger is not called"
out=$("$SOCKLAB" grade 07 --dir "$dir" --check race 2>&1)
status=$(awk '$3 == "race" { print $1 }' <<<"$out")
[ "$status" = fail ] && grep -q "data race" <<<"$out" &&
	ok "forged thread-checker log: race still found" ||
	bad "forged thread-checker log: race check $status: $(head -c 400 <<<"$out")"
done_testing
