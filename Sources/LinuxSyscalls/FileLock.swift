import Diagnostics

#if canImport(Glibc)
import Glibc
#endif

/// An flock(2) on a lock file, released by `unlock()` or when the process dies — so a killed
/// command never leaves a store locked. Each lock opens its own file description, so two
/// threads of one process exclude each other as two processes do.
public struct FileLock: Sendable {
    private let fd: FileDescriptor

    public static func exclusive(_ path: String) throws -> FileLock { try lock(path, LOCK_EX)! }
    public static func shared(_ path: String) throws -> FileLock { try lock(path, LOCK_SH)! }
    /// nil when someone else holds the lock.
    public static func tryExclusive(_ path: String) throws -> FileLock? { try lock(path, LOCK_EX | LOCK_NB) }

    private static func lock(_ path: String, _ operation: Int32) throws -> FileLock? {
        let fd = try FileDescriptor.open(path, O_RDWR | O_CREAT, mode: 0o600)
        while flock(fd.rawValue, operation) != 0 {
            if errno == EINTR { continue }
            if errno == EWOULDBLOCK { return nil }
            throw BerthError.system("lock", path: path)
        }
        return FileLock(fd: fd)
    }

    public func unlock() {
        flock(fd.rawValue, LOCK_UN)
        fd.close()
    }
}
