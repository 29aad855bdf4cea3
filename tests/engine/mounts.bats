#!/usr/bin/env bats
# -v (bind host:ctr[:ro], named, anonymous), --mount type=bind|volume|tmpfs, and the life of
# volumes with their containers (rm -v, --rm); each test on its own --root.

load helpers

@test "-v bind mount: read-write shares files both ways; :ro refuses writes" {
	mkdir -p "$WORK/bind"
	echo hostdata >"$WORK/bind/f"
	run berth run --rm -v "$WORK/bind:/b" busybox sh -c 'cat /b/f; echo fromctr >/b/w'
	expect_status 0
	expect_eq read "$output" hostdata
	expect_eq written "$(cat "$WORK/bind/w")" fromctr
	run berth run --rm -v "$WORK/bind:/b:ro" busybox sh -c 'cat /b/f; touch /b/x'
	[ "$status" -ne 0 ]
	[[ $output == *hostdata* && $output == *"Read-only file system"* ]]
	[ ! -e "$WORK/bind/x" ]
	berth run --name ins -v "$WORK/bind:/b:ro" busybox true
	berth inspect ins | jq -e --arg s "$WORK/bind" '.[0].Mounts[0] | .Type == "bind" and .Source == $s and .Destination == "/b" and .RW == false'
	berth inspect ins | jq -e --arg s "$WORK/bind" '.[0].HostConfig.Binds == [$s + ":/b:ro"]'
}

@test "-v bind of a missing host path creates it (docker)" {
	run berth run --rm -v "$WORK/created/dir:/c" busybox sh -c 'echo x >/c/f'
	expect_status 0
	[ -f "$WORK/created/dir/f" ]
}

@test "a named volume persists across containers and is listed" {
	run berth run --rm -v data:/data busybox sh -c 'echo persist >/data/p'
	expect_status 0
	run berth run --rm -v data:/data:ro busybox cat /data/p
	expect_status 0
	expect_eq persisted "$output" persist
	expect_eq "volume ls" "$(berth volume ls -q)" data
	# a named volume starts with the image's content at that path (docker copies it up)
	run berth run --rm -v etcvol:/etc busybox cat /etc/clients-image
	expect_status 0
	[ -f "$ROOT/volumes/etcvol/_data/clients-image" ]
	# rm -v keeps named volumes
	berth run --name user -v data:/data busybox true
	berth rm -v user >/dev/null
	expect_eq "after rm -v" "$(berth volume ls -q | sort | tr '\n' ' ')" "data etcvol "
	# volume rm of a volume in use is refused
	berth create --name holder -v data:/data busybox true >/dev/null
	run --separate-stderr berth volume rm data
	[ "$status" -ne 0 ]
	assert_error_line
	[[ $stderr == *"volume is in use"* ]]
}

@test "an anonymous volume is kept by rm, removed by rm -v and by --rm" {
	berth run --name an -v /anon busybox sh -c 'echo x >/anon/f'
	vol=$(berth inspect an | jq -r '.[0].Mounts[0].Name')
	[[ $vol =~ ^[0-9a-f]{64}$ ]]
	[ -f "$ROOT/volumes/$vol/_data/f" ]
	berth rm -v an >/dev/null
	[ -z "$(berth volume ls -q)" ]
	[ ! -e "$ROOT/volumes/$vol" ]
	berth run --name keep -v /anon busybox true
	berth rm keep >/dev/null
	expect_eq "kept by rm" "$(berth volume ls -q | wc -l)" 1
	berth volume prune -f >/dev/null
	run berth run --rm -v /anon busybox sh -c 'echo x >/anon/f'
	expect_status 0
	[ -z "$(berth volume ls -q)" ]
	# --rm keeps a named volume
	berth run --rm -v named:/n busybox true
	expect_eq "named kept by --rm" "$(berth volume ls -q)" named
}

@test "--mount type=bind,readonly / type=volume / type=tmpfs" {
	mkdir -p "$WORK/m" && echo m >"$WORK/m/f"
	run berth run --rm --mount "type=bind,source=$WORK/m,target=/mb,readonly" busybox sh -c 'cat /mb/f; touch /mb/x'
	[ "$status" -ne 0 ]
	[[ $output == m* && $output == *"Read-only file system"* ]]
	run berth run --rm --mount type=volume,source=mv,target=/mv busybox sh -c 'echo v >/mv/f'
	expect_status 0
	expect_eq "volume data" "$(cat "$ROOT/volumes/mv/_data/f")" v
	run berth run --rm --mount type=volume,src=mv,dst=/mv,readonly busybox touch /mv/g
	[ "$status" -ne 0 ]
	run berth run --rm --mount type=tmpfs,target=/tm busybox sh -c 'grep " /tm " /proc/mounts'
	expect_status 0
	[[ $output == "tmpfs /tm tmpfs"* ]]
	run --separate-stderr berth run --rm --mount "type=bind,source=$WORK/nonexistent,target=/x" busybox true
	expect_status 125
	assert_error_line
}

@test "the container's mounts are gone from the host after it exits and after rm" {
	berth run -d --name mnt -v "$WORK:/w" -v vol:/v --tmpfs /t busybox sleep 60 >/dev/null
	id=$(cid mnt)
	[ -n "$(mounts_under "$ROOT/containers/$id")" ]
	berth stop -t 0 mnt >/dev/null
	wait_for 5 eval '[ -z "$(mounts_under "$ROOT/containers/$id")" ]'
	berth rm mnt >/dev/null
	# only the network namespaces' directory stays mounted (for the store's life)
	[ -z "$(mounts_under "$ROOT" | grep -vx "$ROOT/netns")" ]
	[ ! -e "$ROOT/containers/$id" ]
}
