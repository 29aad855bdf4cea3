import Diagnostics
import ImageSpec
import LiteJSON
import LinuxSyscalls

/// The store's index.json: one entry per (manifest, name) pair. An entry's annotations carry the
/// image's full name (`io.containerd.image.name`, also its tag as OCI's `ref.name`), the repository
/// digest it was pulled by (`io.berth.repo-digest`) and when it was added (`io.berth.added`).
/// An entry without a name is an untagged ("dangling") image.
struct LayoutIndex: Codable {
    var schemaVersion = 2
    var mediaType: String? = MediaType.ociIndex
    var manifests: [Descriptor] = []

    static let repoDigestKey = "io.berth.repo-digest"
    static let addedKey = "io.berth.added"

    static func load(_ path: String) throws -> LayoutIndex {
        guard Files.exists(path) else { return LayoutIndex() }
        return try BerthError.wrap("read \(path)") {
            let bytes = try Files.read(path)
            do {
                return try LiteJSONDecoder().decode(LayoutIndex.self, from: bytes)
            } catch {
                throw BerthError(.internalError, "corrupt index: \(error)")
            }
        }
    }

    func save(_ path: String) throws {
        let bytes = try LiteJSONEncoder(pretty: true).encode(self)
        try Files.writeAtomically(path, bytes + [10], mode: 0o644)
    }
}

extension Descriptor {
    /// The full image name of an index entry, when it has one.
    var imageName: ImageReference? {
        annotations?[Annotation.imageName].flatMap { try? ImageReference(parsing: $0, defaultTag: false) }
    }

    var repoDigest: String? { annotations?[LayoutIndex.repoDigestKey] }
}

extension ImageStore {
    /// Reads index.json, changes it with `body` and writes it back, all under the index lock.
    func updateIndex<T>(_ body: (inout LayoutIndex) throws -> T) throws -> T {
        let lock = try FileLock.exclusive(indexLockPath)
        defer { lock.unlock() }
        var index = try LayoutIndex.load(indexPath)
        let result = try body(&index)
        try index.save(indexPath)
        return result
    }

    func readIndex() throws -> LayoutIndex { try LayoutIndex.load(indexPath) }
}
