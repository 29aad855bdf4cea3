import Diagnostics
import XCTest
@testable import Registry

final class RegistryErrorBodyTests: XCTestCase {
    private func error(_ status: Int, _ body: String) -> BerthError {
        RegistryErrorBody.error(status: status, body: Array(body.utf8))
    }

    func testManifestUnknown() {
        let error = error(404, #"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"nope"}}]}"#)
        XCTAssertEqual(error.code, .notFound)
        XCTAssertEqual(error.message, "manifest unknown")
        XCTAssertEqual(error.context("pull 127.0.0.1:5000/busybox:nope").message, "pull 127.0.0.1:5000/busybox:nope: manifest unknown")
    }

    func testUnauthorizedAndDenied() {
        let unauthorized = error(401, #"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":null}]}"#)
        XCTAssertEqual(unauthorized.code, .invalidArgument)
        XCTAssertEqual(unauthorized.message, "unauthorized: authentication required")
        let denied = error(403, #"{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}"#)
        XCTAssertEqual(denied.code, .invalidArgument)
        XCTAssertEqual(denied.message, "denied: requested access to the resource is denied")
    }

    func testNameUnknownAndSeveralErrors() {
        let error = error(404, #"{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"},{"code":"BLOB_UNKNOWN","message":""}]}"#)
        XCTAssertEqual(error.code, .notFound)
        XCTAssertEqual(error.message, "name unknown: repository name not known to registry; blob unknown")
    }

    func testBodiesThatAreNotRegistryErrors() {
        XCTAssertEqual(error(404, "").code, .notFound)
        XCTAssertEqual(error(401, "").message, "unauthorized: authentication required")
        XCTAssertEqual(error(403, "<html>").code, .invalidArgument)
        XCTAssertEqual(error(502, "<html>Bad Gateway</html>\n").message, "registry answered http 502: <html>bad gateway</html>")
        XCTAssertEqual(error(502, "").code, .external)
    }

    func testRetryableStatuses() {
        XCTAssertTrue(RetryPolicy.isRetryable(status: 429))
        XCTAssertTrue(RetryPolicy.isRetryable(status: 503))
        XCTAssertFalse(RetryPolicy.isRetryable(status: 501))
        XCTAssertFalse(RetryPolicy.isRetryable(status: 404))
        let policy = RetryPolicy(attempts: 3, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        XCTAssertEqual(policy.delay(afterAttempt: 1), .milliseconds(100))
        XCTAssertEqual(policy.delay(afterAttempt: 2), .milliseconds(200))
        XCTAssertEqual(policy.delay(afterAttempt: 9), .seconds(1))
        XCTAssertEqual(policy.delay(afterAttempt: 1, retryAfter: "0"), .zero)
    }
}
