/// Conversions from `JSONValue` to the primitive `Codable` types, with path-naming errors.
enum JSONUnbox {
    static func bool(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws(JSONError) -> Bool {
        guard case let .bool(bool) = value else { throw mismatch("a boolean", value, path()) }
        return bool
    }

    static func string(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws(JSONError) -> String {
        guard case let .string(string) = value else { throw mismatch("a string", value, path()) }
        return string
    }

    static func integer<T: FixedWidthInteger>(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws(JSONError) -> T {
        guard case let .number(text) = value else { throw mismatch("a number", value, path()) }
        let conversion = JSONNumber.integer(text, as: T.self)
        guard let result = conversion.value else {
            throw JSONError(path: JSONPath.render(path()), conversion.problem ?? "cannot decode \(text)")
        }
        return result
    }

    static func double(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws(JSONError) -> Double {
        guard case let .number(text) = value else { throw mismatch("a number", value, path()) }
        guard let double = JSONNumber.double(text) else {
            throw JSONError(path: JSONPath.render(path()), "\(text) is out of range for Double")
        }
        return double
    }

    static func float(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws(JSONError) -> Float {
        guard case let .number(text) = value else { throw mismatch("a number", value, path()) }
        guard let float = JSONNumber.float(text) else {
            throw JSONError(path: JSONPath.render(path()), "\(text) is out of range for Float")
        }
        return float
    }

    /// `expected a number, found a string`.
    static func mismatch(_ expected: String, _ found: JSONValue, _ path: [any CodingKey]) -> JSONError {
        JSONError(path: JSONPath.render(path), "expected \(expected), found \(found.kindDescription)")
    }

    /// The value as error messages quote it: short scalars verbatim, containers by kind.
    static func quote(_ value: JSONValue) -> String {
        switch value {
        case .array, .object:
            return value.kindDescription
        case let .string(string) where string.count > 64:
            return String(decoding: JSONValue.string(String(string.prefix(61)) + "...").serialized(), as: UTF8.self)
        default:
            return value.description
        }
    }
}

extension JSONError {
    /// Maps a stdlib `DecodingError` thrown while decoding `root` (found at `rootPath`) into the
    /// one-line form, quoting the offending value when it can be found under `root`.
    init(_ error: DecodingError, decoding root: JSONValue, at rootPath: [any CodingKey]) {
        switch error {
        case let .keyNotFound(key, context):
            self.init(path: JSONPath.render(context.codingPath + [key]), "missing")
        case let .valueNotFound(_, context):
            self.init(path: JSONPath.render(context.codingPath), "missing")
        case let .typeMismatch(type, context):
            let found = JSONError.locate(context.codingPath, under: root, at: rootPath)
            self.init(path: JSONPath.render(context.codingPath),
                      "expected \(type), found \(found?.kindDescription ?? "another type")")
        case let .dataCorrupted(context):
            if let found = JSONError.locate(context.codingPath, under: root, at: rootPath) {
                self.init(path: JSONPath.render(context.codingPath), "cannot decode \(JSONUnbox.quote(found))")
            } else {
                self.init(path: JSONPath.render(context.codingPath), JSONError.lowercasingFirst(context.debugDescription))
            }
        @unknown default:
            self.init(path: JSONPath.render(rootPath), "\(error)")
        }
    }

    /// The value at `path`, walking down from `root`, which sits at `rootPath`.
    private static func locate(_ path: [any CodingKey], under root: JSONValue, at rootPath: [any CodingKey]) -> JSONValue? {
        guard path.count >= rootPath.count else { return nil }
        var value = root
        for key in path[rootPath.count...] {
            if key is JSONIndexKey, let index = key.intValue {
                guard let element = value[index] else { return nil }
                value = element
            } else {
                guard let member = value[key.stringValue] else { return nil }
                value = member
            }
        }
        return value
    }

    private static func lowercasingFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }
}
