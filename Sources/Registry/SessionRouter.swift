import Diagnostics
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// URLSession's delegate: hands each task's callbacks to the `Transfer` that waits for it.
///
/// The session's delegate queue is serial, so a task's callbacks arrive in order (response,
/// data…, completion) and a `Transfer` is only ever touched on that queue after registration.
final class SessionRouter: NSObject, URLSessionDataDelegate, Sendable {
    private let transfers = Mutex<[Int: Transfer]>([:])

    func register(_ transfer: Transfer, for task: URLSessionTask) {
        transfers.withLock { $0[task.taskIdentifier] = transfer }
    }

    private func transfer(for task: URLSessionTask) -> Transfer? {
        transfers.withLock { $0[task.taskIdentifier] }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        if let transfer = transfer(for: dataTask), let http = response as? HTTPURLResponse {
            transfer.begin(http, task: dataTask)
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard let transfer = transfer(for: dataTask) else { return }
        if !transfer.hasBegun, let http = dataTask.response as? HTTPURLResponse {
            transfer.begin(http, task: dataTask)
        }
        transfer.receive(data, task: dataTask)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        var request = request
        // Blob downloads redirect to storage (S3, a CDN): the registry's token must not go there.
        if let origin = transfer(for: task)?.origin, let target = request.url, Origin(target) != origin {
            request.setValue(nil, forHTTPHeaderField: "Authorization")
        }
        completionHandler(request)
    }

    /// URLSession on Linux turns a 401 that carries `WWW-Authenticate: … realm=…` into this
    /// challenge and, left to its default handling, never completes the task. Authentication is
    /// the `Authenticator`'s job: the 401 goes back to the caller as an answer.
    func urlSession(_ session: URLSession, task: URLSessionTask, didReceive challenge: URLAuthenticationChallenge,
                    completionHandler: @escaping @Sendable (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {
        if let transfer = transfer(for: task) {
            if !transfer.hasBegun, let http = task.response as? HTTPURLResponse { transfer.begin(http, task: task) }
            transfer.challenged = true
        }
        completionHandler(.cancelAuthenticationChallenge, nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let transfer = transfers.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else { return }
        if !transfer.hasBegun, error == nil, let http = task.response as? HTTPURLResponse {
            transfer.begin(http, task: task)
        }
        transfer.complete(error: error)
    }
}

/// Scheme, host and port: where credentials may go.
struct Origin: Equatable, Sendable {
    var scheme: String
    var host: String
    var port: Int?

    init(_ url: URL) {
        scheme = url.scheme?.lowercased() ?? ""
        host = url.host?.lowercased() ?? ""
        port = url.port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : nil)
    }
}

/// One request in flight: collects or streams its body and resumes the caller at the end.
///
/// Only the session's serial delegate queue touches it once registered.
final class Transfer: @unchecked Sendable {
    private let continuation: CheckedContinuation<HTTPResponse, any Error>
    private let request: HTTPRequest
    private let limit: Int
    private let consumer: (any ResponseBodyConsumer)?
    let origin: Origin?
    private var response: HTTPResponse?
    private var streaming = false
    private var stopped = false
    private var overflow = false
    private(set) var hasBegun = false
    /// The answer was a 401 that URLSession took for a challenge; it ends "cancelled".
    var challenged = false

    init(request: HTTPRequest, limit: Int, consumer: (any ResponseBodyConsumer)?,
         continuation: CheckedContinuation<HTTPResponse, any Error>) {
        self.request = request
        self.limit = limit
        self.consumer = consumer
        self.continuation = continuation
        self.origin = request.headers.keys.contains { $0.lowercased() == "authorization" } ? Origin(request.url) : nil
    }

    func begin(_ http: HTTPURLResponse, task: URLSessionTask) {
        hasBegun = true
        var response = HTTPResponse(http, fallbackURL: request.url)
        if let consumer, response.isSuccess, request.method != "HEAD" {
            streaming = consumer.begin(response)
        }
        response.streamed = streaming
        self.response = response
    }

    func receive(_ data: Data, task: URLSessionTask) {
        if streaming, let consumer {
            if stopped { return }
            if case .stop = consumer.consume(data) {
                stopped = true
                task.cancel()
            }
            return
        }
        guard !overflow else { return }
        if (response?.body.count ?? 0) + data.count > limit {
            overflow = true
            task.cancel()
            return
        }
        response?.body.append(contentsOf: data)
    }

    func complete(error: (any Error)?) {
        if overflow {
            continuation.resume(throwing: HTTPBodyTooLarge(limit: limit))
        } else if challenged, let response {
            continuation.resume(returning: response)
        } else if stopped {
            continuation.resume(throwing: TransferStopped())
        } else if let error {
            continuation.resume(throwing: HTTPTransportError(method: request.method, url: request.url, error: error))
        } else if let response {
            continuation.resume(returning: response)
        } else {
            continuation.resume(throwing: BerthError(.external, "\(request.method) \(request.url.absoluteString): no response"))
        }
    }
}

/// The consumer stopped a streamed transfer; the consumer knows why.
struct TransferStopped: Error {}

/// A collected body went past its limit (the transfer was cancelled there).
public struct HTTPBodyTooLarge: Error, CustomStringConvertible, Sendable {
    public var limit: Int
    public var description: String { "response body larger than \(limit) bytes" }
}
