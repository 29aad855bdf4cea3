import Diagnostics
import OCIRuntimeSpec

extension Container {
    /// Writes new limits into the live container's cgroups (`update`). Only the fields present
    /// in `resources` change; device rules only when `resources.devices` is given. Nothing is
    /// recorded: the kernel's files are the truth, as `state` and `events` read them.
    /// - Throws: `.invalidState` for a stopped container or one without a cgroup, before any
    ///   write; `BerthError` naming the control file the kernel refused.
    public func update(_ resources: Resources) throws {
        guard status != .stopped else { throw BerthError(.invalidState, "container \(id) is not running") }
        let manager = try cgroupManager()
        try BerthError.wrap("update container \(id)") { try manager.apply(resources) }
    }
}
