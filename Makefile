# Berth: build, test and benchmark.  Everything runs as root on Debian 12.
#   make demo    build, then run a busybox container with berth-runtime
#   make test    deps + build + probe + unit + e2e (berth-runtime) + e2e-runc

SHELL := /bin/bash
SWIFT ?= swift
RELEASE := .build/release
RUNTIME ?= $(CURDIR)/$(RELEASE)/berth-runtime
BATS_FLAGS ?= --jobs 1
PROBE := tests/probe/probe

# Debian packages the build, the tests, the demo and the bench need.
DEB_PACKAGES := runc crun busybox-static bats jq hyperfine gcc libc6-dev make iproute2 \
	python3 uidmap time util-linux bsdextrautils libseccomp-dev

.PHONY: all deps build probe unit e2e e2e-runc test demo bench clean

all: build

# Installs only what is missing, so it is quick when everything is there.
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed$$' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	else \
		echo "deps: all installed"; \
	fi

build:
	$(SWIFT) build -c release --product berth-runtime
	$(SWIFT) build -c release --product berth

# The static test payload copied into every e2e bundle as /probe.
probe: $(PROBE)

$(PROBE): tests/probe/probe.c
	gcc -static -O2 -Wall -Wextra -o $@ $<

# Unit tests, and the privileged (root-gated) ones when run as root.
unit:
	$(SWIFT) test

e2e: probe
	@test -x $(RUNTIME) || { echo "e2e: $(RUNTIME) is not built (make build)" >&2; exit 2; }
	RUNTIME=$(RUNTIME) bats $(BATS_FLAGS) tests/e2e

# The same suite against runc: shows the tests themselves are right.
e2e-runc: probe
	RUNTIME=/usr/sbin/runc bats $(BATS_FLAGS) tests/e2e

test: deps build probe unit e2e e2e-runc

demo: deps build
	RUNTIME=$(RUNTIME) tests/demo.sh

bench: deps build
	BERTH_RUNTIME=$(RUNTIME) bench/run.sh

clean:
	rm -f $(PROBE)
	rm -rf out
