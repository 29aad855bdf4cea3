import Diagnostics
import ImageSpec
import XCTest

final class ManifestTests: XCTestCase {
    let digest = "sha256:" + String(repeating: "1", count: 64)

    func testParsesOCIManifestAndDockerList() throws {
        let manifest = #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(digest)","size":3},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"\#(digest)","size":10}]}"#
        guard case .manifest(let parsed, let type) = try ParsedManifest.parse(Array(manifest.utf8)) else { return XCTFail("not a manifest") }
        XCTAssertEqual(type, MediaType.ociManifest)
        XCTAssertEqual(parsed.layers.count, 1)
        XCTAssertEqual(LayerCompression(mediaType: parsed.layers[0].mediaType), .gzip)

        let list = #"{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"\#(digest)","size":5,"platform":{"architecture":"arm64","os":"linux","variant":"v8"}},{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"\#(digest)","size":6,"platform":{"architecture":"amd64","os":"linux"}}]}"#
        guard case .index(let index, let listType) = try ParsedManifest.parse(Array(list.utf8), contentType: MediaType.dockerManifestList) else {
            return XCTFail("not an index")
        }
        XCTAssertEqual(listType, MediaType.dockerManifestList)
        XCTAssertEqual(index.manifest(for: Platform(os: "linux", architecture: "amd64"))?.size, 6)
        XCTAssertEqual(index.manifest(for: try Platform(parsing: "linux/arm64"))?.size, 5)
        XCTAssertEqual(index.manifest(for: try Platform(parsing: "linux/arm64/v8"))?.size, 5)
        XCTAssertNil(index.manifest(for: try Platform(parsing: "linux/s390x")))
    }

    func testRefusesBadManifests() {
        let bad: [(String, String)] = [
            ("{not json", "not valid json"),
            (#"{"schemaVersion":1,"name":"x"}"#, "schema 1"),
            (#"{"schemaVersion":2,"mediaType":"application/x-unknown","config":{}}"#, "unsupported manifest media type"),
            (#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"x","digest":"sha256:12","size":1},"layers":[]}"#, "manifest of type"),
            ("[1,2]", "not a json object"),
        ]
        for (text, expected) in bad {
            XCTAssertThrowsError(try ParsedManifest.parse(Array(text.utf8))) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(text): \(error)")
            }
        }
        XCTAssertThrowsError(try ParsedManifest.parse([UInt8](repeating: 32, count: ParsedManifest.maxSize + 1)))
    }

    func testDigestAndCompressionSniffing() throws {
        XCTAssertEqual(Digest.sha256(of: Array("abc".utf8)).hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertThrowsError(try Digest(parsing: "sha512:00"))
        XCTAssertEqual(LayerCompression.sniff([0x1f, 0x8b, 8, 0]), .gzip)
        XCTAssertEqual(LayerCompression.sniff([0x28, 0xb5, 0x2f, 0xfd]), .zstd)
        XCTAssertEqual(LayerCompression.sniff(Array("etc/".utf8)), LayerCompression.none)
    }

    func testConfigRoundTrip() throws {
        let text = #"{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],"Cmd":["sh"],"ExposedPorts":{"80/tcp":{}}},"rootfs":{"type":"layers","diff_ids":["\#(digest)"]},"history":[{"created_by":"x","empty_layer":true}]}"#
        let config = try LiteJSONDecoderShim.decode(text)
        XCTAssertEqual(config.config?.cmd, ["sh"])
        XCTAssertEqual(config.config?.exposedPorts?.keys.sorted(), ["80/tcp"])
        XCTAssertEqual(config.rootfs.diffIDs.map(\.string), [digest])
        XCTAssertEqual(config.history?.first?.emptyLayer, true)
    }
}
