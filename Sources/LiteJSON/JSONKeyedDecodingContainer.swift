/// The keyed container over a JSON object. Look-ups take the last member with the name
/// (Go's behaviour for repeated keys); unknown members are ignored.
struct JSONKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: JSONValueDecoder
    let members: [(String, JSONValue)]
    /// Name → position, built only for large objects (annotations, sysctls) where scanning
    /// for every key would be quadratic.
    let positions: [String: Int]?

    init(decoder: JSONValueDecoder, members: [(String, JSONValue)]) {
        self.decoder = decoder
        self.members = members
        if members.count > 16 {
            var positions = [String: Int](minimumCapacity: members.count)
            for (offset, member) in members.enumerated() { positions[member.0] = offset }
            self.positions = positions
        } else {
            self.positions = nil
        }
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { members.compactMap { Key(stringValue: $0.0) } }

    func contains(_ key: Key) -> Bool { lookup(key) != nil }

    private func lookup(_ key: Key) -> JSONValue? {
        let name = key.stringValue
        if let positions { return positions[name].map { members[$0].1 } }
        var offset = members.count
        while offset > 0 {
            offset -= 1
            if members[offset].0 == name { return members[offset].1 }
        }
        return nil
    }

    private func require(_ key: Key) throws(JSONError) -> JSONValue {
        guard let value = lookup(key) else { throw JSONError(path: path(key), "missing") }
        return value
    }

    /// The value for `key` unless it is missing or null.
    private func present(_ key: Key) -> JSONValue? {
        guard let value = lookup(key), !value.isNull else { return nil }
        return value
    }

    private func path(_ key: Key) -> String { JSONPath.render(codingPath + [key]) }
    private func keyPath(_ key: Key) -> [any CodingKey] { codingPath + [key] }

    // MARK: - Required values

    func decodeNil(forKey key: Key) throws -> Bool { try require(key).isNull }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try JSONUnbox.bool(require(key), keyPath(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try JSONUnbox.string(require(key), keyPath(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try JSONUnbox.double(require(key), keyPath(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try JSONUnbox.float(require(key), keyPath(key)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try JSONUnbox.integer(require(key), keyPath(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try JSONUnbox.integer(require(key), keyPath(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try JSONUnbox.integer(require(key), keyPath(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try JSONUnbox.integer(require(key), keyPath(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try JSONUnbox.integer(require(key), keyPath(key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try JSONUnbox.integer(require(key), keyPath(key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try JSONUnbox.integer(require(key), keyPath(key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try JSONUnbox.integer(require(key), keyPath(key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try JSONUnbox.integer(require(key), keyPath(key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try JSONUnbox.integer(require(key), keyPath(key)) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.decodeChild(T.self, from: require(key), path: keyPath(key))
    }

    // MARK: - Optional values: a missing member and `null` both give nil

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        try present(key).map { v throws in try JSONUnbox.bool(v, keyPath(key)) }
    }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        try present(key).map { v throws in try JSONUnbox.string(v, keyPath(key)) }
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        try present(key).map { v throws in try JSONUnbox.double(v, keyPath(key)) }
    }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? {
        try present(key).map { v throws in try JSONUnbox.float(v, keyPath(key)) }
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try integerIfPresent(key) }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = present(key) else { return nil }
        return try decoder.decodeChild(T.self, from: value, path: keyPath(key))
    }

    private func integerIfPresent<T: FixedWidthInteger>(_ key: Key) throws(JSONError) -> T? {
        guard let value = present(key) else { return nil }
        return try JSONUnbox.integer(value, keyPath(key)) as T
    }

    // MARK: - Nesting

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try JSONValueDecoder(value: require(key), codingPath: keyPath(key), userInfo: decoder.userInfo)
            .container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try JSONValueDecoder(value: require(key), codingPath: keyPath(key), userInfo: decoder.userInfo)
            .unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        let key = JSONStringKey("super")
        let value = members.last(where: { $0.0 == key.stringValue })?.1 ?? .null
        return JSONValueDecoder(value: value, codingPath: codingPath + [key], userInfo: decoder.userInfo)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        JSONValueDecoder(value: lookup(key) ?? .null, codingPath: keyPath(key), userInfo: decoder.userInfo)
    }
}
