/// One cgroup hierarchy the container's init mounts under its /sys/fs/cgroup.
public struct CgroupMountSource: Sendable, Codable, Equatable {
    /// The directory name under /sys/fs/cgroup in the container ("memory", "cpu,cpuacct",
    /// "systemd", "unified"), or "" for a pure v2 host where the hierarchy is /sys/fs/cgroup itself.
    public var name: String
    /// The container's cgroup directory in that hierarchy on the host.
    public var hostPath: String
    /// "cgroup" or "cgroup2".
    public var fsType: String
    /// The mount options naming the hierarchy: "memory", "cpu,cpuacct", "name=systemd", "" for cgroup2.
    public var options: String

    public init(name: String, hostPath: String, fsType: String, options: String) {
        self.name = name
        self.hostPath = hostPath
        self.fsType = fsType
        self.options = options
    }
}
