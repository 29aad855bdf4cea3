/// The media types of OCI and Docker images that Berth reads and writes.
public enum MediaType {
    public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let ociIndex = "application/vnd.oci.image.index.v1+json"
    public static let ociConfig = "application/vnd.oci.image.config.v1+json"
    public static let ociLayer = "application/vnd.oci.image.layer.v1.tar"
    public static let ociLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip"
    public static let ociLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd"
    public static let ociLayerNondistributable = "application/vnd.oci.image.layer.nondistributable.v1.tar"
    public static let ociLayerNondistributableGzip = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
    public static let ociLayerNondistributableZstd = "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd"
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let dockerConfig = "application/vnd.docker.container.image.v1+json"
    public static let dockerLayer = "application/vnd.docker.image.rootfs.diff.tar.gzip"
    public static let dockerLayerTar = "application/vnd.docker.image.rootfs.diff.tar"
    public static let dockerForeignLayer = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
    public static let dockerSchema1 = "application/vnd.docker.distribution.manifest.v1+json"
    public static let dockerSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws"

    /// The Accept header of a manifest request: every manifest type Berth understands.
    public static let manifestAccept = [ociIndex, dockerManifestList, ociManifest, dockerManifest].joined(separator: ", ")

    public static let imageManifests: Set<String> = [ociManifest, dockerManifest]
    public static let indexes: Set<String> = [ociIndex, dockerManifestList]
    public static let configs: Set<String> = [ociConfig, dockerConfig]
    public static let layers: Set<String> = [
        ociLayer, ociLayerGzip, ociLayerZstd, ociLayerNondistributable, ociLayerNondistributableGzip,
        ociLayerNondistributableZstd, dockerLayer, dockerLayerTar, dockerForeignLayer,
    ]
}

/// How a layer blob is compressed.
public enum LayerCompression: String, Sendable {
    case none, gzip, zstd

    /// The compression a layer media type names; nil for a type that is not a layer.
    public init?(mediaType: String) {
        switch mediaType {
        case MediaType.ociLayer, MediaType.ociLayerNondistributable, MediaType.dockerLayerTar: self = .none
        case MediaType.ociLayerGzip, MediaType.ociLayerNondistributableGzip, MediaType.dockerLayer,
             MediaType.dockerForeignLayer: self = .gzip
        case MediaType.ociLayerZstd, MediaType.ociLayerNondistributableZstd: self = .zstd
        default: return nil
        }
    }

    /// Recognises gzip and zstd by their magic numbers; anything else is taken as plain tar.
    public static func sniff(_ head: some Collection<UInt8>) -> LayerCompression {
        let bytes = Array(head.prefix(4))
        if bytes.count >= 2, bytes[0] == 0x1f, bytes[1] == 0x8b { return .gzip }
        if bytes.count >= 4, bytes == [0x28, 0xb5, 0x2f, 0xfd] { return .zstd }
        return .none
    }

    /// The OCI layer media type of this compression.
    public var ociMediaType: String {
        switch self {
        case .none: MediaType.ociLayer
        case .gzip: MediaType.ociLayerGzip
        case .zstd: MediaType.ociLayerZstd
        }
    }
}
