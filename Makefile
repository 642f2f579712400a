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
# Only the xpf command links these: `xpf top` (ncurses) and the policy digest's SHA-256 (nettle,
# user/cli/policy_digest.c). `xpf exporter` opens libmicrohttpd itself (user/cli/cmd_exporter.c):
# only its header is needed to build.
APP_PKGS  := ncurses nettle
APP_LIBS   = $(shell pkg-config --libs $(APP_PKGS) 2>/dev/null)

# CFLAGS, CPPFLAGS and LDFLAGS from the environment or the command line (Debian's hardening
# flags, dpkg-buildflags) are kept, and the project's own added to them.
CFLAGS   ?= -O2 -g
override CFLAGS   += -std=gnu11 -Wall -Wextra -Iinclude -Iuser -I$(BUILD) $(PKG_CFLAGS)
override CPPFLAGS += -DXPF_TABLE_DIR=\"$(CURDIR)/tables\" -DXPF_VERSION=\"$(shell cat VERSION)\"
# -mcpu=v3: 32-bit jumps and ALU, so 32-bit values need no zero-extending shifts: 2-3 ns less
# a packet on the rule path (README.md, Performance). Every kernel xpf runs on has them
# (user/core/kernel_release.h).
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

# Two programs: xpf.bpf.c (XDP) and egress.bpf.c (tc egress), one skeleton each; and the XDP
# program's explain variant, xpf.bpf.c built with XPF_EXPLAIN: the same decisions, answered in
# the metadata instead of counted. `xpf explain` loads it on the attached program's maps for one
# test run; it is never attached, so the attached program reads no metadata. The skeletons are
# compiled into the binary: nothing is installed for them.
BPF_OBJECTS := xpf egress xpf_explain
SKELETONS := $(BPF_OBJECTS:%=$(BUILD)/%.skel.h)
# Kept after the build: the BPF tests include them, and a later `make tests` needs them.
.SECONDARY: $(SKELETONS) $(SKELETONS:$(BUILD)/%.skel.h=$(BUILD)/bpf/%.bpf.o)

# Before anything is compiled: the Debian packages the build lacks, named in one line
# (scripts/build-deps.sh), with the compiler and include paths the build uses.
BUILD_DEPS_CHECK = scripts/build-deps.sh "$(CC) $(filter -I% --sysroot=%,$(CPPFLAGS) $(CFLAGS))" \
	"$(CLANG)" "$(BPFTOOL)"
MISSING_MESSAGE = xpf needs the Debian packages $(MISSING_PACKAGES): `sudo make deps` installs them
$(BUILD)/build-deps.ok: scripts/build-deps.sh
	$(eval MISSING_PACKAGES := $(shell $(BUILD_DEPS_CHECK)))
	$(if $(MISSING_PACKAGES),$(error $(MISSING_MESSAGE)))
	@mkdir -p $(@D) && touch $@

$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.h) include/xpf/maps.h | $(BUILD)/build-deps.ok
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/bpf/xpf_explain.bpf.o: bpf/xpf.bpf.c $(wildcard bpf/*.h) include/xpf/maps.h | \
		$(BUILD)/build-deps.ok
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -DXPF_EXPLAIN -c $< -o $@

$(BUILD)/%.skel.h: $(BUILD)/bpf/%.bpf.o
	$(Q)$(BPFTOOL) gen skeleton $< name $*_bpf > $@

$(BUILD)/%.o: %.c $(wildcard user/*/*.h) include/xpf/maps.h $(SKELETONS) | $(BUILD)/build-deps.ok
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

# The built-in tables are compiled into the binary (.incbin), so a site file can name one.
$(BUILD)/user/core/builtin_tables.o: $(wildcard tables/*.txt)

$(BUILD)/xpf: $(USER_OBJS) $(PURE_OBJS)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(PKG_LIBS) $(APP_LIBS) -ljson-c

$(BUILD)/tests/test_%: tests/unit/test_%.c $(TEST_LIB) $(PURE_OBJS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -Itests/lib $(filter %.c %.o,$^) -o $@ -lcmocka \
		$(TEST_LDFLAGS)

# The containers' tests make realloc() and calloc() fail when they choose to.
$(BUILD)/tests/test_containers: TEST_LDFLAGS := -Wl,--wrap=realloc,--wrap=calloc

# Unit tests of what top and the exporter print: the view and the snapshot it is shown, made by
# hand, on the pure objects (no kernel objects, no libbpf).
VIEW_UNIT_TESTS := $(BUILD)/tests/test_top_view $(BUILD)/tests/test_prometheus \
	$(BUILD)/tests/test_drop_view
$(VIEW_UNIT_TESTS): $(BUILD)/tests/test_%: tests/unit/test_%.c $(BUILD)/user/cli/%.o \
		$(BUILD)/user/cli/snapshot.o $(TEST_LIB) $(PURE_OBJS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -Itests/lib $(filter %.c %.o,$^) -o $@ -ljson-c -lcmocka

$(BUILD)/tests/test_%: tests/bpf/test_%.c $(BPF_TEST_LIB) $(BPF_TEST_FIXTURE) \
		$(wildcard tests/bpf/*.h) $(TEST_LIB) $(LIB_OBJS) | $(SKELETONS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -Itests/bpf -Itests/lib $(filter %.c %.o,$^) \
		-o $@ $(PKG_LIBS) -ljson-c -lcmocka

# The policy digest's test: the command's digest (nettle's SHA-256) on the pure objects.
$(BUILD)/tests/test_policy_digest: tests/unit/test_policy_digest.c \
		$(BUILD)/user/cli/policy_digest.o $(TEST_LIB) $(PURE_OBJS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -Itests/lib $(filter %.c %.o,$^) -o $@ -lcmocka \
		-lnettle

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
$(BUILD)/tests/e2e/%.bpf.o: tests/e2e/%.bpf.c $(wildcard bpf/*.h bpf/*.c) include/xpf/maps.h
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# test_min_kernel.sh preloads it: uname() says an older release.
$(BUILD)/tests/e2e/uname_shim.so: tests/e2e/uname_shim.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -shared -fPIC $< -o $@ -ldl

tests: $(UNIT_TESTS) $(BPF_TESTS) $(DIFF_BINS) $(E2E_BPF) $(BUILD)/tests/e2e/uname_shim.so

# Benchmark (scripts/bench): its own BPF floor/generator programs and two test_run drivers.
BENCH_BPF := $(patsubst tests/bench/%.bpf.c,$(BUILD)/tests/bench/%.bpf.o,$(wildcard tests/bench/*.bpf.c))
BENCH_BINS := $(BUILD)/tests/bench/test_run_cost $(BUILD)/tests/bench/trafficgen

$(BUILD)/tests/bench/%.bpf.o: tests/bench/%.bpf.c
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# Both drivers send the frames of tests/bench/bench_frames.c.
BENCH_FRAMES := tests/bench/bench_frames.c tests/bench/bench_frames.h
$(BUILD)/tests/bench/test_run_cost: tests/bench/test_run_cost.c $(BENCH_FRAMES) $(BPF_TEST_LIB) \
		$(wildcard tests/bpf/*.h) $(LIB_OBJS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/bpf $(filter %.c %.o,$^) -o $@ $(PKG_LIBS) -ljson-c

# The generator's two sources (live frames, AF_PACKET) each in a file of its own.
$(BUILD)/tests/bench/trafficgen: tests/bench/trafficgen.c tests/bench/traffic_live.c \
		tests/bench/traffic_afpacket.c tests/bench/traffic_source.h $(BENCH_FRAMES) $(BPF_TEST_LIB) \
		$(wildcard tests/bpf/*.h)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/bpf $(filter %.c,$^) -o $@ $(PKG_LIBS)

# The verifier check (scripts/bench-verifier): the two programs built by a second compiler
# too, both objects loaded, the instructions the verifier processed reported per program.
CLANG_ALT ?= clang-19
VERIFIER_OBJS := $(BPF_OBJECTS:%=$(BUILD)/bpf/%.bpf.o) $(BPF_OBJECTS:%=$(BUILD)/bpf-alt/%.bpf.o)
$(BUILD)/bpf-alt/%.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.h) include/xpf/maps.h
	@mkdir -p $(@D)
	$(Q)$(CLANG_ALT) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/bpf-alt/xpf_explain.bpf.o: bpf/xpf.bpf.c $(wildcard bpf/*.h) include/xpf/maps.h
	@mkdir -p $(@D)
	$(Q)$(CLANG_ALT) $(BPF_CFLAGS) -DXPF_EXPLAIN -c $< -o $@

# The objects scripts/bench-verifier loads, by name (BPF_OBJECTS is their one list).
bpf-objects:
	@echo $(BPF_OBJECTS:%=%.bpf.o)

$(BUILD)/tests/bench/verifier_insns: tests/bench/verifier_insns.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $< -o $@ $(PKG_LIBS)

bench-build: all $(BENCH_BPF) $(BENCH_BINS) $(VERIFIER_OBJS) $(BUILD)/tests/bench/verifier_insns

# Both compilers' objects loaded, and the verifier's work against tests/bench/verifier_baseline.csv.
verifier: bench-build
	$(Q)scripts/bench-verifier $(BUILD) "$(CLANG)" "$(CLANG_ALT)"

deps:
	$(Q)if [ "$$(id -u)" = 0 ]; then scripts/deps.sh; \
	else echo "make deps: not root, nothing installed (sudo make deps installs the packages)"; fi

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
# reference: the binary has the tables built in), the man pages, bash completion, every systemd
# unit of dist/, the README and docs/, and an example site file under /etc/xpf that changes
# nothing until copied to IFACE.site.
PREFIX     ?= /usr/local
SBINDIR    ?= $(PREFIX)/sbin
DATADIR    ?= $(PREFIX)/share/xpf
MANDIR     ?= $(PREFIX)/share/man
DOCDIR     ?= $(PREFIX)/share/doc/xpf
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(if $(filter /usr/local,$(PREFIX)),/etc,$(PREFIX)/etc))
UNITDIR    ?= $(PREFIX)/lib/systemd/system
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
# dist/NAME.service.in → NAME.service, @SBINDIR@ and @SYSCONFDIR@ filled in.
UNITS      := $(patsubst dist/%.in,%,$(wildcard dist/*.service.in))

install: $(BUILD)/xpf
	install -D -m 0755 $(BUILD)/xpf $(DESTDIR)$(SBINDIR)/xpf
	install -d -m 0755 $(DESTDIR)$(DATADIR)/tables $(DESTDIR)$(DATADIR)/examples
	install -m 0644 tables/*.txt tables/SOURCES.md $(DESTDIR)$(DATADIR)/tables/
	install -m 0644 examples/*.site $(DESTDIR)$(DATADIR)/examples/
	install -D -m 0644 dist/prometheus/xpf.rules.yml $(DESTDIR)$(DATADIR)/prometheus/xpf.rules.yml
	install -D -m 0644 dist/grafana/xpf-pool.json $(DESTDIR)$(DATADIR)/grafana/xpf-pool.json
	install -D -m 0644 examples/director.site $(DESTDIR)$(SYSCONFDIR)/xpf/director.site.example
	install -D -m 0644 man/xpf.8 $(DESTDIR)$(MANDIR)/man8/xpf.8
	install -D -m 0644 man/xpf.site.5 $(DESTDIR)$(MANDIR)/man5/xpf.site.5
	install -D -m 0644 dist/xpf.bash $(DESTDIR)$(COMPLETIONDIR)/xpf
	install -d -m 0755 $(DESTDIR)$(DOCDIR)/docs
	install -m 0644 README.md $(DESTDIR)$(DOCDIR)/
	install -m 0644 docs/*.md $(DESTDIR)$(DOCDIR)/docs/
	install -d -m 0755 $(DESTDIR)$(UNITDIR)
	for unit in $(UNITS); do \
		sed -e 's|@SBINDIR@|$(SBINDIR)|g; s|@SYSCONFDIR@|$(SYSCONFDIR)|g' dist/$$unit.in \
			> $(DESTDIR)$(UNITDIR)/$$unit && chmod 0644 $(DESTDIR)$(UNITDIR)/$$unit || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/xpf $(DESTDIR)$(MANDIR)/man8/xpf.8 \
		$(DESTDIR)$(MANDIR)/man5/xpf.site.5 \
		$(DESTDIR)$(COMPLETIONDIR)/xpf $(addprefix $(DESTDIR)$(UNITDIR)/,$(UNITS)) \
		$(DESTDIR)$(SYSCONFDIR)/xpf/director.site.example
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR)

# `make deb`: BUILD/deb/xpf_VERSION_ARCH.deb (and its -dbgsym, .buildinfo, .changes) through
# dpkg-buildpackage and debian/, which builds in debian/build. debian/changelog must name the
# version VERSION does.
VERSION  := $(shell cat VERSION)
DEB_DIR   = $(abspath $(BUILD))/deb
deb:
	$(Q)test "$$(dpkg-parsechangelog -S Version)" = "$(VERSION)" || \
		{ echo "debian/changelog is not at VERSION's $(VERSION)" >&2; exit 1; }
	$(Q)mkdir -p $(DEB_DIR)
	$(Q)XPF_DEB_DIR=$(DEB_DIR) dpkg-buildpackage -us -uc -b \
		--buildinfo-option=-u$(DEB_DIR) --changes-option=-u$(DEB_DIR) \
		--buildinfo-file=$(DEB_DIR)/xpf_$(VERSION)_$$(dpkg-architecture -qDEB_HOST_ARCH).buildinfo \
		--changes-file=$(DEB_DIR)/xpf_$(VERSION)_$$(dpkg-architecture -qDEB_HOST_ARCH).changes
	$(Q)ls $(DEB_DIR)/xpf_$(VERSION)_*.deb

# The minimum kernel the docs state (scripts/check-min-kernel.sh), the layers of user/
# (scripts/check-layers.py) and the lengths of the functions of user/ and bpf/
# (scripts/function-lengths.py), each check held to trees broken on purpose, then cppcheck's
# findings.
lint:
	$(Q)scripts/check-min-kernel.sh
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

.PHONY: all tests deps check demo lint clean cli-docs fuzz fuzz-long bench bench-build bench-doc install uninstall \
	deb verifier bpf-objects
