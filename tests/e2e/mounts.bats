#!/usr/bin/env bats
# The container's filesystem: root, spec mounts, /dev, masked and read-only paths.

load helpers

bind() { # bind SOURCE DEST OPTIONS-JSON
	cfg --arg s "$1" --arg d "$2" --argjson o "$3" \
		'.mounts += [{"destination": $d, "type": "bind", "source": $s, "options": $o}]'
}

@test "readonly root: writing / fails with EROFS" {
	cfg '.root.readonly = true'
	probe_run write /newfile
	[ "$output" = EROFS ]
	[ ! -e "$ROOTFS/newfile" ]
}

@test "writable root: writing / works and lands in the rootfs" {
	probe_run write /newfile
	[ "$output" = ok ]
	[ -f "$ROOTFS/newfile" ]
}

@test "maskedPaths: a masked file reads empty" {
	# /proc/kcore does not exist on every kernel; /proc/keys does.
	probe_run read /proc/keys
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	cfg '.linux.maskedPaths += ["/secret/file"]'
	probe_run read /secret/file
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "maskedPaths: a missing path is ignored" {
	cfg '.linux.maskedPaths += ["/does/not/exist"]'
	probe_run pid
	[ "$status" -eq 0 ]
	[ "$output" = 1 ]
}

@test "maskedPaths: a masked directory is empty" {
	cfg '.linux.maskedPaths += ["/secret"]'
	sh_run 'ls -A /secret; echo end'
	[ "$status" -eq 0 ]
	[ "$output" = end ]
}

@test "readonlyPaths: /proc/sys is read-only" {
	probe_run write /proc/sys/kernel/hostname
	[ "$output" = EROFS ]
}

@test "bind mount rw: the write lands on the host" {
	bind "$SHARED" /shared '["rbind", "rw"]'
	probe_run write /shared/from-container
	[ "$output" = ok ]
	[ "$(cat "$SHARED/from-container")" = probe ]
}

@test "bind mount ro: writing fails with EROFS" {
	bind "$SHARED" /shared '["rbind", "ro"]'
	probe_run write /shared/from-container
	[ "$output" = EROFS ]
	[ ! -e "$SHARED/from-container" ]
}

@test "bind mount of a file onto a missing destination" {
	echo hello-file >"$E2E_TMP/file"
	bind "$E2E_TMP/file" /etc/bound-file '["bind", "ro"]'
	probe_run read /etc/bound-file
	[ "$output" = hello-file ]
}

@test "tmpfs options: mode and size" {
	cfg '.mounts += [{"destination": "/scratch", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "mode=1770", "size=1m"]}]'
	probe_run stat /scratch
	[[ "$output" == "type=dir mode=1770 "* ]]
	probe_run mountinfo
	line=$(grep ' /scratch ' <<<"$output")
	[[ "$line" == *" - tmpfs "* ]]
	[[ "$line" == *size=1024k* ]]
	[[ "$line" == *nosuid* ]]
	[[ "$line" == *nodev* ]]
}

@test "default devices exist with the right type, mode and numbers" {
	sh_run 'for d in null zero full random urandom tty; do echo "$d $(/probe stat /dev/$d)"; done'
	[ "$status" -eq 0 ]
	grep -x 'null type=chr mode=0666 rdev=1:3 uid=0 gid=0 size=0' <<<"$output"
	grep -x 'zero type=chr mode=0666 rdev=1:5 uid=0 gid=0 size=0' <<<"$output"
	grep -x 'full type=chr mode=0666 rdev=1:7 uid=0 gid=0 size=0' <<<"$output"
	grep -x 'random type=chr mode=0666 rdev=1:8 uid=0 gid=0 size=0' <<<"$output"
	grep -x 'urandom type=chr mode=0666 rdev=1:9 uid=0 gid=0 size=0' <<<"$output"
	grep -x 'tty type=chr mode=0666 rdev=5:0 uid=0 gid=0 size=0' <<<"$output"
}

@test "default devices are usable through the device cgroup" {
	sh_run 'echo x >/dev/null && head -c 4 /dev/zero | wc -c && head -c 4 /dev/urandom | wc -c'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '4\n4')" ]
}

@test "/dev/ptmx, /dev/fd and /dev/std* symlinks" {
	sh_run 'for d in ptmx fd stdin stdout stderr; do echo "$d $(/probe stat /dev/$d)"; done'
	[ "$status" -eq 0 ]
	grep -E '^ptmx type=lnk .* target=pts/ptmx$' <<<"$output"
	grep -E '^fd type=lnk .* target=/proc/self/fd$' <<<"$output"
	grep -E '^stdin type=lnk .* target=/proc/self/fd/0$' <<<"$output"
	grep -E '^stdout type=lnk .* target=/proc/self/fd/1$' <<<"$output"
	grep -E '^stderr type=lnk .* target=/proc/self/fd/2$' <<<"$output"
}

@test "linux.devices adds a device node with its mode and owner" {
	cfg '.linux.devices = [{"path": "/dev/berth-null", "type": "c", "major": 1, "minor": 3, "fileMode": 384, "uid": 0, "gid": 0}]
		| .linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"}]'
	sh_run '/probe stat /dev/berth-null && echo x >/dev/berth-null && echo written'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "type=chr mode=0600 rdev=1:3 uid=0 gid=0 size=0" ]
	[ "${lines[1]}" = written ]
}

@test "a device not allowed by the device cgroup cannot be opened" {
	cfg '.linux.devices = [{"path": "/dev/berth-mem", "type": "c", "major": 1, "minor": 1, "fileMode": 384}]'
	probe_run read /dev/berth-mem
	[ "$status" -ne 0 ]
	[[ "$output" == *EPERM* ]]
}

@test "/proc is a fresh proc for the pid namespace" {
	sh_run 'ls /proc | grep -E "^[0-9]+$" | wc -l'
	[ "$status" -eq 0 ]
	# sh, ls, grep and wc are the only processes
	[ "$output" -le 4 ]
}

@test "the rootfs is the mount namespace's root (pivot), the host is not visible" {
	probe_run mountinfo
	[ "$status" -eq 0 ]
	root_line=$(awk '$5 == "/"' <<<"$output")
	[ -n "$root_line" ]
	! grep -q ' /work' <<<"$output"
}

@test "tmpfs with tmpcopyup starts with a copy of the directory it covers (podman --read-only)" {
	mkdir -p "$ROOTFS/data/sub"
	echo hello >"$ROOTFS/data/file"
	ln -s file "$ROOTFS/data/link"
	chmod 0750 "$ROOTFS/data/sub"
	chown 1000:1000 "$ROOTFS/data/sub"
	cfg '.root.readonly = true
		| .mounts += [{"destination": "/data", "type": "tmpfs", "source": "tmpfs",
		               "options": ["rw", "rprivate", "nosuid", "nodev", "tmpcopyup"]}]'
	sh_run 'cat /data/file; readlink /data/link; /probe stat /data/sub; echo new > /data/new && cat /data/new; grep " /data " /proc/self/mountinfo | cut -d" " -f9'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = hello ]
	[ "${lines[1]}" = file ]
	[[ "${lines[2]}" == "type=dir mode=0750 "*"uid=1000 gid=1000"* ]]
	[ "${lines[3]}" = new ]
	[ "${lines[4]}" = tmpfs ]
	# the image itself is untouched
	[ ! -e "$ROOTFS/data/new" ]
}
