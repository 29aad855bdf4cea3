import Diagnostics
import ImageSpec
import LinuxSyscalls

/// What a garbage collection removed.
public struct PruneReport: Sendable {
    public var blobs = 0
    public var layers: [Digest] = []
    public var bytes: Int64 = 0
}

extension ImageStore {
    /// Removes blobs and unpacked layers that no image in index.json references, except the
    /// layers in `keepingLayers` (those containers use). Waits for running pulls, loads and
    /// imports (it takes the pull lock exclusively) unless `wait` is false, in which case it
    /// returns nil when one is running.
    @discardableResult
    public func collectGarbage(keepingLayers: Set<Digest> = [], wait: Bool = true) throws -> PruneReport? {
        guard let lock = wait ? try FileLock.exclusive(pullLockPath) : try FileLock.tryExclusive(pullLockPath) else {
            return nil
        }
        defer { lock.unlock() }
        return try BerthError.wrap("collect unused blobs and layers in \(root)") {
            var blobs = Set<String>()
            var layers = Set(keepingLayers.map(\.hex))
            for image in try images() {
                blobs.insert(image.manifestDigest.hex)
                blobs.insert(image.id.hex)
                blobs.formUnion(image.manifest.layers.map(\.digest.hex))
                layers.formUnion(image.diffIDs.map(\.hex))
            }
            var report = PruneReport()
            for name in try Files.list(blobsPath) where !blobs.contains(name) {
                report.bytes += blobSize(Digest(sha256Hex: name)) ?? 0
                try Files.removeFile("\(blobsPath)/\(name)")
                report.blobs += 1
            }
            for name in try Files.list(layersPath) where !layers.contains(name) {
                let diffID = Digest(sha256Hex: name)
                report.bytes += layerSize(diffID: diffID) ?? 0
                try removeLayer(diffID: diffID)
                report.layers.append(diffID)
            }
            return report
        }
    }
}
