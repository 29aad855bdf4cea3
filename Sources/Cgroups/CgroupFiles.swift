import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// Everything the cgroup code does to a cgroup file system, behind one seam so unit tests can
/// record the exact writes (and their order) against a temporary directory.
public protocol CgroupFiles {
    /// The content of `directory/file`.
    func read(_ directory: String, _ file: String) throws -> String
    /// Writes `value` to the existing control file `directory/file` (no O_CREAT, no O_TRUNC).
    func write(_ directory: String, _ file: String, _ value: String) throws
    /// Whether `directory/file` exists.
    func exists(_ directory: String, _ file: String) -> Bool
    /// mkdir(2); throws EEXIST when `path` is already there.
    func makeDirectory(_ path: String) throws
    /// rmdir(2).
    func removeDirectory(_ path: String) throws
    /// The names of the directories (child cgroups) in `path`.
    func subdirectories(_ path: String) throws -> [String]
}

/// The real cgroup file systems.
public struct HostCgroupFiles: CgroupFiles {
    public init() {}

    public func read(_ directory: String, _ file: String) throws -> String {
        do {
            return try Files.readString("\(directory)/\(file)")
        } catch let error as BerthError {
            throw CgroupError.read(file, directory, error)
        }
    }

    public func write(_ directory: String, _ file: String, _ value: String) throws {
        let path = "\(directory)/\(file)"
        let fd = Glibc.open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CgroupError.set(file, directory, errno: errno) }
        defer { close(fd) }
        let bytes = Array(value.utf8)
        // A control file takes one value per write(2); a short write is an error, not a retry.
        let written = bytes.withUnsafeBytes { buffer -> Int in
            while true {
                let n = Glibc.write(fd, buffer.baseAddress, buffer.count)
                if n == -1 && errno == EINTR { continue }
                return n
            }
        }
        if written == -1 { throw CgroupError.set(file, directory, errno: errno) }
        if written != bytes.count { throw CgroupError.set(file, directory, errno: EIO) }
    }

    public func exists(_ directory: String, _ file: String) -> Bool {
        Files.exists("\(directory)/\(file)")
    }

    public func makeDirectory(_ path: String) throws {
        try syscall("mkdir", path: path) { mkdir(path, 0o755) }
    }

    public func removeDirectory(_ path: String) throws {
        try Files.removeDirectory(path)
    }

    public func subdirectories(_ path: String) throws -> [String] {
        try Files.listDirectories(path)
    }
}

/// The shapes of the cgroup errors, so every controller words them the same way.
enum CgroupError {
    /// "set cgroup memory.limit_in_bytes /sys/fs/cgroup/memory/x: invalid argument"
    static func set(_ file: String, _ directory: String, errno code: Int32) -> BerthError {
        let kind: BerthError.Code = code == ENOENT ? .notFound : .system
        return BerthError(kind, "set cgroup \(file) \(directory): \(errnoDescription(code))", errno: code)
    }

    static func read(_ file: String, _ directory: String, _ cause: BerthError) -> BerthError {
        let reason = cause.errno.map(errnoDescription) ?? cause.message
        return BerthError(cause.code, "read cgroup \(file) \(directory): \(reason)", errno: cause.errno)
    }

    /// A value the spec asks for that the kernel would refuse or that makes no sense.
    static func invalid(_ file: String, _ directory: String, _ reason: String) -> BerthError {
        BerthError(.invalidArgument, "set cgroup \(file) \(directory): \(reason)")
    }
}

extension CgroupFiles {
    /// Reads a control file holding one unsigned number ("max" is UInt64.max).
    func readNumber(_ directory: String, _ file: String) throws -> UInt64 {
        let text = try read(directory, file).trimmingWhitespace()
        if text == "max" { return UInt64.max }
        guard let value = UInt64(text) else {
            throw BerthError(.internalError, "read cgroup \(file) \(directory): not a number: \"\(text)\"")
        }
        return value
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines (no Foundation here).
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }),
              let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
