import LinuxSyscalls
@testable import Networking
import XCTest

final class LeaseSweeperTests: XCTestCase {
    func testSweepRemovesDeadContainersOnly() throws {
        let state = try makeTemporaryDirectory("sweep")
        defer { try? Files.removeTree(state) }
        let ipam = "\(state)/ipam/web"
        try Files.makeDirectories(ipam)
        try Files.makeDirectories("\(state)/results")
        try Files.create("\(ipam)/10.97.3.2", Array("live1\r\neth0".utf8))
        try Files.create("\(ipam)/10.97.3.3", Array("dead1\r\neth0".utf8))
        try Files.create("\(ipam)/last_reserved_ip.0", Array("10.97.3.3".utf8))
        try Files.create("\(ipam)/lock", [])
        try Files.create("\(state)/results/live1-eth0-web.json", Array(#"{"containerID":"live1"}"#.utf8))
        try Files.create("\(state)/results/dead1-eth0-web.json", Array(#"{"containerID":"dead1"}"#.utf8))
        XCTAssertEqual(LeaseSweeper.leases(in: ipam).map(\.containerID), ["live1", "dead1"])
        XCTAssertEqual(LeaseSweeper.leases(in: ipam).map(\.interface), ["eth0", "eth0"])
        let removed = try LeaseSweeper.sweep(stateDirectory: state, liveContainerIDs: ["live1"])
        XCTAssertEqual(Set(removed), ["\(ipam)/10.97.3.3", "\(state)/results/dead1-eth0-web.json"])
        XCTAssertEqual(Set(try Files.list(ipam)), ["10.97.3.2", "last_reserved_ip.0", "lock"])
        XCTAssertEqual(try Files.list("\(state)/results"), ["live1-eth0-web.json"])
    }
}
