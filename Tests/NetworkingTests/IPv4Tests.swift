@testable import Networking
import XCTest

final class IPv4Tests: XCTestCase {
    func testAddressParsing() {
        XCTAssertEqual(IPv4Address("10.97.1.2")?.value, 0x0A61_0102)
        XCTAssertEqual(IPv4Address("255.255.255.255")?.description, "255.255.255.255")
        for bad in ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "a.b.c.d", "1..2.3", "1.2.3.4 ", "+1.2.3.4", "1234.1.1.1"] {
            XCTAssertNil(IPv4Address(bad), bad)
        }
    }

    func testSubnetArithmetic() throws {
        let subnet = try XCTUnwrap(IPv4Subnet("10.97.1.77/24"))
        XCTAssertEqual(subnet.description, "10.97.1.0/24")
        XCTAssertEqual(subnet.firstHost.description, "10.97.1.1")
        XCTAssertEqual(subnet.last.description, "10.97.1.255")
        XCTAssertTrue(subnet.contains(IPv4Address("10.97.1.200")!))
        XCTAssertFalse(subnet.contains(IPv4Address("10.97.2.1")!))
        XCTAssertEqual(IPv4Subnet("0.0.0.0/0")?.last.description, "255.255.255.255")
        XCTAssertEqual(IPv4Subnet("10.1.2.3")?.prefixLength, 32)
        for bad in ["10.0.0.0/33", "10.0.0.0/", "10.0.0/8", "10.0.0.0/8/8", "10.0.0.0/-1"] {
            XCTAssertNil(IPv4Subnet(bad), bad)
        }
        XCTAssertThrowsError(try IPv4Subnet.parse("nope"))
    }

    func testOverlap() throws {
        let cases: [(String, String, Bool)] = [
            ("10.97.0.0/16", "10.97.5.0/24", true),
            ("10.97.5.0/24", "10.97.0.0/16", true),
            ("10.97.5.0/24", "10.97.6.0/24", false),
            ("10.97.5.0/25", "10.97.5.128/25", false),
            ("0.0.0.0/0", "192.168.1.0/24", true),
            ("10.97.5.7/32", "10.97.5.0/24", true),
            ("192.168.0.0/23", "192.168.1.0/24", true),
        ]
        for (a, b, expected) in cases {
            XCTAssertEqual(try XCTUnwrap(IPv4Subnet(a)).overlaps(try XCTUnwrap(IPv4Subnet(b))), expected, "\(a) \(b)")
        }
    }

    func testRouteTableParsing() {
        let table = """
        Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
        eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
        eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
        docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
        """
        XCTAssertEqual(HostNetworks.parseRouteTable(table).map(\.description), ["192.0.2.0/24", "172.17.0.0/16"])
    }

    func testLocalAddressParsing() {
        let trie = """
        Main:
          +-- 0.0.0.0/0 3 0 5
             |-- 0.0.0.0
                /0 universe UNICAST
             +-- 127.0.0.0/8 2 0 2
                +-- 127.0.0.0/31 1 0 0
                   |-- 127.0.0.0
                      /8 host LOCAL
                   |-- 127.0.0.1
                      /32 host LOCAL
             +-- 192.0.2.0/24 2 0 2
                   |-- 192.0.2.0
                      /24 link UNICAST
                   |-- 192.0.2.2
                      /32 host LOCAL
                |-- 192.0.2.255
                   /32 link BROADCAST
        Local:
                   |-- 127.0.0.1
                      /32 host LOCAL
        """
        XCTAssertEqual(HostNetworks.parseLocalAddresses(trie).map(\.description), ["127.0.0.1", "192.0.2.2"])
    }

    func testSystemHostNetworksReadsThisHost() throws {
        let occupied = try HostNetworks.system.occupied()
        XCTAssertTrue(occupied.contains { $0.contains(IPv4Address("127.0.0.1")!) })
    }
}
