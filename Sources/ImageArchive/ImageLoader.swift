import Diagnostics
import ImageSpec
import ImageStore
import LayerArchive
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// `berth load`: adds the images of a docker-archive, an OCI archive or an OCI layout directory
/// to the store.
///
/// A tar is read once, front to back; each member is copied into a temporary file in the store's
/// tmp/ (keyed by its checked name, never extracted as a path) and links become aliases. The
/// whole archive is then verified — every digest and size, and every diff id that can be known
/// without decompressing — before anything is stored; layers are unpacked (and their diff ids
/// checked) before a blob is stored, blobs before an image is recorded, and the temporary files
/// are removed whatever happens.
public struct ImageLoader {
    public let store: ImageStore

    /// - Parameter store: the store the images go into.
    public init(store: ImageStore) { self.store = store }

    /// Loads every image in the archive or layout at `path`.
    ///
    /// docker-archives are recognised by `manifest.json` (preferred when an archive, like those of
    /// docker 25+, also holds an OCI layout), OCI archives by `oci-layout` and `index.json`; a
    /// directory is read as an OCI layout. The archive may be gzip- or zstd-compressed.
    /// - Parameter path: a tar file or an OCI layout directory.
    /// - Returns: one entry per name recorded (or per image, for untagged ones), in archive order.
    /// - Throws: `BerthError` "load PATH: …" when the archive is malformed or does not match its
    ///   digests; then no image is recorded.
    public func load(from path: String) throws -> [LoadedImage] {
        try BerthError.wrap("load \(path)") {
            try store.withPullLock {
                if Files.isDirectory(path) {
                    let layout = LayoutDirectory(path: path)
                    return try ingest(try planOCILayout(layout), from: layout)
                }
                let staged = try StagedArchive(path: path, stagingDirectory: try newStagingDirectory())
                defer { staged.remove() }
                let plan: LoadPlan
                if staged.contains("manifest.json") {
                    plan = try planDockerArchive(staged)
                } else if staged.contains("oci-layout") || staged.contains("index.json") {
                    plan = try planOCILayout(staged)
                } else {
                    throw BerthError.invalid("neither manifest.json nor oci-layout found: not a docker or oci archive")
                }
                return try ingest(plan, from: staged)
            }
        }
    }

    private func newStagingDirectory() throws -> String {
        let path = "\(store.tmpPath)/load-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        try Files.makeDirectory(path, mode: 0o700, exclusive: true)
        return path
    }

    // MARK: - Ingest

    /// Unpacks the plan's layers straight from the archive (checking each diff id, which for a
    /// compressed layer is only known once it is decompressed), then stores its blobs, then
    /// records the images. A layer that fails its diff id therefore fails the load before any
    /// blob is stored; layers unpacked before it stay, verified, for prune or the next load.
    func ingest(_ plan: LoadPlan, from contents: ArchiveContents) throws -> [LoadedImage] {
        for image in plan.images {
            for layer in image.layers where !store.hasLayer(diffID: layer.diffID) {
                _ = try BerthError.wrap("unpack layer \(layer.blob)") {
                    let source = FileByteSource(fd: try contents.open(layer.member))
                    try store.unpackLayer(source, compression: layer.compression, expectedDiffID: layer.diffID)
                }
            }
        }
        for blob in plan.blobs where !store.hasBlob(blob.digest) {
            try BerthError.wrap("store blob \(blob.digest)") {
                switch blob.content {
                case .bytes(let bytes):
                    try store.putBlob(bytes, expected: blob.digest)
                case .member(let name):
                    let writer = try store.newBlobWriter()
                    do {
                        try StreamCopy.forEachChunk(of: FileByteSource(fd: try contents.open(name))) { try writer.write($0) }
                        try writer.commit(expected: blob.digest, expectedSize: blob.size)
                    } catch {
                        writer.abort()
                        throw error
                    }
                }
            }
        }
        var loaded: [LoadedImage] = []
        for image in plan.images {
            let names: [ImageReference?] = image.references.isEmpty ? [nil] : image.references
            for name in names {
                let stored = try store.addImage(manifestDigest: image.manifestDigest, reference: name)
                if !loaded.contains(where: { $0.reference == name && $0.image.manifestDigest == stored.manifestDigest }) {
                    loaded.append(LoadedImage(reference: name, image: stored))
                }
            }
        }
        return loaded
    }
}
