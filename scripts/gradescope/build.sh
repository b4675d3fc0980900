#!/usr/bin/env bash
# build.sh SOCKLAB LAB OUTDIR - the Gradescope autograder zip for one lab:
# setup.sh and run_autograder at its root, next to the sources socklab is
# built from and the lab's folder of labs/ for its given files
# (scripts/grader-sources.sh). No reference solutions.
set -eu
socklab=$1
lab=$2
out=$3
cd "$(dirname "$0")/../.."
name=$("$socklab" list | awk -v lab="$lab" '$1 ~ "^0*" lab "-" || $1 == lab { print $1; exit }')
if [ -z "$name" ]; then
	echo "gradescope: no lab \"$lab\"; socklab list shows them" >&2
	exit 2
fi
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
scripts/grader-sources.sh "$stage" "$name"
cp scripts/gradescope/setup.sh scripts/gradescope/run_autograder "$stage/"
chmod +x "$stage/setup.sh" "$stage/run_autograder"
echo "${name%%-*}" >"$stage/socklab-lab"
mkdir -p "$out"
zip_path=$(cd "$out" && pwd)/gradescope-$name.zip
rm -f "$zip_path"
if command -v zip >/dev/null 2>&1; then
	(cd "$stage" && zip -qr "$zip_path" .)
elif command -v python3 >/dev/null 2>&1; then
	python3 -c 'import shutil, sys; shutil.make_archive(sys.argv[1][:-4], "zip", sys.argv[2])' \
		"$zip_path" "$stage"
else
	echo "gradescope: needs zip (apt-get install zip) or python3" >&2
	exit 1
fi
echo "Gradescope autograder: $zip_path (upload it as the assignment's autograder)"
