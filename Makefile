# terbit build. Every knob lives here:
#   make            build bin/terbit
#   make SAN=1      build bin/terbit-san with AddressSanitizer + UBSan
#   make check      build and run every test, plain and under SAN=1
#   make demo       demo database, sample documents, then the service
#   make bench      benchmark table
#   make samples    rendered sample letter and card in samples/
#   make valgrind   unit tests under valgrind
#   make valgrind-e2e  end-to-end scripts, CLI and server under valgrind
# Public targets first make sure the Debian packages are present
# (scripts/install-deps), then re-enter make so that pkg-config runs
# only after the install.

SAN ?= 0
CC ?= cc
PKGS = sqlite3 libpng libcrypto libmicrohttpd libqrencode zlib

ifeq ($(SAN),1)
BUILD := build/san
BIN := bin/terbit-san
XFLAGS := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
else
BUILD := build/rel
BIN := bin/terbit
XFLAGS := -O2
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(PKGS)) -lhpdf -lcups -lm -lpthread
CFLAGS = -std=c11 -Wall -Wextra -Werror -g -D_DEFAULT_SOURCE -D_GNU_SOURCE \
         -Isrc $(PKG_CFLAGS) $(XFLAGS) -MMD -MP
LDFLAGS = $(XFLAGS)

LIB_SRC := $(wildcard src/*/*.c)
LIB_OBJ := $(LIB_SRC:src/%.c=$(BUILD)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# In-process benchmark drivers (scripts/bench runs them).
BENCH_SRC := $(wildcard tests/bench/bench_*.c)
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)
# Fuzz targets: replayed over their corpus by make check, fuzzed by make fuzz.
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_SECONDS ?= 60

.PHONY: all deps build check check-run demo bench samples valgrind valgrind-e2e clean fuzz

all: deps
	@$(MAKE) --no-print-directory build

deps:
	@scripts/install-deps --check >/dev/null 2>&1 || scripts/install-deps

build: $(BIN) $(UNIT_BIN) $(BENCH_BIN) $(FUZZ_BIN)

$(BUILD)/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libterbit.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BIN): $(BUILD)/terbit.o $(BUILD)/libterbit.a
	@mkdir -p bin
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libterbit.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(shell pkg-config --cflags cmocka) -o $@ $< \
	    $(BUILD)/libterbit.a $(PKG_LIBS) $(shell pkg-config --libs cmocka)

$(BUILD)/bench/%: tests/bench/%.c $(BUILD)/libterbit.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libterbit.a $(PKG_LIBS)

$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/replay.c $(BUILD)/libterbit.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< tests/fuzz/replay.c $(BUILD)/libterbit.a $(PKG_LIBS)

# make fuzz: libFuzzer (clang) on every target (or on FUZZ_TARGETS, names
# without fuzz_: make fuzz FUZZ_TARGETS="form cookie" FUZZ_SECONDS=600).
# The fuzzer writes its finds to a scratch directory; only the inputs that
# reach a new edge (-use_counters=0: hit counts alone would keep hundreds
# of near copies) are merged into the corpus in the repository, which make
# check replays, so the corpus stays small.
FUZZ_TARGETS ?= $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%)
fuzz: deps
	@command -v clang >/dev/null || scripts/install-deps --fuzz
	@mkdir -p build/fuzz
	@for name in $(FUZZ_TARGETS); do \
	    corpus=tests/fuzz/corpus/$$name; work=build/fuzz/work/$$name; \
	    mkdir -p $$corpus $$work; \
	    clang -std=c11 -g -O1 -D_DEFAULT_SOURCE -D_GNU_SOURCE -Isrc $(PKG_CFLAGS) \
	        -fsanitize=fuzzer,address,undefined -o build/fuzz/fuzz_$$name \
	        tests/fuzz/fuzz_$$name.c \
	        $(filter-out src/terbit.c,$(LIB_SRC)) $(PKG_LIBS) || exit 1; \
	    build/fuzz/fuzz_$$name -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	        -artifact_prefix=build/fuzz/$$name- $$work $$corpus || exit 1; \
	    build/fuzz/fuzz_$$name -merge=1 -use_counters=0 $$corpus $$work || exit 1; \
	done

# make check: both builds, both test runs, one closing count.
check: deps
	@$(MAKE) --no-print-directory build
	@$(MAKE) --no-print-directory SAN=1 build
	@tests/run-all build/rel bin/terbit build/san bin/terbit-san

demo: deps
	@$(MAKE) --no-print-directory build
	@scripts/demo

samples: deps
	@$(MAKE) --no-print-directory build
	@scripts/make-samples

bench: deps
	@$(MAKE) --no-print-directory build
	@scripts/bench

valgrind: deps
	@$(MAKE) --no-print-directory build
	@for t in $(UNIT_BIN); do valgrind -q --leak-check=full --error-exitcode=1 $$t || exit 1; done

# End-to-end scripts with the CLI and the server under valgrind
# (scripts/valgrind-e2e; VALGRIND_E2E picks the scripts).
valgrind-e2e: deps
	@$(MAKE) --no-print-directory build
	@scripts/valgrind-e2e $(VALGRIND_E2E)

clean:
	rm -rf build bin

-include $(LIB_OBJ:.o=.d) $(BUILD)/terbit.d $(UNIT_BIN:=.d) $(BENCH_BIN:=.d) $(FUZZ_BIN:=.d)
