import Diagnostics
import ImageSpec
import ImageStore
import LayerArchive
import LinuxSyscalls
import LiteJSON

#if canImport(Glibc)
import Glibc
#endif

/// `berth commit`: a container's upper directory becomes one new layer on top of its image.
///
/// The layer is stored uncompressed (`application/vnd.oci.image.layer.v1.tar`, or docker's
/// `…rootfs.diff.tar` under a docker manifest), as `import` does: it never leaves the host
/// unless pushed, its blob digest is its diff id, and committing costs no compression time. The
/// layer is unpacked into the store too, so the new image starts without unpacking anything.
public struct ContainerCommitter {
    public let store: ImageStore

    /// - Parameter store: the store holding the base image, and the new image.
    public init(store: ImageStore) { self.store = store }

    /// Makes an image from `base` plus the changes in `upperDirectory`.
    ///
    /// overlayfs whiteouts (0/0 character devices) become `.wh.NAME` entries and opaque
    /// directories (`trusted.overlay.opaque=y`) get `.wh..wh..opq`; an empty upper directory
    /// still gives a (1024-byte, empty) layer, as docker does.
    /// - Parameters:
    ///   - upperDirectory: the container's overlayfs upper directory (best read while the
    ///     container is paused or stopped).
    ///   - base: the container's image.
    ///   - containerConfig: the container's config (cmd, env, ...), which replaces the base's `config`.
    ///   - reference: the new image's name; nil for a dangling image.
    ///   - changes: docker's `--change` instructions (see ``ImageChange``), applied after `containerConfig`.
    ///   - message: the history entry's comment (`-m`).
    ///   - author: the image's and the history entry's author (`-a`).
    ///   - createdBy: the history entry's `created_by` (docker puts the container's command there).
    /// - Returns: the image as stored.
    /// - Throws: `BerthError` "commit: ..." for a bad change or reference, an unreadable upper
    ///   directory or a store failure; then no image is recorded.
    public func commit(upperDirectory: String, base: StoredImage, containerConfig: ContainerConfig,
                       reference: ImageReference?, changes: [String], message: String?, author: String?,
                       createdBy: String) throws -> StoredImage {
        try BerthError.wrap("commit") {
            if let reference, reference.digest != nil || reference.tag == nil {
                throw BerthError.invalid("reference \(reference.familiar): a tag is needed, not a digest")
            }
            var config = base.config
            var runConfig = containerConfig
            try ImageChange.apply(changes, to: &runConfig)
            return try store.withPullLock {
                let layer = try storeLayer(of: upperDirectory)
                if !store.hasLayer(diffID: layer.diffID) {
                    _ = try BerthError.wrap("unpack layer \(layer.diffID)") {
                        try store.unpackLayer(FileByteSource(fd: try store.openBlob(layer.diffID)),
                                              compression: LayerCompression.none, expectedDiffID: layer.diffID)
                    }
                }
                let now = Timestamp.now().rfc3339()
                config.config = runConfig
                config.created = now
                config.author = author
                config.rootfs.diffIDs.append(layer.diffID)
                var entry = ImageConfiguration.History(created: now, createdBy: createdBy, comment: message)
                entry.author = author
                config.history = (config.history ?? []) + [entry]
                return try addImage(config: config, base: base, layer: layer, reference: reference)
            }
        }
    }

    /// The upper directory as an uncompressed layer blob, written to a temporary file in the
    /// store and renamed into place under its digest (TarWriter hashes what it writes).
    private func storeLayer(of upperDirectory: String) throws -> (diffID: Digest, size: Int64) {
        let temporary = "\(store.tmpPath)/commit-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        let fd = try FileDescriptor.open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
        do {
            let writer = try TarWriter(fd: fd, options: .init(compression: .none, computeDigests: true, overlayWhiteouts: true))
            try writer.addTree(upperDirectory)
            let summary = try writer.finish()
            fd.close()
            guard let diffID = summary.diffID else { throw BerthError(.internalError, "write layer: no digest") }
            try syscall("rename", path: temporary) { rename(temporary, store.blobPath(diffID)) }
            return (diffID, summary.size)
        } catch {
            fd.close()
            unlink(temporary)
            throw error
        }
    }

    /// Writes the config and the manifest (the base's manifest type, one more layer) and records the image.
    private func addImage(config: ImageConfiguration, base: StoredImage, layer: (diffID: Digest, size: Int64),
                          reference: ImageReference?) throws -> StoredImage {
        let docker = base.manifestMediaType == MediaType.dockerManifest
        let configBytes = try LiteJSONEncoder().encode(config)
        let configDigest = try store.putBlob(configBytes)
        let manifest = ImageManifest(
            mediaType: docker ? MediaType.dockerManifest : MediaType.ociManifest,
            config: Descriptor(mediaType: docker ? MediaType.dockerConfig : MediaType.ociConfig, digest: configDigest,
                               size: Int64(configBytes.count)),
            layers: base.manifest.layers
                + [Descriptor(mediaType: docker ? MediaType.dockerLayerTar : MediaType.ociLayer, digest: layer.diffID,
                              size: layer.size)])
        let manifestDigest = try store.putBlob(try LiteJSONEncoder().encode(manifest))
        return try store.addImage(manifestDigest: manifestDigest, reference: reference)
    }
}
