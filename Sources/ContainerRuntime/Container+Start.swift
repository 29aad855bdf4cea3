import ContainerInit
import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

extension Container {
    /// Lets the init exec the user's program: one byte into `exec.fifo`, then the poststart hooks.
    /// - Throws: `.invalidState` unless the container is `created`.
    public func start(options: RuntimeOptions) throws {
        let status = self.status
        guard status == .created else {
            let what = status == .stopped ? "a container that has stopped" : "an already \(status.rawValue) container"
            throw BerthError(.invalidState, "cannot start \(what)")
        }
        let writer: FileDescriptor
        do {
            // Non-blocking: only succeeds while the init holds the fifo open, so a dead init is an
            // error instead of a hang.
            writer = try FileDescriptor.open(fifoPath, O_WRONLY | O_NONBLOCK)
        } catch let error as BerthError where error.errno == ENXIO {
            throw BerthError(.invalidState, "container \(id) is not waiting to start: its init is gone")
        }
        let watcher = try FileDescriptor.open(fifoPath, O_RDONLY | O_NONBLOCK)
        try BerthError.wrap("start") { try writer.writeAll([0]) }
        writer.close()
        unlink(fifoPath)
        waitForExec(watching: watcher)
        do {
            try HookRunner.run(record.hooks?.poststart, phase: "poststart", stateJSON: stateJSON(.running))
        } catch let error as BerthError {
            // runtime-spec: a failing poststart hook is logged; the container keeps running.
            options.warn("container \(id): \(error.message)")
        }
    }

    /// Returns once the init has exec'd the user's program (or died): its close-on-exec fifo
    /// descriptor, the last writer, closes and our read end reports POLLHUP. We never read, so
    /// the start byte stays for the init.
    private func waitForExec(watching watcher: FileDescriptor) {
        var fds = [pollfd(fd: watcher.rawValue, events: 0, revents: 0)]
        while true {
            let ready = poll(&fds, 1, -1)
            if ready < 0 && errno == EINTR { continue }
            if ready < 0 || fds[0].revents & Int16(POLLHUP | POLLERR) != 0 { return }
            // POLLIN alone: the byte has not been taken yet. Poll reports level-triggered
            // readiness, so wait a moment instead of spinning.
            var pause = timespec(tv_sec: 0, tv_nsec: 200_000)
            nanosleep(&pause, nil)
        }
    }
}
