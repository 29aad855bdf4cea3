import LiteJSON
import Testing

private struct Config: Codable, Equatable {
    enum Kind: String, Codable { case pid, network, mount }
    struct Namespace: Codable, Equatable {
        var type: Kind
        var path: String?
    }
    struct User: Codable, Equatable {
        var uid: UInt32
        var gid: UInt32
        var additionalGids: [UInt32]?
    }
    struct Process: Codable, Equatable {
        var user: User
        var cwd: String
        var args: [String]?
        var terminal: Bool?
    }
    var ociVersion: String
    var process: Process?
    var namespaces: [Namespace]?
    var annotations: [String: String]?
    var ratio: Double?
    var small: Float?
}

private struct Numbers: Codable, Equatable {
    var i8: Int8 = 0, i16: Int16 = 0, i32: Int32 = 0, i64: Int64 = 0, i: Int = 0
    var u8: UInt8 = 0, u16: UInt16 = 0, u32: UInt32 = 0, u64: UInt64 = 0, u: UInt = 0
}

/// A type with a hand-written Codable using nested containers, super coders and unkeyed values.
private class Base: Codable {
    var id: Int
    init(id: Int) { self.id = id }
}

private final class Derived: Base {
    var name: String
    var pair: (Int, String)
    var meta: [String: Int]

    init(id: Int, name: String, pair: (Int, String), meta: [String: Int]) {
        self.name = name
        self.pair = pair
        self.meta = meta
        super.init(id: id)
    }

    enum CodingKeys: String, CodingKey { case name, pair, meta, inner }
    enum InnerKeys: String, CodingKey { case meta }

    required init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        var pairContainer = try container.nestedUnkeyedContainer(forKey: .pair)
        pair = (try pairContainer.decode(Int.self), try pairContainer.decode(String.self))
        let inner = try container.nestedContainer(keyedBy: InnerKeys.self, forKey: .inner)
        meta = try inner.decode([String: Int].self, forKey: .meta)
        try super.init(from: container.superDecoder())
    }

    override func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        var pairContainer = container.nestedUnkeyedContainer(forKey: .pair)
        try pairContainer.encode(pair.0)
        try pairContainer.encode(pair.1)
        var inner = container.nestedContainer(keyedBy: InnerKeys.self, forKey: .inner)
        try inner.encode(meta, forKey: .meta)
        try super.encode(to: container.superEncoder())
    }
}

@Suite struct CodableTests {
    private let decoder = LiteJSONDecoder()
    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    private let sample = Config(
        ociVersion: "1.2.0",
        process: .init(user: .init(uid: 1000, gid: 1000, additionalGids: [5, 10]), cwd: "/", args: ["sh", "-c", "echo \"hi\""],
                       terminal: true),
        namespaces: [.init(type: .pid), .init(type: .network, path: "/proc/1/ns/net")],
        annotations: ["z.last": "1", "a.first": "2", "m": ""],
        ratio: 0.25,
        small: 1.5)

    @Test func roundTripsAStruct() throws {
        let bytes = try LiteJSONEncoder().encode(sample)
        #expect(try decoder.decode(Config.self, from: bytes) == sample)
        let pretty = try LiteJSONEncoder(pretty: true).encode(sample)
        #expect(try decoder.decode(Config.self, from: pretty) == sample)
    }

    @Test func encodesInDeclarationOrderSortsDictionariesAndOmitsNil() throws {
        var value = sample
        value.process?.args = nil
        value.namespaces = [.init(type: .mount)]
        value.ratio = 3
        value.small = nil
        let json = text(try LiteJSONEncoder().encode(value))
        #expect(json == #"{"ociVersion":"1.2.0","process":{"user":{"uid":1000,"gid":1000,"additionalGids":[5,10]},"cwd":"/","terminal":true},"namespaces":[{"type":"mount"}],"annotations":{"a.first":"2","m":"","z.last":"1"},"ratio":3}"#)
    }

    @Test func missingAndNullOptionalsDecodeAsNil() throws {
        let a = try decoder.decode(Config.self, from: #"{"ociVersion": "1", "process": null, "extra": {"ignored": [1]}}"#)
        #expect(a.process == nil && a.namespaces == nil && a.annotations == nil)
    }

    @Test func decodesPrimitivesAtTheTopLevel() throws {
        #expect(try decoder.decode(Int.self, from: "42") == 42)
        #expect(try decoder.decode(String.self, from: #""x""#) == "x")
        #expect(try decoder.decode([UInt8].self, from: "[1, 2]") == [1, 2])
        #expect(try decoder.decode([String: [Bool]].self, from: #"{"a": [true]}"#) == ["a": [true]])
        #expect(try decoder.decode(Int?.self, from: "null") == nil)
        #expect(try decoder.decode([Int?].self, from: "[1, null]") == [1, nil])
        #expect(try decoder.decode(Double.self, from: "-1.5e3") == -1500)
        #expect(text(try LiteJSONEncoder().encode([1.5, 2, -0.0, 1e300])) == "[1.5,2,0,1e+300]")
    }

    @Test func handWrittenCodableWithNestedAndSuperCoders() throws {
        let json = #"{"name": "n", "pair": [7, "seven"], "inner": {"meta": {"b": 2, "a": 1}}, "super": {"id": 9}}"#
        let value = try decoder.decode(Derived.self, from: json)
        #expect(value.id == 9 && value.name == "n" && value.pair == (7, "seven") && value.meta == ["a": 1, "b": 2])
        let encoded = text(try LiteJSONEncoder().encode(value))
        #expect(encoded == #"{"name":"n","pair":[7,"seven"],"inner":{"meta":{"a":1,"b":2}},"super":{"id":9}}"#)
    }

    // MARK: - Integer ranges

    @Test(arguments: [
        (#"{"u64": 18446744073709551615}"#, nil),
        (#"{"i64": -9223372036854775808}"#, nil),
        (#"{"i64": 9223372036854775807}"#, nil),
        (#"{"u8": 255, "i8": -128, "u16": 65535, "i16": -32768, "u32": 4294967295, "i32": -2147483648}"#, nil),
        (#"{"u64": 18446744073709551616}"#, "u64: 18446744073709551616 is out of range for UInt64"),
        (#"{"i64": 9223372036854775808}"#, "i64: 9223372036854775808 is out of range for Int64"),
        (#"{"i64": -9223372036854775809}"#, "i64: -9223372036854775809 is out of range for Int64"),
        (#"{"u32": -1}"#, "u32: -1 is out of range for UInt32"),
        (#"{"u32": 4294967296}"#, "u32: 4294967296 is out of range for UInt32"),
        (#"{"i8": 128}"#, "i8: 128 is out of range for Int8"),
        (#"{"u8": 256}"#, "u8: 256 is out of range for UInt8"),
        (#"{"i16": -32769}"#, "i16: -32769 is out of range for Int16"),
        (#"{"u": -1}"#, "u: -1 is out of range for UInt"),
        (#"{"i": 1.5}"#, "i: 1.5 is not an integer"),
        (#"{"i": 1e3}"#, "i: 1e3 is not an integer"),
        (#"{"i": 1.0}"#, "i: 1.0 is not an integer"),
        (#"{"i": "1"}"#, "i: expected a number, found a string"),
        (#"{"u": true}"#, "u: expected a number, found a boolean"),
    ] as [(String, String?)])
    func checksIntegerRanges(json: String, error: String?) throws {
        // Later members win, so `json` overrides the zero defaults.
        let merged = #"{"i8": 0, "i16": 0, "i32": 0, "i64": 0, "i": 0, "u8": 0, "u16": 0, "u32": 0, "u64": 0, "u": 0, "#
            + json.dropFirst()
        if let error {
            #expect(throws: JSONError(path: String(error.prefix { $0 != ":" }),
                                      String(error.drop { $0 != ":" }.dropFirst(2)))) {
                try decoder.decode(Numbers.self, from: merged)
            }
        } else {
            let value = try decoder.decode(Numbers.self, from: merged)
            #expect(try decoder.decode(Numbers.self, from: LiteJSONEncoder().encode(value)) == value)
        }
    }

    @Test func negativeZeroFitsUnsigned() throws {
        #expect(try decoder.decode(UInt32.self, from: "-0") == 0)
    }

    @Test func floatRangeIsChecked() {
        #expect(throws: JSONError(path: "small", "1e39 is out of range for Float")) {
            try decoder.decode(Config.self, from: #"{"ociVersion": "1", "small": 1e39}"#)
        }
    }

    // MARK: - Error paths

    @Test(arguments: [
        (#"{"namespaces": []}"#, "ociVersion: missing"),
        (#"{"ociVersion": 1}"#, "ociVersion: expected a string, found a number"),
        (#"{"ociVersion": "1", "process": {"user": {"uid": 0, "gid": 0}}}"#, "process.cwd: missing"),
        (#"{"ociVersion": "1", "process": {"cwd": "/", "user": {"uid": "0", "gid": 0}}}"#,
         "process.user.uid: expected a number, found a string"),
        (#"{"ociVersion": "1", "process": {"cwd": "/", "user": {"uid": 0, "gid": 0, "additionalGids": [1, -2]}}}"#,
         "process.user.additionalGids[1]: -2 is out of range for UInt32"),
        (#"{"ociVersion": "1", "namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "foo"}]}"#,
         #"namespaces[2].type: cannot decode "foo""#),
        (#"{"ociVersion": "1", "namespaces": [{"type": 7}]}"#, "namespaces[0].type: expected a string, found a number"),
        (#"{"ociVersion": "1", "namespaces": {"type": "pid"}}"#, "namespaces: expected an array, found an object"),
        (#"{"ociVersion": "1", "namespaces": [{"type": "pid"}, "x"]}"#, "namespaces[1]: expected an object, found a string"),
        (#"{"ociVersion": "1", "annotations": {"io.x/y": 5}}"#, #"annotations["io.x/y"]: expected a string, found a number"#),
        (#"{"ociVersion": "1", "process": {"cwd": "/", "user": {"uid": 0, "gid": 0}, "terminal": "yes"}}"#,
         "process.terminal: expected a boolean, found a string"),
        ("[]", "expected an object, found an array"),
        ("{\"ociVersion\": \"1\",}", "invalid JSON at line 1, column 20: expected '\"' to begin a member name"),
    ])
    func reportsTheJSONPath(json: String, message: String) {
        do {
            _ = try decoder.decode(Config.self, from: json)
            Issue.record("decoded \(json)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func mapsStdlibDecodingErrorsFromCustomCode() {
        struct Strict: Decodable {
            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                let text = try container.decode(String.self)
                guard text.hasPrefix("/") else {
                    throw DecodingError.dataCorruptedError(in: container, debugDescription: "Not an absolute path")
                }
            }
        }
        struct Holder: Decodable { var paths: [String: Strict] }
        #expect(throws: JSONError(path: "paths.a", #"cannot decode "rel""#)) {
            try decoder.decode(Holder.self, from: #"{"paths": {"a": "rel"}}"#)
        }
    }

    @Test func encodingANonFiniteNumberNamesThePath() {
        #expect(throws: JSONError(path: "ratio", "cannot encode inf: JSON has no such number")) {
            try LiteJSONEncoder().encode(Config(ociVersion: "1", ratio: .infinity))
        }
    }
}
