# SPDX-License-Identifier: GPL-2.0
# tcpsess: build the module against the running kernel, or KDIR=.
KDIR ?= /lib/modules/$(shell uname -r)/build

all: module client

module:
	@test -d "$(KDIR)" || { \
		echo "no kernel build tree at $(KDIR): install the headers" \
		     "(linux-headers-$$(uname -r)) or pass KDIR=" >&2; exit 1; }
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" modules

client:
	$(MAKE) -C tools/tcpsessctl

# Everything, from a fresh Debian 12 machine: see README.md.
check:
	@bash scripts/check.sh

# The selftests on a KASAN/kmemleak/lockdep kernel, built and cached first.
check-debug:
	@bash scripts/check-debug.sh

demo:
	@bash scripts/demo.sh

# The benchmark in one VM (TCPSESS_BENCH_KVER, TCPSESS_BENCH_REPS): Documentation/benchmarks.md.
bench:
	@bash scripts/bench.sh

# A long fuzzing run (FUZZ_SECONDS, default an hour); make check runs a minute.
fuzz:
	bash scripts/setup.sh
	$(MAKE) -C tests/fuzz fuzz

lint:
	bash scripts/setup.sh
	bash scripts/lint.sh

unit:
	bash scripts/setup.sh
	$(MAKE) -C tests/unit OUTPUT="$(CURDIR)/build/unit"
	@for t in $$($(MAKE) -s -C tests/unit list); do \
		./build/unit/$$t || exit 1; done

clean:
	-test -d "$(KDIR)" && $(MAKE) -C "$(KDIR)" M="$(CURDIR)" clean
	-$(MAKE) -C tools/tcpsessctl clean
	rm -rf build tests/unit/out selftests/*/out

.PHONY: all module client check check-debug demo bench fuzz lint unit clean
