/// The unkeyed container over a JSON array.
struct JSONUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let decoder: JSONValueDecoder
    let elements: [JSONValue]
    private(set) var currentIndex = 0

    init(decoder: JSONValueDecoder, elements: [JSONValue]) {
        self.decoder = decoder
        self.elements = elements
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private var elementPath: [any CodingKey] { codingPath + [JSONIndexKey(index: currentIndex)] }

    private func current() throws(JSONError) -> JSONValue {
        guard !isAtEnd else {
            throw JSONError(path: JSONPath.render(elementPath), "missing (the array has \(elements.count) elements)")
        }
        return elements[currentIndex]
    }

    /// Converts the current element with `unbox` and moves on only when that succeeds.
    private mutating func next<T>(_ unbox: (JSONValue, @autoclosure () -> [any CodingKey]) throws(JSONError) -> T) throws(JSONError) -> T {
        let value = try unbox(try current(), elementPath)
        currentIndex += 1
        return value
    }

    mutating func decodeNil() throws -> Bool {
        guard try current().isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(JSONUnbox.bool) }
    mutating func decode(_ type: String.Type) throws -> String { try next(JSONUnbox.string) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(JSONUnbox.double) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next(JSONUnbox.float) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next(JSONUnbox.integer) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(JSONUnbox.integer) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(JSONUnbox.integer) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(JSONUnbox.integer) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(JSONUnbox.integer) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next(JSONUnbox.integer) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(JSONUnbox.integer) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(JSONUnbox.integer) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(JSONUnbox.integer) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(JSONUnbox.integer) }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let value = try decoder.decodeChild(T.self, from: current(), path: elementPath)
        currentIndex += 1
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        let container = try JSONValueDecoder(value: current(), codingPath: elementPath, userInfo: decoder.userInfo)
            .container(keyedBy: type)
        currentIndex += 1
        return container
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let container = try JSONValueDecoder(value: current(), codingPath: elementPath, userInfo: decoder.userInfo)
            .unkeyedContainer()
        currentIndex += 1
        return container
    }

    mutating func superDecoder() throws -> any Decoder {
        let decoder = try JSONValueDecoder(value: current(), codingPath: elementPath, userInfo: decoder.userInfo)
        currentIndex += 1
        return decoder
    }
}
