#!/usr/bin/env bash
# student-release.sh DEST - writes the repository students get: the lab
# stubs, the harness, the grader with its public check tables, handouts,
# the install script, the Makefile and unit tests, a README for students
# and a CI workflow that grades every push. Left out: reference/, mutants,
# hostile programs, hidden checks, and the instructors' own scripts.
set -eu
dest=${1:?usage: student-release.sh DEST}
cd "$(dirname "$0")/.."
if [ -e "$dest" ] && [ -n "$(ls -A "$dest" 2>/dev/null)" ]; then
	echo "student-release.sh: $dest exists and is not empty" >&2
	exit 2
fi
mkdir -p "$dest"

# copy PATH... - files as they are, folders whole
copy() {
	for path in "$@"; do
		[ -e "$path" ] || continue
		mkdir -p "$dest/$(dirname "$path")"
		cp -R "$path" "$dest/$(dirname "$path")/"
	done
}

copy labs harness handouts .clang-format .gitignore tests/unit .devcontainer
# The Makefile without its instructors' parts (between "# >>> instructors
# only" and "# <<< instructors only": targets that need reference/ or
# scripts left out here); their targets say where they are instead of
# failing with Error 127, and make help lists only what works here.
awk '
	/^# >>> instructors only/ { skip = 1; next }
	/^# <<< instructors only/ { skip = 0; next }
	skip && /^[a-z][a-z-]*:/ { sub(/:.*/, ""); gone = gone " " $0 }
	!skip { print }
	END {
		if (!gone)
			exit
		print ""
		print "# for instructors, in the course'"'"'s own repository"
		print ".PHONY:" gone
		print substr(gone, 2) ":"
		print "\t@echo \"make $@: for instructors; not part of this repository\" >&2; exit 2"
	}' Makefile >"$dest/Makefile"
mkdir -p "$dest/grader/checks" "$dest/scripts"
cp grader/*.c grader/*.h grader/RESULTS.md "$dest/grader/"
cp grader/checks/*.c "$dest/grader/checks/"
[ -d grader/checks/support ] && cp -R grader/checks/support "$dest/grader/checks/"
for script in scripts/*; do
	case $(basename "$script") in
	student-release.sh | gradescope | autolab | grader-sources.sh | mutate*.py | bench-*.sh) ;; # instructors only
	*) cp -R "$script" "$dest/scripts/" ;;
	esac
done
rm -rf "$dest/bin"

labs=$(cd labs && ls -d [0-9][0-9]-* 2>/dev/null | tr '\n' ' ')
first=$(cd labs && ls -d [0-9][0-9]-* 2>/dev/null | head -n 1)
first_number=${first%%-*}

cat >"$dest/README.md" <<README
# socket-programming labs

Each lab teaches one topic of network programming in C. You fill in the
stub files in \`labs/\`; the grader builds your programs with fixed flags,
runs them against scripted peers on loopback, each check in its own
sandbox, and scores them check by check with feedback you can act on.

Labs: $labs

## The two commands

On a fresh Debian or Ubuntu machine, right after cloning:

\`\`\`sh
make grade    # grade your work in labs/ (every lab)
make test     # check the grader itself: unit tests, and the stubs score zero
\`\`\`

Both install what they need (gcc, make, cmocka, ...) with \`apt-get\`,
through \`sudo\` when you are not root, and say what to run when they cannot.

## Working a lab

1. Read the lab's handout in \`handouts/\` (e.g. \`handouts/$first.md\`): the
   topic, the calls you need, the exact protocol and output, the rubric.
2. Edit only the files in \`labs/$first/\` (or the lab you are on). Each
   TODO says what to write. Only those files are graded.
3. Grade it: \`make grade LAB=$first_number\`.
4. Work on one failing check at a time:
   \`make grade LAB=$first_number CHECK=id V=1\` (V=1 shows every byte sent
   and received).

Each check says its status (\`pass\`, \`fail\`, \`timeout\`, \`crash\`,
\`error\`, \`skipped\`), the expected and the actual value with the first
difference marked, your program's stderr, a hint, and the command that
reruns it. Checks that cut data into pieces use a fixed seed, so a result
is the same every time; \`SEED=n\` tries another.

\`make memcheck LAB=$first_number\` runs the lab's checks with your programs
under Valgrind (invalid accesses, memory lost, descriptors left open).

On macOS or Windows, work in the container of \`.devcontainer/\`: open
the folder in Visual Studio Code with the Dev Containers extension and
choose "Reopen in Container" (Docker Desktop runs it); \`make grade\`
works there as on Linux. Its \`runArgs\` let the grader make its
sandboxes in the container; without them the report says
\`sandbox: DEGRADED\`.

Every push runs \`make grade\` on GitHub Actions; the job's summary shows
the table of checks. The course may run further checks when it grades
your submission; the public checks are the rubric for 100 points.
README

mkdir -p "$dest/.github/workflows"
cat >"$dest/.github/workflows/grade.yml" <<'YAML'
name: grade
on: push
jobs:
  grade:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: allow user namespaces (the grader's sandboxes)
        run: sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 || true
      - name: make grade
        run: make grade
      - name: summary
        if: always()
        run: make --no-print-directory grade FORMAT=github >> "$GITHUB_STEP_SUMMARY" || true
YAML
echo "student release written to $dest"
