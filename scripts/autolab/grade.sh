#!/usr/bin/env bash
# grade.sh LAB HANDIN - runs in Autolab's grading VM, from autograde.tar:
# builds socklab, grades the lab's files found in HANDIN (an archive:
# tar, tar.gz, zip, ...; the files wherever they are in it, up to three
# folders deep, as `socklab batch` finds them) with the hidden checks,
# and prints the report ending in the scores line. Exit status 0 once
# the scores line is printed; otherwise the output says why and
# autograde-Makefile prints a line of zeros.
set -u
lab=$1
handin=$(realpath "$2")
cd "$(dirname "$0")/../.." || exit 1

if [ ! -f "$handin" ]; then
	echo "No handin file: submit the lab's folder as one archive (e.g. handin.tar)."
	exit 1
fi
if ! { scripts/install-deps.sh build && make -j"$(nproc 2>/dev/null || echo 2)" bin/socklab; } \
	>build.log 2>&1; then
	echo "The grader could not be built on this grading image (not your code):"
	tail -n 30 build.log
	exit 1
fi

# A batch of one: its unpacking has limits, refuses links and finds the
# lab's folder inside the archive. --unconfined: the VM is thrown away
# after this submission, so grading without a sealed sandbox (when the
# VM allows none) is allowed, and the report says DEGRADED.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/handins"
cp "$handin" "$work/handins/handin.tar"
bin/socklab batch "$lab" "$work/handins" --out "$work/out" --format autolab \
	--unconfined -j 1 >"$work/batch.log" 2>&1
export=$work/out/autolab/handin.txt
if [ -s "$export" ] && tail -n 1 "$export" | grep -q '^{"scores": {'; then
	cat "$export"
	exit 0
fi
# not graded: why (a refused archive, no lab files in it, ...)
if [ -s "$work/out/handin.txt" ]; then
	cat "$work/out/handin.txt"
else
	echo "The grader did not finish:"
	tail -n 20 "$work/batch.log"
fi
exit 1
