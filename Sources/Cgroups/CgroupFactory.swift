import Diagnostics

/// Picks the manager for a host.
public enum CgroupFactory {
    /// The manager for the container's cgroup on `host`: v1 (hybrid: v1 plus the same path in
    /// the cgroup2 hierarchy) or v2.
    /// - Parameters:
    ///   - path: `linux.cgroupsPath`; empty or nil means `/berth/<containerID>`.
    /// - Throws: `BerthError` `.notFound` when a relative path cannot be resolved.
    public static func makeManager(host: CgroupHost, path: String?, containerID: String,
                                   files: any CgroupFiles = HostCgroupFiles()) throws -> any CgroupManager {
        let cgroupsPath = CgroupHost.containerPath(path, containerID: containerID)
        switch host.layout {
        case .v1, .hybrid: return try V1CgroupManager(host: host, cgroupsPath: cgroupsPath, files: files)
        case .v2: return try V2CgroupManager(host: host, cgroupsPath: cgroupsPath, files: files)
        }
    }

    /// The manager for cgroups made earlier, from the `paths` and `createdDirectories` a
    /// previous manager reported (the state file keeps them).
    /// - Throws: `BerthError` `.notFound` when `paths` lacks the v2 entry on a v2 host.
    public static func loadManager(host: CgroupHost, paths: [String: String], createdDirectories: [String],
                                   files: any CgroupFiles = HostCgroupFiles()) throws -> any CgroupManager {
        if paths.isEmpty { return DisabledCgroupManager() }
        switch host.layout {
        case .v1, .hybrid:
            return V1CgroupManager(host: host, paths: paths, createdDirectories: createdDirectories, files: files)
        case .v2:
            return try V2CgroupManager(host: host, paths: paths, createdDirectories: createdDirectories, files: files)
        }
    }

    /// The manager that does nothing.
    public static func disabled() -> any CgroupManager { DisabledCgroupManager() }
}
