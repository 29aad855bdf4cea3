import Diagnostics
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// HTTP over FoundationNetworking's URLSession (libcurl underneath): one session per client,
/// bodies either collected with a size cap or streamed chunk by chunk to a consumer.
///
/// It sends each request once; retries, authentication and resumption belong to the caller
/// (`RegistryClient`), which knows which requests may be repeated. Redirects are followed,
/// without the Authorization header when they leave the origin.
public final class HTTPClient: Sendable {
    /// Collected bodies (manifests, tokens, errors) larger than this are refused unless the
    /// caller sets its own limit.
    public static let defaultBodyLimit = 1 << 20

    private let session: URLSession
    private let router: SessionRouter

    /// - Parameters:
    ///   - idleTimeout: a request fails when no byte moves for this long (libcurl's timer is
    ///     reset on every chunk).
    ///   - maxConnectionsPerHost: parallel connections to one registry or storage host.
    public init(idleTimeout: TimeInterval = 60, maxConnectionsPerHost: Int = 8) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = idleTimeout
        configuration.timeoutIntervalForResource = 24 * 3600
        configuration.httpMaximumConnectionsPerHost = maxConnectionsPerHost
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        let queue = OperationQueue()
        // Serial: a task's data callbacks must arrive in order.
        queue.maxConcurrentOperationCount = 1
        queue.name = "berth.registry.http"
        router = SessionRouter()
        session = URLSession(configuration: configuration, delegate: router, delegateQueue: queue)
    }

    deinit {
        // The session holds its delegate until invalidated.
        session.finishTasksAndInvalidate()
    }

    /// Sends `request` once.
    ///
    /// - Parameters:
    ///   - limit: the most body bytes collected into the response.
    ///   - consumer: when given, a 2xx body goes to it chunk by chunk (if its `begin` agrees)
    ///     and the response's `body` stays empty.
    /// - Returns: the response, whatever its status.
    /// - Throws: `HTTPTransportError` when no answer came, `TransferStopped` when the consumer
    ///   stopped it, `HTTPBodyTooLarge` when the collected body overflowed `limit`.
    public func send(_ request: HTTPRequest, limit: Int = defaultBodyLimit,
                     consumer: (any ResponseBodyConsumer)? = nil) async throws -> HTTPResponse {
        try Task.checkCancellation()
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        urlRequest.httpBody = request.body
        let task = session.dataTask(with: urlRequest)
        let router = router
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                router.register(Transfer(request: request, limit: limit, consumer: consumer, continuation: continuation), for: task)
                task.resume()
            }
        } onCancel: {
            task.cancel()
        }
    }
}
