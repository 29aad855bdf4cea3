# shellcheck shell=bash
# Berth copy of shared/clients/lib.sh (the project's shared client test material).
# CI must not depend on ../shared, so the set of scripts lives here; they find each other
# through lib.sh's CLIENTS_DIR (this directory). Changes from the shared original: none
# but this header. `make clients` runs the three *-check/*-with scripts (see README.md).
#
# lib.sh -- helpers shared by the scripts in this directory.
#
# Source it from bash (". lib.sh"); it is not meant to be executed.
# Everything here uses only tools from Debian 12 packages.
#
# Provides:
#   log / die                 messages on stderr, tagged with the script name
#   require_root              abort unless uid 0
#   ensure_cmds CMD PKG ...   apt-get install PKG when CMD is missing
#   reexec_under_reaper "$@"  re-run the calling script under catatonit (a
#                             child subreaper), so that orphaned helper
#                             processes (conmon, shims, container inits) are
#                             reaped even when PID 1 does not reap
#   t / t_file / t_in / t_tty tiny test harness: "PASS name" / "FAIL name"
#   check / out_has / verdict / capture / summary
#   umount_under DIR          lazily unmount everything mounted below DIR
#   rm_cgroup_tree REL        remove the cgroup REL (relative path) from every
#                             hierarchy, deepest directories first
#   wait_gone PID [SECONDS]   wait for a process to exit
#   pid_alive PID / jtrue TEXT FILTER   guarded process / JSON tests
#   cap_eff_has N             true when capability bit N is in CapEff
#   host_oci_arch             amd64, arm64, ... (OCI spelling of the host arch)

# shellcheck disable=SC2034  # used by the scripts that source this file
CLIENTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CLIENTS_SCRIPT=${CLIENTS_SCRIPT:-$(basename "$0")}

log() { printf '[%s] %s\n' "$CLIENTS_SCRIPT" "$*" >&2; }
die() { log "ERROR: $*"; exit 2; }

require_root() {
    [ "$(id -u)" = 0 ] || die "this script must run as root"
}

# apt_install PKG...: install Debian packages one at a time. Another process
# may hold the dpkg lock, so wait for it (DPkg::Lock::Timeout) and retry.
_apt_updated=0
apt_install() {
    local pkg try
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found; please install: $*"
    for pkg in "$@"; do
        for try in 1 2 3 4 5 6; do
            log "apt-get install -y $pkg (attempt $try)"
            if DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
                    -o DPkg::Lock::Timeout=120 "$pkg" >/dev/null 2>&1; then
                continue 2
            fi
            # The package lists may be missing or stale: refresh once.
            if [ "$_apt_updated" = 0 ]; then
                _apt_updated=1
                DEBIAN_FRONTEND=noninteractive apt-get update -q \
                    -o DPkg::Lock::Timeout=120 >/dev/null 2>&1 || true
            fi
            sleep 5
        done
        die "could not install Debian package $pkg"
    done
}

# ensure_cmds CMD1 PKG1 [CMD2 PKG2 ...]: for every CMD that is neither on
# PATH nor an executable path, install the Debian package that provides it.
ensure_cmds() {
    local missing=() cmd pkg
    while [ $# -ge 2 ]; do
        cmd=$1 pkg=$2; shift 2
        if ! command -v "$cmd" >/dev/null 2>&1 && [ ! -x "$cmd" ]; then
            missing+=("$pkg")
        fi
    done
    if [ ${#missing[@]} -gt 0 ]; then
        apt_install "${missing[@]}"
    fi
}

# reexec_under_reaper "$@": call at the top of a script, before doing work.
# Container managers daemonize (conmon, containerd shims): their orphans are
# re-parented to the nearest "child subreaper", or to PID 1. On machines whose
# PID 1 never reaps (minimal VMs, some CI sandboxes) that leaves zombies
# behind, so run the whole script under catatonit, which is a subreaper that
# reaps everything it inherits and forwards signals.
reexec_under_reaper() {
    [ -n "${CLIENTS_UNDER_REAPER:-}" ] && return 0
    [ "${CLIENTS_NO_REAPER:-0}" = 1 ] && return 0
    ensure_cmds catatonit catatonit
    export CLIENTS_UNDER_REAPER=1
    exec catatonit -- /bin/bash "$0" "$@"
}

# cap_eff_has BIT: is capability number BIT in this process' effective set?
cap_eff_has() {
    local hex
    hex=$(awk '/^CapEff:/ {print $2}' /proc/self/status)
    (( (16#$hex >> $1) & 1 ))
}

# host_oci_arch: this machine's architecture spelled the OCI/Go way.
host_oci_arch() {
    case "$(dpkg --print-architecture 2>/dev/null || uname -m)" in
        amd64|x86_64) echo amd64 ;;
        arm64|aarch64) echo arm64 ;;
        armhf|armel) echo arm ;;
        i386) echo 386 ;;
        ppc64el) echo ppc64le ;;
        *) dpkg --print-architecture ;;
    esac
}

# ---------------------------------------------------------------- test harness
T_PASS=0
T_FAIL=0
T_FAILED=()
T_TIMEOUT=${T_TIMEOUT:-60}
T_OUT=""
T_RC=0

_pass() { T_PASS=$((T_PASS + 1)); printf 'PASS  %s\n' "$1"; }
T_FAIL_TEXT=""   # the details of all failures, for hints after the run
_fail() {
    T_FAIL=$((T_FAIL + 1)); T_FAILED+=("$1")
    T_FAIL_TEXT+="${2:-}"$'\n'
    printf 'FAIL  %s\n' "$1"
    [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/      | /' | head -n 30
    return 0
}

# t NAME EXPECTED_RC PATTERN -- CMD [ARGS...]
#   Run CMD (with a timeout of $T_TIMEOUT seconds unless CMD is a shell
#   function), capturing stdout+stderr in
#   $T_OUT and the exit status in $T_RC. The check passes when the exit status
#   equals EXPECTED_RC ("any" accepts every status) and, unless PATTERN is
#   empty, the output matches the extended regular expression PATTERN.
t() {
    local name=$1 want_rc=$2 pattern=$3
    shift 3
    [ "${1:-}" = "--" ] && shift
    if declare -F "$1" >/dev/null; then
        T_OUT=$("$@" 2>&1 </dev/null)           # a shell function: no timeout(1)
    else
        T_OUT=$(timeout --kill-after=10 "$T_TIMEOUT" "$@" 2>&1 </dev/null | tr -d '\000'
                exit "${PIPESTATUS[0]}")
    fi
    T_RC=$?
    _t_judge "$name" "$want_rc" "$pattern" "$*"
}

# t_file NAME EXPECTED_RC PATTERN -- CMD...: like t, but CMD's output goes to a
# temporary file instead of a pipe. Use it for commands that leave processes
# behind which inherit stdout/stderr (e.g. `runtime create`: the container
# keeps the descriptors open, and reading a pipe would never see EOF).
t_file() {
    local name=$1 want_rc=$2 pattern=$3 f
    shift 3
    [ "${1:-}" = "--" ] && shift
    f=$(mktemp "${TMPDIR:-/tmp}/clients-out.XXXXXX")
    timeout --kill-after=10 "$T_TIMEOUT" "$@" >"$f" 2>&1 </dev/null
    T_RC=$?
    T_OUT=$(tr -d '\000' < "$f"); rm -f "$f"
    _t_judge "$name" "$want_rc" "$pattern" "$*"
}

# capture CMD...: run CMD like t_file does (output through a file, timeout),
# setting $T_OUT and $T_RC, without judging the result.
capture() {
    local f
    f=$(mktemp "${TMPDIR:-/tmp}/clients-out.XXXXXX")
    timeout --kill-after=10 "$T_TIMEOUT" "$@" >"$f" 2>&1 </dev/null
    T_RC=$?
    T_OUT=$(tr -d '\000' < "$f"); rm -f "$f"
}

# t_in NAME EXPECTED_RC PATTERN INPUT -- CMD...: like t, with INPUT on stdin.
t_in() {
    local name=$1 want_rc=$2 pattern=$3 input=$4
    shift 4
    [ "${1:-}" = "--" ] && shift
    T_OUT=$(printf '%s\n' "$input" | timeout --kill-after=10 "$T_TIMEOUT" "$@" 2>&1 | tr -d '\000'
            exit "${PIPESTATUS[1]}")
    T_RC=$?
    _t_judge "$name" "$want_rc" "$pattern" "$*"
}

# t_tty NAME EXPECTED_RC PATTERN -- CMD...: like t, but CMD runs with a pseudo
# terminal (30 rows x 100 columns) as its stdin/stdout/stderr, driven by
# script(1) from bsdutils. Carriage returns are stripped from $T_OUT, and so
# is the "^@" that the terminal echoes when script(1) forwards the end of its
# (empty) stdin.
t_tty() {
    local name=$1 want_rc=$2 pattern=$3 cmd
    shift 3
    [ "${1:-}" = "--" ] && shift
    cmd="stty rows 30 cols 100 2>/dev/null; $(printf '%q ' "$@")"
    T_OUT=$(SHELL=/bin/bash timeout --kill-after=10 "$T_TIMEOUT" \
                script -qefc "$cmd" /dev/null 2>&1 </dev/null | tr -d '\r\000' | sed 's/\^@//g'
            exit "${PIPESTATUS[0]}")
    T_RC=$?
    _t_judge "$name" "$want_rc" "$pattern" "$*"
}

_t_judge() {
    local name=$1 want_rc=$2 pattern=$3 cmdline=$4
    if [ "$want_rc" != any ] && [ "$T_RC" != "$want_rc" ]; then
        _fail "$name" "command: $cmdline
expected exit status $want_rc, got $T_RC; output:
$T_OUT"
        return 1
    fi
    if [ -n "$pattern" ] && ! grep -Eq -- "$pattern" <<<"$T_OUT"; then
        _fail "$name" "command: $cmdline
output does not match /$pattern/; output:
$T_OUT"
        return 1
    fi
    _pass "$name"
}

# out_has NAME ERE: pass when the output of the previous t* call ($T_OUT)
# has a line matching the extended regular expression ERE.
out_has() {
    if grep -Eq -- "$2" <<<"$T_OUT"; then _pass "$1"; else _fail "$1" "$T_OUT"; fi
}

# verdict NAME STATUS [DETAILS]: pass when STATUS is 0 (e.g. verdict X $?).
verdict() {
    if [ "$2" = 0 ]; then _pass "$1"; else _fail "$1" "${3:-}"; fi
}

# check NAME CONDITION_DESCRIPTION -- CMD...: pass when CMD exits 0.
check() {
    local name=$1 what=$2
    shift 2
    [ "${1:-}" = "--" ] && shift
    if "$@" >/dev/null 2>&1; then _pass "$name"; else _fail "$name" "$what"; fi
}

# summary: print the tally; return non-zero when something failed.
summary() {
    if grep -q "hybrid mode not supported" <<<"$T_FAIL_TEXT"; then
        echo "hint: this host mixes cgroup v1 and v2 (hybrid) and the runtime refuses it;"
        echo "      rerun with HIDE_CGROUP2=1 (see make-hybrid-wrapper.sh)"
    fi
    if grep -qi "setrlimit\|rlimit type" <<<"$T_FAIL_TEXT"; then
        echo "hint: the runtime could not set an rlimit; this VM lacks CAP_SYS_RESOURCE"
    fi
    echo "----"
    echo "$T_PASS passed, $T_FAIL failed"
    if [ "$T_FAIL" -gt 0 ]; then
        printf '  failed: %s\n' "${T_FAILED[@]}"
        return 1
    fi
    return 0
}

# ------------------------------------------------------------------ cleanup
# umount_under DIR: unmount every mount point at or below DIR (deepest first).
umount_under() {
    local dir mp
    dir=$(readlink -f "$1") || return 0
    [ -n "$dir" ] && [ "$dir" != / ] || return 0
    # Field 5 of mountinfo is the mount point (octal escapes for spaces).
    awk -v d="$dir" '$5 == d || index($5, d "/") == 1 {print $5}' /proc/self/mountinfo |
        sort -r -u |
        while read -r mp; do
            umount "$mp" 2>/dev/null || umount -l "$mp" 2>/dev/null || true
        done
    return 0
}

# rm_cgroup_tree REL: remove the (empty) cgroup directory REL, e.g.
# "clients-podman-1234", from every cgroup hierarchy, children first.
# Directories that still hold processes are left alone. On cgroup v1 hosts
# podman also creates REL/conmon (with a "tasks" file) below any directory
# /sys/fs/cgroup/<controller> that merely exists without being mounted (a
# plain tmpfs directory); such stray copies of REL are deleted as well.
rm_cgroup_tree() {
    local rel=${1#/} root fstype
    [ -n "$rel" ] || return 0
    for root in $(awk '$3 == "cgroup" || $3 == "cgroup2" {print $2}' /proc/self/mounts) \
                /sys/fs/cgroup/*; do
        [ -d "$root/$rel" ] || continue
        fstype=$(stat -f -c %T "$root/$rel" 2>/dev/null)
        case "$fstype" in
            cgroupfs|cgroup2fs)
                find "$root/$rel" -depth -type d -exec rmdir {} \; 2>/dev/null || true ;;
            tmpfs)
                rm -rf "${root:?}/${rel:?}" ;;
        esac
    done
    return 0
}

# pid_alive PID: PID is a positive number and that process exists.
# (A bare `kill -0 0` would succeed: it signals our own process group.)
pid_alive() {
    [[ ${1:-} =~ ^[1-9][0-9]*$ ]] && kill -0 "$1" 2>/dev/null
}

# jtrue TEXT FILTER [JQ_OPTIONS...]: TEXT is non-empty JSON for which the jq
# FILTER yields true. (jq 1.6 -e exits 0 on empty input, hence the guard.)
jtrue() {
    local text=$1 filter=$2
    shift 2
    [ -n "${text//[[:space:]]/}" ] || return 1
    jq -e "$@" "$filter" <<<"$text" >/dev/null 2>&1
}

# wait_gone PID [SECONDS]: wait until process PID has exited.
wait_gone() {
    local pid=$1 n=$(( ${2:-10} * 10 ))
    while [ "$n" -gt 0 ] && kill -0 "$pid" 2>/dev/null; do
        sleep 0.1; n=$((n - 1))
    done
    ! kill -0 "$pid" 2>/dev/null
}
