#!/usr/bin/env bats
# berth push to the local registry, read back with skopeo: the same blobs, cross-repository
# mounts for blobs the registry already holds, monolithic and chunked uploads.

load helpers

setup_file() { start_registry; }
teardown_file() { file_cleanup; }

# Requests for repository NAME in the access log since MARK.
repo_requests() { log_since "$1" | requests | grep -F " /v2/$2/" || true; }

# A one-layer image whose blobs the registry does not have: busybox-rootfs.tar imported.
import_new() {
	berth import "$IMAGES_DIR/busybox-rootfs.tar" "$1" >/dev/null
}

@test "push busybox:multi to a new repository; skopeo reads back the same image" {
	local dst=$REG/pushed/multi:v1
	berth pull -q "$REG/busybox:multi" >/dev/null
	berth tag "$REG/busybox:multi" "$dst"
	run --separate-stderr berth push "$dst"
	[ "$status" -eq 0 ]
	# Layers, config and manifest are the source's, byte for byte.
	expect_eq "layers" "$(layers_of "docker://$dst")" "$(layers_of busybox:multi)"
	expect_eq "image ID" "$(image_id_of "docker://$dst")" "$(image_id_of busybox:multi)"
	expect_eq "manifest digest" "$(manifest_digest "docker://$dst")" "$(manifest_digest busybox:multi)"
	# If push prints docker's "TAG: digest: sha256:... size: N" line, the digest is right.
	local line
	line=$(grep -E '^v1: digest: sha256:[0-9a-f]{64} size: [0-9]+$' <<<"$output" || true)
	[ -z "$line" ] || [[ $line == "v1: digest: $(manifest_digest busybox:multi) "* ]]
	# skopeo copies it into an OCI layout (verifying every digest) and sees the same layers.
	sk copy -q --src-tls-verify=false "docker://$dst" "oci:$WORK/oci:v1"
	expect_eq "layers in the copy" "$(sk inspect "oci:$WORK/oci:v1" | jq -r '.Layers[]')" "$(layers_of busybox:multi)"
}

@test "push records the repository digest, as docker does" {
	local dst=$REG/pushed/recorded:v1
	berth pull -q "$REG/busybox:multi" >/dev/null
	berth tag "$REG/busybox:multi" "$dst"
	berth push "$dst" >/dev/null
	berth image inspect "$dst" | jq -e --arg d "$REG/pushed/recorded@$(manifest_digest busybox:multi)" \
		'.[0].RepoDigests | index($d) != null'
}

@test "push to a second repository mounts the blobs the registry holds" {
	local mark reqs
	berth pull -q "$REG/busybox:multi" >/dev/null
	berth tag "$REG/busybox:multi" "$REG/pushed/first:v1"
	berth push "$REG/pushed/first:v1" >/dev/null
	berth tag "$REG/busybox:multi" "$REG/pushed/second:v1"
	mark=$(log_mark)
	run --separate-stderr berth push "$REG/pushed/second:v1"
	[ "$status" -eq 0 ]
	reqs=$(repo_requests "$mark" pushed/second)
	echo "$reqs"
	# docker's cross-repository blob mount: POST .../blobs/uploads/?mount=DIGEST&from=REPO
	grep -qE '^POST /v2/pushed/second/blobs/uploads/\?(.*&)?mount=' <<<"$reqs"
	grep -qE '^POST /v2/pushed/second/blobs/uploads/\?(.*&)?from=' <<<"$reqs"
	# ... and no blob data was sent.
	assert_no_match '^(PATCH|PUT) /v2/pushed/second/blobs/' <<<"$reqs"
	grep -qE '^PUT /v2/pushed/second/manifests/v1$' <<<"$reqs"
	expect_eq "layers" "$(layers_of "docker://$REG/pushed/second:v1")" "$(layers_of busybox:multi)"
}

@test "push of blobs already in the target repository sends only the manifest" {
	local mark reqs
	berth pull -q "$REG/busybox:multi" >/dev/null
	berth tag "$REG/busybox:multi" "$REG/busybox:again"
	mark=$(log_mark)
	berth push "$REG/busybox:again"
	reqs=$(repo_requests "$mark" busybox)
	echo "$reqs"
	assert_no_match '^(POST|PATCH|PUT) /v2/busybox/blobs/' <<<"$reqs"
	grep -qE '^PUT /v2/busybox/manifests/again$' <<<"$reqs"
}

@test "push of new blobs uploads them (monolithic); skopeo verifies the copy" {
	local mark reqs dst=$REG/mono/busybox:v1
	import_new "$dst"
	mark=$(log_mark)
	run --separate-stderr berth push "$dst"
	[ "$status" -eq 0 ]
	reqs=$(repo_requests "$mark" mono/busybox)
	echo "$reqs"
	# PUT .../blobs/uploads/UUID?digest=... (or the one-request POST ...?digest=)
	grep -qE '^(PUT|POST) /v2/mono/busybox/blobs/uploads/[^ ]*digest=sha256' <<<"$reqs"
	expect_eq "image ID" "$(image_id_of "docker://$dst")" "$(berth image inspect "$dst" | jq -r '.[0].Id')"
	# The layer's diff ID is the sha256 of the imported tarball.
	expect_eq "diff id" "$(diff_ids_of "docker://$dst")" "sha256:$(sha256sum <"$IMAGES_DIR/busybox-rootfs.tar" | cut -d' ' -f1)"
	sk copy -q --src-tls-verify=false "docker://$dst" "oci:$WORK/oci:v1"
	# ... and the copy unpacks to busybox.
	umoci unpack --image "$WORK/oci:v1" "$WORK/bundle" >/dev/null
	[ -x "$WORK/bundle/rootfs/bin/busybox" ]
}

@test "chunked upload with BERTH_PUSH_CHUNK_SIZE=65536" {
	local mark reqs patches dst=$REG/chunked/busybox:v1
	import_new "$dst"
	mark=$(log_mark)
	run --separate-stderr berth_env BERTH_PUSH_CHUNK_SIZE=65536 -- push "$dst"
	[ "$status" -eq 0 ]
	reqs=$(repo_requests "$mark" chunked/busybox)
	patches=$(grep -c '^PATCH /v2/chunked/busybox/blobs/uploads/' <<<"$reqs" || true)
	echo "$reqs"
	# The layer is about 1 MB compressed or 2 MB not: many 64 KiB chunks.
	[ "$patches" -ge 8 ] || { echo "only $patches PATCH requests" >&2; false; }
	grep -qE '^PUT /v2/chunked/busybox/blobs/uploads/[^ ]*digest=sha256' <<<"$reqs"
	sk copy -q --src-tls-verify=false "docker://$dst" "oci:$WORK/oci:v1"
	expect_eq "image ID" "$(image_id_of "docker://$dst")" "$(berth image inspect "$dst" | jq -r '.[0].Id')"
}

@test "pull what berth pushed, into a fresh store" {
	local dst=$REG/roundtrip/busybox:v1 id
	import_new "$dst"
	berth push -q "$dst" >/dev/null
	id=$(berth image inspect "$dst" | jq -r '.[0].Id')
	ROOT=$TEST_TMP/root2
	run --separate-stderr berth pull "$dst"
	[ "$status" -eq 0 ]
	expect_eq "image ID" "$(berth image inspect "$dst" | jq -r '.[0].Id')" "$id"
	mount_image "$dst" "$WORK/rootfs"
	chroot "$WORK/rootfs" /bin/busybox true
}

@test "push of an unknown image fails" {
	run --separate-stderr berth push "$REG/no/such:image"
	assert_error_line
}

@test "push to a port where nothing listens fails cleanly" {
	local dst
	dst=127.0.0.1:$(free_port)/x/busybox:v1
	import_new "$dst"
	local BERTH_TIMEOUT=120
	run --separate-stderr berth push "$dst"
	assert_error_line
	[ "$status" -ne 124 ]
}
