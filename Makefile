# monitoring-info: `make demo` shows the linter at work, `make check` runs every test.
# Both install the Debian packages they need (tools/apt-packages) when run as root.

SWIFT ?= swift
SWIFT_TEST_FLAGS ?= --disable-xctest
RELEASE_FLAGS = -c release --static-swift-stdlib

.PHONY: all deps build release demo check test generated tags bench clean

all: build

deps:
	@tools/install-deps

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build $(RELEASE_FLAGS)

demo: release
	@tools/demo

check: deps
	$(SWIFT) build
	$(SWIFT) test $(SWIFT_TEST_FLAGS)

# Regenerates what is made from the rule descriptions and the schema table:
# lintian/tags/monitoring-info/*.tag and docs/format-reference.md (tests fail when stale).
generated:
	$(SWIFT) run generate-reference
tags: generated

bench: release
	bench/lint

clean:
	rm -rf .build bench/out

# dh_monitoringinfo against dh_installlogrotate (prints the ratio; see bench/RESULTS.md).
bench-dh: deps
	bench/dh
