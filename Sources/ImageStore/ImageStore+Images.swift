import Diagnostics
import ImageSpec
import LiteJSON
import LinuxSyscalls

extension ImageStore {
    /// Every image in the store, in the order they were first added.
    public func images() throws -> [StoredImage] {
        let index = try readIndex()
        var order: [Digest] = []
        var entries: [Digest: [Descriptor]] = [:]
        for entry in index.manifests {
            if entries[entry.digest] == nil { order.append(entry.digest) }
            entries[entry.digest, default: []].append(entry)
        }
        return try order.map { try loadImage(entries: entries[$0]!) }
    }

    private func loadImage(entries: [Descriptor]) throws -> StoredImage {
        let first = entries[0]
        return try BerthError.wrap("image \(first.digest)") {
            let bytes = try readBlob(first.digest)
            guard case .manifest(let manifest, let type) = try ParsedManifest.parse(bytes, contentType: first.mediaType) else {
                throw BerthError(.internalError, "stored manifest is not an image manifest")
            }
            let configBytes = try readBlob(manifest.config.digest)
            let config: ImageConfiguration
            do {
                config = try LiteJSONDecoder().decode(ImageConfiguration.self, from: configBytes)
            } catch {
                throw BerthError.invalid("config \(manifest.config.digest): \(error)")
            }
            var repoDigests: [String] = []
            for digest in entries.compactMap(\.repoDigest) where !repoDigests.contains(digest) {
                repoDigests.append(digest)
            }
            let size = zip(manifest.layers, config.rootfs.diffIDs).reduce(Int64(0)) { total, pair in
                total + (layerSize(diffID: pair.1) ?? pair.0.size)
            }
            return StoredImage(
                id: manifest.config.digest, manifestDigest: first.digest, manifestMediaType: type,
                manifestSize: Int64(bytes.count), manifest: manifest, config: config, configBytes: configBytes,
                references: entries.compactMap(\.imageName).filter { $0.tag != nil }, repoDigests: repoDigests,
                size: size, added: entries.compactMap { $0.annotations?[LayoutIndex.addedKey] }.min())
        }
    }

    /// Finds an image by name (`busybox`, `busybox:1`, `name@sha256:…`), full id, or id prefix,
    /// as docker resolves them. Errors with code notFound: "no such image: X".
    public func image(_ name: String) throws -> StoredImage {
        let all = try images()
        if let digest = try? Digest(parsing: name) {
            if let found = all.first(where: { $0.id == digest || $0.manifestDigest == digest }) { return found }
            throw BerthError(.notFound, "no such image: \(name)")
        }
        if let reference = try? ImageReference(parsing: name) {
            if let digest = reference.digest {
                let repoDigest = reference.withDigest(digest).string
                if let found = all.first(where: { $0.repoDigests.contains(repoDigest)
                    || ($0.manifestDigest == digest && $0.references.contains { $0.repository == reference.repository }) }) {
                    return found
                }
            } else if let found = all.first(where: { $0.references.contains(reference) }) {
                return found
            }
        }
        let prefix = name.hasPrefix("sha256:") ? String(name.dropFirst(7)) : name
        if !prefix.isEmpty, prefix.count <= 64, prefix.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) {
            let matches = all.filter { $0.id.hex.hasPrefix(prefix) }
            if matches.count == 1 { return matches[0] }
            if matches.count > 1 { throw BerthError.invalid("image id prefix \(name) is ambiguous: \(matches.count) images match") }
        }
        throw BerthError(.notFound, "no such image: \(name)")
    }

    /// Records the image whose manifest (and config and layers) is stored under `manifestDigest`,
    /// named `reference` (its tag moves here from any other image, which stays as an untagged image
    /// if nothing else names it) and pulled by `repoDigest`.
    @discardableResult
    public func addImage(manifestDigest: Digest, reference: ImageReference?, repoDigest: String? = nil) throws -> StoredImage {
        let bytes = try readBlob(manifestDigest)
        guard case .manifest(let manifest, let type) = try ParsedManifest.parse(bytes) else {
            throw BerthError.invalid("\(manifestDigest) is an index, not an image manifest")
        }
        guard hasBlob(manifest.config.digest) else { throw BerthError(.notFound, "config \(manifest.config.digest) is not in the store") }
        let name = reference?.tag == nil ? nil : reference?.withTag(reference?.tag)
        try updateIndex { index in
            if let name {
                let others = index.manifests.filter { $0.imageName == name && $0.digest != manifestDigest }
                index.manifests.removeAll { $0.imageName == name && $0.digest != manifestDigest }
                for orphan in others where !index.manifests.contains(where: { $0.digest == orphan.digest }) {
                    var dangling = orphan
                    dangling.annotations?.removeValue(forKey: Annotation.imageName)
                    dangling.annotations?.removeValue(forKey: Annotation.refName)
                    index.manifests.append(dangling)
                }
            }
            let existing = index.manifests.indices.filter { index.manifests[$0].digest == manifestDigest }
            if let name {
                if let at = existing.first(where: { index.manifests[$0].imageName == name }) {
                    if let repoDigest { index.manifests[at].annotations?[LayoutIndex.repoDigestKey] = repoDigest }
                    return
                }
                index.manifests.removeAll { $0.digest == manifestDigest && $0.imageName == nil && $0.repoDigest == nil }
            } else if let repoDigest {
                if existing.contains(where: { index.manifests[$0].repoDigest == repoDigest }) { return }
            } else if !existing.isEmpty {
                return
            }
            var annotations = [LayoutIndex.addedKey: Timestamp.now().rfc3339()]
            if let name {
                annotations[Annotation.imageName] = name.string
                annotations[Annotation.refName] = name.tag
            }
            if let repoDigest { annotations[LayoutIndex.repoDigestKey] = repoDigest }
            index.manifests.append(Descriptor(mediaType: type, digest: manifestDigest, size: Int64(bytes.count), annotations: annotations))
        }
        return try image(manifestDigest.string)
    }

    /// Gives `image` the name `reference` too.
    public func tag(_ image: StoredImage, as reference: ImageReference) throws {
        guard reference.tag != nil, reference.digest == nil else {
            throw BerthError.invalid("tag \(reference.familiar): a tag is needed, not a digest")
        }
        try addImage(manifestDigest: image.manifestDigest, reference: reference)
    }

    /// Removes the name `reference`. Returns the image it named and whether that image is now
    /// unnamed (docker then deletes it).
    @discardableResult
    public func untag(_ reference: ImageReference) throws -> (image: Digest, orphaned: Bool) {
        try updateIndex { index in
            guard let entry = index.manifests.first(where: { $0.imageName == reference }) else {
                throw BerthError(.notFound, "no such image: \(reference.familiar)")
            }
            index.manifests.removeAll { $0.imageName == reference }
            let remaining = index.manifests.filter { $0.digest == entry.digest }
            if remaining.isEmpty, entry.repoDigest != nil {
                // Keep the repo digest entry until the image itself is removed.
                var dangling = entry
                dangling.annotations?.removeValue(forKey: Annotation.imageName)
                dangling.annotations?.removeValue(forKey: Annotation.refName)
                index.manifests.append(dangling)
            }
            return (entry.digest, remaining.allSatisfy { $0.imageName == nil })
        }
    }

    /// Removes every entry of `image` from the index. Its blobs and layers stay until they are
    /// collected (``collectGarbage(keepingLayers:)``).
    public func removeImage(_ image: StoredImage) throws {
        try updateIndex { index in index.manifests.removeAll { $0.digest == image.manifestDigest } }
    }
}
