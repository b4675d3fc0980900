#!/usr/bin/env bash
# Submissions that try to read what is not theirs and print it where they
# will see it (their feedback, their JSON, the class's exports):
# - at run time, the instructor's reference and hidden check sources, a
#   classmate's submission in the class folder, the grader's temporary
#   folder (classmates being graded), an older gradebook, the grader's
#   command line and environment, a UNIX socket of the machine's /tmp;
# - at compile time, with #include "/path" and .incbin "/path".
# Safe outcome: none of it appears in any output; the compiler's own
# "No such file" message is all a compile-time read gets.
source "$(dirname "$0")/lib.sh"

class=$scratch/class
old=$scratch/grades-old
secret=$(marker)
mkdir -p "$class" "$old"
# what the instructor has: a classmate, an older gradebook, a secret in
# the grader's environment, a service on a UNIX socket
submission 02 "$class/alice"
printf '/* %s-alice */\n' "$secret" >>"$class/alice/server.c"
printf 'student,total\nzed,%s-gradebook\n' "$secret" >"$old/gradebook.csv"
export SOCKLAB_TEST_SECRET=$secret-environ
python3 - "$scratch/service.sock" "$secret-socket" <<'PY' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1]); s.listen(8); s.settimeout(120)
try:
    while True:
        c, _ = s.accept(); c.sendall(sys.argv[2].encode()); c.close()
except OSError:
    pass
PY
service=$!
trap 'kill $service 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$scratch"' EXIT
for _ in $(seq 50); do [ -S "$scratch/service.sock" ] && break; sleep 0.1; done
reference_line=$(head -n 1 "$here/reference/02-tcp-hello/server.c")
hidden_line=$(head -n 1 "$here/grader/checks/hidden/02-tcp-hello.c")

fill() {
	sed -e "s|@REFERENCE@|$here/reference/02-tcp-hello/server.c|" \
		-e "s|@HIDDEN@|$here/grader/checks/hidden/02-tcp-hello.c|" \
		-e "s|@ALICE@|$class/alice/server.c|" \
		-e "s|@OLD@|$old/gradebook.csv|" \
		-e "s|@TMP@|$TMPDIR|" \
		-e "s|@SOCKET@|$scratch/service.sock|"
}

# mallory reads at run time, in her server and her client
submission 02 "$class/mallory"
fill >"$class/mallory/reader.inc" <<'C'
#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* the start of a file, where its secret is: feedback keeps little */
static void show(const char *path)
{
	char buf[160];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));

	if (n > 0) {
		fprintf(stderr, "%s: %.*s\n", path, (int)n, buf);
		printf("%.*s\n", (int)n, buf);
	}
	if (fd >= 0)
		close(fd);
}

/* the classmates being graded: their sources, and the end of the
 * files that may hold a secret */
static int visit(const char *path, const struct stat *st, int type,
		 struct FTW *ftw)
{
	size_t len = strlen(path);

	(void)st;
	(void)ftw;
	if (type == FTW_F && len > 9 && strcmp(path + len - 9, "/server.c") == 0) {
		char buf[8192];
		int fd = open(path, O_RDONLY);
		ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));
		const char *at = n > 0 ? memmem(buf, (size_t)n, "SECRET", 6) : NULL;

		if (at)
			fprintf(stderr, "%.40s\n", at);
		if (fd >= 0)
			close(fd);
	}
	return 0;
}

static void read_everything(void)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	char buf[256];
	ssize_t n;

	show("@REFERENCE@");
	show("@HIDDEN@");
	show("@ALICE@");
	show("@OLD@");
	show("/proc/1/cmdline");
	show("/proc/1/environ");
	show("/proc/self/environ");
	nftw("@TMP@", visit, 16, FTW_PHYS);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", "@SOCKET@");
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0 &&
	    (n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stderr);
}
C
for program in server client; do
	{
		cat "$class/mallory/reader.inc"
		printf '\nint main(void)\n{\n\tread_everything();\n\treturn 1;\n}\n'
	} >"$class/mallory/$program.c"
done
rm "$class/mallory/reader.inc"

# bob includes an older gradebook (the compiler quotes the lines it
# cannot read); carol embeds the hidden check and prints it
submission 02 "$class/bob"
printf '#include "%s"\n' "$old/gradebook.csv" >>"$class/bob/client.c"
submission 02 "$class/carol"
fill >>"$class/carol/wrappers.c" <<'C'
__asm__(".section .rodata\n.global embedded\nembedded:\n"
	".incbin \"@HIDDEN@\"\n.byte 0\n.previous\n");
C
cat >"$class/carol/server.c" <<'C'
#include <stdio.h>

extern const char embedded[];

int main(void)
{
	fprintf(stderr, "%.100s\n", embedded);
	return 1;
}
C

outputs=$scratch/outputs
mkdir -p "$outputs"
for student in mallory bob carol; do
	"$SOCKLAB" grade 02 --dir "$class/$student" -v \
		--json "$outputs/$student.json" >"$outputs/$student.txt" 2>&1
done
"$SOCKLAB" batch 02 "$class" --out "$outputs/batch" -j 2 \
	--format gradescope >"$outputs/batch.log" 2>&1

grep -q "No such file" "$outputs/bob.txt" &&
	ok "#include of a classmate's file: the compiler's \"No such file\"" ||
	bad "#include of a classmate's file: no \"No such file\" in the feedback"
grep -qi "file not found\|No such file\|inline assembly" "$outputs/carol.txt" &&
	ok ".incbin of the hidden check: refused, or the assembler's \"not found\"" ||
	bad ".incbin of the hidden check: no refusal and no \"not found\" in the feedback"
for what in "$secret" "$reference_line" "$hidden_line"; do
	leaks=$(grep -rlF -- "$what" "$outputs" | grep -v '/alice\.')
	[ -z "$leaks" ] && ok "nothing of \"${what:0:40}\" in any output" ||
		bad "\"${what:0:40}\" leaked into: $leaks"
done
done_testing
