// berth_shim.h: the only C in Berth.
//
// Each function exists for one of three reasons, named in its comment:
//  [nowrap]  the kernel call has no glibc wrapper (pivot_root, openat2, open_tree, ...);
//  [hidden]  Swift's Glibc module does not import the declaration or constant
//            (unshare, setns, prctl's variadic form, ioctl requests, CLONE_* flags, ...);
//  [signal-safe] it must run between fork and exec, where Swift may not run.
#ifndef BERTH_SHIM_H
#define BERTH_SHIM_H

#include <stdint.h>
#include <sys/types.h>

// MARK: - Constants Swift cannot see [hidden]

extern const int BT_CLONE_NEWNS, BT_CLONE_NEWUTS, BT_CLONE_NEWIPC, BT_CLONE_NEWUSER,
    BT_CLONE_NEWPID, BT_CLONE_NEWNET, BT_CLONE_NEWCGROUP, BT_CLONE_NEWTIME;
extern const unsigned long BT_MS_RDONLY, BT_MS_NOSUID, BT_MS_NODEV, BT_MS_NOEXEC,
    BT_MS_SYNCHRONOUS, BT_MS_REMOUNT, BT_MS_MANDLOCK, BT_MS_DIRSYNC, BT_MS_NOATIME,
    BT_MS_NODIRATIME, BT_MS_BIND, BT_MS_MOVE, BT_MS_REC, BT_MS_SILENT, BT_MS_UNBINDABLE,
    BT_MS_PRIVATE, BT_MS_SLAVE, BT_MS_SHARED, BT_MS_RELATIME, BT_MS_STRICTATIME,
    BT_MS_LAZYTIME;
extern const int BT_MNT_DETACH;
extern const uint64_t BT_RESOLVE_IN_ROOT, BT_RESOLVE_NO_MAGICLINKS, BT_RESOLVE_NO_SYMLINKS,
    BT_RESOLVE_BENEATH, BT_RESOLVE_NO_XDEV;

// MARK: - Namespaces [hidden]

int bt_unshare(int flags);
int bt_setns(int fd, int nstype);

// MARK: - Mounts [nowrap]/[hidden]

int bt_mount(const char *source, const char *target, const char *fstype,
             unsigned long flags, const char *data);
int bt_umount2(const char *target, int flags);
int bt_pivot_root(const char *new_root, const char *put_old);
/// openat2(2) with `struct open_how`.
int bt_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve);
/// open_tree(2) with OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC (and AT_RECURSIVE when `recursive`).
int bt_open_tree_clone(int dirfd, const char *path, int recursive, int empty_path);
/// mount_setattr(2) on the mount `fd` refers to: set MOUNT_ATTR_RDONLY (and recursively).
int bt_mount_setattr_rdonly(int fd, int recursive);

// MARK: - Processes [nowrap]/[hidden]

int bt_pidfd_open(pid_t pid);
int bt_pidfd_send_signal(int pidfd, int sig);
int bt_close_range_cloexec(unsigned int first);
int bt_setresuid(uid_t r, uid_t e, uid_t s);
int bt_setresgid(gid_t r, gid_t e, gid_t s);
int bt_setgroups(size_t n, const gid_t *groups);
int bt_sethostname(const char *name, size_t len);
int bt_setdomainname(const char *name, size_t len);
int bt_prlimit(pid_t pid, int resource, uint64_t soft, uint64_t hard);
int bt_join_session_keyring(const char *name);
int bt_mknodat(int dirfd, const char *path, unsigned int mode, unsigned int major, unsigned int minor);
unsigned int bt_major(uint64_t dev);
unsigned int bt_minor(uint64_t dev);
int bt_set_no_new_privs(void);
int bt_set_keepcaps(int on);
int bt_set_dumpable(int on);
int bt_set_child_subreaper(void);
int bt_set_pdeathsig(int sig);
int bt_capbset_drop(int cap);
int bt_capbset_read(int cap);
int bt_ambient_raise(int cap);
int bt_ambient_clear_all(void);
int bt_cap_last_cap(void);
/// memfd_create(2) with MFD_CLOEXEC [hidden].
int bt_memfd_create(const char *name);
/// seccomp(SECCOMP_SET_MODE_FILTER, flags, prog) with `count` 8-byte BPF instructions [nowrap].
int bt_seccomp_set_filter(unsigned int flags, const void *instructions, unsigned short count);
/// personality(2) [hidden: <sys/personality.h> is not in the Glibc module].
int bt_personality(unsigned long persona);
/// capset(2), version 3: each set is two 32-bit words as one 64-bit mask.
int bt_capset(uint64_t effective, uint64_t permitted, uint64_t inheritable);
int bt_capget(pid_t pid, uint64_t *effective, uint64_t *permitted, uint64_t *inheritable);

// MARK: - Terminals [hidden: ioctl is variadic]

int bt_ioctl_set_ctty(int fd);
int bt_ioctl_set_winsize(int fd, unsigned short rows, unsigned short cols);
int bt_ioctl_unlock_pt(int fd);
int bt_ioctl_get_ptn(int fd, unsigned int *n);
int bt_ioctl_get_winsize(int fd, unsigned short *rows, unsigned short *cols);

// MARK: - Descriptors over unix sockets [hidden: CMSG_* macros]

int bt_socketpair_seqpacket(int sv[2]);
/// pipe2(O_CLOEXEC) [hidden: needs _GNU_SOURCE].
int bt_pipe_cloexec(int fds[2]);
/// Sends `len` bytes of `data` and, when `fd >= 0`, that descriptor in one SCM_RIGHTS message.
int bt_send_fd(int sock, const void *data, size_t len, int fd);
/// Receives up to `cap` bytes into `data`; `*fd` gets a passed descriptor (O_CLOEXEC) or -1.
ssize_t bt_recv_fd(int sock, void *data, size_t cap, int *fd);
/// The size of the next message on a SOCK_SEQPACKET socket, without taking it (MSG_PEEK|MSG_TRUNC).
ssize_t bt_next_message_size(int sock);

// MARK: - Spawning into namespaces [signal-safe]

enum { BT_SPAWN_MAX_NS = 8, BT_SPAWN_MAX_KEEP = 16 };

/// Stages of `bt_spawn` reported back to the parent when one fails.
enum bt_spawn_stage {
    BT_STAGE_SETNS = 1, BT_STAGE_UNSHARE_USER, BT_STAGE_ID_MAPS,
    BT_STAGE_SETRESID, BT_STAGE_UNSHARE, BT_STAGE_TIMENS, BT_STAGE_CLONE,
    BT_STAGE_KEEP_FDS, BT_STAGE_EXEC, BT_STAGE_SETSID,
};

/// A message on the sync socket from the spawned processes to the parent.
struct bt_spawn_msg {
    int32_t type;   // 'U' want id maps, 'P' final pid, 'E' error
    int32_t stage;  // enum bt_spawn_stage for 'E'
    int32_t value;  // pid for 'P', errno for 'E', nstype for a failed setns
};

struct bt_spawn_config {
    int sync_fd;                       // the child's end of a SOCK_SEQPACKET pair
    int exe_fd;                        // executed with execveat(AT_EMPTY_PATH)
    char *const *argv;
    char *const *envp;
    int ns_fds[BT_SPAWN_MAX_NS];       // namespaces to join, in this order (user first)
    int ns_types[BT_SPAWN_MAX_NS];
    int ns_count;
    int new_user;                      // unshare a user namespace; the parent writes the maps
    int become_root;                   // setresuid/gid(0) after joining or making a user ns
    int unshare_flags;                 // other CLONE_NEW* flags to create
    const char *timens_offsets;        // written to /proc/self/timens_offsets, or NULL
    size_t timens_offsets_len;
    int keep_fds[BT_SPAWN_MAX_KEEP];   // descriptors to keep open across exec (CLOEXEC cleared)
    int keep_count;
    int new_session;                   // setsid() before exec
};

/// Forks an intermediate process that joins and creates the namespaces (asking the parent for
/// id maps with 'U' and waiting for 'M'), then clones the final process with CLONE_PARENT (so it
/// is the caller's child) and exits after sending its pid ('P'). The final process execs
/// `exe_fd`; it joins the container's cgroups before it does anything for the container. Every
/// failure is sent as an 'E' message. Returns the intermediate's pid, or -1 with errno set.
pid_t bt_spawn(const struct bt_spawn_config *config);

/// fork + execve for a threaded or single-threaded caller: `stdin_fd` becomes fd 0 (or /dev/null
/// when -1), stdout/stderr are inherited unless `out_fd` >= 0. Returns the pid or -1.
pid_t bt_fork_exec(const char *path, char *const argv[], char *const envp[], int stdin_fd, int out_fd);

#endif
