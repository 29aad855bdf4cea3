#!/usr/bin/env bats
# linux.resources and linux.cgroupsPath on this host's cgroup v1 hierarchies.

load helpers

cg() { echo "/sys/fs/cgroup/$1/$CG_PARENT/c1"; }

@test "memory limit: on the host under the cgroupsPath and inside the container" {
	cfg '.linux.resources.memory = {"limit": 67108864}'
	args /probe read /sys/fs/cgroup/memory/memory.limit_in_bytes
	create c1
	[ "$(cat "$(cg memory)/memory.limit_in_bytes")" = 67108864 ]
	pid=$(cat "$E2E_TMP/c1.pid")
	grep -qx "$pid" "$(cg memory)/cgroup.procs"
	rt start c1
	wait_status c1 stopped
	[ "$(cat "$E2E_TMP/c1.out")" = 67108864 ]
}

@test "cpu shares, quota and period" {
	cfg '.linux.resources.cpu = {"shares": 512, "quota": 50000, "period": 100000}'
	args /probe sleep 30
	create c1
	[ "$(cat "$(cg cpu)/cpu.shares")" = 512 ]
	[ "$(cat "$(cg cpu)/cpu.cfs_quota_us")" = 50000 ]
	[ "$(cat "$(cg cpu)/cpu.cfs_period_us")" = 100000 ]
}

@test "pids limit" {
	cfg '.linux.resources.pids = {"limit": 42}'
	args /probe sleep 30
	create c1
	[ "$(cat "$(cg pids)/pids.max")" = 42 ]
}

@test "pids limit is enforced inside" {
	cfg '.linux.resources.pids = {"limit": 3}'
	# sh + 2 children fill the limit; the third fork fails.
	sh_run '/probe sleep 5 & /probe sleep 5 & /probe pid; echo rc=$?'
	[[ "$output" == *"rc="[1-9]* ]] || [[ "$output" == *"can't fork"* ]] || [[ "$output" == *"Resource temporarily unavailable"* ]]
}

@test "cpuset cpus and mems" {
	cfg '.linux.resources.cpu = {"cpus": "0", "mems": "0"}'
	args /probe sleep 30
	create c1
	[ "$(cat "$(cg cpuset)/cpuset.cpus")" = 0 ]
	[ "$(cat "$(cg cpuset)/cpuset.mems")" = 0 ]
}

@test "the init is in the container's cgroup in every hierarchy" {
	args /probe sleep 30
	create c1
	pid=$(cat "$E2E_TMP/c1.pid")
	for ctrl in memory cpu pids cpuset devices freezer blkio; do
		grep -qx "$pid" "$(cg "$ctrl")/cgroup.procs" || { echo "not in $ctrl" >&2; false; }
	done
}

@test "the cgroup is gone after delete" {
	cfg '.linux.resources.memory = {"limit": 67108864} | .linux.resources.pids = {"limit": 42}'
	args /probe sleep 30
	create c1
	rt start c1
	[ -d "$(cg memory)" ]
	rt delete --force c1
	for d in /sys/fs/cgroup/*/"$CG_PARENT"/c1; do
		[ ! -d "$d" ] || { echo "left: $d" >&2; false; }
	done
}

@test "the cgroup is gone after a stopped container is deleted" {
	args /probe exit 0
	create c1
	rt start c1
	wait_status c1 stopped
	rt delete c1
	for d in /sys/fs/cgroup/*/"$CG_PARENT"/c1; do
		[ ! -d "$d" ] || { echo "left: $d" >&2; false; }
	done
}
