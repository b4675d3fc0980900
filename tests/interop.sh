#!/usr/bin/env bash
# interop.sh [SOCKLAB] - the reference programs of labs 09 and 10 against
# real HTTP software, on loopback only:
#   with curl:    the reference web server serves a folder, and curl
#                 downloads text and binary files that must be identical;
#   with python3: "python3 -m http.server" serves a folder, and the
#                 reference downloader fetches files that must be identical.
# A tool that is missing is reported as skipped. Every server started here
# is stopped before the script ends.
set -u
socklab=${1:-bin/socklab}
passed=0
failed=0
scratch=$(mktemp -d)
servers=()

cleanup() {
	for pid in "${servers[@]}"; do
		kill -TERM "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	rm -rf "$scratch"
}
trap cleanup EXIT

ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$*"; }
bad() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }
skip() { printf 'skip %s\n' "$*"; }

# listening PORT - true when a TCP socket listens on PORT (IPv4 or IPv6)
listening() {
	local hex
	hex=$(printf '%04X' "$1")
	awk -v port=":$hex" 'substr($2, length($2) - 4) == port && $4 == "0A" { found = 1 }
		END { exit !found }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# wait_listening PORT PID - polls with backoff for at most 5 s; fails at
# once if PID ends first
wait_listening() {
	local delay=0.01 deadline=$(($(date +%s%N) / 1000000 + 5000))
	while ! listening "$1"; do
		kill -0 "$2" 2>/dev/null || return 1
		[ "$(($(date +%s%N) / 1000000))" -ge "$deadline" ] && return 1
		sleep "$delay"
		case $delay in 0.01) delay=0.02 ;; 0.02) delay=0.04 ;; *) delay=0.08 ;; esac
	done
}

# start_server PORT_VAR COMMAND... - starts COMMAND with "PORT" replaced by
# a free port (a few tries); sets PORT_VAR and the last server's pid
start_server() {
	local var=$1 candidate pid try
	shift
	for try in 1 2 3 4 5; do
		candidate=$((20000 + RANDOM % 40000))
		listening "$candidate" && continue
		"${@//PORT/$candidate}" >"$scratch/server.log" 2>&1 &
		pid=$!
		if wait_listening "$candidate" "$pid"; then
			servers+=("$pid")
			server_pid=$pid
			printf -v "$var" '%s' "$candidate"
			return 0
		fi
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	return 1
}

# stop_server PID - SIGTERM, and the server must exit (status 0 wanted)
stop_server() {
	local pid status kept=()
	kill -TERM "$1" 2>/dev/null
	wait "$1"
	status=$?
	for pid in "${servers[@]}"; do
		[ "$pid" = "$1" ] || kept+=("$pid")
	done
	servers=("${kept[@]}")
	return "$status"
}

make_site() {
	mkdir -p "$1/img" "$1/sub"
	printf '<html><body><h1>interop</h1></body></html>\n' >"$1/index.html"
	seq 1 5000 | sed 's/$/ a line of text/' >"$1/notes.txt"
	head -c 300000 /dev/urandom >"$1/img/logo.png"
	printf '\0\r\n\r\n\0binary\0' >>"$1/img/logo.png"
	printf 'in a sub-folder\n' >"$1/sub/file.txt"
}

# ---- curl against the reference web server ------------------------------
if ! command -v curl >/dev/null; then
	skip "curl against the reference web server: curl is not installed"
elif ! "$socklab" build 10 --dir reference --out "$scratch/build10" >/dev/null; then
	bad "build of the reference web server"
else
	site="$scratch/site10"
	make_site "$site"
	if ! start_server port "$scratch/build10/bin/web" PORT "$site"; then
		bad "the reference web server did not start"
	else
		web=$server_pid
		for path in index.html notes.txt img/logo.png sub/file.txt; do
			out="$scratch/curl.out"
			rm -f "$out"
			if curl -sS --fail --max-time 10 -o "$out" \
				"http://127.0.0.1:$port/$path" &&
				cmp -s "$out" "$site/$path"; then
				ok "curl downloads /$path from web, byte for byte"
			else
				bad "curl download of /$path from web"
			fi
		done
		if curl -sS --max-time 10 -o "$scratch/curl.out" "http://127.0.0.1:$port/" &&
			cmp -s "$scratch/curl.out" "$site/index.html"; then
			ok "curl gets index.html for /"
		else
			bad "curl download of /"
		fi
		code=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' \
			"http://127.0.0.1:$port/no-such-file.txt")
		[ "$code" = 404 ] && ok "curl gets 404 for a missing file" ||
			bad "curl got $code for a missing file, not 404"
		code=$(curl -s --path-as-is --max-time 10 -o /dev/null -w '%{http_code}' \
			"http://127.0.0.1:$port/../index.html")
		[ "$code" = 403 ] && ok "curl gets 403 for /../index.html" ||
			bad "curl got $code for /../index.html, not 403"
		if stop_server "$web"; then
			ok "web exits 0 on SIGTERM"
		else
			bad "web did not exit 0 on SIGTERM"
		fi
	fi
fi

# ---- the reference downloader against python3 -m http.server -------------
if ! command -v python3 >/dev/null; then
	skip "the reference downloader against python3's http.server: python3 is not installed"
elif ! "$socklab" build 09 --dir reference --out "$scratch/build09" >/dev/null; then
	bad "build of the reference downloader"
else
	site="$scratch/site09"
	make_site "$site"
	if ! start_server port python3 -m http.server PORT --bind 127.0.0.1 \
		--directory "$site"; then
		bad "python3 -m http.server did not start"
	else
		python=$server_pid
		get="$scratch/build09/bin/get"
		for path in index.html notes.txt img/logo.png sub/file.txt; do
			out="$scratch/get.out"
			rm -f "$out"
			if (cd "$scratch" && timeout 10 "$get" \
				"http://127.0.0.1:$port/$path" get.out >/dev/null 2>&1) &&
				cmp -s "$out" "$site/$path"; then
				ok "get downloads /$path from python3's http.server, byte for byte"
			else
				bad "get download of /$path from python3's http.server"
			fi
		done
		# "/sub" is answered with a redirect to "/sub/", a listing.
		rm -f "$scratch/get.out"
		if (cd "$scratch" && timeout 10 "$get" "http://127.0.0.1:$port/sub" \
			get.out >/dev/null 2>&1) && grep -q file.txt "$scratch/get.out"; then
			ok "get follows python3's redirect from /sub to /sub/"
		else
			bad "get did not follow the redirect from /sub to /sub/"
		fi
		rm -f "$scratch/get.out"
		(cd "$scratch" && timeout 10 "$get" "http://127.0.0.1:$port/missing.txt" \
			get.out >/dev/null 2>&1)
		status=$?
		if [ "$status" = 2 ] && [ ! -e "$scratch/get.out" ]; then
			ok "get exits 2 and writes no file on python3's 404"
		else
			bad "get on a 404: exit $status, file $([ -e "$scratch/get.out" ] && echo written || echo absent)"
		fi
		stop_server "$python"
	fi
fi

echo
echo "interop: $passed passed, $failed failed"
[ "$failed" = 0 ]
