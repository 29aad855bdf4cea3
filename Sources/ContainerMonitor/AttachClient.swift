import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// How an attach session ended.
public enum AttachOutcome: Sendable, Equatable {
    /// The container exited with this code.
    case exited(Int32)
    /// The user typed the detach keys (ctrl-p ctrl-q).
    case detached
    /// The monitor closed the connection without an exit message.
    case disconnected
}

/// The CLI's side of the attach protocol (``AttachMessage``): a connection to a running
/// container's monitor.
public final class AttachClient {
    private let socket: FileDescriptor

    /// Connects to `<containerDirectory>/attach` (through an O_PATH descriptor of the directory:
    /// its path may be longer than `sun_path` allows).
    /// - Throws: `.invalidState` "container is not running" when there is no socket or nobody
    ///   listens (ENOENT, ECONNREFUSED).
    public init(containerDirectory: String) throws {
        do {
            let directory = try FileDescriptor.open(containerDirectory, OpenFlags.path | O_DIRECTORY)
            socket = try LocalSocket.connect(path: "\(directory.procPath)/\(AttachSocket.name)", type: LocalSocket.seqpacket)
        } catch let error as BerthError where error.errno == ENOENT || error.errno == ECONNREFUSED {
            throw BerthError(.invalidState, "container is not running", errno: error.errno)
        }
    }

    /// Sends one message.
    /// - Throws: `.system` when the monitor is gone (EPIPE).
    public func send(_ message: AttachMessage) throws {
        try LocalSocket.send(socket, message.encoded())
    }

    /// Sends the terminal size (TIOCSWINSZ on the container's pty).
    public func sendResize(rows: UInt16, cols: UInt16) throws {
        try send(.resize(rows: rows, cols: cols))
    }

    /// Receives the next message; nil when the monitor closed the connection.
    public func receive() throws -> AttachMessage? {
        guard let packet = try LocalSocket.receive(socket, capacity: AttachMessage.maxPacket), !packet.isEmpty else { return nil }
        return try AttachMessage.decode(packet)
    }

    /// Relays: our stdin → the container (only if `stdin`), its stdout/stderr → our fd 1 / fd 2,
    /// until the exit message (→ `.exited(code)`), end of file (→ `.disconnected`) or, with `tty`,
    /// the detach keys ctrl-p ctrl-q typed on stdin (→ `.detached`). With `tty`, `stdin` and our
    /// stdin a terminal: raw mode (restored on every way out). With `tty`: our window size now and
    /// on every SIGWINCH → resize. When our stdin reaches end of file, sends close-stdin and keeps
    /// relaying output.
    /// - Throws: `.system` for a socket error, `.invalidArgument` for a bad message.
    public func relay(stdin: Bool, tty: Bool) throws -> AttachOutcome {
        let terminal = TerminalMode(raw: tty && stdin, watchSize: tty)
        defer { terminal.restore() }
        if tty, let size = terminal.windowSize() { try? sendResize(rows: size.rows, cols: size.cols) }
        var detachKeys = DetachKeys()
        var readingStdin = stdin
        var buffer = [UInt8](repeating: 0, count: AttachMessage.maxPayload)
        while true {
            var fds = [pollfd(fd: socket.rawValue, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: readingStdin ? 0 : -1, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: terminal.windowChanges, events: Int16(POLLIN), revents: 0)]
            if poll(&fds, 3, -1) < 0 {
                if errno == EINTR { continue }
                throw BerthError.system("poll attach")
            }
            if fds[2].revents != 0 {
                terminal.takeWindowChanges()
                if let size = terminal.windowSize() { try? sendResize(rows: size.rows, cols: size.cols) }
            }
            if fds[1].revents != 0 {
                let n = read(0, &buffer, buffer.count)
                if n > 0 {
                    var input = Array(buffer[0..<n])
                    if tty {
                        let (forward, detach) = detachKeys.feed(input)
                        input = forward
                        if detach {
                            if !input.isEmpty { try? send(.stdin(input)) }
                            return .detached
                        }
                    }
                    if !input.isEmpty { try send(.stdin(input)) }
                } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                    readingStdin = false
                    try? send(.closeStdin)
                }
            }
            if fds[0].revents != 0 {
                guard let message = try receive() else { return .disconnected }
                switch message {
                case .stdout(let bytes): writeFully(1, bytes)
                case .stderr(let bytes): writeFully(2, bytes)
                case .exit(let code): return .exited(code)
                case .stdin, .closeStdin, .resize: break
                }
            }
        }
    }
}
