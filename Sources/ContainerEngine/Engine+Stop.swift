import Diagnostics
import EngineState
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

extension Engine {
    /// `berth stop`: the stop signal, then SIGKILL after `timeout` seconds (nil: the container's
    /// `--stop-timeout`, 10; negative: wait for ever). The restart policy does not bring it back.
    /// Stopping a container that does not run is not an error, as in docker.
    @discardableResult
    public func stop(_ idOrName: String, timeout: Int? = nil, signal: String? = nil) throws -> ContainerRecord {
        var record = try container(idOrName)
        let settings = try settings(of: record)
        switch record.state {
        case .restarting:
            try stopMonitor(record)
            return try container(record.id)
        case .running, .paused:
            break
        default:
            return record
        }
        record = try containers.update(record.id) { $0.manuallyStopped = true }
        let runtime = runtime(for: record.id)
        let number = try Signals.parse(signal ?? settings.stopSignal)
        if record.state == .paused { try? runtime.resume(id: record.id) }
        try? runtime.kill(id: record.id, signal: number)
        let seconds = timeout ?? settings.stopTimeout
        if !waitForExit(record, seconds: seconds < 0 ? nil : Double(seconds)) {
            try? runtime.kill(id: record.id, signal: SIGKILL, all: true)
            _ = waitForExit(record, seconds: 10)
        }
        let stopped = try waitForRecordedExit(record)
        // docker's stop returns once the container is cleaned up: the monitor ends after that.
        waitForMonitor(stopped, seconds: 10)
        return try container(record.id)
    }

    /// `berth kill`: sends `signal` (default SIGKILL) to the container's process.
    /// - Throws: `.invalidState` when it is not running.
    @discardableResult
    public func kill(_ idOrName: String, signal: String = "SIGKILL") throws -> ContainerRecord {
        let record = try container(idOrName)
        let settings = try settings(of: record)
        guard record.state == .running || record.state == .paused else {
            throw BerthError(.invalidState, "cannot kill container: \(idOrName): container \(record.id) is not running")
        }
        let number = try Signals.parse(signal)
        if number == SIGKILL || number == (try? Signals.parse(settings.stopSignal)) {
            try containers.update(record.id) { $0.manuallyStopped = true }
        }
        try runtime(for: record.id).kill(id: record.id, signal: number)
        if number == SIGKILL { return try waitForRecordedExit(record) }
        return record
    }

    /// `berth pause`.
    @discardableResult
    public func pause(_ idOrName: String) throws -> ContainerRecord {
        let record = try container(idOrName)
        guard record.state == .running else {
            throw BerthError(.invalidState, record.state == .paused ? "container \(record.name) is already paused"
                : "container \(record.name) is not running")
        }
        try runtime(for: record.id).pause(id: record.id)
        return try containers.update(record.id) { if $0.state == .running { $0.state = .paused } }
    }

    /// `berth unpause`.
    @discardableResult
    public func unpause(_ idOrName: String) throws -> ContainerRecord {
        let record = try container(idOrName)
        guard record.state == .paused else { throw BerthError(.invalidState, "container \(record.name) is not paused") }
        try runtime(for: record.id).resume(id: record.id)
        return try containers.update(record.id) { if $0.state == .paused { $0.state = .running } }
    }

    /// `berth wait`: blocks until the container stops running (its next exit), returns its exit code.
    public func wait(_ idOrName: String) throws -> Int32 {
        var record = try container(idOrName)
        let finished = record.finishedAt
        while record.state == .running || record.state == .paused || (record.state == .restarting && record.finishedAt == finished) {
            usleep(20_000)
            record = try container(record.id)
            if record.finishedAt != finished && record.state != .running && record.state != .paused { break }
        }
        return record.exitCode
    }

    /// Ends a monitor that waits to restart its container (SIGTERM: stop for good), and waits for it.
    func stopMonitor(_ record: ContainerRecord) throws {
        try containers.update(record.id) { $0.manuallyStopped = true }
        if record.monitorPid > 0, let start = record.monitorStartTime {
            try? Processes.signal(record.monitorPid, startTime: start, SIGTERM)
        }
        waitForMonitor(record, seconds: 10)
    }

    /// Waits up to `seconds` (nil: for ever) for the container's process to be gone.
    func waitForExit(_ record: ContainerRecord, seconds: Double?) -> Bool {
        let deadline = seconds.map { milliseconds() + Int64($0 * 1000) }
        while record.pid > 0, Processes.isAlive(record.pid, startTime: record.pidStartTime ?? 0) {
            if let deadline, milliseconds() >= deadline { return false }
            usleep(5_000)
        }
        return true
    }

    /// Waits (up to 10 s) for the monitor to record the exit, then returns the record.
    func waitForRecordedExit(_ record: ContainerRecord) throws -> ContainerRecord {
        var current = try container(record.id)
        var polls = 0
        while polls < 1000, current.state == .running || current.state == .paused {
            usleep(10_000)
            current = try container(record.id)
            polls += 1
        }
        return current
    }

    /// Waits (up to `seconds`) for the container's monitor to exit.
    func waitForMonitor(_ record: ContainerRecord, seconds: Int) {
        guard record.monitorPid > 0 else { return }
        // (A `for … where` loop would keep counting, without sleeping, once the monitor is gone.)
        var polls = 0
        while polls < seconds * 200, monitorIsAlive(record) {
            usleep(5_000)
            polls += 1
        }
    }
}

/// Wall-clock milliseconds, for deadlines.
func milliseconds() -> Int64 {
    let now = Timestamp.now()
    return now.seconds * 1000 + now.nanoseconds / 1_000_000
}
