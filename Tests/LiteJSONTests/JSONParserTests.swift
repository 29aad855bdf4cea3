import LiteJSON
import Testing

@Suite struct JSONParserTests {
    /// Valid documents and their compact re-serialization.
    @Test(arguments: [
        ("null", "null"),
        (" true ", "true"),
        ("false", "false"),
        ("0", "0"),
        ("-0", "-0"),
        ("-12.5e+3", "-12.5e+3"),
        ("1E-7", "1E-7"),
        ("18446744073709551615", "18446744073709551615"),
        ("123456789012345678901234567890", "123456789012345678901234567890"),
        ("\"\"", "\"\""),
        ("\"h\\u00e9llo\"", "\"héllo\""),
        ("\"\\ud83d\\ude00\"", "\"😀\""),
        ("\"😀 ünïcödé\"", "\"😀 ünïcödé\""),
        ("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", "\"a\\\"b\\\\c/d\\u0008\\u000c\\n\\r\\t\""),
        ("\"\\u0000\"", "\"\\u0000\""),
        ("[]", "[]"),
        ("{}", "{}"),
        ("[1, [2, [3]], {\"a\": []}]", "[1,[2,[3]],{\"a\":[]}]"),
        ("{\"b\": 1, \"a\": 2, \"b\": 3}", "{\"b\":1,\"a\":2,\"b\":3}"),
        ("\r\n\t{ \"k\" :\n\"v\" }\n", "{\"k\":\"v\"}"),
    ])
    func parsesValidDocuments(input: String, compact: String) throws {
        let value = try JSONParser.parse(input)
        #expect(String(decoding: value.serialized(), as: UTF8.self) == compact)
    }

    /// Invalid documents and the exact error, with line and column.
    @Test(arguments: [
        ("", "invalid JSON at line 1, column 1: unexpected end of input, expected a value"),
        ("   ", "invalid JSON at line 1, column 4: unexpected end of input, expected a value"),
        ("[1,]", "invalid JSON at line 1, column 4: expected a value"),
        ("{\"a\": 1,}", "invalid JSON at line 1, column 9: expected '\"' to begin a member name"),
        ("{\n  \"a\": 1\n  \"b\": 2\n}", "invalid JSON at line 3, column 3: expected ',' or '}'"),
        ("[1 2]", "invalid JSON at line 1, column 4: expected ',' or ']'"),
        ("{\"a\" 1}", "invalid JSON at line 1, column 6: expected ':'"),
        ("{'a': 1}", "invalid JSON at line 1, column 2: expected '\"' to begin a member name"),
        ("[01]", "invalid JSON at line 1, column 3: invalid number: leading zeros are not allowed"),
        ("-", "invalid JSON at line 1, column 2: invalid number: expected a digit"),
        ("1.", "invalid JSON at line 1, column 3: invalid number: expected a digit after '.'"),
        ("1e", "invalid JSON at line 1, column 3: invalid number: expected a digit in the exponent"),
        (".5", "invalid JSON at line 1, column 1: expected a value"),
        ("+1", "invalid JSON at line 1, column 1: expected a value"),
        ("NaN", "invalid JSON at line 1, column 1: expected a value"),
        ("tru", "invalid JSON at line 1, column 1: expected a value"),
        ("nul", "invalid JSON at line 1, column 1: expected a value"),
        ("true false", "invalid JSON at line 1, column 6: unexpected data after the JSON value"),
        ("\"abc", "invalid JSON at line 1, column 1: unterminated string"),
        ("\"a\tb\"", "invalid JSON at line 1, column 3: control character in string"),
        ("\"\\x\"", "invalid JSON at line 1, column 2: invalid escape '\\x'"),
        ("\"\\u12\"", "invalid JSON at line 1, column 4: invalid \\u escape: expected 4 hex digits"),
        ("\"\\ud83d\"", "invalid JSON at line 1, column 2: invalid \\u escape: lone surrogate"),
        ("\"\\ude00\"", "invalid JSON at line 1, column 2: invalid \\u escape: lone surrogate"),
        ("\"\\ud83d\\u0041\"", "invalid JSON at line 1, column 2: invalid \\u escape: lone surrogate"),
        ("// comment\n{}", "invalid JSON at line 1, column 1: expected a value"),
        ("[\"é\", x]", "invalid JSON at line 1, column 7: expected a value"),
        ("{\"a\": [1, 2", "invalid JSON at line 1, column 12: unexpected end of input, expected ',' or ']'"),
    ])
    func rejectsInvalidDocuments(input: String, message: String) {
        #expect(throws: JSONError(message)) { try JSONParser.parse(input) }
    }

    @Test func rejectsInvalidUTF8() {
        let bytes: [UInt8] = [UInt8(ascii: "\""), 0xC3, 0x28, UInt8(ascii: "\"")]
        #expect(throws: JSONError("invalid JSON at line 1, column 1: invalid UTF-8 in string")) {
            try JSONParser.parse(bytes)
        }
        let escaped: [UInt8] = Array("\"\\n".utf8) + [0xFF, UInt8(ascii: "\"")]
        #expect(throws: JSONError("invalid JSON at line 1, column 1: invalid UTF-8 in string")) {
            try JSONParser.parse(escaped)
        }
    }

    @Test func rejectsByteOrderMark() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("{}".utf8)
        #expect(throws: JSONError("invalid JSON at line 1, column 1: expected a value")) {
            try JSONParser.parse(bytes)
        }
    }

    @Test func limitsNestingDepth() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        _ = try JSONParser.parse(ok)
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(throws: JSONError("invalid JSON at line 1, column 513: nesting deeper than 512 levels")) {
            try JSONParser.parse(deep)
        }
        #expect(throws: JSONError("invalid JSON at line 1, column 3: nesting deeper than 2 levels")) {
            try JSONParser.parse("[[[]]]", maxDepth: 2)
        }
    }

    @Test func limitsSize() {
        #expect(throws: JSONError("invalid JSON: the document is 7 bytes, more than the limit of 4")) {
            try JSONParser.parse("[1,2,3]", maxSize: 4)
        }
    }

    @Test func keepsMemberOrderAndTakesTheLastDuplicate() throws {
        let value = try JSONParser.parse("{\"z\": 1, \"a\": 2, \"z\": 3}")
        #expect(value.objectValue?.map(\.0) == ["z", "a", "z"])
        #expect(value["z"] == 3)
        #expect(value["missing"] == nil)
    }

    @Test func accessors() throws {
        let value = try JSONParser.parse(#"{"s": "x", "n": -5, "u": 18446744073709551615, "d": 1.5, "b": true, "a": [null]}"#)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["n"]?.int64Value == -5)
        #expect(value["n"]?.uint64Value == nil)
        #expect(value["u"]?.uint64Value == UInt64.max)
        #expect(value["d"]?.doubleValue == 1.5)
        #expect(value["d"]?.int64Value == nil)
        #expect(value["b"]?.boolValue == true)
        #expect(value["a"]?[0]?.isNull == true)
        #expect(value["a"]?[1] == nil)
        #expect(value["a"]?.arrayValue?.count == 1)
    }
}
