# socklab - the one entry point. `make help` lists the targets.

CC      ?= gcc
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -Wall -Wextra -pthread
ROOT    := $(CURDIR)
BIN     := bin
SOCKLAB := $(BIN)/socklab
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
LDLIBS  := -larchive

HARNESS_SRC := $(sort $(wildcard harness/*.c))
GRADER_SRC  := $(sort $(filter-out grader/main.c,$(wildcard grader/*.c)))
CHECKS_SRC  := $(sort $(wildcard grader/checks/*.c grader/checks/hidden/*.c))
HEADERS     := $(wildcard harness/*.h grader/*.h)
LABS        := $(sort $(notdir $(wildcard reference/[0-9][0-9]-*)))
STUDENT_LABS:= $(sort $(notdir $(wildcard labs/[0-9][0-9]-*)))

# grade options: LAB=02 CHECK=id V=1 SEED=n DIR=folder FORMAT=github
# PCAP=folder (a capture per check) HTML=folder (a page per lab)
GRADE_ARGS := $(if $(CHECK),--check $(CHECK)) $(if $(V),-v) \
	      $(if $(SEED),--seed $(SEED)) $(if $(FORMAT),--format $(FORMAT)) \
	      $(if $(PCAP),--pcap $(PCAP)) $(if $(HTML),--html $(HTML)) \
	      --dir $(or $(DIR),labs)

.PHONY: all help grade test unit meta memcheck coverage bench handouts platform-test \
	deps deps-build deps-test clean build-references format format-check deps-format batch-test \
	hostile stubs interop student-release gradescope mutate

all: $(SOCKLAB) build-references

help:
	@echo "make                      build socklab$(if $(LABS), and the reference solutions)"
	@echo "make grade [LAB=02] [CHECK=id] [V=1] [SEED=n]   grade your work in labs/"
	@echo "make test                 prove the grader: unit tests, stubs (and references, mutants)"
	@echo "make memcheck LAB=02 [DIR=labs]   the lab's checks with its programs under Valgrind"
	@echo "make handouts             handouts to HTML, rubrics refreshed"
# >>> instructors only: scripts/student-release.sh leaves these lines out
	@echo "make coverage             line and branch coverage of harness/ and grader/"
	@echo "make bench                grading speed: the course, each lab, batch, the labs' own benchmarks"
	@echo "make student-release DEST=dir   the repository students get"
	@echo "make gradescope LAB=02    a Gradescope autograder zip for one lab"
	@echo "make autolab LAB=02       Autolab's autograde.tar and autograde-Makefile for one lab"
	@echo "make mutate [LAB=02]      mutation analysis of the checks: score, survivors"
# <<< instructors only

# the build packages come first on a fresh machine; order-only, so that
# checking them (without apt when all is there) never rebuilds anything
deps-build:
	@scripts/install-deps.sh build

# -MMD: every object also depends on whatever it includes (a check's
# helpers in grader/checks/support/ too)
$(BIN)/obj/%.o: %.c $(HEADERS) | deps-build
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -DSL_DEFAULT_ROOT='"$(ROOT)"' -c $< -o $@

OBJS := $(patsubst %.c,$(BIN)/obj/%.o,$(HARNESS_SRC) $(GRADER_SRC) $(CHECKS_SRC))
-include $(OBJS:.o=.d)

# socklab --version names the commit it was built from
$(BIN)/obj/grader/main.o: CFLAGS += -DSL_VERSION='"$(VERSION)"'

$(SOCKLAB): $(OBJS) $(BIN)/obj/grader/main.o | deps-build
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

build-references: $(SOCKLAB)
	@for lab in $(LABS); do \
	  $(SOCKLAB) build $$lab --dir reference --out $(ROOT)/$(BIN)/reference/$$lab \
	    || exit 1; \
	done

# every lab in DIR (default labs/), then the course's total
# builds are kept in $(BIN)/build-cache: a lab whose files did not change
# is not compiled again
grade: $(SOCKLAB)
	@$(SOCKLAB) grade $(or $(LAB),all) $(GRADE_ARGS) \
	  --build-cache $(ROOT)/$(BIN)/build-cache \
	  $(if $(filter command line environment,$(origin JOBS)),-j $(JOBS))

# ---- tests -------------------------------------------------------------

# after deps-build: under make -j two apt-get runs would race for its lock
deps-test: deps-build
	@scripts/install-deps.sh test

# With reference/ (the instructors' repository): unit tests, the meta
# tests and the batch tests. Without it (the student release): unit tests
# and the stubs scoring zero.
ifneq ($(LABS),)
test: deps-test format-check unit meta interop batch-test hostile platform-test
else
test: deps-test unit stubs
endif

UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(BIN)/tests/%,$(UNIT_SRC))
LIB_OBJS  := $(patsubst %.c,$(BIN)/obj/%.o,$(HARNESS_SRC) $(GRADER_SRC) $(CHECKS_SRC))

# the sandbox's tests refuse a prctl on cue, as a kernel or a seccomp
# profile may: cmocka's way, the linker's --wrap
$(BIN)/tests/test_sandbox: UNIT_WRAP := -Wl,--wrap=prctl

$(BIN)/tests/%: tests/unit/%.c $(LIB_OBJS) tests/unit/unit.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DSL_DEFAULT_ROOT='"$(ROOT)"' -o $@ $< $(LIB_OBJS) \
	  $(UNIT_LDFLAGS) $(UNIT_WRAP) -lcmocka $(LDLIBS)

unit: $(UNIT_BINS)
	@failed=0; for t in $(UNIT_BINS); do \
	  echo "== $$t"; $$t || failed=1; done; \
	[ $$failed = 0 ] || { echo "unit tests failed"; exit 1; }

# >>> instructors only: tests and tools that need reference/ or scripts
# the student release does not have
meta: all
	@tests/meta.sh $(SOCKLAB) $(LABS)

batch-test: all
	@tests/batch.sh $(SOCKLAB)
	@tests/shard.sh $(SOCKLAB)

# attacks on the sandbox, the compiler and the batch, each with its safe
# outcome asserted (tests/hostile/*.sh)
hostile: all
	@tests/hostile.sh $(SOCKLAB)

# the packages the course platforms run (Autolab), the HTML handouts, the
# student release's targets, packet captures and the HTML report
platform-test: all
	@tests/capture.sh $(SOCKLAB)
	@tests/html-report.sh $(SOCKLAB)
	@tests/autolab.sh $(SOCKLAB)
	@tests/handouts-html.sh $(SOCKLAB)
	@tests/release-targets.sh $(SOCKLAB)

# the reference web server and downloader against real clients and servers
interop: all
	@tests/interop.sh $(SOCKLAB)
# <<< instructors only

# every lab in labs/ scores zero as handed out
stubs: $(SOCKLAB)
	@failed=0; for lab in $(STUDENT_LABS); do \
	  total=$$($(SOCKLAB) grade $$lab --dir labs --format tsv | \
	    awk -F'\t' '$$1 == "total" { print $$3 "/" $$4 }'); \
	  case $$total in 0/*) echo "ok   $$lab stubs: $$total" ;; \
	  *) echo "FAIL $$lab stubs: $$total, expected 0"; failed=1 ;; esac; \
	done; [ $$failed = 0 ]

# >>> instructors only
student-release:
	@test -n "$(DEST)" || { echo "usage: make student-release DEST=folder"; exit 2; }
	@scripts/student-release.sh $(DEST)

gradescope: $(SOCKLAB)
	@test -n "$(LAB)" || { echo "usage: make gradescope LAB=02"; exit 2; }
	@scripts/gradescope/build.sh $(SOCKLAB) $(LAB) $(BIN)

# Autolab: bin/autolab/NN-name/autograde.tar and autograde-Makefile
.PHONY: autolab
autolab: $(SOCKLAB)
	@test -n "$(LAB)" || { echo "usage: make autolab LAB=02"; exit 2; }
	@scripts/autolab/build.sh $(SOCKLAB) $(LAB) $(BIN)/autolab
# <<< instructors only

# the reference by default; labs/ where there is none (the student release)
MEMCHECK_DIR = $(or $(DIR),$(if $(LABS),reference,labs))
memcheck: $(SOCKLAB)
	@scripts/install-deps.sh memcheck
	@test -n "$(LAB)" || { echo "usage: make memcheck LAB=02"; exit 2; }
	@echo "memcheck: lab $(LAB) from $(MEMCHECK_DIR)/ under Valgrind"
	$(SOCKLAB) grade $(LAB) --valgrind --dir $(MEMCHECK_DIR) -j $(JOBS) \
	  $(if $(CHECK),--check $(CHECK)) $(if $(V),-v)

# >>> instructors only
coverage:
	@scripts/install-deps.sh coverage
	$(MAKE) clean-build
	@# each sandbox runs as a user of its own and sees only its sealed
	@# root: the object folder is shown inside at its own path, and the
	@# counts files there must be writable by every user
	umask 000 && $(MAKE) CFLAGS="-O0 -g --coverage -DHX_COVERAGE \
	  -DHX_COVERAGE_DIR='\"$(ROOT)/$(BIN)/obj\"'" \
	  UNIT_LDFLAGS=--coverage unit meta batch-test hostile
	@mkdir -p $(BIN)/coverage
	gcovr --root . --filter 'harness/' --filter 'grader/' \
	  --exclude 'grader/checks/' --branches \
	  --html-details $(BIN)/coverage/index.html \
	  --print-summary --txt $(BIN)/coverage/summary.txt
	@cat $(BIN)/coverage/summary.txt
	@echo "HTML report: $(BIN)/coverage/index.html"
	$(MAKE) clean-build

bench: all
	@scripts/install-deps.sh bench
	@scripts/bench.sh $(or $(ROUNDS),3)

# Mutation analysis of the checks: a benchmark, not a test. Options:
# LAB=02 JOBS=n SEED=n LIMIT=n OPERATORS=call-delete,relational TIMEOUT=s
# CONFIRM=1 (grade each kill again: a check must fail twice to count)
mutate: $(SOCKLAB)
	@scripts/install-deps.sh mutate
	scripts/mutate.py --socklab $(SOCKLAB) --out $(BIN)/mutate -j $(JOBS) \
	  $(if $(LAB),--lab $(LAB)) $(if $(SEED),--seed $(SEED)) \
	  $(if $(LIMIT),--limit $(LIMIT)) \
	  $(if $(OPERATORS),--operators $(OPERATORS)) \
	  $(if $(TIMEOUT),--timeout $(TIMEOUT)) $(if $(CONFIRM),--confirm)
# <<< instructors only

handouts: $(SOCKLAB)
	@scripts/handouts.sh $(SOCKLAB) $(BIN)/handouts

# The project's own C: harness, grader, checks and their support files,
# unit tests (labs/ and reference/ are the students' style, not checked)
FORMAT_SRC = $(HARNESS_SRC) $(GRADER_SRC) grader/main.c $(CHECKS_SRC) \
	$(wildcard grader/checks/support/*.c) harness/*.h grader/*.h \
	$(wildcard tests/unit/*.c tests/unit/*.h)

format:
	clang-format -i $(FORMAT_SRC)

# fails, naming the files, when one is not as `make format` writes it
format-check: deps-format
	@bad=""; for f in $(FORMAT_SRC); do \
	  clang-format --dry-run -Werror "$$f" >/dev/null 2>&1 || bad="$$bad $$f"; done; \
	  if [ -n "$$bad" ]; then echo "not formatted (run make format):$$bad"; exit 1; fi; \
	  echo "format: every file as make format writes it"

deps-format:
	@scripts/install-deps.sh format

clean-build:
	rm -rf $(BIN)/obj $(BIN)/tests $(SOCKLAB)

clean:
	rm -rf $(BIN)
