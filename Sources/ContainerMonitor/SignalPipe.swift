import CBerthShim
import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// The write end of the signal pipe, read by the handler. Set once, before any handler is
/// installed, and only read afterwards, so the handler never races its initialization.
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

/// Signals as readable bytes, for a poll loop: each handled signal writes its number into a
/// non-blocking pipe (the self-pipe trick).
///
/// signalfd(2) would do the same, but Swift's Glibc module does not import <sys/signalfd.h>.
/// Handlers (not SIG_IGN) are used for SIGPIPE and SIGHUP too: a handled signal goes back to its
/// default at exec, an ignored one would stay ignored in the runtime and the container.
final class SignalPipe {
    let readEnd: FileDescriptor
    private let writeEnd: FileDescriptor

    /// Installs handlers for `signals` (SA_RESTART).
    init(_ signals: [Int32]) throws {
        var fds: [Int32] = [-1, -1]
        try syscall("pipe2") { bt_pipe_cloexec(&fds) }
        readEnd = FileDescriptor(fds[0])
        writeEnd = FileDescriptor(fds[1])
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        signalPipeWriteEnd = writeEnd.rawValue
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            let saved = errno
            var byte = UInt8(truncatingIfNeeded: signal)
            _ = write(signalPipeWriteEnd, &byte, 1)
            errno = saved
        }
        action.sa_flags = SA_RESTART
        sigemptyset(&action.sa_mask)
        for signal in signals {
            try syscall("sigaction", path: String(signal)) { sigaction(signal, &action, nil) }
        }
    }

    /// The signals that arrived since the last call (each once).
    func take() -> Set<Int32> {
        var result = Set<Int32>()
        var buffer = [UInt8](repeating: 0, count: 64)
        while case let n = read(readEnd.rawValue, &buffer, buffer.count), n > 0 {
            for byte in buffer[0..<n] { result.insert(Int32(byte)) }
        }
        return result
    }
}
