import CBerthShim
import Diagnostics
import LinuxSyscalls
import OCIRuntimeSpec

#if canImport(Glibc)
import Glibc
#endif

/// Runs OCI hooks: the state JSON on stdin, the hook's own args and env, a timeout.
/// https://github.com/opencontainers/runtime-spec/blob/main/config.md#posix-platform-hooks
public enum HookRunner {
    /// Runs each hook of `phase` in order; the first failure stops the rest.
    /// - Throws: `BerthError(.external)` naming the phase, the hook path and what went wrong,
    ///   with the hook's output when it printed any.
    public static func run(_ hooks: [Hook]?, phase: String, stateJSON: [UInt8]) throws {
        for hook in hooks ?? [] {
            try run(hook, stateJSON: stateJSON).mapError { $0.context("\(phase) hook \(hook.path)") }.get()
        }
    }

    static func run(_ hook: Hook, stateJSON: [UInt8]) -> Result<Void, BerthError> {
        do {
            if let timeout = hook.timeout, timeout <= 0 {
                throw BerthError.invalid("timeout must be larger than zero, got \(timeout)")
            }
            var input: [Int32] = [0, 0]
            var output: [Int32] = [0, 0]
            try syscall("pipe2") { bt_pipe_cloexec(&input) }
            let inRead = FileDescriptor(input[0]), inWrite = FileDescriptor(input[1])
            try syscall("pipe2") { bt_pipe_cloexec(&output) }
            let outRead = FileDescriptor(output[0]), outWrite = FileDescriptor(output[1])

            let args = (hook.args?.isEmpty ?? true) ? [hook.path] : hook.args!
            let pid = try withCStrings(args) { argv in
                try withCStrings(hook.env ?? []) { envp in
                    try syscall("fork") { bt_fork_exec(hook.path, argv, envp, inRead.rawValue, outWrite.rawValue) }
                }
            }
            inRead.close()
            outWrite.close()
            // The state is small: it fits in the pipe buffer, and a hook that does not read it
            // must not block us.
            _ = try? inWrite.writeAll(stateJSON)
            inWrite.close()
            let (status, text) = try waitCollecting(pid: pid, output: outRead, timeoutSeconds: hook.timeout)
            guard let status else {
                return .failure(BerthError(.external, "timed out after \(hook.timeout ?? 0)s"))
            }
            if status != 0 {
                let code = Processes.exitCode(fromWaitStatus: status)
                let what = code > 128 ? "killed by signal \(code - 128)" : "exit status \(code)"
                let detail = text.isEmpty ? "" : ": \(text)"
                return .failure(BerthError(.external, "\(what)\(detail)"))
            }
            return .success(())
        } catch let error as BerthError {
            return .failure(error)
        } catch {
            return .failure(BerthError(.internalError, "\(error)"))
        }
    }

    /// Waits for `pid` while draining its output; kills it at the deadline (status nil).
    static func waitCollecting(pid: Int32, output: FileDescriptor, timeoutSeconds: Int?) throws -> (Int32?, String) {
        let pidfd = FileDescriptor(try syscall("pidfd_open") { bt_pidfd_open(pid) })
        var collected: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = timeoutSeconds.map { monotonicMilliseconds() + Int64($0) * 1000 }
        var outputOpen = true
        while true {
            var fds = [pollfd(fd: pidfd.rawValue, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: outputOpen ? output.rawValue : -1, events: Int16(POLLIN), revents: 0)]
            let wait = deadline.map { Int32(clamping: max(0, $0 - monotonicMilliseconds())) } ?? -1
            let ready = poll(&fds, 2, wait)
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 {
                _ = bt_pidfd_send_signal(pidfd.rawValue, SIGKILL)
                try Processes.wait(pid)
                return (nil, "")
            }
            if outputOpen && fds[1].revents != 0 {
                let n = read(output.rawValue, &buffer, buffer.count)
                if n > 0 { if collected.count < 65536 { collected += buffer[0..<n] } } else { outputOpen = false }
            }
            if fds[0].revents != 0 {
                let status = try Processes.wait(pid)
                // Pick up what is still in the pipe without blocking on grandchildren holding it.
                _ = fcntl(output.rawValue, F_SETFL, O_NONBLOCK)
                while outputOpen, case let n = read(output.rawValue, &buffer, buffer.count), n > 0 {
                    if collected.count < 65536 { collected += buffer[0..<n] }
                }
                let text = String(decoding: collected, as: UTF8.self)
                    .split(whereSeparator: \.isNewline).joined(separator: " ")
                return (status, text)
            }
        }
    }

    static func monotonicMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}

/// Calls `body` with a NULL-terminated C array of `strings` (argv/envp style).
public func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) throws -> R) rethrows -> R {
    let pointers = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    return try body(pointers + [nil])
}
