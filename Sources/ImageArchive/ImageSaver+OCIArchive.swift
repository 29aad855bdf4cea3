import Diagnostics
import ImageSpec
import ImageStore
import LayerArchive
import LiteJSON

extension ImageSaver {
    /// A tar of an OCI image layout: `oci-layout`, `index.json` with one entry per name (OCI's
    /// `ref.name` is the tag, as `skopeo … oci-archive:FILE:TAG` looks it up; containerd's
    /// `io.containerd.image.name` the full name), and the blobs exactly as stored.
    func writeOCIArchive(_ images: [(image: StoredImage, references: [ImageReference])], to writer: ArchiveWriter) throws {
        var entries: [Descriptor] = []
        for (image, references) in images {
            let platform = Platform(os: image.config.os, architecture: image.config.architecture, variant: image.config.variant)
            let base = Descriptor(mediaType: image.manifestMediaType, digest: image.manifestDigest, size: image.manifestSize, platform: platform)
            if references.isEmpty { entries.append(base) }
            for reference in references {
                var entry = base
                entry.annotations = [Annotation.imageName: reference.string, Annotation.refName: reference.tag ?? reference.string]
                entries.append(entry)
            }
        }
        try writer.addFile("oci-layout", bytes: try LiteJSONEncoder().encode(OCILayoutMarker.current))
        try writer.addFile("index.json", bytes: try LiteJSONEncoder().encode(ImageIndex(manifests: entries)))
        try writer.addDirectory("blobs")
        try writer.addDirectory("blobs/sha256")
        var written = Set<Digest>()
        for (image, _) in images {
            if written.insert(image.manifestDigest).inserted {
                let bytes = try store.readBlob(image.manifestDigest)
                guard Digest.sha256(of: bytes) == image.manifestDigest else {
                    throw BerthError.invalid("manifest \(image.manifestDigest): stored blob does not match its digest")
                }
                try writer.addFile("blobs/sha256/\(image.manifestDigest.hex)", bytes: bytes)
            }
            if written.insert(image.id).inserted {
                try writer.addFile("blobs/sha256/\(image.id.hex)", bytes: image.configBytes)
            }
            for layer in image.manifest.layers where written.insert(layer.digest).inserted {
                try writer.addFile("blobs/sha256/\(layer.digest.hex)", size: layer.size,
                                   from: FileByteSource(fd: try store.openBlob(layer.digest)))
            }
        }
    }
}
