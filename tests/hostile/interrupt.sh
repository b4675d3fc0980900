#!/usr/bin/env bash
# Ctrl-C in the middle: while a compile bomb builds, while checks run,
# and while a batch grades a class.
# Safe outcome: socklab ends by the signal (status 130), and leaves no
# compiler, no program, no batch worker and no temporary folder behind.
source "$(dirname "$0")/lib.sh"

# wait_for COMMAND - polls COMMAND until it prints something (10 s)
wait_for() {
	for _ in $(seq 100); do
		[ -n "$("$@")" ] && return 0
		sleep 0.1
	done
	return 1
}

# interrupt NAME COMMAND... - starts COMMAND, sends SIGINT once a sandbox
# runs, and checks what is left
interrupt() {
	local name=$1 pid status left
	shift
	"$@" >"$scratch/$name.out" 2>&1 &
	pid=$!
	if ! wait_for sandbox_processes "$pid"; then
		bad "$name: no sandbox started"
		kill -KILL "$pid" 2>/dev/null
		wait "$pid"
		return
	fi
	kill -INT "$pid"
	wait "$pid"
	status=$?
	wait_for_gone "$pid"
	left=$(sandbox_processes "$pid"; pgrep -f -- "$scratch/class" | head -n 3)
	[ "$status" = 130 ] && ok "$name: ended by SIGINT (status 130)" ||
		bad "$name: status $status: $(tail -n 3 "$scratch/$name.out")"
	[ -z "$left" ] && ok "$name: nothing left running" ||
		bad "$name: left running: $left"
	[ -z "$(ls -A "$TMPDIR")" ] && ok "$name: no temporary folder left" ||
		bad "$name: left in TMPDIR: $(ls -A "$TMPDIR")"
}

# wait_for_gone PID - processes of run PID killed a moment ago may still
# be on their way out
wait_for_gone() {
	for _ in $(seq 50); do
		[ -z "$(sandbox_processes "$1")" ] && return
		sleep 0.1
	done
}

mkdir -p "$scratch/class"
submission 02 "$scratch/class/bomb"
include_bomb "$scratch/class/bomb/server.c"
interrupt "Ctrl-C while compiling" \
	"$SOCKLAB" grade 02 --dir "$scratch/class/bomb"

submission 04 "$scratch/class/ping"
interrupt "Ctrl-C while checks run" \
	"$SOCKLAB" grade 04 --dir "$scratch/class/ping"

rm -rf "$scratch/class"
for student in ann bea cid; do
	submission 04 "$scratch/class/$student"
done
interrupt "Ctrl-C during a batch" \
	"$SOCKLAB" batch 04 "$scratch/class" --out "$scratch/grades" -j 2
done_testing
