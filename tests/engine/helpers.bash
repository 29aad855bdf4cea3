# Shared helpers for the engine's container suites (tests/engine/*.bats, not volumes.bats).
#
#   BERTH=$PWD/.build/release/berth bats --jobs 1 tests/engine/containers.bats
#
# Each file runs a private copy of the three binaries (setup_file). Every test gets its own
# store ($ROOT, berth --root) with busybox:latest loaded from $IMAGES_DIR/busybox-docker.tar
# (about 50 ms), its own cgroup parent
# (BERTH_CGROUP_PARENT=berth-e2e-<pid>-<test number>) and a scratch directory ($WORK).
# teardown: `rm -f` of every container of the store (so that their monitors end), then
# checks that nothing is left mounted under $ROOT (unmounts it and fails the test if so),
# removes the cgroups (rmdir, depth first) and the directories. Only processes a test
# started itself are ever signalled, by pid.

bats_require_minimum_version 1.5.0

ENGINE_TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$ENGINE_TESTS_DIR/../.." && pwd)
: "${BERTH:=$REPO_DIR/.build/release/berth}"
: "${IMAGES_DIR:=$REPO_DIR/out/clients/images}"
: "${BERTH_TIMEOUT:=60}"
export BERTH IMAGES_DIR
unset BERTH_ROOT

# The binaries are rebuilt from time to time: wait (up to $BERTH_WAIT seconds, 300 by
# default) while one is missing or busy.
: "${BERTH_WAIT:=300}"
wait_binaries() {
	local d i b ok
	d=$(dirname "$BERTH")
	for i in $(seq 1 $((BERTH_WAIT * 2))); do
		ok=1
		for b in berth berth-runtime berth-monitor; do [ -x "$d/$b" ] || ok=0; done
		# (a binary being rewritten fails with "Text file busy" for a moment)
		[ $ok = 1 ] && "$BERTH" --version >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	echo "$d/{berth,berth-runtime,berth-monitor} missing" >&2
	return 1
}

# Each file runs a private copy of the three binaries (berth finds berth-runtime and
# berth-monitor next to itself), taken once in setup_file: a rebuild in the middle of a file
# ("Text file busy", a missing binary) cannot break a test or leave a container behind.
setup_file() { copy_binaries; }
teardown_file() { [ -z "${BERTH_COPY_DIR:-}" ] || rm -rf "$BERTH_COPY_DIR"; }
setup() { setup_test; }
teardown() { teardown_test; }

copy_binaries() {
	local src b try
	src=$(dirname "$BERTH")
	BERTH_COPY_DIR=$BATS_FILE_TMPDIR/bin
	for try in 1 2 3 4 5; do
		wait_binaries || return 1
		rm -rf "$BERTH_COPY_DIR" && mkdir -p "$BERTH_COPY_DIR"
		for b in berth berth-runtime berth-monitor; do cp "$src/$b" "$BERTH_COPY_DIR/$b"; done
		# a copy taken while the lead was rewriting a binary: take it again
		for b in berth berth-runtime berth-monitor; do cmp -s "$src/$b" "$BERTH_COPY_DIR/$b" || continue 2; done
		"$BERTH_COPY_DIR/berth" --version >/dev/null 2>&1 || continue
		export BERTH_COPY_DIR BERTH_SOURCE=$BERTH BERTH=$BERTH_COPY_DIR/berth
		return 0
	done
	echo "could not copy the binaries of $src" >&2
	return 1
}

setup_test() {
	wait_binaries
	TEST_TMP=$(mktemp -d /tmp/berth-engine.XXXXXX)
	chmod 0755 "$TEST_TMP"
	ROOT=$TEST_TMP/root
	WORK=$TEST_TMP/work
	mkdir -p "$ROOT" "$WORK"
	CGROUP_PARENT=berth-e2e-$$-${BATS_TEST_NUMBER:-0}
	export BERTH_CGROUP_PARENT=$CGROUP_PARENT
	berth load -i "$IMAGES_DIR/busybox-docker.tar" >/dev/null
}

teardown_test() {
	[ -n "${TEST_TMP:-}" ] || return 0
	cd /
	local ids failed=0 left
	local try
	for try in 1 2 3; do
		ids=$("$BERTH" --root "$ROOT" ps -aq --no-trunc 2>/dev/null) || true
		[ -n "$ids" ] || break
		timeout 60 "$BERTH" --root "$ROOT" rm -f -v $ids >/dev/null 2>&1 3>&- || sleep 1
	done
	[ -z "$ids" ] || { echo "containers left after rm -f: $ids" >&2; failed=1; }
	# --rm containers and monitors finishing on their own: give them a moment.
	local i
	# The network namespaces' directory ($ROOT/netns, a shared bind mount of itself, as
	# iproute2's /run/netns) stays for the store's life: `system reset` below removes it.
	for i in $(seq 1 30); do
		left=$(mounts_under "$ROOT" | grep -vx "$ROOT/netns" || true)
		[ -z "$left" ] && break
		sleep 0.1
	done
	if [ -n "$left" ]; then
		echo "left mounted under $ROOT after rm -f:" >&2
		echo "$left" >&2
		failed=1
		unmount_under "$ROOT"
	fi
	# Networks, their bridges, this store's iptables chains, the netns mount, the store.
	timeout 60 "$BERTH" --root "$ROOT" system reset -f >/dev/null 2>&1 3>&- || {
		echo "system reset of $ROOT failed" >&2
		failed=1
		unmount_under "$ROOT"
	}
	remove_cgroups
	rm -rf "$TEST_TMP"
	[ $failed = 0 ]
}

mounts_under() {
	awk -v p="$1" '$5 == p || index($5, p "/") == 1 { print $5 }' /proc/self/mountinfo
}

unmount_under() {
	local m
	for m in $(mounts_under "$1" | sort -r); do
		umount -l "$m" 2>/dev/null || true
	done
}

# rmdir every cgroup of this test's parent, depth first, in every hierarchy.
remove_cgroups() {
	local d
	for d in /sys/fs/cgroup/"$CGROUP_PARENT" /sys/fs/cgroup/*/"$CGROUP_PARENT"; do
		[ -d "$d" ] || continue
		find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
	done
}

# berth ARGS...: the berth under test on this test's store; a hang fails one test (124).
# (fd 3 is bats' own: a monitor that kept it would make bats wait for it.)
berth() {
	timeout --kill-after=5 "$BERTH_TIMEOUT" "$BERTH" --root "$ROOT" "$@" 3>&-
}

# berth_tty 'ARGS...' [INPUT]: berth in a terminal (script), 100x30; prints what the terminal got.
berth_tty() {
	local cmd="stty rows 30 cols 100; $(printf '%q ' "$BERTH" --root "$ROOT") $1"
	timeout --kill-after=5 "$BERTH_TIMEOUT" script -qec "$cmd" /dev/null 3>&-
}

# The full id of a container (name or prefix).
cid() { berth inspect -f '{{.Id}}' "$1"; }
state_of() { berth inspect -f '{{.State.Status}}' "$1"; }
# container.json field (the engine's own record).
record() { jq -r ".$2" "$ROOT/containers/$(cid "$1")/container.json"; }

# wait_for SECONDS CMD...: until CMD succeeds (0.1 s steps).
wait_for() {
	local n=$(($1 * 10)) i
	shift
	for i in $(seq 1 "$n"); do
		"$@" && return 0
		sleep 0.1
	done
	echo "timed out waiting for: $*" >&2
	return 1
}
is_state() { [ "$(state_of "$1" 2>/dev/null)" = "$2" ]; }

# assert_error_line: tests/lib/assertions.bash
source "$ENGINE_TESTS_DIR/../lib/assertions.bash"

# expect_eq WHAT GOT WANT
expect_eq() {
	[ "$2" = "$3" ] || { printf '%s:\n  got:  %s\n  want: %s\n' "$1" "$2" "$3" >&2; return 1; }
}

# expect_status WANT: $status of the last `run`, with its output when wrong.
expect_status() {
	[ "$status" -eq "$1" ] || { printf 'status %s, want %s; output: %s\nstderr: %s\n' "$status" "$1" "$output" "${stderr:-}" >&2; return 1; }
}

container_count() { berth ps -aq | wc -l; }
