import Diagnostics
import ImageSpec
import LayerArchive
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

extension ImageStore {
    /// The unpacked layer's directory: an overlayfs lower dir.
    public func layerDiffPath(diffID: Digest) -> String { "\(layersPath)/\(diffID.hex)/diff" }

    public func hasLayer(diffID: Digest) -> Bool { Files.isDirectory(layerDiffPath(diffID: diffID)) }

    /// The unpacked size of a layer as recorded when it was unpacked; nil when it is not unpacked.
    public func layerSize(diffID: Digest) -> Int64? {
        guard let text = try? Files.readString("\(layersPath)/\(diffID.hex)/size") else { return nil }
        return Int64(text.trimmingCharacters(in: "\n"))
    }

    /// Unpacks a layer tar stream into the store, atomically: into tmp/ first, then renamed into
    /// layers/<diff id>. When `expectedDiffID` is given the stream must hash to it. A layer another
    /// command unpacked meanwhile wins; this copy is thrown away.
    @discardableResult
    public func unpackLayer(_ source: ByteSource, compression: LayerCompression?, expectedDiffID: Digest?) throws -> UnpackResult {
        let staging = temporaryPath("layer")
        try Files.makeDirectory(staging, mode: 0o700)
        do {
            try Files.makeDirectory("\(staging)/diff", mode: 0o755)
            let result = try LayerUnpacker().unpack(source, compression: compression, into: "\(staging)/diff")
            if let expectedDiffID, expectedDiffID != result.diffID {
                throw BerthError.invalid("layer \(expectedDiffID): diff id mismatch (got \(result.diffID))")
            }
            try Files.writeAtomically("\(staging)/size", Array("\(result.size)\n".utf8), mode: 0o644)
            let final = "\(layersPath)/\(result.diffID.hex)"
            if rename(staging, final) != 0 {
                guard errno == EEXIST || errno == ENOTEMPTY else { throw BerthError.system("rename", path: final) }
                try? Files.removeTree(staging)
            }
            return result
        } catch {
            try? Files.removeTree(staging)
            throw error
        }
    }

    /// Unpacks, from the stored blobs, every layer of `image` that is not unpacked yet.
    public func ensureLayers(of image: StoredImage) throws {
        for (index, layer) in image.manifest.layers.enumerated() {
            let diffID = image.config.rootfs.diffIDs[index]
            if hasLayer(diffID: diffID) { continue }
            try BerthError.wrap("unpack layer \(layer.digest)") {
                let source = FileByteSource(fd: try openBlob(layer.digest))
                try unpackLayer(source, compression: LayerCompression(mediaType: layer.mediaType), expectedDiffID: diffID)
            }
        }
    }

    /// Removes an unpacked layer: renamed into tmp/ first, so it disappears at once.
    func removeLayer(diffID: Digest) throws {
        let path = "\(layersPath)/\(diffID.hex)"
        guard Files.exists(path) else { return }
        let doomed = temporaryPath("rm-layer")
        try syscall("rename", path: path) { rename(path, doomed) }
        try Files.removeTree(doomed)
    }
}

extension String {
    func trimmingCharacters(in character: Character) -> String {
        String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
    }
}
