# The README's two commands are `make sample` (the main job) and `make test`.
# Each installs what it needs on a fresh Debian 12 machine (as root) and is
# quick when everything is already there.

BUILD      ?= build
JOBS       ?= $(shell nproc)
# Unity build: each target's files compile in batches of 8, so the heavy
# headers (nlohmann, gtest, Boost.Process, SQLiteCpp) are parsed once per
# batch. `make UNITY=OFF` builds file by file (quicker to rebuild one file).
UNITY      ?= ON
GRADEBOX   := $(BUILD)/gradebox

APT_PACKAGES := g++ make cmake pkg-config git \
  libboost-dev libboost-filesystem-dev libseccomp-dev nlohmann-json3-dev \
  libcmark-dev libcli11-dev libfmt-dev libsqlite3-dev libsqlitecpp-dev \
  libgtest-dev libgmock-dev googletest pybind11-dev python3-dev python3-pytest \
  nodejs golang-go bubblewrap iproute2 chromium

.PHONY: sample test unit deps build bench selftest clean

## sample: grade the bundled sample benchmark run and print the leaderboard
sample: build
	$(GRADEBOX) run fixtures/runs/sample --prices fixtures/prices.json

## test: every test (unit, sandbox, graders and their known answers, CLI, Python) through ctest
# Each known answer is graded once: ctest's graders_known_<task> runs `gradebox selftest TASK`.
test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

## unit: the fast unit tests alone (seconds), while working on gradebox
unit: build
	cd $(BUILD) && ctest --output-on-failure -L unit -j$(JOBS)

# What the box mounts is installed here, at paths that name no checkout or
# build folder (a box can read its mount table): each runtime's view of
# /usr, the npm packages, the Go harness and archives. Fixed: the sandbox
# and the profiles use these paths as they are.
INSTALL_ROOT := /opt/gradebox

## deps: system packages (apt-get, skipped when installed) and the sandbox's runtimes
deps: .deps/apt .deps/node .deps/go .deps/runtimes

# install_copy SOURCE,TARGET: TARGET becomes a copy of folder SOURCE, built
# beside it and swapped in whole (a running gradebox sees old or new).
define install_copy
	rm -rf $(2).new $(2).old && mkdir -p $(2).new
	cp -a $(1)/. $(2).new/
	chmod -R a+rX $(2).new
	if [ -e $(2) ]; then mv $(2) $(2).old; fi
	mv $(2).new $(2) && rm -rf $(2).old
endef

# Each runtime profile's part of /usr (graders/_*/profile.json "usr"),
# rebuilt when a profile or an installed package changes.
.deps/runtimes: sandbox/install_runtimes.py $(wildcard graders/_*/profile.json) /var/lib/dpkg/status .deps/apt
	python3 sandbox/install_runtimes.py graders $(INSTALL_ROOT)
	@mkdir -p .deps && touch $@

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
	$(call install_copy,graders/_node/node_modules,$(INSTALL_ROOT)/node_modules)
	@mkdir -p .deps && touch $@

# Go answers compile against driver archives built once here and installed
# under $(INSTALL_ROOT)/go (the sandbox mounts them read-only): a warm,
# unpoisonable cache.
.deps/go: graders/_go/warm_cache.sh $(wildcard graders/_go/harness/*.go) $(shell find graders/_go/gopath -name '*.go' 2>/dev/null) .deps/apt
	sh graders/_go/warm_cache.sh
	$(call install_copy,graders/_go/bin,$(INSTALL_ROOT)/go/bin)
	$(call install_copy,graders/_go/pkg,$(INSTALL_ROOT)/go/pkg)
	rm -f $(INSTALL_ROOT)/go/pkg/*.host  # host paths, for runs outside the box
	@mkdir -p .deps && touch $@

# Warnings are errors in every build made here, so CI (make test) fails on one.
# Debug info is line tables only (-g1): a backtrace still names file and
# line, and full -g was ~35 % of a clean build's CPU.
build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_COMPILE_WARNING_AS_ERROR=ON \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DCMAKE_UNITY_BUILD=$(UNITY) >/dev/null
	cmake --build $(BUILD) -j$(JOBS)

## bench: sandbox overhead vs bare and bubblewrap, time per graded answer
bench: build
	bench/run.sh $(BUILD)

selftest: build
	$(GRADEBOX) selftest

clean:
	rm -rf $(BUILD) .deps
