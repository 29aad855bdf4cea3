import Foundation
import ImageArchive
import ImageSpec
import ImageStore
import LayerArchive
import XCTest

final class ImportTests: XCTestCase {
    private var dir: TestDirectory!

    override func setUpWithError() throws {
        try requireRoot()
        dir = try TestDirectory()
    }

    override func tearDown() { dir?.remove() }

    func testImportMakesAOneLayerImage() throws {
        let store = try dir.store("store")
        try writeBytes(rootfsTar(), to: dir.file("rootfs.tar"))
        let image = try ImageImporter(store: store).importTarball(
            source: try FileByteSource(path: dir.file("rootfs.tar")), reference: try ImageReference(parsing: "berth-test"),
            changes: [#"CMD ["/bin/hello"]"#, "ENV A=b", "WORKDIR /etc"], message: "from a test")
        XCTAssertEqual(image.references.map(\.familiar), ["berth-test:latest"])
        XCTAssertEqual(image.diffIDs, [Digest.sha256(of: rootfsTar())], "the layer is stored uncompressed: blob digest = diff id")
        XCTAssertEqual(image.manifest.layers.map(\.digest), image.diffIDs)
        XCTAssertEqual(image.manifest.layers.first?.mediaType, MediaType.ociLayer)
        XCTAssertEqual(image.manifest.config.mediaType, MediaType.ociConfig)
        XCTAssertEqual(image.id, Digest.sha256(of: image.configBytes))
        XCTAssertEqual(image.config.architecture, Platform.host.architecture)
        XCTAssertEqual(image.config.os, "linux")
        XCTAssertEqual(image.config.history?.count, 1)
        XCTAssertEqual(image.config.history?.first?.createdBy, "import")
        XCTAssertEqual(image.config.history?.first?.comment, "from a test")
        XCTAssertEqual(image.config.history?.first?.created, image.config.created)
        XCTAssertTrue(image.config.created?.hasSuffix("Z") == true, image.config.created ?? "nil")
        XCTAssertEqual(image.config.config?.cmd, ["/bin/hello"])
        XCTAssertEqual(image.config.config?.env, ["A=b"])
        XCTAssertEqual(image.config.config?.workingDir, "/etc")

        let diff = store.layerDiffPath(diffID: image.diffIDs[0])
        XCTAssertEqual(try String(contentsOfFile: "\(diff)/etc/hostname", encoding: .utf8), "berth-test\n")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: "\(diff)/bin/hi"), "hello")
        XCTAssertEqual(try store.image("berth-test").id, image.id)
        XCTAssertEqual(try temporaries(of: store), [])
    }

    func testImportDecompressesGzipAndZstd() throws {
        let store = try dir.store("store")
        let gz = try ArchiveFixtures.gzip(rootfsTar())
        XCTAssertEqual(Array(gz.prefix(2)), [0x1f, 0x8b])
        let fromGzip = try ImageImporter(store: store).importTarball(source: BytesByteSource(gz), reference: nil)
        XCTAssertEqual(fromGzip.diffIDs, [Digest.sha256(of: rootfsTar())])
        XCTAssertEqual(fromGzip.references, [])
        if let zstd = which("zstd") {
            try writeBytes(rootfsTar(), to: dir.file("rootfs.tar"))
            XCTAssertEqual(try runProgram(zstd, ["-q", "-f", dir.file("rootfs.tar"), "-o", dir.file("rootfs.tar.zst")]).status, 0)
            let fromZstd = try ImageImporter(store: store).importTarball(
                source: try FileByteSource(path: dir.file("rootfs.tar.zst")), reference: try ImageReference(parsing: "z:1"))
            XCTAssertEqual(fromZstd.diffIDs, fromGzip.diffIDs)
        }
    }

    func testImportRejectsEmptyAndNonTarInput() throws {
        let store = try dir.store("store")
        let importer = ImageImporter(store: store)
        let empty = errorMessage { _ = try importer.importTarball(source: BytesByteSource([]), reference: nil) }
        XCTAssertTrue(empty.hasPrefix("import: "), empty)
        XCTAssertTrue(empty.contains("empty"), empty)
        let garbage = errorMessage {
            _ = try importer.importTarball(source: BytesByteSource(Array(repeating: 0x41, count: 3000)), reference: nil)
        }
        XCTAssertTrue(garbage.hasPrefix("import: "), garbage)
        let badChange = errorMessage {
            _ = try importer.importTarball(source: BytesByteSource(rootfsTar()), reference: nil, changes: ["RUN true"])
        }
        XCTAssertTrue(badChange.contains("unsupported instruction"), badChange)
        XCTAssertEqual(try store.images().count, 0)
        XCTAssertEqual(try temporaries(of: store), [])
    }
}
