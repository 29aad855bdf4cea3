#!/usr/bin/env bats
# Concurrent commands on one store: two pulls of one image, pulls of images sharing a layer,
# and a pull racing `image prune`. Afterwards the store is consistent (every blob under its
# own sha256, nothing in tmp) and the image mounts with the right content.

load helpers

setup_file() { start_registry; }
teardown_file() { file_cleanup; }

# bg NAME ARGS...: berth in the background, output in $WORK/NAME.out, status in $WORK/NAME.rc.
bg() {
	local name=$1
	shift
	(berth "$@" >"$WORK/$name.out" 2>&1; echo $? >"$WORK/$name.rc") 3>&- &
}

rc_of() { cat "$WORK/$1.rc"; }

@test "two pulls of the same image at once both succeed; one image, one copy of each layer" {
	local i
	for i in 1 2 3; do
		ROOT=$TEST_TMP/root-$i
		bg a pull "$REG/busybox:multi"
		bg b pull "$REG/busybox:multi"
		wait
		expect_eq "pull a (round $i): $(cat "$WORK/a.out")" "$(rc_of a)" 0
		expect_eq "pull b (round $i): $(cat "$WORK/b.out")" "$(rc_of b)" 0
		expect_eq "images" "$(berth images -q --no-trunc | sort -u)" "$(image_id_of busybox:multi)"
		expect_eq "layer directories" "$(layer_count)" 4
		assert_store_consistent
		mount_image "$REG/busybox:multi" "$WORK/rootfs-$i"
		assert_multi_content "$WORK/rootfs-$i"
	done
}

@test "pulls of images that share a layer, at once" {
	bg latest pull "$REG/busybox:latest"
	bg multi pull "$REG/busybox:multi"
	bg lib pull "$REG/library/busybox:latest"
	wait
	expect_eq "latest: $(cat "$WORK/latest.out")" "$(rc_of latest)" 0
	expect_eq "multi: $(cat "$WORK/multi.out")" "$(rc_of multi)" 0
	expect_eq "library: $(cat "$WORK/lib.out")" "$(rc_of lib)" 0
	assert_store_consistent
	expect_eq "layer directories" "$(layer_count)" 4
	mount_image "$REG/busybox:multi" "$WORK/m"
	assert_multi_content "$WORK/m"
	mount_image "$REG/busybox:latest" "$WORK/l"
	assert_latest_content "$WORK/l"
}

@test "a pull racing image prune leaves a consistent store and a complete image" {
	local delay round=0
	for delay in 0 0.05 0.1 0.2 0.4; do
		round=$((round + 1))
		ROOT=$TEST_TMP/root-$round
		# Unreferenced blobs and layers for prune to remove, among them busybox:multi's first layer.
		berth pull -q "$REG/busybox:latest" >/dev/null
		berth rmi "$REG/busybox:latest" >/dev/null
		bg pull pull "$REG/busybox:multi"
		sleep "$delay"
		bg prune image prune -f
		wait
		expect_eq "pull (delay $delay): $(cat "$WORK/pull.out")" "$(rc_of pull)" 0
		expect_eq "prune (delay $delay): $(cat "$WORK/prune.out")" "$(rc_of prune)" 0
		assert_store_consistent
		expect_eq "images" "$(berth images -q --no-trunc)" "$(image_id_of busybox:multi)"
		local l
		for l in $(layers_of busybox:multi); do has_blob "$l"; done
		for l in $(diff_ids_of busybox:multi); do has_layer "$l"; done
		mount_image "$REG/busybox:multi" "$WORK/rootfs-$round"
		assert_multi_content "$WORK/rootfs-$round"
	done
}

@test "tag and rmi at once on one store keep index.json whole" {
	berth pull -q "$REG/busybox:latest" >/dev/null
	local i
	for i in $(seq 1 10); do bg "tag$i" tag "$REG/busybox:latest" "local/t:$i"; done
	wait
	for i in $(seq 1 10); do expect_eq "tag $i: $(cat "$WORK/tag$i.out")" "$(rc_of "tag$i")" 0; done
	berth image inspect "$REG/busybox:latest" | jq -e '.[0].RepoTags | length == 11'
	for i in $(seq 1 10); do bg "rmi$i" rmi "local/t:$i"; done
	wait
	for i in $(seq 1 10); do expect_eq "rmi $i: $(cat "$WORK/rmi$i.out")" "$(rc_of "rmi$i")" 0; done
	berth image inspect "$REG/busybox:latest" | jq -e --arg r "$REG/busybox:latest" '.[0].RepoTags == [$r]'
	assert_store_consistent
}
