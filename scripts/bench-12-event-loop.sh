#!/usr/bin/env bash
# bench-12-event-loop.sh - the figures of lab 12, measured in one run:
#   how many clients the reference event loop holds at once, each one
#   served (its descriptor limit raised as far as this machine allows);
#   its throughput as a ratio of the grader's plain echo server (a thread
#   per client, blocking calls) under the same loads: the throughput
#   check's (16 clients, 4 lines of 64 bytes a connection, no pause) and
#   one long connection per client (many lines, no reconnect).
# A benchmark, not a test: it prints figures and fails only when a
# program cannot be built or started. ROUNDS (default 3) measurements of
# SECONDS_EACH (default 2) each, in turns; the best of each is kept.
# CLIENTS (default 10000) is the crowd it aims for.
set -eu
cd "$(dirname "$0")/.."

# A network namespace of its own where the machine allows one: loopback
# only, and no TIME_WAIT left by others crowding the ephemeral ports.
if [ -z "${BENCH_NETNS:-}" ] && command -v ip >/dev/null &&
	unshare -rn true 2>/dev/null; then
	exec env BENCH_NETNS=1 unshare -rn "$0" "$@"
fi
netns="the machine's network"
if [ -n "${BENCH_NETNS:-}" ]; then
	ip link set lo up
	echo "1024 65535" >/proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
	netns="a network namespace of its own"
fi
rounds=${ROUNDS:-3}
ms=$((${SECONDS_EACH:-2} * 1000))
clients=${CLIENTS:-10000}
out=bin/bench/12-event-loop
mkdir -p "$out"
flags="-std=gnu11 -Wall -Wextra -g -pthread"

gcc $flags -O2 -o "$out/bench-load" scripts/bench-load.c harness/hx_load.c \
	harness/hx_time.c
gcc $flags -O2 -o "$out/bench-crowd" scripts/bench-crowd.c \
	harness/hx_crowd.c harness/hx_time.c
gcc $flags -Ilabs/12-event-loop -o "$out/evloop" \
	reference/12-event-loop/evloop.c reference/12-event-loop/conn.c

# as many descriptors as the hard limit allows: the crowd and the server
# each need one per client
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
files=$(ulimit -n)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
echo_port=$(free_port)
loop_port=$(free_port)

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
"$out/bench-load" echo "$echo_port" & pids+=($!)
"$out/evloop" "$loop_port" 2>/dev/null & pids+=($!)
sleep 0.5

rate() {
	local line
	line=$("$out/bench-load" "$@")
	case $line in
	*" failures 0 "*) ;;
	*) echo "bench: $1 on port $2: $line" >&2 ;;
	esac
	echo "${line##* }"
}
declare -A best
measure() {
	local name=$1
	shift
	local r
	r=$(rate "$@")
	if [ -z "${best[$name]:-}" ] || [ "${r%.*}" -gt "${best[$name]%.*}" ]; then
		best[$name]=$r
	fi
}

for i in $(seq "$rounds"); do
	measure echo_check lines "$echo_port" 16 4 64 0 "$ms"
	measure loop_check lines "$loop_port" 16 4 64 0 "$ms"
	measure echo_long lines "$echo_port" 16 100000 64 0 "$ms"
	measure loop_long lines "$loop_port" 16 100000 64 0 "$ms"
done

# the crowd last: it leaves thousands of connections in TIME_WAIT
want=$((clients < files - 64 ? clients : files - 64))
crowd=$("$out/bench-crowd" "$loop_port" "$want" 1000)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", (b > 0 ? 100 * a / b : 0) }'; }
echo "lab 12: the reference event loop, $rounds rounds of $((ms / 1000)) s, best kept, in $netns"
printf '%-58s %10s %10s %7s\n' "load (16 clients at once)" "evloop/s" "echo/s" "ratio"
printf '%-58s %10s %10s %7s\n' "4 lines of 64 B a connection, no pause (the check's)" \
	"${best[loop_check]}" "${best[echo_check]}" "$(ratio "${best[loop_check]}" "${best[echo_check]}")"
printf '%-58s %10s %10s %7s\n' "one long connection each, 64 B lines, no pause" \
	"${best[loop_long]}" "${best[echo_long]}" "$(ratio "${best[loop_long]}" "${best[echo_long]}")"
echo "(echo: the grader's plain echo server, a thread per client, blocking calls)"
echo "clients held at once, each served (aim $want, limit $files descriptors): ${crowd#held }"
