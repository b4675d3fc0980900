#!/usr/bin/env bash
# Submissions that attack the compiler: a source that includes itself
# twice per level, 40 levels deep (it would compile for ever), the same
# in a header the lab gives (never compiled: the lab's copy is), and an
# array of 1.75 GiB with one byte set, which asks for an object file as
# large (inline assembly, the shortest way, is refused before compiling).
# Safe outcome: the include bomb is stopped at the build's deadline with
# the deadline named and no compiler left running; the huge object is
# stopped by the file-size limit, and nothing large is written anywhere.
source "$(dirname "$0")/lib.sh"

# a short deadline: the bomb would outlast any
export SOCKLAB_BUILD_TIMEOUT_MS=3000
bomb=$scratch/bomb
submission 02 "$bomb"
include_bomb "$bomb/server.c"
start=$(date +%s)
"$SOCKLAB" grade 02 --dir "$bomb" >"$scratch/bomb.out" 2>&1 &
pid=$!
wait "$pid"
status=$?
out=$(cat "$scratch/bomb.out")
seconds=$(($(date +%s) - start))
grep -q "did not finish within 3 s" <<<"$out" && [ "$status" = 1 ] &&
	[ "$seconds" -lt 30 ] &&
	ok "include bomb: stopped at the build deadline in ${seconds} s" ||
	bad "include bomb: exit $status after ${seconds} s: $(head -c 300 <<<"$out")"
left=$(sandbox_processes "$pid")
[ -z "$left" ] && ok "include bomb: no compiler left running" ||
	bad "include bomb: still running: $left"

# the same bomb in a header the lab gives: the lab's own copy is compiled
given=$scratch/given
submission 02 "$given"
printf '#if __INCLUDE_LEVEL__ < 40\n#include "wrappers.h"\n#include "wrappers.h"\n#endif\n' \
	>"$given/wrappers.h"
out=$("$SOCKLAB" grade 02 --dir "$given" --check build 2>&1)
grep -q "^  pass .* build " <<<"$out" &&
	grep -q "wrappers.h differs from the lab's" <<<"$out" &&
	ok "a submitted copy of a given header is not compiled, and that is said" ||
	bad "a submitted given header: $(head -c 400 <<<"$out")"

huge=$scratch/huge
submission 02 "$huge"
printf 'char huge_object[0x70000000] = {1};\n' >>"$huge/client.c"
out=$("$SOCKLAB" grade 02 --dir "$huge" 2>&1)
grep -qi "file size limit\|File too large\|SIGXFSZ" <<<"$out" &&
	ok "huge object: stopped by the file-size limit" ||
	bad "huge object: $(grep -A4 ' build ' <<<"$out" | head -c 400)"
largest=$(find "$scratch" -type f -size +65M 2>/dev/null | head -n 1)
[ -z "$largest" ] && ok "huge object: no file over 64 MiB was left" ||
	bad "huge object: $largest was written"
done_testing
