import Diagnostics
import EngineState
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

extension Engine {
    /// `berth rm`: a container that runs needs `force` (it is killed first). `volumes` also
    /// removes its anonymous volumes. Its runtime state, root file system mount, directory and
    /// name go.
    /// - Throws: `.invalidState` with docker's message when it runs and `force` is off.
    public func remove(_ idOrName: String, force: Bool = false, volumes removeVolumes: Bool = false) throws -> ContainerRecord {
        var record = try container(idOrName)
        if !([.running, .paused, .restarting].contains(record.state)), monitorIsAlive(record) {
            waitForMonitor(record, seconds: 10)   // it is cleaning up after the exit
            do { record = try container(record.id) } catch let error as BerthError where error.code == .notFound {
                return record   // --rm: the monitor removed it
            }
        }
        if [.running, .paused, .restarting].contains(record.state) || monitorIsAlive(record) {
            guard force else {
                let what = record.state == .paused ? "paused" : record.state == .restarting ? "restarting" : "running"
                throw BerthError(.invalidState, "cannot remove container \"/\(record.name)\": container is \(what): "
                    + "stop the container before removing or force remove")
            }
            try containers.update(record.id) { $0.manuallyStopped = true }
            if record.state == .restarting || record.pid == 0 {
                try stopMonitor(record)
            } else {
                let runtime = runtime(for: record.id)
                try? runtime.kill(id: record.id, signal: SIGKILL, all: true)
                if record.state == .paused { try? runtime.resume(id: record.id) }
                _ = waitForExit(record, seconds: 10)
                waitForMonitor(record, seconds: 10)
            }
            do { record = try container(record.id) } catch let error as BerthError where error.code == .notFound {
                return record   // --rm: the monitor removed it
            }
        }
        let settings = try? settings(of: record)
        try? runtime(for: record.id).delete(id: record.id, force: true)
        do { try tearDownNetwork(record.id) } catch where !force { throw error } catch {}
        try unmountRootfs(record.id)
        guard !Self.isMountPoint(rootfsPath(record.id)) else {
            throw BerthError(.system, "remove container \(record.name): its root file system is still mounted")
        }
        do {
            try containers.remove(record.id)
        } catch let error as BerthError where error.code == .notFound {
            return record
        }
        if removeVolumes, let settings {
            for name in settings.anonymousVolumes { try? volumes.remove(name) }
        }
        return record
    }
}
