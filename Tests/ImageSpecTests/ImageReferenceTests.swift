import Diagnostics
import ImageSpec
import XCTest

final class ImageReferenceTests: XCTestCase {
    func testDockerNormalisation() throws {
        let cases: [(String, String, String)] = [
            ("busybox", "docker.io/library/busybox:latest", "busybox:latest"),
            ("busybox:1.36", "docker.io/library/busybox:1.36", "busybox:1.36"),
            ("library/busybox", "docker.io/library/busybox:latest", "busybox:latest"),
            ("docker.io/busybox", "docker.io/library/busybox:latest", "busybox:latest"),
            ("index.docker.io/library/busybox", "docker.io/library/busybox:latest", "busybox:latest"),
            ("user/app", "docker.io/user/app:latest", "user/app:latest"),
            ("quay.io/podman/hello", "quay.io/podman/hello:latest", "quay.io/podman/hello:latest"),
            ("127.0.0.1:5000/busybox:v2s2", "127.0.0.1:5000/busybox:v2s2", "127.0.0.1:5000/busybox:v2s2"),
            ("localhost/app", "localhost/app:latest", "localhost/app:latest"),
            ("my-registry.local:443/a/b/c_d__e.f-g:1.0_rc", "my-registry.local:443/a/b/c_d__e.f-g:1.0_rc", "my-registry.local:443/a/b/c_d__e.f-g:1.0_rc"),
        ]
        for (input, full, familiar) in cases {
            let reference = try ImageReference(parsing: input)
            XCTAssertEqual(reference.string, full, input)
            XCTAssertEqual(reference.familiar, familiar, input)
        }
    }

    func testDigestReferences() throws {
        let hex = String(repeating: "ab", count: 32)
        let reference = try ImageReference(parsing: "busybox@sha256:\(hex)")
        XCTAssertNil(reference.tag)
        XCTAssertEqual(reference.digest?.hex, hex)
        XCTAssertEqual(reference.tagOrDigest, "sha256:\(hex)")
        XCTAssertEqual(reference.string, "docker.io/library/busybox@sha256:\(hex)")
        let both = try ImageReference(parsing: "127.0.0.1:5000/x:v1@sha256:\(hex)")
        XCTAssertEqual(both.tag, "v1")
        XCTAssertEqual(both.tagOrDigest, "sha256:\(hex)")
        XCTAssertTrue(both.isLoopback)
        XCTAssertEqual(try ImageReference(parsing: "busybox").registryHost, "registry-1.docker.io")
    }

    func testInvalidReferences() {
        for bad in ["", "Busybox", "busy box", "busybox:", "busybox:-x", "a//b", "-a/b", "busybox@sha256:12",
                    "busybox@md5:\(String(repeating: "0", count: 32))", "UPPER.io/x:y:z", "a..b", "x/"] {
            XCTAssertThrowsError(try ImageReference(parsing: bad), bad) { error in
                let message = (error as? BerthError)?.message ?? ""
                XCTAssertTrue(message.hasPrefix("invalid") || message.hasPrefix("unsupported"), "\(bad): \(error)")
            }
        }
    }

    func testLoopbackHosts() {
        XCTAssertTrue(ImageReference.isLoopbackHost("127.0.0.1:5000"))
        XCTAssertTrue(ImageReference.isLoopbackHost("localhost"))
        XCTAssertTrue(ImageReference.isLoopbackHost("[::1]:5000"))
        XCTAssertFalse(ImageReference.isLoopbackHost("10.0.0.1:5000"))
        XCTAssertFalse(ImageReference.isLoopbackHost("docker.io"))
    }
}
