import Cgroups
import Diagnostics

extension Container {
    /// The host pids of every process in the container's cgroup (its sub-cgroups included),
    /// in ascending order; what `ps --format json` prints and containerd's shim parses.
    /// - Throws: `.invalidState` for a stopped container or one without a cgroup.
    public func processIDs() throws -> [Int32] {
        guard status != .stopped else { throw BerthError(.invalidState, "container \(id) is not running") }
        let manager = try cgroupManager()
        return try BerthError.wrap("list processes of container \(id)") { try manager.pids().sorted() }
    }

    /// The container's resource usage from its cgroups (`events`).
    /// - Throws: `.invalidState` for a stopped container or one without a cgroup.
    public func stats() throws -> CgroupStats {
        guard status != .stopped else { throw BerthError(.invalidState, "container \(id) is not running") }
        let manager = try cgroupManager()
        return try BerthError.wrap("read statistics of container \(id)") { try manager.stats() }
    }
}
