import ImageSpec

/// One entry of a docker-archive's manifest.json (`docker save`, skopeo `docker-archive:`).
struct DockerArchiveEntry: Codable, Sendable {
    /// The member holding the image config: `blobs/sha256/<hex>` (docker 25+) or `<hex>.json`.
    var config: String
    /// Familiar names (`busybox:latest`); absent or empty for an image saved by id.
    var repoTags: [String]?
    /// The members holding the layers, uncompressed tars, bottom first.
    var layers: [String]
    /// Descriptors of foreign layers, keyed by diff id (docker writes these for Windows images).
    var layerSources: [String: Descriptor]?

    enum CodingKeys: String, CodingKey {
        case config = "Config"
        case repoTags = "RepoTags"
        case layers = "Layers"
        case layerSources = "LayerSources"
    }

    init(config: String, repoTags: [String]?, layers: [String]) {
        self.config = config
        self.repoTags = repoTags
        self.layers = layers
    }
}

/// The `oci-layout` marker file of an OCI image layout.
struct OCILayoutMarker: Codable, Sendable {
    var imageLayoutVersion: String

    static let current = OCILayoutMarker(imageLayoutVersion: "1.0.0")
}
