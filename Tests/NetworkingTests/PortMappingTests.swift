import Diagnostics
@testable import Networking
import XCTest

final class PortMappingTests: XCTestCase {
    func testForms() throws {
        let cases: [(String, [PortMapping])] = [
            ("80", [PortMapping(hostPort: 0, containerPort: 80)]),
            ("8080:80", [PortMapping(hostPort: 8080, containerPort: 80)]),
            ("127.0.0.1:8080:80", [PortMapping(hostIP: "127.0.0.1", hostPort: 8080, containerPort: 80)]),
            ("127.0.0.1::80", [PortMapping(hostIP: "127.0.0.1", hostPort: 0, containerPort: 80)]),
            ("8080:80/udp", [PortMapping(hostPort: 8080, containerPort: 80, proto: "udp")]),
            ("53/UDP", [PortMapping(hostPort: 0, containerPort: 53, proto: "udp")]),
            ("80/tcp", [PortMapping(hostPort: 0, containerPort: 80)]),
            ("8000-8002:80-82", [
                PortMapping(hostPort: 8000, containerPort: 80),
                PortMapping(hostPort: 8001, containerPort: 81),
                PortMapping(hostPort: 8002, containerPort: 82),
            ]),
            ("80-81", [PortMapping(hostPort: 0, containerPort: 80), PortMapping(hostPort: 0, containerPort: 81)]),
            ("0.0.0.0:9000-9001:90-91/udp", [
                PortMapping(hostIP: "0.0.0.0", hostPort: 9000, containerPort: 90, proto: "udp"),
                PortMapping(hostIP: "0.0.0.0", hostPort: 9001, containerPort: 91, proto: "udp"),
            ]),
        ]
        for (spec, expected) in cases {
            XCTAssertEqual(try PortMapping.parse(spec), expected, spec)
        }
    }

    func testErrors() {
        let cases: [(String, String)] = [
            ("x", "invalid containerPort: x"),
            ("8080:x", "invalid containerPort: x"),
            ("0", "invalid containerPort: 0"),
            ("65536", "invalid containerPort: 65536"),
            ("x:80", "invalid hostPort: x"),
            ("82-80", "invalid range format for --publish: 82-80"),
            ("80-", "invalid range format for --publish: 80-"),
            ("8000-8001:80", "invalid ranges specified for container and host Ports: 80 and 8000-8001"),
            ("8000-8002:80-81", "invalid ranges specified for container and host Ports: 80-81 and 8000-8002"),
            ("1.2.3:80:80", "invalid ip address: 1.2.3"),
            ("80/sctp", "invalid proto: sctp is not supported"),
            ("80/icmp", "invalid proto: icmp"),
            ("1:2:3:4", "invalid port format for --publish: 1:2:3:4"),
            ("[::1]:80:80", "invalid ip address [::1]:80:80: IPv6 is not supported"),
            ("8080:", "no port specified: 8080:<empty>"),
        ]
        for (spec, message) in cases {
            XCTAssertThrowsError(try PortMapping.parse(spec), spec) {
                XCTAssertEqual($0 as? BerthError, BerthError(.invalidArgument, message), spec)
            }
        }
    }

    func testDescription() {
        XCTAssertEqual(PortMapping(hostPort: 8080, containerPort: 80).description, "80/tcp -> 0.0.0.0:8080")
        XCTAssertEqual(PortMapping(hostIP: "127.0.0.1", hostPort: 53, containerPort: 53, proto: "udp").description,
                       "53/udp -> 127.0.0.1:53")
    }

    func testAssigningFreePorts() throws {
        let input = [
            PortMapping(hostIP: "127.0.0.1", hostPort: 0, containerPort: 80),
            PortMapping(hostIP: "127.0.0.1", hostPort: 0, containerPort: 81),
            PortMapping(hostIP: "127.0.0.1", hostPort: 0, containerPort: 53, proto: "udp"),
            PortMapping(hostIP: "127.0.0.1", hostPort: 1234, containerPort: 82),
        ]
        let output = try PortMapping.assigningFreePorts(input)
        XCTAssertEqual(output.count, 4)
        XCTAssertTrue(output[0...2].allSatisfy { $0.hostPort != 0 })
        XCTAssertNotEqual(output[0].hostPort, output[1].hostPort)
        XCTAssertEqual(output[3].hostPort, 1234)
        XCTAssertEqual(output.map(\.containerPort), [80, 81, 53, 82])
    }
}
