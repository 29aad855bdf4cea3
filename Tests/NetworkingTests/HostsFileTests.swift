@testable import Networking
import XCTest

final class HostsFileTests: XCTestCase {
    let defaults = """
    127.0.0.1\tlocalhost
    ::1\tlocalhost ip6-localhost ip6-loopback
    fe00::0\tip6-localnet
    ff00::0\tip6-mcastprefix
    ff02::1\tip6-allnodes
    ff02::2\tip6-allrouters

    """

    func testWithoutNetworkMatchesDockersDefault() {
        XCTAssertEqual(HostsFile.render(hostname: "abc123", ownAddresses: [], peers: []), defaults + "127.0.1.1\tabc123\n")
    }

    func testOwnAddressesPeersAndExtraHosts() {
        let text = HostsFile.render(
            hostname: "web",
            ownAddresses: [.init(ip: "10.97.1.2", names: ["web", "web.front", "web"]), .init(ip: "10.97.2.3", names: ["web"])],
            peers: [.init(ip: "10.97.1.3", names: ["db", "3f2a1b"]), .init(ip: "10.97.1.3", names: ["db", "3f2a1b"]),
                    .init(ip: "10.97.2.9", names: [])],
            extraHosts: [(name: "gw", ip: "192.0.2.1")])
        XCTAssertEqual(text, defaults + """
        192.0.2.1\tgw
        10.97.1.2\tweb web.front
        10.97.2.3\tweb
        10.97.1.3\tdb 3f2a1b

        """)
    }

    func testParseExtraHost() {
        XCTAssertTrue(HostsFile.parseExtraHost("gw:192.0.2.1")! == (name: "gw", ip: "192.0.2.1"))
        XCTAssertTrue(HostsFile.parseExtraHost("v6=[::1]")! == (name: "v6", ip: "::1"))
        XCTAssertNil(HostsFile.parseExtraHost("nocolon"))
        XCTAssertNil(HostsFile.parseExtraHost(":1.2.3.4"))
    }
}
