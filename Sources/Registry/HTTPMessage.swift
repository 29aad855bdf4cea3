import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP request as the registry client builds it.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: URL
    /// Header fields; names are matched case-insensitively when sent.
    public var headers: [String: String]
    public var body: Data?

    public init(method: String = "GET", url: URL, headers: [String: String] = [:], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// GET and HEAD may be sent again after a connection error or a 5xx answer.
    public var isIdempotent: Bool { method == "GET" || method == "HEAD" }
}

/// An HTTP answer: status, header fields (names in lower case), the URL it finally came from
/// (after redirects) and the body when it was collected rather than streamed.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var url: URL
    public var body: [UInt8]
    /// True when the body went to a `ResponseBodyConsumer` instead of `body`.
    public var streamed: Bool

    public init(status: Int, headers: [String: String], url: URL, body: [UInt8] = [], streamed: Bool = false) {
        self.status = status
        self.headers = headers
        self.url = url
        self.body = body
        self.streamed = streamed
    }

    /// The value of header `name` (any case).
    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The media type of Content-Type without its parameters.
    public var contentType: String? {
        header("Content-Type").map { String($0.split(separator: ";", maxSplits: 1).first ?? "").trimmingCharacters(in: .whitespaces) }
    }

    init(_ response: HTTPURLResponse, fallbackURL: URL) {
        var headers: [String: String] = [:]
        for (key, value) in response.allHeaderFields {
            if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
        }
        self.init(status: response.statusCode, headers: headers, url: response.url ?? fallbackURL)
    }
}

/// What a streaming consumer tells the client after each chunk.
///
/// There is no "pause": URLSession on Linux cannot hold back a libcurl transfer (its
/// `suspend` restarts it and cancelling takes effect only after libcurl has read on), so
/// callers bound memory by asking for bounded byte ranges instead.
public enum FlowControl: Sendable {
    /// Keep the bytes coming.
    case proceed
    /// Abandon the transfer: the consumer failed or was closed.
    case stop
}

/// Receives a 2xx response body chunk by chunk, in order, on the HTTP client's delegate thread.
/// It must not block: that thread serves every transfer of the client.
public protocol ResponseBodyConsumer: AnyObject, Sendable {
    /// Called once with the status and headers, before any body byte; false collects the body
    /// (size-capped) into the response instead, as for an error answer.
    func begin(_ response: HTTPResponse) -> Bool
    func consume(_ chunk: Data) -> FlowControl
}
