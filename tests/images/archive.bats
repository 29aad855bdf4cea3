#!/usr/bin/env bats
# save, load and import: archives read and written by skopeo (docker-archive, oci-archive,
# OCI layout directories) and root file system tarballs.

load helpers

setup_file() { start_registry; }
teardown_file() { file_cleanup; }

sha() { echo "sha256:$(sha256sum <"$1" | cut -d' ' -f1)"; }
ROOTFS_TAR_DIFF_ID() { sha "$IMAGES_DIR/busybox-rootfs.tar"; }

# The image ID a docker-archive's config has (manifest.json's Config member, hashed).
archive_image_id() {
	local config
	config=$(tar -xOf "$1" manifest.json | jq -r '.[0].Config')
	echo "sha256:$(tar -xOf "$1" "$config" | sha256sum | cut -d' ' -f1)"
}

@test "save -o x.tar: a docker-archive skopeo reads, with the image's config and layers" {
	local id
	berth pull -q "$REG/busybox:multi" >/dev/null
	id=$(image_id_of busybox:multi)
	run --separate-stderr berth save -o "$WORK/x.tar" "$REG/busybox:multi"
	[ "$status" -eq 0 ]
	[ -s "$WORK/x.tar" ]
	sk inspect "docker-archive:$WORK/x.tar" >/dev/null
	expect_eq "config" "$(sha256sum < <(sk inspect --config --raw "docker-archive:$WORK/x.tar") | sed 's/^/sha256:/; s/ .*//')" "$id"
	tar -xOf "$WORK/x.tar" manifest.json | jq -e --arg r "$REG/busybox:multi" '.[0].RepoTags == [$r]'
	# Each layer member is the uncompressed layer: its sha256 is the diff ID.
	local -a members diff_ids
	mapfile -t members < <(tar -xOf "$WORK/x.tar" manifest.json | jq -r '.[0].Layers[]')
	mapfile -t diff_ids < <(diff_ids_of busybox:multi)
	expect_eq "layer count" "${#members[@]}" 4
	local i
	for i in 0 1 2 3; do
		expect_eq "layer $i" "sha256:$(tar -xOf "$WORK/x.tar" "${members[$i]}" | sha256sum | cut -d' ' -f1)" "${diff_ids[$i]}"
	done
	# skopeo can copy it out again, with the same config (dir: keeps the config as it is;
	# oci: would convert it to an OCI config, with another digest).
	sk copy -q "docker-archive:$WORK/x.tar" "dir:$WORK/copy"
	expect_eq "copied config" "sha256:$(sk inspect --config --raw "dir:$WORK/copy" | sha256sum | cut -c1-64)" "$id"
	assert_cwd_empty
}

@test "save --format oci-archive: skopeo reads it" {
	berth pull -q "$REG/busybox:latest" >/dev/null
	run --separate-stderr berth save --format oci-archive -o "$WORK/x.tar" "$REG/busybox:latest"
	[ "$status" -eq 0 ]
	sk inspect "oci-archive:$WORK/x.tar" >/dev/null
	expect_eq "config" "sha256:$(sk inspect --config --raw "oci-archive:$WORK/x.tar" | sha256sum | cut -c1-64)" \
		"$(image_id_of busybox:latest)"
	expect_eq "layers" "$(sk inspect "oci-archive:$WORK/x.tar" | jq -r '.Layers[]')" "$(layers_of busybox:latest)"
	sk copy -q "oci-archive:$WORK/x.tar" "oci:$WORK/oci:x"
}

@test "save of several images: one archive entry each" {
	berth pull -q "$REG/busybox:latest" >/dev/null
	berth pull -q "$REG/busybox:multi" >/dev/null
	berth save -o "$WORK/two.tar" "$REG/busybox:latest" "$REG/busybox:multi"
	tar -xOf "$WORK/two.tar" manifest.json | jq -e 'length == 2'
	sk inspect "docker-archive:$WORK/two.tar:$REG/busybox:multi" >/dev/null
	sk inspect "docker-archive:$WORK/two.tar:$REG/busybox:latest" >/dev/null
}

@test "save of an unknown image fails and writes no archive" {
	run --separate-stderr berth save -o "$WORK/x.tar" no-such-image:latest
	[ "$status" -ne 0 ]
	[ ! -s "$WORK/x.tar" ]
}

@test "load -i busybox-docker.tar (docker-archive)" {
	run --separate-stderr berth load -i "$IMAGES_DIR/busybox-docker.tar"
	[ "$status" -eq 0 ]
	expect_eq output "${lines[${#lines[@]} - 1]}" "Loaded image: busybox:latest"
	expect_eq "image ID" "$(berth image inspect busybox:latest | jq -r '.[0].Id')" \
		"$(archive_image_id "$IMAGES_DIR/busybox-docker.tar")"
	berth image inspect docker.io/library/busybox:latest | jq -e '.[0].RepoTags == ["busybox:latest"]'
	mount_image busybox:latest "$WORK/rootfs"
	assert_latest_content "$WORK/rootfs"
	assert_store_consistent
	assert_cwd_empty
}

@test "load -i busybox-multi-docker.tar: layers with whiteouts" {
	run --separate-stderr berth load -i "$IMAGES_DIR/busybox-multi-docker.tar"
	[ "$status" -eq 0 ]
	grep -qxF "Loaded image: busybox:multi" <<<"$output"
	berth image inspect busybox:multi | jq -e '.[0].RootFS.Layers | length == 4'
	mount_image busybox:multi "$WORK/rootfs"
	assert_multi_content "$WORK/rootfs"
}

@test "load -q prints only the loaded image" {
	run --separate-stderr berth load -q -i "$IMAGES_DIR/busybox-docker.tar"
	[ "$status" -eq 0 ]
	expect_eq output "$output" "Loaded image: busybox:latest"
}

@test "load of an OCI archive made by skopeo" {
	sk copy -q "oci:$IMAGES_DIR/oci:multi" "oci-archive:$WORK/multi-oci.tar:localhost/multi:v1"
	run --separate-stderr berth load -i "$WORK/multi-oci.tar"
	[ "$status" -eq 0 ]
	grep -qxF "Loaded image: localhost/multi:v1" <<<"$output"
	expect_eq "image ID" "$(berth image inspect localhost/multi:v1 | jq -r '.[0].Id')" \
		"sha256:$(sk inspect --config --raw "oci:$IMAGES_DIR/oci:multi" | sha256sum | cut -c1-64)"
	mount_image localhost/multi:v1 "$WORK/rootfs"
	assert_multi_content "$WORK/rootfs"
}

@test "load of an OCI layout directory" {
	sk copy -q "oci:$IMAGES_DIR/oci:latest" "oci:$WORK/layout:localhost/layout:v1"
	run --separate-stderr berth load -i "$WORK/layout"
	[ "$status" -eq 0 ]
	grep -qxF "Loaded image: localhost/layout:v1" <<<"$output"
	expect_eq "image ID" "$(berth image inspect localhost/layout:v1 | jq -r '.[0].Id')" \
		"sha256:$(sk inspect --config --raw "oci:$IMAGES_DIR/oci:latest" | sha256sum | cut -c1-64)"
	mount_image localhost/layout:v1 "$WORK/rootfs"
	assert_latest_content "$WORK/rootfs"
	# The layout itself is left as it was.
	sk inspect "oci:$WORK/layout:localhost/layout:v1" >/dev/null
}

@test "save then load into a fresh store gives the same image (docker-archive and oci-archive)" {
	local id fmt
	berth pull -q "$REG/busybox:multi" >/dev/null
	id=$(image_id_of busybox:multi)
	berth save -o "$WORK/docker.tar" "$REG/busybox:multi"
	berth save --format oci-archive -o "$WORK/oci.tar" "$REG/busybox:multi"
	for fmt in docker oci; do
		ROOT=$TEST_TMP/root-$fmt
		run --separate-stderr berth load -i "$WORK/$fmt.tar"
		[ "$status" -eq 0 ]
		grep -qxF "Loaded image: $REG/busybox:multi" <<<"$output"
		expect_eq "$fmt image ID" "$(berth image inspect "$REG/busybox:multi" | jq -r '.[0].Id')" "$id"
		expect_eq "$fmt diff ids" "$(berth image inspect "$REG/busybox:multi" | jq -r '.[0].RootFS.Layers[]')" \
			"$(diff_ids_of busybox:multi)"
		mount_image "$REG/busybox:multi" "$WORK/rootfs-$fmt"
		assert_multi_content "$WORK/rootfs-$fmt"
	done
}

@test "load of a file that is not an archive fails cleanly" {
	echo "not an archive" >"$WORK/junk.tar"
	run --separate-stderr berth load -i "$WORK/junk.tar"
	assert_error_line
	[ -z "$(berth images -q)" ]
	assert_tmp_empty
	run --separate-stderr berth load -i "$WORK/missing.tar"
	assert_error_line
	grep -qF missing.tar <<<"$stderr"
}

@test "import busybox-rootfs.tar: prints sha256:<id>, one layer, busybox runs" {
	run --separate-stderr berth import "$IMAGES_DIR/busybox-rootfs.tar" local/busybox:imported
	[ "$status" -eq 0 ]
	[[ $output =~ ^sha256:[0-9a-f]{64}$ ]]
	local j
	j=$(berth image inspect local/busybox:imported)
	expect_eq "image ID" "$(jq -r '.[0].Id' <<<"$j")" "$output"
	jq -e '.[0].RepoTags == ["local/busybox:imported"]' <<<"$j"
	expect_eq "diff id" "$(jq -r '.[0].RootFS.Layers[]' <<<"$j")" "$(ROOTFS_TAR_DIFF_ID)"
	expect_eq Architecture "$(jq -r '.[0].Architecture' <<<"$j")" "$ARCH"
	expect_eq Os "$(jq -r '.[0].Os' <<<"$j")" linux
	mount_image local/busybox:imported "$WORK/rootfs"
	assert_latest_content "$WORK/rootfs"
	run chroot "$WORK/rootfs" /bin/busybox echo imported
	[ "$output" = imported ]
	assert_store_consistent
	assert_cwd_empty
}

@test "import - reads the tarball from stdin" {
	run --separate-stderr bash -c 'timeout "$4" "$1" --root "$2" import - local/busybox:stdin <"$3"' _ \
		"$BERTH" "$ROOT" "$IMAGES_DIR/busybox-rootfs.tar" "$BERTH_TIMEOUT"
	[ "$status" -eq 0 ]
	[[ $output =~ ^sha256:[0-9a-f]{64}$ ]]
	expect_eq "diff id" "$(berth image inspect local/busybox:stdin | jq -r '.[0].RootFS.Layers[]')" "$(ROOTFS_TAR_DIFF_ID)"
	mount_image local/busybox:stdin "$WORK/rootfs"
	chroot "$WORK/rootfs" /bin/busybox true
}

@test "import of a gzip- and a zstd-compressed tarball" {
	gzip -c "$IMAGES_DIR/busybox-rootfs.tar" >"$WORK/rootfs.tar.gz"
	zstd -q -c "$IMAGES_DIR/busybox-rootfs.tar" >"$WORK/rootfs.tar.zst"
	local f
	for f in rootfs.tar.gz rootfs.tar.zst; do
		run --separate-stderr berth import "$WORK/$f" "local/busybox:${f##*.}"
		[ "$status" -eq 0 ]
		# The layer is the uncompressed tarball.
		expect_eq "$f diff id" "$(berth image inspect "local/busybox:${f##*.}" | jq -r '.[0].RootFS.Layers[]')" \
			"$(ROOTFS_TAR_DIFF_ID)"
		mount_image "local/busybox:${f##*.}" "$WORK/rootfs-${f##*.}"
		chroot "$WORK/rootfs-${f##*.}" /bin/busybox true
	done
}

@test "import -c applies Dockerfile instructions, -m sets the message" {
	run --separate-stderr berth import -c 'CMD ["sh"]' -c 'ENV A=b' -c 'WORKDIR /tmp' -m "imported by bats" \
		"$IMAGES_DIR/busybox-rootfs.tar" local/busybox:changed
	[ "$status" -eq 0 ]
	local j
	j=$(berth image inspect local/busybox:changed)
	jq -e '.[0].Config.Cmd == ["sh"]' <<<"$j"
	jq -e '.[0].Config.Env | index("A=b") != null' <<<"$j"
	jq -e '.[0].Config.WorkingDir == "/tmp"' <<<"$j"
	berth history --no-trunc local/busybox:changed | grep -qF "imported by bats"
}

@test "import without a reference makes an untagged image" {
	run --separate-stderr berth import "$IMAGES_DIR/busybox-rootfs.tar"
	[ "$status" -eq 0 ]
	[[ $output =~ ^sha256:[0-9a-f]{64}$ ]]
	berth image inspect "$output" | jq -e '.[0].RepoTags == []'
	berth images | grep -qE '^<none> +<none> +'
}

@test "import of a file that is not a tarball fails cleanly" {
	head -c 4096 /dev/urandom >"$WORK/junk"
	run --separate-stderr berth import "$WORK/junk" local/junk:x
	assert_error_line
	[ -z "$(berth images -q)" ]
	assert_tmp_empty
}
