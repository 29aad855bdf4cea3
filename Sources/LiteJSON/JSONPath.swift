/// Renders coding paths the way error messages show them: `linux.namespaces[2].type`.
///
/// Keys that are not plain identifiers (annotation and sysctl names contain dots) are quoted in
/// brackets so the path stays unambiguous: `linux.sysctl["net.ipv4.ip_forward"]`.
public enum JSONPath {
    /// The dotted form of a `Codable` coding path.
    public static func render(_ codingPath: [any CodingKey]) -> String {
        var path = ""
        for key in codingPath {
            if key is JSONIndexKey, let index = key.intValue {
                path += "[\(index)]"
            } else {
                path = appending(key: key.stringValue, to: path)
            }
        }
        return path
    }

    /// `path` followed by the member `key`: `.key`, or `["key"]` when it is not an identifier.
    public static func appending(key: String, to path: String) -> String {
        if isIdentifier(key) {
            return path.isEmpty ? key : "\(path).\(key)"
        }
        var quoted = [UInt8]()
        JSONSerializer.writeString(key, into: &quoted)
        return "\(path)[\(String(decoding: quoted, as: UTF8.self))]"
    }

    /// `path` followed by the array index `index`: `[index]`.
    public static func appending(index: Int, to path: String) -> String { "\(path)[\(index)]" }

    private static func isIdentifier(_ key: String) -> Bool {
        guard let first = key.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return key.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                return true
            default:
                return false
            }
        }
    }
}

/// The coding key of an array element; the path renderer shows it as `[index]`.
struct JSONIndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }

    init(index: Int) { intValue = index }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { self.intValue = intValue }
}

/// A member name used for `superDecoder()`/`superEncoder()` and other synthesized keys.
struct JSONStringKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}
