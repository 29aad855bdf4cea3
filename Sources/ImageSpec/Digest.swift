import Diagnostics
import Hashing

/// A content digest, `sha256:<64 lower-case hex digits>`: the address of every blob, the id of
/// every image (the digest of its config) and the diff id of every layer.
public struct Digest: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let hex: String

    public var algorithm: String { "sha256" }
    public var string: String { "sha256:\(hex)" }
    public var description: String { string }
    /// Docker's short id: the first 12 hex digits.
    public var shortID: String { String(hex.prefix(12)) }

    /// Trusts `hex` to be 64 lower-case hex digits (from a hasher).
    public init(sha256Hex hex: String) { self.hex = hex }

    /// Parses `sha256:<hex>`; any other algorithm or a malformed value is an error.
    public init(parsing text: String) throws {
        guard text.hasPrefix("sha256:") else {
            if let colon = text.firstIndex(of: ":"), Self.isAlgorithm(text[..<colon]) {
                throw BerthError.invalid("unsupported digest algorithm in \(text.debugDescription)")
            }
            throw BerthError.invalid("invalid digest \(text.debugDescription): want sha256:<64 hex digits>")
        }
        let hex = text.dropFirst(7)
        guard Self.isHex64(hex) else {
            throw BerthError.invalid("invalid digest \(text.debugDescription): want sha256:<64 hex digits>")
        }
        self.hex = String(hex)
    }

    /// The digest of `bytes`.
    public static func sha256(of bytes: [UInt8]) -> Digest {
        Digest(sha256Hex: SHA256Hasher.hex(SHA256Hasher.hash(bytes)))
    }

    /// True for exactly 64 lower-case hex digits.
    public static func isHex64(_ text: Substring) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }

    private static func isAlgorithm(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 43 || $0 == 46 || $0 == 95 || $0 == 45 }
    }

    public static func < (lhs: Digest, rhs: Digest) -> Bool { lhs.hex < rhs.hex }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(parsing: text)
        } catch let error as BerthError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(string)
    }
}
