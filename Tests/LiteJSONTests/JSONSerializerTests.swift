import LiteJSON
import Testing

@Suite struct JSONSerializerTests {
    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func escapesControlCharactersQuotesAndBackslashes() {
        let value: JSONValue = .string("a\"b\\c\n\r\t\u{01}\u{1f}é/<>")
        #expect(text(value.serialized()) == #""a\"b\\c\n\r\t\u0001\u001fé/<>""#)
    }

    @Test func printsNumbersFromTheirText() {
        let value: JSONValue = .array([.number("1.50"), .number("-0"), .number("1e400"), .number("18446744073709551616")])
        #expect(text(value.serialized()) == "[1.50,-0,1e400,18446744073709551616]")
    }

    @Test func prettyPrintsLikeGoMarshalIndent() {
        let value: JSONValue = ["a": [1, 2], "b": [:], "c": [], "d": ["e": nil]]
        let expected = """
            {
              "a": [
                1,
                2
              ],
              "b": {},
              "c": [],
              "d": {
                "e": null
              }
            }
            """
        #expect(text(value.serialized(pretty: true)) == expected)
        #expect(text(value.serialized(pretty: true, indent: "\t")) == expected.replacingTwoSpaces())
    }

    @Test func sortsKeysByBytesWhenAsked() {
        let value: JSONValue = ["b": 1, "B": 2, "a": ["z": 1, "y": 2], "é": 3]
        #expect(text(value.serialized(sortedKeys: true)) == #"{"B":2,"a":{"y":2,"z":1},"b":1,"é":3}"#)
        #expect(text(value.serialized()) == #"{"b":1,"B":2,"a":{"z":1,"y":2},"é":3}"#)
    }

    @Test(arguments: [
        #"{"a":[1,2.5,-3e10,true,false,null,"x\u0001"],"b":{"c":{}},"d":[]}"#,
        #"[[[[]]],{"":""},"\\\"",0]"#,
        #""😀""#,
    ])
    func roundTripsCompactText(input: String) throws {
        let value = try JSONParser.parse(input)
        #expect(text(value.serialized()) == input)
        #expect(try JSONParser.parse(value.serialized(pretty: true)) == value)
    }
}

extension String {
    /// Turns each leading two-space indent into a tab.
    fileprivate func replacingTwoSpaces() -> String {
        var lines: [String] = []
        for line in self.split(separator: "\n", omittingEmptySubsequences: false) {
            let spaces = line.prefix { $0 == " " }.count
            lines.append(String(repeating: "\t", count: spaces / 2) + line.dropFirst(spaces))
        }
        return lines.joined(separator: "\n")
    }
}
