import Diagnostics
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A request that got no HTTP answer: refused or lost connection, timeout, DNS or TLS failure.
public struct HTTPTransportError: Error, CustomStringConvertible, Sendable {
    public var method: String
    public var url: URL
    /// The URLError code (NSURLErrorDomain).
    public var code: Int
    public var reason: String

    var urlCode: URLError.Code { URLError.Code(rawValue: code) ?? .unknown }

    public var description: String { "\(method) \(url.absoluteString): \(reason)" }

    /// Worth another attempt: the network may recover; a TLS or URL error will not.
    public var isTransient: Bool {
        switch urlCode {
        case .timedOut, .cannotConnectToHost, .networkConnectionLost, .notConnectedToInternet,
             .dnsLookupFailed, .cannotFindHost, .resourceUnavailable, .badServerResponse, .cannotParseResponse,
             .zeroByteResource:
            true
        default:
            false
        }
    }

    init(method: String, url: URL, error: any Error) {
        self.method = method
        self.url = url
        let nsError = error as NSError
        self.code = nsError.domain == NSURLErrorDomain ? nsError.code : URLError.unknown.rawValue
        self.reason = Self.reason(for: URLError.Code(rawValue: code) ?? .unknown, fallback: nsError.localizedDescription)
    }

    private static func reason(for code: URLError.Code, fallback: String) -> String {
        switch code {
        case .timedOut: "timed out"
        case .cannotConnectToHost: "connection refused"
        case .networkConnectionLost: "connection lost"
        case .notConnectedToInternet: "network is unreachable"
        case .cannotFindHost, .dnsLookupFailed: "no such host"
        case .badServerResponse, .cannotParseResponse: "bad server response"
        case .secureConnectionFailed: "tls handshake failed"
        case .serverCertificateUntrusted, .serverCertificateHasUnknownRoot, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid:
            "tls: server certificate not trusted"
        case .httpTooManyRedirects: "too many redirects"
        case .cancelled: "cancelled"
        case .badURL, .unsupportedURL: "bad url"
        default: fallback.lowercased()
        }
    }

    /// The same failure as a BerthError (code `.external`).
    public var berthError: BerthError { BerthError(.external, description) }
}
