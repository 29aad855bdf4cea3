import Seccomp
import Testing

@testable import ContainerRuntime

@Suite struct SeccompCacheTests {
    let filter = CompiledSeccompFilter(flags: 2, instructions: Array(repeating: 7, count: 24))

    @Test func entryRoundTripsForTheSameProfile() {
        let key = Array("{\"defaultAction\":\"SCMP_ACT_ALLOW\"}".utf8)
        #expect(SeccompCache.decode(SeccompCache.encode(filter, key: key), key: key) == filter)
    }

    @Test func anotherProfileMisses() {
        let entry = SeccompCache.encode(filter, key: Array("a".utf8))
        #expect(SeccompCache.decode(entry, key: Array("b".utf8)) == nil)
        #expect(SeccompCache.decode(Array(entry.prefix(5)), key: Array("a".utf8)) == nil)
    }

    @Test func hashIsStableHex() {
        #expect(SeccompCache.hexHash([]) == "cbf29ce484222325")
        #expect(SeccompCache.hexHash(Array("a".utf8)) == "af63dc4c8601ec8c")
    }
}
