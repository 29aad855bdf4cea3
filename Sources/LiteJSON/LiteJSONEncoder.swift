/// Encodes `Encodable` types as JSON without Foundation.
///
/// Nil optionals are left out (Go's `omitempty` on pointers), struct members keep their
/// declaration order, and dictionary keys are sorted by bytes when `sortedKeys` is set, so the
/// same value always gives the same bytes.
public struct LiteJSONEncoder: Sendable {
    /// One member per line (Go's `json.MarshalIndent` layout).
    public var pretty = false
    /// The indentation of one level when `pretty`.
    public var indent = "  "
    /// Sort the keys of dictionaries (`[String: T]`); on by default because dictionary order is
    /// random in Swift. Struct members always keep their declaration order.
    public var sortedKeys = true
    /// Handed to `encode(to:)` as `encoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    public init(pretty: Bool = false, indent: String = "  ", sortedKeys: Bool = true) {
        self.pretty = pretty
        self.indent = indent
        self.sortedKeys = sortedKeys
    }

    /// The JSON text of `value`, with no trailing newline.
    /// - Throws: `JSONError` naming the path of a value JSON cannot hold (a non-finite double).
    public func encode<T: Encodable>(_ value: T) throws(JSONError) -> [UInt8] {
        try encodeToValue(value).serialized(pretty: pretty, indent: indent)
    }

    /// `value` as a `JSONValue` tree.
    public func encodeToValue<T: Encodable>(_ value: T) throws(JSONError) -> JSONValue {
        let encoder = JSONValueEncoder(codingPath: [], userInfo: userInfo, sortedKeys: sortedKeys)
        do {
            return try encoder.encodeChild(value, path: []).resolved
        } catch let error as JSONError {
            throw error
        } catch let EncodingError.invalidValue(_, context) {
            throw JSONError(path: JSONPath.render(context.codingPath), "cannot encode: \(context.debugDescription)")
        } catch {
            throw JSONError("\(error)")
        }
    }
}

// MARK: - The tree being built

/// An object under construction; containers handed out earlier keep appending to it.
final class JSONObjectBuilder {
    var members: [(String, JSONEncodedNode)] = []
    /// Set for dictionaries when the encoder sorts their keys.
    var sorted = false
}

final class JSONArrayBuilder {
    var elements: [JSONEncodedNode] = []
}

enum JSONEncodedNode {
    case value(JSONValue)
    case object(JSONObjectBuilder)
    case array(JSONArrayBuilder)
    /// A `superEncoder()`, whose content is known only at the end.
    case encoder(JSONValueEncoder)

    var resolved: JSONValue {
        switch self {
        case let .value(value):
            return value
        case let .object(builder):
            var members = builder.members.map { ($0.0, $0.1.resolved) }
            if builder.sorted { members.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) } }
            return .object(members)
        case let .array(builder):
            return .array(builder.elements.map(\.resolved))
        case let .encoder(encoder):
            return encoder.storage?.resolved ?? .object([])
        }
    }
}

/// Marks dictionaries, so the encoder can sort their keys and not a struct's.
protocol JSONDictionaryMarker {}
extension Dictionary: JSONDictionaryMarker {}

// MARK: - Encoder

/// The `Encoder` for one value; also its own single-value container.
final class JSONValueEncoder: Encoder, SingleValueEncodingContainer {
    let codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]
    let sortedKeys: Bool
    var storage: JSONEncodedNode?

    init(codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: Any], sortedKeys: Bool,
         storage: JSONEncodedNode? = nil) {
        self.codingPath = codingPath
        self.userInfo = userInfo
        self.sortedKeys = sortedKeys
        self.storage = storage
    }

    func child(_ path: [any CodingKey], storage: JSONEncodedNode? = nil) -> JSONValueEncoder {
        JSONValueEncoder(codingPath: path, userInfo: userInfo, sortedKeys: sortedKeys, storage: storage)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let builder: JSONObjectBuilder
        if case let .object(existing)? = storage {
            builder = existing
        } else {
            builder = JSONObjectBuilder()
            storage = .object(builder)
        }
        return KeyedEncodingContainer(JSONKeyedEncodingContainer<Key>(encoder: self, object: builder))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let builder: JSONArrayBuilder
        if case let .array(existing)? = storage {
            builder = existing
        } else {
            builder = JSONArrayBuilder()
            storage = .array(builder)
        }
        return JSONUnkeyedEncodingContainer(encoder: self, array: builder)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    /// Encodes `value`, found at `path`, into a node of its own.
    func encodeChild<T: Encodable>(_ value: T, path: @autoclosure () -> [any CodingKey]) throws -> JSONEncodedNode {
        if let string = value as? String { return .value(.string(string)) }
        let encoder = child(path())
        try value.encode(to: encoder)
        if sortedKeys, value is JSONDictionaryMarker, case let .object(builder)? = encoder.storage {
            builder.sorted = true
        }
        // A value that asked for no container at all encodes as `{}`, as with Foundation.
        return encoder.storage ?? .value(.object([]))
    }

    // MARK: - SingleValueEncodingContainer

    func encodeNil() { storage = .value(.null) }
    func encode(_ value: Bool) { storage = .value(.bool(value)) }
    func encode(_ value: String) { storage = .value(.string(value)) }
    func encode(_ value: Double) throws { storage = .value(try JSONBox.double(value, codingPath)) }
    func encode(_ value: Float) throws { storage = .value(try JSONBox.double(Double(value), codingPath)) }
    func encode(_ value: Int) { storage = .value(JSONBox.integer(value)) }
    func encode(_ value: Int8) { storage = .value(JSONBox.integer(value)) }
    func encode(_ value: Int16) { storage = .value(JSONBox.integer(value)) }
    func encode(_ value: Int32) { storage = .value(JSONBox.integer(value)) }
    func encode(_ value: Int64) { storage = .value(JSONBox.integer(value)) }
    func encode(_ value: UInt) { storage = .value(JSONBox.integer(value)) }
    func encode(_ value: UInt8) { storage = .value(JSONBox.integer(value)) }
    func encode(_ value: UInt16) { storage = .value(JSONBox.integer(value)) }
    func encode(_ value: UInt32) { storage = .value(JSONBox.integer(value)) }
    func encode(_ value: UInt64) { storage = .value(JSONBox.integer(value)) }
    func encode<T: Encodable>(_ value: T) throws {
        // Encoding in place: the value's containers land in this encoder's storage.
        try value.encode(to: self)
        if sortedKeys, value is JSONDictionaryMarker, case let .object(builder)? = storage {
            builder.sorted = true
        }
    }
}

/// Conversions from Swift numbers to JSON number literals.
enum JSONBox {
    static func integer<T: FixedWidthInteger>(_ value: T) -> JSONValue { .number(String(value)) }

    /// Whole values below 2^53 print without a fraction (`5`, as Go prints them); others use
    /// Swift's shortest round-tripping form, which is valid JSON.
    static func double(_ value: Double, _ path: @autoclosure () -> [any CodingKey]) throws(JSONError) -> JSONValue {
        guard value.isFinite else {
            throw JSONError(path: JSONPath.render(path()), "cannot encode \(value): JSON has no such number")
        }
        // Whole when no significand bit lies below the binary point; tested this way because
        // `rounded()` and `Int64(exactly:)` call into libm, which this module does not link.
        if value == 0 { return .number("0") }
        if value.magnitude < 9_007_199_254_740_992, value.exponent >= value.significandWidth {
            return .number(String(Int64(value)))
        }
        return .number(String(value))
    }
}
