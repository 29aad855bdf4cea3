import Diagnostics
import Foundation
import ImageSpec
import XCTest
@testable import Registry

/// RegistryClient against a real docker-registry on 127.0.0.1 (skipped without root or the registry).
final class RegistryClientIntegrationTests: XCTestCase {
    // Started once for the class in setUp() and stopped in tearDown(); XCTest runs a class's tests serially.
    nonisolated(unsafe) private static var registry: TestRegistry?
    nonisolated(unsafe) private static var skipReason: String?

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

    private func client(_ repository: String = "busybox", push: Bool = false) throws -> RegistryClient {
        guard let registry = Self.registry else { throw XCTSkip(Self.skipReason ?? "no registry") }
        return try RegistryClient(reference: try ImageReference(parsing: "\(registry.address)/\(repository)"),
                                  credentials: nil, push: push, environment: [:])
    }

    func testPingChoosesPlainHTTPForLoopback() async throws {
        let client = try client()
        let base = try await client.ping()
        XCTAssertEqual(base.absoluteString, "http://\(client.endpoint.host)/v2/")
    }

    func testManifestsOfEveryFlavour() async throws {
        let client = try client()
        let latest = try await client.manifest("latest")
        XCTAssertEqual(latest.mediaType, MediaType.ociManifest)
        XCTAssertEqual(latest.digest, Digest.sha256(of: latest.bytes))
        let byDigest = try await client.manifest(latest.digest.string)
        XCTAssertEqual(byDigest.bytes, latest.bytes)
        let expectations = ["v2s2": MediaType.dockerManifest, "multi": MediaType.ociManifest,
                            "index": MediaType.ociIndex, "list-v2s2": MediaType.dockerManifestList]
        for (tag, type) in expectations {
            let fetched = try await client.manifest(tag)
            XCTAssertEqual(fetched.mediaType, type, tag)
        }
        let twoPart = try await self.client("library/busybox").manifest("latest")
        XCTAssertEqual(twoPart.mediaType, MediaType.dockerManifest)
    }

    func testUnknownTagAndRepository() async throws {
        do {
            _ = try await client().manifest("nope")
            XCTFail("no error")
        } catch let error as BerthError {
            XCTAssertEqual(error.code, .notFound)
            XCTAssertEqual(error.message, "manifest unknown")
        }
        do {
            _ = try await client("no/such/repo").manifest("latest")
            XCTFail("no error")
        } catch let error as BerthError {
            XCTAssertEqual(error.code, .notFound, error.message)
        }
    }

    func testBlobsConfigAndHead() async throws {
        let client = try client()
        guard case .manifest(let manifest, _) = try await client.manifest("latest").parsed else { return XCTFail("not a manifest") }
        let config = try await client.blobBytes(manifest.config.digest)
        XCTAssertEqual(Digest.sha256(of: config), manifest.config.digest)
        let hasLayer = try await client.hasBlob(manifest.layers[0].digest)
        XCTAssertTrue(hasLayer)
        let hasOther = try await client.hasBlob(Digest.sha256(of: [1, 2, 3]))
        XCTAssertFalse(hasOther)
    }

    /// A blob larger than one range comes in several Range requests (206 in the registry's
    /// log), paced by a slow reader, and must still arrive whole and in order.
    func testRangedDownloadPacedBySlowReader() async throws {
        guard let registry = Self.registry else { throw XCTSkip(Self.skipReason ?? "no registry") }
        let client = try client("streams/big", push: true)
        let bytes = [UInt8](try XCTUnwrap(FileHandle(forReadingAtPath: "/dev/urandom")?.readData(ofLength: 20 << 20)))
        let digest = Digest.sha256(of: bytes)
        let directory = NSTemporaryDirectory() + "berth-stream-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await client.upload(digest, size: Int64(bytes.count), from: try LinuxSyscallsShim.temporaryFile(bytes, in: directory),
                                chunkSize: 3 << 20)

        let pipe = BlobPipe(lowWater: 1 << 20)
        let collected = try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
            group.addTask {
                try await BlockingThread.run("reader") {
                    var bytes: [UInt8] = []
                    while let chunk = try pipe.nextChunk() {
                        bytes.append(contentsOf: chunk)
                        usleep(20)
                    }
                    return bytes
                }
            }
            group.addTask {
                do {
                    try await client.blob(digest, size: Int64(bytes.count), into: pipe)
                    pipe.finish()
                } catch {
                    pipe.finish(error: error)
                    throw error
                }
                return nil
            }
            var result: [UInt8] = []
            for try await bytes in group { if let bytes { result = bytes } }
            return result
        }
        XCTAssertEqual(collected.count, bytes.count)
        XCTAssertTrue(collected == bytes)
        let log = (try? String(contentsOfFile: "\(registry.directory)/registry.log", encoding: .utf8)) ?? ""
        let resumed = log.split(separator: "\n").filter { $0.contains("blobs/\(digest.string)") && $0.contains("\" 206 ") }
        // The first range is 8 MiB of the 20 MiB blob, so at least two ranged requests; how many
        // more depends on how fast the reader drains the pipe (ranges grow while it keeps up).
        XCTAssertGreaterThanOrEqual(resumed.count, 2, "ranged requests")
    }

    func testMonolithicAndChunkedUploadsAndManifestPut() async throws {
        let client = try client("uploads/test", push: true)
        let directory = NSTemporaryDirectory() + "berth-upload-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (name, size, chunk) in [("small", 1000, 1 << 20), ("chunked", 300_000, 64 << 10)] {
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ name.count) }
            let path = "\(directory)/\(name)"
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
            let fd = try LinuxSyscallsShim.open(path)
            let digest = Digest.sha256(of: bytes)
            try await client.upload(digest, size: Int64(size), from: fd, chunkSize: chunk)
            let present = try await client.hasBlob(digest)
            XCTAssertTrue(present, name)
            let back = try await client.blobBytes(digest)
            XCTAssertEqual(back, bytes, name)
        }
        // A mount from a repository that has the blob, and from one that does not.
        let source = try await self.client().manifest("latest")
        guard case .manifest(let manifest, _) = source.parsed else { return XCTFail("not a manifest") }
        let mounted = try await client.mountBlob(manifest.layers[0].digest, from: "busybox")
        XCTAssertTrue(mounted)
        let config = try await self.client().blobBytes(manifest.config.digest)
        let notMounted = try await client.mountBlob(manifest.config.digest, from: "no/such")
        XCTAssertFalse(notMounted)
        try await client.upload(manifest.config.digest, size: Int64(config.count), from: try LinuxSyscallsShim.temporaryFile(config, in: directory))
        let digest = try await client.putManifest(source.bytes, mediaType: source.mediaType, reference: "v1")
        XCTAssertEqual(digest, source.digest)
        let readBack = try await client.manifest("v1")
        XCTAssertEqual(readBack.bytes, source.bytes)
    }
}
