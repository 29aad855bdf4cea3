import CBerthShim
import Diagnostics

#if canImport(Glibc)
import Glibc
#endif

/// AF_UNIX sockets: listening, connecting, accepting, packets and descriptors (SCM_RIGHTS).
///
/// Every socket is SOCK_CLOEXEC. Paths are limited to 107 bytes (`sun_path`); for a deeper
/// directory, pass `/proc/self/fd/<dirfd>/<name>` with the directory open O_PATH.
public enum LocalSocket {
    /// SOCK_STREAM: a byte stream (what `--console-socket` uses).
    public static let stream = Int32(SOCK_STREAM.rawValue)
    /// SOCK_SEQPACKET: reliable, ordered messages with boundaries.
    public static let seqpacket = Int32(SOCK_SEQPACKET.rawValue)

    /// socket(2) + bind(2) + listen(2) on `path`, then chmod(2) to `mode`.
    /// - Throws: `.invalidArgument` for a path longer than 107 bytes, `.system` otherwise.
    public static func listen(path: String, type: Int32, mode: mode_t = 0o600, backlog: Int32 = 16) throws -> FileDescriptor {
        var address = try socketAddress(path)
        let fd = FileDescriptor(try syscall("socket") { socket(AF_UNIX, type | Int32(SOCK_CLOEXEC.rawValue), 0) })
        try syscall("bind", path: path) {
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd.rawValue, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
        }
        try syscall("chmod", path: path) { chmod(path, mode) }
        try syscall("listen", path: path) { Glibc.listen(fd.rawValue, backlog) }
        return fd
    }

    /// socket(2) + connect(2) to `path`.
    /// - Throws: `.notFound` (ENOENT) when nothing is there, `.system` (e.g. ECONNREFUSED) otherwise.
    public static func connect(path: String, type: Int32) throws -> FileDescriptor {
        var address = try socketAddress(path)
        let fd = FileDescriptor(try syscall("socket") { socket(AF_UNIX, type | Int32(SOCK_CLOEXEC.rawValue), 0) })
        try syscall("connect", path: path) {
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd.rawValue, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        }
        return fd
    }

    /// accept(2) with FD_CLOEXEC set at once (accept4 is hidden from Swift's Glibc module).
    /// - Returns: nil when no connection is waiting on a non-blocking socket (EAGAIN).
    public static func accept(_ listener: FileDescriptor) throws -> FileDescriptor? {
        while true {
            let fd = Glibc.accept(listener.rawValue, nil, nil)
            if fd >= 0 {
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                return FileDescriptor(fd)
            }
            let code = errno
            if code == EINTR || code == ECONNABORTED { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return nil }
            throw BerthError.system("accept", errno: code)
        }
    }

    /// A connected SOCK_SEQPACKET pair (socketpair(2), SOCK_CLOEXEC).
    public static func seqpacketPair() throws -> (FileDescriptor, FileDescriptor) {
        var fds: [Int32] = [-1, -1]
        try syscall("socketpair") { bt_socketpair_seqpacket(&fds) }
        return (FileDescriptor(fds[0]), FileDescriptor(fds[1]))
    }

    /// send(2) of one packet with MSG_NOSIGNAL (a closed peer is EPIPE, never SIGPIPE).
    /// - Returns: false when a non-blocking socket is full (EAGAIN), with nothing sent.
    @discardableResult
    public static func send(_ socket: FileDescriptor, _ bytes: [UInt8], dontWait: Bool = false) throws -> Bool {
        let flags = Int32(MSG_NOSIGNAL) | (dontWait ? Int32(MSG_DONTWAIT) : 0)
        while true {
            let n = bytes.withUnsafeBytes { Glibc.send(socket.rawValue, $0.baseAddress, $0.count, flags) }
            if n >= 0 { return true }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return false }
            throw BerthError.system("send", errno: code)
        }
    }

    /// recv(2) of one packet of at most `capacity` bytes; `[]` is end of file, and so is a
    /// reset (ECONNRESET: the peer closed with data of ours unread — it is gone all the same).
    /// - Returns: nil when a non-blocking socket has nothing (EAGAIN).
    public static func receive(_ socket: FileDescriptor, capacity: Int, dontWait: Bool = false) throws -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: capacity)
        let flags = dontWait ? Int32(MSG_DONTWAIT) : 0
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.recv(socket.rawValue, $0.baseAddress, $0.count, flags) }
            if n >= 0 { return Array(buffer[0..<n]) }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return nil }
            if code == ECONNRESET { return [] }
            throw BerthError.system("recv", errno: code)
        }
    }

    /// Sends `bytes` and `descriptor` in one SCM_RIGHTS message.
    public static func sendDescriptor(_ socket: FileDescriptor, _ descriptor: FileDescriptor, bytes: [UInt8] = [0]) throws {
        try syscall("sendmsg SCM_RIGHTS") { bt_send_fd(socket.rawValue, bytes, bytes.count, descriptor.rawValue) }
    }

    /// Receives one message and the descriptor it carries (SCM_RIGHTS, made O_CLOEXEC).
    /// - Throws: `.internalError` when the message carried no descriptor.
    public static func receiveDescriptor(_ socket: FileDescriptor) throws -> FileDescriptor {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var fd: Int32 = -1
        let n = try syscall("recvmsg SCM_RIGHTS") { bt_recv_fd(socket.rawValue, &buffer, buffer.count, &fd) }
        guard fd >= 0 else {
            throw BerthError(.internalError, n == 0 ? "the peer closed the socket before sending a descriptor" : "no descriptor in the message")
        }
        return FileDescriptor(fd)
    }

    /// Waits until `fd` is readable (or hung up); false on timeout. A negative timeout waits forever.
    public static func waitReadable(_ fd: FileDescriptor, timeoutMilliseconds: Int32) throws -> Bool {
        var entry = [pollfd(fd: fd.rawValue, events: Int16(POLLIN), revents: 0)]
        let ready = try syscall("poll") { poll(&entry, 1, timeoutMilliseconds) }
        return ready > 0
    }

    /// A `sockaddr_un` for `path`.
    static func socketAddress(_ path: String) throws -> sockaddr_un {
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
        return address
    }
}
