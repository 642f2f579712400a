# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# xpf: `make` builds build/xpf; `make check` runs every test; `sudo make demo` runs the lab.
.DELETE_ON_ERROR:
.SUFFIXES:

BUILD   ?= build
CC      ?= cc
CLANG   ?= clang
BPFTOOL ?= bpftool
ARCH    := $(shell uname -m | sed 's/x86_64/x86/; s/aarch64/arm64/')

Q := @
ifeq ($(V),1)
Q :=
endif

PKGS      := libbpf libxdp
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# Only the xpf command links this: `xpf top` (ncurses). `xpf exporter` opens libmicrohttpd
# when it starts (user/cli/cmd_exporter.c): its header only is needed here.
APP_PKGS  := ncurses
APP_LIBS   = $(shell pkg-config --libs $(APP_PKGS) 2>/dev/null)

CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 -Wall -Wextra -Iinclude -Iuser -I$(BUILD) $(PKG_CFLAGS)
CPPFLAGS += -DXPF_TABLE_DIR=\"$(CURDIR)/tables\" -DXPF_VERSION=\"$(shell cat VERSION)\"
# -mcpu=v3: 32-bit jumps and ALU (kernel 5.1 on), so 32-bit values need no zero-extending
# shifts: 2-3 ns less a packet on the rule path (README.md, Performance).
BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) -Wall -Werror -Iinclude \
	-I/usr/include/$(shell uname -m)-linux-gnu

# user/ in four layers, each including only its own and those below (scripts/check-layers.py):
# lib/ (logging, fault points, locks, threads) < core/ (pure: text → structs → map image, names)
# < kernel/ (libbpf and libxdp) < cli/ (the verbs and their views).
# core/ and lib/ are pure (no BPF): unit tests and fuzzers link them without libbpf.
PURE_SRCS := $(wildcard user/core/*.c user/lib/*.c)
USER_SRCS := $(filter-out $(PURE_SRCS),$(wildcard user/*/*.c))
PURE_OBJS := $(PURE_SRCS:%.c=$(BUILD)/%.o)
USER_OBJS := $(USER_SRCS:%.c=$(BUILD)/%.o)
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))
BPF_TESTS  := $(patsubst tests/bpf/%.c,$(BUILD)/tests/%,$(wildcard tests/bpf/test_*.c))
BPF_TEST_LIB := $(wildcard tests/bpf/lib_*.c)
# The BPF tests' site programs, runs and counters (cmocka, the kernel-facing user code).
BPF_TEST_FIXTURE := tests/bpf/fixture.c
# Helpers every unit and BPF test links (tests/lib/): read_text(), the seeded rng, site text
# → rule set → image.
TEST_LIB   := $(wildcard tests/lib/*.c) $(wildcard tests/lib/*.h)
# Kernel-facing user code the BPF tests share with xpf (map writer, loader, stats).
LIB_OBJS   := $(filter-out $(BUILD)/user/cli/%,$(USER_OBJS)) $(PURE_OBJS)

all: $(BUILD)/xpf

# Two programs: xpf.bpf.c (XDP) and egress.bpf.c (tc egress), one skeleton each.
SKELETONS := $(BUILD)/xpf.skel.h $(BUILD)/egress.skel.h
# Kept after the build: the BPF tests include them, and a later `make tests` needs them.
.SECONDARY: $(SKELETONS) $(SKELETONS:$(BUILD)/%.skel.h=$(BUILD)/bpf/%.bpf.o)

$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.h) include/xpf/maps.h
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/%.skel.h: $(BUILD)/bpf/%.bpf.o
	$(Q)$(BPFTOOL) gen skeleton $< name $*_bpf > $@

$(BUILD)/%.o: %.c $(wildcard user/*/*.h) include/xpf/maps.h $(SKELETONS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

# The built-in tables are compiled into the binary (.incbin), so a site file can name one.
$(BUILD)/user/core/builtin_tables.o: $(wildcard tables/*.txt)

$(BUILD)/xpf: $(USER_OBJS) $(PURE_OBJS)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(PKG_LIBS) $(APP_LIBS) -ljson-c

$(BUILD)/tests/test_%: tests/unit/test_%.c $(TEST_LIB) $(PURE_OBJS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/lib $(filter %.c %.o,$^) -o $@ -lcmocka \
		$(TEST_LDFLAGS)

# The containers' tests make realloc() and calloc() fail when they choose to.
$(BUILD)/tests/test_containers: TEST_LDFLAGS := -Wl,--wrap=realloc,--wrap=calloc

# Unit tests of what top and the exporter print: the view and the snapshot it is shown, made by
# hand, on the pure objects (no kernel objects, no libbpf).
VIEW_UNIT_TESTS := $(BUILD)/tests/test_top_view $(BUILD)/tests/test_prometheus
$(VIEW_UNIT_TESTS): $(BUILD)/tests/test_%: tests/unit/test_%.c $(BUILD)/user/cli/%.o \
		$(BUILD)/user/cli/snapshot.o $(TEST_LIB) $(PURE_OBJS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/lib $(filter %.c %.o,$^) -o $@ -lcmocka

$(BUILD)/tests/test_%: tests/bpf/test_%.c $(BPF_TEST_LIB) $(BPF_TEST_FIXTURE) \
		$(wildcard tests/bpf/*.h) $(TEST_LIB) $(LIB_OBJS) | $(SKELETONS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/bpf -Itests/lib $(filter %.c %.o,$^) -o $@ \
		$(PKG_LIBS) -ljson-c -lcmocka

# Differential test (tests/e2e/test_differential.sh): xpf's verdicts through BPF_PROG_TEST_RUN.
DIFF_BINS := $(BUILD)/tests/diff/xpf_classify $(BUILD)/tests/diff/vlan_pop.bpf.o

$(BUILD)/tests/diff/%.bpf.o: tests/diff/%.bpf.c
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/tests/diff/%: tests/diff/%.c $(LIB_OBJS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(filter %.c %.o,$^) -o $@ $(PKG_LIBS) -ljson-c

# BPF objects the e2e tests attach themselves.
E2E_BPF := $(patsubst tests/e2e/%.bpf.c,$(BUILD)/tests/e2e/%.bpf.o,$(wildcard tests/e2e/*.bpf.c))
$(BUILD)/tests/e2e/%.bpf.o: tests/e2e/%.bpf.c
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

tests: $(UNIT_TESTS) $(BPF_TESTS) $(DIFF_BINS) $(E2E_BPF)

# Benchmark (scripts/bench): its own BPF floor/generator programs and two test_run drivers.
BENCH_BPF := $(patsubst tests/bench/%.bpf.c,$(BUILD)/tests/bench/%.bpf.o,$(wildcard tests/bench/*.bpf.c))
BENCH_BINS := $(BUILD)/tests/bench/test_run_cost $(BUILD)/tests/bench/trafficgen

$(BUILD)/tests/bench/%.bpf.o: tests/bench/%.bpf.c
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/tests/bench/test_run_cost: tests/bench/test_run_cost.c $(BPF_TEST_LIB) $(wildcard tests/bpf/*.h) $(LIB_OBJS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/bpf $(filter %.c %.o,$^) -o $@ $(PKG_LIBS) -ljson-c

# The generator's two sources (live frames, AF_PACKET) each in a file of its own.
$(BUILD)/tests/bench/trafficgen: tests/bench/trafficgen.c tests/bench/traffic_live.c \
		tests/bench/traffic_afpacket.c tests/bench/traffic_source.h $(BPF_TEST_LIB) \
		$(wildcard tests/bpf/*.h)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/bpf $(filter %.c,$^) -o $@ $(PKG_LIBS)

# The verifier check (scripts/bench-verifier): the two programs built by a second compiler
# too, both objects loaded, the instructions the verifier processed reported per program.
CLANG_ALT ?= clang-19
VERIFIER_OBJS := $(BUILD)/bpf/xpf.bpf.o $(BUILD)/bpf/egress.bpf.o \
	$(BUILD)/bpf-alt/xpf.bpf.o $(BUILD)/bpf-alt/egress.bpf.o
$(BUILD)/bpf-alt/%.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.h) include/xpf/maps.h
	@mkdir -p $(@D)
	$(Q)$(CLANG_ALT) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/tests/bench/verifier_insns: tests/bench/verifier_insns.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $< -o $@ $(PKG_LIBS)

bench-build: all $(BENCH_BPF) $(BENCH_BINS) $(VERIFIER_OBJS) $(BUILD)/tests/bench/verifier_insns

# Both compilers' objects loaded, and the verifier's work against tests/bench/verifier_baseline.csv.
verifier: bench-build
	$(Q)scripts/bench-verifier $(BUILD) "$(CLANG)" "$(CLANG_ALT)"

deps:
	$(Q)if [ "$$(id -u)" = 0 ]; then scripts/deps.sh; fi

# Every suite runs even when an earlier one fails; the exit status says whether all passed.
check: deps
	$(Q)$(MAKE) --no-print-directory all tests bench-build
	$(Q)status=0; \
	scripts/run-tests.sh $(BUILD) $(UNIT_TESTS) $(BPF_TESTS) || status=1; \
	scripts/fuzz.sh -b $(BUILD) --ci || status=1; \
	if [ "$$(id -u)" = 0 ]; then scripts/bench --quick $(BUILD) || status=1; fi; \
	if [ "$$(id -u)" = 0 ]; then scripts/bench-verifier $(BUILD) "$(CLANG)" "$(CLANG_ALT)" || status=1; fi; \
	exit $$status

# libFuzzer targets (tests/fuzz/): `make fuzz` as in CI, `make fuzz-long FUZZ_SECONDS=600`.
fuzz:
	$(Q)scripts/fuzz.sh -b $(BUILD) --ci

fuzz-long:
	$(Q)scripts/fuzz.sh -b $(BUILD) --long $(FUZZ_SECONDS)

# `make bench` is the full run (minutes); CI runs `make bench BENCH_FLAGS=--quick`.
bench: bench-build
	$(Q)if [ "$$(id -u)" = 0 ]; then scripts/deps.sh; fi
	$(Q)scripts/bench $(BENCH_FLAGS) $(BUILD)

# The man page's SYNOPSIS and the completion's tables, from the verb tables (user/cli/):
# after a change to a verb's options. tests/e2e/test_cli.sh fails until it is run.
cli-docs: $(BUILD)/xpf
	$(Q)scripts/cli-docs.sh $(BUILD)/xpf

# docs/performance.md's figures table, from the last `make bench` (BUILD/bench).
bench-doc:
	$(Q)/usr/bin/python3 tests/bench/render_performance.py $(BUILD)/bench docs/performance.md

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/demo.sh $(BUILD)/xpf

# `make install [PREFIX=/usr/local] [DESTDIR=...]`: the binary, tables and example (for
# reference: the binary has the tables built in), the man pages, bash completion, the systemd
# unit, and an example site file under /etc/xpf that changes nothing until copied to IFACE.site.
PREFIX     ?= /usr/local
SBINDIR    ?= $(PREFIX)/sbin
DATADIR    ?= $(PREFIX)/share/xpf
MANDIR     ?= $(PREFIX)/share/man
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(if $(filter /usr/local,$(PREFIX)),/etc,$(PREFIX)/etc))
UNITDIR    ?= $(PREFIX)/lib/systemd/system
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions

install: $(BUILD)/xpf
	install -D -m 0755 $(BUILD)/xpf $(DESTDIR)$(SBINDIR)/xpf
	install -d -m 0755 $(DESTDIR)$(DATADIR)/tables $(DESTDIR)$(DATADIR)/examples
	install -m 0644 tables/*.txt tables/SOURCES.md $(DESTDIR)$(DATADIR)/tables/
	install -m 0644 examples/*.site $(DESTDIR)$(DATADIR)/examples/
	install -D -m 0644 examples/director.site $(DESTDIR)$(SYSCONFDIR)/xpf/director.site.example
	install -D -m 0644 man/xpf.8 $(DESTDIR)$(MANDIR)/man8/xpf.8
	install -D -m 0644 man/xpf.site.5 $(DESTDIR)$(MANDIR)/man5/xpf.site.5
	install -D -m 0644 dist/xpf.bash $(DESTDIR)$(COMPLETIONDIR)/xpf
	install -d -m 0755 $(DESTDIR)$(UNITDIR)
	sed -e 's|@SBINDIR@|$(SBINDIR)|g; s|@SYSCONFDIR@|$(SYSCONFDIR)|g' dist/xpf@.service.in \
		> $(DESTDIR)$(UNITDIR)/xpf@.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/xpf@.service

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/xpf $(DESTDIR)$(MANDIR)/man8/xpf.8 \
		$(DESTDIR)$(MANDIR)/man5/xpf.site.5 \
		$(DESTDIR)$(COMPLETIONDIR)/xpf $(DESTDIR)$(UNITDIR)/xpf@.service \
		$(DESTDIR)$(SYSCONFDIR)/xpf/director.site.example
	rm -rf $(DESTDIR)$(DATADIR)

# The layers of user/ (scripts/check-layers.py) and the lengths of the functions of user/ and
# bpf/ (scripts/function-lengths.py), each check held to trees broken on purpose, then cppcheck's
# findings.
lint:
	$(Q)scripts/check-layers.py
	$(Q)tests/lint/test_check_layers.sh
	$(Q)scripts/function-lengths.py
	$(Q)tests/lint/test_function_lengths.sh
	$(Q)cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
		--library=scripts/cppcheck-libbpf.cfg -Iinclude -Iuser user/ tests/unit/ tests/bpf/ tests/fuzz/ \
		$(filter-out %.bpf.c,$(wildcard tests/diff/*.c)) \
		-Itests/lib tests/lib/ \
		$(filter-out %.bpf.c,$(wildcard tests/bench/*.c))

clean:
	rm -rf $(BUILD)

.PHONY: all tests deps check demo lint clean cli-docs fuzz fuzz-long bench bench-build bench-doc install uninstall verifier
