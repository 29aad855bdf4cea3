import CBerthShim
import ContainerLogs
import Diagnostics
import EngineState
import LinuxSyscalls
import RuntimeClient

#if canImport(Glibc)
import Glibc
#endif

/// `berth-monitor CONFIG_PATH`: the per-container monitor (conmon's job).
///
/// Spawned by ``MonitorLauncher`` with fd 3 the sync socket, it creates the container with the
/// OCI runtime, reports `{"created":PID}`, starts it on `{"start":true}` (or when the launcher
/// goes away) and reports `{"started":PID}`; then it stays the container's parent (a child
/// subreaper): it logs its output (json-file), relays it to attach clients, records its exit in
/// the container's record, restarts it by its policy, and cleans up (rootfs, `--rm`) at the end.
/// Single-threaded, no Foundation: one poll loop.
public enum Monitor {
    /// The sync socket the launcher passes.
    public static let syncDescriptor: Int32 = 3

    /// The monitor's whole life; returns its exit status (0, or 1 when the container could not
    /// be created or started).
    /// - Parameter arguments: `CommandLine.arguments`: the program and the config path.
    public static func main(_ arguments: [String]) -> Int32 {
        guard arguments.count == 2 else {
            _ = try? FileDescriptor(dup(2)).writeAll("usage: berth-monitor CONFIG_PATH\n")
            return 2
        }
        // Nothing else may inherit the sync socket (the runtime, the container).
        _ = fcntl(syncDescriptor, F_SETFD, FD_CLOEXEC)
        let sync = fcntl(syncDescriptor, F_GETFD) >= 0 ? FileDescriptor(syncDescriptor) : nil
        let monitor: MonitorProcess
        do {
            let config = try MonitorConfig.load(arguments[1])
            // Hold no directory of the caller's busy (a mount point, a directory being removed).
            _ = chdir("/")
            monitor = try MonitorProcess(config: config, sync: sync)
        } catch {
            if let sync { try? SyncMessage.failed("monitor: \(error)").send(on: sync) }
            return 1
        }
        return monitor.run()
    }
}

/// One monitor's state across the container's runs.
final class MonitorProcess {
    let config: MonitorConfig
    let store: ContainerStore
    let runtime: OCIRuntime
    let policy: RestartDecision.Policy
    let signals: SignalPipe
    let attach: AttachServer
    let log: JSONFileLogWriter
    /// The sync socket, until the container has started.
    var sync: FileDescriptor?
    /// This run's stdio.
    var io: ContainerIO?
    /// The container's init (host pid); 0 between runs.
    var pid: Int32 = 0
    /// The wait status of `pid`, once reaped.
    var waitStatus: Int32?
    /// SIGTERM/SIGINT arrived: kill the container and do not restart it.
    var stopForGood = false
    /// When this run started (CLOCK_MONOTONIC, ms).
    var startedAt: Int64 = 0
    /// The delay before the previous restart.
    var previousDelay: Duration?
    /// The log could not be written; the record says why (once).
    var logFailed = false

    var id: String { config.containerID }

    init(config: MonitorConfig, sync: FileDescriptor?) throws {
        self.config = config
        self.sync = sync
        policy = try RestartDecision.Policy(parsing: config.restartPolicy)
        store = try ContainerStore(root: config.storeRoot)
        runtime = OCIRuntime(path: config.runtimePath, root: config.runtimeRoot, logPath: config.runtimeLogPath)
        // The container's init is re-parented to us when the runtime exits.
        try syscall("prctl PR_SET_CHILD_SUBREAPER") { bt_set_child_subreaper() }
        signals = try SignalPipe([SIGCHLD, SIGTERM, SIGINT, SIGPIPE, SIGHUP])
        // Listening before the container exists: the CLI connects before it sends start.
        attach = try BerthError.wrap("attach socket") { try AttachServer(containerDirectory: config.containerDirectory) }
        log = try BerthError.wrap("open log") {
            try JSONFileLogWriter(path: config.logPath, maxSize: config.logMaxSize, maxFiles: config.logMaxFiles)
        }
    }

    /// Create, start, supervise, restart, clean up.
    func run() -> Int32 {
        do {
            try createContainer()
        } catch {
            return failBeforeStart(error)
        }
        sendSync(.created(pid))
        waitForStart()
        if waitStatus == nil && !stopForGood {
            do {
                try startContainer(restart: false)
            } catch {
                return failBeforeStart(error)
            }
            sendSync(.started(pid))
        } else {
            sendSync(.failed("start \(id): the container was stopped before it started"))
        }
        sync = nil
        ResidentMemory.trimExecutable()
        while true {
            runUntilExit()
            let exitCode = finishRun()
            guard let delay = restartDelay(exitCode: exitCode), waitBeforeRestart(delay) else { break }
            previousDelay = delay
            do {
                try createContainer()
                try startContainer(restart: true)
                ResidentMemory.trimExecutable()
            } catch {
                try? runtime.delete(id: id, force: true)
                io?.close()
                io = nil
                recordError("restart: \(error)") {
                    $0.state = .exited
                    $0.pid = 0
                    $0.pidStartTime = nil
                }
                break
            }
        }
        finish()
        return 0
    }

    /// Reports a failed create or start: sync error, runtime state removed, record reset, exit 1.
    func failBeforeStart(_ error: Error) -> Int32 {
        let message = "\(error)"
        sendSync(.failed(message))
        sync = nil
        try? runtime.delete(id: id, force: true)
        io?.close()
        io = nil
        attach.close()
        _ = try? store.update(id) {
            $0.state = .created
            $0.error = message
            $0.pid = 0
            $0.pidStartTime = nil
            $0.monitorPid = 0
            $0.monitorStartTime = nil
        }
        return 1
    }

    /// Sends on the sync socket, if the launcher is still there.
    func sendSync(_ message: SyncMessage) {
        guard let sync else { return }
        if (try? message.send(on: sync)) == nil { self.sync = nil }
    }

    /// Updates the record with `change` and sets its error (monitor-level errors after the sync
    /// socket is closed have nowhere else to go).
    func recordError(_ message: String, _ change: (inout ContainerRecord) -> Void = { _ in }) {
        _ = try? store.update(id) {
            change(&$0)
            $0.error = message
        }
    }
}
