// Thin wrappers; see include/berth_shim.h for why each one is C.
#define _GNU_SOURCE
#include "berth_shim.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_RAISE 2
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

const int BT_CLONE_NEWNS = CLONE_NEWNS, BT_CLONE_NEWUTS = CLONE_NEWUTS,
          BT_CLONE_NEWIPC = CLONE_NEWIPC, BT_CLONE_NEWUSER = CLONE_NEWUSER,
          BT_CLONE_NEWPID = CLONE_NEWPID, BT_CLONE_NEWNET = CLONE_NEWNET,
          BT_CLONE_NEWCGROUP = CLONE_NEWCGROUP, BT_CLONE_NEWTIME = CLONE_NEWTIME;
const unsigned long BT_MS_RDONLY = MS_RDONLY, BT_MS_NOSUID = MS_NOSUID, BT_MS_NODEV = MS_NODEV,
    BT_MS_NOEXEC = MS_NOEXEC, BT_MS_SYNCHRONOUS = MS_SYNCHRONOUS, BT_MS_REMOUNT = MS_REMOUNT,
    BT_MS_MANDLOCK = MS_MANDLOCK, BT_MS_DIRSYNC = MS_DIRSYNC, BT_MS_NOATIME = MS_NOATIME,
    BT_MS_NODIRATIME = MS_NODIRATIME, BT_MS_BIND = MS_BIND, BT_MS_MOVE = MS_MOVE,
    BT_MS_REC = MS_REC, BT_MS_SILENT = MS_SILENT, BT_MS_UNBINDABLE = MS_UNBINDABLE,
    BT_MS_PRIVATE = MS_PRIVATE, BT_MS_SLAVE = MS_SLAVE, BT_MS_SHARED = MS_SHARED,
    BT_MS_RELATIME = MS_RELATIME, BT_MS_STRICTATIME = MS_STRICTATIME,
    BT_MS_LAZYTIME = MS_LAZYTIME;
const int BT_MNT_DETACH = MNT_DETACH;
const uint64_t BT_RESOLVE_IN_ROOT = RESOLVE_IN_ROOT, BT_RESOLVE_NO_MAGICLINKS = RESOLVE_NO_MAGICLINKS,
               BT_RESOLVE_NO_SYMLINKS = RESOLVE_NO_SYMLINKS, BT_RESOLVE_BENEATH = RESOLVE_BENEATH,
               BT_RESOLVE_NO_XDEV = RESOLVE_NO_XDEV;

int bt_unshare(int flags) { return unshare(flags); }
int bt_setns(int fd, int nstype) { return setns(fd, nstype); }

int bt_mount(const char *source, const char *target, const char *fstype, unsigned long flags,
             const char *data) {
    return mount(source, target, fstype, flags, data);
}
int bt_umount2(const char *target, int flags) { return umount2(target, flags); }
int bt_pivot_root(const char *new_root, const char *put_old) {
    return (int)syscall(SYS_pivot_root, new_root, put_old);
}
int bt_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve) {
    struct open_how how = {.flags = flags, .mode = mode, .resolve = resolve};
    int fd;
    do { fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how); } while (fd < 0 && errno == EINTR);
    return fd;
}
int bt_open_tree_clone(int dirfd, const char *path, int recursive, int empty_path) {
    unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC;
    if (recursive) flags |= AT_RECURSIVE;
    if (empty_path) flags |= AT_EMPTY_PATH;
    return (int)syscall(SYS_open_tree, dirfd, path, flags);
}
int bt_mount_setattr_rdonly(int fd, int recursive) {
    struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY};
    unsigned flags = AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0);
    return (int)syscall(SYS_mount_setattr, fd, "", flags, &attr, sizeof attr);
}

int bt_pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }
int bt_pidfd_send_signal(int pidfd, int sig) {
    return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}
int bt_close_range_cloexec(unsigned int first) {
    return (int)syscall(SYS_close_range, first, ~0U, CLOSE_RANGE_CLOEXEC);
}
int bt_setresuid(uid_t r, uid_t e, uid_t s) { return setresuid(r, e, s); }
int bt_setresgid(gid_t r, gid_t e, gid_t s) { return setresgid(r, e, s); }
int bt_setgroups(size_t n, const gid_t *groups) { return setgroups(n, groups); }
int bt_sethostname(const char *name, size_t len) { return sethostname(name, len); }
int bt_setdomainname(const char *name, size_t len) { return setdomainname(name, len); }
int bt_prlimit(pid_t pid, int resource, uint64_t soft, uint64_t hard) {
    struct rlimit64 lim = {.rlim_cur = soft, .rlim_max = hard};
    return prlimit64(pid, (enum __rlimit_resource)resource, &lim, NULL);
}
int bt_join_session_keyring(const char *name) {
    // KEYCTL_JOIN_SESSION_KEYRING = 1
    return (int)syscall(SYS_keyctl, 1, name, 0, 0, 0);
}
int bt_mknodat(int dirfd, const char *path, unsigned int mode, unsigned int major, unsigned int minor) {
    return mknodat(dirfd, path, mode, makedev(major, minor));
}
unsigned int bt_major(uint64_t dev) { return major(dev); }
unsigned int bt_minor(uint64_t dev) { return minor(dev); }

int bt_set_no_new_privs(void) { return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); }
int bt_set_keepcaps(int on) { return prctl(PR_SET_KEEPCAPS, on ? 1 : 0, 0, 0, 0); }
int bt_set_dumpable(int on) { return prctl(PR_SET_DUMPABLE, on ? 1 : 0, 0, 0, 0); }
int bt_set_child_subreaper(void) { return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }
int bt_set_pdeathsig(int sig) { return prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0); }
int bt_capbset_drop(int cap) { return prctl(PR_CAPBSET_DROP, cap, 0, 0, 0); }
int bt_capbset_read(int cap) { return prctl(PR_CAPBSET_READ, cap, 0, 0, 0); }
int bt_ambient_raise(int cap) { return prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0); }
int bt_ambient_clear_all(void) { return prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0); }
int bt_cap_last_cap(void) {
    int last = CAP_LAST_CAP;
    while (prctl(PR_CAPBSET_READ, last + 1, 0, 0, 0) >= 0) last++;
    return last;
}
int bt_memfd_create(const char *name) { return (int)syscall(SYS_memfd_create, name, MFD_CLOEXEC); }
int bt_seccomp_set_filter(unsigned int flags, const void *instructions, unsigned short count) {
    struct sock_fprog prog = {.len = count, .filter = (struct sock_filter *)instructions};
    return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}
int bt_personality(unsigned long persona) { return personality(persona); }
int bt_capset(uint64_t effective, uint64_t permitted, uint64_t inheritable) {
    struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[2] = {
        {(uint32_t)effective, (uint32_t)permitted, (uint32_t)inheritable},
        {(uint32_t)(effective >> 32), (uint32_t)(permitted >> 32), (uint32_t)(inheritable >> 32)},
    };
    return (int)syscall(SYS_capset, &header, data);
}
int bt_capget(pid_t pid, uint64_t *effective, uint64_t *permitted, uint64_t *inheritable) {
    struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = pid};
    struct __user_cap_data_struct data[2];
    if (syscall(SYS_capget, &header, data) < 0) return -1;
    *effective = data[0].effective | ((uint64_t)data[1].effective << 32);
    *permitted = data[0].permitted | ((uint64_t)data[1].permitted << 32);
    *inheritable = data[0].inheritable | ((uint64_t)data[1].inheritable << 32);
    return 0;
}

int bt_ioctl_set_ctty(int fd) { return ioctl(fd, TIOCSCTTY, 0); }
int bt_ioctl_set_winsize(int fd, unsigned short rows, unsigned short cols) {
    struct winsize ws = {.ws_row = rows, .ws_col = cols};
    return ioctl(fd, TIOCSWINSZ, &ws);
}
int bt_ioctl_unlock_pt(int fd) {
    int unlock = 0;
    return ioctl(fd, TIOCSPTLCK, &unlock);
}
int bt_ioctl_get_ptn(int fd, unsigned int *n) { return ioctl(fd, TIOCGPTN, n); }
int bt_ioctl_get_winsize(int fd, unsigned short *rows, unsigned short *cols) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) < 0) return -1;
    *rows = ws.ws_row;
    *cols = ws.ws_col;
    return 0;
}

int bt_socketpair_seqpacket(int sv[2]) {
    return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv);
}
int bt_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }
int bt_send_fd(int sock, const void *data, size_t len, int fd) {
    struct iovec iov = {.iov_base = (void *)data, .iov_len = len};
    union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } control;
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    memset(&control, 0, sizeof control);
    if (fd >= 0) {
        msg.msg_control = control.buf;
        msg.msg_controllen = sizeof control.buf;
        struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_RIGHTS;
        cmsg->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
    }
    ssize_t n;
    do { n = sendmsg(sock, &msg, MSG_NOSIGNAL); } while (n < 0 && errno == EINTR);
    return n < 0 ? -1 : 0;
}
ssize_t bt_next_message_size(int sock) {
    char byte;
    ssize_t n;
    do { n = recv(sock, &byte, 1, MSG_PEEK | MSG_TRUNC); } while (n < 0 && errno == EINTR);
    return n;
}
ssize_t bt_recv_fd(int sock, void *data, size_t cap, int *fd) {
    struct iovec iov = {.iov_base = data, .iov_len = cap};
    union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } control;
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                         .msg_controllen = sizeof control.buf};
    *fd = -1;
    ssize_t n;
    do { n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC); } while (n < 0 && errno == EINTR);
    if (n < 0) return -1;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
            memcpy(fd, CMSG_DATA(c), sizeof(int));
    }
    return n;
}

