import Cgroups
import Diagnostics

/// From `linux.cgroupsPath` to a cgroup manager, the same way for create and for later commands.
enum CgroupPaths {
    /// The spec's path with Berth's default (`/berth/<id>`); with `--systemd-cgroup`, a
    /// "slice:prefix:name" path maps onto the cgroupfs layout systemd would use
    /// ("system.slice:docker:abc" → "/system.slice/docker-abc.scope").
    static func containerPath(_ path: String?, id: String, systemd: Bool) -> String {
        if systemd, let path, !path.hasPrefix("/") {
            let parts = path.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            if parts.count == 3 {
                let slice = parts[0].isEmpty ? "system.slice" : parts[0]
                return "/\(slice)/\(parts[1])-\(parts[2]).scope"
            }
        }
        return CgroupHost.containerPath(path, containerID: id)
    }

    /// The manager that creates the container's cgroups.
    static func manager(cgroupsPath: String, id: String) throws -> any CgroupManager {
        try CgroupFactory.makeManager(host: try CgroupHost.detect(), path: cgroupsPath, containerID: id)
    }

    /// The manager of an existing container, from the directories its record keeps. Parents
    /// are never removed: other containers may live in them (runc leaves them too).
    static func manager(for record: ContainerRecord) throws -> any CgroupManager {
        try CgroupFactory.loadManager(host: try CgroupHost.detect(), paths: record.cgroupPaths, createdDirectories: [])
    }
}
