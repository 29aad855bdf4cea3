import CBerthShim
import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

enum UnixSocket {
    /// A connected AF_UNIX stream socket (for `--console-socket`).
    static func connect(_ path: String) throws -> FileDescriptor {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else {
            throw BerthError.invalid("socket path \(path) is longer than \(capacity - 1) bytes")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let fd = FileDescriptor(try syscall("socket") { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) })
        try syscall("connect", path: path) {
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd.rawValue, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        }
        return fd
    }
}

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
