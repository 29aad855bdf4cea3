import LiteJSON
import Testing

@Suite struct LargeDocumentTests {
    private struct Entry: Codable, Equatable {
        var id: UInt64
        var name: String
        var tags: [String]
        var weight: Double?
        var nested: [String: [Int32]]
    }

    /// About 1 MB of entries with escapes, unicode and every kind of value.
    private static func entries(_ count: Int) -> [Entry] {
        var entries: [Entry] = []
        for index in 0..<count {
            let name = "entry \"\(index)\"\n\tü😀"
            let tags = ["t\(index % 7)", "/path/\(index)"]
            let weight: Double? = index % 3 == 0 ? nil : Double(index) / 8
            let nested: [String: [Int32]] = ["k\(index % 5)": [Int32(-index), Int32(index)], "z": []]
            entries.append(Entry(id: UInt64(index) * 1_000_000_007, name: name, tags: tags, weight: weight, nested: nested))
        }
        return entries
    }

    @Test func roundTripsALargeDocument() throws {
        let entries = Self.entries(5000)
        let compact = try LiteJSONEncoder().encode(entries)
        #expect(compact.count > 500_000)
        #expect(try LiteJSONDecoder().decode([Entry].self, from: compact) == entries)
        let pretty = try LiteJSONEncoder(pretty: true).encode(entries)
        let value = try JSONParser.parse(pretty)
        #expect(value.serialized() == compact)
        #expect(value[4999]?["name"]?.stringValue == "entry \"4999\"\n\tü😀")
    }

    /// A config-sized document (~20 KB) parses quickly even in debug builds; release builds take
    /// well under a millisecond (measured: ~0.08 ms for podman's 19 KB config.json).
    @Test func parsesAConfigSizedDocumentQuickly() throws {
        let bytes = try LiteJSONEncoder(pretty: true).encode(Self.entries(100))
        #expect(bytes.count > 20_000)
        let clock = ContinuousClock()
        var best = Duration.seconds(1)
        for _ in 0..<5 {
            let elapsed = clock.measure { _ = try? JSONParser.parse(bytes) }
            best = min(best, elapsed)
        }
        #expect(best < .milliseconds(20))
    }

    @Test func decodesADeepButAllowedDocument() throws {
        let depth = 500
        let text = String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
        var value = try JSONParser.parse(text)
        for _ in 0..<(depth - 1) { value = try #require(value[0]) }
        #expect(value == [1])
    }
}
