import ImageSpec

/// An image in the store: a manifest, its config, and the names that point at it.
public struct StoredImage: Sendable {
    /// Docker's image id: the digest of the config.
    public var id: Digest
    public var manifestDigest: Digest
    public var manifestMediaType: String
    public var manifestSize: Int64
    public var manifest: ImageManifest
    public var config: ImageConfiguration
    /// The config exactly as stored (its digest is `id`).
    public var configBytes: [UInt8]
    /// Tagged names, oldest first: `docker.io/library/busybox:latest`.
    public var references: [ImageReference]
    /// `docker.io/library/busybox@sha256:…`: the digests it was pulled or pushed by.
    public var repoDigests: [String]
    /// Unpacked size in bytes (the sum of the layers' sizes, as docker reports it).
    public var size: Int64
    /// When the image entered this store (RFC 3339), if recorded.
    public var added: String?

    /// The diff ids of the layers, bottom first.
    public var diffIDs: [Digest] { config.rootfs.diffIDs }
}
