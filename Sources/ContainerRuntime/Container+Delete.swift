import ContainerInit
import Diagnostics
import LinuxSyscalls

extension Container {
    /// Removes the container: its processes (with `force`, or when only created), its cgroup and
    /// its state, then runs the poststop hooks.
    /// - Throws: `.invalidState` for a running or paused container without `force`.
    public func delete(force: Bool, options: RuntimeOptions) throws {
        let status = self.status
        switch status {
        case .running, .paused:
            guard force else {
                throw BerthError(.invalidState, "cannot delete container \(id) that is not stopped: \(status.rawValue)")
            }
            try killAndWait()
        case .created, .creating:
            try killAndWait()
        case .stopped:
            break
        }
        let manager = try? CgroupPaths.manager(for: record)
        try BerthError.wrap("delete container \(id): remove cgroup") { try manager?.destroy() }
        do {
            try HookRunner.run(record.hooks?.poststop, phase: "poststop", stateJSON: stateJSON(.stopped))
        } catch let error as BerthError {
            options.warn("container \(id): \(error.message)")
        }
        try BerthError.wrap("delete container \(id)") { try Files.removeTree(directory) }
    }
}
