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
        let fd: FileDescriptor
        do {
            // Non-blocking: only succeeds while the init holds the fifo open, so a dead init is an
            // error instead of a hang.
            fd = try FileDescriptor.open(fifoPath, O_WRONLY | O_NONBLOCK)
        } catch let error as BerthError where error.errno == ENXIO {
            throw BerthError(.invalidState, "container \(id) is not waiting to start: its init is gone")
        }
        try BerthError.wrap("start") { try fd.writeAll([0]) }
        fd.close()
        unlink(fifoPath)
        do {
            try HookRunner.run(record.hooks?.poststart, phase: "poststart", stateJSON: stateJSON(.running))
        } catch let error as BerthError {
            // runtime-spec: a failing poststart hook is logged; the container keeps running.
            options.warn("container \(id): \(error.message)")
        }
    }
}
