import Foundation
import ImageArchive
import ImageSpec
import ImageStore
import XCTest

/// The archives `make-test-images.sh` builds (skopeo docker-archives, an umoci OCI layout with a
/// whiteout, an opaque directory and an image index). `make clients` leaves them in
/// out/clients/images; BERTH_TEST_IMAGES points elsewhere.
final class ClientImagesTests: XCTestCase {
    private var images: String!
    private var dir: TestDirectory!

    override func setUpWithError() throws {
        try requireRoot()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        images = ProcessInfo.processInfo.environment["BERTH_TEST_IMAGES"] ?? root.appendingPathComponent("out/clients/images").path
        try XCTSkipUnless(FileManager.default.fileExists(atPath: "\(images!)/IMAGES.txt"),
                          "no test images in \(images!): run make-test-images.sh (make clients) first")
        dir = try TestDirectory()
    }

    override func tearDown() { dir?.remove() }

    func testLoadsTheDockerArchives() throws {
        let store = try dir.store("store")
        let latest = try ImageLoader(store: store).load(from: "\(images!)/busybox-docker.tar")
        XCTAssertEqual(latest.map(\.message), ["Loaded image: busybox:latest"])
        let image = try XCTUnwrap(latest.first?.image)
        XCTAssertEqual(image.config.config?.cmd, ["sh"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(store.layerDiffPath(diffID: image.diffIDs[0]))/bin/busybox"))

        let multi = try ImageLoader(store: store).load(from: "\(images!)/busybox-multi-docker.tar")
        XCTAssertEqual(multi.map(\.message), ["Loaded image: busybox:multi"])
        let layers = try XCTUnwrap(multi.first?.image.diffIDs)
        XCTAssertEqual(layers.count, 4)
        XCTAssertEqual(layers.first, image.diffIDs.first, "the shared base layer")
        var st = stat()
        XCTAssertEqual(lstat("\(store.layerDiffPath(diffID: layers[2]))/bin/vi", &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFCHR, "the whiteout of /bin/vi is an overlayfs whiteout")
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(store.layerDiffPath(diffID: layers[3]))/opt/data/new.txt"))
        XCTAssertEqual(try temporaries(of: store), [])
    }

    func testLoadsTheOCILayoutDirectory() throws {
        let store = try dir.store("store")
        let fromDocker = try ImageLoader(store: store).load(from: "\(images!)/busybox-docker.tar")
        let loaded = try ImageLoader(store: store).load(from: "\(images!)/oci")
        // latest, multi, and index (whose host entry is latest): bare ref.name tags, so by id.
        XCTAssertEqual(loaded.count, 2)
        XCTAssertEqual(loaded.map(\.reference), [nil, nil])
        XCTAssertTrue(loaded.contains { $0.image.id == fromDocker.first?.image.id }, "skopeo kept the config bytes")
        XCTAssertTrue(loaded.contains { $0.image.diffIDs.count == 4 })
        XCTAssertEqual(try store.images().count, 3, "busybox:latest (v2s2 manifest), its OCI manifest, multi")
    }
}
