#!/usr/bin/env bats
# exec (-i -t -d -e -u -w), logs (-f -n/--tail --since --until -t), json-file rotation,
# top, stats; each test on its own --root.

load helpers

@test "exec runs in the container's namespaces with -e, -u, -w; exit code is the command's" {
	berth run -d --name ex busybox sleep 60 >/dev/null
	run berth exec -e FOO=bar -u 1000:1000 -w /tmp ex sh -c 'echo $FOO; id -u; id -g; pwd; hostname'
	expect_status 0
	expect_eq env "${lines[0]}" bar
	expect_eq uid "${lines[1]}" 1000
	expect_eq gid "${lines[2]}" 1000
	expect_eq pwd "${lines[3]}" /tmp
	id=$(cid ex)
	expect_eq hostname "${lines[4]}" "${id:0:12}"
	# pid 1 is still the container's command, seen from the exec
	run berth exec ex sh -c 'tr "\0" " " </proc/1/cmdline'
	expect_eq "pid 1" "$output" "sleep 60 "
	run berth exec ex sh -c 'exit 5'
	expect_status 5
	# the exec keeps the container's environment
	run berth exec ex sh -c 'echo $HOSTNAME'
	expect_eq HOSTNAME "$output" "${id:0:12}"
}

@test "exec of a missing command is 127, of a directory 126, with one error line" {
	berth run -d --name ex busybox sleep 60 >/dev/null
	# Without a terminal the runtime's stderr is the command's own: its error line is the one
	# line (docker prints the daemon's "OCI runtime exec failed: ..." the same way).
	run -127 --separate-stderr berth exec ex nosuch
	expect_status 127
	[ "${#stderr_lines[@]}" -eq 1 ] && [[ $stderr == *'"nosuch": executable file not found'* ]]
	run --separate-stderr berth exec ex /etc
	expect_status 126
	[ "${#stderr_lines[@]}" -eq 1 ] && [[ $stderr == *'/etc'* ]]
	expect_eq state "$(state_of ex)" running
}

@test "exec -i passes stdin, -d returns at once and runs in the background" {
	berth run -d --name ex busybox sleep 60 >/dev/null
	run berth exec -i ex sh -c 'cat | tr a-z A-Z' <<<"shout"
	expect_status 0
	expect_eq stdin "$output" SHOUT
	run berth exec -d ex sh -c 'sleep 0.3; touch /tmp/bg'
	expect_status 0
	[ ! -e "$(berth inspect -f '{{.GraphDriver.Data.MergedDir}}' ex)/tmp/bg" ]
	wait_for 5 berth exec ex test -e /tmp/bg
}

@test "exec -t gets a terminal; exec -it runs an interactive shell" {
	berth run -d --name ex busybox sleep 60 >/dev/null
	run berth_tty 'exec -t ex sh -c "tty; stty size"'
	expect_status 0
	[[ $output != *'^@'* ]] || { echo "stray ^@ (a NUL echoed by the terminal) in: $output" >&2; false; }
	[[ ${lines[0]} == /dev/pts/* ]]
	[[ ${lines[1]} == "30 100"* ]]
	run berth_tty 'exec -it ex sh -c "read l; echo got:\$l"' < <(sleep 1; echo typed; sleep 1.5)
	expect_status 0
	[[ $output == *got:typed* ]]
}

@test "exec into a stopped container fails with docker's message and creates nothing" {
	berth run --name st busybox true
	id=$(cid st)
	before=$(find "$ROOT" | sort)
	run --separate-stderr berth exec st echo hi
	[ "$status" -ne 0 ]
	expect_status 1
	assert_error_line
	[[ $stderr == *"is not running"* ]]
	[ -z "$output" ]
	expect_eq "files after a failed exec" "$(find "$ROOT" | sort)" "$before"
	expect_eq state "$(state_of st)" exited
	# and into a created container
	berth create --name cr busybox true >/dev/null
	run --separate-stderr berth exec cr echo hi
	expect_status 1
	[[ $stderr == *"is not running"* ]]
}

@test "logs keeps stdout and stderr apart; -n/--tail, -t, --since, --until" {
	berth run --name lg busybox sh -c 'for i in 1 2 3 4 5; do echo line$i; done; echo oops >&2' >/dev/null 2>&1
	run --separate-stderr berth logs lg
	expect_status 0
	expect_eq stdout "$output" "$(printf 'line%s\n' 1 2 3 4 5)"
	expect_eq stderr "$stderr" oops
	run --separate-stderr berth logs -n 2 lg
	expect_eq "-n 2" "$output" "$(printf 'line5\n')"
	run --separate-stderr berth logs --tail 3 lg
	expect_eq "--tail 3" "$output" "$(printf 'line4\nline5\n')"
	expect_eq "--tail 3 stderr" "$stderr" oops
	run --separate-stderr berth logs -t lg
	[[ ${lines[0]} =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z\ line1$ ]]
	[ "$(berth logs --since 10m lg 2>/dev/null | wc -l)" -eq 5 ]
	[ "$(berth logs --since 2099-01-01T00:00:00Z lg 2>/dev/null | wc -l)" -eq 0 ]
	[ "$(berth logs --until 2000-01-01T00:00:00Z lg 2>/dev/null | wc -l)" -eq 0 ]
	[ "$(berth logs --until 2099-01-01T00:00:00Z lg 2>/dev/null | wc -l)" -eq 5 ]
	# the json-file itself is docker's
	log=$(berth inspect -f '{{.LogPath}}' lg)
	head -n 1 "$log" | jq -e '.log == "line1\n" and .stream == "stdout" and (.time | test("Z$"))'
}

@test "logs -f follows and ends when the container exits" {
	berth run -d --name fl busybox sh -c 'echo first; sleep 1; echo second; sleep 0.5' >/dev/null
	start=$(date +%s)
	run berth logs -f fl
	expect_status 0
	expect_eq follow "$output" "$(printf 'first\nsecond')"
	[ $(($(date +%s) - start)) -lt 10 ]
	# on an exited container -f returns at once
	run timeout 5 "$BERTH" --root "$ROOT" logs -f fl
	expect_status 0
}

@test "log rotation: --log-opt max-size=1k max-file=2 leaves at most 2 files, the newest lines kept" {
	berth run --name rot --log-opt max-size=1k --log-opt max-file=2 busybox sh -c \
		'i=0; while [ $i -lt 300 ]; do echo "line number $i padding padding"; i=$((i+1)); done' >/dev/null
	log=$(berth inspect -f '{{.LogPath}}' rot)
	n=$(ls "$log"* | wc -l)
	[ "$n" -le 2 ] || { ls -l "$log"* >&2; false; }
	for f in "$log"*; do [ "$(stat -c %s "$f")" -le 2048 ]; done
	run berth logs rot
	expect_status 0
	expect_eq last "${lines[-1]}" "line number 299 padding padding"
	[ "${#lines[@]}" -lt 300 ]
	berth inspect rot | jq -e '.[0].HostConfig.LogConfig.Config == {"max-size": "1k", "max-file": "2"}'
}

@test "top lists the container's processes; stats --no-stream one line per container" {
	berth run -d --name tp busybox sh -c 'sleep 60' >/dev/null
	run berth top tp
	expect_status 0
	[[ ${lines[0]} == UID*PID*CMD* ]]
	grep -q 'sleep 60' <<<"$output"
	run berth stats --no-stream
	expect_status 0
	[[ ${lines[0]} == "CONTAINER ID"*"NAME"*"CPU %"*"MEM USAGE / LIMIT"* ]]
	[ "${#lines[@]}" -eq 2 ]
	[[ ${lines[1]} == "$(cid tp | cut -c1-12)"*tp* ]]
	run --separate-stderr berth top nope
	[ "$status" -ne 0 ]
	assert_error_line
}
