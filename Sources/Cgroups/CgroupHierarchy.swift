/// One mounted cgroup hierarchy, as /proc/self/mountinfo describes it.
public struct CgroupHierarchy: Sendable, Equatable {
    /// Where the hierarchy is mounted, with the host's root prefix in front.
    public var mountPoint: String
    /// The cgroup mounted there (mountinfo field 4): "/" unless a sub-tree is bind-mounted.
    public var root: String
    /// "cgroup" (v1) or "cgroup2".
    public var fsType: String
    /// The v1 controllers bound to it ("cpu", "cpuacct", "name=systemd"); empty for cgroup2.
    public var controllers: [String]

    public init(mountPoint: String, root: String, fsType: String, controllers: [String]) {
        self.mountPoint = mountPoint
        self.root = root
        self.fsType = fsType
        self.controllers = controllers
    }

    /// True for the cgroup2 hierarchy.
    public var isUnified: Bool { fsType == "cgroup2" }

    /// The key /proc/self/cgroup uses for this hierarchy: its first controller, "" for cgroup2.
    public var key: String { controllers.first ?? "" }

    /// The last component of the mount point ("memory", "cpu,cpuacct", "systemd", "unified").
    public var directoryName: String {
        mountPoint.split(separator: "/").last.map(String.init) ?? ""
    }

    /// The mount options a container needs to mount this hierarchy: "cpu,cpuacct", "name=systemd".
    public var mountOptions: String { controllers.joined(separator: ",") }
}
