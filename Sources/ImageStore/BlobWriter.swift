import Diagnostics
import Hashing
import ImageSpec
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// A blob being written into the store: bytes go to a temporary file and through sha256; `commit`
/// checks digest and size and renames it into blobs/sha256/. Until then nothing is in the store.
public final class BlobWriter: @unchecked Sendable {
    private let store: ImageStore
    private let path: String
    private var fd: FileDescriptor?
    private let hasher = SHA256Hasher()
    public private(set) var bytesWritten: Int64 = 0

    init(store: ImageStore) throws {
        self.store = store
        path = store.temporaryPath("blob")
        fd = try FileDescriptor.open(path, O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
    }

    deinit { abort() }

    public func write(_ buffer: UnsafeRawBufferPointer) throws {
        guard let fd else { throw BerthError(.invalidState, "write blob: already committed or aborted") }
        hasher.update(buffer)
        var offset = 0
        while offset < buffer.count {
            let n = try syscall("write", path: path) { Glibc.write(fd.rawValue, buffer.baseAddress! + offset, buffer.count - offset) }
            offset += n
        }
        bytesWritten += Int64(buffer.count)
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Verifies the content (digest `expected` and `expectedSize`, when given) and moves the blob
    /// into the store. Returns its digest. On a mismatch the temporary file is deleted.
    @discardableResult
    public func commit(expected: Digest? = nil, expectedSize: Int64? = nil) throws -> Digest {
        guard let fd else { throw BerthError(.invalidState, "commit blob: already committed or aborted") }
        fd.close()
        self.fd = nil
        let digest = Digest(sha256Hex: SHA256Hasher.hex(hasher.finalize()))
        do {
            if let expected, expected != digest {
                throw BerthError.invalid("blob \(expected): digest mismatch (got \(digest))")
            }
            if let expectedSize, expectedSize != bytesWritten {
                throw BerthError.invalid("blob \(expected ?? digest): size mismatch (want \(expectedSize) bytes, got \(bytesWritten))")
            }
            try syscall("rename", path: path) { rename(path, store.blobPath(digest)) }
        } catch {
            unlink(path)
            throw error
        }
        return digest
    }

    /// Throws the blob away.
    public func abort() {
        guard let fd else { return }
        fd.close()
        self.fd = nil
        unlink(path)
    }
}
