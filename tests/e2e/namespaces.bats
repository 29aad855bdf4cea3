#!/usr/bin/env bats
# New and joined namespaces, sysctls, user namespace mappings, time offsets.

load helpers

@test "network namespace: only the loopback device" {
	sh_run 'ip -o link'
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == *": lo: "* ]]
}

@test "sysctl: net.ipv4.ip_forward=1 in the container's network namespace" {
	cfg '.linux.sysctl = {"net.ipv4.ip_forward": "1"}'
	host_before=$(cat /proc/sys/net/ipv4/ip_forward)
	probe_run sysctl net.ipv4.ip_forward
	[ "$status" -eq 0 ]
	[ "$output" = 1 ]
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$host_before" ]
}

@test "sysctl: kernel.domainname in the container's uts namespace" {
	cfg '.linux.sysctl = {"kernel.domainname": "sysctl.example"}'
	probe_run sysctl kernel.domainname
	[ "$status" -eq 0 ]
	[ "$output" = sysctl.example ]
}

@test "ipc namespace: a private System V IPC namespace" {
	probe_run read /proc/sysvipc/shm
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ] # the header only
}

@test "join an existing network namespace by path" {
	ns=berth-e2e-$BASHPID
	NETNS_NAMES+=("$ns")
	ip netns add "$ns"
	cfg --arg p "/var/run/netns/$ns" '.linux.namespaces |= map(if .type == "network" then .path = $p else . end)'
	sh_run 'readlink /proc/self/ns/net'
	[ "$status" -eq 0 ]
	[ "$output" = "net:[$(stat -L -c %i "/var/run/netns/$ns")]" ]
}

@test "join another container's uts namespace by path" {
	cfg '.hostname = "first-host"'
	args /probe sleep 30
	create c1
	pid=$(cat "$E2E_TMP/c1.pid")
	cfg --arg p "/proc/$pid/ns/uts" 'del(.hostname) | .linux.namespaces |= map(if .type == "uts" then .path = $p else . end)'
	probe_run hostname
	[ "$status" -eq 0 ]
	[ "$output" = first-host ]
}

@test "user namespace: uid/gid maps, container root is host uid 100000" {
	chown 100000:100000 "$SHARED"
	cfg --arg s "$SHARED" '
		.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .mounts |= map(select(.destination != "/sys/fs/cgroup"))
		| .mounts += [{"destination": "/shared", "type": "bind", "source": $s, "options": ["rbind", "rw"]}]'
	sh_run 'cat /proc/self/uid_map /proc/self/gid_map; /probe ids; /probe write /shared/owned'
	[ "$status" -eq 0 ]
	[ "$(awk '{print $1, $2, $3}' <<<"${lines[0]}")" = "0 100000 65536" ]
	[ "$(awk '{print $1, $2, $3}' <<<"${lines[1]}")" = "0 100000 65536" ]
	[ "${lines[2]}" = "uid=0 euid=0 gid=0 egid=0 groups=" ]
	[ "${lines[3]}" = ok ]
	[ "$(stat -c %u:%g "$SHARED/owned")" = 100000:100000 ]
}

@test "user namespace: uid mappings need a user namespace" {
	is_runc && skip "runc 1.1.5: accepts uidMappings without a user namespace and ignores them"
	cfg '.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	run --separate-stderr create c1
	assert_one_line_error
	assert_clean c1
}

@test "time namespace: monotonic and boottime offsets" {
	is_runc && skip "runc 1.1.5: time namespaces are not supported (added in runc 1.2)"
	cfg '.linux.namespaces += [{"type": "time"}]
		| .linux.timeOffsets = {"monotonic": {"secs": 31536000, "nanosecs": 0}, "boottime": {"secs": 63072000, "nanosecs": 0}}'
	host_mono=$(awk '{print int($1)}' /proc/uptime)
	probe_run time
	[ "$status" -eq 0 ]
	mono=$(sed -E 's/monotonic=([0-9]+) .*/\1/' <<<"$output")
	boot=$(sed -E 's/.*boottime=([0-9]+)/\1/' <<<"$output")
	[ "$mono" -ge $((31536000)) ]
	[ "$boot" -ge $((63072000 + host_mono)) ]
}

@test "cgroup namespace: rooted at the container's own cgroup" {
	cfg '.linux.namespaces += [{"type": "cgroup"}]'
	sh_run 'cat /proc/self/cgroup'
	[ "$status" -eq 0 ]
	echo "$output"
	# Every hierarchy shows the container's cgroup as the root.
	[ -z "$(awk -F: '$3 != "/"' <<<"$output")" ]
	[ -n "$(grep ':memory:/$' <<<"$output")" ]
}

@test "no cgroup namespace: the host's path of the container's cgroup is visible" {
	sh_run 'cat /proc/self/cgroup'
	[ "$status" -eq 0 ]
	[ -n "$(grep ":memory:/$CG_PARENT/" <<<"$output")" ]
}
