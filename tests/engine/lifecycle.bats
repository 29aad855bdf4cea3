#!/usr/bin/env bats
# create, start [-a] [-i], stop [-t] [-s], kill [-s], restart, pause/unpause, wait, rename,
# attach, restart policies; each test on its own --root.

load helpers

@test "create makes a Created container; start runs it; start -a prints its output" {
	run berth create --name cc busybox sh -c 'echo out; echo err >&2; exit 4'
	expect_status 0
	[[ $output =~ ^[0-9a-f]{64}$ ]]
	expect_eq state "$(state_of cc)" created
	run berth ps -a --format '{{.Names}} {{.Status}}'
	expect_eq ps "$output" "cc Created"
	run berth start -a cc
	expect_status 4
	[[ $output == *out* && $output == *err* ]]
	expect_eq state "$(state_of cc)" exited
	expect_eq ExitCode "$(berth inspect -f '{{.State.ExitCode}}' cc)" 4
	run berth start cc
	expect_status 0
	expect_eq "start prints" "$output" cc
}

@test "create -i then start -a -i feeds stdin" {
	berth create -i --name ci busybox sh -c 'read x; echo got:$x' >/dev/null
	run berth start -a -i ci <<<"hello"
	expect_status 0
	expect_eq output "$output" got:hello
}

@test "stop uses the stop signal: a trap in sh sees SIGTERM and sets the exit code" {
	berth run -d --name ss busybox sh -c 'trap "echo got TERM; exit 3" TERM; while :; do sleep 0.1; done' >/dev/null
	run berth stop ss
	expect_status 0
	expect_eq "stop prints" "$output" ss
	expect_eq ExitCode "$(berth inspect -f '{{.State.ExitCode}}' ss)" 3
	[[ $(berth logs ss) == *"got TERM"* ]]
	# --stop-signal
	berth run -d --name uu --stop-signal USR1 busybox sh -c 'trap "exit 5" USR1; while :; do sleep 0.1; done' >/dev/null
	berth stop uu
	expect_eq "stop-signal exit" "$(berth inspect -f '{{.State.ExitCode}}' uu)" 5
	# stop -s overrides it
	berth run -d --name vv busybox sh -c 'trap "exit 6" USR2; while :; do sleep 0.1; done' >/dev/null
	berth stop -s USR2 vv
	expect_eq "stop -s exit" "$(berth inspect -f '{{.State.ExitCode}}' vv)" 6
}

@test "stop -t 1 sends SIGKILL after a second to a process ignoring the signal (137)" {
	berth run -d --name kk busybox sh -c 'trap "" TERM; while :; do sleep 0.1; done' >/dev/null
	start=$(date +%s%N)
	run berth stop -t 1 kk
	expect_status 0
	elapsed=$((($(date +%s%N) - start) / 1000000))
	[ "$elapsed" -ge 900 ] && [ "$elapsed" -lt 5000 ] || { echo "stop took ${elapsed} ms" >&2; false; }
	expect_eq ExitCode "$(berth inspect -f '{{.State.ExitCode}}' kk)" 137
	run berth ps -a --format '{{.Status}}'
	[[ $output == "Exited (137)"* ]]
	# --stop-timeout of run is used by stop without -t
	berth run -d --name k2 --stop-timeout 1 busybox sh -c 'trap "" TERM; while :; do sleep 0.1; done' >/dev/null
	start=$(date +%s%N)
	berth stop k2
	elapsed=$((($(date +%s%N) - start) / 1000000))
	[ "$elapsed" -lt 5000 ] || { echo "stop with --stop-timeout 1 took ${elapsed} ms" >&2; false; }
	expect_eq ExitCode "$(berth inspect -f '{{.State.ExitCode}}' k2)" 137
}

@test "kill sends SIGKILL by default; kill -s sends a signal the container traps" {
	berth run -d --name tt busybox sh -c 'trap "echo got HUP" HUP; while :; do sleep 0.1; done' >/dev/null
	run berth kill -s HUP tt
	expect_status 0
	wait_for 5 eval '[[ $(berth logs tt) == *"got HUP"* ]]'
	expect_eq state "$(state_of tt)" running
	run berth kill tt
	expect_status 0
	wait_for 5 is_state tt exited
	expect_eq ExitCode "$(berth inspect -f '{{.State.ExitCode}}' tt)" 137
	run --separate-stderr berth kill tt
	[ "$status" -ne 0 ]
	assert_error_line
	[[ $stderr == *"is not running"* ]]
}

@test "restart restarts a running container and a stopped one" {
	id=$(berth run -d --name rr busybox sleep 30)
	pid1=$(jq -r .pid "$ROOT/containers/$id/container.json")
	# right after run -d (a second later it works: a race)
	run berth restart -t 1 rr
	expect_status 0
	expect_eq state "$(state_of rr)" running
	pid2=$(berth inspect -f '{{.State.Pid}}' rr)
	[ "$pid1" != "$pid2" ]
	berth stop -t 0 rr >/dev/null
	berth restart rr >/dev/null
	expect_eq state "$(state_of rr)" running
}

@test "pause freezes the container, unpause thaws it; ps shows Paused" {
	berth run -d --name pp busybox sh -c 'while :; do date +%s%N > /tmp/tick; sleep 0.05; done' >/dev/null
	run berth pause pp
	expect_status 0
	expect_eq state "$(state_of pp)" paused
	expect_eq Paused "$(berth inspect -f '{{.State.Paused}}' pp)" true
	[[ $(berth ps --format '{{.Status}}') == *"(Paused)" ]]
	a=$(cat "$(berth inspect -f '{{.GraphDriver.Data.MergedDir}}' pp)/tmp/tick")
	sleep 0.4
	b=$(cat "$(berth inspect -f '{{.GraphDriver.Data.MergedDir}}' pp)/tmp/tick")
	expect_eq "tick while paused" "$b" "$a"
	run --separate-stderr berth exec pp true
	[ "$status" -ne 0 ]
	run berth unpause pp
	expect_status 0
	expect_eq state "$(state_of pp)" running
	sleep 0.4
	c=$(cat "$(berth inspect -f '{{.GraphDriver.Data.MergedDir}}' pp)/tmp/tick")
	[ "$c" != "$a" ]
	# a paused container can be removed with -f
	berth pause pp
	berth rm -f pp
	[ "$(container_count)" -eq 0 ]
}

@test "wait blocks until the container exits and prints its exit code" {
	berth run -d --name ww busybox sh -c 'sleep 1; exit 9' >/dev/null
	run berth wait ww
	expect_status 0
	expect_eq "wait output" "$output" 9
	run berth wait ww
	expect_eq "wait on exited" "$output" 9
}

@test "rename changes the name; the old name is free and the new one is taken" {
	berth run -d --name old busybox sleep 30 >/dev/null
	id=$(cid old)
	run berth rename old new
	expect_status 0
	expect_eq id "$(cid new)" "$id"
	expect_eq Name "$(berth inspect -f '{{.Name}}' new)" /new
	run berth inspect old
	[ "$status" -ne 0 ]
	berth create --name old busybox true >/dev/null
	run --separate-stderr berth rename new old
	expect_status 1
	assert_error_line
}

@test "attach streams a running container's output and returns its exit code" {
	berth run -d --name aa busybox sh -c 'sleep 1; echo late; exit 3' >/dev/null
	run berth attach aa
	expect_status 3
	[[ $output == *late* ]]
}

@test "run -d prints the id; run --rm removes the container when it exits" {
	run berth run -d busybox true
	expect_status 0
	[[ $output =~ ^[0-9a-f]{64}$ ]]
	run berth run --rm --name gone busybox true
	expect_status 0
	run berth inspect gone
	[ "$status" -ne 0 ]
	berth run -d --rm --name gone2 busybox sh -c 'sleep 0.5' >/dev/null
	wait_for 10 eval '! berth inspect gone2 >/dev/null 2>&1'
}

@test "restart on-failure:2 restarts twice, then stays exited (RestartCount 2)" {
	berth run -d --name of --restart on-failure:2 busybox sh -c 'exit 3' >/dev/null
	wait_for 20 eval '[ "$(berth inspect -f "{{.RestartCount}} {{.State.Status}}" of)" = "2 exited" ]'
	sleep 1
	expect_eq "RestartCount" "$(berth inspect -f '{{.RestartCount}}' of)" 2
	expect_eq ExitCode "$(berth inspect -f '{{.State.ExitCode}}' of)" 3
	berth inspect of | jq -e '.[0].HostConfig.RestartPolicy == {"Name": "on-failure", "MaximumRetryCount": 2}'
	# on-failure does not restart a success
	berth run -d --name ok --restart on-failure busybox true >/dev/null
	sleep 1
	expect_eq "RestartCount (exit 0)" "$(berth inspect -f '{{.RestartCount}}' ok)" 0
}

@test "restart always restarts until stop; stop ends it for good" {
	berth run -d --name al --restart always busybox sh -c 'sleep 0.2; exit 0' >/dev/null
	wait_for 20 eval '[ "$(berth inspect -f "{{.RestartCount}}" al)" -ge 2 ]'
	run berth stop -t 1 al
	expect_status 0
	n=$(berth inspect -f '{{.RestartCount}}' al)
	sleep 1.5
	expect_eq state "$(state_of al)" exited
	expect_eq "no restart after stop" "$(berth inspect -f '{{.RestartCount}}' al)" "$n"
}

@test "restart unless-stopped restarts a failing container; stop ends it" {
	berth run -d --name us --restart unless-stopped busybox sh -c 'sleep 0.2; exit 1' >/dev/null
	wait_for 20 eval '[ "$(berth inspect -f "{{.RestartCount}}" us)" -ge 1 ]'
	berth stop -t 1 us >/dev/null
	sleep 1
	expect_eq state "$(state_of us)" exited
	berth inspect us | jq -e '.[0].HostConfig.RestartPolicy.Name == "unless-stopped"'
}

@test "kill -9 of the monitor: ps says Exited (137), State.Error names the monitor, rootfs unmounted" {
	berth run -d --name mk busybox sleep 100 >/dev/null
	id=$(cid mk)
	mpid=$(jq -r .monitorPid "$ROOT/containers/$id/container.json")
	cpid=$(berth inspect -f '{{.State.Pid}}' mk)
	[[ $mpid =~ ^[1-9][0-9]*$ ]]
	# the monitor this test's berth started (checked by its command line)
	tr '\0' ' ' <"/proc/$mpid/cmdline" | grep -q "$ROOT"
	kill -9 "$mpid"
	wait_for 5 eval '! kill -0 '"$mpid"' 2>/dev/null'
	run berth ps -a --format '{{.Names}} {{.Status}}'
	[[ $output == "mk Exited (137)"* ]] || { echo "ps: $output" >&2; false; }
	run berth inspect mk
	jq -e '.[0].State | .Status == "exited" and .ExitCode == 137 and (.Error | test("monitor"))' <<<"$output"
	wait_for 5 eval '[ -z "$(mounts_under "$ROOT/containers/$id")" ]'
	# the container's process is gone too
	! kill -0 "$cpid" 2>/dev/null || [ "$(tr '\0' ' ' </proc/"$cpid"/cmdline)" != "sleep 100 " ]
	# and it can be started again
	run berth start mk
	expect_status 0
	expect_eq state "$(state_of mk)" running
}

@test "twenty parallel run -d give twenty distinct running containers" {
	for i in $(seq 1 20); do berth run -d busybox sleep 60 >"$WORK/id.$i" 2>"$WORK/err.$i" & done
	wait
	cat "$WORK"/err.* >&2
	[ "$(cat "$WORK"/id.* | sort -u | grep -cE '^[0-9a-f]{64}$')" -eq 20 ]
	[ "$(berth ps -q | wc -l)" -eq 20 ]
	[ "$(berth ps -a --filter status=running -q | wc -l)" -eq 20 ]
	[ "$(berth ps -a --format '{{.Names}}' | sort -u | wc -l)" -eq 20 ]
}

@test "twenty parallel create --name same: one wins, nineteen fail with 125" {
	for i in $(seq 1 20); do
		(rc=0; berth create --name same busybox true >/dev/null 2>"$WORK/err.$i" || rc=$?; echo $rc >"$WORK/rc.$i") &
	done
	wait
	for i in $(seq 1 20); do echo "rc $(cat "$WORK/rc.$i"): $(cat "$WORK/err.$i")"; done | sort | uniq -c >&2
	[ "$(grep -lx 0 "$WORK"/rc.* | wc -l)" -eq 1 ]
	[ "$(grep -lx 125 "$WORK"/rc.* | wc -l)" -eq 19 ]
	[ "$(container_count)" -eq 1 ]
	# each loser says why: docker's conflict message
	[ "$(grep -l 'Error: conflict: the container name "/same" is already in use by container' "$WORK"/err.* | wc -l)" -eq 19 ]
	[ -z "$(ls "$ROOT/tmp" 2>/dev/null)" ]
}

@test "ctrl-p ctrl-q detaches from run -it and leaves the container running" {
	start=$(date +%s%N)
	run berth_tty 'run -it --name det busybox sh' < <(sleep 1.5; printf '\020\021'; sleep 3)
	expect_status 0
	elapsed=$((($(date +%s%N) - start) / 1000000))
	# detached at 1.5 s, not at the end of the input (4.5 s)
	[ "$elapsed" -lt 4000 ] || { echo "run -it returned after ${elapsed} ms: no detach" >&2; false; }
	expect_eq state "$(state_of det)" running
}

@test "--init forwards the stop signal to the command and reaps zombies" {
	berth run -d --name ti --init busybox sleep 60 >/dev/null
	start=$(date +%s%N)
	berth stop ti >/dev/null
	elapsed=$((($(date +%s%N) - start) / 1000000))
	[ "$elapsed" -lt 3000 ] || { echo "stop of --init sleep took ${elapsed} ms" >&2; false; }
	expect_eq ExitCode "$(berth inspect -f '{{.State.ExitCode}}' ti)" 143
	berth inspect ti | jq -e '.[0].HostConfig.Init == true'
	# an orphan's zombie is reaped by the init
	run berth run --rm --init busybox sh -c '(sleep 0.1 &) ; sleep 0.5; ps -o stat,comm | grep -c "^Z" || true'
	expect_eq zombies "${lines[-1]}" 0
}
