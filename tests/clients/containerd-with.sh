#!/bin/bash
# Berth copy of shared/clients/containerd-with.sh (the project's shared client test material).
# CI must not depend on ../shared, so the set of scripts lives here; they find each other
# through lib.sh's CLIENTS_DIR (this directory). Changes from the shared original: none
# but this header. `make clients` runs the three *-check/*-with scripts (see README.md).
#
# containerd-with.sh RUNTIME_BINARY
#
# Use containerd 1.6 + its runc shim (containerd-shim-runc-v2) + ctr as a real,
# independent client of an OCI runtime: start a private containerd, import the
# offline busybox test images, run a fixed scenario of ctr commands with
# `--runc-binary RUNTIME_BINARY`, print PASS/FAIL per check, then
# "N passed, N failed"; exit 1 when a check failed (2 on setup errors).
#
# Isolation: containerd's root, state, sockets, content store, snapshots, the
# runtime state directory (ctr --runc-root, passed on to the runtime as
# --root) and the IO fifos all live in one temporary directory that is removed
# at the end. A unique containerd namespace "clients-ctd-PID" is used; ctr
# puts containers in the cgroup /clients-ctd-PID/<id>, removed at the end.
# The only thing outside: containerd 1.6 shims always create their ttrpc
# socket under /run/containerd/s/ (the name is a hash of our private
# containerd address); it is removed when the task goes, and the directories
# /run/containerd/s and /run/containerd are removed at the end if they are
# empty and did not exist before. An already running system containerd is
# neither used nor disturbed.
#
# Scenario: run --rm (stdout, exit status, create error text taken from the
# runtime's --log file, env/cwd, image config, pid namespace, stdin, read-only
# rootfs, bind mount, /dev nodes), run -d, task ls, exec (output, exit status,
# user/cwd, -t), pause/resume, ps, kill -s SIGUSR1, kill (SIGTERM -> 0),
# task delete, task start again, kill SIGKILL -> 137, container rm, run -t.
#
# Environment knobs:
#   TRACE_DIR=DIR     also log every runtime call into DIR (make-runtime-logger.sh)
#   HIDE_CGROUP2=1    run the runtime through make-hybrid-wrapper.sh (crun 1.8
#                     on a cgroup v1/v2 hybrid host such as this VM)
#   SNAPSHOTTER       overlayfs (default) or native
#   IMAGES_DIR        reuse an output directory of make-test-images.sh
#   REGISTRY=HOST:PORT  also pull busybox:{index,list-v2s2,v2s2,multi} from a
#                     plain-HTTP registry (see registry.sh) and run them
#   KEEP_TMP=1        keep the temporary directory (for debugging)
#   T_TIMEOUT         per-command timeout in seconds (default 60)
#
# Debian packages used: containerd (containerd, ctr, containerd-shim-runc-v2)
# catatonit bsdutils util-linux coreutils (+ those of make-test-images.sh).

# Container-side commands are written in single quotes on purpose:
# shellcheck disable=SC2016
set -uo pipefail
CLIENTS_SCRIPT=containerd-with.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 RUNTIME_BINARY" >&2; exit 2; }
require_root
reexec_under_reaper "$@"
ensure_cmds containerd containerd ctr containerd containerd-shim-runc-v2 containerd \
            script bsdutils unshare util-linux timeout coreutils

RUNTIME=$(readlink -f "$(command -v "$1" || echo "$1")")
[ -x "$RUNTIME" ] || die "$1: not an executable"

T=$(mktemp -d "${TMPDIR:-/tmp}/clients-ctd.XXXXXX") || die "mktemp failed"
NS=clients-ctd-$$
NAME=clients-c-$$
IMG=docker.io/library/busybox:latest
IMG_MULTI=docker.io/library/busybox:multi
SOCK=$T/containerd.sock
CTR=(ctr --address "$SOCK" --namespace "$NS")
CTD_PID=""
RUN_CONTAINERD_EXISTED=0; [ -d /run/containerd ] && RUN_CONTAINERD_EXISTED=1
RUN_CONTAINERD_S_EXISTED=0; [ -d /run/containerd/s ] && RUN_CONTAINERD_S_EXISTED=1

# our_shims: pids of shim processes serving our private containerd (their
# command line names our unique socket address).
our_shims() {
    local p
    for p in /proc/[0-9]*; do
        { tr '\0' ' ' < "$p/cmdline"; } 2>/dev/null |
            grep -q "^[^ ]*containerd-shim-runc-v2 .*-address $SOCK\( \|$\)" && echo "${p#/proc/}"
    done
    return 0
}

cleanup() {
    set +e
    local id pid
    if [ -n "$CTD_PID" ] && kill -0 "$CTD_PID" 2>/dev/null; then
        for id in $("${CTR[@]}" task ls -q 2>/dev/null); do
            "${CTR[@]}" task kill -s SIGKILL "$id" >/dev/null 2>&1
        done
        sleep 0.5
        for id in $("${CTR[@]}" task ls -q 2>/dev/null); do
            "${CTR[@]}" task delete -f "$id" >/dev/null 2>&1
        done
        for id in $("${CTR[@]}" container ls -q 2>/dev/null); do
            "${CTR[@]}" container delete "$id" >/dev/null 2>&1
        done
        kill -TERM "$CTD_PID" 2>/dev/null
        wait_gone "$CTD_PID" 10 || kill -KILL "$CTD_PID" 2>/dev/null
        wait "$CTD_PID" 2>/dev/null
    fi
    # Shims normally exit with their last task; stop any that did not.
    for pid in $(our_shims); do kill -KILL "$pid" 2>/dev/null; done
    umount_under "$T"
    rm_cgroup_tree "$NS"
    [ "$RUN_CONTAINERD_S_EXISTED" = 1 ] || rmdir /run/containerd/s 2>/dev/null
    [ "$RUN_CONTAINERD_EXISTED" = 1 ] || rmdir /run/containerd 2>/dev/null
    if [ "${KEEP_TMP:-0}" = 1 ]; then log "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------- runtime
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

# -------------------------------------------------------------------- images
IMAGES=${IMAGES_DIR:-$T/images}
if [ ! -f "$IMAGES/busybox-docker.tar" ]; then
    "$CLIENTS_DIR/make-test-images.sh" "$IMAGES" >/dev/null || die "make-test-images.sh failed"
fi

# ------------------------------------------------------- private containerd
mkdir -p "$T"/{root,state,opt,fifo,rt,vol}
cat > "$T/config.toml" <<EOF
# private containerd configuration written by containerd-with.sh
version = 2
root = "$T/root"
state = "$T/state"
# CRI would set up CNI and listen for kubelets; the others only log errors.
disabled_plugins = ["io.containerd.grpc.v1.cri",
  "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$SOCK.ttrpc"
[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$T/opt"
EOF
containerd --config "$T/config.toml" > "$T/containerd.log" 2>&1 < /dev/null &
CTD_PID=$!
for _ in $(seq 1 100); do
    "${CTR[@]}" version >/dev/null 2>&1 && break
    kill -0 "$CTD_PID" 2>/dev/null || break
    sleep 0.1
done
"${CTR[@]}" version >/dev/null 2>&1 || { tail -n 20 "$T/containerd.log" >&2; die "containerd did not start"; }

SNAP=${SNAPSHOTTER:-overlayfs}
echo "runtime    : $RUNTIME ($("$RUNTIME" --version 2>/dev/null | head -n1))"
[ "$RT" != "$RUNTIME" ] && echo "via        : $RT"
echo "containerd : $(containerd --version | awk '{print $3}') (pid $CTD_PID, $SOCK), namespace $NS, snapshotter $SNAP"
echo "----"

if ! "${CTR[@]}" images import "$IMAGES/busybox-docker.tar" >/dev/null ||
   ! "${CTR[@]}" images import "$IMAGES/busybox-multi-docker.tar" >/dev/null; then
    die "ctr images import failed"
fi

# Flags common to every container/task creation.
RTF=(--runc-binary "$RT" --runc-root "$T/rt" --snapshotter "$SNAP" --fifo-dir "$T/fifo")
RUN=("${CTR[@]}" run "${RTF[@]}")
EXEC=("${CTR[@]}" task exec --fifo-dir "$T/fifo")
# cid: a new container id on every call (the counter lives in a file because
# cid runs in a $(...) subshell)
cid() {
    local c
    c=$(( $(cat "$T/.cid" 2>/dev/null || echo 0) + 1 ))
    echo "$c" > "$T/.cid"
    echo "$NAME-$c"
}

wait_for() {
    local k=$(( $1 * 5 )); shift
    until "$@" >/dev/null 2>&1; do
        k=$((k - 1)); [ "$k" -gt 0 ] || return 1; sleep 0.2
    done
}
task_status() { "${CTR[@]}" task ls 2>/dev/null | awk -v id="$NAME" '$1 == id {print $3}'; }
status_is() { [ "$(task_status)" = "$1" ]; }
log_has() { grep -q -- "$1" "$T/$NAME.log" 2>/dev/null; }

# ----------------------------------------------------------------- scenario
t "run --rm: echo" 0 '^hello-from-containerd$' -- \
    "${RUN[@]}" --rm "$IMG" "$(cid)" echo hello-from-containerd

t "run --rm: exit status 3 is passed through" 3 '' -- \
    "${RUN[@]}" --rm "$IMG" "$(cid)" sh -c 'exit 3'

# The shim reads the runtime's error from the JSON log file named by the
# global --log option ({"level":"error","msg":...}) and returns it to ctr.
t "run --rm: create error text comes from the runtime's --log file" 1 \
    'OCI runtime create failed.*/no/such/binary' -- \
    "${RUN[@]}" --rm "$IMG" "$(cid)" /no/such/binary

t "run --rm: --env --cwd" 0 '^bar /tmp$' -- \
    "${RUN[@]}" --rm --env FOO=bar --cwd /tmp "$IMG" "$(cid)" sh -c 'echo "$FOO $(pwd)"'

t "run --rm: image Env/WorkingDir and layer whiteouts (busybox:multi)" 0 \
    '^multi /opt/data new.txt no-vi$' -- \
    "${RUN[@]}" --rm "$IMG_MULTI" "$(cid)" \
    sh -c 'echo "$CLIENTS_IMAGE $(pwd) $(ls /opt/data) $(test -e /bin/vi || echo no-vi)"'

t "run --rm: pid namespace" 0 '^pid=1$' -- \
    "${RUN[@]}" --rm "$IMG" "$(cid)" sh -c 'echo "pid=$$"'

# (ctr 1.6 does not close the container's stdin at EOF, so read one line only)
t_in "run --rm: stdin reaches the container" 0 '^via-stdin$' 'via-stdin' -- \
    "${RUN[@]}" --rm "$IMG" "$(cid)" head -n 1

t "run --rm --read-only: rootfs is read-only" 0 '^ro-ok$' -- \
    "${RUN[@]}" --rm --read-only "$IMG" "$(cid)" \
    sh -c 'touch /x 2>/dev/null && echo writable || echo ro-ok'

t "run --rm --mount: bind mount is writable" 0 '' -- \
    "${RUN[@]}" --rm --mount "type=bind,src=$T/vol,dst=/data,options=rbind:rw" "$IMG" "$(cid)" \
    sh -c 'echo from-container > /data/f'
check "run --rm --mount: file visible on the host" "$T/vol/f missing or wrong" -- \
    grep -qx from-container "$T/vol/f"

t "run --rm: default /dev nodes exist" 0 '^00 ok$' -- \
    "${RUN[@]}" --rm "$IMG" "$(cid)" sh -c \
    'for d in null zero full random urandom tty; do test -c /dev/$d || exit 1; done;
     echo "$(head -c1 /dev/zero | od -An -tx1 | tr -d " ") ok"'

t "run -d (output to a log file)" 0 '' -- \
    "${RUN[@]}" -d --log-uri "file://$T/$NAME.log" "$IMG" "$NAME" sh -c \
    'trap "echo got-usr1" USR1; trap "echo got-term; exit 0" TERM;
     echo ready; while :; do sleep 0.2; done'
wait_for 10 log_has ready
check "run -d: container printed 'ready'" "no 'ready' in $T/$NAME.log" -- log_has ready

t "task ls: RUNNING" 0 "^$NAME +[1-9][0-9]* +RUNNING" -- "${CTR[@]}" task ls
pid=$(awk -v id="$NAME" '$1 == id {print $2}' <<<"$T_OUT")
check "task ls: pid ${pid:-?} exists on the host" "no process ${pid:-?}" -- pid_alive "${pid:-}"

t "exec: output" 0 '^exec-ok$' -- "${EXEC[@]}" --exec-id e1 "$NAME" echo exec-ok

t "exec: exit status 7 is passed through" 7 '' -- \
    "${EXEC[@]}" --exec-id e2 "$NAME" sh -c 'exit 7'

t "exec: --user --cwd" 0 '^1000 /tmp$' -- \
    "${EXEC[@]}" --exec-id e3 --user 1000 --cwd /tmp "$NAME" sh -c 'echo "$(id -u) $(pwd)"'

t "exec: joins the container's pid namespace" 0 '^1 sh' -- \
    "${EXEC[@]}" --exec-id e4 "$NAME" sh -c 'ps -o pid,comm | grep "^ *1 " | sed "s/^ *//"'

t_tty "exec -t: terminal" 0 '/dev/pts/[0-9]+' -- \
    "${EXEC[@]}" -t --exec-id e5 "$NAME" sh -c 'tty; sleep 1; stty size'
out_has "exec -t: window size 30x100 reached the pty" '^30 100$'

t "task pause" 0 '' -- "${CTR[@]}" task pause "$NAME"
t "task pause: PAUSED" 0 '^PAUSED$' -- task_status
t "task resume" 0 '' -- "${CTR[@]}" task resume "$NAME"
t "task resume: RUNNING, exec works" 0 '^alive$' -- "${EXEC[@]}" --exec-id e6 "$NAME" echo alive

t "task ps: lists the container's processes" 0 "^${pid:-x} " -- "${CTR[@]}" task ps "$NAME"

t "task kill -s SIGUSR1" 0 '' -- "${CTR[@]}" task kill -s SIGUSR1 "$NAME"
wait_for 10 log_has got-usr1
check "task kill -s SIGUSR1: the container saw the signal" "no got-usr1 in log" -- log_has got-usr1

t "task kill (SIGTERM)" 0 '' -- "${CTR[@]}" task kill "$NAME"
wait_for 10 status_is STOPPED
t "task kill: STOPPED" 0 '^STOPPED$' -- task_status
t "task delete: exit status 0" 0 '^$' -- "${CTR[@]}" task delete "$NAME"

t "task start -d again (same container)" 0 '' -- \
    "${CTR[@]}" task start -d --log-uri "file://$T/$NAME.log" --fifo-dir "$T/fifo" "$NAME"
wait_for 10 status_is RUNNING
t "task start again: RUNNING" 0 '^RUNNING$' -- task_status
t "task kill -s SIGKILL" 0 '' -- "${CTR[@]}" task kill -s SIGKILL "$NAME"
wait_for 10 status_is STOPPED
t "task delete: exit status 137" 0 'exit code 137' -- "${CTR[@]}" task delete "$NAME"
t "container rm" 0 '' -- "${CTR[@]}" container rm "$NAME"

t_tty "run --rm -t: terminal" 0 'tty=/dev/pts/0' -- \
    "${RUN[@]}" --rm -t "$IMG" "$(cid)" sh -c 'echo "tty=$(tty)"; sleep 1; stty size'
out_has "run --rm -t: window size 30x100 reached the pty" '^30 100$'

t_tty "run --rm -t: exit status 5 through the terminal" 5 '' -- \
    "${RUN[@]}" --rm -t "$IMG" "$(cid)" sh -c 'exit 5'

# Optional: pull from a registry started with `registry.sh start DIR`.
if [ -n "${REGISTRY:-}" ]; then
    for ref in busybox:index busybox:list-v2s2 busybox:v2s2 busybox:multi; do
        t "registry: pull $REGISTRY/$ref" 0 '' -- \
            "${CTR[@]}" images pull --plain-http "$REGISTRY/$ref"
    done
    t "registry: run the pulled multi-layer image" 0 '^multi /opt/data new.txt no-vi$' -- \
        "${RUN[@]}" --rm "$REGISTRY/busybox:multi" "$(cid)" \
        sh -c 'echo "$CLIENTS_IMAGE $(pwd) $(ls /opt/data) $(test -e /bin/vi || echo no-vi)"'
    t "registry: run the image picked from the index" 0 '^hello-from-index$' -- \
        "${RUN[@]}" --rm "$REGISTRY/busybox:index" "$(cid)" echo hello-from-index
fi

t "nothing left behind: no tasks" 0 '^$' -- "${CTR[@]}" task ls -q
t "nothing left behind: no containers" 0 '^$' -- "${CTR[@]}" container ls -q

if [ -n "${TRACE_DIR:-}" ]; then
    echo "---- runtime calls logged in $TRACE_DIR (subcommand: count)"
    awk '{n = split($1, p, "-"); print p[n]}' "$TRACE_DIR/calls.log" | sort | uniq -c | sed 's/^/  /'
fi
summary
