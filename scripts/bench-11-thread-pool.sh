#!/usr/bin/env bash
# bench-11-thread-pool.sh - the figures of lab 11, measured in one run:
#   the reference pool against the grader's plain echo server under the
#   throughput check's own load, and under a load with no pauses;
#   the pool against lab 10's thread-per-client web server on the same
#   load: 16 clients, each connecting again and again, one small request
#   and its answer per connection, no pause.
# A benchmark, not a test: it prints figures and fails only when a
# program cannot be built or started. ROUNDS (default 3) measurements of
# SECONDS (default 2) each, in turns; the best of each is kept.
set -eu
cd "$(dirname "$0")/.."

# A network namespace of its own where the machine allows one: loopback
# only, and no TIME_WAIT left by others crowding the ephemeral ports (a
# connect then searches longer, and the figures with a connection per
# request mean little).
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
out=bin/bench/11-thread-pool
mkdir -p "$out/site"
flags="-std=gnu11 -Wall -Wextra -g -pthread"

gcc $flags -O2 -o "$out/bench-load" scripts/bench-load.c harness/hx_load.c \
	harness/hx_time.c
gcc $flags -Ilabs/11-thread-pool -o "$out/pool" \
	reference/11-thread-pool/pool.c reference/11-thread-pool/queue.c
gcc $flags -Ilabs/10-web-server -o "$out/web" \
	reference/10-web-server/web.c reference/10-web-server/http.c
head -c 63 /dev/zero | tr '\0' 'x' >"$out/site/small.txt"
echo >>"$out/site/small.txt"

# ports nothing else uses: the kernel's choice, read back
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
echo_port=$(free_port)
pool_port=$(free_port)
web_port=$(free_port)

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
"$out/bench-load" echo "$echo_port" & pids+=($!)
"$out/pool" "$pool_port" 16 32 2>/dev/null & pids+=($!)
"$out/web" "$web_port" "$out/site" 2>/dev/null & pids+=($!)
sleep 0.5

# rate LOAD ARGS... - the answers per second of one measurement; a
# measurement with failed connections is reported on stderr
rate() {
	local line
	line=$("$out/bench-load" "$@")
	case $line in
	*" failures 0 "*) ;;
	*) echo "bench: $1 on port $2: $line" >&2 ;;
	esac
	echo "${line##* }"
}
# best NAME ARGS... - the best of ROUNDS measurements, kept in best_NAME
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
	measure echo_paced lines "$echo_port" 16 4 64 1000 "$ms"
	measure pool_paced lines "$pool_port" 16 4 64 1000 "$ms"
	measure echo_flat lines "$echo_port" 16 4 64 0 "$ms"
	measure pool_flat lines "$pool_port" 16 4 64 0 "$ms"
	measure pool_conn lines "$pool_port" 16 1 64 0 "$ms"
	measure web_conn request "$web_port" 16 0 "$ms" $'GET /small.txt HTTP/1.0\r\n\r\n'
	measure echo_conn lines "$echo_port" 16 1 64 0 "$ms"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", (b > 0 ? 100 * a / b : 0) }'; }
echo "lab 11: the reference pool (16 workers, a queue of 32), $rounds rounds of $((ms / 1000)) s, best kept, in $netns"
printf '%-58s %10s %10s %7s\n' "load (16 clients at once)" "pool/s" "other/s" "ratio"
printf '%-58s %10s %10s %7s\n' "4 lines of 64 B a connection, 1 ms pauses (the check's)" \
	"${best[pool_paced]}" "${best[echo_paced]}" "$(ratio "${best[pool_paced]}" "${best[echo_paced]}")"
printf '%-58s %10s %10s %7s\n' "4 lines of 64 B a connection, no pause (vs plain echo)" \
	"${best[pool_flat]}" "${best[echo_flat]}" "$(ratio "${best[pool_flat]}" "${best[echo_flat]}")"
printf '%-58s %10s %10s %7s\n' "a connection per request, no pause (vs plain echo)" \
	"${best[pool_conn]}" "${best[echo_conn]}" "$(ratio "${best[pool_conn]}" "${best[echo_conn]}")"
printf '%-58s %10s %10s %7s\n' "a connection per request, no pause (vs lab 10's web)" \
	"${best[pool_conn]}" "${best[web_conn]}" "$(ratio "${best[pool_conn]}" "${best[web_conn]}")"
echo "(pool: a 64-byte line echoed; web: GET of a 64-byte file, a thread per client)"
