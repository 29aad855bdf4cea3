import Diagnostics
import LiteJSON

/// A manifest document as a registry or a layout serves it: an image manifest or an index.
public enum ParsedManifest: Sendable {
    case manifest(ImageManifest, mediaType: String)
    case index(ImageIndex, mediaType: String)

    /// Manifests and configs larger than this are refused (containerd's and podman's limit is 4 MiB).
    public static let maxSize = 4 << 20

    public var mediaType: String {
        switch self {
        case .manifest(_, let type), .index(_, let type): type
        }
    }

    /// Parses `bytes`, deciding the kind from the document's own `mediaType` or, failing that, from
    /// the Content-Type the registry sent, or from its shape. Schema 1, unknown types, oversized or
    /// malformed documents are errors.
    public static func parse(_ bytes: [UInt8], contentType: String? = nil) throws -> ParsedManifest {
        guard bytes.count <= maxSize else {
            throw BerthError.invalid("manifest is \(bytes.count) bytes, more than the \(maxSize)-byte limit")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw BerthError.invalid("manifest is not valid json: \(error)")
        }
        guard value.objectValue != nil else { throw BerthError.invalid("manifest is not a json object") }
        let declared = value["mediaType"]?.stringValue
        let header = contentType.map { String($0.split(separator: ";")[0]).trimmingCharacters(in: " ") }
        var type = declared ?? header.flatMap { $0.isEmpty || $0 == "application/json" ? nil : $0 }
        if value["schemaVersion"]?.int64Value == 1 || type == MediaType.dockerSchema1 || type == MediaType.dockerSchema1Signed {
            throw BerthError.invalid("docker schema 1 manifests are not supported")
        }
        if type == nil {
            // OCI allows mediaType to be absent: tell an index from a manifest by its fields.
            type = value["manifests"] != nil ? MediaType.ociIndex : MediaType.ociManifest
        }
        let decoder = LiteJSONDecoder()
        do {
            if let type, MediaType.imageManifests.contains(type) {
                let manifest = try decoder.decode(ImageManifest.self, from: value)
                guard manifest.schemaVersion == 2 else { throw BerthError.invalid("unsupported schemaVersion \(manifest.schemaVersion)") }
                return .manifest(manifest, mediaType: type)
            }
            if let type, MediaType.indexes.contains(type) {
                let index = try decoder.decode(ImageIndex.self, from: value)
                guard index.schemaVersion == 2 else { throw BerthError.invalid("unsupported schemaVersion \(index.schemaVersion)") }
                return .index(index, mediaType: type)
            }
        } catch let error as BerthError {
            throw error.context("manifest of type \(type ?? "")")
        } catch {
            throw BerthError.invalid("manifest of type \(type ?? ""): \(error)")
        }
        throw BerthError.invalid("unsupported manifest media type \(type?.debugDescription ?? "(none)")")
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
