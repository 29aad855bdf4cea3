import Diagnostics
import Foundation
import ImageArchive
import ImageSpec
import ImageStore
import LayerArchive
import LinuxSyscalls
import XCTest

/// `commit`: an upper directory (new file, whiteout, opaque directory) on an imported base image.
final class ContainerCommitterTests: XCTestCase {
    private var dir: TestDirectory!

    override func setUpWithError() throws {
        try requireRoot()
        dir = try TestDirectory()
    }

    override func tearDown() { dir?.remove() }

    /// The base: rootfsTar() (etc/hostname, etc/os-release, bin/hello, bin/hi, bin/hello2).
    private func baseImage(in store: ImageStore) throws -> StoredImage {
        try ImageImporter(store: store).importTarball(
            source: BytesByteSource(rootfsTar()), reference: try ImageReference(parsing: "base:1"),
            changes: [#"CMD ["/bin/hello"]"#], message: "base")
    }

    /// etc/motd is new, etc/os-release is deleted (a 0/0 device), bin/ is opaque with one new file.
    private func makeUpper() throws -> String {
        let upper = dir.file("upper")
        try FileManager.default.createDirectory(atPath: "\(upper)/etc", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(upper)/bin", withIntermediateDirectories: true)
        try writeBytes(Array("committed\n".utf8), to: "\(upper)/etc/motd")
        try writeBytes(Array("only\n".utf8), to: "\(upper)/bin/only")
        XCTAssertEqual(mknod("\(upper)/etc/os-release", S_IFCHR, 0), 0, "mknod: \(errno)")
        // trusted.overlay.opaque=y, set by the unpacker from a layer's `.wh..wh..opq`
        // (Glibc's module does not import setxattr).
        var opaque = TestTar()
        opaque.add("bin/", kind: .directory)
        opaque.add("bin/.wh..wh..opq")
        _ = try LayerUnpacker().unpack(BytesByteSource(opaque.archive), compression: LayerCompression.none, into: upper)
        return upper
    }

    private func layerEntries(_ store: ImageStore, _ digest: Digest) throws -> [String] {
        let reader = try TarReader(source: FileByteSource(fd: try store.openBlob(digest)))
        var paths: [String] = []
        while let entry = try reader.next() { paths.append(entry.path) }
        return paths
    }

    func testCommitAddsOneLayerWithWhiteoutsAndHistory() throws {
        let store = try dir.store("store")
        let base = try baseImage(in: store)
        var runConfig = base.config.config ?? ContainerConfig()
        runConfig.env = ["PATH=/bin"]
        let image = try ContainerCommitter(store: store).commit(
            upperDirectory: try makeUpper(), base: base, containerConfig: runConfig,
            reference: try ImageReference(parsing: "committed:2"), changes: ["ENV A=b", "WORKDIR /etc"],
            message: "a message", author: "Berth Tester <t@example.com>", createdBy: "/bin/hello")

        XCTAssertEqual(image.diffIDs.count, 2)
        XCTAssertEqual(image.diffIDs.first, base.diffIDs.first)
        let layer = try XCTUnwrap(image.diffIDs.last)
        XCTAssertEqual(image.manifest.layers.map(\.digest), image.diffIDs, "uncompressed: blob digest = diff id")
        XCTAssertEqual(image.manifest.layers.last?.mediaType, MediaType.ociLayer)
        XCTAssertEqual(try layerEntries(store, layer),
                       ["bin/", "bin/.wh..wh..opq", "bin/only", "etc/", "etc/motd", "etc/.wh.os-release"])
        XCTAssertTrue(store.hasLayer(diffID: layer), "the layer is unpacked at commit")

        let stored = try store.image("committed:2")
        XCTAssertEqual(stored.id, image.id)
        XCTAssertEqual(stored.config.author, "Berth Tester <t@example.com>")
        XCTAssertEqual(stored.config.config?.env, ["PATH=/bin", "A=b"])
        XCTAssertEqual(stored.config.config?.cmd, ["/bin/hello"])
        XCTAssertEqual(stored.config.config?.workingDir, "/etc")
        let history = try XCTUnwrap(stored.config.history)
        XCTAssertEqual(history.count, 2)
        XCTAssertEqual(history.first?.comment, "base")
        XCTAssertEqual(history.last?.comment, "a message")
        XCTAssertEqual(history.last?.author, "Berth Tester <t@example.com>")
        XCTAssertEqual(history.last?.createdBy, "/bin/hello")
        XCTAssertEqual(history.last?.created, stored.config.created)
        XCTAssertEqual(try store.image("base:1").id, base.id, "the base keeps its name")
        XCTAssertEqual(try temporaries(of: store), [])

        let target = dir.file("mnt")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        try store.mountRootfs(of: stored, target: target)
        defer { try? Mounts.unmount(target, detach: true) }
        XCTAssertEqual(try String(contentsOfFile: "\(target)/etc/motd", encoding: .utf8), "committed\n")
        XCTAssertEqual(try String(contentsOfFile: "\(target)/etc/hostname", encoding: .utf8), "berth-test\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(target)/etc/os-release"), "whited out")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: "\(target)/bin"), ["only"], "opaque")
    }

    func testEmptyUpperGivesAnEmptyLayerAndADanglingImage() throws {
        let store = try dir.store("store")
        let base = try baseImage(in: store)
        let upper = dir.file("empty")
        try FileManager.default.createDirectory(atPath: upper, withIntermediateDirectories: true)
        let image = try ContainerCommitter(store: store).commit(
            upperDirectory: upper, base: base, containerConfig: base.config.config ?? ContainerConfig(),
            reference: nil, changes: [], message: nil, author: nil, createdBy: "sh")
        XCTAssertEqual(image.references, [])
        XCTAssertEqual(image.diffIDs.last, Digest.sha256(of: [UInt8](repeating: 0, count: 1024)),
                       "docker's empty layer: two zero blocks")
        XCTAssertEqual(image.manifest.layers.last?.size, 1024)
        XCTAssertEqual(try store.image(image.id.string).id, image.id)
    }

    func testBadChangeOrDigestReferenceRecordsNothing() throws {
        let store = try dir.store("store")
        let base = try baseImage(in: store)
        let upper = dir.file("empty")
        try FileManager.default.createDirectory(atPath: upper, withIntermediateDirectories: true)
        let committer = ContainerCommitter(store: store)
        XCTAssertTrue(errorMessage {
            _ = try committer.commit(upperDirectory: upper, base: base, containerConfig: ContainerConfig(), reference: nil,
                                     changes: ["RUN rm -rf /"], message: nil, author: nil, createdBy: "sh")
        }.hasPrefix("commit: change \"RUN rm -rf /\": unsupported instruction"))
        XCTAssertTrue(errorMessage {
            _ = try committer.commit(upperDirectory: dir.file("missing"), base: base, containerConfig: ContainerConfig(),
                                     reference: nil, changes: [], message: nil, author: nil, createdBy: "sh")
        }.hasPrefix("commit: archive \(dir.file("missing"))"))
        XCTAssertEqual(try store.images().count, 1)
        XCTAssertEqual(try temporaries(of: store), [])
    }
}
