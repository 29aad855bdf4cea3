import Diagnostics
import Foundation
import ImageSpec
import ImageStore
import LiteJSON

/// `pull`: resolves a reference on its registry and brings the image into an `ImageStore`,
/// layers downloaded in parallel and unpacked while they stream.
public struct Puller: Sendable {
    public let store: ImageStore
    let credentials: CredentialStore?
    let http: HTTPClient
    let environment: [String: String]
    /// Layers fetched and unpacked at once (env `BERTH_MAX_CONCURRENT_DOWNLOADS`, default 6, as
    /// containers/image; on few cores all layers at once avoids one lone layer unpacking last).
    public var maxConcurrentLayers: Int

    /// - Parameters:
    ///   - credentials: where registry credentials come from (docker's config.json); nil for anonymous.
    ///   - environment: `BERTH_INSECURE_REGISTRIES`, `BERTH_MAX_CONCURRENT_DOWNLOADS`.
    public init(store: ImageStore, credentials: CredentialStore? = CredentialStore(), http: HTTPClient = HTTPClient(),
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.store = store
        self.credentials = credentials
        self.http = http
        self.environment = environment
        self.maxConcurrentLayers = environment["BERTH_MAX_CONCURRENT_DOWNLOADS"].flatMap { Int($0) }.map { max(1, $0) } ?? 6
    }

    /// Pulls `reference` (a tag or a digest) for `platform`.
    ///
    /// Resolves the manifest (picking `platform` from an index or manifest list), stores manifest
    /// and config, then for every layer at once (bounded by `maxConcurrentLayers`): skips it when
    /// blob and unpacked layer are both stored, unpacks it from the stored blob when only that is
    /// there, else downloads it into the store while unpacking the same bytes. Finally records
    /// the image under the tag with its repo digest. Everything happens under the store's pull
    /// lock; a killed pull leaves only temporary files and the next one completes the work.
    /// - Parameter progress: events, one at a time.
    /// - Throws: BerthError "pull REF: …" (`manifest unknown`, `no matching manifest for
    ///   linux/arm64 in the manifest list entries`, digest mismatches, unpack errors).
    public func pull(_ reference: ImageReference, platform: Platform = .host,
                     progress: @escaping @Sendable (PullEvent) -> Void = { _ in }) async throws -> PullResult {
        let events = EventSink(progress)
        do {
            return try await store.withPullLock {
                try await run(reference, platform: platform, events: events)
            }
        } catch {
            throw registryError(error).context("pull \(reference.familiar)")
        }
    }

    private func run(_ reference: ImageReference, platform: Platform, events: EventSink) async throws -> PullResult {
        let client = try RegistryClient(reference: reference, credentials: credentials, http: http, environment: environment)
        events.send(.resolving(reference))
        let top = try await client.manifest(reference.tagOrDigest)
        var fetched = top
        if case .index(let index, _) = top.parsed {
            guard let entry = index.manifest(for: platform) else {
                throw BerthError(.notFound, "no matching manifest for \(platform) in the manifest list entries")
            }
            fetched = try await client.manifest(entry.digest.string)
        }
        guard case .manifest(let manifest, _) = fetched.parsed else {
            throw BerthError.invalid("manifest \(fetched.digest) is an index inside an index")
        }
        let tagged = reference.tag.map { reference.withTag($0) }
        let previous = tagged.flatMap { try? store.image($0.string) }?.manifestDigest

        let config = try await fetchConfig(manifest.config, client: client)
        guard config.rootfs.diffIDs.count == manifest.layers.count else {
            throw BerthError.invalid("config \(manifest.config.digest) has \(config.rootfs.diffIDs.count) diff ids for \(manifest.layers.count) layers")
        }
        let fetchedLayers = try await fetchLayers(manifest.layers, diffIDs: config.rootfs.diffIDs, client: client, events: events)
        try store.putBlob(fetched.bytes, expected: fetched.digest)
        let image = try store.addImage(manifestDigest: fetched.digest, reference: tagged,
                                       repoDigest: "\(reference.repository)@\(top.digest.string)")
        let downloaded = fetchedLayers || previous != fetched.digest
        events.send(.digest(top.digest))
        let name = tagged?.familiar ?? reference.familiar
        events.send(.status(downloaded ? "Downloaded newer image for \(name)" : "Image is up to date for \(name)"))
        return PullResult(image: image, downloaded: downloaded, digest: top.digest)
    }

    /// The config from the store, or from the registry into the store.
    private func fetchConfig(_ descriptor: Descriptor, client: RegistryClient) async throws -> ImageConfiguration {
        let bytes: [UInt8]
        if store.hasBlob(descriptor.digest) {
            bytes = try store.readBlob(descriptor.digest, limit: 16 << 20)
        } else {
            bytes = try await client.blobBytes(descriptor.digest)
            try store.putBlob(bytes, expected: descriptor.digest)
        }
        do {
            return try LiteJSONDecoder().decode(ImageConfiguration.self, from: bytes)
        } catch {
            throw BerthError.invalid("config \(descriptor.digest): \(error)")
        }
    }
}

/// Any error of a registry operation as a BerthError.
func registryError(_ error: any Error) -> BerthError {
    switch error {
    case let error as BerthError: error
    case let error as HTTPTransportError: error.berthError
    case let error as HTTPBodyTooLarge: BerthError.invalid("\(error)")
    case is CancellationError: BerthError(.external, "cancelled")
    default: BerthError(.internalError, "\(error)")
    }
}
