#!/usr/bin/env bats
# image mount / image unmount: the overlay root file system of a pulled image, checked
# file by file against the layers make-test-images.sh built.

load helpers

setup_file() { start_registry; }
teardown_file() { file_cleanup; }

# tree DIR: one line per entry: path, type, mode, owner (numeric), symlink target.
tree() {
	(cd "$1" && find . -mindepth 1 -printf '%P %y %m %U:%G %l\n' | sort)
}

@test "image mount of busybox:multi: whiteout and opaque directory applied, busybox runs" {
	berth pull -q "$REG/busybox:multi"
	mount_image "$REG/busybox:multi" "$WORK/rootfs"
	mountpoint -q "$WORK/rootfs"
	assert_multi_content "$WORK/rootfs"
	run chroot "$WORK/rootfs" /bin/sh -c 'echo $((6 * 7))'
	[ "$output" = 42 ]
	# Whiteouts are applied, never shown: no character device in the merged tree.
	[ -z "$(find "$WORK/rootfs" -xdev -type c)" ]
	run berth image unmount "$WORK/rootfs"
	[ "$status" -eq 0 ]
	! mountpoint -q "$WORK/rootfs" || false
	[ -z "$(ls -A "$WORK/rootfs" 2>/dev/null)" ]
}

@test "image mount of busybox:latest equals the root file system it was built from" {
	berth pull -q "$REG/busybox:latest"
	mount_image "$REG/busybox:latest" "$WORK/rootfs"
	mkdir "$WORK/expected"
	tar --numeric-owner -xpf "$IMAGES_DIR/busybox-rootfs.tar" -C "$WORK/expected"
	expect_eq "tree (path type mode owner target)" "$(tree "$WORK/rootfs")" "$(tree "$WORK/expected")"
	cmp "$WORK/rootfs/bin/busybox" "$WORK/expected/bin/busybox"
	assert_latest_content "$WORK/rootfs"
}

@test "ownership, modes and mtimes come from the layer" {
	berth pull -q "$REG/busybox:multi"
	mount_image "$REG/busybox:multi" "$WORK/rootfs"
	local f
	for f in bin/busybox etc/passwd etc/group opt/data/new.txt; do
		expect_eq "owner of /$f" "$(stat -c %u:%g "$WORK/rootfs/$f")" 0:0
	done
	expect_eq "owner of /home/clients" "$(stat -c %u:%g "$WORK/rootfs/home/clients")" 1000:1000
	expect_eq "mode of /tmp" "$(stat -c %a "$WORK/rootfs/tmp")" 1777
	expect_eq "mode of /root" "$(stat -c %a "$WORK/rootfs/root")" 700
	expect_eq "mode of /bin/busybox" "$(stat -c %a "$WORK/rootfs/bin/busybox")" 755
	# mtimes as in the layer (the first one, which holds /etc/passwd)
	local want layer
	layer=$(layers_of busybox:multi | head -n 1)
	want=$("$PYTHON" -c '
import sys, tarfile
for m in tarfile.open(sys.argv[1], "r:gz"):
    if m.name.lstrip("./") == "etc/passwd":
        print(m.mtime)' "$IMAGES_DIR/oci/blobs/sha256/${layer#sha256:}")
	[ -n "$want" ]
	expect_eq "mtime of /etc/passwd" "$(stat -c %Y "$WORK/rootfs/etc/passwd")" "$want"
}

@test "two mounts of one image never change the layers (read-only, or independent when writable)" {
	berth pull -q "$REG/busybox:multi"
	mount_image "$REG/busybox:multi" "$WORK/a"
	mount_image "$REG/busybox:multi" "$WORK/b"
	local before
	before=$(find "$ROOT/layers" -printf '%p %s %T@\n' | sort)
	# podman's image mount is read-only; a writable one must keep writes to itself.
	if (echo changed >"$WORK/a/opt/data/new.txt") 2>/dev/null; then
		rm "$WORK/a/bin/busybox"
		touch "$WORK/a/created-in-a"
		expect_eq "new.txt in b" "$(cat "$WORK/b/opt/data/new.txt")" "new (layer 4)"
		[ -x "$WORK/b/bin/busybox" ]
		[ ! -e "$WORK/b/created-in-a" ]
	else
		run touch "$WORK/a/created-in-a"
		[ "$status" -ne 0 ]
		grep -qi "read-only" <<<"$output"
	fi
	expect_eq "layers" "$(find "$ROOT/layers" -printf '%p %s %T@\n' | sort)" "$before"
	berth image unmount "$WORK/a"
	berth image unmount "$WORK/b"
	# A new mount starts from the image again.
	mount_image "$REG/busybox:multi" "$WORK/c"
	assert_multi_content "$WORK/c"
	[ ! -e "$WORK/c/created-in-a" ]
}

@test "image mount by short ID and by digest reference" {
	local id digest
	berth pull -q "$REG/busybox:multi"
	id=$(image_id_of busybox:multi)
	id=${id#sha256:}
	mount_image "${id:0:12}" "$WORK/by-id"
	assert_multi_content "$WORK/by-id"
	digest=$(tag_digest busybox:multi)
	mount_image "$REG/busybox@$digest" "$WORK/by-digest"
	assert_multi_content "$WORK/by-digest"
}

@test "image mount of an unknown image fails and mounts nothing" {
	mkdir -p "$WORK/rootfs"
	run --separate-stderr berth image mount "$REG/busybox:nothing" "$WORK/rootfs"
	assert_error_line
	! mountpoint -q "$WORK/rootfs" || false
}

@test "nothing stays mounted under the store after unmount" {
	berth pull -q "$REG/busybox:latest"
	mount_image "$REG/busybox:latest" "$WORK/rootfs"
	berth image unmount "$WORK/rootfs"
	[ -z "$(awk -v p="$TEST_TMP" 'index($5, p "/") == 1 { print $5 }' /proc/self/mountinfo)" ]
}
