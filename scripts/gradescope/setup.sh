#!/usr/bin/env bash
# setup.sh - Gradescope runs this once when it builds the autograder image:
# the packages socklab needs, then socklab itself, from /autograder/source.
set -eu
cd /autograder/source
scripts/install-deps.sh build
make bin/socklab
