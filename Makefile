# pacc — plain GNU Makefile.  `make` builds build/pacc and compiles policies/ into
# generated/; `make test` runs every test.  See README.md.

.DELETE_ON_ERROR:
.SUFFIXES:
SHELL := /bin/bash

PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build
CC ?= cc
RE2C ?= re2c
BISON ?= bison
PKGS := yaml-0.1 libcjson cmocka uuid
APT_PACKAGES := build-essential re2c bison pkg-config libyaml-dev libcjson-dev libcmocka-dev uuid-dev

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion \
	-Wstrict-prototypes -Wmissing-prototypes -Wwrite-strings -Wcast-qual -Wformat=2 \
	-Wundef -Wvla -Wimplicit-fallthrough -Wswitch-enum -fno-common
ifeq ($(CI),true)
WARN += -Werror
endif
# Generated lexer/parser code gets this short list of exceptions, nothing more.
GEN_WARN := -Wno-conversion -Wno-sign-conversion -Wno-switch-enum -Wno-unused-macros \
	-Wno-missing-prototypes -Wno-implicit-fallthrough

OPT ?= -O2 -g
SAN ?=
CPPFLAGS += -Iinclude -I$(BUILD) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
# The driver runs the Bicep generator when it is part of the tree (override: asan sets CPPFLAGS).
override CPPFLAGS += $(if $(wildcard src/gen/gen_bicep.c),-DPACC_HAVE_BICEP)
CFLAGS ?=
CFLAGS += -std=c17 $(OPT) $(WARN) $(SAN) -MMD -MP
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDLIBS += $(PKG_LIBS)

# Sources live in one folder per stage (src/base, src/front, src/check, src/gen,
# src/import, src/cli); every .c there is part of the library but the main.
SRC := $(sort $(wildcard src/*.c src/*/*.c))
LIB_SRC := $(filter-out src/cli/main.c,$(SRC))
GEN_SRC := $(BUILD)/lexer.c $(BUILD)/parser.c
OBJ_LIB := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o) \
	$(if $(wildcard grammar/lexer.re),$(BUILD)/obj/lexer.o) \
	$(if $(wildcard grammar/parser.y),$(BUILD)/obj/parser.o)
OBJ_MAIN := $(BUILD)/obj/cli/main.o
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
PACKS := $(sort $(wildcard policies/*.pacc))
PACC := $(BUILD)/pacc

.PHONY: all deps test unit golden golden-update check-generated asan valgrind coverage \
	hdr-check format-check tidy install uninstall clean generated conformance fuzz robust bicep-build \
	bench diag fmt

all: $(PACC) generated

# ---- build packages -------------------------------------------------------------
# Installs missing build packages with apt-get when root (or sudo works); otherwise
# prints the one command to run.
$(BUILD)/.deps-ok:
	@bash tests/install-deps.sh $(APT_PACKAGES)
	@mkdir -p $(BUILD) && touch $@

deps: $(BUILD)/.deps-ok

# ---- compile ------------------------------------------------------------------------
$(BUILD)/parser.c $(BUILD)/parser.h &: grammar/parser.y | $(BUILD)/.deps-ok
	@mkdir -p $(BUILD)
	$(BISON) -Wall -Werror --defines=$(BUILD)/parser.h -o $(BUILD)/parser.c $<

$(BUILD)/lexer.c: grammar/lexer.re | $(BUILD)/.deps-ok
	@mkdir -p $(BUILD)
	$(RE2C) -W -Werror --no-generation-date --no-version -o $@ $<

$(BUILD)/obj/%.o: src/%.c | $(BUILD)/.deps-ok $(if $(wildcard grammar/parser.y),$(BUILD)/parser.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/lexer.o: $(BUILD)/lexer.c $(BUILD)/parser.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(GEN_WARN) -c $< -o $@

$(BUILD)/obj/parser.o: $(BUILD)/parser.c $(BUILD)/parser.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(GEN_WARN) -c $< -o $@

$(BUILD)/libpacc.a: $(OBJ_LIB)
	@rm -f $@
	ar rcs $@ $^

$(PACC): $(OBJ_MAIN) $(BUILD)/libpacc.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libpacc.a tests/unit/testutil.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests/unit $(PKG_CFLAGS) $(CFLAGS) -Wno-missing-prototypes -o $@ $< $(BUILD)/libpacc.a $(LDFLAGS) $(LDLIBS)

-include $(wildcard $(BUILD)/obj/*.d $(BUILD)/obj/*/*.d $(BUILD)/tests/*.d)

# ---- generated/ ---------------------------------------------------------------------
# generated/ is committed; `make` rebuilds it from policies/, `make check-generated`
# proves it is fresh.
# With the project manifest (pacc.yaml), its packs and environments, and the
# pipelines `pacc pipeline` writes for it.
generated: $(PACC)
	@if [ -f pacc.yaml ]; then \
		$(PACC) build -o generated && mkdir -p generated/pipelines && \
		$(PACC) pipeline github -o generated/pipelines/github-actions.yml && \
		$(PACC) pipeline azure-devops -o generated/pipelines/azure-pipelines.yml; \
	elif [ -n "$(PACKS)" ]; then $(PACC) build -o generated $(PACKS); fi

check-generated: $(PACC)
	@bash tests/check-generated.sh $(PACC)
	@bash tests/check-aliases-lock.sh $(PACC)

# ---- tests ----------------------------------------------------------------------------
unit: $(UNIT_BIN) $(PACC)
	@bash tests/run-unit.sh $(UNIT_BIN)

golden: $(PACC)
	@bash tests/golden/run.sh $(PACC)

golden-update: $(PACC)
	@bash tests/golden/run.sh --update $(PACC)

test: unit golden check-generated robust diag fmt $(BUILD)/conformance/roundtrip
	@bash tests/cli/run.sh $(PACC)
	@bash tests/import/run.sh $(PACC)
	@$(PACC) test $(PACKS)
	@bash tests/cli/man.sh $(PACC)

# Every diagnostic code in the SARIF and GitHub formats (and, with ../shared,
# through Microsoft's SARIF validator).
diag: $(PACC)
	@bash tests/diag/run.sh $(PACC)

# pacc fmt: the shipped packs are formatted; formatting keeps every pack's tree.
fmt: $(PACC)
	@bash tests/fmt/run.sh $(PACC)

# Hostile input, saved fuzz findings, contained and atomic writes (with a shim
# that fails each file-system call in turn), determinism, and the shared
# validators over a pack with hostile text in every slot.
robust: $(PACC) $(BUILD)/failio.so
	@bash tests/hostile/run.sh $(PACC)
	@bash tests/fuzz/replay.sh $(PACC)
	@bash tests/robust/writes.sh $(PACC) $(BUILD)/failio.so
	@bash tests/robust/races.sh $(PACC)
	@bash tests/determinism.sh $(PACC)
	@bash tests/robust/validators.sh $(PACC)

$(BUILD)/failio.so: tests/robust/failio.c
	@mkdir -p $(@D)
	$(CC) -shared -fPIC -O1 -g -o $@ $< -ldl

# How fast pacc is at every size: one table (README "Performance").  Not part
# of `make test`: it takes minutes and its figures depend on the machine.
# BENCH_ARGS=--quick runs each row fewer times.
bench: $(PACC)
	@bash tests/install-deps.sh jq
	@python3 tests/bench/run.py $(PACC) $(BENCH_ARGS)

asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" \
		CPPFLAGS="-Iinclude -Ibuild-asan -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DPACC_ARENA_MALLOC" \
		unit golden
	ASAN_OPTIONS=detect_leaks=1 bash tests/cli/run.sh build-asan/pacc
	ASAN_OPTIONS=detect_leaks=1 HOSTILE_VMEM=unlimited bash tests/hostile/run.sh build-asan/pacc
	ASAN_OPTIONS=detect_leaks=1 bash tests/fuzz/replay.sh build-asan/pacc
	ASAN_OPTIONS=detect_leaks=1 bash tests/robust/writes.sh build-asan/pacc

valgrind: $(UNIT_BIN) $(PACC)
	@bash tests/run-unit.sh --valgrind $(UNIT_BIN)
	@PACC_WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=all" bash tests/cli/run.sh $(PACC)
	@PACC_WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=all" HOSTILE_VMEM=unlimited HOSTILE_TIMEOUT=300 HOSTILE_STEP=101 HOSTILE_JSON_STEP=23 bash tests/hostile/run.sh $(PACC)
	@PACC_WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=all" bash tests/fuzz/replay.sh $(PACC)

# The real Bicep compiler over every Bicep file pacc writes (../shared/tools/bicep-build,
# slow on its first run); BICEP_VERSION is the Bicep CLI version the output is checked
# against, stated here only.
BICEP_VERSION := 0.49.2
bicep-build: $(PACC)
	@bash tests/bicep-build.sh $(PACC) $(BICEP_VERSION)

conformance: $(PACC) $(BUILD)/conformance/roundtrip $(BUILD)/conformance/evalall
	@bash tests/conformance/run.sh $(PACC)

# The evaluator over every built-in definition, in process.
$(BUILD)/conformance/evalall: tests/conformance/evalall.c $(BUILD)/libpacc.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -o $@ $< $(BUILD)/libpacc.a $(LDFLAGS) $(LDLIBS)

# The round trip of `pacc import` over the Azure built-in corpus, in process.
$(BUILD)/conformance/roundtrip: tests/conformance/roundtrip.c $(BUILD)/libpacc.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -o $@ $< $(BUILD)/libpacc.a $(LDFLAGS) $(LDLIBS)

fuzz:
	@bash tests/fuzz/run.sh $(or $(FUZZ_SECONDS),60)

# ---- developer targets ---------------------------------------------------------------
hdr-check: | $(BUILD)/.deps-ok $(BUILD)/parser.h
	@set -e; for h in include/pacc/*.h; do \
		echo "#include \"pacc/$${h##*/}\"" | $(CC) $(CPPFLAGS) $(PKG_CFLAGS) -std=c17 $(WARN) -Werror -x c -fsyntax-only - ; \
	done; echo "hdr-check: every header compiles on its own"

format-check:
	clang-format --dry-run --Werror $(SRC) include/pacc/*.h tests/unit/*.c

tidy: | $(BUILD)/parser.h
	clang-tidy $(SRC) -- $(CPPFLAGS) $(PKG_CFLAGS) -std=c17

coverage:
	$(MAKE) BUILD=build-cov OPT="-O0 -g --coverage" LDFLAGS=--coverage unit
	for d in $(sort $(dir $(SRC))); do gcov -o build-cov/obj/$${d#src/} $$d*.c; done >/dev/null && echo "coverage: .gcov files written"

install: $(PACC)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(PACC) $(DESTDIR)$(PREFIX)/bin/pacc
	install -m 0644 src/cli/pacc.1 $(DESTDIR)$(PREFIX)/share/man/man1/pacc.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/pacc $(DESTDIR)$(PREFIX)/share/man/man1/pacc.1

clean:
	rm -rf build build-asan build-cov build-fuzz
