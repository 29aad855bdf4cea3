import Diagnostics
import LiteJSON

/// A registry's error answer: `{"errors":[{"code":"MANIFEST_UNKNOWN","message":"…","detail":…}]}`
/// (distribution spec), turned into a BerthError whose message reads as docker's:
/// `manifest unknown`, `unauthorized: authentication required`.
public struct RegistryErrorBody: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var code: String
        public var message: String
    }

    public var entries: [Entry]

    /// The entries of `body`; empty when it is not such a document.
    public init(_ body: [UInt8]) {
        guard let value = try? JSONParser.parse(body), let errors = value["errors"]?.arrayValue else {
            entries = []
            return
        }
        entries = errors.compactMap { error in
            guard let code = error["code"]?.stringValue else { return nil }
            return Entry(code: code, message: error["message"]?.stringValue ?? "")
        }
    }

    /// The error for an answer with `status` and this body.
    public static func error(status: Int, body: [UInt8]) -> BerthError {
        let parsed = RegistryErrorBody(body)
        guard let first = parsed.entries.first else {
            return fallback(status: status, body: body)
        }
        let text = parsed.entries.map(render).joined(separator: "; ")
        return BerthError(code(for: first.code, status: status), text)
    }

    /// `MANIFEST_UNKNOWN` + "manifest unknown" → "manifest unknown";
    /// `UNAUTHORIZED` + "authentication required" → "unauthorized: authentication required".
    static func render(_ entry: Entry) -> String {
        let words = entry.code.lowercased().replacingUnderscores()
        let message = entry.message.trimmingCharacters(in: " ")
        if message.isEmpty || message.lowercased() == words { return words }
        return "\(words): \(message)"
    }

    static func code(for registryCode: String, status: Int) -> BerthError.Code {
        switch registryCode {
        case "MANIFEST_UNKNOWN", "NAME_UNKNOWN", "BLOB_UNKNOWN", "BLOB_UPLOAD_UNKNOWN", "MANIFEST_BLOB_UNKNOWN":
            return .notFound
        case "UNAUTHORIZED", "DENIED", "NAME_INVALID", "TAG_INVALID", "MANIFEST_INVALID", "DIGEST_INVALID",
             "SIZE_INVALID", "BLOB_UPLOAD_INVALID", "UNSUPPORTED", "MANIFEST_UNVERIFIED":
            return .invalidArgument
        case "TOOMANYREQUESTS":
            return .external
        default:
            return status == 404 ? .notFound : (400..<500).contains(status) ? .invalidArgument : .external
        }
    }

    private static func fallback(status: Int, body: [UInt8]) -> BerthError {
        switch status {
        case 401: return BerthError(.invalidArgument, "unauthorized: authentication required")
        case 403: return BerthError(.invalidArgument, "denied: requested access to the resource is denied")
        case 404: return BerthError(.notFound, "not found")
        case 429: return BerthError(.external, "toomanyrequests: too many requests")
        default:
            let snippet = String(decoding: body.prefix(200), as: UTF8.self)
                .split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: " ")
            let reason = "registry answered http \(status)"
            return BerthError(status >= 500 ? .external : .invalidArgument, snippet.isEmpty ? reason : "\(reason): \(snippet.lowercased())")
        }
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String { String(map { $0 == "_" ? " " : $0 }) }
}
