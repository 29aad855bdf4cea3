import Diagnostics
import EngineState
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

extension Engine {
    /// The record as it really is. A container's monitor keeps its record current; when the
    /// monitor is gone (killed, or the machine rebooted) the record of a running, paused or
    /// restarting container would lie, so it is repaired here: the container, if still alive
    /// (nobody reaps it or reads its output now), is killed and deleted from the runtime, its
    /// root file system unmounted, and the record says `exited` with docker's 137 and why.
    /// A `created` record whose start was cut short loses its runtime leftovers the same way.
    @discardableResult
    public func refresh(_ record: ContainerRecord) throws -> ContainerRecord {
        guard record.monitorPid != 0 || record.state == .running || record.state == .paused || record.state == .restarting
        else { return record }
        if monitorIsAlive(record) { return record }
        let repaired = try containers.update(record.id) { current in
            guard current.monitorPid != 0 || [.running, .paused, .restarting].contains(current.state),
                  !monitorIsAlive(current) else { return }
            let runtime = runtime(for: current.id)
            if current.pid > 0, Processes.isAlive(current.pid, startTime: current.pidStartTime ?? 0) {
                if current.state == .paused { try? runtime.resume(id: current.id) }
                try? runtime.kill(id: current.id, signal: SIGKILL, all: true)
                var polls = 0
                while polls < 200, Processes.isAlive(current.pid, startTime: current.pidStartTime ?? 0) {
                    usleep(10_000)
                    polls += 1
                }
            }
            try? runtime.delete(id: current.id, force: true)
            try? tearDownNetwork(current.id)
            try? unmountRootfs(current.id)
            if [.running, .paused, .restarting].contains(current.state) {
                current.state = .exited
                current.exitCode = 137
                current.finishedAt = Timestamp.now().rfc3339()
                current.error = "the container's monitor exited unexpectedly"
            }
            current.pid = 0
            current.pidStartTime = nil
            current.monitorPid = 0
            current.monitorStartTime = nil
        }
        return repaired
    }

    func monitorIsAlive(_ record: ContainerRecord) -> Bool {
        record.monitorPid > 0 && Processes.isAlive(record.monitorPid, startTime: record.monitorStartTime ?? 0)
    }

    /// Every container, refreshed; a store-level reconcile first (half-made records, stale names).
    public func allContainers() throws -> [ContainerRecord] {
        try containers.reconcile()
        let records = try containers.list().map { try refresh($0) }
        reconcileNetworks(records)
        return records
    }

    /// After a start that failed once the monitor was up (runtime `start`): the monitor has
    /// reset the record and gone; the network and the root file system mount go too.
    public func cleanUpFailedStart(_ id: String) {
        guard !isActive(id) else { return }
        try? tearDownNetwork(id)
        try? unmountRootfs(id)
    }

    /// `berth container cleanup ID`, the monitor's exit command: the container has stopped for
    /// good, its network goes (the monitor unmounts the root file system itself).
    public func cleanUpAfterExit(_ id: String) throws {
        let record = try containers.load(id)
        try tearDownNetwork(record.id)
    }

    /// The container `idOrName`, refreshed.
    public func container(_ idOrName: String) throws -> ContainerRecord {
        try refresh(try containers.load(idOrName))
    }
}
