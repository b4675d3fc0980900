#!/usr/bin/env bash
# A batch of two, graded side by side: mallory's server tries to change
# what is not hers (the instructor's files, an older gradebook, files in
# the instructor's folders, the programs of the classmate graded beside
# her in the grader's temporary folder) and to kill every process it can.
# Run as root and, where this machine allows it, as an unprivileged
# instructor (the README shows batch without root).
# Safe outcome: every file of the instructor is as it was, nothing new
# appears in the instructor's folders, and alice, a copy of the
# reference, keeps 100.
source "$(dirname "$0")/lib.sh"

# attack AS - one batch as user AS ("root" or an unprivileged one)
attack() {
	local as=$1 home=$scratch/$1
	local class=$home/class instructor=$home/instructor
	mkdir -p "$class" "$instructor/grades-old" "$home/tmp"
	printf 'int checked;\n' >"$instructor/checks.c"
	printf 'student,total\nzed,40\n' >"$instructor/grades-old/gradebook.csv"
	submission 02 "$class/alice"
	submission 02 "$class/mallory"
	sed -e "s|@INSTRUCTOR@|$instructor|g" -e "s|@TMP@|$home/tmp|g" \
		>"$class/mallory/server.c" <<'C'
#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void append(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);

	if (fd >= 0 && write(fd, text, strlen(text)) > 0)
		fprintf(stderr, "changed %s\n", path);
	if (fd >= 0)
		close(fd);
}

/* a neighbour's programs: replaced by this one */
static int visit(const char *path, const struct stat *st, int type,
		 struct FTW *ftw)
{
	const char *base = path + ftw->base;

	(void)st;
	if (type == FTW_F && (!strcmp(base, "server") || !strcmp(base, "client")))
		append(path, "garbage");
	return 0;
}

int main(void)
{
	append("@INSTRUCTOR@/checks.c", "int mallory;\n");
	append("@INSTRUCTOR@/grades-old/gradebook.csv", "mallory,100\n");
	append("@INSTRUCTOR@/planted.txt", "mallory was here\n");
	for (int i = 0; i < 20; i++)
		nftw("@TMP@", visit, 16, FTW_PHYS);
	kill(-1, SIGKILL);
	return 1;
}
C
	local sums
	sums=$(cd "$instructor" && find . -type f | sort | xargs md5sum)
	if [ "$as" = root ]; then
		TMPDIR=$home/tmp "$SOCKLAB" batch 02 "$class" --out "$home/grades" \
			-j 2 >"$home/batch.log" 2>&1
	else
		cp "$SOCKLAB" "$home/socklab"
		chown -R "$as" "$home"
		chmod 755 "$scratch"
		setpriv --reuid="$as" --regid="$(id -g "$as")" --clear-groups \
			env TMPDIR="$home/tmp" SOCKLAB_ROOT="$here" \
			"$home/socklab" batch 02 "$class" --out "$home/grades" \
			-j 2 >"$home/batch.log" 2>&1
	fi
	[ "$(cd "$instructor" && find . -type f | sort | xargs md5sum)" = "$sums" ] &&
		ok "as $as: the instructor's files unchanged, none added" ||
		bad "as $as: the instructor's files changed: $(ls -R "$instructor")"
	local alice
	alice=$(column "$home/grades/gradebook.csv" alice total)
	[ "$alice" = 100 ] && ok "as $as: alice beside mallory keeps 100" ||
		bad "as $as: alice beside mallory: $alice ($(tail -n 3 "$home/batch.log"))"
}

# readable: the project as another user sees it (a clone in a folder of
# root's alone is not, and then no instructor but root can use it)
readable() {
	setpriv --reuid="$1" --regid="$(id -g "$1")" --clear-groups \
		test -r "$here/grader/checks/support/writen_cases.c"
}

attack root
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null &&
	! readable nobody; then
	echo "SKIP hostile as an unprivileged instructor: the project is not readable by others here"
elif [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	# without subordinate ids: programs share the instructor's uid
	attack nobody
	# with them (newuidmap): programs get a uid of their own
	if command -v newuidmap >/dev/null; then
		id socklab-instructor >/dev/null 2>&1 ||
			useradd --system --no-create-home --shell /usr/sbin/nologin \
				socklab-instructor
		grep -q '^socklab-instructor:' /etc/subuid ||
			usermod --add-subuids 3100000-3165535 \
				--add-subgids 3100000-3165535 socklab-instructor
		attack socklab-instructor
	fi
else
	echo "SKIP hostile as an unprivileged instructor: not root here, cannot switch"
fi
done_testing
