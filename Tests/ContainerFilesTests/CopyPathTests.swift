import Testing

@testable import ContainerFiles

struct CopyPathTests {
    @Test(arguments: [
        ("/etc/hosts", ["etc", "hosts"], false, false),
        ("etc//hosts", ["etc", "hosts"], false, false),
        ("/etc/", ["etc"], true, false),
        ("/etc/.", ["etc"], true, true),
        ("/", [], true, true),
        ("/a/../../b/./c", ["b", "c"], false, false),
        ("../../..", [], true, true),
    ])
    func folding(path: String, components: [String], trailingSlash: Bool, contentsOnly: Bool) {
        let parsed = CopyPath(path)
        #expect(parsed.components == components)
        #expect(parsed.trailingSlash == trailingSlash)
        #expect(parsed.contentsOnly == contentsOnly)
    }

    @Test func archiveEntryPaths() {
        #expect(ArchiveExtractor.components(of: "./a//b/") == ["a", "b"])
        #expect(ArchiveExtractor.components(of: "./") == [])
        #expect(ArchiveExtractor.components(of: "a/../../x") == nil)
        #expect(ArchiveExtractor.components(of: "/abs/path") == ["abs", "path"])
    }
}
