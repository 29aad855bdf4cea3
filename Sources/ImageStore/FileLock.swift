import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// An flock(2) on a lock file, released by `unlock()` or when the process dies — so a killed
/// command never leaves the store locked.
struct FileLock {
    private let fd: FileDescriptor

    static func exclusive(_ path: String) throws -> FileLock { try lock(path, LOCK_EX)! }
    static func shared(_ path: String) throws -> FileLock { try lock(path, LOCK_SH)! }
    /// nil when another process holds the lock.
    static func tryExclusive(_ path: String) throws -> FileLock? { try lock(path, LOCK_EX | LOCK_NB) }

    private static func lock(_ path: String, _ operation: Int32) throws -> FileLock? {
        let fd = try FileDescriptor.open(path, O_RDWR | O_CREAT, mode: 0o600)
        while flock(fd.rawValue, operation) != 0 {
            if errno == EINTR { continue }
            if errno == EWOULDBLOCK { return nil }
            throw BerthError.system("lock", path: path)
        }
        return FileLock(fd: fd)
    }

    func unlock() {
        flock(fd.rawValue, LOCK_UN)
        fd.close()
    }
}
