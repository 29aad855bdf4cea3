/// An OCI content descriptor: what a manifest or index says about a blob it points to.
public struct Descriptor: Codable, Hashable, Sendable {
    public var mediaType: String
    public var digest: Digest
    public var size: Int64
    public var urls: [String]?
    public var annotations: [String: String]?
    public var platform: Platform?

    public init(mediaType: String, digest: Digest, size: Int64, annotations: [String: String]? = nil, platform: Platform? = nil) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.annotations = annotations
        self.platform = platform
    }
}

/// The annotation keys Berth reads and writes on index entries.
public enum Annotation {
    /// OCI's name of an entry in an image layout's index.json.
    public static let refName = "org.opencontainers.image.ref.name"
    /// containerd's and podman's full image name on an index entry.
    public static let imageName = "io.containerd.image.name"
    public static let created = "org.opencontainers.image.created"
}
