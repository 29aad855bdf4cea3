# Berth: build, test and benchmark.  Everything runs as root on Debian 12.
#   make demo    build, then run a busybox container with berth (run -d, ps, logs, exec, stop, rm)
#   make test    deps + build + probe + unit + e2e (berth-runtime) + e2e-images + e2e-engine + e2e-runc + clients

SHELL := /bin/bash
SWIFT ?= swift
RELEASE := .build/release
RUNTIME ?= $(CURDIR)/$(RELEASE)/berth-runtime
BERTH ?= $(CURDIR)/$(RELEASE)/berth
BATS_FLAGS ?= --jobs 1
PROBE := tests/probe/probe

# Debian packages the build, the tests, the demo and the bench need.
DEB_PACKAGES := runc crun busybox-static bats jq hyperfine gcc libc6-dev make iproute2 \
	python3 uidmap time util-linux bsdextrautils libseccomp-dev \
	libarchive-dev libssl-dev zstd docker-registry skopeo umoci podman apache2-utils \
	openssl python3-cryptography curl tini libcurl4-openssl-dev containernetworking-plugins iptables netavark

.PHONY: all deps build probe unit e2e e2e-images e2e-engine e2e-runc clients test demo bench bench-pull bench-engine clean

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

# --static-swift-stdlib: berth carries the Swift runtime and Foundation (one flag set for all
# three products, so their shared modules are built once).
BUILD_FLAGS := -c release --static-swift-stdlib

build:
	$(SWIFT) build $(BUILD_FLAGS) --product berth-runtime
	$(SWIFT) build $(BUILD_FLAGS) --product berth
	$(SWIFT) build $(BUILD_FLAGS) --product berth-monitor

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

# Real, independent clients against $(RUNTIME) (tests/clients/): the runtime called the way
# the managers call it, podman + conmon, containerd + its runc shim + ctr. Each script
# installs the Debian packages it needs, cleans up after itself and must end with
# "N passed, 0 failed". The offline busybox images are built once and reused (IMAGES_DIR).
CLIENT_SCRIPTS := runtime-cli-check podman-with containerd-with
CLIENT_IMAGES := out/clients/images

$(CLIENT_IMAGES)/IMAGES.txt: tests/clients/make-test-images.sh
	tests/clients/make-test-images.sh $(CLIENT_IMAGES) >/dev/null

clients: $(CLIENT_IMAGES)/IMAGES.txt
	@test -x $(RUNTIME) || { echo "clients: $(RUNTIME) is not built (make build)" >&2; exit 2; }
	@mkdir -p out/clients; status=0; summary=""; \
	had_parent=$$(ls -d /sys/fs/cgroup/*/berth 2>/dev/null); \
	for s in $(CLIENT_SCRIPTS); do \
		echo "== tests/clients/$$s.sh $(RUNTIME)"; start=$$SECONDS; \
		IMAGES_DIR=$(CURDIR)/$(CLIENT_IMAGES) tests/clients/$$s.sh $(RUNTIME) 2>&1 | tee out/clients/$$s.log; \
		rc=$${PIPESTATUS[0]}; last=$$(grep -E '^[0-9]+ passed, [0-9]+ failed$$' out/clients/$$s.log | tail -n 1); \
		summary+="$$(printf '  %-18s %-22s exit %s, %ss' "$$s" "$${last:-no result}" "$$rc" "$$((SECONDS - start))")"$$'\n'; \
		[ "$$rc" = 0 ] && tail -n 1 out/clients/$$s.log | grep -Eq '^[0-9]+ passed, 0 failed$$' || status=1; \
	done; \
	: "the runtime's default cgroup parent /berth, emptied by delete: gone again if we made it"; \
	[ -n "$$had_parent" ] || rmdir /sys/fs/cgroup/*/berth 2>/dev/null || true; \
	printf 'clients (%s):\n%s' "$(RUNTIME)" "$$summary"; exit $$status

# The image commands of $(BERTH) against a real registry on 127.0.0.1 (tests/images: pull,
# push, mount, save/load/import, auth, bad input, concurrency), checked with skopeo.
# The busybox images come from the client images rule above (CLIENT_IMAGES).
e2e-images: $(CLIENT_IMAGES)/IMAGES.txt
	@test -x $(BERTH) || { echo "e2e-images: $(BERTH) is not built (make build)" >&2; exit 2; }
	BERTH=$(BERTH) IMAGES_DIR=$(CURDIR)/$(CLIENT_IMAGES) bats $(BATS_FLAGS) tests/images

# The engine's containers and volumes (tests/engine), each test on its own --root, on the busybox
# test image; berth finds berth-runtime and berth-monitor next to itself.
e2e-engine: $(CLIENT_IMAGES)/IMAGES.txt
	@test -x $(BERTH) || { echo "e2e-engine: $(BERTH) is not built (make build)" >&2; exit 2; }
	BERTH=$(BERTH) IMAGES_DIR=$(CURDIR)/$(CLIENT_IMAGES) bats $(BATS_FLAGS) tests/engine

test: deps build probe unit e2e e2e-images e2e-engine e2e-runc clients

demo: deps build
	BERTH=$(BERTH) tests/demo.sh

bench: deps build
	BERTH_RUNTIME=$(RUNTIME) bench/run.sh
	BERTH_RUNTIME=$(RUNTIME) bench/exec.sh

# Pull of a >= 200 MB multi-layer image from a local registry: berth against podman.
# The image (a debootstrap minbase tree in layers) is built once into out/bench/.
bench-pull: deps build
	BERTH=$(BERTH) bench/pull.sh

# `berth run --rm busybox true` against podman's on private storage, and berth-monitor's memory
# against conmon's (bench/engine-run.sh, bench/monitor-rss.sh).
# Both with --network none, then both on their default bridge network (berth: CNI plugins;
# podman: netavark).
bench-engine: deps build $(CLIENT_IMAGES)/IMAGES.txt
	BERTH=$(BERTH) NETWORK=none OUT=$(CURDIR)/out/bench/none bench/engine-run.sh
	BERTH=$(BERTH) NETWORK=bridge OUT=$(CURDIR)/out/bench/bridge BERTH_RUNC=0 bench/engine-run.sh
	BERTH=$(BERTH) bench/monitor-rss.sh

clean:
	rm -f $(PROBE)
	rm -rf out
