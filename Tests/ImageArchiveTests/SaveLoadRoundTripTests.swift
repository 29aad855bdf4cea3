import Foundation
import ImageArchive
import ImageSpec
import ImageStore
import LayerArchive
import LinuxSyscalls
import XCTest

final class SaveLoadRoundTripTests: XCTestCase {
    private var dir: TestDirectory!

    override func setUpWithError() throws {
        try requireRoot()
        dir = try TestDirectory()
    }

    override func tearDown() { dir?.remove() }

    private func importedImage(_ store: ImageStore, name: String = "berth-test:latest", changes: [String] = []) throws -> StoredImage {
        try ImageImporter(store: store).importTarball(
            source: BytesByteSource(rootfsTar()), reference: try ImageReference(parsing: name), changes: changes, message: "test")
    }

    /// `tar -xOf ARCHIVE MEMBER`.
    private func member(_ archive: String, _ name: String) throws -> [UInt8] {
        let result = try runProgram(which("tar") ?? "/bin/tar", ["-xOf", archive, name])
        XCTAssertEqual(result.status, 0, result.error)
        return result.bytes
    }

    private func members(_ archive: String) throws -> [String] {
        try runProgram(which("tar") ?? "/bin/tar", ["-tf", archive]).output.split(separator: "\n").map(String.init)
    }

    func testDockerArchiveRoundTrip() throws {
        let source = try dir.store("a")
        let image = try importedImage(source, changes: ["ENV A=b"])
        let archive = dir.file("busybox.tar")
        try ImageSaver(store: source).save([(image, image.references)], format: .dockerArchive, to: archive)

        let manifest = try XCTUnwrap(try jsonObject(try member(archive, "manifest.json")) as? [[String: Any]])
        XCTAssertEqual(manifest.count, 1)
        XCTAssertEqual(manifest[0]["Config"] as? String, "blobs/sha256/\(image.id.hex)")
        XCTAssertEqual(manifest[0]["RepoTags"] as? [String], ["berth-test:latest"])
        XCTAssertEqual(manifest[0]["Layers"] as? [String], image.diffIDs.map { "blobs/sha256/\($0.hex)" })
        let repositories = try XCTUnwrap(try jsonObject(try member(archive, "repositories")) as? [String: [String: String]])
        XCTAssertEqual(repositories, ["berth-test": ["latest": image.diffIDs[0].hex]])
        XCTAssertEqual(try member(archive, "blobs/sha256/\(image.id.hex)"), image.configBytes)
        XCTAssertEqual(Digest.sha256(of: try member(archive, "blobs/sha256/\(image.diffIDs[0].hex)")), image.diffIDs[0])
        let permissions = try FileManager.default.attributesOfItem(atPath: archive)[.posixPermissions] as? Int
        XCTAssertEqual(permissions, 0o644)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".berth-") }, [])

        let target = try dir.store("b")
        let loaded = try ImageLoader(store: target).load(from: archive)
        XCTAssertEqual(loaded.map(\.message), ["Loaded image: berth-test:latest"])
        XCTAssertEqual(loaded.first?.image.id, image.id)
        XCTAssertEqual(loaded.first?.image.configBytes, image.configBytes)
        XCTAssertEqual(loaded.first?.image.manifest.layers.map(\.digest), image.diffIDs)
        XCTAssertEqual(try store(target, has: "etc/hostname", in: image), "berth-test\n")
        XCTAssertEqual(try temporaries(of: target), [])
        // Loading again changes nothing.
        let again = try ImageLoader(store: target).load(from: archive)
        XCTAssertEqual(again.first?.image.manifestDigest, loaded.first?.image.manifestDigest)
        XCTAssertEqual(try target.images().count, 1)
    }

    func testOCIArchiveRoundTripKeepsTheManifest() throws {
        let source = try dir.store("a")
        let image = try importedImage(source, name: "localhost:5000/app:v1")
        let archive = dir.file("app-oci.tar")
        try ImageSaver(store: source).save([(image, image.references)], format: .ociArchive, to: archive)

        let index = try XCTUnwrap(try jsonObject(try member(archive, "index.json")) as? [String: Any])
        let entry = try XCTUnwrap((index["manifests"] as? [[String: Any]])?.first)
        XCTAssertEqual(entry["digest"] as? String, image.manifestDigest.string)
        let annotations = entry["annotations"] as? [String: String]
        XCTAssertEqual(annotations?["org.opencontainers.image.ref.name"], "v1")
        XCTAssertEqual(annotations?["io.containerd.image.name"], "localhost:5000/app:v1")
        XCTAssertTrue(try members(archive).contains("oci-layout"))

        let target = try dir.store("b")
        let loaded = try ImageLoader(store: target).load(from: archive)
        XCTAssertEqual(loaded.map(\.message), ["Loaded image: localhost:5000/app:v1"])
        XCTAssertEqual(loaded.first?.image.id, image.id)
        XCTAssertEqual(loaded.first?.image.manifestDigest, image.manifestDigest)
        XCTAssertEqual(try store(target, has: "bin/hello", in: image), "#!/bin/sh\necho hello\n")
    }

    /// A gzip layer must be decompressed into the docker-archive, and its tar must hash to the diff id.
    func testDockerArchiveOfACompressedLayer() throws {
        let tar = rootfsTar()
        let layout = try ArchiveFixtures.ociLayout(layerBlobs: [try ArchiveFixtures.gzip(tar)], diffIDs: [Digest.sha256(of: tar)],
                                                   layerMediaType: MediaType.ociLayerGzip)
        try ArchiveFixtures.writeLayout(layout.files, to: dir.file("layout"))
        let source = try dir.store("a")
        let loaded = try ImageLoader(store: source).load(from: dir.file("layout"))
        XCTAssertEqual(loaded.map(\.message), ["Loaded image: localhost/fixture:oci"])
        let image = try XCTUnwrap(loaded.first?.image)
        XCTAssertEqual(image.manifestDigest, layout.manifest)
        XCTAssertEqual(image.manifest.layers.first?.mediaType, MediaType.ociLayerGzip)

        let archive = dir.file("out.tar")
        try ImageSaver(store: source).save([(image, image.references)], format: .dockerArchive, to: archive)
        XCTAssertEqual(try member(archive, "blobs/sha256/\(image.diffIDs[0].hex)"), tar)
        XCTAssertEqual(try temporaries(of: source), [])
        let target = try dir.store("b")
        let reloaded = try ImageLoader(store: target).load(from: archive)
        XCTAssertEqual(reloaded.first?.image.id, image.id)
        XCTAssertEqual(reloaded.first?.reference?.string, "localhost/fixture:oci")
    }

    func testSeveralImagesShareLayersInOneArchive() throws {
        let source = try dir.store("a")
        let first = try importedImage(source, name: "one:1", changes: ["CMD one"])
        let second = try importedImage(source, name: "two:2", changes: ["CMD two"])
        try source.tag(first, as: try ImageReference(parsing: "one:also"))
        let both = try source.images()
        XCTAssertEqual(both.count, 2)
        let images = both.map { ($0, $0.references) } + [(first, [try ImageReference(parsing: "one:1")])]
        for format in ArchiveFormat.allCases {
            let archive = dir.file("\(format.rawValue).tar")
            try ImageSaver(store: source).save(images, format: format, to: archive)
            let layerMembers = try members(archive).filter { $0.hasSuffix(first.diffIDs[0].hex) }
            XCTAssertEqual(layerMembers.count, 1, "\(format): the shared layer is written once")
            let target = try dir.store("b-\(format.rawValue)")
            let loaded = try ImageLoader(store: target).load(from: archive)
            XCTAssertEqual(Set(loaded.compactMap { $0.reference?.familiar }), ["one:1", "one:also", "two:2"], "\(format)")
            XCTAssertEqual(Set(try target.images().map(\.id)), [first.id, second.id], "\(format)")
        }
    }

    func testSaveByIDWritesAnUntaggedImage() throws {
        let source = try dir.store("a")
        let image = try importedImage(source)
        let archive = dir.file("id.tar")
        try ImageSaver(store: source).save([(image, [])], format: .dockerArchive, to: archive)
        let manifest = try XCTUnwrap(try jsonObject(try member(archive, "manifest.json")) as? [[String: Any]])
        XCTAssertNil(manifest[0]["RepoTags"])
        let loaded = try ImageLoader(store: try dir.store("b")).load(from: archive)
        XCTAssertEqual(loaded.map(\.message), ["Loaded image ID: \(image.id)"])
    }

    func testFailedSaveLeavesNothing() throws {
        let source = try dir.store("a")
        let image = try importedImage(source)
        try FileManager.default.removeItem(atPath: source.blobPath(image.manifest.layers[0].digest))
        try FileManager.default.createDirectory(atPath: dir.file("out"), withIntermediateDirectories: true)
        for format in ArchiveFormat.allCases {
            let message = errorMessage {
                try ImageSaver(store: source).save([(image, image.references)], format: format, to: dir.file("out/new.tar"))
            }
            XCTAssertTrue(message.hasPrefix("save \(dir.file("out/new.tar")): "), message)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.file("out")), [], "\(format)")
        }
        try writeBytes(Array("old".utf8), to: dir.file("out/old.tar"))
        XCTAssertThrowsError(try ImageSaver(store: source).save([(image, image.references)], format: .dockerArchive, to: dir.file("out/old.tar")))
        XCTAssertEqual(try readBytes(dir.file("out/old.tar")), Array("old".utf8), "a failed save keeps the file it would replace")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.file("out")), ["old.tar"])
    }

    func testSaveToADescriptor() throws {
        let source = try dir.store("a")
        let image = try importedImage(source)
        let path = dir.file("stream.tar")
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        let fd = LinuxSyscalls.FileDescriptor(dup(handle.fileDescriptor))
        try handle.close()
        try ImageSaver(store: source).save([(image, image.references)], format: .ociArchive, to: fd)
        fd.close()
        let loaded = try ImageLoader(store: try dir.store("b")).load(from: path)
        XCTAssertEqual(loaded.first?.image.manifestDigest, image.manifestDigest)
    }

    /// The content of `path` in the image's top layer, as unpacked in `store`.
    private func store(_ store: ImageStore, has path: String, in image: StoredImage) throws -> String {
        try String(contentsOfFile: "\(store.layerDiffPath(diffID: image.diffIDs.last!))/\(path)", encoding: .utf8)
    }
}
