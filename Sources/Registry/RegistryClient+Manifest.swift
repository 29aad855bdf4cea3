import Diagnostics
import Foundation
import ImageSpec

/// A manifest as the registry served it: its exact bytes, their digest and what they hold.
public struct FetchedManifest: Sendable {
    public var bytes: [UInt8]
    public var digest: Digest
    public var parsed: ParsedManifest
    /// The manifest's media type (Content-Type, or the document's own `mediaType`).
    public var mediaType: String { parsed.mediaType }
}

extension RegistryClient {
    /// GET /v2/NAME/manifests/REFERENCE with every manifest type Berth reads in Accept.
    ///
    /// The bytes must hash to `reference` when it is a digest, or to the registry's
    /// Docker-Content-Digest for a tag; more than 4 MiB is refused.
    /// - Parameter reference: a tag or `sha256:…`.
    /// - Throws: the registry's error (`manifest unknown`, code `.notFound`), a digest mismatch,
    ///   or a parse error.
    public func manifest(_ reference: String) async throws -> FetchedManifest {
        let request = HTTPRequest(url: try await url(path: "\(repository)/manifests/\(reference)"),
                                  headers: ["Accept": MediaType.manifestAccept])
        let response: HTTPResponse
        do {
            response = try await execute(request, limit: ParsedManifest.maxSize)
        } catch is HTTPBodyTooLarge {
            throw BerthError.invalid("manifest \(reference) is larger than \(ParsedManifest.maxSize) bytes")
        }
        guard response.status == 200 else {
            throw RegistryErrorBody.error(status: response.status, body: response.body)
        }
        let digest = Digest.sha256(of: response.body)
        let expected: Digest?
        if reference.hasPrefix("sha256:") {
            expected = try Digest(parsing: reference)
        } else {
            expected = response.header("Docker-Content-Digest").flatMap { try? Digest(parsing: $0.trimmingCharacters(in: .whitespaces)) }
        }
        if let expected, expected != digest {
            throw BerthError.invalid("manifest \(reference): digest mismatch: expected \(expected), got \(digest)")
        }
        let parsed = try BerthError.wrap("manifest \(reference)") {
            try ParsedManifest.parse(response.body, contentType: response.contentType)
        }
        return FetchedManifest(bytes: response.body, digest: digest, parsed: parsed)
    }

    /// PUT /v2/NAME/manifests/REFERENCE with `bytes` exactly as given.
    /// - Parameters:
    ///   - mediaType: the Content-Type (the manifest's media type).
    ///   - reference: a tag, or the digest of `bytes`.
    /// - Returns: the manifest's digest (sha256 of `bytes`; the registry's must agree).
    @discardableResult
    public func putManifest(_ bytes: [UInt8], mediaType: String, reference: String) async throws -> Digest {
        let request = HTTPRequest(method: "PUT", url: try await url(path: "\(repository)/manifests/\(reference)"),
                                  headers: ["Content-Type": mediaType], body: Data(bytes))
        let response = try await execute(request, scopes: [scope(actions: "pull,push")])
        guard response.status == 201 || response.status == 200 || response.status == 202 else {
            throw RegistryErrorBody.error(status: response.status, body: response.body).context("put manifest \(reference)")
        }
        let digest = Digest.sha256(of: bytes)
        if let announced = response.header("Docker-Content-Digest").flatMap({ try? Digest(parsing: $0) }), announced != digest {
            throw BerthError(.external, "put manifest \(reference): registry stored digest \(announced), expected \(digest)")
        }
        return digest
    }
}
