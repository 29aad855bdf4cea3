import OCIRuntimeSpec
import XCTest

@testable import EngineSpec

final class UserAndEtcTests: XCTestCase {
    let passwd = """
        root:x:0:0:root:/root:/bin/sh
        # comment
        daemon:x:1:1:daemon:/usr/sbin:/bin/false
        www:x:33:33:www:/var/www:/bin/false

        """
    let group = """
        root:x:0:
        daemon:x:1:www
        wheel:x:10:root,www
        www:x:33:

        """

    func testUserResolution() throws {
        XCTAssertEqual(try UserResolver.resolve("", passwd: passwd, group: group), user(0, 0, [10], "root"))
        XCTAssertEqual(try UserResolver.resolve("www", passwd: passwd, group: group), user(33, 33, [1, 10], "www"))
        XCTAssertEqual(try UserResolver.resolve("33", passwd: passwd, group: group), user(33, 33, [1, 10], "www"))
        XCTAssertEqual(try UserResolver.resolve("www:wheel", passwd: passwd, group: group), user(33, 10, nil, "www"))
        XCTAssertEqual(try UserResolver.resolve("1000:1000", passwd: passwd, group: group), user(1000, 1000, nil, nil))
        XCTAssertEqual(try UserResolver.resolve("1000", passwd: nil, group: nil), user(1000, 0, nil, nil))
        XCTAssertEqual(errorMessage { _ = try UserResolver.resolve("bob", passwd: passwd, group: group) },
                       "unable to find user bob: no matching entries in passwd file")
        XCTAssertEqual(errorMessage { _ = try UserResolver.resolve("www:staff", passwd: passwd, group: group) },
                       "unable to find group staff: no matching entries in group file")
    }

    private func user(_ uid: UInt32, _ gid: UInt32, _ groups: [UInt32]?, _ name: String?) -> User {
        var user = User(uid: uid, gid: gid, additionalGids: groups)
        user.username = name
        return user
    }

    func testHostsAndHostname() {
        let hosts = EtcFiles.hosts(hostname: "abc123")
        XCTAssertTrue(hosts.hasPrefix("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"))
        XCTAssertTrue(hosts.contains("\tabc123\n"))
        XCTAssertEqual(EtcFiles.hostname("abc123"), "abc123\n")
    }

    func testResolvConf() {
        let host = "# host\nnameserver 127.0.0.53\nnameserver 10.0.0.1\nsearch lan\n"
        XCTAssertEqual(EtcFiles.resolvConf(hostResolvConf: host, hostNetwork: true), host)
        XCTAssertEqual(EtcFiles.resolvConf(hostResolvConf: host, hostNetwork: false),
                       "# host\nnameserver 10.0.0.1\nsearch lan\n")
        XCTAssertEqual(EtcFiles.resolvConf(hostResolvConf: "nameserver 127.0.0.53\noptions edns0\n", hostNetwork: false),
                       "options edns0\nnameserver 8.8.8.8\nnameserver 8.8.4.4\nnameserver 2001:4860:4860::8888\nnameserver 2001:4860:4860::8844\n")
    }
}
