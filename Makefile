# SPDX-License-Identifier: GPL-2.0-only
# stormtop — see README.md.  `make run` installs what is missing and starts
# stormtop live; `make test` builds everything and runs the tests.

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PKG_CONFIG ?= pkg-config

WARN     := -Wall -Wextra -Werror
CPPFLAGS += -D_GNU_SOURCE -Isrc -I. -Iinclude -Ibpf -Ibuild/bpf \
            -DSTORMTOP_SHARE='"$(PREFIX)/share/stormtop"'
# Until collectors/symbolize.c is there, call sites show raw addresses.
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 $(WARN) -pthread
CURSES_CFLAGS := $(shell $(PKG_CONFIG) --cflags ncursesw 2>/dev/null)
CURSES_LIBS   := $(shell $(PKG_CONFIG) --libs ncursesw 2>/dev/null || echo -lncursesw)
# elfutils' libdwfl names user addresses (collectors/symbolize.c)
DW_LIBS  := $(shell $(PKG_CONFIG) --libs libdw 2>/dev/null || echo -ldw -lelf)
LDLIBS   += $(CURSES_LIBS) $(DW_LIBS) -lbpf -lelf -lz -lzstd -lpfm -lnuma -linih -lmicrohttpd -lm -pthread
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

CLANG   ?= clang
BPFTOOL ?= $(shell command -v bpftool || echo /usr/sbin/bpftool)
BPF_ARCH := $(shell uname -m | sed 's/x86_64/x86/; s/aarch64/arm64/')
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
# NOCORE: objects built again with no CO-RE relocation, for kernels
# without BTF (bpf/twin.bpf.h says what changes)
NOCORE  := churn iotlb
SKELS   := $(patsubst bpf/%.bpf.c,build/bpf/%.skel.h,$(wildcard bpf/*.bpf.c)) \
	   $(NOCORE:%=build/bpf/%_nocore.skel.h)
BPF_OBJS := $(SKELS:.skel.h=.bpf.o)

LIB_SRC := $(wildcard src/*/*.c collectors/*.c ui/*.c)
LIB_SRC := $(filter-out src/cmd/main.c,$(LIB_SRC))
OBJ     := $(LIB_SRC:%.c=build/%.o)
SAN_OBJ := $(LIB_SRC:%.c=build/san/%.o)
TOOLS   := tools/churn tools/sitesim tools/dispatch-sim tools/regime-reader tools/swarm tools/fieldlist
PROBE_LIB := build/libstormprobe.a build/libstormprobe.so.1
LIBDIR  ?= $(PREFIX)/lib
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
TESTS   := $(patsubst tests/%.c,build/tests/%,$(wildcard tests/test_*.c))
BENCHES := $(patsubst bench/%.c,build/bench/%,$(wildcard bench/*.c))

.PHONY: all run test deps test-deps install uninstall clean screenshots bench lab fields-doc
all: stormtop $(TOOLS) $(PROBE_LIB)

stormtop: build/src/cmd/main.o build/libstorm.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

build/libstorm.a: $(OBJ)
	$(AR) rcs $@ $^

build/san/libstorm.a: $(SAN_OBJ)
	$(AR) rcs $@ $^

# CO-RE: the kernel's own BTF gives vmlinux.h; bpftool turns each object
# into the skeleton its collector includes.
build/bpf/vmlinux.h:
	@mkdir -p $(dir $@)
	$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@.tmp && mv $@.tmp $@

build/bpf/%.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.h) include/stormtop/loglin.h build/bpf/vmlinux.h
	$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(BPF_ARCH) -Ibuild/bpf -Ibpf -Iinclude -Wall -Werror -c $< -o $@

build/bpf/%_nocore.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.h) include/stormtop/loglin.h build/bpf/vmlinux.h
	$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(BPF_ARCH) -DSTORMTOP_NO_CORE -Ibuild/bpf -Ibpf -Iinclude -Wall -Werror -c $< -o $@

build/bpf/%.skel.h: build/bpf/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $*_bpf > $@.tmp && mv $@.tmp $@

# What embeds PREFIX is rebuilt when PREFIX changes (make; make install
# PREFIX=/usr): the stamp is rewritten only when its content differs.
$(shell mkdir -p build && { [ "$$(cat build/prefix.stamp 2>/dev/null)" = "$(PREFIX)" ] || \
	echo "$(PREFIX)" > build/prefix.stamp; })
build/ui/theme.o build/san/ui/theme.o: build/prefix.stamp

# Kept after the skeletons are made: the lab reads their section names.
.SECONDARY: $(BPF_OBJS)

$(OBJ) $(SAN_OBJ) build/src/cmd/main.o build/san/src/cmd/main.o $(BENCHES): | $(SKELS)

build/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CURSES_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

build/san/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CURSES_CFLAGS) $(CFLAGS) $(SAN) -MMD -MP -c -o $@ $<

# The same binary with sanitizers, for the TUI tests.
build/stormtop-san: build/san/src/cmd/main.o build/san/libstorm.a
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(LDLIBS)

tools/%: tools/%.c
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< -pthread

# libstormprobe: the writer side of include/stormtop/probe.h, for
# applications; static and shared (make install adds a pkg-config file
# for the PREFIX it installs to).
build/pic/%.o: %.c include/stormtop/probe.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -fvisibility=default -c -o $@ $<

PROBE_OBJ := build/pic/src/probe/stormprobe.o build/pic/src/util/safefile.o
build/libstormprobe.a: $(PROBE_OBJ)
	$(AR) rcs $@ $^

build/libstormprobe.so.1: $(PROBE_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-soname,libstormprobe.so.1 -o $@ $^
	ln -sf libstormprobe.so.1 build/libstormprobe.so

tools/regime-reader: tools/regime-reader.c build/libstormprobe.a
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< build/libstormprobe.a

# docs/FORMAT.md's field list, printed from the field table.
tools/fieldlist: tools/fieldlist.c build/libstorm.a
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< build/libstorm.a $(LDLIBS)

# Writes that list between docs/FORMAT.md's fields markers
# (tests/fields_test.sh fails when they differ).
fields-doc: tools/fieldlist
	@tests/fields_test.sh --write

tools/dispatch-sim: tools/dispatch-sim.c tools/storm.c tools/storm.h build/libstormprobe.a
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< tools/storm.c build/libstormprobe.a -pthread

tools/churn: tools/churn.c tools/storm.c tools/storm.h
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< tools/storm.c -pthread

# Call sites to find: frame pointers, nothing inlined, symbols kept; and a
# stripped copy (the symbolizer's offsets).
tools/sitesim: tools/sitesim.c
	$(CC) $(CPPFLAGS) -O1 -g -fno-omit-frame-pointer -fno-inline -fno-optimize-sibling-calls $(WARN) $(LDFLAGS) -o $@ $< -pthread
	strip -o $@-stripped $@

build/tests/%: tests/%.c build/san/libstorm.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(SAN) -o $@ $< build/san/libstorm.a -lcmocka $(LDLIBS)

# libFuzzer target for the recording reader (clang's runtime): the reader
# and the frame core it decodes into (the ring derives summaries through
# core/metric.c), built apart from the gcc-sanitized library.
# Each fuzzer takes src/util whole: a hand-picked list broke the build
# each time a util file started to call another.
FUZZ_UTIL := $(wildcard src/util/*.c)
FUZZ_SRC := tests/fuzz_reader.c src/record/recreader.c src/record/recfmt.c src/record/codec.c src/record/timesel.c $(wildcard src/core/*.c) $(FUZZ_UTIL)
build/tests/fuzz_reader: $(FUZZ_SRC) $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Isrc -I. -Iinclude -o $@ $(FUZZ_SRC) -lzstd -linih -lm

# libFuzzer target for the stormprobe segment checks and slot reader.
FUZZ_PROBE_SRC := tests/fuzz_probe.c collectors/probe_check.c collectors/probe_seg.c \
	collectors/probe_slots.c collectors/sigbus.c collectors/probe_hist.c src/probe/stormprobe.c $(FUZZ_UTIL)
build/tests/fuzz_probe: $(FUZZ_PROBE_SRC) $(wildcard collectors/probe*.h src/util/*.h) include/stormtop/probe.h
	@mkdir -p $(dir $@)
	$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Isrc -I. -Iinclude -o $@ $(FUZZ_PROBE_SRC) -linih -lm

# libFuzzer targets for the config file and the theme file (inih with
# stormtop's whole-line reader).
FUZZ_CONFIG_SRC := tests/fuzz_config.c src/core/config.c $(FUZZ_UTIL)
build/tests/fuzz_config: $(FUZZ_CONFIG_SRC) src/core/config.h $(wildcard src/util/*.h)
	@mkdir -p $(dir $@)
	$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Isrc -I. -o $@ $(FUZZ_CONFIG_SRC) -linih -lm

FUZZ_THEME_SRC := tests/fuzz_theme.c ui/theme.c $(FUZZ_UTIL)
build/tests/fuzz_theme: $(FUZZ_THEME_SRC) ui/theme.h $(wildcard src/util/*.h)
	@mkdir -p $(dir $@)
	$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Isrc -I. -o $@ $(FUZZ_THEME_SRC) -linih -lm

FUZZERS := build/tests/fuzz_reader build/tests/fuzz_probe build/tests/fuzz_config build/tests/fuzz_theme

build/tests/alloc_shim.so: tests/alloc_shim.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -shared -fPIC -o $@ $< -ldl

build/bench/%: bench/%.c build/libstorm.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< build/libstorm.a $(LDLIBS)

# Runtime and build packages for `make run`; the test tools for `make test`.
deps:
	@scripts/deps.sh run

test-deps:
	@scripts/deps.sh test

run: deps
	@$(MAKE) --no-print-directory all
	./stormtop

test: test-deps
	@$(MAKE) --no-print-directory all build/stormtop-san build/tests/alloc_shim.so $(FUZZERS) $(TESTS)
	@tests/run.sh $(TESTS)

# Debian 5.10, 6.1 and 6.12 guests with an IOMMU and three NUMA nodes
# (tests/lab/lab.sh; LAB_CACHE, default build/lab, keeps the kernels).
lab: all $(BPF_OBJS)
	@scripts/deps.sh lab || true
	@tests/lab/lab.sh

bench: all $(BENCHES)
	@for b in $(BENCHES); do $$b || exit 1; done

screenshots: all
	scripts/screenshot.sh

install: all
	install -d $(DESTDIR)$(BINDIR)
	install -m 755 stormtop $(DESTDIR)$(BINDIR)/stormtop
	install -m 755 tools/churn $(DESTDIR)$(BINDIR)/stormtop-churn
	install -m 755 tools/dispatch-sim $(DESTDIR)$(BINDIR)/stormtop-dispatch-sim
	install -d $(DESTDIR)$(PREFIX)/include/stormtop $(DESTDIR)$(LIBDIR)/pkgconfig
	install -m 644 include/stormtop/probe.h include/stormtop/loglin.h $(DESTDIR)$(PREFIX)/include/stormtop/
	install -m 644 build/libstormprobe.a $(DESTDIR)$(LIBDIR)/
	install -m 755 build/libstormprobe.so.1 $(DESTDIR)$(LIBDIR)/
	ln -sf libstormprobe.so.1 $(DESTDIR)$(LIBDIR)/libstormprobe.so
	sed 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|' tools/stormprobe.pc.in \
		> $(DESTDIR)$(LIBDIR)/pkgconfig/stormprobe.pc
	install -d $(DESTDIR)$(PREFIX)/share/stormtop/themes
	install -m 644 themes/*.theme $(DESTDIR)$(PREFIX)/share/stormtop/themes/
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3
	install -m 644 man/stormtop.1 man/stormtop-churn.1 man/stormtop-dispatch-sim.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/stormprobe.3 $(DESTDIR)$(MANDIR)/man3/
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(SYSTEMDUNITDIR)
	install -m 644 completions/stormtop.bash $(DESTDIR)$(BASHCOMPDIR)/stormtop
	install -m 644 completions/_stormtop $(DESTDIR)$(ZSHCOMPDIR)/_stormtop
	sed 's|@BINDIR@|$(BINDIR)|' tools/systemd/stormtop-record.service.in \
		> $(DESTDIR)$(SYSTEMDUNITDIR)/stormtop-record.service

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/stormtop $(DESTDIR)$(BINDIR)/stormtop-churn \
	      $(DESTDIR)$(BINDIR)/stormtop-dispatch-sim
	rm -f $(DESTDIR)$(LIBDIR)/libstormprobe.a $(DESTDIR)$(LIBDIR)/libstormprobe.so* \
	      $(DESTDIR)$(LIBDIR)/pkgconfig/stormprobe.pc $(DESTDIR)$(PREFIX)/include/stormtop/probe.h \
	      $(DESTDIR)$(PREFIX)/include/stormtop/loglin.h
	rm -f $(DESTDIR)$(MANDIR)/man1/stormtop.1 $(DESTDIR)$(MANDIR)/man1/stormtop-churn.1 \
	      $(DESTDIR)$(MANDIR)/man1/stormtop-dispatch-sim.1 $(DESTDIR)$(MANDIR)/man3/stormprobe.3 \
	      $(DESTDIR)$(BASHCOMPDIR)/stormtop $(DESTDIR)$(ZSHCOMPDIR)/_stormtop \
	      $(DESTDIR)$(SYSTEMDUNITDIR)/stormtop-record.service
	rm -rf $(DESTDIR)$(PREFIX)/share/stormtop

clean:
	rm -rf build stormtop $(TOOLS) tools/sitesim-stripped

-include $(OBJ:.o=.d) $(SAN_OBJ:.o=.d) build/src/cmd/main.d build/san/src/cmd/main.d
