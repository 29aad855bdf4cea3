import CArchive
import Diagnostics

/// Decompresses a stream without unpacking it: what `import` stores of a .tar.gz.
public enum Decompressor {
    /// The uncompressed bytes of `source`: gzip, zstd, xz and bzip2 are recognised by their
    /// magic numbers; anything else passes through unchanged.
    ///
    /// Nothing is read until the first `read(into:)`, which throws "decompress: ..." for a
    /// corrupt stream.
    public static func decompressed(_ source: ByteSource) -> ByteSource {
        DecompressedSource(source)
    }
}

/// libarchive's "raw" format over every in-process filter: one entry, the uncompressed stream.
final class DecompressedSource: ByteSource {
    private let upstream: ByteSource
    private var handle: ArchiveReadHandle?
    private var finished = false

    init(_ upstream: ByteSource) { self.upstream = upstream }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if finished || buffer.count == 0 { return 0 }
        let handle = try self.handle ?? start()
        if finished { return 0 }
        let count = archive_read_data(handle.archive, buffer.baseAddress, buffer.count)
        if count < 0 { throw handle.failure("decompress") }
        if count == 0 { finished = true }
        return count
    }

    private func start() throws -> ArchiveReadHandle {
        let handle = try ArchiveReadHandle(source: upstream, kind: .decompress)
        self.handle = handle
        do {
            try handle.open("decompress")
        } catch where handle.bytesRead == 0 && handle.formatUnrecognised {
            // An empty stream has no format to recognise: it decompresses to nothing.
            finished = true
            return handle
        }
        var entry: OpaquePointer?
        let status = archive_read_next_header(handle.archive, &entry)
        if status != ARCHIVE_OK && status != ARCHIVE_WARN { throw handle.failure("decompress") }
        return handle
    }
}
