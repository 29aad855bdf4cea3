import Diagnostics
import ImageSpec
import LiteJSON
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

extension ImageLoader {
    /// Plans the load of a docker-archive: manifest.json lists each image's config and layer
    /// members. The layers are stored as they are in the archive (uncompressed tars, as podman
    /// does: no time spent compressing, and the blob digest is the diff id), under a generated
    /// OCI manifest.
    func planDockerArchive(_ contents: ArchiveContents) throws -> LoadPlan {
        let entries: [DockerArchiveEntry]
        do {
            entries = try LiteJSONDecoder().decode([DockerArchiveEntry].self, from: try contents.read("manifest.json"))
        } catch let error as BerthError {
            throw error
        } catch {
            throw BerthError.invalid("manifest.json: \(error)")
        }
        guard !entries.isEmpty else { throw BerthError.invalid("manifest.json lists no images") }
        var plan = LoadPlan()
        for (number, entry) in entries.enumerated() {
            try BerthError.wrap("manifest.json image \(number + 1)") {
                plan.images.append(try planDockerImage(entry, contents: contents, plan: &plan))
            }
        }
        return plan
    }

    private func planDockerImage(_ entry: DockerArchiveEntry, contents: ArchiveContents, plan: inout LoadPlan) throws -> LoadPlan.Image {
        let configName = try MemberName.normalize(entry.config)
        let configBytes = try contents.read(configName)
        let configDigest = Digest.sha256(of: configBytes)
        if let stated = MemberName.statedDigest(configName), stated != configDigest.hex {
            throw BerthError.invalid("config \(configName): digest mismatch (got \(configDigest))")
        }
        let config = try decodeConfig(configBytes, name: configName)
        guard config.rootfs.diffIDs.count == entry.layers.count else {
            throw BerthError.invalid("config \(configName) lists \(config.rootfs.diffIDs.count) diff ids for \(entry.layers.count) layers")
        }
        let references = try (entry.repoTags ?? []).map { tag in
            let reference = try ImageReference(parsing: tag)
            guard reference.digest == nil else { throw BerthError.invalid("repo tag \(tag.debugDescription) has a digest") }
            return reference
        }
        var descriptors: [Descriptor] = []
        var layers: [LoadPlan.Layer] = []
        for (rawName, diffID) in zip(entry.layers, config.rootfs.diffIDs) {
            let name = try MemberName.normalize(rawName)
            guard contents.contains(name) else { throw BerthError.invalid("\(contents.label): layer \(name) is missing") }
            let compression = try sniffCompression(name, contents: contents)
            let digest = try contents.digest(of: name)
            if compression == .none, digest != diffID {
                throw BerthError.invalid("layer \(name): digest mismatch: the config's diff id is \(diffID), the tar is \(digest)")
            }
            let size = try contents.size(of: name)
            plan.addBlob(digest, size: size, content: .member(name))
            descriptors.append(Descriptor(mediaType: compression.ociMediaType, digest: digest, size: size))
            layers.append(LoadPlan.Layer(blob: digest, member: name, compression: compression, diffID: diffID))
        }
        plan.addBlob(configDigest, size: Int64(configBytes.count), content: .bytes(configBytes))
        let manifest = ImageManifest(
            config: Descriptor(mediaType: MediaType.ociConfig, digest: configDigest, size: Int64(configBytes.count)),
            layers: descriptors)
        let manifestDigest = plan.addBlob(try LiteJSONEncoder().encode(manifest))
        return LoadPlan.Image(manifestDigest: manifestDigest, layers: layers, references: references)
    }

    /// The compression of a layer member, from its first bytes.
    func sniffCompression(_ name: String, contents: ArchiveContents) throws -> LayerCompression {
        var head = [UInt8](repeating: 0, count: 4)
        let fd = try contents.open(name)
        let count = try head.withUnsafeMutableBytes { buffer in
            try syscall("read", path: name) { read(fd.rawValue, buffer.baseAddress, buffer.count) }
        }
        return LayerCompression.sniff(head.prefix(count))
    }

    /// An image config, as JSON, with its rootfs.
    func decodeConfig(_ bytes: [UInt8], name: String) throws -> ImageConfiguration {
        do {
            return try LiteJSONDecoder().decode(ImageConfiguration.self, from: bytes)
        } catch {
            throw BerthError.invalid("config \(name) is not a valid image config: \(error)")
        }
    }
}
