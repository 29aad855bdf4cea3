#!/usr/bin/env bats
# cp (both ways, directories, `-` tar streams, symlinks that must not reach the host),
# export [-o], commit [-m] [-a] [-c], rmi of an image a container uses.

load helpers

@test "cp out: a file, a directory (recursively, symlinks kept as links) and a tar stream" {
	berth run --name cpx busybox sh -c 'mkdir -p /d/sub; echo a >/d/a; echo b >/d/sub/b; ln -s /etc/passwd /d/link; echo c >/file'
	run berth cp cpx:/file "$WORK/"
	expect_status 0
	expect_eq file "$(cat "$WORK/file")" c
	run berth cp cpx:/d "$WORK/d"
	expect_status 0
	expect_eq a "$(cat "$WORK/d/a")" a
	expect_eq b "$(cat "$WORK/d/sub/b")" b
	[ -L "$WORK/d/link" ] && expect_eq link "$(readlink "$WORK/d/link")" /etc/passwd
	run berth cp cpx:/d -
	expect_status 0
	berth cp cpx:/d - | tar -tf - | sort >"$WORK/list"
	grep -qx 'd/' "$WORK/list"
	grep -qx 'd/a' "$WORK/list"
	grep -qx 'd/sub/b' "$WORK/list"
	# a running container too
	berth run -d --name live busybox sh -c 'echo running >/r; sleep 60' >/dev/null
	wait_for 5 berth exec live test -e /r
	berth cp live:/r "$WORK/r"
	expect_eq running "$(cat "$WORK/r")" running
}

@test "cp in: a file, a directory and a tar stream on stdin; the container sees them" {
	berth create --name cpi busybox sh -c 'cat /in /dir/sub/f /tmp/streamed; ls /dir' >/dev/null
	echo in >"$WORK/in"
	mkdir -p "$WORK/dir/sub" && echo f >"$WORK/dir/sub/f"
	echo streamed >"$WORK/streamed"
	run berth cp "$WORK/in" cpi:/in
	expect_status 0
	run berth cp "$WORK/dir" cpi:/dir
	expect_status 0
	tar -C "$WORK" -cf - streamed | berth cp - cpi:/tmp
	run berth start -a cpi
	expect_status 0
	expect_eq output "$output" "$(printf 'in\nf\nstreamed\nsub')"
	# into a running container
	berth run -d --name live busybox sleep 60 >/dev/null
	berth cp "$WORK/in" live:/tmp/in
	expect_eq "in running" "$(berth exec live cat /tmp/in)" in
	# errors are one line
	run --separate-stderr berth cp "$WORK/nope" live:/tmp/
	[ "$status" -ne 0 ]
	assert_error_line
	run --separate-stderr berth cp live:/nope "$WORK/x"
	[ "$status" -ne 0 ]
	assert_error_line
}

@test "cp: symlinks in the container to host paths never leak or touch host files (canary)" {
	mkdir -p "$WORK/outside"
	echo "canary: never copy me" >"$WORK/outside/canary"
	out=$WORK/outside
	berth run --name sl busybox sh -c "ln -s / /rootlink; ln -s $out/canary /abs; ln -s ../../../../../../$out/canary /rel; ln -s $out /dirlink"
	run berth cp "sl:/rootlink$out/canary" "$WORK/o1"
	[ "$status" -ne 0 ] && [ ! -e "$WORK/o1" ]
	run berth cp sl:/dirlink/canary "$WORK/o2"
	[ "$status" -ne 0 ] && [ ! -e "$WORK/o2" ]
	# without -L the link itself is copied
	run berth cp sl:/abs "$WORK/o3"
	if [ "$status" -eq 0 ]; then [ -L "$WORK/o3" ]; fi
	# -L follows the link inside the container, where it leads nowhere
	run berth cp -L sl:/abs "$WORK/o4"
	! grep -qs canary "$WORK/o4" || { echo "cp -L sl:/abs copied the host's canary" >&2; false; }
	run berth cp -L sl:/rel "$WORK/o5"
	! grep -qs canary "$WORK/o5" || { echo "cp -L sl:/rel copied the host's canary" >&2; false; }
	# cp in through a link does not write on the host
	echo evil >"$WORK/evil"
	berth cp "$WORK/evil" sl:/abs || true
	berth cp "$WORK/evil" sl:/dirlink/ || true
	expect_eq canary "$(cat "$out/canary")" "canary: never copy me"
	expect_eq "outside" "$(ls "$out")" canary
}

@test "export [-o] writes the container's file system as a tar (bin/busybox, the changes)" {
	berth run --name ex busybox sh -c 'echo new >/added'
	berth export ex | tar -tf - >"$WORK/list"
	grep -qx 'bin/busybox' "$WORK/list" || grep -qx './bin/busybox' "$WORK/list"
	grep -qx 'added' "$WORK/list" || grep -qx './added' "$WORK/list"
	run berth export -o "$WORK/ex.tar" ex
	expect_status 0
	[ -z "$output" ]
	tar -tf "$WORK/ex.tar" | grep -q 'bin/busybox$'
	expect_eq added "$(tar -xOf "$WORK/ex.tar" added 2>/dev/null || tar -xOf "$WORK/ex.tar" ./added)" new
}

@test "commit: the image has the new file, not the deleted one (whiteout), and -c CMD, -m, -a" {
	berth run --name cm busybox sh -c 'echo data >/x; rm /bin/vi'
	run berth commit -m "a message" -a "an author" -c 'CMD ["cat","/x"]' cm committed:v1
	expect_status 0
	[[ $output =~ ^sha256:[0-9a-f]{64}$ ]]
	run berth run --rm committed:v1
	expect_status 0
	expect_eq CMD "$output" data
	run berth run --rm committed:v1 sh -c 'test -e /bin/vi || test -L /bin/vi || echo gone'
	expect_eq whiteout "$output" gone
	berth image inspect committed:v1 | jq -e '.[0] | .Author == "an author" and .Comment == "a message" and .Config.Cmd == ["cat","/x"]'
	# without a repository: an untagged image, printed as its id
	run berth commit cm
	expect_status 0
	[[ $output =~ ^sha256:[0-9a-f]{64}$ ]]
	run berth run --rm "$output" cat /x
	expect_eq "by id" "$output" data
}

@test "commit of a container that never ran (Created)" {
	berth create --name never busybox true >/dev/null
	run --separate-stderr berth commit never fresh:v1
	expect_status 0
	run berth run --rm fresh:v1 cat /etc/clients-image
	expect_status 0
}

@test "commit -c ENV and -c ENTRYPOINT; a committed image runs with them" {
	berth run --name base busybox true
	berth commit -c 'ENV A=1 B=two' -c 'ENTRYPOINT ["echo"]' base env:v1 >/dev/null
	run berth run --rm env:v1 '$A'
	expect_eq entrypoint "$output" '$A'
	run berth run --rm --entrypoint sh env:v1 -c 'echo $A $B'
	expect_eq env "$output" "1 two"
}

@test "rmi refuses an image a container uses; rmi -f untags it but the container still starts" {
	berth create --name user busybox echo still >/dev/null
	run --separate-stderr berth rmi busybox
	expect_status 1
	assert_error_line
	[[ $stderr == *"image is being used by stopped container"* ]]
	berth image inspect busybox >/dev/null
	run berth rmi -f busybox
	expect_status 0
	[[ $output == *"Untagged: busybox:latest"* ]]
	run berth image inspect busybox
	[ "$status" -ne 0 ]
	run berth start -a user
	expect_status 0
	expect_eq output "$output" still
	# running container: rmi is refused too (docker: "image is being used by running container")
	berth load -i "$IMAGES_DIR/busybox-docker.tar" >/dev/null
	berth run -d --name up busybox sleep 60 >/dev/null
	run --separate-stderr berth rmi busybox
	expect_status 1
	[[ $stderr == *"image is being used by running container"* ]]
}
