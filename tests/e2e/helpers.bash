# Shared helpers for the end-to-end suite.  Each test gets its own temporary
# directory holding the runtime's --root, a busybox bundle with /probe, and a
# shared host directory; cgroups live under a test-unique parent; teardown
# removes all of it.  Only processes this test started are ever killed.
#
#   RUNTIME=/usr/sbin/runc bats --jobs 1 tests/e2e
#   RUNTIME=$PWD/.build/release/berth-runtime bats --jobs 1 tests/e2e

bats_require_minimum_version 1.5.0

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$E2E_DIR/../.." && pwd)
PROBE_SRC=$REPO_DIR/tests/probe/probe.c
PROBE_BIN=$REPO_DIR/tests/probe/probe
: "${RUNTIME:=/usr/sbin/runc}"
RUNTIME_NAME=$(basename "$RUNTIME")

# Build the probe when it is missing or older than its source, so that
# `bats tests/e2e` works without `make probe` first.
ensure_probe() {
	if [ ! -x "$PROBE_BIN" ] || [ "$PROBE_SRC" -nt "$PROBE_BIN" ]; then
		gcc -static -O2 -o "$PROBE_BIN" "$PROBE_SRC" 2>/dev/null
	fi
}

# A busybox rootfs, built once per bats run and copied for each test:
# `busybox --install -s` runs chrooted with a private /proc, so the links
# point at /bin/busybox inside the rootfs, not at the host's path.
base_rootfs() {
	local base=$BATS_RUN_TMPDIR/base-rootfs
	if [ ! -e "$base/.done" ]; then
		ensure_probe
		rm -rf "$base"
		mkdir -p "$base"/{bin,dev,proc,sys,etc,tmp,root,shared,secret}
		chmod 1777 "$base/tmp"
		cp /bin/busybox "$base/bin/busybox"
		unshare --mount --propagation private -- sh -c \
			'mount -t proc proc "$1/proc" && chroot "$1" /bin/busybox --install -s /bin' sh "$base"
		install -m 0755 "$PROBE_BIN" "$base/probe"
		echo "root:x:0:0:root:/root:/bin/sh" >"$base/etc/passwd"
		echo "root:x:0:" >"$base/etc/group"
		echo "top secret" >"$base/secret/file"
		touch "$base/.done"
	fi
	echo "$base"
}

setup() {
	[ -x "$RUNTIME" ] || { echo "RUNTIME=$RUNTIME is not executable" >&2; return 1; }
	E2E_TMP=$(mktemp -d /tmp/berth-e2e.XXXXXX)
	# Traversable, so a container root mapped to another host uid can reach its rootfs.
	chmod 0755 "$E2E_TMP"
	ROOT=$E2E_TMP/state
	BUNDLE=$E2E_TMP/bundle
	ROOTFS=$BUNDLE/rootfs
	SHARED=$E2E_TMP/shared
	# The cgroup parent is unique per test (each test runs in its own process).
	CG_PARENT=berth-e2e-$BASHPID
	NETNS_NAMES=()
	CREATED_IDS=()
	RUN_SEQ=0
	mkdir -p "$BUNDLE" "$SHARED"
	cp -a "$(base_rootfs)" "$ROOTFS"
	rm -f "$ROOTFS/.done"
	sed "s|/berth-e2e-PARENT/ID|/$CG_PARENT/unset|" "$E2E_DIR/config.template.json" >"$BUNDLE/config.json"
}

teardown() {
	teardown_common
}

# Files that define their own teardown call this one at the end.
teardown_common() {
	[ -n "${E2E_TMP:-}" ] || return 0
	local id ids
	ids=$(rt list -q 2>/dev/null || true)
	for id in $ids ${CREATED_IDS[@]+"${CREATED_IDS[@]}"}; do
		rt delete --force "$id" >/dev/null 2>&1 || true
	done
	# Last resort: anything still in this test's cgroups was started by this test.
	local procs
	for procs in /sys/fs/cgroup/*/"$CG_PARENT"/*/cgroup.procs; do
		[ -e "$procs" ] && { xargs -r kill -9 <"$procs" 2>/dev/null || true; }
	done
	remove_cgroups
	local ns
	for ns in ${NETNS_NAMES[@]+"${NETNS_NAMES[@]}"}; do
		ip netns delete "$ns" 2>/dev/null || true
	done
	unmount_under "$E2E_TMP"
	rm -rf "$E2E_TMP"
}

# Remove this test's cgroup parent (children first) in every v1 hierarchy and
# cgroup2; a cgroup whose last process just died can stay busy for a moment.
remove_cgroups() {
	local h i
	for h in /sys/fs/cgroup/*/"$CG_PARENT"; do
		[ -d "$h" ] || continue
		for i in 1 2 3 4 5; do
			find "$h" -depth -type d -exec rmdir {} + 2>/dev/null || true
			[ -d "$h" ] || break
			sleep 0.1
		done
	done
}

# Detach every mount at or below $1, deepest first.
unmount_under() {
	local m
	for m in $(mounts_under "$1" | sort -r); do
		umount -l "$m" 2>/dev/null || true
	done
}

mounts_under() {
	awk -v p="$1" '$5 == p || index($5, p "/") == 1 { print $5 }' /proc/self/mountinfo
}

# The runtime under test with this test's state directory.
rt() {
	"$RUNTIME" --root "$ROOT" "$@"
}

is_runc() { [ "$RUNTIME_NAME" = runc ]; }
is_berth() { [ "$RUNTIME_NAME" = berth-runtime ]; }

# Apply a jq filter to the bundle's config.json in place: cfg '.hostname = "x"'.
cfg() {
	local tmp=$BUNDLE/config.json.tmp
	jq "$@" <"$BUNDLE/config.json" >"$tmp" && mv "$tmp" "$BUNDLE/config.json"
}

# Set process.args: args /probe hostname
args() {
	cfg --argjson a "$(json_array "$@")" '.process.args = $a'
}

# Encode the arguments as a JSON array of strings (jq 1.6's --args would take "-c"
# as its own option, so each one goes in as a named --arg).
json_array() {
	local i=0 a named=()
	for a in "$@"; do named+=(--arg "$((i++))" "$a"); done
	jq -nc "${named[@]}" '$ARGS.named | to_entries | sort_by(.key | tonumber) | map(.value)'
}

# Point the config at this container's cgroup and remember the id for teardown.
# A config that is broken on purpose (bad-input tests) is left as it is.
use_id() {
	CREATED_IDS+=("$1")
	cfg --arg p "/$CG_PARENT/$1" '.linux.cgroupsPath = $p' 2>/dev/null || rm -f "$BUNDLE/config.json.tmp"
}

# create ID [flags...]: stdio to files ($E2E_TMP/ID.out|err), pid file $E2E_TMP/ID.pid
# (ids that are not plain names get a sanitized file name); on failure the
# runtime's stderr is repeated on stderr (for `run --separate-stderr create`).
create() {
	local id=$1
	shift
	use_id "$id"
	local f rc=0
	f=$E2E_TMP/$(printf %s "$id" | tr -c 'A-Za-z0-9_-' _)
	rt create --bundle "$BUNDLE" --pid-file "$f.pid" "$@" "$id" \
		</dev/null >"$f.out" 2>"$f.err" 3>&- || rc=$?
	# Relayed once the runtime has exited: a container that was created keeps
	# the file open, never a pipe of `run`.
	[ "$rc" -eq 0 ] || cat "$f.err" >&2
	return "$rc"
}

# probe_run ARGS...: run /probe ARGS in the foreground (bats `run`): $status, $output.
probe_run() {
	args /probe "$@"
	local id=run$((++RUN_SEQ))
	use_id "$id"
	run rt run --bundle "$BUNDLE" "$id" </dev/null
}

# sh_run SCRIPT: the same with busybox sh -c SCRIPT.
sh_run() {
	args /bin/sh -c "$1"
	local id=run$((++RUN_SEQ))
	use_id "$id"
	run rt run --bundle "$BUNDLE" "$id" </dev/null
}

status_of() {
	rt state "$1" 2>/dev/null | jq -r .status
}

# wait_status ID STATUS [tries of 0.05 s]
wait_status() {
	local i
	for ((i = 0; i < ${3:-100}; i++)); do
		[ "$(status_of "$1")" = "$2" ] && return 0
		sleep 0.05
	done
	echo "container $1 status is '$(status_of "$1")', wanted '$2'" >&2
	return 1
}

# wait_path PATH [tries of 0.05 s]: until PATH exists.
wait_path() {
	local i
	for ((i = 0; i < ${2:-100}; i++)); do
		[ -e "$1" ] && return 0
		sleep 0.05
	done
	echo "$1 did not appear" >&2
	return 1
}

# wait_file PATH [tries of 0.05 s]: until PATH exists and is not empty.
wait_file() {
	local i
	for ((i = 0; i < ${2:-100}; i++)); do
		[ -s "$1" ] && return 0
		sleep 0.05
	done
	echo "file $1 did not appear" >&2
	return 1
}

# After a failed command: no state, no cgroup, no mount, no process left behind.
assert_clean() {
	local id=$1
	[ -z "$(rt list -q 2>/dev/null)" ] || { echo "state left: $(rt list -q)" >&2; return 1; }
	[ ! -e "$ROOT/$id" ] || { echo "state dir $ROOT/$id left" >&2; return 1; }
	local d
	for d in /sys/fs/cgroup/*/"$CG_PARENT/$id"; do
		[ ! -d "$d" ] || { echo "cgroup $d left" >&2; return 1; }
	done
	local m
	m=$(mounts_under "$E2E_TMP")
	[ -z "$m" ] || { echo "mounts left: $m" >&2; return 1; }
	# A process whose root, cwd or command line is in this test's directory:
	# a container init, or a runtime that did not exit.
	local p r c
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" != "$BASHPID" ] || continue
		r=$(readlink "$p/root" 2>/dev/null) || continue
		c=$(readlink "$p/cwd" 2>/dev/null) || true
		case "$r $c $(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)" in
		*"$E2E_TMP"*) echo "process ${p#/proc/} left: root=$r cwd=$c" >&2; return 1 ;;
		esac
	done
}

# A failed command printed a short error (one line) on stderr.
assert_one_line_error() {
	[ "$status" -ne 0 ] || { echo "expected failure, got status 0" >&2; return 1; }
	[ -n "$stderr" ] || { echo "expected an error on stderr" >&2; return 1; }
	[ "${#stderr_lines[@]}" -eq 1 ] || { echo "expected one line on stderr, got: $stderr" >&2; return 1; }
}
