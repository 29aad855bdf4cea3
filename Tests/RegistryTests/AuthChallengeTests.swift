import XCTest
@testable import Registry

final class AuthChallengeTests: XCTestCase {
    func testBearerWithQuotedParameters() {
        let header = #"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull""#
        XCTAssertEqual(AuthChallenge.parse(header), [
            AuthChallenge(scheme: "bearer", parameters: [
                "realm": "https://auth.docker.io/token",
                "service": "registry.docker.io",
                "scope": "repository:library/busybox:pull",
            ]),
        ])
    }

    func testScopeWithCommaAndEscapes() {
        let header = #"Bearer realm="http://127.0.0.1:1/token?x=1", scope="repository:a/b:pull,push", error="in\"valid""#
        let challenge = AuthChallenge.parse(header).first
        XCTAssertEqual(challenge?.realm, "http://127.0.0.1:1/token?x=1")
        XCTAssertEqual(challenge?.scope, "repository:a/b:pull,push")
        XCTAssertEqual(challenge?.parameters["error"], #"in"valid"#)
    }

    func testBasicAndCaseInsensitivity() {
        XCTAssertEqual(AuthChallenge.parse(#"BASIC Realm="Registry Realm""#),
                       [AuthChallenge(scheme: "basic", parameters: ["realm": "Registry Realm"])])
    }

    func testSeveralChallengesAndUnquotedValues() {
        let challenges = AuthChallenge.parse(#"Basic realm="r", Bearer realm=https://t.example/token,service=reg"#)
        XCTAssertEqual(challenges.map(\.scheme), ["basic", "bearer"])
        XCTAssertEqual(challenges.last?.realm, "https://t.example/token")
        XCTAssertEqual(challenges.last?.service, "reg")
    }

    func testEmptyAndBareScheme() {
        XCTAssertEqual(AuthChallenge.parse(""), [])
        XCTAssertEqual(AuthChallenge.parse("Negotiate"), [AuthChallenge(scheme: "negotiate")])
    }
}
