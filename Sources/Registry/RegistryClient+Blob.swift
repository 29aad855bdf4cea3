import Diagnostics
import Foundation
import ImageSpec

extension RegistryClient {
    /// The first range a blob download asks for; later ones double while the sink keeps up,
    /// up to `maxRange`, and fall back to this when it does not.
    static let baseRange: Int64 = 8 << 20
    static let maxRange: Int64 = 32 << 20

    /// Streams blob `digest` into `sink` in byte ranges (`Range: bytes=A-B`), waiting for the
    /// sink's space between them, and resuming from the next byte after a broken connection
    /// (up to `retry.attempts` failures in a row without progress). After a redirect to
    /// storage, later ranges go to the storage URL directly (without the registry's token).
    ///
    /// The sink sees each byte once, in order; verifying the digest is its job (the store's
    /// blob writer does it on commit). A server that ignores Range sends the rest in one piece.
    /// - Parameters:
    ///   - size: the size the manifest gives; more bytes than that are refused. Without it the
    ///     blob is fetched in one request.
    /// - Throws: the registry's error (`blob unknown`), a transport error, or "download
    ///   stopped" when the sink stopped it.
    public func blob(_ digest: Digest, size: Int64?, into sink: any BlobSink) async throws {
        let registryURL = try await url(path: "\(repository)/blobs/\(digest.string)")
        var source = registryURL
        var offset: Int64 = 0
        var range = Self.baseRange
        var failures = 0
        while true {
            if let size, offset >= size, offset > 0 { return }
            if offset > 0 {
                range = await sink.waitForSpace() ? Self.baseRange : min(range * 2, Self.maxRange)
            }
            let attempt = BlobDownloadAttempt(sink: sink, offset: offset, size: size)
            var request = HTTPRequest(url: source)
            var end: Int64?
            if let size {
                let stop = min(offset + range, size)
                request.headers["Range"] = "bytes=\(offset)-\(stop - 1)"
                end = stop
            }
            let problem: String
            do {
                let response = try await execute(request, consumer: attempt, retrying: false)
                offset += attempt.delivered
                if let failure = attempt.failure { throw BerthError(.external, "blob \(digest): \(failure)") }
                if response.streamed {
                    if source == registryURL, Origin(response.url) != Origin(registryURL) { source = response.url }
                    guard let size, let end else { return }
                    if offset >= size { return }
                    if offset == end {
                        failures = 0
                        continue
                    }
                    problem = "connection closed after \(offset) of \(size) bytes"
                } else if source != registryURL {
                    // A storage URL can expire: go back through the registry for a fresh redirect.
                    source = registryURL
                    problem = "http \(response.status) from storage"
                } else if RetryPolicy.isRetryable(status: response.status) {
                    problem = "http \(response.status)"
                } else {
                    throw RegistryErrorBody.error(status: response.status, body: response.body).context("blob \(digest)")
                }
            } catch let error as HTTPTransportError {
                offset += attempt.delivered
                guard error.isTransient else { throw error.berthError.context("blob \(digest)") }
                problem = error.reason
            } catch is TransferStopped {
                if let failure = attempt.failure { throw BerthError(.external, "blob \(digest): \(failure)") }
                throw BerthError(.external, "blob \(digest): download stopped")
            }
            try await pauseBeforeRetry(&failures, progress: attempt.delivered, digest: digest, problem: problem)
        }
    }

    /// Counts a failed attempt (a fresh count when it made progress) and sleeps before the
    /// next; throws `problem` when the attempts are used up.
    private func pauseBeforeRetry(_ failures: inout Int, progress: Int64, digest: Digest, problem: String) async throws {
        failures = progress > 0 ? 1 : failures + 1
        guard failures < retry.attempts else { throw BerthError(.external, "blob \(digest): \(problem)") }
        try await Task.sleep(for: retry.delay(afterAttempt: failures))
    }

    /// A small blob (a config) in memory, its sha256 checked.
    /// - Parameter limit: the most bytes accepted.
    public func blobBytes(_ digest: Digest, limit: Int = 16 << 20) async throws -> [UInt8] {
        let request = HTTPRequest(url: try await url(path: "\(repository)/blobs/\(digest.string)"))
        let response: HTTPResponse
        do {
            response = try await execute(request, limit: limit)
        } catch is HTTPBodyTooLarge {
            throw BerthError.invalid("blob \(digest) is larger than \(limit) bytes")
        }
        guard response.status == 200 else {
            throw RegistryErrorBody.error(status: response.status, body: response.body).context("blob \(digest)")
        }
        let actual = Digest.sha256(of: response.body)
        guard actual == digest else {
            throw BerthError.invalid("blob \(digest): digest mismatch (got \(actual))")
        }
        return response.body
    }

    /// HEAD /v2/NAME/blobs/DIGEST: whether the repository holds the blob.
    public func hasBlob(_ digest: Digest) async throws -> Bool {
        let request = HTTPRequest(method: "HEAD", url: try await url(path: "\(repository)/blobs/\(digest.string)"))
        let response = try await execute(request, scopes: [scope()])
        switch response.status {
        case 200: return true
        case 404: return false
        default: throw RegistryErrorBody.error(status: response.status, body: response.body).context("blob \(digest)")
        }
    }
}
