import Diagnostics
import Foundation
import ImageSpec
import ImageStore
import XCTest
@testable import Registry

/// Puller and Pusher against a real docker-registry on 127.0.0.1, with a temporary ImageStore
/// (skipped without root or the registry).
final class PullPushIntegrationTests: XCTestCase {
    // Started once for the class in setUp() and stopped in tearDown(); XCTest runs a class's tests serially.
    nonisolated(unsafe) private static var registry: TestRegistry?
    nonisolated(unsafe) private static var skipReason: String?
    private var roots: [String] = []

    override class func setUp() {
        do {
            registry = try TestRegistry.start()
        } catch {
            skipReason = "\(error)"
        }
    }

    override class func tearDown() {
        registry?.stop()
        registry = nil
    }

    override func tearDownWithError() throws {
        for root in roots { try? FileManager.default.removeItem(atPath: root) }
    }

    private func registry() throws -> TestRegistry {
        guard let registry = Self.registry else { throw XCTSkip(Self.skipReason ?? "no registry") }
        return registry
    }

    private func newStore() throws -> ImageStore {
        let root = NSTemporaryDirectory() + "berth-store-\(UUID().uuidString)"
        roots.append(root)
        return try ImageStore(root: root)
    }

    private func reference(_ name: String) throws -> ImageReference {
        try ImageReference(parsing: "\(try registry().address)/\(name)")
    }

    private func pull(_ name: String, into store: ImageStore, platform: Platform = .host,
                      environment: [String: String] = [:]) async throws -> (PullResult, [PullEvent]) {
        let log = EventLog<PullEvent>()
        let puller = Puller(store: store, credentials: nil, environment: environment)
        let result = try await puller.pull(try reference(name), platform: platform) { log.append($0) }
        return (result, log.events)
    }

    // MARK: - Pull

    func testPullEveryFlavour() async throws {
        let store = try newStore()
        let address = try registry().address
        for name in ["busybox:latest", "busybox:v2s2", "busybox:multi", "busybox:index", "busybox:list-v2s2", "library/busybox:latest"] {
            let (result, events) = try await pull(name, into: store)
            let reference = try reference(name)
            XCTAssertTrue(result.image.references.contains(reference), name)
            XCTAssertTrue(result.image.repoDigests.contains("\(reference.repository)@\(result.digest)"), "\(name): \(result.image.repoDigests)")
            XCTAssertEqual(result.image.config.rootfs.diffIDs.count, result.image.manifest.layers.count)
            for (layer, diffID) in zip(result.image.manifest.layers, result.image.diffIDs) {
                XCTAssertTrue(store.hasBlob(layer.digest), name)
                XCTAssertTrue(store.hasLayer(diffID: diffID), name)
            }
            XCTAssertEqual(events.first, .resolving(reference))
            XCTAssertEqual(events.suffix(2), [.digest(result.digest), .status("Downloaded newer image for \(reference.familiar)")], name)
            if name.hasSuffix("index") || name.hasSuffix("list-v2s2") {
                XCTAssertNotEqual(result.digest, result.image.manifestDigest, "an index resolves to an entry")
            } else {
                XCTAssertEqual(result.digest, result.image.manifestDigest)
            }
        }
        // Again: nothing to fetch.
        let (again, events) = try await pull("busybox:multi", into: store)
        XCTAssertFalse(again.downloaded)
        XCTAssertEqual(events.last, .status("Image is up to date for \(address)/busybox:multi"))
        XCTAssertEqual(events.filter { if case .layer(_, .alreadyExists) = $0 { true } else { false } }.count, 4)

        // The multi image's layers: a whiteout and an opaque directory, as overlayfs wants them.
        let multi = try store.image("\(address)/busybox:multi")
        let whiteout = store.layerDiffPath(diffID: multi.diffIDs[2]) + "/bin/vi"
        var info = stat()
        XCTAssertEqual(lstat(whiteout, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFCHR)
        XCTAssertTrue(FileManager.default.fileExists(atPath: store.layerDiffPath(diffID: multi.diffIDs[3]) + "/opt/data/new.txt"))
    }

    func testPullErrors() async throws {
        let store = try newStore()
        let address = try registry().address
        do {
            _ = try await pull("busybox:nope", into: store)
            XCTFail("no error")
        } catch let error as BerthError {
            XCTAssertEqual(error.code, .notFound)
            XCTAssertEqual(error.message, "pull \(address)/busybox:nope: manifest unknown")
        }
        do {
            _ = try await pull("busybox:index", into: store, platform: Platform(os: "linux", architecture: "s390x"))
            XCTFail("no error")
        } catch let error as BerthError {
            XCTAssertEqual(error.message, "pull \(address)/busybox:index: no matching manifest for linux/s390x in the manifest list entries")
        }
        XCTAssertEqual(try store.images().count, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: store.tmpPath), [])
    }

    /// A missing unpacked layer is unpacked again from its stored blob; a missing blob is
    /// downloaded again though its layer is unpacked.
    func testPullCompletesWhatIsMissing() async throws {
        let store = try newStore()
        let (first, _) = try await pull("busybox:multi", into: store)
        let layers = first.image.manifest.layers
        try FileManager.default.removeItem(atPath: "\(store.layersPath)/\(first.image.diffIDs[1].hex)")
        try FileManager.default.removeItem(atPath: store.blobPath(layers[2].digest))
        let (second, events) = try await pull("busybox:multi", into: store)
        XCTAssertTrue(second.downloaded)
        XCTAssertTrue(events.contains(.layer(layers[1].digest, .extracting)))
        XCTAssertTrue(events.contains(.layer(layers[2].digest, .downloading(bytes: 0, total: layers[2].size))))
        XCTAssertTrue(events.contains(.layer(layers[0].digest, .alreadyExists)))
        XCTAssertTrue(store.hasLayer(diffID: first.image.diffIDs[1]))
        XCTAssertTrue(store.hasBlob(layers[2].digest))
    }

    // MARK: - Push

    func testPushMountsFromTheSourceRepositoryAndSkopeoReadsIt() async throws {
        let registry = try registry()
        let store = try newStore()
        let (pulled, _) = try await pull("busybox:multi", into: store)
        let target = try reference("pushed/multi:v1")
        let log = EventLog<PushEvent>()
        let digest = try await Pusher(store: store, credentials: nil, environment: [:]).push(pulled.image, to: target) { log.append($0) }
        XCTAssertEqual(digest, pulled.image.manifestDigest)
        let manifestSize = try store.readBlob(digest).count
        XCTAssertEqual(log.events.last, .pushed(tag: "v1", digest: digest, size: manifestSize))
        let mounted = log.events.filter { if case .blob(_, .mounted(from: "busybox")) = $0 { true } else { false } }
        XCTAssertEqual(mounted.count, 5, "\(log.events)")
        let inspected = try registry.skopeoInspect("pushed/multi:v1")
        XCTAssertEqual(inspected["Digest"] as? String, digest.string)
        XCTAssertEqual(inspected["Layers"] as? [String], pulled.image.manifest.layers.map(\.digest.string))
        XCTAssertTrue(try store.image(pulled.image.id.string).repoDigests.contains("\(target.repository)@\(digest)"))
        // Pushed again: every blob is there already.
        let again = EventLog<PushEvent>()
        _ = try await Pusher(store: store, credentials: nil, environment: [:]).push(pulled.image, to: target) { again.append($0) }
        XCTAssertEqual(again.events.filter { if case .blob(_, .alreadyExists) = $0 { true } else { false } }.count, 5)
    }

    func testChunkedPushOfAFreshImageReadsBack() async throws {
        let registry = try registry()
        let store = try newStore()
        let image = try LocalImage.make(in: store, fileSize: 300_000)
        let target = try reference("fresh/chunked:v1")
        let log = EventLog<PushEvent>()
        let pusher = Pusher(store: store, credentials: nil, environment: ["BERTH_PUSH_CHUNK_SIZE": "64k"])
        let digest = try await pusher.push(image, to: target) { log.append($0) }
        XCTAssertEqual(digest, image.manifestDigest)
        let progress = log.events.filter { if case .blob(_, .pushing) = $0 { true } else { false } }
        XCTAssertGreaterThan(progress.count, 4, "chunks")
        XCTAssertEqual(try registry.skopeoInspect("fresh/chunked:v1")["Digest"] as? String, digest.string)
        // Pulled back into another store: every digest checks out.
        let other = try newStore()
        let (back, _) = try await pull("fresh/chunked:v1", into: other)
        XCTAssertEqual(back.image.manifestDigest, digest)
        XCTAssertEqual(back.image.diffIDs, image.diffIDs)
    }

    /// A blob whose bytes do not match its digest (corrupted in the registry's storage) fails
    /// the pull and leaves nothing in the store.
    func testCorruptLayerIsRejectedAndNothingIsStored() async throws {
        let registry = try registry()
        let source = try newStore()
        let image = try LocalImage.make(in: source, fileSize: 50_000)
        _ = try await Pusher(store: source, credentials: nil, environment: [:]).push(image, to: try reference("corrupt/layer:v1"))
        let layer = image.manifest.layers[0]
        let path = registry.storagePath(ofBlob: layer.digest.hex)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count / 2] ^= 0xff
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let store = try newStore()
        do {
            _ = try await pull("corrupt/layer:v1", into: store)
            XCTFail("no error")
        } catch let error as BerthError {
            XCTAssertTrue(error.message.hasPrefix("pull \(registry.address)/corrupt/layer:v1: layer \(layer.digest)"), error.message)
            XCTAssertTrue(error.message.contains("mismatch"), error.message)
        }
        XCTAssertFalse(store.hasBlob(layer.digest))
        XCTAssertFalse(store.hasLayer(diffID: image.diffIDs[0]))
        XCTAssertEqual(try store.images().count, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: store.tmpPath), [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: store.layersPath), [])
    }
}

/// Events collected from any thread.
final class EventLog<Event: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [Event] = []

    func append(_ event: Event) { lock.withLock { collected.append(event) } }
    var events: [Event] { lock.withLock { collected } }
}

/// A one-layer image made on the spot (an uncompressed tar layer with random content), so
/// that its blobs are in no registry yet.
enum LocalImage {
    static func make(in store: ImageStore, fileSize: Int) throws -> StoredImage {
        let work = NSTemporaryDirectory() + "berth-image-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: "\(work)/rootfs", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let content = try XCTUnwrap(FileHandle(forReadingAtPath: "/dev/urandom")?.readData(ofLength: fileSize))
        try content.write(to: URL(fileURLWithPath: "\(work)/rootfs/data.bin"))
        let (status, output) = TestRegistry.run("/bin/tar", ["-C", "\(work)/rootfs", "--owner=0", "--group=0", "-cf", "\(work)/layer.tar", "."])
        XCTAssertEqual(status, 0, output)
        let layer = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(work)/layer.tar")))
        let layerDigest = try store.putBlob(layer)
        let config = Array("""
            {"architecture":"amd64","os":"linux","config":{"Cmd":["/data.bin"]},"rootfs":{"type":"layers","diff_ids":["\(layerDigest)"]}}
            """.utf8)
        let configDigest = try store.putBlob(config)
        let manifest = Array("""
            {"schemaVersion":2,"mediaType":"\(MediaType.ociManifest)","config":{"mediaType":"\(MediaType.ociConfig)","digest":"\(configDigest)","size":\(config.count)},"layers":[{"mediaType":"\(MediaType.ociLayer)","digest":"\(layerDigest)","size":\(layer.count)}]}
            """.utf8)
        let manifestDigest = try store.putBlob(manifest)
        return try store.addImage(manifestDigest: manifestDigest, reference: try ImageReference(parsing: "local/fresh:\(UUID().uuidString.prefix(8).lowercased())"))
    }
}
