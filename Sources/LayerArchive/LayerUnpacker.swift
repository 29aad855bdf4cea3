import CArchive
import Diagnostics
import Hashing
import ImageSpec
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// Unpacks a layer tarball (plain, gzip or zstd) into an empty directory, computing its diff
/// id on the way.
///
/// One thread, one pass: the compressed bytes go through libarchive's decompressing "raw"
/// reader; the uncompressed stream is hashed (the diff id) and read by a second, tar-only
/// libarchive reader whose entries Berth creates itself, each relative to a descriptor on its
/// parent directory resolved with openat2(RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS). Nothing an
/// entry says (`..`, absolute paths, symlinks, hard links) can create, change or link anything
/// outside the directory.
public struct LayerUnpacker: Sendable {
    public var options: UnpackOptions

    public init(options: UnpackOptions = .init()) {
        self.options = options
    }

    /// Unpacks `source` into `directory`.
    /// - Parameters:
    ///   - source: the layer blob as stored or downloaded.
    ///   - compression: the media type's compression; a hint only, the stream is always
    ///     sniffed (registries mislabel layers, and docker sniffs too).
    ///   - directory: an existing, empty directory; its own metadata is left as it is (the
    ///     layer's "./" entry is skipped, as docker and containerd do).
    /// - Returns: the diff id, the size and the number of entries.
    /// - Throws: `BerthError` "unpack layer: entry 'PATH': STEP: REASON", "unpack layer: not a
    ///   tar archive", "unpack layer: decompress: ...". What was unpacked before the error
    ///   stays; the caller discards the directory.
    public func unpack(_ source: ByteSource, compression: LayerCompression?, into directory: String) throws -> UnpackResult {
        do {
            return try ArchiveLocale.run { try unpackStream(source, into: directory) }
        } catch let error as BerthError {
            throw error.context("unpack layer")
        }
    }

    private func unpackStream(_ source: ByteSource, into directory: String) throws -> UnpackResult {
        let root = try FileDescriptor.open(directory, O_RDONLY | O_DIRECTORY)
        let tarStream = HashingSource(DecompressedSource(source))
        let tar = try ArchiveReadHandle(source: tarStream, kind: .tar)
        do {
            // libarchive picks the format here, from the first block.
            try tar.open("read tar")
        } catch where tar.formatUnrecognised {
            throw BerthError(.invalidArgument, "not a tar archive")
        }
        let extractor = try LayerExtractor(root: root, options: options)
        var entry: OpaquePointer?
        while true {
            let status = archive_read_next_header(tar.archive, &entry)
            if status == ARCHIVE_EOF { break }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
                if tar.formatUnrecognised && extractor.entryCount == 0 {
                    throw BerthError(.invalidArgument, "not a tar archive")
                }
                throw tar.failure("read tar")
            }
            try extractor.extract(entry, from: tar)
        }
        try extractor.finish()
        // The tar reader stops at the first end-of-archive block; the diff id covers the rest.
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { scratch.deallocate() }
        try tarStream.drain(using: scratch)
        return UnpackResult(diffID: Digest(sha256Hex: SHA256Hasher.hex(tarStream.hasher.finalize())),
                            size: extractor.size, entryCount: extractor.entryCount)
    }
}
