#!/bin/bash
# Berth copy of shared/clients/podman-with.sh (the project's shared client test material).
# CI must not depend on ../shared, so the set of scripts lives here; they find each other
# through lib.sh's CLIENTS_DIR (this directory). Changes from the shared original: none
# but this header. `make clients` runs the three *-check/*-with scripts (see README.md).
#
# podman-with.sh RUNTIME_BINARY
#
# Use podman (with conmon) as a real, independent client of an OCI runtime:
# run a fixed scenario of podman commands with `--runtime RUNTIME_BINARY`, print
# PASS/FAIL per check, then "N passed, N failed"; exit 1 when a check failed
# (2 when the environment could not be set up).
#
# Isolation: podman gets a private configuration, storage (--root/--runroot),
# tmp dir, lock files, events log and network config, all in one temporary
# directory that is removed at the end; containers go below a private cgroup
# parent (/clients-podman-PID), removed at the end as well. Nothing touches
# /var/lib/containers or /run/libpod. The runtime itself is called the way
# podman always calls it, i.e. without --root, so it uses its default state
# directory (runc: /run/runc, crun: /run/crun); container ids are random 64-hex
# strings, so this does not collide with other users of the same runtime.
# The image is the offline busybox test image from make-test-images.sh.
#
# Scenario: podman info (runtime --version), run --rm (stdout, exit status,
# missing command -> 127, env/workdir/user, image config, hostname and pid
# namespace, stdin, read-only rootfs, bind mount, /dev nodes), run -d, ps,
# inspect, logs, exec (output, exit status, stdin, user/env/workdir, -t),
# pause/unpause, kill -s USR1, stop (SIGTERM -> exit 0), start again, kill
# (SIGKILL -> 137), rm, run -t.
#
# Environment knobs:
#   TRACE_DIR=DIR     also log every runtime call (argv, config.json, fds, ...)
#                     into DIR through make-runtime-logger.sh
#   HIDE_CGROUP2=1    run the runtime through make-hybrid-wrapper.sh (needed
#                     for crun 1.8 on a cgroup v1/v2 hybrid host like this VM)
#   PODMAN_RUNTIME_JSON=1  add the runtime's file name to podman's
#                     runtime_supports_json, so that conmon passes it
#                     --log FILE --log-format=json (as it does for runc/crun)
#   PODMAN_NETWORK    --network value, default "none" (no host network setup).
#                     "bridge" exercises netavark as well, but changes the host:
#                     it adds NETAVARK* iptables chains, sets
#                     net.ipv4.ip_forward=1 and mounts /run/netns, and those
#                     stay after the run (the podman0 bridge is removed).
#   STORAGE_DRIVER    overlay (default; falls back to vfs if unusable) or vfs
#   IMAGES_DIR        reuse an output directory of make-test-images.sh
#   REGISTRY=HOST:PORT  also pull busybox:{index,list-v2s2,v2s2,multi} from a
#                     plain-HTTP registry (see registry.sh) and run them
#   KEEP_TMP=1        keep the temporary directory (for debugging)
#   T_TIMEOUT         per-command timeout in seconds (default 60)
#
# Debian packages used: podman conmon catatonit skopeo umoci jq busybox-static
# bsdutils (script) util-linux coreutils.

# Container-side commands are written in single quotes on purpose:
# shellcheck disable=SC2016
set -uo pipefail
CLIENTS_SCRIPT=podman-with.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 RUNTIME_BINARY" >&2; exit 2; }
require_root
reexec_under_reaper "$@"
ensure_cmds podman podman conmon conmon script bsdutils unshare util-linux \
            timeout coreutils jq jq

RUNTIME=$(readlink -f "$(command -v "$1" || echo "$1")")
[ -x "$RUNTIME" ] || die "$1: not an executable"

T=$(mktemp -d "${TMPDIR:-/tmp}/clients-podman.XXXXXX") || die "mktemp failed"
CGP=clients-podman-$$
NAME=clients-pm-$$
IMG=docker.io/library/busybox:latest
IMG_MULTI=docker.io/library/busybox:multi

cleanup() {
    set +e
    if [ -f "$T/containers.conf" ]; then
        "${PODMAN[@]}" rm -a -f -t 0 >/dev/null 2>&1
        "${PODMAN[@]}" rmi -a -f >/dev/null 2>&1
    fi
    umount_under "$T"
    rm_cgroup_tree "$CGP"
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

# ------------------------------------------------------------ podman config
# Everything podman writes goes below $T.
mkdir -p "$T"/{root,runroot,tmp,networks,vol,conmon-tmp}
ULIMITS=""
if ! cap_eff_has 24; then
    # Without CAP_SYS_RESOURCE (as in this VM) no process may raise a hard
    # rlimit. Podman's defaults for root (nofile 1048576, nproc 4194304) would
    # make every runtime fail ("setrlimit: operation not permitted"), and podman
    # itself lowers its own RLIMIT_NPROC to the kernel's pid_max. Ask for
    # limits that can be set.
    nofile=$(ulimit -Hn)
    nproc=$(ulimit -Hu)
    pidmax=$(cat /proc/sys/kernel/pid_max)
    [ "$nproc" = unlimited ] || [ "$nproc" -gt "$pidmax" ] && nproc=$pidmax
    ULIMITS="default_ulimits = [\"nofile=$nofile:$nofile\", \"nproc=$nproc:$nproc\"]"
fi
# conmon passes `--log FILE --log-format=json` to `create` only for runtimes
# whose file name is listed in runtime_supports_json (default: crun, runc,
# kata, runsc, youki, krun...). PODMAN_RUNTIME_JSON=1 adds our runtime's name.
SUPPORTS_JSON=""
if [ "${PODMAN_RUNTIME_JSON:-0}" = 1 ]; then
    SUPPORTS_JSON="runtime_supports_json = [\"crun\", \"runc\", \"kata\", \"runsc\", \"youki\", \"krun\", \"$BASE\"]"
fi
cat > "$T/containers.conf" <<EOF
# private podman configuration written by podman-with.sh
[containers]
$ULIMITS
[engine]
$SUPPORTS_JSON
# conmon creates its console sockets in \$TMPDIR: keep them in our directory
# (a runtime that never connects would otherwise leave them in /tmp)
conmon_env_vars = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TMPDIR=$T/conmon-tmp"]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$T/events.log"
tmp_dir = "$T/tmp"
lock_type = "file"
[network]
network_config_dir = "$T/networks"
EOF
write_storage_conf() {
    cat > "$T/storage.conf" <<EOF
[storage]
driver = "$1"
runroot = "$T/runroot"
graphroot = "$T/root"
EOF
}
cat > "$T/registries.conf" <<'EOF'
unqualified-search-registries = []
[[registry]]
location = "127.0.0.1:5000"
insecure = true
EOF
export CONTAINERS_CONF=$T/containers.conf
export CONTAINERS_STORAGE_CONF=$T/storage.conf
export CONTAINERS_REGISTRIES_CONF=$T/registries.conf
PODMAN=(podman --runtime "$RT")
NET=(--network "${PODMAN_NETWORK:-none}")
RUN=("${PODMAN[@]}" run "${NET[@]}" --cgroup-parent "/$CGP")

DRIVER=${STORAGE_DRIVER:-overlay}
write_storage_conf "$DRIVER"
# (probe with podman's default runtime, so that a runtime problem is not
# mistaken for a storage problem)
if ! podman info >/dev/null 2>"$T/info.err"; then
    if [ "$DRIVER" = overlay ]; then
        log "overlay storage unusable ($(tail -n1 "$T/info.err")); using vfs"
        DRIVER=vfs
        rm -rf "$T/root" "$T/runroot"; mkdir -p "$T/root" "$T/runroot"
        write_storage_conf vfs
    fi
fi

echo "runtime : $RUNTIME ($("$RUNTIME" --version 2>/dev/null | head -n1))"
[ "$RT" != "$RUNTIME" ] && echo "via     : $RT"
echo "podman  : $(podman --version), conmon $(conmon --version 2>/dev/null | head -n1 | awk '{print $3}')"
echo "storage : $DRIVER in $T; network: ${PODMAN_NETWORK:-none}; cgroup parent /$CGP"
echo "----"

if ! "${PODMAN[@]}" load -q -i "$IMAGES/busybox-docker.tar" >/dev/null ||
   ! "${PODMAN[@]}" load -q -i "$IMAGES/busybox-multi-docker.tar" >/dev/null; then
    die "podman load failed (storage problem, not a runtime problem)"
fi

# wait_for SECONDS CMD...: retry CMD until it succeeds.
wait_for() {
    local n=$(( $1 * 5 )); shift
    until "$@" >/dev/null 2>&1; do
        n=$((n - 1)); [ "$n" -gt 0 ] || return 1; sleep 0.2
    done
}
state_is() { [ "$("${PODMAN[@]}" inspect -f '{{.State.Status}}' "$NAME" 2>/dev/null)" = "$1" ]; }
logs_have() { "${PODMAN[@]}" logs "$NAME" 2>&1 | grep -q -- "$1"; }

# ----------------------------------------------------------------- scenario
t "info: podman runs 'RUNTIME --version'" 0 '.' -- \
    "${PODMAN[@]}" info --format '{{.Host.OCIRuntime.Version}}'

t "run --rm: echo" 0 '^hello-from-podman$' -- \
    "${RUN[@]}" --rm "$IMG" echo hello-from-podman

t "run --rm: exit status 3 is passed through" 3 '' -- \
    "${RUN[@]}" --rm "$IMG" sh -c 'exit 3'

# podman derives 127 from the runtime's error text ("no such file or
# directory" / "executable file not found"), 126 from "permission denied".
t "run --rm: missing executable gives 127" 127 '' -- \
    "${RUN[@]}" --rm "$IMG" /no/such/binary

t "run --rm: -e -w -u" 0 '^bar /tmp 1000:1000$' -- \
    "${RUN[@]}" --rm -e FOO=bar -w /tmp -u 1000:1000 "$IMG" \
    sh -c 'echo "$FOO $(pwd) $(id -u):$(id -g)"'

t "run --rm: image Env/WorkingDir and layer whiteouts (busybox:multi)" 0 \
    '^multi /opt/data new.txt no-vi$' -- \
    "${RUN[@]}" --rm "$IMG_MULTI" \
    sh -c 'echo "$CLIENTS_IMAGE $(pwd) $(ls /opt/data) $(test -e /bin/vi || echo no-vi)"'

t "run --rm: hostname and pid namespace" 0 '^clients-host pid=1$' -- \
    "${RUN[@]}" --rm --hostname clients-host "$IMG" sh -c 'echo "$(hostname) pid=$$"'

t_in "run --rm -i: stdin reaches the container" 0 '^via-stdin$' 'via-stdin' -- \
    "${RUN[@]}" --rm -i "$IMG" cat

t "run --rm --read-only: rootfs is read-only" 0 '^ro-ok$' -- \
    "${RUN[@]}" --rm --read-only "$IMG" sh -c 'touch /x 2>/dev/null && echo writable || echo ro-ok'

t "run --rm -v: bind mount is writable" 0 '' -- \
    "${RUN[@]}" --rm -v "$T/vol:/data" "$IMG" sh -c 'echo from-container > /data/f'
check "run --rm -v: file visible on the host" "$T/vol/f missing or wrong" -- \
    grep -qx from-container "$T/vol/f"

t "run --rm: default /dev nodes exist" 0 '^00 ok$' -- \
    "${RUN[@]}" --rm "$IMG" sh -c \
    'for d in null zero full random urandom tty; do test -c /dev/$d || exit 1; done;
     echo "$(head -c1 /dev/zero | od -An -tx1 | tr -d " ") ok"'

# A long-running container that reacts to USR1 and exits 0 on TERM.
t "run -d" 0 '^[0-9a-f]{64}$' -- \
    "${RUN[@]}" -d --name "$NAME" "$IMG" sh -c \
    'trap "echo got-usr1" USR1; trap "echo got-term; exit 0" TERM;
     echo ready; while :; do sleep 0.2; done'

t "ps: container is Up" 0 '^Up' -- \
    "${PODMAN[@]}" ps --filter "name=^$NAME\$" --format '{{.Status}}'

t "inspect: running with a live pid" 0 '^running [1-9][0-9]*$' -- \
    "${PODMAN[@]}" inspect -f '{{.State.Status}} {{.State.Pid}}' "$NAME"
pid=${T_OUT##* }
check "inspect: pid $pid exists on the host" "no process $pid" -- pid_alive "${pid:-}"

wait_for 10 logs_have ready
t "logs: output of the container" 0 '^ready$' -- "${PODMAN[@]}" logs "$NAME"

t "exec: output" 0 '^exec-ok$' -- "${PODMAN[@]}" exec "$NAME" echo exec-ok

t "exec: exit status 7 is passed through" 7 '' -- "${PODMAN[@]}" exec "$NAME" sh -c 'exit 7'

t_in "exec -i: stdin" 0 '^exec-stdin$' 'exec-stdin' -- "${PODMAN[@]}" exec -i "$NAME" cat

t "exec: -u -w -e" 0 '^y 1000 /tmp$' -- \
    "${PODMAN[@]}" exec -u 1000 -w /tmp -e X=y "$NAME" sh -c 'echo "$X $(id -u) $(pwd)"'

t "exec: joins the container's pid namespace" 0 '^1 sh' -- \
    "${PODMAN[@]}" exec "$NAME" sh -c 'ps -o pid,comm | grep "^ *1 "| sed "s/^ *//"'

# conmon sets the window size on the pty master it got through the console
# socket, after the exec has started: give it a moment before asking.
t_tty "exec -it: terminal and its size" 0 '/dev/pts/[0-9]+' -- \
    "${PODMAN[@]}" exec -it "$NAME" sh -c 'tty; sleep 1; stty size'
out_has "exec -it: window size 30x100 reached the pty" '^30 100$'

t "pause" 0 '' -- "${PODMAN[@]}" pause "$NAME"
t "pause: state is paused" 0 '^paused$' -- "${PODMAN[@]}" inspect -f '{{.State.Status}}' "$NAME"
t "unpause" 0 '' -- "${PODMAN[@]}" unpause "$NAME"
t "unpause: state is running, exec works" 0 '^alive$' -- "${PODMAN[@]}" exec "$NAME" echo alive

t "kill -s USR1" 0 '' -- "${PODMAN[@]}" kill -s USR1 "$NAME"
wait_for 10 logs_have got-usr1
t "kill -s USR1: the container saw the signal" 0 'got-usr1' -- "${PODMAN[@]}" logs "$NAME"

t "stop (SIGTERM)" 0 '' -- "${PODMAN[@]}" stop -t 20 "$NAME"
t "stop: exited with status 0 from the TERM trap" 0 '^exited 0$' -- \
    "${PODMAN[@]}" inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$NAME"

t "start again (same container id)" 0 '' -- "${PODMAN[@]}" start "$NAME"
wait_for 10 state_is running
t "start again: running" 0 '^running$' -- "${PODMAN[@]}" inspect -f '{{.State.Status}}' "$NAME"
t "kill (SIGKILL)" 0 '' -- "${PODMAN[@]}" kill "$NAME"
wait_for 10 state_is exited
t "kill: exit status 137" 0 '^exited 137$' -- \
    "${PODMAN[@]}" inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$NAME"

t "rm" 0 '' -- "${PODMAN[@]}" rm "$NAME"
t "rm: container is gone" 0 '^$' -- "${PODMAN[@]}" ps -a -q --filter "name=^$NAME\$"

t_tty "run --rm -it: terminal" 0 'tty=/dev/pts/0' -- \
    "${RUN[@]}" --rm -it "$IMG" sh -c 'echo "tty=$(tty)"; sleep 1; stty size; echo tty-done'
out_has "run --rm -it: window size 30x100 reached the pty" '^30 100$'

t "run --rm -it: exit status 5 through the terminal" 5 '' -- \
    env SHELL=/bin/bash script -qefc "$(printf '%q ' "${RUN[@]}" --rm -it "$IMG" sh -c 'exit 5')" /dev/null

t "nothing left behind" 0 '^$' -- "${PODMAN[@]}" ps -a -q

# Optional: pull from a registry started with `registry.sh start DIR`.
if [ -n "${REGISTRY:-}" ]; then
    for ref in busybox:index busybox:list-v2s2 busybox:v2s2 busybox:multi; do
        t "registry: pull $REGISTRY/$ref" 0 '' -- \
            "${PODMAN[@]}" pull -q --tls-verify=false "$REGISTRY/$ref"
    done
    t "registry: run the pulled multi-layer image" 0 '^multi /opt/data new.txt no-vi$' -- \
        "${RUN[@]}" --rm "$REGISTRY/busybox:multi" \
        sh -c 'echo "$CLIENTS_IMAGE $(pwd) $(ls /opt/data) $(test -e /bin/vi || echo no-vi)"'
    t "registry: run the image picked from the index" 0 '^hello-from-index$' -- \
        "${RUN[@]}" --rm "$REGISTRY/busybox:index" echo hello-from-index
fi

if [ -n "${TRACE_DIR:-}" ]; then
    echo "---- runtime calls logged in $TRACE_DIR (subcommand: count)"
    awk '{n = split($1, p, "-"); print p[n]}' "$TRACE_DIR/calls.log" | sort | uniq -c | sed 's/^/  /'
fi
summary
