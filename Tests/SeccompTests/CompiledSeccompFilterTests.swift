import Diagnostics
import Testing

@testable import Seccomp

@Suite struct CompiledSeccompFilterTests {
    @Test func encodingRoundTrips() throws {
        let filter = CompiledSeccompFilter(flags: 6, instructions: Array(0..<16))
        let encoded = filter.encoded
        #expect(encoded.prefix(4) == [6, 0, 0, 0])
        #expect(try CompiledSeccompFilter(encoded: encoded) == filter)
    }

    @Test(arguments: [[], [1, 2, 3], [0, 0, 0, 0, 1]] as [[UInt8]])
    func malformedIsRefused(_ bytes: [UInt8]) {
        #expect(throws: BerthError.self) { try CompiledSeccompFilter(encoded: bytes) }
    }
}
