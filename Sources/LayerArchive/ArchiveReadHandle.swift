import CArchive
import Diagnostics

#if canImport(Glibc)
import Glibc
#endif

/// A libarchive read handle fed from a `ByteSource` through one large buffer.
///
/// libarchive only learns that a read failed ("-1"); the source's own error is kept here and
/// reported instead of libarchive's vaguer one.
final class ArchiveReadHandle {
    /// What the handle reads.
    enum Kind {
        /// One stream through every in-process decompression filter, format "raw": the
        /// uncompressed bytes.
        case decompress
        /// An uncompressed tar stream (no filter).
        case tar
        /// A tar stream, compressed or not.
        case compressedTar
    }

    /// Large reads keep the per-call overhead (and libarchive's copying) negligible.
    static let bufferSize = 1 << 20

    let archive: OpaquePointer
    private let source: ByteSource
    private let buffer: UnsafeMutableRawBufferPointer
    /// The first error the source threw.
    private(set) var sourceError: (any Error)?
    /// Bytes handed to libarchive so far.
    private(set) var bytesRead: Int64 = 0

    init(source: ByteSource, kind: Kind) throws {
        guard let archive = archive_read_new() else {
            throw BerthError(.internalError, "libarchive: cannot allocate a reader")
        }
        self.archive = archive
        self.source = source
        self.buffer = .allocate(byteCount: Self.bufferSize, alignment: 64)
        if kind != .tar {
            // Only the filters libarchive runs in-process: `support_filter_all` would also
            // start external programs (lrzip, lzop, grzip) for input that claims to need them.
            archive_read_support_filter_gzip(archive)
            archive_read_support_filter_zstd(archive)
            archive_read_support_filter_xz(archive)
            archive_read_support_filter_bzip2(archive)
        }
        if kind == .decompress {
            archive_read_support_format_raw(archive)
        } else {
            archive_read_support_format_tar(archive)
        }
    }

    deinit {
        archive_read_free(archive)
        buffer.deallocate()
    }

    /// archive_read_open with this handle's read callback; libarchive sniffs the filters here.
    /// - Throws: "STEP: ..." with libarchive's reason or the source's error.
    func open(_ step: String) throws {
        let context = Unmanaged.passUnretained(self).toOpaque()
        let status = archive_read_open(archive, context, nil, { _, context, out in
            guard let context, let out else { return -1 }
            return Unmanaged<ArchiveReadHandle>.fromOpaque(context).takeUnretainedValue().fill(out)
        }, nil)
        if status != ARCHIVE_OK { throw failure(step) }
    }

    private func fill(_ out: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
        do {
            let count = try source.read(into: buffer)
            out.pointee = UnsafeRawPointer(buffer.baseAddress)
            bytesRead += Int64(count)
            return count
        } catch {
            if sourceError == nil { sourceError = error }
            return -1
        }
    }

    /// True when the last call failed because libarchive recognised no format, not because
    /// a read failed. (ARCHIVE_ERRNO_FILE_FORMAT is EILSEQ on Linux; archive.h only names it.)
    var formatUnrecognised: Bool {
        sourceError == nil && archive_errno(archive) == EILSEQ
    }

    /// The reason the last libarchive call failed: the source's error when it threw, else
    /// libarchive's message as "STEP: message".
    func failure(_ step: String) -> BerthError {
        if let sourceError {
            return sourceError as? BerthError ?? BerthError(.internalError, "\(step): \(sourceError)")
        }
        return BerthError(.invalidArgument, "\(step): \(Self.message(of: archive))")
    }

    /// libarchive's last error message in Berth's style (lower case, no trailing period).
    static func message(of archive: OpaquePointer) -> String {
        guard let cString = archive_error_string(archive) else { return "unknown libarchive error" }
        var text = String(cString: cString)
        while text.hasSuffix(".") || text.hasSuffix("\n") { text.removeLast() }
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }
}
