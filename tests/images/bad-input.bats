#!/usr/bin/env bats
# Bad input from a registry (fake-registry.py serving make-bad-images.py's images): each a
# one-line lower-case error and a non-zero exit, nothing half-stored (no image, an empty
# $ROOT/tmp), and nothing created, changed or linked outside the store: $OUTSIDE holds only
# its canary, /etc/passwd is untouched, the working directory stays empty.

load helpers

setup_file() { start_fake_registry; }
teardown_file() { file_cleanup; }

setup() {
	setup_test
	CANARY_BEFORE=$(outside_state)
}

# Everything under $OUTSIDE (names, types, sizes, link counts, content), and the link
# count of /etc/passwd (its content may change under us: other software adds users).
outside_state() {
	(cd "$OUTSIDE" && find . -printf '%p %y %s %n\n' | sort)
	sha256sum "$OUTSIDE/canary"
	stat -c '%n %h %i' "$OUTSIDE/canary"
	stat -c '%n %h' /etc/passwd
}

assert_nothing_outside() {
	expect_eq "outside the store" "$(outside_state)" "$CANARY_BEFORE"
	assert_cwd_empty
	# No file anywhere in the store is a hard link to /etc/passwd or to the canary.
	[ -z "$(find "$TEST_TMP" -xdev \( -samefile /etc/passwd -o -samefile "$OUTSIDE/canary" \) 2>/dev/null)" ]
}

# A refused pull: error line, nothing stored, nothing outside.
assert_refused() {
	assert_error_line
	[ -z "$(berth images -q 2>/dev/null)" ] || { echo "an image was stored" >&2; return 1; }
	assert_tmp_empty
	assert_nothing_outside
}

@test "the fixture: a valid image from the fake registry pulls and mounts" {
	run --separate-stderr berth pull "$FAKE/good/small:latest"
	[ "$status" -eq 0 ]
	expect_eq "last line" "${lines[${#lines[@]} - 1]}" "$FAKE/good/small:latest"
	mount_image "$FAKE/good/small:latest" "$WORK/rootfs"
	expect_eq "hello.txt" "$(cat "$WORK/rootfs/etc/hello.txt")" "hello from the fake registry"
	assert_nothing_outside
}

@test "a layer blob whose digest does not match is refused and not stored" {
	local claimed
	claimed=$(jq -r '.layers[0].digest' "$FILE_TMP/fake/bad/layer-digest/manifests/latest")
	run --separate-stderr berth pull "$FAKE/bad/layer-digest:latest"
	assert_refused
	grep -qiE 'digest|sha256' <<<"$stderr"
	! has_blob "$claimed" || false
	[ -z "$(find "$ROOT" -name "${claimed#sha256:}*" 2>/dev/null)" ]
	expect_eq "layer directories" "$(layer_count)" 0
}

@test "a config blob whose digest does not match is refused" {
	run --separate-stderr berth pull "$FAKE/bad/config-digest:latest"
	assert_refused
	grep -qiE 'digest|sha256' <<<"$stderr"
}

@test "a manifest that is not JSON is refused" {
	run --separate-stderr berth pull "$FAKE/bad/manifest-not-json:latest"
	assert_refused
	grep -qi manifest <<<"$stderr"
}

@test "a manifest of more than 4 MiB is refused" {
	run --separate-stderr berth pull "$FAKE/bad/manifest-oversized:latest"
	assert_refused
	grep -qi manifest <<<"$stderr"
}

@test "a manifest of an unknown media type is refused" {
	run --separate-stderr berth pull "$FAKE/bad/media-type-unknown:latest"
	assert_refused
	grep -qF "application/vnd.berth.unknown+json" <<<"$stderr"
}

@test "a schema 1 manifest is refused" {
	run --separate-stderr berth pull "$FAKE/bad/manifest-schema1:latest"
	assert_refused
}

@test "a config that is not JSON is refused" {
	run --separate-stderr berth pull "$FAKE/bad/config-not-json:latest"
	assert_refused
	grep -qi config <<<"$stderr"
}

@test "a config of more than 4 MiB is refused" {
	run --separate-stderr berth pull "$FAKE/bad/config-oversized:latest"
	assert_refused
	grep -qi config <<<"$stderr"
}

# Layers that must be refused: a path with .., a hard link to a file outside the layer.
@test "layer with ../x is refused" {
	run --separate-stderr berth pull "$FAKE/hostile/dotdot:latest"
	assert_refused
}

@test "layer with ../../.../OUTSIDE/x is refused" {
	run --separate-stderr berth pull "$FAKE/hostile/dotdot-deep:latest"
	assert_refused
}

@test "layer with a/../../x is refused" {
	run --separate-stderr berth pull "$FAKE/hostile/dotdot-inner:latest"
	assert_refused
}

@test "layer with a hard link to /etc/passwd is refused" {
	run --separate-stderr berth pull "$FAKE/hostile/hardlink-passwd:latest"
	assert_refused
}

@test "layer with a hard link to ../../OUTSIDE/canary is refused" {
	run --separate-stderr berth pull "$FAKE/hostile/hardlink-dotdot:latest"
	assert_refused
}

@test "layer with a hard link to /OUTSIDE/canary, then a write to it, is refused" {
	run --separate-stderr berth pull "$FAKE/hostile/hardlink-abs-write:latest"
	assert_refused
}

# Tricks a store may also contain instead of refusing (docker strips a leading "/" and
# resolves symlinks inside the root): either a clean refusal, or success with every
# file inside the store. Never anything outside.
contained() {
	run --separate-stderr berth pull "$FAKE/hostile/$1:latest"
	if [ "$status" -ne 0 ]; then
		assert_refused
	else
		assert_nothing_outside
		assert_store_consistent
		mount_image "$FAKE/hostile/$1:latest" "$WORK/rootfs"
		assert_nothing_outside
		local f
		for f in ${2:-}; do
			[ -z "$(find "$OUTSIDE" -name "$f")" ]
		done
	fi
}

@test "layer with an absolute path /OUTSIDE/abs-x writes nothing outside" {
	contained abs abs-x
}

@test "layer with a symlink to /OUTSIDE and a file written through it writes nothing outside" {
	contained symlink-abs-write symlink-abs-x
}

@test "layer with a symlink to ../../OUTSIDE and a file written through it writes nothing outside" {
	contained symlink-rel-write symlink-rel-x
}

@test "layer with a symlink to the canary, then a file of that name, leaves the canary alone" {
	contained symlink-replace
}

@test "layer with a hard link to a symlink to the canary, then a write, leaves the canary alone" {
	contained hardlink-to-symlink
}

@test "layer with a hard link through a symlink to /OUTSIDE links nothing outside" {
	contained hardlink-through-symlink
}

@test "a symlink in one layer and a write under its name in the next stay inside" {
	contained two-layer-symlink two-layer-x
}

@test "a pull killed half-way stores no image; the next pull completes it" {
	local pid i
	# (berth itself, not under timeout(1): it is the process killed below)
	"$BERTH" --root "$ROOT" pull "$FAKE/slow/big:latest" >"$WORK/pull.out" 2>&1 3>&- &
	pid=$!
	# Wait until the layer is being downloaded, then kill -9.
	for i in $(seq 1 100); do
		grep -q "GET /v2/slow/big/blobs/" "$FAKE_LOG" 2>/dev/null && break
		sleep 0.1
	done
	sleep 1
	kill -KILL "$pid"
	wait "$pid" || true
	[ -z "$(berth images -q)" ]
	run --separate-stderr berth pull "$FAKE/slow/big:latest"
	[ "$status" -eq 0 ]
	mount_image "$FAKE/slow/big:latest" "$WORK/rootfs"
	expect_eq "noise.bin size" "$(stat -c %s "$WORK/rootfs/noise.bin")" $((4 << 20))
	assert_store_consistent
	assert_nothing_outside
}
