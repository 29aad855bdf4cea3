/*
 * probe: a static test payload copied into e2e bundles as /probe.
 *
 * It reports one fact about the process it runs as, per invocation, on stdout,
 * in a line-oriented machine-readable form.  Facts come from syscalls, not from
 * the container's /proc where that can be avoided (the runtime under test sets
 * /proc up, so it must not be the witness of its own work).
 *
 * Build: gcc -static -O2 -o probe probe.c   (static: the rootfs has no libc)
 * Exit status: 0 = fact printed (including "the write failed with EROFS"),
 * 1 = the fact could not be read, 2 = usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>

extern char **environ;

static const char *ename(int e) {
    const char *n = strerrorname_np(e);
    return n ? n : "EUNKNOWN";
}

static int fail(const char *what, const char *path) {
    printf("error %s %s\n", what, ename(errno));
    (void)path;
    return 1;
}

/* cat a file to stdout; an empty file prints nothing. */
static int cat(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fail("open", path);
    char buf[8192];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) fwrite(buf, 1, (size_t)n, stdout);
    int e = errno;
    close(fd);
    if (n < 0) { errno = e; return fail("read", path); }
    return 0;
}

static int cmd_ids(void) {
    gid_t groups[NGROUPS_MAX];
    int n = getgroups(NGROUPS_MAX, groups);
    if (n < 0) return fail("getgroups", "");
    printf("uid=%u euid=%u gid=%u egid=%u groups=", getuid(), geteuid(), getgid(), getegid());
    for (int i = 0; i < n; i++) printf(i ? ",%u" : "%u", groups[i]);
    printf("\n");
    return 0;
}

/* The five capability sets, as /proc/PID/status spells them, read with capget(2)
 * and prctl(2) so a runtime-provided /proc cannot lie. */
static int cmd_caps(void) {
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    if (syscall(SYS_capget, &h, d) != 0) return fail("capget", "");
    unsigned long long inh = d[0].inheritable | (unsigned long long)d[1].inheritable << 32;
    unsigned long long prm = d[0].permitted | (unsigned long long)d[1].permitted << 32;
    unsigned long long eff = d[0].effective | (unsigned long long)d[1].effective << 32;
    unsigned long long bnd = 0, amb = 0;
    for (int c = 0; c < 64; c++) {
        int r = prctl(PR_CAPBSET_READ, c, 0, 0, 0);
        if (r < 0) break;  /* EINVAL past the kernel's last capability */
        if (r == 1) bnd |= 1ULL << c;
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, c, 0, 0) == 1) amb |= 1ULL << c;
    }
    printf("CapInh:\t%016llx\nCapPrm:\t%016llx\nCapEff:\t%016llx\nCapBnd:\t%016llx\nCapAmb:\t%016llx\n",
           inh, prm, eff, bnd, amb);
    return 0;
}

/* Open descriptors, found with fcntl(F_GETFD) rather than /proc/self/fd. */
static int cmd_fds(void) {
    int first = 1;
    for (int fd = 0; fd < 1024; fd++) {
        if (fcntl(fd, F_GETFD) == -1) continue;
        printf(first ? "%d" : " %d", fd);
        first = 0;
    }
    printf("\n");
    return 0;
}

static const struct { const char *name; int res; } rlimits[] = {
    {"CPU", RLIMIT_CPU}, {"FSIZE", RLIMIT_FSIZE}, {"DATA", RLIMIT_DATA},
    {"STACK", RLIMIT_STACK}, {"CORE", RLIMIT_CORE}, {"RSS", RLIMIT_RSS},
    {"NPROC", RLIMIT_NPROC}, {"NOFILE", RLIMIT_NOFILE}, {"MEMLOCK", RLIMIT_MEMLOCK},
    {"AS", RLIMIT_AS}, {"LOCKS", RLIMIT_LOCKS}, {"SIGPENDING", RLIMIT_SIGPENDING},
    {"MSGQUEUE", RLIMIT_MSGQUEUE}, {"NICE", RLIMIT_NICE}, {"RTPRIO", RLIMIT_RTPRIO},
    {"RTTIME", RLIMIT_RTTIME},
};

static void print_limit(rlim_t v) {
    if (v == RLIM_INFINITY) printf("unlimited");
    else printf("%llu", (unsigned long long)v);
}

/* "probe rlimit NOFILE" (RLIMIT_ prefix optional) prints "SOFT HARD". */
static int cmd_rlimit(const char *name) {
    if (strncmp(name, "RLIMIT_", 7) == 0) name += 7;
    for (size_t i = 0; i < sizeof rlimits / sizeof rlimits[0]; i++) {
        if (strcmp(name, rlimits[i].name) != 0) continue;
        struct rlimit rl;
        if (getrlimit(rlimits[i].res, &rl) != 0) return fail("getrlimit", name);
        print_limit(rl.rlim_cur);
        printf(" ");
        print_limit(rl.rlim_max);
        printf("\n");
        return 0;
    }
    fprintf(stderr, "probe: unknown rlimit %s\n", name);
    return 2;
}

/* Open PATH for writing (never truncating, never writing) and classify the
 * result.  A sealed memfd (runc's CVE-2019-5736 defence) opens but refuses
 * writes, so the seals decide between "sealed" and "WRITABLE". */
static void exe_write_check(const char *label, const char *path) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) { printf("%s %s\n", label, ename(errno)); return; }
    int seals = fcntl(fd, F_GET_SEALS);
    printf("%s %s\n", label, seals >= 0 && (seals & F_SEAL_WRITE) ? "sealed" : "WRITABLE");
    close(fd);
}

static int cmd_exe_write(int argc, char **argv) {
    if (argc == 0) {
        exe_write_check("/proc/self/exe", "/proc/self/exe");
        exe_write_check("/proc/1/exe", "/proc/1/exe");
        return 0;
    }
    for (int i = 0; i < argc; i++) exe_write_check(argv[i], argv[i]);
    return 0;
}

/* The CVE-2019-5736 attack shape: take an O_PATH handle on PATH (e.g. the
 * runtime as /proc/1/exe) now, wait until PATH points elsewhere (the runtime
 * exec'd the user program), then try to reopen the handle for writing. */
static int cmd_exe_write_later(const char *path) {
    char before[PATH_MAX] = "", now[PATH_MAX];
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) { printf("%s %s\n", path, ename(errno)); return 0; }
    ssize_t n = readlink(path, before, sizeof before - 1);
    if (n >= 0) before[n] = 0;
    /* The handle is taken now, while PID 1 is still the runtime; the wait for its exec
     * happens in a child, so the caller (a startContainer hook) can return. */
    pid_t child = fork();
    if (child < 0) { printf("%s fork %s\n", path, ename(errno)); return 0; }
    if (child > 0) return 0;
    for (int i = 0; i < 500; i++) {  /* up to 5 s */
        n = readlink(path, now, sizeof now - 1);
        if (n < 0 || (now[n] = 0, strcmp(now, before) != 0)) break;
        usleep(10000);
    }
    char self[64];
    snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
    exe_write_check(path, self);
    return 0;
}

static int cmd_write(const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, "probe\n", 6) != 6) { printf("%s\n", ename(errno)); return 0; }
    close(fd);
    printf("ok\n");
    return 0;
}

static int cmd_stat(const char *path) {
    struct stat st;
    if (lstat(path, &st) != 0) { printf("%s\n", ename(errno)); return 1; }
    const char *t = S_ISREG(st.st_mode) ? "reg" : S_ISDIR(st.st_mode) ? "dir"
                  : S_ISCHR(st.st_mode) ? "chr" : S_ISBLK(st.st_mode) ? "blk"
                  : S_ISLNK(st.st_mode) ? "lnk" : S_ISFIFO(st.st_mode) ? "fifo" : "sock";
    printf("type=%s mode=%04o rdev=%u:%u uid=%u gid=%u size=%lld", t,
           (unsigned)(st.st_mode & 07777), major(st.st_rdev), minor(st.st_rdev),
           st.st_uid, st.st_gid, (long long)st.st_size);
    if (S_ISLNK(st.st_mode)) {
        char target[PATH_MAX];
        ssize_t n = readlink(path, target, sizeof target - 1);
        if (n >= 0) { target[n] = 0; printf(" target=%s", target); }
    }
    printf("\n");
    return 0;
}

static void on_term(int sig) { _exit(128 + sig); }

static int cmd_tty(void) {
    for (int fd = 0; fd <= 2; fd++) {
        if (isatty(fd)) {
            char *name = ttyname(fd);
            printf("%d tty %s\n", fd, name ? name : ename(errno));
        } else {
            printf("%d notty\n", fd);
        }
    }
    return 0;
}

static int cmd_time(void) {
    struct timespec m, b;
    clock_gettime(CLOCK_MONOTONIC, &m);
    clock_gettime(CLOCK_BOOTTIME, &b);
    printf("monotonic=%lld boottime=%lld\n", (long long)m.tv_sec, (long long)b.tv_sec);
    return 0;
}

static int usage(void) {
    fprintf(stderr,
        "usage: probe hostname|domainname|pid|ids|caps|nnp|fds|umask|cwd|env|tty|time|mountinfo\n"
        "       probe rlimit NAME | write PATH | stat PATH | read PATH | sysctl KEY | oom-score-adj\n"
        "       probe exe-write [PATH...] | exe-write-later PATH | sleep SECONDS | exit CODE\n");
    return 2;
}

int main(int argc, char **argv) {
    if (argc < 2) return usage();
    const char *c = argv[1];
    const char *arg = argc > 2 ? argv[2] : NULL;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!strcmp(c, "hostname")) {
        char h[HOST_NAME_MAX + 1];
        if (gethostname(h, sizeof h) != 0) return fail("gethostname", "");
        printf("%s\n", h);
    } else if (!strcmp(c, "domainname")) {
        struct utsname u;
        if (uname(&u) != 0) return fail("uname", "");
        printf("%s\n", u.domainname);
    } else if (!strcmp(c, "pid")) {
        printf("%d\n", getpid());
    } else if (!strcmp(c, "ids")) {
        return cmd_ids();
    } else if (!strcmp(c, "caps")) {
        return cmd_caps();
    } else if (!strcmp(c, "nnp")) {
        printf("%d\n", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    } else if (!strcmp(c, "fds")) {
        return cmd_fds();
    } else if (!strcmp(c, "rlimit") && arg) {
        return cmd_rlimit(arg);
    } else if (!strcmp(c, "umask")) {
        mode_t m = umask(0);
        umask(m);
        printf("%04o\n", (unsigned)m);
    } else if (!strcmp(c, "cwd")) {
        char d[PATH_MAX];
        /* glibc fails with ENOENT when the kernel says "(unreachable)": a cwd
         * outside the container's root. */
        if (!getcwd(d, sizeof d)) { printf("%s\n", ename(errno)); return 1; }
        printf("%s\n", d);
    } else if (!strcmp(c, "env")) {
        for (char **e = environ; *e; e++) printf("%s\n", *e);
    } else if (!strcmp(c, "exe-write")) {
        return cmd_exe_write(argc - 2, argv + 2);
    } else if (!strcmp(c, "exe-write-later") && arg) {
        return cmd_exe_write_later(arg);
    } else if (!strcmp(c, "write") && arg) {
        return cmd_write(arg);
    } else if (!strcmp(c, "read") && arg) {
        return cat(arg);
    } else if (!strcmp(c, "mountinfo")) {
        return cat("/proc/self/mountinfo");
    } else if (!strcmp(c, "stat") && arg) {
        return cmd_stat(arg);
    } else if (!strcmp(c, "sleep") && arg) {
        /* PID 1 gets no default action for SIGTERM: handle it so that
         * `kill ID TERM` ends the container. */
        signal(SIGTERM, on_term);
        sleep((unsigned)atoi(arg));
    } else if (!strcmp(c, "exit") && arg) {
        return atoi(arg);
    } else if (!strcmp(c, "tty")) {
        return cmd_tty();
    } else if (!strcmp(c, "oom-score-adj")) {
        return cat("/proc/self/oom_score_adj");
    } else if (!strcmp(c, "sysctl") && arg) {
        char p[PATH_MAX] = "/proc/sys/";
        size_t n = strlen(p);
        for (const char *s = arg; *s && n < sizeof p - 1; s++) p[n++] = *s == '.' ? '/' : *s;
        p[n] = 0;
        return cat(p);
    } else if (!strcmp(c, "time")) {
        return cmd_time();
    } else {
        return usage();
    }
    return 0;
}
