#!/usr/bin/env bats
# berth run: what the container sees from inside (identity, capabilities, cgroups, mounts,
# user, environment), each test on its own --root with busybox:latest loaded.

load helpers

@test "run: hostname is the 12-char id prefix, /etc/hosts has it, pid 1 is the command" {
	run berth run --name ident busybox sh -c 'hostname; grep -c "$(hostname)" /etc/hosts; cat /proc/1/cmdline | tr "\0" " "'
	expect_status 0
	id=$(cid ident)
	expect_eq hostname "${lines[0]}" "${id:0:12}"
	[ "${lines[1]}" -ge 1 ]
	expect_eq "pid 1" "${lines[2]}" "sh -c hostname; grep -c \"\$(hostname)\" /etc/hosts; cat /proc/1/cmdline | tr \"\\0\" \" \" "
	expect_eq "inspect Config.Hostname" "$(berth inspect -f '{{.Config.Hostname}}' ident)" "${id:0:12}"
}

@test "run -h/--hostname sets the hostname and /etc/hosts" {
	run berth run --rm -h myhost busybox sh -c 'hostname; grep -E "[[:space:]]myhost$" /etc/hosts'
	expect_status 0
	expect_eq hostname "${lines[0]}" myhost
	[ "${#lines[@]}" -eq 2 ]
	run berth run --rm --hostname other busybox hostname
	expect_eq hostname "$output" other
}

@test "run: default capabilities are docker's set (CapEff 00000000a80425fb)" {
	run berth run --rm busybox grep -E '^Cap(Eff|Prm|Bnd):' /proc/self/status
	expect_status 0
	[ "${lines[0]}" = $'CapPrm:\t00000000a80425fb' ]
	[ "${lines[1]}" = $'CapEff:\t00000000a80425fb' ]
	[ "${lines[2]}" = $'CapBnd:\t00000000a80425fb' ]
}

@test "run --privileged gives every capability berth itself has" {
	want=$(awk '/^CapBnd:/ { print $2 }' /proc/self/status)
	run --separate-stderr berth run --rm --privileged busybox grep '^CapEff:' /proc/self/status
	expect_status 0
	expect_eq CapEff "$output" "CapEff:	$want"
}

@test "run --cap-drop ALL leaves none; --cap-add adds one back" {
	run berth run --rm --cap-drop ALL busybox grep '^CapEff:' /proc/self/status
	expect_status 0
	[ "$output" = $'CapEff:\t0000000000000000' ]
	run berth run --rm --cap-drop ALL --cap-add NET_ADMIN busybox grep '^CapEff:' /proc/self/status
	[ "$output" = $'CapEff:\t0000000000001000' ]
	# docker's default minus CHOWN (bit 0)
	run berth run --rm --cap-drop chown busybox grep '^CapEff:' /proc/self/status
	[ "$output" = $'CapEff:\t00000000a80425fa' ]
	run berth run --rm --cap-drop ALL busybox chown 1:1 /tmp
	[ "$status" -ne 0 ]
}

memory_limit_file() {
	echo 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max'
}

@test "run -m: the memory limit is visible inside; --memory-swap too" {
	run berth run --rm -m 6m busybox sh -c "$(memory_limit_file)"
	expect_status 0
	expect_eq limit "$output" 6291456
	run berth run --rm --memory 10m --memory-swap 20m busybox sh -c \
		'cat /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes 2>/dev/null || echo $((10485760 + $(cat /sys/fs/cgroup/memory.swap.max)))'
	expect_status 0
	expect_eq memsw "$output" 20971520
	run berth run -d --name lim -m 8m busybox sleep 30
	expect_eq HostConfig.Memory "$(berth inspect -f '{{.HostConfig.Memory}}' lim)" 8388608
}

@test "run --cpus, --cpu-shares, --cpuset-cpus, --pids-limit land in the cgroups" {
	run berth run --rm --cpus 0.5 --cpu-shares 512 --cpuset-cpus 0 --pids-limit 10 busybox sh -c '
		cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us \
			/sys/fs/cgroup/cpu/cpu.shares /sys/fs/cgroup/cpuset/cpuset.cpus /sys/fs/cgroup/pids/pids.max'
	expect_status 0
	expect_eq quota "${lines[0]}" 50000
	expect_eq period "${lines[1]}" 100000
	expect_eq shares "${lines[2]}" 512
	expect_eq cpuset "${lines[3]}" 0
	expect_eq pids "${lines[4]}" 10
	run berth run --rm -c 256 busybox cat /sys/fs/cgroup/cpu/cpu.shares
	expect_eq "-c" "$output" 256
}

@test "run --pids-limit stops a fork bomb at the limit" {
	run berth run --rm --pids-limit 5 busybox sh -c 'for i in 1 2 3 4 5 6 7 8; do sleep 5 & done; wait'
	[[ $output == *"fork"* || $output == *"Resource temporarily unavailable"* || $output == *"can't"* ]]
}

@test "run --ulimit nofile=100:200" {
	run berth run --rm --ulimit nofile=100:200 busybox sh -c 'ulimit -n; ulimit -Hn'
	expect_status 0
	expect_eq soft "${lines[0]}" 100
	expect_eq hard "${lines[1]}" 200
}

@test "run --read-only: touch /x fails; --tmpfs still writable" {
	run berth run --rm --read-only busybox touch /x
	[ "$status" -ne 0 ]
	[[ $output == *"Read-only file system"* ]]
	run berth run --rm --read-only --tmpfs /scratch busybox sh -c 'touch /scratch/x && echo ok'
	expect_status 0
	expect_eq tmpfs "$output" ok
}

@test "run --tmpfs and --mount type=tmpfs mount a tmpfs with the options" {
	run berth run --rm --tmpfs /run:size=1m busybox grep ' /run ' /proc/mounts
	expect_status 0
	[[ $output == "tmpfs /run tmpfs "*size=1024k* ]]
	run berth run --rm --mount type=tmpfs,destination=/t,tmpfs-size=2m busybox grep ' /t ' /proc/mounts
	expect_status 0
	[[ $output == "tmpfs /t tmpfs "*size=2048k* ]]
}

@test "run -u 1000:1000 and -u name; -w sets the working directory (created if missing)" {
	run berth run --rm -u 1000:1000 busybox id
	expect_status 0
	[[ $output == "uid=1000"*" gid=1000"* ]]
	run berth run --rm --user 12345 busybox id -u
	expect_eq uid "$output" 12345
	run berth run --rm -u nobody busybox id -un
	expect_eq user "$output" nobody
	run berth run --rm -w /tmp busybox pwd
	expect_eq pwd "$output" /tmp
	run berth run --rm --workdir /new/dir busybox pwd
	expect_status 0
	expect_eq pwd "$output" /new/dir
}

@test "run --entrypoint replaces the entrypoint; arguments follow" {
	run berth run --rm --entrypoint echo busybox hi there
	expect_status 0
	expect_eq output "$output" "hi there"
	run berth run --name ep --entrypoint /bin/echo busybox x
	expect_eq Path "$(berth inspect -f '{{.Path}}' ep)" /bin/echo
	expect_eq Entrypoint "$(berth inspect ep | jq -c '.[0].Config.Entrypoint')" '["/bin/echo"]'
}

@test "run: env precedence image < --env-file < -e; HOSTNAME and PATH are set" {
	berth run --name base busybox true
	berth commit -c 'ENV A=image B=image C=image' base envimg >/dev/null
	printf '# a comment\nB=file\nC=file\n\nE=with spaces and = sign\n' >"$WORK/env"
	run berth run --rm --env-file "$WORK/env" -e C=cli -e F=flag envimg env
	expect_status 0
	grep -qx A=image <<<"$output"
	grep -qx B=file <<<"$output"
	grep -qx C=cli <<<"$output"
	grep -qx F=flag <<<"$output"
	grep -qx 'E=with spaces and = sign' <<<"$output"
	grep -q '^HOSTNAME=' <<<"$output"
	grep -q '^PATH=' <<<"$output"
}

@test "run: -e NAME and an env-file NAME without a value take the host's value (docker)" {
	printf 'FROMFILE\n' >"$WORK/env"
	FROMHOST=hostvalue FROMFILE=filevalue run berth run --rm -e FROMHOST --env-file "$WORK/env" busybox env
	expect_status 0
	grep -qx FROMHOST=hostvalue <<<"$output"
	grep -qx FROMFILE=filevalue <<<"$output"
}

@test "run: HOME is /root for root and from /etc/passwd for a user (docker)" {
	run berth run --rm busybox sh -c 'echo $HOME'
	expect_eq HOME "$output" /root
}

@test "run --init: pid 1 is tini (/sbin/init-berth) and the command is its child" {
	run berth run --rm --init busybox sh -c 'cat /proc/1/cmdline | tr "\0" " "; echo; echo $$'
	expect_status 0
	[[ ${lines[0]} == "/sbin/init-berth "* ]]
	[ "${lines[1]}" != 1 ]
	run berth run --rm --init busybox sh -c 'exit 7'
	expect_status 7
}

@test "run --security-opt no-new-privileges, seccomp=unconfined, seccomp=FILE" {
	run berth run --rm busybox grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status
	[ "${lines[0]}" = $'NoNewPrivs:\t0' ] && [ "${lines[1]}" = $'Seccomp:\t2' ]
	run berth run --rm --security-opt no-new-privileges busybox grep '^NoNewPrivs:' /proc/self/status
	[ "$output" = $'NoNewPrivs:\t1' ]
	run berth run --rm --security-opt seccomp=unconfined busybox grep '^Seccomp:' /proc/self/status
	[ "$output" = $'Seccomp:\t0' ]
	# A profile that refuses mkdir with EPERM (and allows the rest).
	cat >"$WORK/seccomp.json" <<-'EOF'
	{"defaultAction": "SCMP_ACT_ALLOW",
	 "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}
	EOF
	run berth run --rm --security-opt "seccomp=$WORK/seccomp.json" busybox mkdir /newdir
	[ "$status" -ne 0 ]
	[[ $output == *"Operation not permitted"* ]]
	run berth run --rm --security-opt "seccomp=$WORK/seccomp.json" busybox true
	expect_status 0
}

@test "run --network none has only lo; --network host sees the host's interfaces" {
	run berth run --rm --network none busybox ls /sys/class/net
	expect_status 0
	expect_eq interfaces "$output" lo
	# The host's own interfaces (other tests may add and remove bridges meanwhile: compare
	# the ones that stay, lo and the default route's).
	local uplink
	uplink=$(ip route show default | awk '{ for (i = 1; i < NF; i++) if ($i == "dev") { print $(i + 1); exit } }')
	run berth run --rm --network host busybox sh -c 'ls /sys/class/net; echo "hostname=$(hostname)"'
	expect_status 0
	[[ " ${lines[*]} " == *" lo "* ]]
	[ -z "$uplink" ] || [[ " ${lines[*]} " == *" $uplink "* ]]
	expect_eq "host hostname" "${lines[-1]}" "hostname=$(hostname)"
}

@test "run --label and --stop-signal/--stop-timeout are recorded in inspect" {
	berth run -d --name lab -l team=a --label tier=db --stop-signal SIGUSR1 --stop-timeout 3 busybox sleep 30 >/dev/null
	run berth inspect lab
	expect_status 0
	jq -e '.[0].Config | .Labels.team == "a" and .Labels.tier == "db" and .StopSignal == "SIGUSR1" and .StopTimeout == 3' <<<"$output"
	expect_eq "container inspect" "$(berth container inspect -f '{{.State.Status}}' lab)" running
}

@test "run: exit codes are the container's own, 126 and 127 for a command that cannot run" {
	run berth run --rm busybox sh -c 'exit 42'
	expect_status 42
	run -127 --separate-stderr berth run --rm busybox nosuchcommand
	expect_status 127
	assert_error_line
	run --separate-stderr berth run --rm busybox /etc
	expect_status 126
	assert_error_line
	[ "$(container_count)" -eq 0 ]
}

@test "run -i passes stdin; without -i the container's stdin is empty" {
	run berth run --rm -i busybox sh -c 'cat; echo done' <<<"from stdin"
	expect_status 0
	expect_eq stdin "${lines[0]}" "from stdin"
	run berth run --rm busybox sh -c 'cat; echo done' <<<"from stdin"
	expect_eq "no stdin" "$output" done
}

@test "run -t: the container has a terminal of the caller's size" {
	run berth_tty 'run --rm -t busybox sh -c "tty; stty size"'
	expect_status 0
	[[ ${lines[0]} == /dev/pts/* ]]
	[[ ${lines[1]} == "30 100"* ]]
}

@test "run -it: input from the terminal reaches the shell" {
	run berth_tty 'run --rm -it busybox sh -c "read line; echo got:\$line"' < <(sleep 1; echo hello; sleep 2)
	expect_status 0
	[[ $output == *"got:hello"* ]]
}
