#!/usr/bin/env bash
# A lab-02 submission that does no work: its server and client search the
# whole filesystem for the instructor's compiled reference programs (or
# any program of the same name but themselves) and run them instead.
# Safe outcome: it scores what the stubs score, alone and in a batch
# (hidden check included), because nothing but its own programs exists
# in its sandbox.
source "$(dirname "$0")/lib.sh"

dir=$scratch/class/mallory
submission 02 "$dir"
# the wrappers as the stubs have them: writen, done, would earn its
# points (and the build's) whatever the programs do
cp "$here"/labs/02-*/wrappers.c "$dir"/
for program in server client; do
	sed "s/@NAME@/$program/" >"$dir/$program.c" <<'C'
#define _GNU_SOURCE
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char **args;
static struct stat self;

/* runs the first program called @NAME@ that is not this one */
static int visit(const char *path, const struct stat *st, int type,
		 struct FTW *ftw)
{
	const char *base = path + ftw->base;

	if (type == FTW_F && strcmp(base, "@NAME@") == 0 &&
	    (st->st_mode & S_IXUSR) && st->st_ino != self.st_ino) {
		fprintf(stderr, "found %s\n", path);
		execv(path, args);
	}
	return 0;
}

int main(int argc, char **argv)
{
	(void)argc;
	args = argv;
	stat("/proc/self/exe", &self);
	nftw("/", visit, 32, FTW_PHYS);
	return 1;
}
C
done

stub=$(total 02 "$here/labs")
got=$(total 02 "$dir")
[ -n "$got" ] && [ "$got" = "$stub" ] &&
	ok "exec the reference: $got, as the stubs ($stub)" ||
	bad "exec the reference: $got, the stubs score $stub"

"$SOCKLAB" batch 02 "$scratch/class" --out "$scratch/grades" -j 1 \
	>/dev/null 2>&1
book=$scratch/grades/gradebook.csv
total=$(column "$book" mallory total)
hidden=$(column "$book" mallory hidden)
[ "$total" = 0 ] && [ "$hidden" = 0 ] &&
	ok "exec the reference in a batch: $total, hidden $hidden" ||
	bad "exec the reference in a batch: total $total, hidden $hidden"
done_testing
