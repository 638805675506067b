# SPDX-License-Identifier: MIT
# Thin wrapper around Meson: make, make test, make demo, make install PREFIX=DIR, make fuzz,
# make bench, make deb (the Debian package in build-deb/, checked by lintian).
BUILD ?= build
PREFIX ?= /usr/local
FUZZ_SECONDS ?= 60

.PHONY: all deps test demo install fuzz bench deb clean

all: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

deps:
	@scripts/deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) --prefix=$(abspath $(PREFIX))

test: all
	scripts/run-tests.sh $(BUILD)

demo: all
	scripts/demo.sh $(BUILD)

install: all
	meson configure $(BUILD) --prefix=$(abspath $(PREFIX))
	meson install -C $(BUILD)

fuzz: deps
	scripts/fuzz.sh $(FUZZ_SECONDS)

bench: all
	$(BUILD)/bench/esp_bench
	$(BUILD)/bench/spd_bench
	bench/ctl_bench $(BUILD)
	bench/e2e.sh $(BUILD)
	bench/steer_bench.sh $(BUILD)

deb: deps
	scripts/deb.sh build-deb

clean:
	rm -rf $(BUILD) build-*
