# monitoring-info: `make demo` tells the story on throw-away hosts, `make check` runs every test.
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

demo: deps
	@tools/demo

check: deps
	$(SWIFT) build
	$(SWIFT) test $(SWIFT_TEST_FLAGS)

# Regenerates what is made from the rule descriptions and the schema table:
# lintian/tags/monitoring-info/*.tag and docs/format-reference.md (tests fail when stale).
generated:
	$(SWIFT) run generate-reference
tags: generated

# Every benchmark, each printing its ratio against its anchor (results: bench/RESULTS.md).
bench: release
	bench/lint
	bench/dh
	bench/plugin
	bench/client
	bench/client-e2e
	bench/server
	bench/herd

clean:
	rm -rf .build bench/out
