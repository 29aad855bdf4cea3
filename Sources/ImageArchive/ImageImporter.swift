import Diagnostics
import ImageSpec
import ImageStore
import LayerArchive
import LinuxSyscalls
import LiteJSON

/// `berth import`: a root filesystem tarball becomes a one-layer image.
public struct ImageImporter {
    public let store: ImageStore

    /// - Parameter store: the store the image goes into.
    public init(store: ImageStore) { self.store = store }

    /// Imports the tar stream `source` (plain, gzip or zstd) as a one-layer image.
    ///
    /// The layer is stored uncompressed, so its blob digest is its diff id; the config gets the
    /// host's platform, the current time and one history entry (`created_by` "import", `comment`
    /// the message), with `changes` applied.
    /// - Parameters:
    ///   - source: the tarball, from a file or standard input.
    ///   - reference: the name to give the image; nil for an untagged image.
    ///   - changes: docker's `--change` instructions (see ``ImageChange``).
    ///   - message: the history comment (`-m`).
    /// - Returns: the image as stored; docker prints its `id`.
    /// - Throws: `BerthError` "import: …" for a bad change, an empty or corrupt stream, or a tar
    ///   the unpacker rejects; then no image is recorded.
    public func importTarball(source: ByteSource, reference: ImageReference?, changes: [String] = [],
                              message: String? = nil) throws -> StoredImage {
        try BerthError.wrap("import") {
            if let reference, reference.digest != nil || reference.tag == nil {
                throw BerthError.invalid("reference \(reference.familiar): a tag is needed, not a digest")
            }
            var containerConfig = ContainerConfig()
            try ImageChange.apply(changes, to: &containerConfig)
            return try store.withPullLock {
                let (layer, size) = try storeUncompressed(source)
                if !store.hasLayer(diffID: layer) {
                    _ = try BerthError.wrap("unpack layer \(layer)") {
                        try store.unpackLayer(FileByteSource(fd: try store.openBlob(layer)), compression: LayerCompression.none, expectedDiffID: layer)
                    }
                }
                let now = Timestamp.now().rfc3339()
                let host = Platform.host
                let config = ImageConfiguration(
                    architecture: host.architecture, os: host.os, variant: host.variant, created: now,
                    config: containerConfig, rootfs: .init(diffIDs: [layer]),
                    history: [.init(created: now, createdBy: "import", comment: message)])
                let configBytes = try LiteJSONEncoder().encode(config)
                let configDigest = try store.putBlob(configBytes)
                let manifest = ImageManifest(
                    config: Descriptor(mediaType: MediaType.ociConfig, digest: configDigest, size: Int64(configBytes.count)),
                    layers: [Descriptor(mediaType: MediaType.ociLayer, digest: layer, size: size)])
                let manifestDigest = try store.putBlob(try LiteJSONEncoder().encode(manifest))
                return try store.addImage(manifestDigest: manifestDigest, reference: reference)
            }
        }
    }

    /// Decompresses `source` into a new blob. Returns its digest (the diff id) and size.
    private func storeUncompressed(_ source: ByteSource) throws -> (Digest, Int64) {
        let writer = try store.newBlobWriter()
        let counted = CountingSource(source)
        do {
            do {
                try StreamCopy.forEachChunk(of: Decompressor.decompressed(counted)) { try writer.write($0) }
            } catch where counted.count == 0 {
                throw BerthError.invalid("the tarball is empty")
            }
            guard writer.bytesWritten > 0 else { throw BerthError.invalid("the tarball is empty") }
            let size = writer.bytesWritten
            return (try writer.commit(), size)
        } catch {
            writer.abort()
            throw error
        }
    }
}

/// Passes a source through, counting its bytes.
final class CountingSource: ByteSource {
    private let upstream: ByteSource
    private(set) var count: Int64 = 0

    init(_ upstream: ByteSource) { self.upstream = upstream }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try upstream.read(into: buffer)
        count += Int64(n)
        return n
    }
}
