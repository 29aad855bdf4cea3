// The namespace spawner and fork+exec helper. Everything between fork and exec here is
// async-signal-safe: the caller may be a Swift process, whose runtime must not run in a
// forked child.
#define _GNU_SOURCE
#include "berth_shim.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static void report(int sock, int stage, int value) {
    struct bt_spawn_msg msg = {.type = 'E', .stage = stage, .value = value};
    (void)!write(sock, &msg, sizeof msg);
    _exit(1);
}

static int read_byte(int sock) {
    char c;
    ssize_t n;
    do { n = read(sock, &c, 1); } while (n < 0 && errno == EINTR);
    return n == 1 ? c : -1;
}

/// The final process: keep the descriptors it needs and exec the sealed runtime binary.
static void final_child(const struct bt_spawn_config *cfg) {
    for (int i = 0; i < cfg->keep_count; i++) {
        int fd = cfg->keep_fds[i];
        int flags = fcntl(fd, F_GETFD);
        if (flags < 0 || fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC) < 0) report(cfg->sync_fd, BT_STAGE_KEEP_FDS, errno);
    }
    if (cfg->new_session && setsid() < 0) report(cfg->sync_fd, BT_STAGE_SETSID, errno);
    syscall(SYS_execveat, cfg->exe_fd, "", cfg->argv, cfg->envp, AT_EMPTY_PATH);
    report(cfg->sync_fd, BT_STAGE_EXEC, errno);
}

static void intermediate(const struct bt_spawn_config *cfg) {
    int sock = cfg->sync_fd;
    for (int i = 0; i < cfg->ns_count; i++) {
        if (setns(cfg->ns_fds[i], cfg->ns_types[i]) < 0) report(sock, BT_STAGE_SETNS, errno);
    }
    if (cfg->new_user) {
        if (unshare(CLONE_NEWUSER) < 0) report(sock, BT_STAGE_UNSHARE_USER, errno);
        struct bt_spawn_msg msg = {.type = 'U'};
        if (write(sock, &msg, sizeof msg) != sizeof msg) _exit(1);
        if (read_byte(sock) != 'M') report(sock, BT_STAGE_ID_MAPS, EPIPE);
    }
    if (cfg->become_root) {
        // Switch to root inside the user namespace before anything execs: an exec as an
        // unmapped or non-root uid would drop every capability.
        if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0) report(sock, BT_STAGE_SETRESID, errno);
    }
    if (cfg->unshare_flags && unshare(cfg->unshare_flags) < 0) report(sock, BT_STAGE_UNSHARE, errno);
    if (cfg->timens_offsets) {
        int fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, cfg->timens_offsets, cfg->timens_offsets_len) < 0)
            report(sock, BT_STAGE_TIMENS, errno);
        close(fd);
    }
    // CLONE_PARENT: the final process is the runtime's child, so `run` can wait for it and a
    // manager that is a subreaper (conmon, the containerd shim) inherits it when we exit.
    pid_t pid = (pid_t)syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
    if (pid < 0) report(sock, BT_STAGE_CLONE, errno);
    if (pid == 0) final_child(cfg);
    struct bt_spawn_msg msg = {.type = 'P', .value = pid};
    (void)!write(sock, &msg, sizeof msg);
    _exit(0);
}

pid_t bt_spawn(const struct bt_spawn_config *config) {
    pid_t pid = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) intermediate(config);
    return pid;
}

pid_t bt_fork_exec(const char *path, char *const argv[], char *const envp[], int stdin_fd, int out_fd) {
    pid_t pid = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (pid != 0) return pid;
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    int in = stdin_fd >= 0 ? stdin_fd : open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (in < 0 || dup2(in, 0) < 0) _exit(127);
    if (out_fd >= 0 && (dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0)) _exit(127);
    syscall(SYS_close_range, 3, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */);
    execve(path, argv, envp);
    _exit(127);
}
