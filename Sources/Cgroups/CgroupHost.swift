import Diagnostics
import LinuxSyscalls

/// The cgroup file systems a host has mounted and the cgroups the calling process is in.
///
/// Built from the text of /proc/self/mountinfo and /proc/self/cgroup, with a root prefix in
/// front of every mount point, so tests can point it at a fake tree in a temporary directory.
public struct CgroupHost: Sendable, Equatable {
    /// v1, v2 or hybrid.
    public var layout: CgroupLayout
    /// The v1 hierarchies with controllers (one per mount, so "cpu,cpuacct" is one entry).
    public var v1Hierarchies: [CgroupHierarchy]
    /// The cgroup2 hierarchy: the whole tree on v2, the process-only tree on hybrid.
    public var unified: CgroupHierarchy?
    /// /proc/self/cgroup: controller (or "name=systemd", or "" for cgroup2) → cgroup path.
    public var ownCgroups: [String: String]
    /// Put in front of every mount point ("" on a real host).
    public var rootPrefix: String

    /// Parses `mountInfo` (/proc/self/mountinfo) and `procCgroup` (/proc/self/cgroup).
    /// - Throws: `BerthError` `.notFound` when no cgroup file system is mounted.
    public init(mountInfo: String, procCgroup: String, rootPrefix: String = "") throws {
        let hierarchies = Self.parseMountInfo(mountInfo, rootPrefix: rootPrefix)
        self.rootPrefix = rootPrefix
        self.v1Hierarchies = hierarchies.filter { !$0.isUnified }
        self.unified = hierarchies.first { $0.isUnified }
        self.ownCgroups = Self.parseProcCgroup(procCgroup)
        let hasV1Controllers = v1Hierarchies.contains { $0.controllers.contains { !$0.hasPrefix("name=") } }
        switch (hasV1Controllers, unified != nil) {
        case (true, true): layout = .hybrid
        case (true, false): layout = .v1
        case (false, true): layout = .v2
        case (false, false):
            throw BerthError(.notFound, "detect cgroups: no cgroup file system in mountinfo")
        }
        if layout == .v2 { v1Hierarchies = [] }
    }

    /// The host this process runs on, from /proc/self/mountinfo and /proc/self/cgroup.
    public static func detect() throws -> CgroupHost {
        try BerthError.wrap("detect cgroups") {
            try CgroupHost(mountInfo: Files.readString("/proc/self/mountinfo"),
                           procCgroup: Files.readString("/proc/self/cgroup"))
        }
    }

    /// The v1 hierarchy a controller is bound to ("memory", "cpuacct", "name=systemd").
    public func hierarchy(for controller: String) -> CgroupHierarchy? {
        if controller.isEmpty { return unified }
        return v1Hierarchies.first { $0.controllers.contains(controller) }
    }
}
