#!/usr/bin/env bats
# berth volume create|ls|inspect|rm|prune (docker's local driver), each test on its own --root.
bats_require_minimum_version 1.5.0

setup() {
	BERTH=${BERTH:-$BATS_TEST_DIRNAME/../../.build/release/berth}
	ROOT=$(mktemp -d /tmp/berth-volumes.XXXXXX)
}

teardown() {
	rm -rf "$ROOT"
}

berth() { "$BERTH" --root "$ROOT" "$@"; }

@test "volume create prints the name; ls lists it with its driver" {
	run berth volume create data
	[ "$status" -eq 0 ] && [ "$output" = data ]
	run berth volume ls
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "DRIVER    VOLUME NAME" ]
	[ "${lines[1]}" = "local     data" ]
	[ -d "$ROOT/volumes/data/_data" ]
}

@test "volume create of an existing name returns the same volume" {
	berth volume create data >/dev/null
	echo kept >"$ROOT/volumes/data/_data/file"
	run berth volume create data
	[ "$status" -eq 0 ] && [ "$output" = data ]
	[ "$(cat "$ROOT/volumes/data/_data/file")" = kept ]
	[ "$(berth volume ls -q | wc -l)" -eq 1 ]
}

@test "an anonymous volume gets a 64-hex name and docker's anonymous label" {
	run berth volume create
	[ "$status" -eq 0 ]
	[[ $output =~ ^[0-9a-f]{64}$ ]]
	berth volume inspect "$output" | jq -e '.[0].Labels | has("com.docker.volume.anonymous")'
}

@test "volume inspect shows docker's fields" {
	berth volume create --label team=a -o type=none data >/dev/null
	run berth volume inspect data
	[ "$status" -eq 0 ]
	jq -e --arg mp "$ROOT/volumes/data/_data" '.[0] | .Name == "data" and .Driver == "local" and .Scope == "local"
		and .Mountpoint == $mp and .Labels.team == "a" and .Options.type == "none" and (.CreatedAt | test("^[0-9]{4}-"))' <<<"$output"
}

@test "volume inspect and rm of a missing volume fail with one lower-case line" {
	run --separate-stderr berth volume inspect nope
	[ "$status" -eq 1 ]
	[ "$stderr" = "Error: get nope: no such volume" ]
	run --separate-stderr berth volume rm nope
	[ "$status" -eq 1 ]
	[ "$stderr" = "Error: get nope: no such volume" ]
	run berth volume rm -f nope
	[ "$status" -eq 0 ]
}

@test "an invalid volume name is refused and nothing is created" {
	run --separate-stderr berth volume create 'bad/name'
	[ "$status" -eq 1 ]
	[[ $stderr == 'Error: create bad/name: "bad/name" includes invalid characters'* ]]
	[ -z "$(ls "$ROOT/volumes")" ] && [ -z "$(ls "$ROOT/tmp")" ]
}

@test "volume rm removes the volume and its data" {
	berth volume create data >/dev/null
	echo x >"$ROOT/volumes/data/_data/file"
	run berth volume rm data
	[ "$status" -eq 0 ] && [ "$output" = data ]
	[ ! -e "$ROOT/volumes/data" ]
	[ -z "$(ls "$ROOT/tmp")" ]
}

@test "volume prune removes anonymous volumes; prune -a removes named ones too" {
	berth volume create named >/dev/null
	anon=$(berth volume create)
	printf 'hello\n' >"$ROOT/volumes/$anon/_data/f"
	run berth volume prune -f
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Deleted Volumes:" ] && [ "${lines[1]}" = "$anon" ]
	[ "${lines[-1]}" = "Total reclaimed space: 6B" ]
	[ "$(berth volume ls -q)" = named ]
	run berth volume prune -a -f
	[ "$status" -eq 0 ] && [ "${lines[1]}" = named ]
	[ -z "$(berth volume ls -q)" ]
}

@test "twenty parallel creates of one name make one volume; of twenty names, twenty" {
	for i in $(seq 1 20); do berth volume create shared >/dev/null & done
	wait
	[ "$(berth volume ls -q)" = shared ]
	for i in $(seq 1 20); do berth volume create "v$i" >/dev/null & done
	wait
	[ "$(berth volume ls -q | wc -l)" -eq 21 ]
	[ -z "$(ls "$ROOT/tmp")" ]
}
