#!/usr/bin/env bats
# images, tag, rmi, image inspect, history and image prune, with docker's output.

load helpers

setup_file() { start_registry; }
teardown_file() { file_cleanup; }

# The table rows of `images` (header skipped) with the columns separated by "|".
rows() { tail -n +2 <<<"$1" | sed -E 's/ {2,}/|/g'; }
short() { local h=${1#sha256:}; echo "${h:0:12}"; }
SIZE_RE='^[0-9]+(\.[0-9]+)? ?[kMG]?B$'

pull_two() {
	berth pull -q "$REG/busybox:latest" >/dev/null
	berth pull -q "$REG/busybox:multi" >/dev/null
	ID_LATEST=$(image_id_of busybox:latest)
	ID_MULTI=$(image_id_of busybox:multi)
}

@test "images on an empty store prints the header only" {
	run --separate-stderr berth images
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ ${lines[0]} =~ ^REPOSITORY\ +TAG\ +IMAGE\ ID\ +CREATED\ +SIZE$ ]]
	run berth images -q
	[ -z "$output" ]
}

@test "images: docker's table, one row per tag" {
	pull_two
	run --separate-stderr berth images
	[ "$status" -eq 0 ]
	[[ ${lines[0]} =~ ^REPOSITORY\ +TAG\ +IMAGE\ ID\ +CREATED\ +SIZE$ ]]
	[ "${#lines[@]}" -eq 3 ]
	local r repo tag id created size
	declare -A seen
	while IFS='|' read -r repo tag id created size; do
		seen[$repo:$tag]=$id
		[[ $size =~ $SIZE_RE ]] || { echo "size column: '$size'" >&2; false; }
		[[ $created =~ ago$ ]] || [[ $created =~ ^[0-9] ]] || { echo "created column: '$created'" >&2; false; }
	done < <(rows "$output")
	expect_eq "busybox:latest id" "${seen[$REG/busybox:latest]}" "$(short "$ID_LATEST")"
	expect_eq "busybox:multi id" "${seen[$REG/busybox:multi]}" "$(short "$ID_MULTI")"
}

@test "images -q prints the short IDs" {
	pull_two
	run --separate-stderr berth images -q
	[ "$status" -eq 0 ]
	expect_eq "ids" "$(sort -u <<<"$output")" "$(printf '%s\n' "$(short "$ID_LATEST")" "$(short "$ID_MULTI")" | sort)"
	# --no-trunc gives the full IDs
	run berth images -q --no-trunc
	expect_eq "full ids" "$(sort -u <<<"$output")" "$(printf '%s\n' "$ID_LATEST" "$ID_MULTI" | sort)"
}

@test "images --digests shows the manifest digest" {
	pull_two
	run --separate-stderr berth images --digests
	[ "$status" -eq 0 ]
	[[ ${lines[0]} =~ ^REPOSITORY\ +TAG\ +DIGEST\ +IMAGE\ ID\ +CREATED\ +SIZE$ ]]
	rows "$output" | grep -qxE "$REG/busybox\|multi\|$(tag_digest busybox:multi)\|$(short "$ID_MULTI")\|.*"
	rows "$output" | grep -qxE "$REG/busybox\|latest\|$(tag_digest busybox:latest)\|$(short "$ID_LATEST")\|.*"
}

@test "images --no-trunc shows full IDs" {
	pull_two
	run --separate-stderr berth images --no-trunc
	[ "$status" -eq 0 ]
	rows "$output" | grep -qE "^$REG/busybox\|multi\|$ID_MULTI\|"
}

@test "images --format json: one JSON object per line, docker's keys" {
	pull_two
	run --separate-stderr berth images --format json
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	local line
	for line in "${lines[@]}"; do
		jq -e 'type == "object" and (.Repository | type == "string") and (.Tag | type == "string")
			and (.ID | test("^[0-9a-f]{12}$")) and (.Size | type == "string")
			and (.CreatedSince | type == "string") and has("Digest")' <<<"$line"
	done
	jq -e -s --arg r "$REG/busybox" --arg id "$(short "$ID_MULTI")" \
		'map(select(.Repository == $r and .Tag == "multi" and .ID == $id)) | length == 1' <<<"$output"
}

@test "tag adds a reference; images and inspect show both" {
	pull_two
	run --separate-stderr berth tag "$REG/busybox:latest" local/bb:v1
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	berth tag "$REG/busybox:latest" bb
	run berth image inspect local/bb:v1
	expect_eq "image ID" "$(jq -r '.[0].Id' <<<"$output")" "$ID_LATEST"
	jq -e --arg r "$REG/busybox:latest" '.[0].RepoTags | sort == ([$r, "bb:latest", "local/bb:v1"] | sort)' <<<"$output"
	run berth images
	rows "$output" | grep -qE "^local/bb\|v1\|$(short "$ID_LATEST")\|"
	rows "$output" | grep -qE "^bb\|latest\|$(short "$ID_LATEST")\|"
	# The same name by its full docker.io spelling.
	berth image inspect docker.io/local/bb:v1 >/dev/null
	berth image inspect docker.io/library/bb:latest >/dev/null
}

@test "tag moves a reference off the image that had it" {
	pull_two
	berth tag "$REG/busybox:latest" local/bb:moving
	berth tag "$REG/busybox:multi" local/bb:moving
	expect_eq "moved" "$(berth image inspect local/bb:moving | jq -r '.[0].Id')" "$ID_MULTI"
	berth image inspect "$REG/busybox:latest" | jq -e '.[0].RepoTags | index("local/bb:moving") == null'
}

@test "tag of an unknown image fails" {
	run --separate-stderr berth tag no-such-image:latest local/x:y
	[ "$status" -ne 0 ]
	grep -qF no-such-image <<<"$stderr"
}

@test "rmi of an image with two tags only untags" {
	pull_two
	berth tag "$REG/busybox:latest" local/bb:v1
	run --separate-stderr berth rmi local/bb:v1
	[ "$status" -eq 0 ]
	expect_eq output "$output" "Untagged: local/bb:v1"
	berth image inspect "$REG/busybox:latest" >/dev/null
	has_blob "$ID_LATEST"
}

@test "rmi of the last tag untags and deletes" {
	pull_two
	run --separate-stderr berth rmi "$REG/busybox:latest"
	[ "$status" -eq 0 ]
	grep -qxF "Untagged: $REG/busybox:latest" <<<"$output"
	grep -qxF "Deleted: $ID_LATEST" <<<"$output"
	run berth images -q --no-trunc
	expect_eq "left" "$output" "$ID_MULTI"
	# The shared first layer is still there for busybox:multi.
	mount_image "$REG/busybox:multi" "$WORK/rootfs"
	assert_multi_content "$WORK/rootfs"
}

@test "rmi by ID of an image with two tags needs -f" {
	pull_two
	berth tag "$REG/busybox:latest" local/bb:v1
	run --separate-stderr berth rmi "$(short "$ID_LATEST")"
	[ "$status" -ne 0 ]
	berth image inspect local/bb:v1 >/dev/null
	run --separate-stderr berth rmi -f "$(short "$ID_LATEST")"
	[ "$status" -eq 0 ]
	grep -qxF "Untagged: local/bb:v1" <<<"$output"
	grep -qxF "Untagged: $REG/busybox:latest" <<<"$output"
	grep -qxF "Deleted: $ID_LATEST" <<<"$output"
	run berth images -q --no-trunc
	expect_eq "left" "$output" "$ID_MULTI"
}

@test "rmi of several images at once" {
	pull_two
	run --separate-stderr berth rmi "$REG/busybox:latest" "$REG/busybox:multi"
	[ "$status" -eq 0 ]
	grep -qxF "Deleted: $ID_LATEST" <<<"$output"
	grep -qxF "Deleted: $ID_MULTI" <<<"$output"
	[ -z "$(berth images -q)" ]
}

@test "rmi of an unknown image: exit 1, names it" {
	run --separate-stderr berth rmi no-such-image:latest
	expect_eq status "$status" 1
	grep -qF "no-such-image" <<<"$stderr"
	# The others are still removed, the error reported at the end.
	berth pull -q "$REG/busybox:latest"
	run --separate-stderr berth rmi no-such-image:latest "$REG/busybox:latest"
	[ "$status" -ne 0 ]
	grep -qxF "Deleted: $(image_id_of busybox:latest)" <<<"$output"
}

@test "image inspect: docker's JSON" {
	pull_two
	run --separate-stderr berth image inspect "$REG/busybox:multi"
	[ "$status" -eq 0 ]
	local j=$output
	jq -e 'type == "array" and length == 1' <<<"$j"
	expect_eq Id "$(jq -r '.[0].Id' <<<"$j")" "$ID_MULTI"
	jq -e --arg r "$REG/busybox:multi" '.[0].RepoTags == [$r]' <<<"$j"
	jq -e --arg r "$REG/busybox@$(tag_digest busybox:multi)" '.[0].RepoDigests == [$r]' <<<"$j"
	expect_eq Architecture "$(jq -r '.[0].Architecture' <<<"$j")" "$ARCH"
	expect_eq Os "$(jq -r '.[0].Os' <<<"$j")" linux
	jq -e '.[0].Config.Cmd == ["sh"]' <<<"$j"
	jq -e '.[0].Config.WorkingDir == "/opt/data"' <<<"$j"
	jq -e '.[0].Config.Env | index("CLIENTS_IMAGE=multi") != null' <<<"$j"
	jq -e '.[0].RootFS.Type == "layers" and (.[0].RootFS.Layers | length == 4)' <<<"$j"
	expect_eq "RootFS.Layers" "$(jq -r '.[0].RootFS.Layers[]' <<<"$j")" "$(diff_ids_of busybox:multi)"
	jq -e '.[0].Size > 0' <<<"$j"
	expect_eq Created "$(jq -r '.[0].Created' <<<"$j")" "$(_sk_inspect busybox:multi --config --raw | jq -r .created)"
	# by ID, short ID and digest too; several at once
	berth image inspect "$ID_MULTI" | jq -e --arg id "$ID_MULTI" '.[0].Id == $id'
	berth image inspect "$(short "$ID_MULTI")" | jq -e --arg id "$ID_MULTI" '.[0].Id == $id'
	berth image inspect "$REG/busybox@$(tag_digest busybox:multi)" | jq -e --arg id "$ID_MULTI" '.[0].Id == $id'
	berth image inspect "$REG/busybox:latest" "$REG/busybox:multi" | jq -e 'length == 2'
}

@test "image inspect of an unknown image: exit 1" {
	run --separate-stderr berth image inspect no-such-image:latest
	expect_eq status "$status" 1
	grep -qF no-such-image <<<"$stderr"
}

@test "history: one row per history entry, newest first" {
	pull_two
	run --separate-stderr berth history "$REG/busybox:multi"
	[ "$status" -eq 0 ]
	[[ ${lines[0]} =~ ^IMAGE\ +CREATED\ +CREATED\ BY\ +SIZE\ +COMMENT$ ]]
	[ "${#lines[@]}" -eq 5 ]
	[[ ${lines[1]} == "$(short "$ID_MULTI") "* ]]
	grep -qE '^<missing> ' <<<"${lines[4]}"
	run --separate-stderr berth history --no-trunc "$REG/busybox:multi"
	[ "$status" -eq 0 ]
	grep -qF "make-test-images.sh: make /opt/data opaque, add new.txt" <<<"${lines[1]}"
	grep -qF "make-test-images.sh: busybox rootfs" <<<"${lines[4]}"
	grep -qF "$ID_MULTI" <<<"${lines[1]}"
	run --separate-stderr berth history -q "$REG/busybox:multi"
	[ "$status" -eq 0 ]
	expect_eq "first id" "${lines[0]}" "$(short "$ID_MULTI")"
}

@test "image prune after rmi removes every blob and layer directory" {
	berth pull -q "$REG/busybox:multi"
	[ "$(blob_count)" -ge 6 ]
	expect_eq layers "$(layer_count)" 4
	berth rmi "$REG/busybox:multi" >/dev/null
	run --separate-stderr berth image prune -f
	[ "$status" -eq 0 ]
	expect_eq "blobs left" "$(blob_count)" 0
	expect_eq "layer directories left" "$(layer_count)" 0
	assert_tmp_empty
}

@test "image prune keeps what a tagged image uses" {
	pull_two
	berth rmi "$REG/busybox:latest" >/dev/null
	berth image prune -f >/dev/null
	# busybox:multi: its manifest, config and 4 layers (its first layer is busybox:latest's).
	expect_eq "blobs left" "$(blob_count)" 6
	has_blob "$(manifest_digest busybox:multi)"
	expect_eq "layer directories left" "$(layer_count)" 4
	! has_blob "$ID_LATEST" || false
	mount_image "$REG/busybox:multi" "$WORK/rootfs"
	assert_multi_content "$WORK/rootfs"
}

@test "image prune removes dangling images; -a removes the unused rest" {
	berth pull -q "$REG/busybox:index" >/dev/null
	# The tag moves to the other architecture's image: the first one is dangling.
	berth pull -q --platform "linux/$OTHER_ARCH" "$REG/busybox:index" >/dev/null
	[ "$(berth images -q | sort -u | wc -l)" -eq 2 ]
	# (docker shows an untagged image that has a repository digest as REPOSITORY <none>)
	run berth images
	rows "$output" | grep -qE "^($REG/busybox|<none>)\|<none>\|"
	run --separate-stderr berth image prune -f
	[ "$status" -eq 0 ]
	expect_eq "images left" "$(berth images -q --no-trunc)" "$(ARCH_OVERRIDE=$OTHER_ARCH image_id_of busybox:index)"
	run --separate-stderr berth image prune -a -f
	[ "$status" -eq 0 ]
	[ -z "$(berth images -q)" ]
	expect_eq "blobs left" "$(blob_count)" 0
	expect_eq "layer directories left" "$(layer_count)" 0
}
