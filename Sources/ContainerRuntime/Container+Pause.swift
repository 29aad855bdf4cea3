import Cgroups
import Diagnostics

extension Container {
    /// Freezes every process of the container (v1 freezer.state, v2 cgroup.freeze); `status`
    /// then reports `paused`.
    /// - Throws: `.invalidState` unless the container is running; `BerthError` from the freezer.
    public func pause() throws {
        guard status == .running else { throw BerthError(.invalidState, "container \(id) is not running") }
        try BerthError.wrap("freeze container \(id)") { try cgroupManager().freeze() }
    }

    /// Thaws a paused container.
    /// - Throws: `.invalidState` unless the container is paused; `BerthError` from the freezer.
    public func resume() throws {
        guard status == .paused else { throw BerthError(.invalidState, "container \(id) is not paused") }
        try BerthError.wrap("thaw container \(id)") { try cgroupManager().thaw() }
    }

    /// The manager of the container's own cgroups.
    /// - Throws: `.invalidState` when the container was made without cgroups: freezing,
    ///   updating or measuring "nothing" would silently succeed.
    func cgroupManager() throws -> any CgroupManager {
        guard !record.cgroupPaths.isEmpty else {
            throw BerthError(.invalidState, "container \(id) has no cgroup")
        }
        return try CgroupPaths.manager(for: record)
    }
}
