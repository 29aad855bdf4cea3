import OCIRuntimeSpec

/// Everything the container's init needs to build the container's file system view.
public struct RootfsConfig: Sendable {
    /// Absolute host path of `root.path` (resolved against the bundle).
    public var rootfs: String
    /// The whole config: mounts, linux.devices, masked and read-only paths, propagation.
    public var spec: Spec
    /// `--no-pivot`: MS_MOVE the root onto "/" and chroot instead of pivot_root.
    public var noPivot: Bool
    /// The init runs in a new user namespace: mknod is refused, so host device nodes are
    /// bind-mounted instead, and sysfs may not be mountable.
    public var inUserNamespace: Bool
    /// The container's own cgroups, one per hierarchy, for `cgroup`/`cgroup2` mounts.
    public var cgroupMounts: [CgroupMountSource]
    /// The init has a new cgroup namespace: cgroup file systems are mounted fresh instead of bound.
    public var cgroupNamespace: Bool

    public init(rootfs: String, spec: Spec, noPivot: Bool = false, inUserNamespace: Bool = false,
                cgroupMounts: [CgroupMountSource] = [], cgroupNamespace: Bool = false) {
        self.rootfs = rootfs
        self.spec = spec
        self.noPivot = noPivot
        self.inUserNamespace = inUserNamespace
        self.cgroupMounts = cgroupMounts
        self.cgroupNamespace = cgroupNamespace
    }
}

/// One cgroup hierarchy the init mounts under the container's /sys/fs/cgroup.
public struct CgroupMountSource: Sendable, Codable, Equatable {
    /// The directory under /sys/fs/cgroup in the container ("memory", "cpu,cpuacct", "systemd",
    /// "unified"), or "" on a pure v2 host, where the hierarchy is the mount itself.
    public var name: String
    /// The container's own cgroup directory in that hierarchy on the host.
    public var hostPath: String
    /// "cgroup" or "cgroup2".
    public var fsType: String
    /// Mount data for a fresh mount in a cgroup namespace: "memory", "name=systemd", "" for cgroup2.
    public var options: String

    public init(name: String, hostPath: String, fsType: String, options: String) {
        self.name = name
        self.hostPath = hostPath
        self.fsType = fsType
        self.options = options
    }
}
