import ContainerLogs
import Diagnostics
import EngineState
import LinuxSyscalls
import RuntimeClient

#if canImport(Glibc)
import Glibc
#endif

extension MonitorProcess {
    // MARK: - Create and start

    /// `runtime create` with fresh stdio; records the new pid and this monitor.
    func createContainer() throws {
        waitStatus = nil
        unlink(config.pidFile)
        if config.tty {
            let console = try ConsoleSocket()
            try runtime.create(id: id, bundle: config.bundle, pidFile: config.pidFile, consoleSocket: console.path)
            do {
                io = .terminal(master: try console.receiveMaster(timeoutMilliseconds: 10_000))
            } catch {
                throw BerthError(.system, "create \(id): \(error)")
            }
            console.remove()
        } else {
            let (ours, child, stdio) = try ContainerIO.pipes(openStdin: config.openStdin)
            io = ours
            try runtime.create(id: id, bundle: config.bundle, pidFile: config.pidFile, stdio: stdio)
            // The container has its copies; ours would hide its end of file.
            for fd in child { fd.close() }
        }
        let text = try BerthError.wrap("create \(id): read pid file") { try Files.readString(config.pidFile) }
        guard let containerPid = Int32(text.filter { !$0.isWhitespace }), containerPid > 0 else {
            throw BerthError(.internalError, "create \(id): bad pid file \(config.pidFile): \(text)")
        }
        pid = containerPid
        let startTime = Processes.startTime(containerPid)
        let monitorPid = getpid()
        let monitorStart = Processes.startTime(monitorPid)
        try store.update(id) {
            $0.pid = containerPid
            $0.pidStartTime = startTime
            $0.monitorPid = monitorPid
            $0.monitorStartTime = monitorStart
        }
    }

    /// `runtime start`; the record says running.
    func startContainer(restart: Bool) throws {
        try runtime.start(id: id)
        startedAt = MonotonicClock.milliseconds()
        try store.update(id) {
            $0.state = .running
            $0.startedAt = Timestamp.now().rfc3339()
            $0.error = nil
            if restart { $0.restartCount += 1 }
        }
    }

    // MARK: - Exit

    /// After the container's init exited: the rest of its output, the record, the attach
    /// clients, the runtime's state. Returns the exit code.
    func finishRun() -> Int32 {
        let exitCode = Processes.exitCode(fromWaitStatus: waitStatus ?? 0)
        if let io {
            drain(io.stdout, .stdout)
            drain(io.stderr, .stderr)
            io.close()
        }
        io = nil
        try? log.flush()
        let finished = Timestamp.now().rfc3339()
        _ = try? store.update(id) {
            $0.state = .exited
            $0.exitCode = exitCode
            $0.finishedAt = finished
            $0.pid = 0
            $0.pidStartTime = nil
        }
        attach.finish(exitCode: exitCode)
        if (try? runtime.delete(id: id)) == nil { try? runtime.delete(id: id, force: true) }
        pid = 0
        return exitCode
    }

    /// Reads what is left in `fd` without blocking.
    func drain(_ fd: FileDescriptor?, _ stream: LogStream) {
        guard let fd else { return }
        while readOutput(fd, stream) {}
    }

    // MARK: - Restart

    /// The delay before a restart, or nil (docker's rules, ``RestartDecision``).
    func restartDelay(exitCode: Int32) -> Duration? {
        guard !stopForGood, let record = try? store.load(id) else { return nil }
        let ranFor = Duration.milliseconds(MonotonicClock.milliseconds() - startedAt)
        return RestartDecision.next(policy: policy, exitCode: exitCode, restartCount: record.restartCount,
                                    manuallyStopped: record.manuallyStopped, ranFor: ranFor, previousDelay: previousDelay)
    }

    /// Sets the record to `restarting` and waits `delay`; false when SIGTERM came or the engine
    /// stopped the container meanwhile.
    func waitBeforeRestart(_ delay: Duration) -> Bool {
        _ = try? store.update(id) { $0.state = .restarting }
        let (seconds, attoseconds) = delay.components
        let deadline = MonotonicClock.milliseconds() + seconds * 1000 + attoseconds / 1_000_000_000_000_000
        while !stopForGood {
            let left = deadline - MonotonicClock.milliseconds()
            if left <= 0 { break }
            pollOnce(timeout: Int32(min(left, 1000)))
            if (try? store.load(id))?.manuallyStopped ?? true { stopForGood = true }
        }
        if stopForGood {
            _ = try? store.update(id) { if $0.state == .restarting { $0.state = .exited } }
            return false
        }
        return true
    }

    // MARK: - The end

    /// Stops listening, unmounts the rootfs, and removes the container (`--rm`) or clears the
    /// monitor from its record.
    func finish() {
        attach.close()
        var problems: [String] = []
        if !config.exitCommand.isEmpty {
            let status = ExitCommand.run(config.exitCommand)
            if status != 0 { problems.append("exit command \(config.exitCommand.first ?? ""): status \(status)") }
        }
        if let namespace = config.networkNamespace {
            do {
                try Mounts.unmount(namespace, detach: true)
            } catch let error as BerthError where error.errno == EINVAL || error.errno == ENOENT {
                // not mounted (any more)
            } catch {
                problems.append("unmount network namespace: \(error)")
            }
            if unlink(namespace) != 0 && errno != ENOENT { problems.append("remove network namespace \(namespace)") }
        }
        do {
            try Mounts.unmount(config.rootfsPath, detach: true)
        } catch let error as BerthError where error.errno == EINVAL || error.errno == ENOENT {
            // Not mounted (any more): nothing to do.
        } catch {
            problems.append("unmount rootfs: \(error)")
        }
        if config.autoRemove && problems.isEmpty {
            do {
                let volumes = try VolumeStore(root: config.storeRoot)
                for name in config.anonymousVolumes {
                    do { try volumes.remove(name) } catch let error as BerthError where error.code == .notFound {}
                }
                try store.remove(id)
                return
            } catch {
                problems.append("remove: \(error)")
            }
        }
        _ = try? store.update(id) {
            $0.monitorPid = 0
            $0.monitorStartTime = nil
            if !problems.isEmpty { $0.error = problems.joined(separator: "; ") }
        }
    }
}
