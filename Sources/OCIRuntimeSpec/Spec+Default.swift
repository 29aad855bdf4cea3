extension Spec {
    /// The example config `runc spec` writes (runc 1.1.5), which runs `sh` on a terminal with
    /// three capabilities in new pid, network, ipc, uts and mount namespaces.
    ///
    /// With `rootless` it is `runc spec --rootless`: no network namespace and no cgroup device
    /// rules, a user namespace mapping container root to the caller, `/sys` bind-mounted (sysfs
    /// cannot be mounted without owning the network namespace) and devpts without `gid=5`.
    /// `ociVersion` is ours (`Spec.version`), not runc's `1.0.2-dev`.
    /// - Parameters:
    ///   - rootless: produce the rootless variant.
    ///   - hostUID: the host uid container root maps to when rootless (runc uses the caller's euid).
    ///   - hostGID: the host gid container root maps to when rootless (the caller's egid).
    public static func runcDefault(rootless: Bool, hostUID: UInt32 = 0, hostGID: UInt32 = 0) -> Spec {
        let capabilities = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
        let process = Process(
            terminal: true, user: User(uid: 0, gid: 0), args: ["sh"],
            env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
            cwd: "/",
            capabilities: Capabilities(bounding: capabilities, effective: capabilities,
                                       permitted: capabilities, ambient: capabilities),
            rlimits: [RLimit(type: "RLIMIT_NOFILE", hard: 1024, soft: 1024)],
            noNewPrivileges: true)

        var linux = Linux(namespaces: [.init(type: .pid), .init(type: .network), .init(type: .ipc),
                                       .init(type: .uts), .init(type: .mount)])
        linux.resources = Resources(devices: [DeviceRule(allow: false, access: "rwm")])
        linux.maskedPaths = [
            "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
            "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi",
        ]
        linux.readonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]

        var spec = Spec(process: process, root: Root(path: "rootfs", readonly: true), hostname: "runc",
                        mounts: defaultMounts, linux: linux)
        if rootless { spec.makeRootless(hostUID: hostUID, hostGID: hostGID) }
        return spec
    }

    private static var defaultMounts: [Mount] {
        [
            Mount(destination: "/proc", type: "proc", source: "proc"),
            Mount(destination: "/dev", type: "tmpfs", source: "tmpfs",
                  options: ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            Mount(destination: "/dev/pts", type: "devpts", source: "devpts",
                  options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
            Mount(destination: "/dev/shm", type: "tmpfs", source: "shm",
                  options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
            Mount(destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"]),
            Mount(destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"]),
            Mount(destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup",
                  options: ["nosuid", "noexec", "nodev", "relatime", "ro"]),
        ]
    }

    /// runc's `specconv.ToRootless`, applied to the default spec.
    /// https://github.com/opencontainers/runc/blob/v1.1.5/libcontainer/specconv/example.go
    private mutating func makeRootless(hostUID: UInt32, hostGID: UInt32) {
        guard var linux else { return }
        // An unprivileged user cannot create the network namespace's devices or set cgroup rules.
        linux.namespaces = (linux.namespaces ?? []).filter { $0.type != .network && $0.type != .user }
            + [Namespace(type: .user)]
        linux.uidMappings = [IDMapping(containerID: 0, hostID: hostUID, size: 1)]
        linux.gidMappings = [IDMapping(containerID: 0, hostID: hostGID, size: 1)]
        linux.resources = nil
        self.linux = linux
        mounts = mounts?.map { mount in
            var mount = mount
            switch mount.destination {
            case "/sys":
                // sysfs can only be mounted by the owner of the network namespace.
                mount = Mount(destination: "/sys", type: "none", source: "/sys",
                              options: ["rbind", "nosuid", "noexec", "nodev", "ro"])
            default:
                // gid 5 (tty) is not mapped in the user namespace.
                mount.options = mount.options?.filter { $0 != "gid=5" }
            }
            return mount
        }
    }
}
