import CBerthShim
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// The write end of the SIGWINCH pipe, read by the handler; set before the handler is installed.
nonisolated(unsafe) private var windowChangePipe: Int32 = -1

/// Our terminal in raw mode, and SIGWINCH as a readable pipe, for relaying to a container; both
/// undone by ``restore()`` (call it on every path out).
final class TerminalMode {
    private var saved: termios?
    private var previousAction = sigaction()
    private var pipe: (read: FileDescriptor, write: FileDescriptor)?

    /// Readable when our window size changed.
    var windowChanges: Int32 { pipe?.read.rawValue ?? -1 }

    /// Puts fd 0 in raw mode when `raw` and it is a terminal; catches SIGWINCH when
    /// `watchSize` and fd 0 or fd 1 is a terminal.
    init(raw: Bool, watchSize: Bool) {
        if raw && isatty(0) == 1 {
            var attributes = termios()
            if tcgetattr(0, &attributes) == 0 {
                saved = attributes
                cfmakeraw(&attributes)
                tcsetattr(0, TCSANOW, &attributes)
            }
        }
        guard watchSize && (isatty(0) == 1 || isatty(1) == 1) else { return }
        var fds: [Int32] = [-1, -1]
        guard bt_pipe_cloexec(&fds) == 0 else { return }
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        pipe = (FileDescriptor(fds[0]), FileDescriptor(fds[1]))
        windowChangePipe = fds[1]
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            let saved = errno
            var byte: UInt8 = 1
            _ = write(windowChangePipe, &byte, 1)
            errno = saved
        }
        action.sa_flags = SA_RESTART
        sigemptyset(&action.sa_mask)
        sigaction(SIGWINCH, &action, &previousAction)
    }

    /// Our window size, from fd 0 or else fd 1, when one is a terminal.
    func windowSize() -> (rows: UInt16, cols: UInt16)? {
        var rows: UInt16 = 0, cols: UInt16 = 0
        for fd: Int32 in [0, 1] where bt_ioctl_get_winsize(fd, &rows, &cols) == 0 { return (rows, cols) }
        return nil
    }

    /// Empties the SIGWINCH pipe.
    func takeWindowChanges() {
        guard let pipe else { return }
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(pipe.read.rawValue, &buffer, buffer.count) > 0 {}
    }

    /// Restores the terminal and SIGWINCH's previous handler.
    func restore() {
        if var saved {
            tcsetattr(0, TCSANOW, &saved)
            self.saved = nil
        }
        if pipe != nil {
            sigaction(SIGWINCH, &previousAction, nil)
            pipe = nil
        }
    }

    deinit { restore() }
}

/// Spots docker's default detach keys, ctrl-p ctrl-q, in typed input. Bytes that might begin
/// the sequence are held back until the next byte decides.
public struct DetachKeys: Sendable, Equatable {
    /// ctrl-p ctrl-q.
    public static let defaultSequence: [UInt8] = [0x10, 0x11]
    /// The sequence.
    public let sequence: [UInt8]
    private var matched = 0

    /// Watches for `sequence`.
    public init(sequence: [UInt8] = DetachKeys.defaultSequence) { self.sequence = sequence }

    /// Feeds typed bytes.
    /// - Returns: what to pass on, and whether the whole sequence was typed (what follows it is dropped).
    public mutating func feed(_ bytes: some Collection<UInt8>) -> (forward: [UInt8], detach: Bool) {
        var forward: [UInt8] = []
        for byte in bytes {
            if byte == sequence[matched] {
                matched += 1
                if matched == sequence.count { matched = 0; return (forward, true) }
                continue
            }
            forward += sequence[0..<matched]
            matched = 0
            if byte == sequence[0] { matched = 1 } else { forward.append(byte) }
        }
        return (forward, false)
    }
}

/// Writes all of `bytes` to `fd`, retrying short writes and EINTR; false when the reader is gone.
@discardableResult
func writeFully(_ fd: Int32, _ bytes: some Collection<UInt8>) -> Bool {
    let array = Array(bytes)
    var offset = 0
    while offset < array.count {
        let n = array.withUnsafeBytes { raw in
            raw.baseAddress.map { write(fd, $0 + offset, raw.count - offset) } ?? 0
        }
        if n < 0 && errno == EINTR { continue }
        if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
            var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            _ = poll(&entry, 1, -1)
            continue
        }
        if n <= 0 { return false }
        offset += n
    }
    return true
}
