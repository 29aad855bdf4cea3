#!/usr/bin/env bats
# berth pull from the local registry: every manifest flavour registry.sh pushes, by tag and
# by digest, docker's plain output, what lands in the store, platform selection, and errors.

load helpers

setup_file() { start_registry; }
teardown_file() { file_cleanup; }

# pull_flavour NAME:TAG PATH: pull $REG/NAME:TAG and check the output and the store.
pull_flavour() {
	local ref=$REG/$1 path=$2 tag=${1##*:} layers diff_ids id digest l
	mapfile -t layers < <(layers_of "$1")
	mapfile -t diff_ids < <(diff_ids_of "$1")
	id=$(image_id_of "$1")
	digest=$(tag_digest "$1")
	run --separate-stderr berth pull "$ref"
	assert_pull_output "$ref" "$tag" "$path" "$digest" "$ref" "${layers[@]}"
	# The store: the manifest, the config and every layer blob, each layer unpacked once.
	has_blob "$(manifest_digest "$1")"
	has_blob "$id"
	for l in "${layers[@]}"; do has_blob "$l"; done
	for l in "${diff_ids[@]}"; do has_layer "$l"; done
	expect_eq "layer directories" "$(layer_count)" "${#diff_ids[@]}"
	run berth image inspect "$ref"
	[ "$status" -eq 0 ]
	expect_eq "image ID" "$(jq -r '.[0].Id' <<<"$output")" "$id"
	assert_store_consistent
	assert_cwd_empty
}

@test "pull busybox:latest (OCI manifest)" {
	pull_flavour busybox:latest busybox
}

@test "pull busybox:v2s2 (Docker schema 2 manifest)" {
	pull_flavour busybox:v2s2 busybox
}

@test "pull busybox:multi (4 layers, whiteout, opaque directory)" {
	pull_flavour busybox:multi busybox
}

@test "pull busybox:index (OCI index) picks linux/host-arch" {
	pull_flavour busybox:index busybox
	run berth image inspect "$REG/busybox:index"
	expect_eq Architecture "$(jq -r '.[0].Architecture' <<<"$output")" "$ARCH"
	expect_eq Os "$(jq -r '.[0].Os' <<<"$output")" linux
	# docker records the digest that was pulled: the index's.
	jq -e --arg d "$REG/busybox@$(tag_digest busybox:index)" '.[0].RepoDigests | index($d) != null' <<<"$output"
}

@test "pull busybox:list-v2s2 (Docker manifest list) picks linux/host-arch" {
	pull_flavour busybox:list-v2s2 busybox
	run berth image inspect "$REG/busybox:list-v2s2"
	expect_eq Architecture "$(jq -r '.[0].Architecture' <<<"$output")" "$ARCH"
}

@test "pull library/busybox:latest (two-part name)" {
	pull_flavour library/busybox:latest library/busybox
}

@test "pull by digest: NAME@sha256:..." {
	local digest ref
	digest=$(tag_digest busybox:multi)
	ref=$REG/busybox@$digest
	mapfile -t layers < <(layers_of busybox:multi)
	run --separate-stderr berth pull "$ref"
	assert_pull_output "$ref" "$digest" busybox "$digest" "$ref" "${layers[@]}"
	run berth image inspect "$ref"
	[ "$status" -eq 0 ]
	expect_eq "image ID" "$(jq -r '.[0].Id' <<<"$output")" "$(image_id_of busybox:multi)"
	jq -e --arg d "$ref" '.[0].RepoDigests == [$d]' <<<"$output"
	# A pull by digest tags nothing.
	jq -e '.[0].RepoTags == []' <<<"$output"
	run berth images --digests
	[ "$status" -eq 0 ]
	grep -E "^$REG/busybox +<none> +$digest +" <<<"$output"
}

@test "pull by digest of an index entry, then by digest of the index" {
	local entry
	entry=$(manifest_digest busybox:index)
	run --separate-stderr berth pull "$REG/busybox@$entry"
	[ "$status" -eq 0 ]
	expect_eq "last line" "${lines[${#lines[@]} - 1]}" "$REG/busybox@$entry"
	run --separate-stderr berth pull "$REG/busybox@$(tag_digest busybox:index)"
	[ "$status" -eq 0 ]
	expect_eq "image ID" "$(berth image inspect "$REG/busybox@$entry" | jq -r '.[0].Id')" "$(image_id_of busybox:index)"
}

@test "pull -q prints only the full reference" {
	run --separate-stderr berth pull -q "$REG/busybox:latest"
	[ "$status" -eq 0 ]
	expect_eq output "$output" "$REG/busybox:latest"
	[ -z "$stderr" ]
	berth image inspect "$REG/busybox:latest" >/dev/null
}

@test "pull without a tag means :latest" {
	run --separate-stderr berth pull "$REG/busybox"
	[ "$status" -eq 0 ]
	# docker says so first
	expect_eq "first line" "${lines[0]}" "Using default tag: latest"
	expect_eq "second line" "${lines[1]}" "latest: Pulling from busybox"
	expect_eq "last line" "${lines[${#lines[@]} - 1]}" "$REG/busybox:latest"
}

@test "a second pull says 'Image is up to date' and downloads no blob" {
	local ref=$REG/busybox:multi mark before after
	berth pull -q "$ref"
	before=$(find "$ROOT/images/blobs" "$ROOT/layers" -printf '%p %i %T@\n' | sort)
	mark=$(log_mark)
	run --separate-stderr berth pull "$ref"
	[ "$status" -eq 0 ]
	grep -qxF "Status: Image is up to date for $ref" <<<"$output"
	grep -qxF "Digest: $(tag_digest busybox:multi)" <<<"$output"
	assert_no_match "Pull complete" <<<"$output"
	expect_eq "last line" "${lines[${#lines[@]} - 1]}" "$ref"
	log_since "$mark" | requests | assert_no_match "/blobs/"
	after=$(find "$ROOT/images/blobs" "$ROOT/layers" -printf '%p %i %T@\n' | sort)
	expect_eq "store files (path inode mtime)" "$after" "$before"
}

@test "a layer the store holds is not downloaded again (multi, then latest)" {
	local mark first
	berth pull -q "$REG/busybox:multi"
	first=$(layers_of busybox:latest)
	mark=$(log_mark)
	run --separate-stderr berth pull "$REG/busybox:latest"
	[ "$status" -eq 0 ]
	log_since "$mark" | requests | assert_no_match "/blobs/$first"
	# ... but the new config was.
	log_since "$mark" | requests | grep -F "GET /v2/busybox/blobs/$(image_id_of busybox:latest)"
	expect_eq "layer directories" "$(layer_count)" 4
	assert_store_consistent
}

@test "pull --platform linux/<other arch> selects the other entry of an index" {
	local want
	want=$(ARCH_OVERRIDE=$OTHER_ARCH image_id_of busybox:index)
	[ "$want" != "$(image_id_of busybox:index)" ]
	run --separate-stderr berth pull --platform "linux/$OTHER_ARCH" "$REG/busybox:index"
	[ "$status" -eq 0 ]
	expect_eq "last line" "${lines[${#lines[@]} - 1]}" "$REG/busybox:index"
	run berth image inspect "$REG/busybox:index"
	expect_eq "image ID" "$(jq -r '.[0].Id' <<<"$output")" "$want"
	expect_eq Architecture "$(jq -r '.[0].Architecture' <<<"$output")" "$OTHER_ARCH"
	# The same with the Docker manifest list.
	run --separate-stderr berth pull --platform "linux/$OTHER_ARCH" "$REG/busybox:list-v2s2"
	[ "$status" -eq 0 ]
	expect_eq "list-v2s2 architecture" "$(berth image inspect "$REG/busybox:list-v2s2" | jq -r '.[0].Architecture')" "$OTHER_ARCH"
}

@test "pull --platform linux/<host arch> is the default choice" {
	run --separate-stderr berth pull --platform "linux/$ARCH" "$REG/busybox:index"
	[ "$status" -eq 0 ]
	expect_eq "image ID" "$(berth image inspect "$REG/busybox:index" | jq -r '.[0].Id')" "$(image_id_of busybox:index)"
}

@test "pull --platform that the index does not list fails cleanly" {
	run --separate-stderr berth pull --platform linux/s390x "$REG/busybox:index"
	assert_error_line
	grep -q s390x <<<"$stderr"
	[ -z "$(berth images -q)" ]
	assert_tmp_empty
}

@test "pull of a missing tag: exit 1 or 125, one line naming the reference, nothing stored" {
	run --separate-stderr berth pull "$REG/busybox:no-such-tag"
	assert_error_line
	[ "$status" -eq 1 ] || [ "$status" -eq 125 ]
	grep -qF "busybox:no-such-tag" <<<"$stderr"
	assert_no_match "Pull complete" <<<"$output"
	[ -z "$(berth images -q)" ]
	expect_eq blobs "$(blob_count)" 0
	assert_tmp_empty
	assert_cwd_empty
}

@test "pull of a missing repository fails cleanly" {
	run --separate-stderr berth pull "$REG/no/such/repository:latest"
	assert_error_line
	grep -qF "no/such/repository" <<<"$stderr"
	assert_tmp_empty
}

@test "pull from a port where nothing listens fails cleanly" {
	local port
	port=$(free_port)
	local BERTH_TIMEOUT=60
	run --separate-stderr berth pull "127.0.0.1:$port/busybox:latest"
	assert_error_line
	[ "$status" -ne 124 ] || { echo "pull hung" >&2; false; }
	grep -qF "127.0.0.1:$port" <<<"$stderr"
	assert_tmp_empty
}

@test "errors are one line starting 'Error: ', as docker's and podman's CLIs print them" {
	run --separate-stderr berth pull "$REG/busybox:no-such-tag"
	[ "$status" -eq 1 ]
	[[ $stderr == "Error: "* ]] || { echo "stderr: $stderr" >&2; false; }
}

@test "an invalid reference is refused" {
	run --separate-stderr berth pull "$REG/BusyBox:latest"
	assert_error_line
	run --separate-stderr berth pull "$REG/busybox@sha256:1234"
	assert_error_line
}

@test "BERTH_ROOT selects the store when --root is not given" {
	run --separate-stderr env BERTH_ROOT="$ROOT" timeout "$BERTH_TIMEOUT" "$BERTH" pull -q "$REG/busybox:latest"
	[ "$status" -eq 0 ]
	has_blob "$(image_id_of busybox:latest)"
	berth image inspect "$REG/busybox:latest" >/dev/null
}

@test "pull on a terminal shows progress and ends with the reference" {
	local out
	out=$(timeout "$BERTH_TIMEOUT" script -qefc "stty cols 100 rows 30; $(printf '%q ' "$BERTH" --root "$ROOT" pull "$REG/busybox:multi")" /dev/null </dev/null)
	# Progress redraws; after them the summary lines stay.
	grep -qF "Status: Downloaded newer image for $REG/busybox:multi" <<<"$out"
	grep -qF "$REG/busybox:multi" <<<"$(tr -d '\r' <<<"$out" | tail -n 1)"
	assert_store_consistent
}
