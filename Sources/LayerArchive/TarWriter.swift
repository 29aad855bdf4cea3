import CArchive
import Diagnostics
import ImageSpec
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// Writes a tar stream (pax format, extended headers only where ustar cannot say it) to a
/// descriptor, uncompressed or gzip/zstd-compressed: `save`, `export` and `commit`.
public final class TarWriter {
    /// How the stream is written.
    public struct Options: Sendable, Equatable {
        public var compression: LayerCompression
        /// Compute the sha256 of the tar stream and of the bytes written (`Summary`).
        public var computeDigests: Bool
        /// `addTree` writes overlayfs whiteouts (0/0 character devices) as `.wh.NAME` and
        /// opaque directories (trusted.overlay.opaque=y) as `.wh..wh..opq`: an upper
        /// directory becomes a layer.
        public var overlayWhiteouts: Bool

        public init(compression: LayerCompression = .none, computeDigests: Bool = false, overlayWhiteouts: Bool = false) {
            self.compression = compression
            self.computeDigests = computeDigests
            self.overlayWhiteouts = overlayWhiteouts
        }
    }

    /// What `finish()` wrote.
    public struct Summary: Sendable, Equatable {
        /// The sha256 of the uncompressed tar (a layer's diff id), when digests were asked for.
        public var diffID: Digest?
        /// The sha256 of the bytes written (the blob digest; the diff id when uncompressed).
        public var digest: Digest?
        /// The size of the uncompressed tar.
        public var tarSize: Int64
        /// The number of bytes written to the descriptor.
        public var size: Int64
    }

    public let options: Options
    let archive: OpaquePointer
    private let output: TarOutput
    private let entry: OpaquePointer
    private var buffer: UnsafeMutableRawBufferPointer?
    private var finished = false
    /// `addTree`'s files with more than one link, by device and inode: the first path written.
    var linkedFiles: [FileIdentity: [CChar]] = [:]

    /// Starts a tar stream on `fd` (written from its current offset).
    /// - Throws: `BerthError` when libarchive cannot be set up.
    public init(fd: FileDescriptor, options: Options = .init()) throws {
        self.options = options
        output = try TarOutput(fd: fd, compression: options.compression, digests: options.computeDigests)
        guard let archive = archive_write_new(), let entry = archive_entry_new() else {
            throw BerthError(.internalError, "libarchive: cannot allocate a writer")
        }
        self.archive = archive
        self.entry = entry
        let context = Unmanaged.passUnretained(output).toOpaque()
        let status = ArchiveLocale.run {
            // pax_restricted: ustar headers, plus a pax header only for long or non-ASCII
            // names, large ids or sizes, and xattrs.
            archive_write_set_format_pax_restricted(archive)
            TarOutput.setBlocking(archive)
            return archive_write_open(archive, context, nil, { _, context, buffer, length in
                guard let context else { return -1 }
                let output = Unmanaged<TarOutput>.fromOpaque(context).takeUnretainedValue()
                return output.consume(UnsafeRawBufferPointer(start: buffer, count: length)) ? length : -1
            }, nil)
        }
        if status != ARCHIVE_OK { throw failure("write tar") }
    }

    deinit {
        if !finished { output.discarding = true }
        archive_write_free(archive)
        archive_entry_free(entry)
        buffer?.deallocate()
    }

    // MARK: - Entries

    /// Adds a directory.
    public func addDirectory(path: String, mode: UInt32 = 0o755, uid: UInt32 = 0, gid: UInt32 = 0, mtime: Int64 = 0) throws {
        try path.withCString { try writeHeader($0, type: S_IFDIR, mode: mode, uid: uid, gid: gid, mtime: mtime) }
    }

    /// Adds a regular file of `size` bytes read from `source`.
    /// - Throws: "write tar: entry 'PATH': source ended after N of SIZE bytes" when `source`
    ///   has fewer bytes.
    public func addFile(path: String, mode: UInt32 = 0o644, uid: UInt32 = 0, gid: UInt32 = 0, mtime: Int64 = 0,
                        size: Int64, source: ByteSource) throws {
        try path.withCString { name in
            try writeHeader(name, type: S_IFREG, mode: mode, uid: uid, gid: gid, mtime: mtime, size: size)
            try writeData(size: size, named: name) { try source.read(into: $0) }
        }
    }

    /// Adds a regular file holding `bytes`.
    public func addFile(path: String, mode: UInt32 = 0o644, uid: UInt32 = 0, gid: UInt32 = 0, mtime: Int64 = 0,
                        bytes: [UInt8]) throws {
        try addFile(path: path, mode: mode, uid: uid, gid: gid, mtime: mtime, size: Int64(bytes.count),
                    source: BytesByteSource(bytes))
    }

    /// Adds a symlink to `target` (stored as given).
    public func addSymlink(path: String, target: String, uid: UInt32 = 0, gid: UInt32 = 0, mtime: Int64 = 0) throws {
        try path.withCString { name in
            try target.withCString {
                try writeHeader(name, type: S_IFLNK, mode: 0o777, uid: uid, gid: gid, mtime: mtime, symlink: $0)
            }
        }
    }

    /// Adds a hard link to the earlier entry `target`.
    public func addHardLink(path: String, target: String, mode: UInt32 = 0o644, uid: UInt32 = 0, gid: UInt32 = 0,
                            mtime: Int64 = 0) throws {
        try path.withCString { name in
            try target.withCString {
                try writeHeader(name, type: S_IFREG, mode: mode, uid: uid, gid: gid, mtime: mtime, hardLink: $0)
            }
        }
    }

    /// Ends the archive (two zero blocks), flushes the compressor, and reports what was written.
    /// - Throws: "write tar: ..." when a write fails.
    @discardableResult
    public func finish() throws -> Summary {
        guard !finished else { throw BerthError(.invalidState, "write tar: already finished") }
        finished = true
        if ArchiveLocale.run({ archive_write_close(archive) }) != ARCHIVE_OK { throw failure("write tar") }
        let digests = try output.finish()
        return Summary(diffID: digests.diffID, digest: digests.digest, tarSize: output.tarBytes, size: output.writtenBytes)
    }

    // MARK: - Headers and data

    /// One header from raw fields; `path` and the link targets are bytes, not necessarily UTF-8.
    func writeHeader(_ path: UnsafePointer<CChar>, type: mode_t, mode: UInt32, uid: UInt32, gid: UInt32, mtime: Int64,
                     size: Int64 = 0, symlink: UnsafePointer<CChar>? = nil, hardLink: UnsafePointer<CChar>? = nil,
                     device: (major: UInt32, minor: UInt32)? = nil, xattrs: [Xattr] = []) throws {
        guard !finished else { throw BerthError(.invalidState, "write tar: already finished") }
        archive_entry_clear(entry)
        archive_entry_copy_pathname(entry, path)
        archive_entry_set_filetype(entry, type)
        archive_entry_set_perm(entry, mode & 0o7777)
        archive_entry_set_uid(entry, Int64(uid))
        archive_entry_set_gid(entry, Int64(gid))
        archive_entry_set_mtime(entry, time_t(mtime), 0)
        archive_entry_set_size(entry, type == S_IFREG && hardLink == nil ? size : 0)
        if let symlink { archive_entry_copy_symlink(entry, symlink) }
        if let hardLink { archive_entry_copy_hardlink(entry, hardLink) }
        if let device {
            archive_entry_set_rdevmajor(entry, dev_t(device.major))
            archive_entry_set_rdevminor(entry, dev_t(device.minor))
        }
        for xattr in xattrs {
            xattr.value.withUnsafeBytes { archive_entry_xattr_add_entry(entry, xattr.name, $0.baseAddress, $0.count) }
        }
        let status = ArchiveLocale.run { archive_write_header(archive, entry) }
        if status != ARCHIVE_OK && status != ARCHIVE_WARN {
            throw failure("write tar").context("entry '\(String(cString: path))'")
        }
    }

    /// Copies exactly `size` bytes from `read` into the current entry.
    func writeData(size: Int64, named path: UnsafePointer<CChar>,
                   _ read: (UnsafeMutableRawBufferPointer) throws -> Int) throws {
        let chunk = scratch()
        var remaining = size
        while remaining > 0 {
            let want = Int(min(Int64(chunk.count), remaining))
            let count = try read(UnsafeMutableRawBufferPointer(rebasing: chunk[0..<want]))
            if count == 0 {
                throw BerthError(.invalidArgument, "write tar: entry '\(String(cString: path))': source ended after \(size - remaining) of \(size) bytes")
            }
            if archive_write_data(archive, chunk.baseAddress, count) < 0 { throw failure("write tar") }
            remaining -= Int64(count)
        }
    }

    private func scratch() -> UnsafeMutableRawBufferPointer {
        if let buffer { return buffer }
        let made = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        buffer = made
        return made
    }

    /// The output's error (a failed write) or libarchive's message.
    private func failure(_ step: String) -> BerthError {
        if let error = output.error {
            return (error as? BerthError ?? BerthError(.internalError, "\(error)")).context(step)
        }
        return BerthError(.internalError, "\(step): \(ArchiveReadHandle.message(of: archive))")
    }
}

/// An extended attribute read from a file.
struct Xattr {
    var name: String
    var value: [UInt8]
}

/// A file's device and inode: what hard links share.
struct FileIdentity: Hashable {
    var device: UInt64
    var inode: UInt64
}
