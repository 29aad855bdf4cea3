import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// Reads a file descriptor from its current offset; keeps the descriptor open while it lives.
public final class FileByteSource: ByteSource {
    /// The descriptor read from.
    public let fd: FileDescriptor

    /// - Parameter fd: an open, readable descriptor.
    public init(fd: FileDescriptor) { self.fd = fd }

    /// Opens `path` read-only.
    /// - Throws: "open PATH: ..." when it cannot be opened.
    public convenience init(path: String) throws {
        self.init(fd: try FileDescriptor.open(path, O_RDONLY))
    }

    /// read(2), retried on EINTR.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        return try syscall("read") { Glibc.read(fd.rawValue, base, buffer.count) }
    }
}
