import XCTest

@testable import ImageArchive

final class MemberNameTests: XCTestCase {
    func testNormalizes() throws {
        XCTAssertEqual(try MemberName.normalize("./manifest.json"), "manifest.json")
        XCTAssertEqual(try MemberName.normalize("blobs//sha256/./abc"), "blobs/sha256/abc")
        XCTAssertEqual(try MemberName.normalize("abc/"), "abc")
        XCTAssertEqual(try MemberName.normalize("./"), "")
    }

    func testRejectsNamesOutsideTheArchive() {
        for name in ["../x", "a/../../x", "a/../b", "/etc/passwd", "x\u{0}y"] {
            XCTAssertThrowsError(try MemberName.normalize(name), name)
        }
    }

    func testSymlinkTargetsResolveFromTheLinkDirectory() throws {
        XCTAssertEqual(try MemberName.symlinkTarget("../b/layer.tar", of: "a/layer.tar"), "b/layer.tar")
        XCTAssertEqual(try MemberName.symlinkTarget("x.tar", of: "a/layer.tar"), "a/x.tar")
        XCTAssertThrowsError(try MemberName.symlinkTarget("../../etc/passwd", of: "a/layer.tar"))
        XCTAssertThrowsError(try MemberName.symlinkTarget("/etc/passwd", of: "a/layer.tar"))
    }

    func testStatedDigests() {
        let hex = String(repeating: "ab", count: 32)
        XCTAssertEqual(MemberName.statedDigest("blobs/sha256/\(hex)"), hex)
        XCTAssertEqual(MemberName.statedDigest("\(hex).json"), hex)
        XCTAssertNil(MemberName.statedDigest("config.json"))
        XCTAssertNil(MemberName.statedDigest("\(hex)/layer.tar"))
    }

    func testArchiveFormats() throws {
        XCTAssertEqual(try ArchiveFormat(parsing: "docker-archive"), .dockerArchive)
        XCTAssertEqual(try ArchiveFormat(parsing: "oci-archive"), .ociArchive)
        XCTAssertThrowsError(try ArchiveFormat(parsing: "zip"))
    }
}
