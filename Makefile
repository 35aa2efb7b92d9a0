# The README's two commands are `make sample` (the main job) and `make test`.
# Each installs what it needs on a fresh Debian 12 machine (as root) and is
# quick when everything is already there.

BUILD      ?= build
JOBS       ?= $(shell nproc)
GRADEBOX   := $(BUILD)/gradebox

APT_PACKAGES := g++ make cmake pkg-config git \
  libboost-dev libboost-filesystem-dev libseccomp-dev nlohmann-json3-dev \
  libcmark-dev libcli11-dev libfmt-dev libsqlite3-dev libsqlitecpp-dev \
  libgtest-dev libgmock-dev googletest pybind11-dev python3-dev python3-pytest \
  nodejs golang-go bubblewrap iproute2 chromium

.PHONY: sample test deps build bench selftest clean

## sample: grade the bundled sample benchmark run and print the leaderboard
sample: build
	$(GRADEBOX) run fixtures/runs/sample --prices fixtures/prices.json

## test: every test (unit, sandbox, graders, CLI, Python) through ctest, then selftest
test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)
	$(GRADEBOX) selftest

## deps: system packages (apt-get, skipped when installed) and the sandbox's runtimes
deps: .deps/apt .deps/node .deps/go

.deps/apt: Makefile
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@mkdir -p .deps && touch $@

# node (on PATH) may come from Debian or NodeSource: only a missing one is installed.
.deps/node: graders/_node/package-lock.json .deps/apt
	cd graders/_node && npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p .deps && touch $@

# Go answers compile against driver archives built once here (the sandbox
# mounts them read-only): a warm, unpoisonable cache.
.deps/go: graders/_go/warm_cache.sh $(wildcard graders/_go/harness/*.go) $(shell find graders/_go/gopath -name '*.go' 2>/dev/null) .deps/apt
	sh graders/_go/warm_cache.sh
	@mkdir -p .deps && touch $@

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD) -j$(JOBS)

## bench: sandbox overhead vs bare and bubblewrap, time per graded answer
bench: build
	bench/run.sh $(BUILD)

selftest: build
	$(GRADEBOX) selftest

clean:
	rm -rf $(BUILD) .deps
