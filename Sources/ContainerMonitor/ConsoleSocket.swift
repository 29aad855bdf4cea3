import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// A `--console-socket` for one runtime call: a listening AF_UNIX stream socket in a fresh
/// `/tmp/berth-console-XXXXXX` directory (short: `sun_path` holds 107 bytes), on which the
/// runtime sends the pty master (SCM_RIGHTS). The directory goes away with the object.
public final class ConsoleSocket {
    /// The socket's path, for `--console-socket`.
    public let path: String
    private let directory: String
    private var listener: FileDescriptor?

    /// Makes the directory and listens.
    /// - Throws: `.system` when mkdtemp, socket or bind fails.
    public init() throws {
        var template = Array("/tmp/berth-console-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw BerthError.system("mkdtemp", path: "/tmp/berth-console-XXXXXX") }
        directory = String(cString: made)
        path = directory + "/console.sock"
        do {
            listener = try LocalSocket.listen(path: path, type: LocalSocket.stream, backlog: 1)
        } catch {
            rmdir(directory)
            throw error
        }
    }

    deinit { remove() }

    /// Accepts the runtime's connection and receives the pty master.
    /// - Parameter timeoutMilliseconds: how long to wait for the connection and the message.
    /// - Throws: `.system` on timeout ("no console from the runtime within N ms") or a socket error.
    public func receiveMaster(timeoutMilliseconds: Int32) throws -> FileDescriptor {
        guard let listener else { throw BerthError(.invalidState, "console socket \(path) is closed") }
        guard try LocalSocket.waitReadable(listener, timeoutMilliseconds: timeoutMilliseconds),
              let connection = try LocalSocket.accept(listener)
        else { throw BerthError(.system, "no console from the runtime within \(timeoutMilliseconds) ms") }
        guard try LocalSocket.waitReadable(connection, timeoutMilliseconds: timeoutMilliseconds) else {
            throw BerthError(.system, "no pty master from the runtime within \(timeoutMilliseconds) ms")
        }
        return try BerthError.wrap("receive pty master") { try LocalSocket.receiveDescriptor(connection) }
    }

    /// Closes the socket and removes it and its directory (also done by deinit).
    public func remove() {
        guard listener != nil else { return }
        listener = nil
        unlink(path)
        rmdir(directory)
    }
}
