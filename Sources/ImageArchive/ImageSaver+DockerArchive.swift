import Diagnostics
import Hashing
import ImageSpec
import ImageStore
import LayerArchive
import LinuxSyscalls
import LiteJSON

extension ImageSaver {
    /// docker 25's docker-archive layout: `manifest.json`, `repositories`, each config at
    /// `blobs/sha256/<id>` and each layer as an uncompressed tar at `blobs/sha256/<diff id>`.
    func writeDockerArchive(_ images: [(image: StoredImage, references: [ImageReference])], to writer: ArchiveWriter) throws {
        var entries: [DockerArchiveEntry] = []
        var repositories: [String: [String: String]] = [:]
        for (image, references) in images {
            guard image.manifest.layers.count == image.diffIDs.count else {
                throw BerthError.invalid("image \(image.id.shortID): \(image.manifest.layers.count) layers but \(image.diffIDs.count) diff ids")
            }
            let tagged = references.compactMap { reference in reference.tag.map { (reference, $0) } }
            entries.append(DockerArchiveEntry(
                config: "blobs/sha256/\(image.id.hex)", repoTags: tagged.isEmpty ? nil : tagged.map(\.0.familiar),
                layers: image.diffIDs.map { "blobs/sha256/\($0.hex)" }))
            if let top = image.diffIDs.last {
                for (reference, tag) in tagged {
                    repositories[reference.familiarRepository, default: [:]][tag] = top.hex
                }
            }
        }
        try writer.addDirectory("blobs")
        try writer.addDirectory("blobs/sha256")
        var written = Set<Digest>()
        for (image, _) in images {
            if written.insert(image.id).inserted {
                try writer.addFile("blobs/sha256/\(image.id.hex)", bytes: image.configBytes)
            }
            for (layer, diffID) in zip(image.manifest.layers, image.diffIDs) where written.insert(diffID).inserted {
                try BerthError.wrap("layer \(layer.digest)") { try writeUncompressedLayer(layer, diffID: diffID, to: writer) }
            }
        }
        try writer.addFile("manifest.json", bytes: try LiteJSONEncoder().encode(entries))
        try writer.addFile("repositories", bytes: try LiteJSONEncoder().encode(repositories))
    }

    /// Writes a layer as the uncompressed tar whose sha256 is `diffID`. An uncompressed blob is
    /// copied as it is. A compressed one is decompressed into a nameless temporary file first,
    /// because a tar member's size comes before its data: staging decompresses once (decompressing
    /// twice, to count and then to copy, would double the CPU time, the dominant cost) and checks
    /// the diff id before a byte goes into the archive. containers/image stages the same way.
    private func writeUncompressedLayer(_ layer: Descriptor, diffID: Digest, to writer: ArchiveWriter) throws {
        guard let compression = LayerCompression(mediaType: layer.mediaType) else {
            throw BerthError.invalid("unsupported layer media type \(layer.mediaType.debugDescription)")
        }
        let name = "blobs/sha256/\(diffID.hex)"
        if compression == .none, layer.digest == diffID {
            try writer.addFile(name, size: layer.size, from: FileByteSource(fd: try store.openBlob(layer.digest)))
            return
        }
        let staged = try StreamCopy.anonymousFile(in: store.tmpPath)
        let hasher = SHA256Hasher()
        let source = Decompressor.decompressed(FileByteSource(fd: try store.openBlob(layer.digest)))
        let size = try StreamCopy.forEachChunk(of: source) { chunk in
            hasher.update(chunk)
            try StreamCopy.write(chunk, to: staged, path: store.tmpPath)
        }
        let digest = Digest(sha256Hex: SHA256Hasher.hex(hasher.finalize()))
        guard digest == diffID else {
            throw BerthError.invalid("diff id mismatch: the config says \(diffID), the layer decompresses to \(digest)")
        }
        try StreamCopy.rewind(staged, path: store.tmpPath)
        try writer.addFile(name, size: size, from: FileByteSource(fd: staged))
    }
}
