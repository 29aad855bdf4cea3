import CBerthShim
import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// The runtime's AF_UNIX helpers beyond `LocalSocket` (which connects `--console-socket` and
/// the seccomp agent's socket).
enum UnixSocket {}

extension UnixSocket {
    /// A connected pair of AF_UNIX stream sockets.
    static func pair() throws -> (FileDescriptor, FileDescriptor) {
        var fds: [Int32] = [0, 0]
        try syscall("socketpair") { socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) }
        return (FileDescriptor(fds[0]), FileDescriptor(fds[1]))
    }

    /// Receives one descriptor sent with SCM_RIGHTS.
    static func receiveDescriptor(_ socket: FileDescriptor) throws -> FileDescriptor {
        var buffer = [UInt8](repeating: 0, count: 64)
        var fd: Int32 = -1
        try syscall("receive console master") { bt_recv_fd(socket.rawValue, &buffer, buffer.count, &fd) }
        guard fd >= 0 else { throw BerthError(.internalError, "no pty master arrived on the console socket") }
        return FileDescriptor(fd)
    }
}
