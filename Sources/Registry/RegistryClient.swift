import Diagnostics
import Foundation
import ImageSpec
import Synchronization

/// The distribution API of one repository on one registry: manifests, blobs, uploads.
///
/// The first request pings `/v2/` to choose the scheme (see `RegistryEndpoint`) and learn the
/// authentication challenge; every request then carries the Authorization the `Authenticator`
/// provides and is sent again once after a 401 with a fresh token. Idempotent requests are
/// retried per `RetryPolicy`.
public final class RegistryClient: Sendable {
    public let endpoint: RegistryEndpoint
    /// The repository path within the registry: `library/busybox`.
    public let repository: String
    let http: HTTPClient
    let retry: RetryPolicy
    let authenticator: Authenticator
    /// `pull` or `pull,push`: the actions every token is asked for.
    let actions: String
    private let base = Mutex<URL?>(nil)

    /// - Parameters:
    ///   - endpoint: the registry.
    ///   - repository: the repository path (`library/busybox`).
    ///   - credentials: Basic credentials for the registry or its token server; nil for anonymous.
    ///   - push: ask tokens for `pull,push` rather than `pull`.
    ///   - http: the HTTP client (share one between the clients of a pull or push).
    public init(endpoint: RegistryEndpoint, repository: String, credentials: Credentials? = nil, push: Bool = false,
                http: HTTPClient = HTTPClient(), retry: RetryPolicy = RetryPolicy()) {
        self.endpoint = endpoint
        self.repository = repository
        self.http = http
        self.retry = retry
        self.actions = push ? "pull,push" : "pull"
        self.authenticator = Authenticator(http: http, credentials: credentials, retry: retry)
    }

    /// A client for `reference`'s repository, with the credentials `store` holds for its registry.
    public convenience init(reference: ImageReference, credentials store: CredentialStore? = CredentialStore(),
                            push: Bool = false, http: HTTPClient = HTTPClient(),
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let credentials = try store?.credentials(for: reference.domain)
        self.init(endpoint: RegistryEndpoint(reference: reference, environment: environment), repository: reference.path,
                  credentials: credentials, push: push, http: http)
    }

    /// `repository:NAME:pull[,push]`.
    func scope(_ repository: String? = nil, actions: String? = nil) -> String {
        "repository:\(repository ?? self.repository):\(actions ?? self.actions)"
    }

    // MARK: - Ping

    /// GET /v2/ over each of the endpoint's schemes until one answers 200 or 401 (the API is
    /// there); remembers that scheme and the challenge.
    /// - Returns: the base URL `scheme://host/v2/`.
    @discardableResult
    public func ping() async throws -> URL {
        if let url = base.withLock({ $0 }) { return url }
        var failures: [String] = []
        for attempt in 1...max(1, retry.attempts) {
            failures = []
            var transient = false
            for scheme in endpoint.schemes {
                let url = endpoint.url(scheme: scheme, path: "")
                do {
                    let response = try await http.send(HTTPRequest(url: url), limit: 64 << 10)
                    if response.status == 200 || response.status == 401 {
                        await authenticator.learn(from: response)
                        base.withLock { $0 = url }
                        return url
                    }
                    transient = transient || RetryPolicy.isRetryable(status: response.status)
                    failures.append("\(url.absoluteString): http \(response.status)")
                } catch let error as HTTPTransportError {
                    transient = transient || error.isTransient
                    failures.append(error.description)
                }
            }
            guard transient, attempt < retry.attempts else { break }
            try await Task.sleep(for: retry.delay(afterAttempt: attempt))
        }
        throw BerthError(.external, "ping registry \(endpoint.host): \(failures.joined(separator: "; "))")
    }

    // MARK: - Requests

    /// The URL of `path` under `/v2/`, or `location` (absolute or relative to the registry) as a
    /// registry's Location header gives it.
    func url(path: String) async throws -> URL {
        try await ping().appendingPathComponentsRaw(path)
    }

    func url(location: String) async throws -> URL {
        let base = try await ping()
        guard let url = URL(string: location, relativeTo: base)?.absoluteURL else {
            throw BerthError(.external, "registry \(endpoint.host) sent a bad Location \(location.debugDescription)")
        }
        return url
    }

    /// Sends a request to the registry with authentication: the Authorization for `scopes`
    /// (same origin only), and once more with a fresh one after a 401.
    /// - Parameters:
    ///   - retrying: repeat idempotent requests on transient failures (not for streams).
    /// - Throws: a BerthError; an `HTTPTransportError` or `TransferStopped` only for a stream
    ///   (`consumer` given), whose caller resumes it.
    func execute(_ request: HTTPRequest, scopes: [String]? = nil, limit: Int = HTTPClient.defaultBodyLimit,
                 consumer: (any ResponseBodyConsumer)? = nil, retrying: Bool = true) async throws -> HTTPResponse {
        let scopes = scopes ?? [scope()]
        let base = try await ping()
        let sameOrigin = Origin(request.url) == Origin(base)
        var retriedUnauthorized = false
        while true {
            var request = request
            let authorization = sameOrigin ? try await authenticator.authorization(scopes: scopes) : nil
            if let authorization { request.headers["Authorization"] = authorization }
            let response: HTTPResponse
            do {
                if consumer == nil, retrying {
                    response = try await http.send(request, limit: limit, retry: retry)
                } else {
                    response = try await http.send(request, limit: limit, consumer: consumer)
                }
            } catch let error as HTTPTransportError where consumer == nil {
                throw error.berthError
            }
            if response.status == 401, sameOrigin, !retriedUnauthorized,
               await authenticator.unauthorized(response, scopes: scopes, sent: authorization) {
                retriedUnauthorized = true
                continue
            }
            return response
        }
    }
}

extension URL {
    /// `self` + `path` without percent-encoding it again (registry paths are already URL-safe).
    func appendingPathComponentsRaw(_ path: String) throws -> URL {
        guard let url = URL(string: absoluteString + path) else {
            throw BerthError.invalid("bad registry path \(path.debugDescription)")
        }
        return url
    }
}
