#!/usr/bin/env bats
# Classes of bugs that have broken runtimes before: symlinks in the image that
# point out of the root, leaked descriptors, a cwd outside the root, and the
# runtime binary reachable for writing from the container (CVE-2019-5736).

load helpers

# Host paths a vulnerable runtime might create; removed (never recursively) in cleanup.
escape_path() {
	ESCAPE_PATHS+=("$1")
	[ ! -e "$1" ]
}

teardown() {
	local p
	for p in ${ESCAPE_PATHS[@]+"${ESCAPE_PATHS[@]}"}; do
		rmdir "$p" 2>/dev/null || rm -f "$p" 2>/dev/null || true
	done
	# the helpers' teardown
	teardown_common
}

# Run a container whose mount destination goes through the rootfs symlink LINK -> TARGET;
# whether it starts or not, nothing may appear at HOST_PATH.
symlink_escape() { # LINK TARGET DESTINATION HOST_PATH
	ln -s "$2" "$ROOTFS/$1"
	escape_path "$4"
	cfg --arg d "$3" '.mounts += [{"destination": $d, "type": "tmpfs", "source": "tmpfs", "options": ["size=1m"]}]'
	sh_run 'ls /'
	[ ! -e "$4" ] || { echo "$4 was created on the host" >&2; false; }
	[ -z "$(awk -v p="$4" '$5 == p' /proc/self/mountinfo)" ]
}

@test "mount destination through an absolute symlink to /tmp stays in the root" {
	name=$CG_PARENT-abs
	symlink_escape data /tmp "/data/$name" "/tmp/$name"
}

@test "mount destination through a relative ../../../../tmp symlink stays in the root" {
	name=$CG_PARENT-rel
	symlink_escape data ../../../../../../../../tmp "/data/$name" "/tmp/$name"
}

@test "mount destination through a symlink to /etc stays in the root" {
	name=$CG_PARENT-etc
	symlink_escape etcl /etc "/etcl/$name" "/etc/$name"
}

@test "a /dev symlink to a host path does not create device nodes there" {
	name=$CG_PARENT-dev
	rmdir "$ROOTFS/dev"
	ln -s "/tmp/$name" "$ROOTFS/dev"
	escape_path "/tmp/$name"
	sh_run 'ls /dev'
	[ ! -e "/tmp/$name" ]
}

@test "a /proc symlink to /etc: proc is never mounted outside the root" {
	before=$(ls -A /etc | sha256sum)
	rmdir "$ROOTFS/proc"
	ln -s /etc "$ROOTFS/proc"
	probe_run mountinfo
	[ "$(ls -A /etc | sha256sum)" = "$before" ]
	[ -z "$(awk '$5 == "/etc"' /proc/self/mountinfo)" ]
	if [ "$status" -eq 0 ]; then
		# if the runtime accepted it, proc landed inside the rootfs
		! grep -q ' /etc proc ' <<<"$output"
	fi
}

@test "no descriptor leaks into the container: only 0, 1, 2" {
	args /probe fds
	use_id c1
	# fd 3 is bats' own; 5 and 7 are extra descriptors of the caller
	run rt run --bundle "$BUNDLE" c1 </dev/null 5</dev/null 7<"$BUNDLE/config.json"
	[ "$status" -eq 0 ]
	[ "$output" = "0 1 2" ]
}

@test "no descriptor leaks through create/start" {
	args /probe fds
	use_id c1
	rt create --bundle "$BUNDLE" --pid-file "$E2E_TMP/c1.pid" c1 \
		</dev/null >"$E2E_TMP/c1.out" 2>&1 3>&- 5</dev/null 7<"$BUNDLE/config.json"
	rt start c1
	wait_status c1 stopped
	[ "$(cat "$E2E_TMP/c1.out")" = "0 1 2" ]
}

@test "--preserve-fds N passes exactly fds 3..3+N-1" {
	args /probe fds
	use_id c1
	run rt run --preserve-fds 2 --bundle "$BUNDLE" c1 </dev/null 3</dev/null 4<"$BUNDLE/config.json" 5</dev/null
	[ "$status" -eq 0 ]
	[ "$output" = "0 1 2 3 4" ]
}

@test "--preserve-fds on create passes the fds to the container's process" {
	args /bin/sh -c 'read -r line <&3; echo "fd3:$line"; /probe fds'
	use_id c1
	echo from-fd-3 >"$E2E_TMP/fd3"
	rt create --preserve-fds 1 --bundle "$BUNDLE" --pid-file "$E2E_TMP/c1.pid" c1 \
		</dev/null >"$E2E_TMP/c1.out" 2>&1 3<"$E2E_TMP/fd3" 6</dev/null
	rt start c1
	wait_status c1 stopped
	[ "$(cat "$E2E_TMP/c1.out")" = "$(printf 'fd3:from-fd-3\n0 1 2 3')" ]
}

@test "process.cwd cannot point outside the root (/.., symlinks, /proc/self/fd/N)" {
	ln -s ../../../../../../.. "$ROOTFS/up"
	for cwd in /../../.. /up /up/tmp; do
		cfg --arg c "$cwd" '.process.cwd = $c'
		probe_run cwd
		echo "cwd $cwd -> $status $output"
		[ "$status" -eq 0 ]
		[[ "$output" == /* ]]
	done
	# CVE-2024-21626: a descriptor of the runtime leaked as the cwd
	for fd in 3 4 5 6 7 8 9 10; do
		cfg --arg c "/proc/self/fd/$fd" '.process.cwd = $c'
		probe_run cwd
		echo "cwd /proc/self/fd/$fd -> $status $output"
		if [ "$status" -eq 0 ]; then
			[[ "$output" == /* ]]
		fi
	done
}

@test "the container cannot open the runtime binary for writing (CVE-2019-5736)" {
	sum_before=$(sha256sum <"$(readlink -f "$RUNTIME")")
	cfg --arg s "$SHARED" '.mounts += [{"destination": "/shared", "type": "bind", "source": $s, "options": ["rbind", "rw"]}]'
	# While the startContainer hook runs, the container's pid 1 is still the
	# runtime: open it for writing now, and keep an O_PATH handle to retry once
	# pid 1 has exec'd the user program.
	cfg '.hooks.startContainer = [{"path": "/bin/sh", "args": ["sh", "-c",
		"/probe exe-write /proc/1/exe /proc/self/exe > /shared/now 2>&1; /probe exe-write-later /proc/1/exe > /shared/later 2>&1 </dev/null"]}]'
	args /probe sleep 2
	create c1
	rt start c1
	wait_file "$SHARED/now"
	cat "$SHARED/now"
	grep -q '^/proc/1/exe ' "$SHARED/now"
	! grep -q WRITABLE "$SHARED/now"
	# exe-write-later took its handle inside the hook and forked: it reports after the exec.
	wait_file "$SHARED/later" 160
	cat "$SHARED/later"
	grep -q '^/proc/1/exe ' "$SHARED/later"
	! grep -q WRITABLE "$SHARED/later"
	[ "$(sha256sum <"$(readlink -f "$RUNTIME")")" = "$sum_before" ]
}

@test "the container's own /proc/self/exe is not writable" {
	probe_run exe-write /proc/self/exe
	[ "$status" -eq 0 ]
	[ "$output" = "/proc/self/exe ETXTBSY" ]
}
