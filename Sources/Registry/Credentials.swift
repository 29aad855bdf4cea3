import Foundation

/// A user name and password for one registry.
public struct Credentials: Sendable, Equatable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// `base64(user:pass)`: docker's `auth` field and the Basic credentials.
    public var encoded: String { Data("\(username):\(password)".utf8).base64EncodedString() }

    /// The value of an `Authorization: Basic …` header.
    public var basicAuthorization: String { "Basic \(encoded)" }

    /// Decodes docker's `auth` field; nil when it is not base64 of `user:pass`.
    public init?(encoded: String) {
        guard let data = Data(base64Encoded: encoded.trimmingCharacters(in: .whitespaces)),
              let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":") else { return nil }
        self.init(username: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
    }
}
