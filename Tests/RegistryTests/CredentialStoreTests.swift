import Foundation
import LiteJSON
import XCTest
@testable import Registry

final class CredentialStoreTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("berth-creds-\(UUID().uuidString)").path
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private var store: CredentialStore { CredentialStore(environment: ["DOCKER_CONFIG": directory, "HOME": "/nonexistent"]) }

    func testLocationFollowsDockerConfigThenHome() {
        XCTAssertEqual(CredentialStore(environment: ["DOCKER_CONFIG": "/d", "HOME": "/h"]).path, "/d/config.json")
        XCTAssertEqual(CredentialStore(environment: ["HOME": "/h"]).path, "/h/.docker/config.json")
    }

    func testMissingFileHasNoCredentials() throws {
        XCTAssertNil(try store.credentials(for: "127.0.0.1:5000"))
        XCTAssertFalse(try store.remove(for: "127.0.0.1:5000"))
    }

    func testSaveWritesDockerFormatWithMode0600() throws {
        try store.save(Credentials(username: "user", password: "pa:ss"), for: "127.0.0.1:5000")
        try store.save(Credentials(username: "hub", password: "x"), for: "docker.io")
        let value = try JSONParser.parse(try Data(contentsOf: URL(fileURLWithPath: store.path)).map { $0 })
        XCTAssertEqual(value["auths"]?["127.0.0.1:5000"]?["auth"]?.stringValue, Data("user:pa:ss".utf8).base64EncodedString())
        XCTAssertEqual(value["auths"]?["https://index.docker.io/v1/"]?["auth"]?.stringValue, Data("hub:x".utf8).base64EncodedString())
        let mode = try FileManager.default.attributesOfItem(atPath: store.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        XCTAssertEqual(try store.credentials(for: "127.0.0.1:5000"), Credentials(username: "user", password: "pa:ss"))
        XCTAssertEqual(try store.credentials(for: "index.docker.io"), Credentials(username: "hub", password: "x"))
        XCTAssertEqual(try store.credentials(for: "https://index.docker.io/v1/"), Credentials(username: "hub", password: "x"))
    }

    func testOtherKeysSurviveAndEntriesAreReplaced() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let original = #"{"credsStore":"","proxies":{"default":{"httpProxy":"http://p:3128"}},"auths":{"http://127.0.0.1:5000/v1/":{"auth":"b2xkOm9sZA=="},"quay.io":{"auth":"cTpx","email":"a@b"}},"psFormat":"{{.ID}}"}"#
        try Data(original.utf8).write(to: URL(fileURLWithPath: store.path))
        XCTAssertEqual(try store.credentials(for: "127.0.0.1:5000"), Credentials(username: "old", password: "old"))
        try store.save(Credentials(username: "new", password: "pw"), for: "127.0.0.1:5000")
        let value = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: store.path))))
        XCTAssertEqual(value["credsStore"]?.stringValue, "")
        XCTAssertEqual(value["proxies"]?["default"]?["httpProxy"]?.stringValue, "http://p:3128")
        XCTAssertEqual(value["psFormat"]?.stringValue, "{{.ID}}")
        XCTAssertEqual(value["auths"]?["quay.io"]?["email"]?.stringValue, "a@b")
        XCTAssertNil(value["auths"]?["http://127.0.0.1:5000/v1/"])
        XCTAssertEqual(try store.credentials(for: "127.0.0.1:5000"), Credentials(username: "new", password: "pw"))
        XCTAssertTrue(try store.remove(for: "127.0.0.1:5000"))
        XCTAssertNil(try store.credentials(for: "127.0.0.1:5000"))
        XCTAssertEqual(try store.credentials(for: "quay.io"), Credentials(username: "q", password: "q"))
        XCTAssertEqual(try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: store.path))))["psFormat"]?.stringValue, "{{.ID}}")
    }

    func testSeparateUsernameAndPasswordFieldsAreRead() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(#"{"auths":{"reg.example":{"username":"u","password":"p"}}}"#.utf8).write(to: URL(fileURLWithPath: store.path))
        XCTAssertEqual(try store.credentials(for: "reg.example"), Credentials(username: "u", password: "p"))
    }

    func testMalformedFilesAreErrors() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: store.path))
        XCTAssertThrowsError(try store.credentials(for: "x")) { error in
            XCTAssertTrue("\(error)".contains("config.json: invalid json"), "\(error)")
        }
        try Data(#"{"auths":{"x":{"auth":"!!!"}}}"#.utf8).write(to: URL(fileURLWithPath: store.path))
        XCTAssertThrowsError(try store.credentials(for: "x"))
    }
}
