import Diagnostics
import ImageSpec
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

extension ImageStore {
    public func blobPath(_ digest: Digest) -> String { "\(blobsPath)/\(digest.hex)" }

    public func hasBlob(_ digest: Digest) -> Bool { Files.exists(blobPath(digest)) }

    /// The size of a stored blob, nil when it is not there.
    public func blobSize(_ digest: Digest) -> Int64? {
        var st = stat()
        return stat(blobPath(digest), &st) == 0 ? Int64(st.st_size) : nil
    }

    public func readBlob(_ digest: Digest, limit: Int = ParsedManifest.maxSize) throws -> [UInt8] {
        do {
            return try Files.read(blobPath(digest), limit: limit)
        } catch let error as BerthError where error.code == .notFound {
            throw BerthError(.notFound, "blob \(digest) is not in the store")
        }
    }

    public func openBlob(_ digest: Digest) throws -> FileDescriptor {
        do {
            return try FileDescriptor.open(blobPath(digest), O_RDONLY)
        } catch let error as BerthError where error.code == .notFound {
            throw BerthError(.notFound, "blob \(digest) is not in the store")
        }
    }

    public func newBlobWriter() throws -> BlobWriter { try BlobWriter(store: self) }

    /// Stores `bytes` as a blob (verified against `expected` when given); a blob already there is kept.
    @discardableResult
    public func putBlob(_ bytes: [UInt8], expected: Digest? = nil) throws -> Digest {
        let digest = Digest.sha256(of: bytes)
        if let expected, expected != digest {
            throw BerthError.invalid("blob \(expected): digest mismatch (got \(digest))")
        }
        if hasBlob(digest) { return digest }
        let writer = try newBlobWriter()
        try writer.write(bytes)
        return try writer.commit(expected: digest)
    }
}
