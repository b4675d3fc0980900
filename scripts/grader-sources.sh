#!/usr/bin/env bash
# grader-sources.sh STAGE LAB-NAME - copies into STAGE what it takes to
# build socklab and grade one lab on another machine: harness/, grader/
# with every check table (socklab registers them all), the hidden checks
# and the checks' support files, the Makefile and the install script,
# and the lab's folder of labs/ for its given files (the headers a
# submission never replaces). No reference solutions: grading does not
# need them. Used by the Gradescope and Autolab packages.
set -eu
stage=$1
name=$2
cd "$(dirname "$0")/.."
if [ ! -d "labs/$name" ]; then
	echo "grader-sources.sh: no folder labs/$name" >&2
	exit 2
fi
mkdir -p "$stage/scripts" "$stage/grader/checks" "$stage/labs"
cp -R harness Makefile "$stage/"
cp grader/*.c grader/*.h "$stage/grader/"
cp grader/checks/*.c "$stage/grader/checks/"
for extra in grader/checks/hidden grader/checks/support; do
	[ -d "$extra" ] && cp -R "$extra" "$stage/grader/checks/"
done
cp -R "labs/$name" "$stage/labs/"
cp scripts/install-deps.sh "$stage/scripts/"
