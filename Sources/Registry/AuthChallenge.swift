/// One challenge of a `WWW-Authenticate` header: `Bearer realm="…",service="…",scope="…"` or
/// `Basic realm="…"` (RFC 7235 syntax: a scheme, then comma-separated `key=value` parameters
/// whose values may be quoted strings with backslash escapes).
public struct AuthChallenge: Sendable, Equatable {
    /// Lower case: `bearer`, `basic`.
    public var scheme: String
    /// Parameter names in lower case.
    public var parameters: [String: String]

    public init(scheme: String, parameters: [String: String] = [:]) {
        self.scheme = scheme.lowercased()
        self.parameters = parameters
    }

    public var realm: String? { parameters["realm"] }
    public var service: String? { parameters["service"] }
    public var scope: String? { parameters["scope"] }

    /// Every challenge in `header` (a header may carry several); malformed parts are skipped.
    public static func parse(_ header: String) -> [AuthChallenge] {
        var scanner = Scanner(Array(header.utf8))
        var challenges: [AuthChallenge] = []
        while true {
            scanner.skip { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: ",") }
            guard let scheme = scanner.token(), !scheme.isEmpty else { break }
            var challenge = AuthChallenge(scheme: scheme)
            // Parameters follow until the next bare token (a new scheme).
            while true {
                let mark = scanner.position
                scanner.skip { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: ",") }
                guard let name = scanner.token(), !name.isEmpty else { break }
                scanner.skip { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
                guard scanner.consume(UInt8(ascii: "=")) else {
                    scanner.position = mark
                    break
                }
                scanner.skip { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
                let value = scanner.peek == UInt8(ascii: "\"") ? scanner.quoted() : scanner.bareValue()
                challenge.parameters[name.lowercased()] = value
            }
            challenges.append(challenge)
        }
        return challenges
    }

    private struct Scanner {
        let bytes: [UInt8]
        var position = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func skip(while predicate: (UInt8) -> Bool) {
            while let byte = peek, predicate(byte) { position += 1 }
        }

        mutating func consume(_ byte: UInt8) -> Bool {
            guard peek == byte else { return false }
            position += 1
            return true
        }

        /// An RFC 7230 token: a scheme or a parameter name.
        mutating func token() -> String? {
            read { $0 > 0x20 && $0 < 0x7f && $0 != UInt8(ascii: ",") && $0 != UInt8(ascii: "=") && $0 != UInt8(ascii: "\"") }
        }

        /// An unquoted parameter value: up to the next comma or blank.
        mutating func bareValue() -> String {
            read { $0 > 0x20 && $0 != UInt8(ascii: ",") } ?? ""
        }

        private mutating func read(while predicate: (UInt8) -> Bool) -> String? {
            let start = position
            while let byte = peek, predicate(byte) { position += 1 }
            return position > start ? String(decoding: bytes[start..<position], as: UTF8.self) : nil
        }

        mutating func quoted() -> String {
            position += 1
            var out: [UInt8] = []
            while let byte = peek {
                position += 1
                if byte == UInt8(ascii: "\\"), let next = peek {
                    out.append(next)
                    position += 1
                } else if byte == UInt8(ascii: "\"") {
                    break
                } else {
                    out.append(byte)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
