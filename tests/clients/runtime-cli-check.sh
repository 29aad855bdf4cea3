#!/bin/bash
# Berth copy of shared/clients/runtime-cli-check.sh (the project's shared client test material).
# CI must not depend on ../shared, so the set of scripts lives here; they find each other
# through lib.sh's CLIENTS_DIR (this directory). Changes from the shared original: none
# but this header. `make clients` runs the three *-check/*-with scripts (see README.md).
#
# runtime-cli-check.sh RUNTIME_BINARY
#
# Call an OCI runtime directly, the way conmon (podman) and containerd-shim-
# runc-v2 call it, and check the behaviour those managers rely on (see
# RUNTIME-CONTRACT.md). No manager is involved, so failures point at the
# runtime. Prints PASS/FAIL/INFO lines and "N passed, N failed"; exits 1 when
# a check failed, 2 on setup errors.
#
# Checked: --version; state/delete of unknown ids; create (the --root
# directory is created on demand, pid file format, "created" state, user
# process not started yet, container init re-parented to the caller's
# subreaper); start; pause/resume; exec --detach --process --pid-file;
# ps --format json; kill with a numeric signal; delete; delete --force of a
# running container; duplicate ids; --log/--log-format json error lines;
# --console-socket for create and for exec (SCM_RIGHTS pty master, window size
# from process.consoleSize, the pty belongs to the container's devpts).
#
# The bundle uses the busybox rootfs of make-test-images.sh; the runtime gets
# `--root $TMP/state` on every call; containers use the cgroup parent
# /clients-check-PID. Everything is removed at the end.
#
# Environment: HIDE_CGROUP2=1 (see make-hybrid-wrapper.sh), TRACE_DIR=DIR
# (log every call with make-runtime-logger.sh), IMAGES_DIR, KEEP_TMP=1.
# Debian packages: jq python3 catatonit util-linux coreutils.

# Container-side commands are written in single quotes on purpose:
# shellcheck disable=SC2016
set -uo pipefail
CLIENTS_SCRIPT=runtime-cli-check.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 RUNTIME_BINARY" >&2; exit 2; }
require_root
reexec_under_reaper "$@"
ensure_cmds jq jq python3 python3 timeout coreutils unshare util-linux
REAPER=$PPID   # catatonit, a child subreaper, like conmon and the shims

RUNTIME=$(readlink -f "$(command -v "$1" || echo "$1")")
[ -x "$RUNTIME" ] || die "$1: not an executable"
T=$(mktemp -d "${TMPDIR:-/tmp}/clients-check.XXXXXX") || die "mktemp failed"
CGP=clients-check-$$
ID=clients-chk-$$
STATE=$T/state          # deliberately not created: the runtime must mkdir it
IDS=()

cleanup() {
    set +e
    local id
    for id in "${IDS[@]}"; do "${R[@]}" delete --force "$id" >/dev/null 2>&1; done
    sleep 0.2
    umount_under "$T"
    rm_cgroup_tree "$CGP"
    if [ "${KEEP_TMP:-0}" = 1 ]; then log "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Wrappers keep the runtime's file name (in their own directories): podman
# decides some things by that name (see runtime_supports_json below).
RT=$RUNTIME
BASE=$(basename "$RUNTIME")
if [ "${HIDE_CGROUP2:-0}" = 1 ]; then
    mkdir -p "$T/v1"
    "$CLIENTS_DIR/make-hybrid-wrapper.sh" "$RT" "$T/v1/$BASE" >/dev/null || die "wrapper failed"
    RT=$T/v1/$BASE
fi
if [ -n "${TRACE_DIR:-}" ]; then
    mkdir -p "$T/trace"
    "$CLIENTS_DIR/make-runtime-logger.sh" "$RT" "$TRACE_DIR" "$T/trace/$BASE" >/dev/null ||
        die "logger failed"
    RT=$T/trace/$BASE
fi
R=("$RT" --root "$STATE")

IMAGES=${IMAGES_DIR:-$T/images}
if [ ! -f "$IMAGES/busybox-rootfs.tar" ]; then
    "$CLIENTS_DIR/make-test-images.sh" "$IMAGES" >/dev/null || die "make-test-images.sh failed"
fi
mkdir -p "$T/rootfs"
tar -C "$T/rootfs" -xf "$IMAGES/busybox-rootfs.tar" || die "cannot unpack the rootfs"

info() { printf 'INFO  %s\n' "$*"; }

# bundle NAME TERMINAL ARGS_JSON [EXTRA_JQ]: write $T/NAME/config.json, a
# small config in the style of `runc spec`, with a shared absolute rootfs.
bundle() {
    local name=$1 term=$2 args=$3 extra=${4:-.}
    mkdir -p "$T/$name"
    jq -n --argjson term "$term" --argjson args "$args" --arg root "$T/rootfs" \
          --arg cg "/$CGP/$name" '
      ["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FOWNER","CAP_FSETID","CAP_KILL",
       "CAP_NET_BIND_SERVICE","CAP_SETFCAP","CAP_SETGID","CAP_SETPCAP",
       "CAP_SETUID","CAP_SYS_CHROOT"] as $caps |
      {ociVersion: "1.0.2",
       process: {terminal: $term, user: {uid: 0, gid: 0}, args: $args,
                 env: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
                 cwd: "/", noNewPrivileges: true,
                 capabilities: {bounding: $caps, effective: $caps, permitted: $caps}},
       root: {path: $root, readonly: false},
       hostname: "clients-check",
       mounts: [
         {destination: "/proc", type: "proc", source: "proc"},
         {destination: "/dev", type: "tmpfs", source: "tmpfs",
          options: ["nosuid", "strictatime", "mode=755", "size=65536k"]},
         {destination: "/dev/pts", type: "devpts", source: "devpts",
          options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
         {destination: "/dev/shm", type: "tmpfs", source: "shm",
          options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
         {destination: "/dev/mqueue", type: "mqueue", source: "mqueue",
          options: ["nosuid", "noexec", "nodev"]},
         {destination: "/sys", type: "sysfs", source: "sysfs",
          options: ["nosuid", "noexec", "nodev", "ro"]}],
       linux: {namespaces: [{type: "pid"}, {type: "network"}, {type: "ipc"},
                            {type: "uts"}, {type: "mount"}],
               cgroupsPath: $cg,
               resources: {devices: [{allow: false, access: "rwm"}]},
               maskedPaths: ["/proc/kcore", "/proc/keys", "/sys/firmware"],
               readonlyPaths: ["/proc/sys", "/proc/sysrq-trigger"]}} | '"$extra" \
        > "$T/$name/config.json"
}

# pidfile_ok FILE: a decimal pid and nothing else (containerd's shim parses
# the whole file as an integer: a trailing newline makes it fail).
pidfile_ok() {
    local c
    [ -s "$1" ] || return 1
    c=$(cat "$1")
    [[ $c =~ ^[1-9][0-9]*$ ]] && [ "$(stat -c %s "$1")" -eq "${#c}" ]
}
state_field() { "${R[@]}" state "$1" 2>/dev/null | jq -r ".$2" 2>/dev/null; }
wait_state() {   # wait_state ID STATUS [SECONDS]
    local n=$(( ${3:-3} * 10 ))
    while [ "$n" -gt 0 ]; do
        [ "$(state_field "$1" status)" = "$2" ] && return 0
        sleep 0.1; n=$((n - 1))
    done
    return 1
}

# -------------------------------------------------------------------- basics
t "--version prints something" 0 '.' -- "$RT" --version

capture "${R[@]}" state "$ID-nope"
if [ "$T_RC" = 0 ]; then
    _fail "state of an unknown id: non-zero exit status" "$T_OUT"
else
    _pass "state of an unknown id: non-zero exit status"
    # podman treats the container as gone when this text appears
    grep -qiE 'does not exist|no such file' <<<"$T_OUT"
    verdict "state of an unknown id: message says 'does not exist'/'No such file'" $? "$T_OUT"
fi
if "${R[@]}" delete --force "$ID-nope" >/dev/null 2>&1; then
    info "delete --force of an unknown id exits 0 (as runc and crun do)"
else
    info "delete --force of an unknown id exits non-zero (runc and crun exit 0; podman and containerd tolerate both)"
fi

# ------------------------------------------------------------ create/start
C1=$ID-1; IDS+=("$C1")
bundle "$C1" false '["sh","-c","echo started > /tmp/started-'"$C1"'; trap \"exit 0\" TERM; while :; do sleep 0.1; done"]'
t_file "create (non-tty, --pid-file; --root dir did not exist)" 0 '' -- \
    "${R[@]}" create --bundle "$T/$C1" --pid-file "$T/$C1.pid" "$C1"
created=$T_RC
check "create: pid file holds just the pid, no newline" "content: $(od -c "$T/$C1.pid" 2>&1 | head -2)" -- \
    pidfile_ok "$T/$C1.pid"
pid=$(cat "$T/$C1.pid" 2>/dev/null)
check "create: state says created" "state: $("${R[@]}" state "$C1" 2>&1)" -- \
    test "$(state_field "$C1" status)" = created
state_json=$("${R[@]}" state "$C1" 2>/dev/null)
check "create: state pid equals the pid file" "state pid $(state_field "$C1" pid) vs ${pid:-none}" -- \
    jtrue "$state_json" '.pid == ($p | tonumber)' --arg p "${pid:-x}"
check "create: state has ociVersion, id, bundle" "state: $state_json" -- \
    jtrue "$state_json" '.ociVersion != null and .id == $id and .bundle == $b' \
        --arg id "$C1" --arg b "$T/$C1"
check "create: user process has not run yet" "create failed, or $T/rootfs/tmp/started-$C1 exists" -- \
    test "$created" = 0 -a ! -e "$T/rootfs/tmp/started-$C1"
check "create: container init is a child of the caller's subreaper" \
    "ppid of $pid is $(awk '/^PPid:/ {print $2}' "/proc/$pid/status" 2>/dev/null), want $REAPER" -- \
    test "$(awk '/^PPid:/ {print $2}' "/proc/$pid/status" 2>/dev/null)" = "$REAPER"

t_file "start" 0 '' -- "${R[@]}" start "$C1"
wait_for_file() { local n=30; while [ ! -e "$1" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done; [ -e "$1" ]; }
check "start: user process ran" "no $T/rootfs/tmp/started-$C1" -- wait_for_file "$T/rootfs/tmp/started-$C1"
check "start: state says running" "state: $(state_field "$C1" status)" -- wait_state "$C1" running

t "pause" 0 '' -- "${R[@]}" pause "$C1"
check "pause: state says paused" "state: $(state_field "$C1" status)" -- wait_state "$C1" paused
t "resume" 0 '' -- "${R[@]}" resume "$C1"
check "resume: state says running" "state: $(state_field "$C1" status)" -- wait_state "$C1" running

# ---------------------------------------------------------------------- exec
jq -n '{terminal: false, user: {uid: 0, gid: 0}, cwd: "/", env: ["PATH=/bin"],
        args: ["sh", "-c", "echo exec-ok > /tmp/exec-out"]}' > "$T/process.json"
t_file "exec --detach --process --pid-file" 0 '' -- \
    "${R[@]}" exec --process "$T/process.json" --detach --pid-file "$T/$C1.exec.pid" "$C1"
check "exec: pid file holds just the pid, no newline" "content: $(od -c "$T/$C1.exec.pid" 2>&1 | head -2)" -- \
    pidfile_ok "$T/$C1.exec.pid"
check "exec: process ran inside the container" "no $T/rootfs/tmp/exec-out" -- \
    wait_for_file "$T/rootfs/tmp/exec-out"

t "ps --format json lists the init pid" 0 '' -- "${R[@]}" ps --format json "$C1"
check "ps --format json: a JSON array of pids containing $pid" "$T_OUT" -- \
    jtrue "$T_OUT" 'type == "array" and (map(tostring) | index($p)) != null' --arg p "${pid:-x}"

t "kill ID 15 (numeric signal, as both managers send it)" 0 '' -- "${R[@]}" kill "$C1" 15
check "kill: state becomes stopped" "state: $(state_field "$C1" status)" -- wait_state "$C1" stopped 5
t "delete (stopped container)" 0 '' -- "${R[@]}" delete "$C1"
deleted=$T_RC
capture "${R[@]}" state "$C1"
[ "$created" = 0 ] && [ "$deleted" = 0 ] && [ "$T_RC" != 0 ]
verdict "delete: the id is gone (state fails)" $? "$T_OUT"

# --------------------------------------------------- duplicates, force delete
C2=$ID-2; IDS+=("$C2")
bundle "$C2" false '["sleep","100"]'
"${R[@]}" create --bundle "$T/$C2" --pid-file "$T/$C2.pid" "$C2" >/dev/null 2>&1 </dev/null
first=$?
capture "${R[@]}" create --bundle "$T/$C2" --pid-file "$T/$C2.pid2" "$C2"
[ "$first" = 0 ] && [ "$T_RC" != 0 ]
verdict "create with an id in use: non-zero exit (after a successful create)" $? "$T_OUT"
"${R[@]}" start "$C2" >/dev/null 2>&1
pid2=$(cat "$T/$C2.pid" 2>/dev/null)
t "delete --force of a running container" 0 '' -- "${R[@]}" delete --force "$C2"
# gone PID: the (numeric) PID exits, or is a zombie, within 3 seconds
gone() {
    local n=30
    [[ ${1:-} =~ ^[1-9][0-9]*$ ]] || return 1
    while [ -d "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; do
        n=$((n - 1)); [ $n -gt 0 ] || return 1; sleep 0.1
    done
}
check "delete --force: the process is gone" "pid ${pid2:-?} still alive (or no pid)" -- gone "${pid2:-}"

# ------------------------------------------------------------- error logging
C3=$ID-3; IDS+=("$C3")
bundle "$C3" false '["/no/such/binary"]'
capture "${R[@]}" --log "$T/$C3.log" --log-format json create --bundle "$T/$C3" --pid-file "$T/$C3.pid" "$C3"
[ "$T_RC" != 0 ]
verdict "missing executable: create exits non-zero (the error must surface at create)" $? "$T_OUT"
check "missing executable: --log file has a JSON line {level:error, msg}" \
    "log: $(cat "$T/$C3.log" 2>/dev/null)" -- \
    bash -c "jq -e -s 'map(select(.level == \"error\" and (.msg | length) > 0)) | length > 0' '$T/$C3.log'"
grep -qiE 'no such file or directory|not found' <<<"$T_OUT$(cat "$T/$C3.log" 2>/dev/null)"
verdict "missing executable: message says 'no such file or directory'/'not found' (podman -> 127)" $? "$T_OUT"
"${R[@]}" delete --force "$C3" >/dev/null 2>&1

# ------------------------------------------------------------ console socket
console_check() {   # console_check LABEL SOCKET CMD...: run CMD with a receiver
    local label=$1 sock=$2 out; shift 2
    rm -f "$sock" "$sock.ready"
    python3 "$CLIENTS_DIR/console-socket-recv.py" "$sock" --timeout 10 \
        --send 'tty; echo marker-$((6*7)); exit\n' > "$T/recv.json" 2>&1 &
    local rpid=$!
    local n=50; while [ ! -e "$sock.ready" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
    t_file "$label" 0 '' -- "$@"
    [ "$label" = "create --console-socket" ] && "${R[@]}" start "$C4" >/dev/null 2>&1
    wait "$rpid"
    out=$(cat "$T/recv.json")
    check "$label: exactly one fd via SCM_RIGHTS" "$out" -- jtrue "$out" '.nfds == 1 and .cmsgs == 1'
    check "$label: with at least 1 byte of ordinary data" "$out" -- jtrue "$out" '.payload_len >= 1'
    check "$label: the fd is a pty master" "$out" -- jtrue "$out" '.is_pty_master == true'
    check "$label: the slave is the container's /dev/pts/<TIOCGPTN of the master>" "$out" -- \
        jtrue "$out" '. as $r | $r.pty_output | test("/dev/pts/\($r.pty_number)\\b")'
    check "$label: the process reads and writes the terminal" "$out" -- \
        jtrue "$out" '.pty_output | test("marker-42")'
    RECV=$out
}
C4=$ID-4; IDS+=("$C4")
bundle "$C4" true '["sh"]' '.process.consoleSize = {height: 25, width: 90}'
console_check "create --console-socket" "$T/c4.sock" \
    "${R[@]}" create --bundle "$T/$C4" --pid-file "$T/$C4.pid" --console-socket "$T/c4.sock" "$C4"
check "create --console-socket: window size from process.consoleSize (25x90)" "$RECV" -- \
    jtrue "$RECV" '.winsize == [25, 90]'
check "create --console-socket: container stopped after 'exit'" "state: $(state_field "$C4" status)" -- \
    wait_state "$C4" stopped 5
"${R[@]}" delete --force "$C4" >/dev/null 2>&1

C5=$ID-5; IDS+=("$C5")
bundle "$C5" false '["sleep","100"]'
"${R[@]}" create --bundle "$T/$C5" --pid-file "$T/$C5.pid" "$C5" >/dev/null 2>&1 </dev/null &&
    "${R[@]}" start "$C5" >/dev/null 2>&1
jq -n '{terminal: true, user: {uid: 0, gid: 0}, cwd: "/", env: ["PATH=/bin", "TERM=xterm"],
        args: ["sh"]}' > "$T/process-tty.json"
console_check "exec --tty --console-socket" "$T/c5.sock" \
    "${R[@]}" exec --process "$T/process-tty.json" --detach --tty \
        --console-socket "$T/c5.sock" --pid-file "$T/$C5.exec.pid" "$C5"
"${R[@]}" delete --force "$C5" >/dev/null 2>&1

if [ -n "${TRACE_DIR:-}" ]; then echo "---- runtime calls logged in $TRACE_DIR"; fi
summary
