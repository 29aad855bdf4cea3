import Diagnostics
import ImageSpec
import LiteJSON

extension ImageLoader {
    /// Plans the load of an OCI image layout (an archive or a directory): each index.json entry
    /// is an image manifest, or an index from which the host platform's manifest is taken. Blobs
    /// are stored as they are.
    func planOCILayout(_ contents: ArchiveContents) throws -> LoadPlan {
        let marker: OCILayoutMarker
        do {
            marker = try LiteJSONDecoder().decode(OCILayoutMarker.self, from: try contents.read("oci-layout"))
        } catch let error as BerthError {
            throw error
        } catch {
            throw BerthError.invalid("oci-layout: \(error)")
        }
        guard marker.imageLayoutVersion.hasPrefix("1.") else {
            throw BerthError.invalid("oci-layout: unsupported imageLayoutVersion \(marker.imageLayoutVersion.debugDescription)")
        }
        let index: ImageIndex
        do {
            guard case .index(let parsed, _) = try ParsedManifest.parse(try contents.read("index.json"), contentType: MediaType.ociIndex) else {
                throw BerthError.invalid("not an image index")
            }
            index = parsed
        } catch let error as BerthError {
            throw error.context("index.json")
        }
        guard !index.manifests.isEmpty else { throw BerthError.invalid("index.json lists no images") }
        var plan = LoadPlan()
        for entry in index.manifests {
            try BerthError.wrap("index.json entry \(entry.digest)") {
                plan.images.append(try planOCIImage(entry, contents: contents, plan: &plan))
            }
        }
        return plan
    }

    private func planOCIImage(_ entry: Descriptor, contents: ArchiveContents, plan: inout LoadPlan) throws -> LoadPlan.Image {
        var descriptor = entry
        if MediaType.indexes.contains(entry.mediaType) {
            let bytes = try contents.read(try contents.blobMember(entry))
            guard case .index(let child, _) = try ParsedManifest.parse(bytes, contentType: entry.mediaType) else {
                throw BerthError.invalid("blob \(entry.digest) is not an image index")
            }
            guard let chosen = child.manifest(for: .host) else {
                throw BerthError.invalid("index \(entry.digest) has no image for \(Platform.host)")
            }
            descriptor = chosen
        } else if !MediaType.imageManifests.contains(entry.mediaType) {
            throw BerthError.invalid("unsupported media type \(entry.mediaType.debugDescription)")
        }
        let manifestBytes = try contents.read(try contents.blobMember(descriptor))
        guard case .manifest(let manifest, _) = try ParsedManifest.parse(manifestBytes, contentType: descriptor.mediaType) else {
            throw BerthError.invalid("blob \(descriptor.digest) is not an image manifest")
        }
        guard MediaType.configs.contains(manifest.config.mediaType) else {
            throw BerthError.invalid("manifest \(descriptor.digest): unsupported config media type \(manifest.config.mediaType.debugDescription)")
        }
        let configBytes = try contents.read(try contents.blobMember(manifest.config))
        let config = try decodeConfig(configBytes, name: manifest.config.digest.string)
        guard config.rootfs.diffIDs.count == manifest.layers.count else {
            throw BerthError.invalid("config \(manifest.config.digest) lists \(config.rootfs.diffIDs.count) diff ids for \(manifest.layers.count) layers")
        }
        var layers: [LoadPlan.Layer] = []
        for (layer, diffID) in zip(manifest.layers, config.rootfs.diffIDs) {
            guard let compression = LayerCompression(mediaType: layer.mediaType) else {
                throw BerthError.invalid("layer \(layer.digest): unsupported media type \(layer.mediaType.debugDescription)")
            }
            if compression == .none, layer.digest != diffID {
                throw BerthError.invalid("layer \(layer.digest): digest mismatch: the config's diff id is \(diffID)")
            }
            let member = try contents.blobMember(layer)
            plan.addBlob(layer.digest, size: layer.size, content: .member(member))
            layers.append(LoadPlan.Layer(blob: layer.digest, member: member, compression: compression, diffID: diffID))
        }
        plan.addBlob(manifest.config.digest, size: manifest.config.size, content: .bytes(configBytes))
        plan.addBlob(descriptor.digest, size: descriptor.size, content: .bytes(manifestBytes))
        return LoadPlan.Image(manifestDigest: descriptor.digest, layers: layers, references: try Self.references(of: entry))
    }

    /// The name an index entry gives its image: containerd's full `io.containerd.image.name`, or
    /// an OCI `ref.name` that is a whole reference (`busybox:latest`, `localhost/x`). A bare tag
    /// (`latest`) names no repository, so that image loads untagged, by id.
    static func references(of entry: Descriptor) throws -> [ImageReference] {
        let annotations = entry.annotations ?? [:]
        if let name = annotations[Annotation.imageName] {
            let reference = try ImageReference(parsing: name)
            guard reference.digest == nil else { throw BerthError.invalid("image name \(name.debugDescription) has a digest") }
            return [reference]
        }
        if let name = annotations[Annotation.refName], name.contains(":") || name.contains("/"),
           let reference = try? ImageReference(parsing: name), reference.digest == nil {
            return [reference]
        }
        return []
    }
}
