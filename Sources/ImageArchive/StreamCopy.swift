import Diagnostics
import LayerArchive
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// Moving bytes between sources, descriptors and blob writers in large chunks.
enum StreamCopy {
    /// Large chunks keep the per-call cost negligible next to hashing and copying.
    static let chunkSize = 1 << 20

    /// Reads `source` to its end, handing each chunk to `body`.
    /// - Returns: the number of bytes read.
    @discardableResult
    static func forEachChunk(of source: ByteSource, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int64 {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 64)
        defer { buffer.deallocate() }
        var total: Int64 = 0
        while true {
            let count = try source.read(into: buffer)
            if count == 0 { return total }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            total += Int64(count)
        }
    }

    /// write(2) of all of `buffer`, retrying short writes and EINTR.
    static func write(_ buffer: UnsafeRawBufferPointer, to fd: FileDescriptor, path: String) throws {
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            offset += try syscall("write", path: path) { Glibc.write(fd.rawValue, base + offset, buffer.count - offset) }
        }
    }

    /// A new nameless file in `directory` (O_TMPFILE), read-write: it disappears when closed,
    /// whatever happens to the process. Falls back to a named file unlinked at once.
    static func anonymousFile(in directory: String) throws -> FileDescriptor {
        let raw = Glibc.open(directory, temporaryFileFlag | O_RDWR | O_CLOEXEC, 0o600)
        if raw >= 0 { return FileDescriptor(raw) }
        guard errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL else {
            throw BerthError.system("open temporary file in", path: directory)
        }
        let (fd, path) = try createUnique(prefix: "\(directory)/.berth")
        unlink(path)
        return fd
    }

    /// Creates a new file `<prefix>-<random>` (O_CREAT|O_EXCL, so never an existing one),
    /// read-write, mode 0600. mkostemp(3) would do, but Glibc's Swift module hides it.
    static func createUnique(prefix: String) throws -> (FileDescriptor, String) {
        while true {
            let path = "\(prefix)-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
            do {
                return (try FileDescriptor.open(path, O_RDWR | O_CREAT | O_EXCL, mode: 0o600), path)
            } catch let error as BerthError where error.errno == EEXIST {
                continue
            }
        }
    }

    /// O_TMPFILE, which Glibc's Swift module hides (it needs _GNU_SOURCE): __O_TMPFILE
    /// (020000000 on every architecture Swift runs on) with O_DIRECTORY.
    private static let temporaryFileFlag: Int32 = 0o20000000 | O_DIRECTORY

    /// Moves `fd`'s offset back to its start.
    static func rewind(_ fd: FileDescriptor, path: String) throws {
        try syscall("lseek", path: path) { lseek(fd.rawValue, 0, SEEK_SET) }
    }
}
