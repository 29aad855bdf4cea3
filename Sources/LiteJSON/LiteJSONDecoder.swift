/// Decodes `Decodable` types from JSON without Foundation.
///
/// Missing members and `null` both decode as nil optionals, unknown members are ignored, and
/// integers are range-checked exactly against the target type. Every failure is one `JSONError`
/// naming the path of the value: `process.user.uid: expected a number, found a string`.
public struct LiteJSONDecoder: Sendable {
    /// How deeply arrays and objects may nest.
    public var maxDepth = JSONParser.defaultMaxDepth
    /// The largest accepted document, in bytes.
    public var maxSize = JSONParser.defaultMaxSize
    /// Handed to `init(from:)` as `decoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    public init() {}

    /// Parses `bytes` and decodes a `T` from it.
    /// - Throws: `JSONError`, for bad syntax or a value that does not fit `T`.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(JSONError) -> T {
        let value = try JSONParser.parse(bytes, maxDepth: maxDepth, maxSize: maxSize)
        return try decode(type, from: value)
    }

    /// Parses `text` and decodes a `T` from it.
    public func decode<T: Decodable>(_ type: T.Type, from text: String) throws(JSONError) -> T {
        try decode(type, from: Array(text.utf8))
    }

    /// Decodes a `T` from an already parsed value.
    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws(JSONError) -> T {
        let decoder = JSONValueDecoder(value: value, codingPath: [], userInfo: userInfo)
        do {
            return try decoder.decodeChild(T.self, from: value, path: [])
        } catch let error as JSONError {
            throw error
        } catch let error as DecodingError {
            throw JSONError(error, decoding: value, at: [])
        } catch {
            throw JSONError("\(error)")
        }
    }
}

/// The `Decoder` over one `JSONValue`; also its own single-value container.
final class JSONValueDecoder: Decoder, SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]

    init(value: JSONValue, codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: Any]) {
        self.value = value
        self.codingPath = codingPath
        self.userInfo = userInfo
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case let .object(members) = value else {
            throw JSONUnbox.mismatch("an object", value, codingPath)
        }
        return KeyedDecodingContainer(JSONKeyedDecodingContainer<Key>(decoder: self, members: members))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case let .array(elements) = value else {
            throw JSONUnbox.mismatch("an array", value, codingPath)
        }
        return JSONUnkeyedDecodingContainer(decoder: self, elements: elements)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    /// Decodes `value` (found at `path`) as a `T`, turning the stdlib's `DecodingError`s thrown by
    /// synthesized code (an unknown enum raw value, say) into a `JSONError` at their path.
    func decodeChild<T: Decodable>(_ type: T.Type, from value: JSONValue, path: @autoclosure () -> [any CodingKey]) throws -> T {
        // Fast paths: the primitives need no decoder of their own.
        if T.self == String.self { return try JSONUnbox.string(value, path()) as! T }
        if T.self == Bool.self { return try JSONUnbox.bool(value, path()) as! T }
        let childPath = path()
        let child = JSONValueDecoder(value: value, codingPath: childPath, userInfo: userInfo)
        do {
            return try T(from: child)
        } catch let error as DecodingError {
            throw JSONError(error, decoding: value, at: childPath)
        }
    }

    // MARK: - SingleValueDecodingContainer

    func decodeNil() -> Bool { value.isNull }
    func decode(_ type: Bool.Type) throws -> Bool { try JSONUnbox.bool(value, codingPath) }
    func decode(_ type: String.Type) throws -> String { try JSONUnbox.string(value, codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try JSONUnbox.double(value, codingPath) }
    func decode(_ type: Float.Type) throws -> Float { try JSONUnbox.float(value, codingPath) }
    func decode(_ type: Int.Type) throws -> Int { try JSONUnbox.integer(value, codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try JSONUnbox.integer(value, codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try JSONUnbox.integer(value, codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try JSONUnbox.integer(value, codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try JSONUnbox.integer(value, codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try JSONUnbox.integer(value, codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try JSONUnbox.integer(value, codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try JSONUnbox.integer(value, codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try JSONUnbox.integer(value, codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try JSONUnbox.integer(value, codingPath) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        // Same decoder, same path: the value is decoded in place.
        do {
            return try T(from: self)
        } catch let error as DecodingError {
            throw JSONError(error, decoding: value, at: codingPath)
        }
    }
}
