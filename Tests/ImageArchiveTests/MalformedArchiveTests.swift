import Foundation
import ImageArchive
import ImageSpec
import ImageStore
import XCTest

/// Bad archives: a clear lower-case error, nothing recorded, nothing stored, no temporary files.
final class MalformedArchiveTests: XCTestCase {
    private var dir: TestDirectory!

    override func setUpWithError() throws {
        try requireRoot()
        dir = try TestDirectory()
    }

    override func tearDown() { dir?.remove() }

    private func assertRejected(_ tar: TestTar, _ expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try writeBytes(tar.archive, to: dir.file("bad.tar"))
        try assertRejected(path: dir.file("bad.tar"), expected, file: file, line: line)
    }

    private func assertRejected(path: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let store = try dir.store("store-\(UInt32.random(in: 0...UInt32.max))")
        let message = errorMessage({ _ = try ImageLoader(store: store).load(from: path) }, file: file, line: line)
        XCTAssertTrue(message.hasPrefix("load \(path): "), message, file: file, line: line)
        XCTAssertTrue(message.contains(expected), "\(message.debugDescription) does not mention \(expected.debugDescription)", file: file, line: line)
        let reason = message.dropFirst("load \(path): ".count)
        XCTAssertEqual(reason.first.map { $0.isLowercase }, true, "error messages start in lower case", file: file, line: line)
        XCTAssertEqual(try store.images().count, 0, file: file, line: line)
        XCTAssertEqual(try blobs(of: store), [], "nothing is stored", file: file, line: line)
        XCTAssertEqual(try temporaries(of: store), [], "no temporary file is left", file: file, line: line)
    }

    func testAValidFixtureLoads() throws {
        try writeBytes(try ArchiveFixtures.dockerArchive().archive, to: dir.file("good.tar"))
        let loaded = try ImageLoader(store: try dir.store("store")).load(from: dir.file("good.tar"))
        XCTAssertEqual(loaded.map(\.message), ["Loaded image: fixture:1"])
    }

    func testNotAnImageArchive() throws {
        var tar = TestTar()
        tar.add("hello.txt", text: "hi\n")
        try assertRejected(tar, "not a docker or oci archive")
        try writeBytes(Array(repeating: 0x41, count: 5000), to: dir.file("garbage"))
        try assertRejected(path: dir.file("garbage"), "read tar")
        try assertRejected(path: dir.file("missing.tar"), "no such file")
        try assertRejected(TestTar(), "holds no files")
    }

    func testMembersOutsideTheArchive() throws {
        var parent = try ArchiveFixtures.dockerArchive()
        parent.add("../x", text: "escape")
        try assertRejected(parent, "leaves the archive")
        var absolute = try ArchiveFixtures.dockerArchive()
        absolute.add("/etc/x", text: "escape")
        try assertRejected(absolute, "absolute path")
        var link = try ArchiveFixtures.dockerArchive()
        link.add("a/layer.tar", kind: .symlink, link: "../../etc/passwd")
        try assertRejected(link, "leaves the archive")
        var fifo = try ArchiveFixtures.dockerArchive()
        fifo.add("pipe", kind: .fifo)
        try assertRejected(fifo, "unsupported member type")
        var twice = try ArchiveFixtures.dockerArchive()
        twice.add("manifest.json", text: "[]")
        try assertRejected(twice, "appears twice")
    }

    func testManifestJSONProblems() throws {
        var invalid = TestTar()
        invalid.add("manifest.json", text: "[{")
        try assertRejected(invalid, "manifest.json")
        var empty = TestTar()
        empty.add("manifest.json", text: "[]")
        try assertRejected(empty, "lists no images")
        var huge = TestTar()
        huge.add("manifest.json", Array(repeating: 0x20, count: (4 << 20) + 1))
        try assertRejected(huge, "limit")
        let layer = ArchiveFixtures.layer()
        try assertRejected(try ArchiveFixtures.dockerArchive(layers: [layer], layerNames: ["missing/layer.tar"]).dropping("missing/layer.tar"),
                           "layer missing/layer.tar is missing")
        try assertRejected(try ArchiveFixtures.dockerArchive(repoTags: ["Not A Reference"]), "invalid reference format")
    }

    func testConfigDigestMismatch() throws {
        let layer = ArchiveFixtures.layer()
        let config = try ArchiveFixtures.config(diffIDs: [Digest.sha256(of: layer)])
        let wrong = Digest.sha256(of: Array("something else".utf8))
        try assertRejected(try ArchiveFixtures.dockerArchive(layers: [layer], configBytes: config, configName: "blobs/sha256/\(wrong.hex)"),
                           "digest mismatch")
        try assertRejected(try ArchiveFixtures.dockerArchive(layers: [layer], configBytes: config, configName: "\(wrong.hex).json"),
                           "digest mismatch")
        try assertRejected(try ArchiveFixtures.dockerArchive(layers: [layer], configBytes: Array("{not json".utf8)),
                           "not a valid image config")
    }

    func testLayerDoesNotMatchItsDiffID() throws {
        let layer = ArchiveFixtures.layer()
        let config = try ArchiveFixtures.config(diffIDs: [Digest.sha256(of: ArchiveFixtures.layer(text: "other\n"))])
        try assertRejected(try ArchiveFixtures.dockerArchive(layers: [layer], configBytes: config), "digest mismatch")
        let two = try ArchiveFixtures.config(diffIDs: [Digest.sha256(of: layer), Digest.sha256(of: layer)])
        try assertRejected(try ArchiveFixtures.dockerArchive(layers: [layer], configBytes: two), "2 diff ids for 1 layers")
    }

    func testLegacyLinkedLayersLoad() throws {
        // Older docker saves: <id>/layer.tar, identical layers linked to the first copy.
        let layer = ArchiveFixtures.layer()
        let config = try ArchiveFixtures.config(diffIDs: [Digest.sha256(of: layer), Digest.sha256(of: layer), Digest.sha256(of: layer)])
        var tar = TestTar()
        let configName = "\(Digest.sha256(of: config).hex).json"
        tar.add("manifest.json", try jsonBytes([["Config": configName, "RepoTags": ["legacy:1"],
                                                 "Layers": ["aaa/layer.tar", "bbb/layer.tar", "ccc/layer.tar"]]]))
        tar.add(configName, config)
        tar.add("aaa/", kind: .directory)
        tar.add("aaa/layer.tar", layer)
        tar.add("bbb/layer.tar", kind: .symlink, link: "../aaa/layer.tar")
        tar.add("ccc/layer.tar", kind: .hardlink, link: "aaa/layer.tar")
        try tar.write(to: dir.file("legacy.tar"))
        let store = try dir.store("store")
        let loaded = try ImageLoader(store: store).load(from: dir.file("legacy.tar"))
        XCTAssertEqual(loaded.map(\.message), ["Loaded image: legacy:1"])
        XCTAssertEqual(loaded.first?.image.manifest.layers.count, 3)
        XCTAssertEqual(try blobs(of: store).count, 3, "one layer blob, the config and the manifest")
    }

    func testOCILayoutProblems() throws {
        let layer = ArchiveFixtures.layer()
        let good = try ArchiveFixtures.ociLayout(layerBlobs: [layer], diffIDs: [Digest.sha256(of: layer)])
        func tar(_ files: [(String, [UInt8])]) -> TestTar {
            var tar = TestTar()
            for (name, bytes) in files { tar.add(name, bytes) }
            return tar
        }
        let layerName = "blobs/sha256/\(Digest.sha256(of: layer).hex)"
        try assertRejected(tar(good.files.filter { $0.0 != layerName }), "blob \(Digest.sha256(of: layer)) is missing")
        try assertRejected(tar(good.files.map { $0.0 == layerName ? ($0.0, ArchiveFixtures.layer(text: "changed\n")) : $0 }),
                           "digest mismatch")
        try assertRejected(tar(good.files.map { $0.0 == "index.json" ? ($0.0, Array("{".utf8)) : $0 }), "index.json")
        try assertRejected(tar(good.files.filter { $0.0 != "oci-layout" }), "oci-layout is missing")
        let wrongDiff = try ArchiveFixtures.ociLayout(layerBlobs: [layer], diffIDs: [Digest.sha256(of: [1, 2, 3])])
        try assertRejected(tar(wrongDiff.files), "the config's diff id is")
        let gzipped = try ArchiveFixtures.gzip(layer)
        let wrongGzipDiff = try ArchiveFixtures.ociLayout(layerBlobs: [gzipped], diffIDs: [Digest.sha256(of: [1, 2, 3])],
                                                          layerMediaType: MediaType.ociLayerGzip)
        try assertRejected(tar(wrongGzipDiff.files), "diff id mismatch")
    }
}

extension TestTar {
    /// The same archive without the member `name` (rebuilt: the fixture helpers add members in order).
    func dropping(_ name: String) throws -> TestTar {
        var copy = TestTar()
        var offset = 0
        let all = bytes
        while offset + 512 <= all.count {
            let header = Array(all[offset..<(offset + 512)])
            let memberName = String(decoding: header[0..<100].prefix { $0 != 0 }, as: UTF8.self)
            let sizeText = String(decoding: header[124..<135], as: UTF8.self)
            let size = Int(sizeText, radix: 8) ?? 0
            let dataEnd = offset + 512 + (size + 511) / 512 * 512
            if memberName != name { copy.append(raw: Array(all[offset..<dataEnd])) }
            offset = dataEnd
        }
        return copy
    }
}
