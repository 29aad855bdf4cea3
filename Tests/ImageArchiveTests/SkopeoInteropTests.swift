import Foundation
import ImageArchive
import ImageSpec
import ImageStore
import LayerArchive
import XCTest

/// What `save` writes must be readable by skopeo (containers/image), and what skopeo writes must load.
final class SkopeoInteropTests: XCTestCase {
    private var dir: TestDirectory!
    private var skopeo: String!

    override func setUpWithError() throws {
        try requireRoot()
        skopeo = which("skopeo")
        try XCTSkipIf(skopeo == nil, "skopeo is not installed (Debian package skopeo)")
        dir = try TestDirectory()
        try writeBytes(Array(#"{"default":[{"type":"insecureAcceptAnything"}]}"#.utf8), to: dir.file("policy.json"))
    }

    override func tearDown() { dir?.remove() }

    @discardableResult
    private func skopeo(_ arguments: String..., file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try runProgram(skopeo, ["--policy", dir.file("policy.json")] + arguments)
        XCTAssertEqual(result.status, 0, "skopeo \(arguments.joined(separator: " ")): \(result.error)", file: file, line: line)
        return result.output
    }

    func testSkopeoReadsAndCopiesSavedArchives() throws {
        let store = try dir.store("a")
        let image = try ImageImporter(store: store).importTarball(
            source: BytesByteSource(rootfsTar()), reference: try ImageReference(parsing: "busybox:latest"), changes: ["CMD [\"sh\"]"])
        let docker = dir.file("docker.tar"), oci = dir.file("oci.tar")
        try ImageSaver(store: store).save([(image, image.references)], format: .dockerArchive, to: docker)
        try ImageSaver(store: store).save([(image, image.references)], format: .ociArchive, to: oci)

        for reference in ["docker-archive:\(docker)", "docker-archive:\(docker):busybox:latest", "oci-archive:\(oci)", "oci-archive:\(oci):latest"] {
            let inspect = try XCTUnwrap(try jsonObject(Array(try skopeo("inspect", reference).utf8)) as? [String: Any], reference)
            XCTAssertEqual(inspect["Architecture"] as? String, Platform.host.architecture, reference)
            XCTAssertEqual((inspect["Layers"] as? [String])?.count, 1, reference)
            let config = try skopeo("inspect", "--config", reference)
            XCTAssertEqual(Digest.sha256(of: Array(config.utf8)).hex.isEmpty, false)
        }
        XCTAssertEqual(try skopeo("inspect", "--raw", "oci-archive:\(oci):latest"), String(decoding: try store.readBlob(image.manifestDigest), as: UTF8.self))

        // skopeo copies of both, read back by load.
        try skopeo("copy", "-q", "docker-archive:\(docker)", "oci:\(dir.file("layout")):copied")
        try skopeo("copy", "-q", "oci-archive:\(oci):latest", "docker-archive:\(dir.file("skopeo-docker.tar")):skopeo/test:1")
        try skopeo("copy", "-q", "docker-archive:\(docker)", "oci-archive:\(dir.file("skopeo-oci.tar")):example.com/x:2")

        let fromLayout = try ImageLoader(store: try dir.store("b")).load(from: dir.file("layout"))
        XCTAssertEqual(fromLayout.map(\.image.id), [image.id])
        XCTAssertNil(fromLayout.first?.reference, "a bare ref.name tag names no repository")
        let fromDocker = try ImageLoader(store: try dir.store("c")).load(from: dir.file("skopeo-docker.tar"))
        XCTAssertEqual(fromDocker.map(\.message), ["Loaded image: skopeo/test:1"])
        XCTAssertEqual(fromDocker.first?.image.id, image.id)
        let fromOCI = try ImageLoader(store: try dir.store("d")).load(from: dir.file("skopeo-oci.tar"))
        XCTAssertEqual(fromOCI.first?.image.id, image.id)
    }
}
