import CArchive
import Diagnostics
import Hashing
import ImageSpec
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// Where a `TarWriter`'s tar stream goes: hashed (the diff id), compressed by a second
/// libarchive writer (format "raw" with the gzip or zstd filter) when asked, hashed again
/// (the blob digest) and written to the descriptor.
final class TarOutput {
    private let fd: FileDescriptor
    private let tarHasher: SHA256Hasher?
    private let blobHasher: SHA256Hasher?
    private var compressor: OpaquePointer?
    /// The first error met inside a libarchive callback, which can only return -1.
    private(set) var error: (any Error)?
    private(set) var tarBytes: Int64 = 0
    private(set) var writtenBytes: Int64 = 0
    /// Set when the writer is dropped unfinished: libarchive's closing bytes go nowhere.
    var discarding = false

    init(fd: FileDescriptor, compression: LayerCompression, digests: Bool) throws {
        self.fd = fd
        tarHasher = digests ? SHA256Hasher() : nil
        blobHasher = digests && compression != .none ? SHA256Hasher() : nil
        guard compression != .none else { return }
        guard let compressor = archive_write_new() else {
            throw BerthError(.internalError, "libarchive: cannot allocate a writer")
        }
        self.compressor = compressor
        archive_write_set_format_raw(compressor)
        if compression == .gzip {
            archive_write_add_filter_gzip(compressor)
            // No time stamp in the gzip header: the same tree gives the same blob.
            archive_write_set_filter_option(compressor, "gzip", "timestamp", nil)
        } else {
            archive_write_add_filter_zstd(compressor)
        }
        Self.setBlocking(compressor)
        let context = Unmanaged.passUnretained(self).toOpaque()
        let status = archive_write_open(compressor, context, nil, { _, context, buffer, length in
            guard let context else { return -1 }
            let output = Unmanaged<TarOutput>.fromOpaque(context).takeUnretainedValue()
            return output.emit(UnsafeRawBufferPointer(start: buffer, count: length)) ? length : -1
        }, nil)
        guard status == ARCHIVE_OK else { throw failure(compressor, "compress") }
        let entry = archive_entry_new()
        defer { archive_entry_free(entry) }
        archive_entry_set_filetype(entry, Glibc.S_IFREG)
        archive_entry_set_pathname(entry, "layer.tar")
        guard archive_write_header(compressor, entry) == ARCHIVE_OK else { throw failure(compressor, "compress") }
    }

    deinit {
        if let compressor { archive_write_free(compressor) }
    }

    /// 64 KiB writes, and no padding of the last block (tar's 10240-byte records are a tape
    /// convention; docker's tars end after the two zero blocks).
    static func setBlocking(_ archive: OpaquePointer) {
        archive_write_set_bytes_per_block(archive, 1 << 16)
        archive_write_set_bytes_in_last_block(archive, 1)
    }

    /// The tar writer's callback: the uncompressed stream.
    func consume(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if discarding { return true }
        tarHasher?.update(bytes)
        tarBytes += Int64(bytes.count)
        guard let compressor else { return emit(bytes) }
        guard bytes.count > 0 else { return true }
        let count = archive_write_data(compressor, bytes.baseAddress, bytes.count)
        if count < 0 {
            if error == nil { error = failure(compressor, "compress") }
            return false
        }
        return true
    }

    /// Bytes for the descriptor.
    private func emit(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if discarding { return true }
        blobHasher?.update(bytes)
        do {
            var written = 0
            while written < bytes.count {
                written += try syscall("write") { write(fd.rawValue, bytes.baseAddress! + written, bytes.count - written) }
            }
        } catch {
            if self.error == nil { self.error = error }
            return false
        }
        writtenBytes += Int64(bytes.count)
        return true
    }

    /// Flushes the compressor (its trailer) and returns the digests.
    func finish() throws -> (diffID: Digest?, digest: Digest?) {
        if let compressor, archive_write_close(compressor) != ARCHIVE_OK {
            throw error ?? failure(compressor, "compress")
        }
        if let error { throw error }
        let diffID = tarHasher.map { Digest(sha256Hex: SHA256Hasher.hex($0.finalize())) }
        let digest = blobHasher.map { Digest(sha256Hex: SHA256Hasher.hex($0.finalize())) } ?? diffID
        return (diffID, digest)
    }

    private func failure(_ archive: OpaquePointer, _ step: String) -> BerthError {
        BerthError(.internalError, "\(step): \(ArchiveReadHandle.message(of: archive))")
    }
}
