import Diagnostics
import ImageSpec
import LinuxSyscalls

/// The members of an image archive, by normalised name: a tar staged into temporary files
/// (``StagedArchive``) or an OCI layout directory (``LayoutDirectory``). The loader only reads
/// through this, so both formats share one validation and ingest path.
protocol ArchiveContents: AnyObject {
    /// What errors call the archive: "archive /tmp/x.tar".
    var label: String { get }
    /// Whether `name` is a readable member (directly or through a link).
    func contains(_ name: String) -> Bool
    /// The member's size in bytes.
    func size(of name: String) throws -> Int64
    /// The sha256 of the member's content.
    func digest(of name: String) throws -> Digest
    /// Opens the member's content for reading from its start.
    func open(_ name: String) throws -> FileDescriptor
}

extension ArchiveContents {
    /// The whole member, at most `limit` bytes (manifests, configs, index.json).
    /// - Throws: `invalidArgument` when the member is missing or larger than `limit`.
    func read(_ name: String, limit: Int = ParsedManifest.maxSize) throws -> [UInt8] {
        guard contains(name) else { throw BerthError.invalid("\(label): \(name) is missing") }
        let size = try size(of: name)
        guard size <= Int64(limit) else {
            throw BerthError.invalid("\(label): \(name) is \(size) bytes, more than the \(limit)-byte limit")
        }
        return try open(name).readAll(limit: limit)
    }

    /// The member named for a blob, `blobs/sha256/<hex>`, checked to hold that digest and size.
    /// - Throws: `invalidArgument` when it is missing or its content does not match.
    func blobMember(_ descriptor: Descriptor) throws -> String {
        let name = "blobs/sha256/\(descriptor.digest.hex)"
        guard contains(name) else { throw BerthError.invalid("\(label): blob \(descriptor.digest) is missing") }
        let size = try size(of: name)
        guard size == descriptor.size else {
            throw BerthError.invalid("\(label): blob \(descriptor.digest) is \(size) bytes, the descriptor says \(descriptor.size)")
        }
        let digest = try digest(of: name)
        guard digest == descriptor.digest else {
            throw BerthError.invalid("\(label): blob \(descriptor.digest): digest mismatch (got \(digest))")
        }
        return name
    }
}
