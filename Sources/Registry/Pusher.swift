import Diagnostics
import Foundation
import ImageSpec
import ImageStore

/// What a push reports as it goes (docker's progress lines).
public enum PushEvent: Sendable, Equatable {
    /// `The push refers to repository [127.0.0.1:5000/busybox]`.
    case preparing(ImageReference)
    /// A blob (layer or config) being checked or sent.
    case blob(Digest, BlobPushProgress)
    /// `TAG: digest: sha256:… size: N`.
    case pushed(tag: String, digest: Digest, size: Int)
}

/// One blob's state in a push.
public enum BlobPushProgress: Sendable, Equatable {
    /// `Preparing`.
    case preparing
    /// `Pushing`: bytes sent of `total`.
    case pushing(bytes: Int64, total: Int64)
    /// `Layer already exists`.
    case alreadyExists
    /// `Mounted from REPOSITORY`.
    case mounted(from: String)
    /// `Pushed`.
    case pushed
}

/// `push`: sends an image of the store to a registry.
public struct Pusher: Sendable {
    public let store: ImageStore
    let credentials: CredentialStore?
    let http: HTTPClient
    let environment: [String: String]
    /// Blobs sent at once.
    public var maxConcurrentUploads = 3

    public init(store: ImageStore, credentials: CredentialStore? = CredentialStore(), http: HTTPClient = HTTPClient(),
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.store = store
        self.credentials = credentials
        self.http = http
        self.environment = environment
    }

    /// Pushes `image` as `reference`.
    ///
    /// For each layer and the config: HEAD (already there: skipped), else a cross-repository
    /// mount from a repository of the same registry the image came from, else an upload
    /// (monolithic, or chunked beyond `BERTH_PUSH_CHUNK_SIZE`). Then the manifest is PUT exactly
    /// as stored, under the tag (or its digest when `reference` has none), and the store records
    /// the repo digest `REPOSITORY@DIGEST` on the image.
    /// - Returns: the manifest's digest.
    /// - Throws: BerthError "push REF: …".
    public func push(_ image: StoredImage, to reference: ImageReference,
                     progress: @escaping @Sendable (PushEvent) -> Void = { _ in }) async throws -> Digest {
        do {
            return try await run(image, to: reference, progress: progress)
        } catch {
            throw registryError(error).context("push \(reference.familiar)")
        }
    }

    private func run(_ image: StoredImage, to reference: ImageReference, progress: @escaping @Sendable (PushEvent) -> Void) async throws -> Digest {
        let client = try RegistryClient(reference: reference, credentials: credentials, push: true, http: http, environment: environment)
        progress(.preparing(reference))
        var blobs = image.manifest.layers
        blobs.append(image.manifest.config)
        var seen = Set<Digest>()
        blobs = blobs.filter { seen.insert($0.digest).inserted }
        let sources = mountSources(image, for: reference)
        let chunkSize = RegistryClient.chunkSize(environment: environment)
        let store = store
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = blobs.makeIterator()
            var running = 0
            while true {
                while running < maxConcurrentUploads, let blob = next.next() {
                    group.addTask {
                        try await Self.pushBlob(blob, store: store, client: client, mountSources: sources, chunkSize: chunkSize, progress: progress)
                    }
                    running += 1
                }
                guard try await group.next() != nil else { break }
                running -= 1
            }
        }
        let bytes = try store.readBlob(image.manifestDigest)
        let tag = reference.tag ?? image.manifestDigest.string
        let digest = try await client.putManifest(bytes, mediaType: image.manifestMediaType, reference: tag)
        // As docker does, the image now also answers to the digest it has in that repository.
        try BerthError.wrap("record repo digest") {
            _ = try store.addImage(manifestDigest: digest, reference: nil, repoDigest: "\(reference.repository)@\(digest.string)")
        }
        progress(.pushed(tag: reference.tag ?? "", digest: digest, size: bytes.count))
        return digest
    }

    /// Repositories of the target registry that the image came from or is tagged in.
    private func mountSources(_ image: StoredImage, for reference: ImageReference) -> [String] {
        var names: [String] = []
        for text in image.repoDigests {
            if let parsed = try? ImageReference(parsing: text, defaultTag: false), parsed.domain == reference.domain {
                names.append(parsed.path)
            }
        }
        names += image.references.filter { $0.domain == reference.domain }.map(\.path)
        var seen = Set<String>()
        return names.filter { $0 != reference.path && seen.insert($0).inserted }
    }

    private static func pushBlob(_ blob: Descriptor, store: ImageStore, client: RegistryClient, mountSources: [String],
                                 chunkSize: Int, progress: @escaping @Sendable (PushEvent) -> Void) async throws {
        let digest = blob.digest
        progress(.blob(digest, .preparing))
        if try await client.hasBlob(digest) {
            progress(.blob(digest, .alreadyExists))
            return
        }
        var session: UploadSession?
        for source in mountSources {
            session = try await client.beginUpload(mounting: digest, from: source)
            if session == nil {
                progress(.blob(digest, .mounted(from: source)))
                return
            }
        }
        let fd = try store.openBlob(digest)
        let size = try Int64(fd.stat().st_size)
        guard size == blob.size else {
            throw BerthError.invalid("blob \(digest): stored size \(size) differs from the manifest's \(blob.size)")
        }
        // A broken upload starts over in a new session (PATCH and PUT are not idempotent).
        let policy = client.retry
        var attempt = 1
        while true {
            do {
                try await client.upload(digest, size: size, from: fd, session: session, chunkSize: chunkSize) { sent in
                    progress(.blob(digest, .pushing(bytes: sent, total: size)))
                }
                break
            } catch let error as BerthError where error.code == .external && attempt < policy.attempts {
                session = nil
                try await Task.sleep(for: policy.delay(afterAttempt: attempt))
                attempt += 1
            }
        }
        progress(.blob(digest, .pushed))
    }
}
