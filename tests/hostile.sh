#!/usr/bin/env bash
# hostile.sh SOCKLAB - runs every attack in tests/hostile/*.sh against the
# grader; each asserts its safe outcome. Exit status 1 if any failed.
set -u
socklab=$(realpath "$1")
failed=0
for test in tests/hostile/*.sh; do
	[ "$(basename "$test")" = lib.sh ] && continue
	SOCKLAB=$socklab timeout 600 bash "$test" || failed=1
done
[ "$failed" = 0 ] && echo "hostile: every attack met its safe outcome" ||
	echo "hostile: some attacks were not stopped"
exit "$failed"
