import CArchive
import Diagnostics
import Hashing
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// Walks the entries of a tar stream, plain or compressed (gzip, zstd, xz, bzip2): docker and
/// OCI archives for `load`.
///
/// Paths are reported as stored; nothing is written anywhere.
public final class TarReader {
    private let handle: ArchiveReadHandle
    private var buffer: UnsafeMutableRawBufferPointer?

    /// Starts reading `source`: the compression and the format are recognised here.
    /// - Throws: "read tar: not a tar archive", or "read tar: ..." when the stream cannot be
    ///   read or decompressed.
    public init(source: ByteSource) throws {
        handle = try ArchiveReadHandle(source: source, kind: .compressedTar)
        do {
            try ArchiveLocale.run { try handle.open("read tar") }
        } catch where handle.formatUnrecognised {
            throw BerthError(.invalidArgument, "read tar: not a tar archive")
        }
    }

    deinit { buffer?.deallocate() }

    /// The next entry's header; its data can be read until the next call.
    /// - Returns: nil at the end of the archive.
    /// - Throws: "read tar: ..." for a damaged archive.
    public func next() throws -> TarEntry? {
        try ArchiveLocale.run {
            var entry: OpaquePointer?
            let status = archive_read_next_header(handle.archive, &entry)
            if status == ARCHIVE_EOF { return nil }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
                throw handle.failure("read tar")
            }
            return TarEntry(entry)
        }
    }

    /// Reads the current entry's data (holes of a sparse file read as zeros).
    /// - Returns: the number of bytes read; 0 at the end of the entry.
    public func readData(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        let count = archive_read_data(handle.archive, buffer.baseAddress, buffer.count)
        if count < 0 { throw handle.failure("read tar") }
        return count
    }

    /// All of the current entry's data, for small files (manifest.json, index.json).
    /// - Throws: "read tar: entry larger than LIMIT bytes" past `limit`.
    public func readData(limit: Int) throws -> [UInt8] {
        var result: [UInt8] = []
        let chunk = scratch()
        while true {
            let count = try readData(into: chunk)
            if count == 0 { return result }
            if result.count + count > limit {
                throw BerthError(.invalidArgument, "read tar: entry larger than \(limit) bytes")
            }
            result.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
        }
    }

    /// Writes the current entry's data to `fd` (from its current offset), feeding `hasher`.
    /// - Returns: the number of bytes written.
    /// - Throws: "read tar: ..." or "write: ...".
    @discardableResult
    public func copyData(to fd: FileDescriptor, hasher: SHA256Hasher? = nil) throws -> Int64 {
        let chunk = scratch()
        var total: Int64 = 0
        while true {
            let count = try readData(into: chunk)
            if count == 0 { return total }
            let bytes = UnsafeRawBufferPointer(rebasing: chunk[0..<count])
            hasher?.update(bytes)
            var written = 0
            while written < count {
                written += try syscall("write") { write(fd.rawValue, bytes.baseAddress! + written, count - written) }
            }
            total += Int64(count)
        }
    }

    private func scratch() -> UnsafeMutableRawBufferPointer {
        if let buffer { return buffer }
        let made = UnsafeMutableRawBufferPointer.allocate(byteCount: ArchiveReadHandle.bufferSize, alignment: 64)
        buffer = made
        return made
    }
}
