#!/usr/bin/env bash
# install-deps.sh PURPOSE - installs the Debian/Ubuntu packages a make
# target needs, when they are missing. PURPOSE: build, test, memcheck,
# coverage, bench, handouts, format, mutate. Uses apt-get, through sudo when not root.
set -eu

purpose=${1:-build}
# package:command-or-file that proves it is installed
build_pkgs="gcc:gcc make:make libc6-dev:/usr/include/stdio.h patch:patch libarchive-dev:/usr/include/archive.h"
case "$purpose" in
build)    want="$build_pkgs" ;;
test)     want="$build_pkgs libcmocka-dev:/usr/include/cmocka.h pkg-config:pkg-config iproute2:ip zip:zip python3:python3 valgrind:valgrind uidmap:newuidmap pandoc:pandoc tshark:tshark chromium:chromium" ;;
memcheck) want="$build_pkgs valgrind:valgrind" ;;
coverage) want="$build_pkgs libcmocka-dev:/usr/include/cmocka.h gcovr:gcovr" ;;
bench)    want="$build_pkgs nmap:nmap" ;;
handouts) want="$build_pkgs pandoc:pandoc" ;;
format)   want="clang-format:clang-format" ;;
# libclang parses the references; clang tells where its own headers are
mutate)   want="$build_pkgs python3:python3 python3-clang:/usr/lib/python3/dist-packages/clang/cindex.py clang:clang" ;;
*) echo "install-deps.sh: unknown purpose '$purpose'" >&2; exit 2 ;;
esac

missing=""
for item in $want; do
	pkg=${item%%:*}
	probe=${item#*:}
	case "$probe" in
	/*) [ -e "$probe" ] && continue ;;
	*) command -v "$probe" >/dev/null 2>&1 && continue ;;
	esac
	missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0

echo "socklab needs:$missing" >&2
if ! command -v apt-get >/dev/null 2>&1; then
	echo "no apt-get here: install$missing with your package manager, then run make again" >&2
	exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "not root and no sudo: ask an administrator to run" >&2
	echo "  apt-get install -y$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq || true
# shellcheck disable=SC2086
if ! $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null; then
	echo "apt-get could not install$missing; run: ${sudo:+sudo }apt-get install -y$missing" >&2
	exit 1
fi
echo "installed:$missing" >&2
