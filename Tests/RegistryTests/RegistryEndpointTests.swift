import ImageSpec
import XCTest
@testable import Registry

final class RegistryEndpointTests: XCTestCase {
    private func endpoint(_ reference: String, insecure: String? = nil) throws -> RegistryEndpoint {
        var environment: [String: String] = [:]
        if let insecure { environment["BERTH_INSECURE_REGISTRIES"] = insecure }
        return RegistryEndpoint(reference: try ImageReference(parsing: reference), environment: environment)
    }

    func testDockerHubIsHTTPSOnRegistry1() throws {
        XCTAssertEqual(try endpoint("busybox"), RegistryEndpoint(host: "registry-1.docker.io", schemes: ["https"]))
    }

    func testLoopbackTriesPlainHTTPFirst() throws {
        for reference in ["127.0.0.1:5000/busybox", "localhost:5000/a/b:1", "localhost/x", "[::1]:5000/x"] {
            XCTAssertEqual(try endpoint(reference).schemes, ["http", "https"], reference)
        }
    }

    func testOtherHostsUseHTTPS() throws {
        XCTAssertEqual(try endpoint("quay.io/x/y").schemes, ["https"])
        XCTAssertEqual(try endpoint("10.0.0.5:5000/x").schemes, ["https"])
    }

    func testInsecureRegistriesFromTheEnvironment() throws {
        let list = " reg.example:5000 ,http://Other.example/ ,docker.io"
        XCTAssertEqual(try endpoint("reg.example:5000/x", insecure: list).schemes, ["http", "https"])
        XCTAssertEqual(try endpoint("other.example/x", insecure: list).schemes, ["http", "https"])
        XCTAssertEqual(try endpoint("reg.example/x", insecure: list).schemes, ["https"])
        XCTAssertEqual(try endpoint("busybox", insecure: list), RegistryEndpoint(host: "registry-1.docker.io", schemes: ["http", "https"]))
    }

    func testURLs() {
        let endpoint = RegistryEndpoint(host: "127.0.0.1:5000", schemes: ["http", "https"])
        XCTAssertEqual(endpoint.url(scheme: "http", path: "").absoluteString, "http://127.0.0.1:5000/v2/")
        XCTAssertEqual(endpoint.url(scheme: "https", path: "library/busybox/manifests/latest").absoluteString,
                       "https://127.0.0.1:5000/v2/library/busybox/manifests/latest")
    }

    func testNormalizedDomain() {
        XCTAssertEqual(RegistryEndpoint.normalizedDomain("https://index.docker.io/v1/"), "docker.io")
        XCTAssertEqual(RegistryEndpoint.normalizedDomain("registry-1.docker.io"), "docker.io")
        XCTAssertEqual(RegistryEndpoint.normalizedDomain("http://Reg.Example:5000/v2/"), "reg.example:5000")
    }

    func testChunkSizeFromTheEnvironment() {
        XCTAssertEqual(RegistryClient.chunkSize(environment: [:]), 16 << 20)
        XCTAssertEqual(RegistryClient.chunkSize(environment: ["BERTH_PUSH_CHUNK_SIZE": "65536"]), 65536)
        XCTAssertEqual(RegistryClient.chunkSize(environment: ["BERTH_PUSH_CHUNK_SIZE": "4m"]), 4 << 20)
        XCTAssertEqual(RegistryClient.chunkSize(environment: ["BERTH_PUSH_CHUNK_SIZE": "64KiB".replacingOccurrences(of: "i", with: "")]), 64 << 10)
        XCTAssertEqual(RegistryClient.chunkSize(environment: ["BERTH_PUSH_CHUNK_SIZE": "junk"]), 16 << 20)
    }
}
