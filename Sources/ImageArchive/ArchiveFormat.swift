import Diagnostics

/// The archive formats `save` writes.
public enum ArchiveFormat: String, Sendable, CaseIterable {
    /// `docker save`'s format: manifest.json, the configs and uncompressed layer tars.
    case dockerArchive = "docker-archive"
    /// A tar of an OCI image layout: oci-layout, index.json and blobs/sha256/*.
    case ociArchive = "oci-archive"

    /// Parses a `--format` value: `docker-archive` (also `docker`) or `oci-archive` (also `oci`).
    /// - Throws: `invalidArgument` for any other name.
    public init(parsing name: String) throws {
        switch name {
        case "docker-archive", "docker": self = .dockerArchive
        case "oci-archive", "oci": self = .ociArchive
        default:
            throw BerthError.invalid("unsupported archive format \(name.debugDescription): want docker-archive or oci-archive")
        }
    }
}
