import CBerthShim
import Diagnostics

#if canImport(Glibc)
import Glibc
#endif

/// An owned file descriptor, closed when the last reference goes away.
/// Every descriptor Berth opens is O_CLOEXEC.
public final class FileDescriptor: @unchecked Sendable {
    public private(set) var rawValue: Int32

    public init(_ rawValue: Int32) { self.rawValue = rawValue }

    deinit { if rawValue >= 0 { Glibc.close(rawValue) } }

    /// Gives up ownership: the caller must close the returned descriptor.
    public func release() -> Int32 {
        defer { rawValue = -1 }
        return rawValue
    }

    public func close() {
        if rawValue >= 0 { Glibc.close(rawValue) }
        rawValue = -1
    }

    // MARK: - Opening

    /// open(2) with O_CLOEXEC added.
    public static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws -> FileDescriptor {
        FileDescriptor(try syscall("open", path: path) { Glibc.open(path, flags | O_CLOEXEC, mode) })
    }

    /// openat(2) with O_CLOEXEC added.
    public static func open(at dir: FileDescriptor, _ path: String, _ flags: Int32, mode: mode_t = 0o644) throws -> FileDescriptor {
        FileDescriptor(try syscall("openat", path: path) { Glibc.openat(dir.rawValue, path, flags | O_CLOEXEC, mode) })
    }

    /// openat2(2) with O_CLOEXEC added; `resolve` takes the RESOLVE_* flags.
    public static func open2(at dir: FileDescriptor, _ path: String, _ flags: Int32, mode: mode_t = 0, resolve: UInt64) throws -> FileDescriptor {
        FileDescriptor(try syscall("openat2", path: path) {
            bt_openat2(dir.rawValue, path, UInt64(UInt32(bitPattern: flags | O_CLOEXEC)), UInt64(mode), resolve)
        })
    }

    // MARK: - I/O

    /// Reads everything up to end of file.
    public func readAll(limit: Int = 64 << 20) throws -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = try syscall("read") { chunk.withUnsafeMutableBytes { Glibc.read(rawValue, $0.baseAddress, $0.count) } }
            if n == 0 { return result }
            result.append(contentsOf: chunk[0..<n])
            if result.count > limit { throw BerthError(.invalidArgument, "read: more than \(limit) bytes") }
        }
    }

    /// Writes all of `bytes`, retrying short writes.
    public func writeAll(_ bytes: some Collection<UInt8>) throws {
        let array = Array(bytes)
        var offset = 0
        while offset < array.count {
            let n = try syscall("write") {
                array.withUnsafeBytes { Glibc.write(rawValue, $0.baseAddress! + offset, $0.count - offset) }
            }
            offset += n
        }
    }

    public func writeAll(_ string: String) throws { try writeAll(Array(string.utf8)) }

    /// fstat(2).
    public func stat() throws -> Glibc.stat {
        var st = Glibc.stat()
        try syscall("fstat") { Glibc.fstat(rawValue, &st) }
        return st
    }

    /// The path the kernel reports for this descriptor (`/proc/self/fd/N`).
    public var procPath: String { "/proc/self/fd/\(rawValue)" }
}
