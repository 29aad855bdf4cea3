import Diagnostics
import Foundation
import ImageSpec
import ImageStore
import XCTest
@testable import Registry

/// Login, pull and push against a docker-registry with htpasswd (Basic) authentication
/// (skipped without root, docker-registry, htpasswd or skopeo).
final class BasicAuthIntegrationTests: XCTestCase {
    // Started once for the class in setUp() and stopped in tearDown(); XCTest runs a class's tests serially.
    nonisolated(unsafe) private static var server: BasicAuthRegistry?
    nonisolated(unsafe) private static var skipReason: String?
    private var directories: [String] = []

    override class func setUp() {
        do {
            server = try BasicAuthRegistry.start()
        } catch {
            skipReason = "\(error)"
        }
    }

    override class func tearDown() {
        server?.stop()
        server = nil
    }

    override func tearDownWithError() throws {
        for directory in directories { try? FileManager.default.removeItem(atPath: directory) }
    }

    private func server() throws -> BasicAuthRegistry {
        guard let server = Self.server else { throw XCTSkip(Self.skipReason ?? "no registry") }
        return server
    }

    private func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "berth-auth-\(UUID().uuidString)"
        directories.append(path)
        return path
    }

    func testLoginChecksThePasswordAndSavesOnlyGoodCredentials() async throws {
        let server = try server()
        let credentials = CredentialStore(path: temporaryDirectory() + "/config.json")
        do {
            try await RegistryLogin.login(Credentials(username: "alice", password: "wrong"), registry: server.address, store: credentials)
            XCTFail("no error")
        } catch let error as BerthError {
            XCTAssertEqual(error.message, "unauthorized: incorrect username or password")
            XCTAssertEqual(error.code, .invalidArgument)
        }
        XCTAssertNil(try credentials.credentials(for: server.address))
        try await RegistryLogin.login(Credentials(username: "alice", password: "secret"), registry: server.address, store: credentials)
        XCTAssertEqual(try credentials.credentials(for: server.address), Credentials(username: "alice", password: "secret"))
        XCTAssertTrue(try RegistryLogin.logout(registry: server.address, store: credentials))
        XCTAssertNil(try credentials.credentials(for: server.address))
    }

    func testPullNeedsCredentialsAndPushWorksWithThem() async throws {
        let server = try server()
        let store = try ImageStore(root: temporaryDirectory())
        let reference = try ImageReference(parsing: "\(server.address)/busybox:latest")
        do {
            _ = try await Puller(store: store, credentials: nil, environment: [:]).pull(reference)
            XCTFail("no error")
        } catch let error as BerthError {
            XCTAssertEqual(error.message, "pull \(reference.familiar): unauthorized: authentication required")
        }
        let credentials = CredentialStore(path: temporaryDirectory() + "/config.json")
        try credentials.save(Credentials(username: "alice", password: "secret"), for: server.address)
        let pulled = try await Puller(store: store, credentials: credentials, environment: [:]).pull(reference)
        let target = try ImageReference(parsing: "\(server.address)/copies/busybox:v1")
        let digest = try await Pusher(store: store, credentials: credentials, environment: [:]).push(pulled.image, to: target)
        XCTAssertEqual(digest, pulled.image.manifestDigest)
    }
}

/// docker-registry with `auth: htpasswd` (user alice, password secret) on 127.0.0.1:<free
/// port>, holding busybox:latest (pushed with skopeo from registry.sh's test images).
final class BasicAuthRegistry: @unchecked Sendable {
    let directory: String
    let address: String
    private let pid: pid_t

    static func start() throws -> BasicAuthRegistry {
        guard getuid() == 0 else { throw XCTSkip("needs root") }
        guard let registry = TestRegistry.which("docker-registry"), let htpasswd = TestRegistry.which("htpasswd"),
              let skopeo = TestRegistry.which("skopeo") else {
            throw XCTSkip("docker-registry, htpasswd (apache2-utils) or skopeo is not installed")
        }
        let directory = NSTemporaryDirectory() + "berth-basic-auth-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let (status, users) = TestRegistry.run(htpasswd, ["-Bbn", "alice", "secret"])
        guard status == 0 else { throw XCTSkip("htpasswd failed: \(users)") }
        try users.write(toFile: "\(directory)/htpasswd", atomically: false, encoding: .utf8)
        let address = "127.0.0.1:\(try TestRegistry.freePort())"
        try """
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: \(directory)/data
            http:
              addr: \(address)
            auth:
              htpasswd:
                realm: berth-test
                path: \(directory)/htpasswd
            """.write(toFile: "\(directory)/config.yml", atomically: false, encoding: .utf8)
        let pid = try TestRegistry.spawn(registry, ["serve", "\(directory)/config.yml"], log: "\(directory)/registry.log")
        let server = BasicAuthRegistry(directory: directory, address: address, pid: pid)
        let (made, output) = TestRegistry.run(try TestRegistry.script("make-test-images.sh"), ["\(directory)/images"])
        guard made == 0 else {
            server.stop()
            throw XCTSkip("make-test-images.sh failed: \(output.suffix(500))")
        }
        try "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}".write(toFile: "\(directory)/policy.json", atomically: false, encoding: .utf8)
        for attempt in 0..<50 {
            let (pushed, output) = TestRegistry.run(skopeo, ["--policy", "\(directory)/policy.json", "copy", "-q",
                "--dest-tls-verify=false", "--dest-creds", "alice:secret", "oci:\(directory)/images/oci:latest", "docker://\(address)/busybox:latest"])
            if pushed == 0 { return server }
            if attempt == 49 {
                server.stop()
                throw XCTSkip("cannot push to the htpasswd registry: \(output)")
            }
            usleep(100_000)
        }
        return server
    }

    private init(directory: String, address: String, pid: pid_t) {
        self.directory = directory
        self.address = address
        self.pid = pid
    }

    func stop() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        try? FileManager.default.removeItem(atPath: directory)
    }
}
