#!/usr/bin/env bats
# ps (-a -q --filter --no-trunc --format -n -l), inspect / container inspect, rm [-f] [-v],
# container prune, info, system df; each test on its own --root.

load helpers

@test "ps lists running containers, -a all, -q ids, --no-trunc full ids and commands" {
	berth run -d --name up busybox sleep 60 >/dev/null
	berth run --name down busybox sh -c 'exit 2' || true
	run berth ps
	expect_status 0
	[[ ${lines[0]} == "CONTAINER ID"*"IMAGE"*"COMMAND"*"CREATED"*"STATUS"*"PORTS"*"NAMES" ]]
	[ "${#lines[@]}" -eq 2 ]
	[[ ${lines[1]} == *up ]]
	run berth ps -a
	[ "${#lines[@]}" -eq 3 ]
	grep -q 'Exited (2)' <<<"$output"
	run berth ps -q
	expect_eq "-q" "$output" "$(cid up | cut -c1-12)"
	run berth ps -aq --no-trunc
	[ "${#lines[@]}" -eq 2 ]
	[[ ${lines[0]} =~ ^[0-9a-f]{64}$ ]]
	run berth ps --no-trunc
	[[ ${lines[1]} == "$(cid up)"*'"sleep 60"'* ]]
}

@test "ps --filter id, name, label, status, exited, ancestor" {
	berth run -d --name web -l app=web busybox sleep 60 >/dev/null
	berth run --name bad -l app=batch busybox sh -c 'exit 3' || true
	berth run --name good -l app=batch busybox true
	berth create --name fresh busybox true >/dev/null
	f() { berth ps -a --format '{{.Names}}' "$@" | sort | tr '\n' ' '; }
	expect_eq "name" "$(f --filter name=web)" "web "
	expect_eq "id" "$(f --filter id="$(cid bad | cut -c1-8)")" "bad "
	expect_eq "label" "$(f --filter label=app=batch)" "bad good "
	expect_eq "label key" "$(f --filter label=app)" "bad good web "
	expect_eq "status running" "$(f --filter status=running)" "web "
	expect_eq "status exited" "$(f --filter status=exited)" "bad good "
	expect_eq "status created" "$(f --filter status=created)" "fresh "
	expect_eq "exited=3" "$(f --filter exited=3)" "bad "
	expect_eq "exited=0" "$(f --filter exited=0)" "good "
	expect_eq "ancestor" "$(f --filter ancestor=busybox)" "bad fresh good web "
	expect_eq "two filters (and)" "$(f --filter label=app=batch --filter exited=0)" "good "
	run --separate-stderr berth ps --filter bogus=1
	[ "$status" -ne 0 ]
	assert_error_line
}

@test "ps --format json and templates; -n and -l" {
	berth run --name first busybox true
	berth run --name second busybox true
	berth run -d --name third -l k=v busybox sleep 60 >/dev/null
	run berth ps -a --format json
	expect_status 0
	[ "${#lines[@]}" -eq 3 ]
	jq -se 'map(select(.Names == "third"))[0] | .State == "running" and .Image == "busybox" and .Labels == "k=v,org.opencontainers.image.title=clients-busybox"' <<<"$output"
	run berth ps -a --format '{{.Names}}\t{{.Image}}'
	expect_eq first-line "${lines[0]}" "third	busybox"
	run berth ps -a -n 2 --format '{{.Names}}'
	expect_eq "-n 2" "$output" "$(printf 'third\nsecond')"
	run berth ps -l --format '{{.Names}}'
	expect_eq "-l" "$output" third
	run berth ps -a --format '{{.ID}} {{.Status}}'
	[[ ${lines[2]} =~ ^[0-9a-f]{12}\ Exited\ \(0\) ]]
}

@test "inspect: docker's JSON for a container, -f templates, container inspect, several at once" {
	berth run -d --name in -e X=1 -w /tmp -u 1000 busybox sleep 60 >/dev/null
	run berth inspect in
	expect_status 0
	jq -e --arg id "$(cid in)" '.[0] | .Id == $id and .Name == "/in" and .State.Status == "running"
		and .State.Running == true and .State.Pid > 0 and .Path == "sleep" and .Args == ["60"]
		and (.Config.Env | index("X=1") != null) and .Config.WorkingDir == "/tmp" and .Config.User == "1000"
		and .Config.Image == "busybox" and (.Image | startswith("sha256:")) and .HostConfig.NetworkMode == "bridge"
		and (.Created | test("^[0-9]{4}-")) and (.State.StartedAt | test("^[0-9]{4}-"))' <<<"$output"
	expect_eq "-f" "$(berth inspect -f '{{.State.Status}}' in)" running
	expect_eq "container inspect -f" "$(berth container inspect -f '{{.State.Running}}' in)" true
	expect_eq "-f json" "$(berth inspect -f '{{json .Config.Cmd}}' in)" '["sleep","60"]'
	berth run --name out busybox true
	run berth container inspect in out
	[ "$(jq length <<<"$output")" -eq 2 ]
	run --separate-stderr berth container inspect in nope
	expect_status 1
	expect_eq stderr "$stderr" "Error: no such container: nope"
}

@test "rm of a running container without -f fails with docker's message and leaves it running" {
	berth run -d --name busy busybox sleep 60 >/dev/null
	run --separate-stderr berth rm busy
	expect_status 1
	assert_error_line
	expect_eq stderr "$stderr" 'Error: cannot remove container "/busy": container is running: stop the container before removing or force remove'
	expect_eq state "$(state_of busy)" running
	berth exec busy true
	run berth rm -f busy
	expect_status 0
	expect_eq "rm prints" "$output" busy
	[ "$(container_count)" -eq 0 ]
	run --separate-stderr berth rm nope
	expect_status 1
	expect_eq stderr "$stderr" "Error: no such container: nope"
	# rm of several: the missing one fails, the others go
	berth run --name one busybox true
	berth run --name two busybox true
	run berth rm one nope two
	expect_status 1
	[ "$(container_count)" -eq 0 ]
}

@test "container prune -f removes stopped containers only" {
	berth run --name done1 busybox true
	berth create --name created1 busybox true >/dev/null
	berth run -d --name alive busybox sleep 60 >/dev/null
	run berth container prune -f
	expect_status 0
	[ "${lines[0]}" = "Deleted Containers:" ]
	grep -qx "$(cid alive)" <<<"$output" && false
	[[ $output == *"Total reclaimed space:"* ]]
	expect_eq left "$(berth ps -a --format '{{.Names}}')" alive
}

@test "info and system df count containers and images" {
	berth run -d --name alive busybox sleep 60 >/dev/null
	berth run --name done1 busybox true
	run berth info
	expect_status 0
	grep -qx ' Containers: 2' <<<"$output"
	grep -qx '  Running: 1' <<<"$output"
	grep -qx '  Stopped: 1' <<<"$output"
	grep -qx ' Images: 1' <<<"$output"
	grep -q "Docker Root Dir: $ROOT" <<<"$output"
	run berth system df
	expect_status 0
	[[ ${lines[0]} == TYPE*TOTAL*ACTIVE*SIZE*RECLAIMABLE ]]
	[[ ${lines[1]} =~ ^Images\ +1\ +1\  ]]
	[[ ${lines[2]} =~ ^Containers\ +2\ +1\  ]]
	[[ ${lines[3]} =~ ^Local\ Volumes\ +0\  ]]
}
