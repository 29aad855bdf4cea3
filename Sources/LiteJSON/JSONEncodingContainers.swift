/// The keyed container writing into an object under construction.
struct JSONKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: JSONValueEncoder
    let object: JSONObjectBuilder

    var codingPath: [any CodingKey] { encoder.codingPath }

    private func put(_ key: Key, _ value: JSONValue) { object.members.append((key.stringValue, .value(value))) }
    private func keyPath(_ key: Key) -> [any CodingKey] { codingPath + [key] }

    mutating func encodeNil(forKey key: Key) { put(key, .null) }
    mutating func encode(_ value: Bool, forKey key: Key) { put(key, .bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) { put(key, .string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { put(key, try JSONBox.double(value, keyPath(key))) }
    mutating func encode(_ value: Float, forKey key: Key) throws { put(key, try JSONBox.double(Double(value), keyPath(key))) }
    mutating func encode(_ value: Int, forKey key: Key) { put(key, JSONBox.integer(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) { put(key, JSONBox.integer(value)) }
    mutating func encode(_ value: Int16, forKey key: Key) { put(key, JSONBox.integer(value)) }
    mutating func encode(_ value: Int32, forKey key: Key) { put(key, JSONBox.integer(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) { put(key, JSONBox.integer(value)) }
    mutating func encode(_ value: UInt, forKey key: Key) { put(key, JSONBox.integer(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) { put(key, JSONBox.integer(value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) { put(key, JSONBox.integer(value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) { put(key, JSONBox.integer(value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) { put(key, JSONBox.integer(value)) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        object.members.append((key.stringValue, try encoder.encodeChild(value, path: keyPath(key))))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let nested = JSONObjectBuilder()
        object.members.append((key.stringValue, .object(nested)))
        return KeyedEncodingContainer(
            JSONKeyedEncodingContainer<NestedKey>(encoder: encoder.child(keyPath(key)), object: nested))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = JSONArrayBuilder()
        object.members.append((key.stringValue, .array(nested)))
        return JSONUnkeyedEncodingContainer(encoder: encoder.child(keyPath(key)), array: nested)
    }

    mutating func superEncoder() -> any Encoder {
        let key = JSONStringKey("super")
        let child = encoder.child(codingPath + [key])
        object.members.append((key.stringValue, .encoder(child)))
        return child
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let child = encoder.child(keyPath(key))
        object.members.append((key.stringValue, .encoder(child)))
        return child
    }
}

/// The unkeyed container writing into an array under construction.
struct JSONUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let encoder: JSONValueEncoder
    let array: JSONArrayBuilder

    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { array.elements.count }

    private func put(_ value: JSONValue) { array.elements.append(.value(value)) }
    private var elementPath: [any CodingKey] { codingPath + [JSONIndexKey(index: count)] }

    mutating func encodeNil() { put(.null) }
    mutating func encode(_ value: Bool) { put(.bool(value)) }
    mutating func encode(_ value: String) { put(.string(value)) }
    mutating func encode(_ value: Double) throws { put(try JSONBox.double(value, elementPath)) }
    mutating func encode(_ value: Float) throws { put(try JSONBox.double(Double(value), elementPath)) }
    mutating func encode(_ value: Int) { put(JSONBox.integer(value)) }
    mutating func encode(_ value: Int8) { put(JSONBox.integer(value)) }
    mutating func encode(_ value: Int16) { put(JSONBox.integer(value)) }
    mutating func encode(_ value: Int32) { put(JSONBox.integer(value)) }
    mutating func encode(_ value: Int64) { put(JSONBox.integer(value)) }
    mutating func encode(_ value: UInt) { put(JSONBox.integer(value)) }
    mutating func encode(_ value: UInt8) { put(JSONBox.integer(value)) }
    mutating func encode(_ value: UInt16) { put(JSONBox.integer(value)) }
    mutating func encode(_ value: UInt32) { put(JSONBox.integer(value)) }
    mutating func encode(_ value: UInt64) { put(JSONBox.integer(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        array.elements.append(try encoder.encodeChild(value, path: elementPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let nested = JSONObjectBuilder()
        let path = elementPath
        array.elements.append(.object(nested))
        return KeyedEncodingContainer(JSONKeyedEncodingContainer<NestedKey>(encoder: encoder.child(path), object: nested))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = JSONArrayBuilder()
        let path = elementPath
        array.elements.append(.array(nested))
        return JSONUnkeyedEncodingContainer(encoder: encoder.child(path), array: nested)
    }

    mutating func superEncoder() -> any Encoder {
        let child = encoder.child(elementPath)
        array.elements.append(.encoder(child))
        return child
    }
}
