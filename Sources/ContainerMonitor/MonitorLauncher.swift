import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// Starts a container's monitor: the engine's side of `berth-monitor`'s sync socket.
public enum MonitorLauncher {
    /// Writes `config` to `configPath` (temp + rename), spawns `executable configPath` with
    /// posix_spawn (a new session, stdio /dev/null, fd 3 the sync socket, nothing else
    /// inherited), and waits until the container is created.
    /// - Returns: the session, to start the container and to reap the monitor.
    /// - Throws: the monitor's error text (the runtime's, e.g. `create <id>: exec: "nosuch":
    ///   executable file not found in $PATH`) after reaping the monitor; `.system` when the spawn fails.
    public static func launch(executable: String, configPath: String, config: MonitorConfig) throws -> MonitorSession {
        try config.save(configPath)
        let (ours, theirs) = try LocalSocket.seqpacketPair()
        let pid = try spawn(executable, [executable, configPath], syncSocket: theirs)
        theirs.close()
        let session = MonitorSession(monitorPid: pid, sync: ours)
        let message: SyncMessage?
        do { message = try SyncMessage.receive(on: ours) } catch {
            session.reap(blocking: true)
            throw BerthError(.internalError, "monitor \(config.containerID): \(error)")
        }
        guard let message, let created = message.created else {
            let status = session.reap(blocking: true)
            throw MonitorSession.failure(message, status: status, context: "create \(config.containerID)")
        }
        session.containerPid = created
        return session
    }

    /// posix_spawn with POSIX_SPAWN_SETSID, every signal back to its default and unblocked.
    static func spawn(_ path: String, _ argv: [String], syncSocket: FileDescriptor) throws -> Int32 {
        // A copy above every target, so that no action below can clobber it before the dup2.
        let lifted = FileDescriptor(try syscall("fcntl F_DUPFD_CLOEXEC") { fcntl(syncSocket.rawValue, F_DUPFD_CLOEXEC, 10) })
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, lifted.rawValue, Monitor.syncDescriptor)  // clears FD_CLOEXEC
        for target: Int32 in 0...2 {
            posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        SpawnActions.closeFrom(Monitor.syncDescriptor + 1, in: &actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        // POSIX_SPAWN_SETSID (glibc 2.26) is hidden from Swift behind _GNU_SOURCE: 0x80.
        let setsid: Int32 = 0x80
        posix_spawnattr_setflags(&attributes, Int16(Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF) | setsid))
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, path, &actions, &attributes, cArguments, environ)
        guard code == 0 else { throw BerthError.system("spawn", path: path, errno: code) }
        return pid
    }
}

/// A monitor between create and start, as its launcher sees it.
public final class MonitorSession {
    /// The monitor's pid (our child until it exits).
    public let monitorPid: Int32
    /// The container's init, in the host pid namespace.
    public fileprivate(set) var containerPid: Int32 = 0
    private var sync: FileDescriptor?
    private var reaped = false

    init(monitorPid: Int32, sync: FileDescriptor) {
        self.monitorPid = monitorPid
        self.sync = sync
    }

    deinit { sync?.close() }

    /// Sends start and waits until the container runs.
    /// - Throws: the runtime's error text ("start <id>: ..."), after reaping the monitor.
    public func start() throws {
        guard let sync else { throw BerthError(.invalidState, "monitor \(monitorPid): already started") }
        defer {
            sync.close()
            self.sync = nil
        }
        try SyncMessage.startRequest.send(on: sync)
        let message = try? SyncMessage.receive(on: sync)
        guard let message, message.started != nil else {
            let status = reap(blocking: true)
            throw Self.failure(message, status: status, context: "start")
        }
    }

    /// Reaps the monitor if it has exited (the CLI is its parent until it exits); call before
    /// the CLI exits. Closing the sync socket first makes a monitor still waiting for start go on.
    /// - Parameter wait: block until the monitor has exited.
    public func release(wait: Bool = false) {
        sync?.close()
        sync = nil
        reap(blocking: wait)
    }

    /// waitpid on the monitor; its wait status, or nil when it still runs (or was reaped).
    @discardableResult
    func reap(blocking: Bool) -> Int32? {
        guard !reaped else { return nil }
        var status: Int32 = 0
        while true {
            let result = waitpid(monitorPid, &status, blocking ? 0 : WNOHANG)
            if result < 0 && errno == EINTR { continue }
            if result == monitorPid || (result < 0 && errno == ECHILD) { reaped = true }
            return result == monitorPid ? status : nil
        }
    }

    /// The error for a monitor that reported one, or died without a word.
    static func failure(_ message: SyncMessage?, status: Int32?, context: String) -> BerthError {
        if let text = message?.error { return BerthError(RuntimeErrorCode.code(for: text), text) }
        let how = status.map { "exited with status \(Processes.exitCode(fromWaitStatus: $0))" } ?? "went away"
        return BerthError(.internalError, "\(context): the monitor \(how)")
    }
}

/// The error code for a runtime's error text, as the monitor passes it on.
enum RuntimeErrorCode {
    static func code(for text: String) -> BerthError.Code {
        if text.contains("not found") || text.contains("no such file") || text.contains("does not exist") { return .notFound }
        return .external
    }
}
