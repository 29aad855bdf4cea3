import Diagnostics
import ImageSpec
import ImageStore
import LiteJSON
import LinuxSyscalls
import XCTest

#if canImport(Glibc)
import Glibc
#endif

final class ImageStoreTests: XCTestCase {
    var root = ""

    override func setUpWithError() throws {
        var template = Array("/tmp/berth-store-test.XXXXXX".utf8CString)
        root = String(cString: mkdtemp(&template)!)
    }

    override func tearDownWithError() throws {
        try Files.removeTree(root)
    }

    /// Stores a layer-less image whose config says `label`, returns its manifest digest.
    func storeImage(_ store: ImageStore, label: String) throws -> (manifest: Digest, config: Digest) {
        let config = ImageConfiguration(architecture: "amd64", os: "linux", created: "2024-01-02T03:04:05Z",
                                        config: ContainerConfig(cmd: ["sh"], labels: ["l": label]),
                                        rootfs: .init(diffIDs: []))
        let configDigest = try store.putBlob(try LiteJSONEncoder().encode(config))
        let manifest = ImageManifest(config: Descriptor(mediaType: MediaType.ociConfig, digest: configDigest, size: 1), layers: [])
        return (try store.putBlob(try LiteJSONEncoder().encode(manifest)), configDigest)
    }

    func testBlobWriterVerifiesAndCommitsAtomically() throws {
        let store = try ImageStore(root: root)
        let content = Array("hello".utf8)
        let writer = try store.newBlobWriter()
        try writer.write(content)
        XCTAssertThrowsError(try writer.commit(expected: Digest.sha256(of: Array("other".utf8)))) { error in
            XCTAssertTrue("\(error)".contains("digest mismatch"), "\(error)")
        }
        XCTAssertEqual(try Files.list(store.blobsPath), [])
        XCTAssertEqual(try Files.list(store.tmpPath), [], "a rejected blob leaves no temporary file")

        let good = try store.newBlobWriter()
        try good.write(content)
        let digest = try good.commit(expected: Digest.sha256(of: content), expectedSize: 5)
        XCTAssertTrue(store.hasBlob(digest))
        XCTAssertEqual(try store.readBlob(digest), content)
    }

    func testTagsMoveAndImagesResolveByNameAndID() throws {
        let store = try ImageStore(root: root)
        let one = try storeImage(store, label: "one")
        let two = try storeImage(store, label: "two")
        let busybox = try ImageReference(parsing: "busybox")
        try store.addImage(manifestDigest: one.manifest, reference: busybox, repoDigest: "docker.io/library/busybox@\(one.manifest)")
        XCTAssertEqual(try store.image("busybox").id, one.config)
        XCTAssertEqual(try store.image("docker.io/library/busybox:latest").id, one.config)
        XCTAssertEqual(try store.image(String(one.config.hex.prefix(5))).id, one.config)
        XCTAssertEqual(try store.image("busybox@\(one.manifest)").id, one.config)

        // The tag moves to the second image; the first stays, untagged.
        try store.addImage(manifestDigest: two.manifest, reference: busybox)
        XCTAssertEqual(try store.image("busybox").id, two.config)
        let images = try store.images()
        XCTAssertEqual(images.count, 2)
        XCTAssertEqual(images.first { $0.id == one.config }?.references, [])

        try store.tag(try store.image("busybox"), as: try ImageReference(parsing: "127.0.0.1:5000/x:v1"))
        XCTAssertEqual(try store.image("127.0.0.1:5000/x:v1").id, two.config)
        let (_, orphaned) = try store.untag(busybox)
        XCTAssertFalse(orphaned, "still named 127.0.0.1:5000/x:v1")
        XCTAssertThrowsError(try store.image("busybox")) { error in
            XCTAssertEqual((error as? BerthError)?.code, .notFound)
            XCTAssertEqual((error as? BerthError)?.message, "no such image: busybox")
        }
    }

    func testGarbageCollectionKeepsReferencedBlobsOnly() throws {
        let store = try ImageStore(root: root)
        let kept = try storeImage(store, label: "kept")
        let dropped = try storeImage(store, label: "dropped")
        try store.addImage(manifestDigest: kept.manifest, reference: try ImageReference(parsing: "kept"))
        try store.addImage(manifestDigest: dropped.manifest, reference: try ImageReference(parsing: "dropped"))
        try store.removeImage(try store.image("dropped"))
        let report = try XCTUnwrap(try store.collectGarbage())
        XCTAssertEqual(report.blobs, 2)
        XCTAssertTrue(store.hasBlob(kept.manifest) && store.hasBlob(kept.config))
        XCTAssertFalse(store.hasBlob(dropped.manifest) || store.hasBlob(dropped.config))
    }

    func testStaleTemporariesAreRemovedWhenNoPullRuns() throws {
        let store = try ImageStore(root: root)
        try Files.makeDirectory("\(store.tmpPath)/layer-stale")
        _ = try ImageStore(root: root)
        XCTAssertEqual(try Files.list(store.tmpPath), [])
        try store.withPullLock {
            try Files.makeDirectory("\(store.tmpPath)/layer-busy")
            _ = try ImageStore(root: root)
            XCTAssertEqual(try Files.list(store.tmpPath), ["layer-busy"], "a running pull's files stay")
        }
    }
}
