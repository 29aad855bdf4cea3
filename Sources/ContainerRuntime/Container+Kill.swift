import Cgroups
import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

extension Container {
    /// Sends `signal` to the init, or with `all` to every process in the container's cgroup.
    /// - Throws: `.invalidState` when the container is stopped.
    public func kill(signal: Int32, all: Bool) throws {
        let status = self.status
        guard status != .stopped else { throw BerthError(.invalidState, "container \(id) is not running") }
        if all {
            let manager = try CgroupPaths.manager(for: record)
            try BerthError.wrap("kill container \(id)") { try manager.killAll(signal: signal) }
            return
        }
        do {
            try Processes.signal(record.pid, startTime: record.pidStartTime, signal)
        } catch let error as BerthError where error.errno == ESRCH {
            throw BerthError(.invalidState, "container \(id) is not running")
        }
    }

    /// SIGKILLs the container and waits (up to `timeout` seconds) until its init is gone.
    func killAndWait(timeout: Int = 10) throws {
        if record.ownPidNamespace {
            // The kernel kills every process of a PID namespace when its init dies.
            try? Processes.signal(record.pid, startTime: record.pidStartTime, SIGKILL)
        } else if let manager = try? CgroupPaths.manager(for: record) {
            try? manager.killAll(signal: SIGKILL)
            try? Processes.signal(record.pid, startTime: record.pidStartTime, SIGKILL)
        }
        if CgroupState.isFrozen(record.cgroupPaths),
           let manager = try? CgroupPaths.manager(for: record) {
            try? manager.thaw()
        }
        try Processes.waitForExit(record.pid, startTime: record.pidStartTime, timeoutMilliseconds: timeout * 1000)
    }
}
