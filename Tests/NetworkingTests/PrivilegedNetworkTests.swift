import Diagnostics
import Foundation
import LinuxSyscalls
@testable import Networking
import XCTest

/// Real namespaces, bridges, plugins and iptables; skipped unless root with Debian's CNI plugins.
/// Only 127.0.0.0/8 and the test's own namespaces are talked to; every namespace, bridge, veth,
/// iptables rule or chain, lease and directory made is removed in tearDown.
final class PrivilegedNetworkTests: XCTestCase {
    static let pluginDirectory = "/usr/lib/cni"
    var lab: Lab!

    override func setUpWithError() throws {
        try XCTSkipUnless(getuid() == 0, "needs root")
        try XCTSkipUnless(Files.exists("\(Self.pluginDirectory)/bridge"), "needs containernetworking-plugins in /usr/lib/cni")
        lab = try Lab()
    }

    override func tearDownWithError() throws {
        try lab?.tearDown()
    }

    func testTwoContainersPingPublishIsolateAndCleanUp() throws {
        let web = try lab.network("web", third: 0)
        let a = try lab.namespace("a")
        let b = try lab.namespace("b")
        let published = try PortMapping.assigningFreePorts([PortMapping(hostIP: "127.0.0.1", hostPort: 0, containerPort: 80)])
        let attachA = try lab.attach(a, to: web, portMappings: published)
        let attachB = try lab.attach(b, to: web)
        XCTAssertNotEqual(attachA.ip, attachB.ip)
        XCTAssertEqual(attachA.gateway, web.gateway)
        XCTAssertEqual(attachA.prefixLength, 24)
        XCTAssertEqual(attachA.mac.split(separator: ":").count, 6)
        XCTAssertTrue(IPv4Subnet(web.subnet)!.contains(IPv4Address(attachA.ip)!))
        XCTAssertTrue(lab.ping(from: a, attachB.ip), "a → b")
        XCTAssertTrue(lab.ping(from: b, attachA.ip), "b → a")
        XCTAssertTrue(lab.ping(from: a, web.gateway), "a → gateway")
        XCTAssertTrue(shell(["/usr/bin/nsenter", "--net=\(a.path)", "/usr/sbin/ip", "-o", "link", "show", "lo"]).output.contains("UP"))

        // A published port, fetched from the host through 127.0.0.1 (portmap's snat).
        let www = try lab.directory("www")
        try Files.create("\(www)/index.html", Array("hello from berth\n".utf8))
        let httpd = try lab.background(["/usr/bin/nsenter", "--net=\(a.path)", "/usr/bin/busybox", "httpd", "-f", "-p", "80", "-h", www])
        var body = ""
        for _ in 0..<50 {
            body = shell(["/usr/bin/curl", "-sS", "-m", "2", "http://127.0.0.1:\(published[0].hostPort)/"]).output
            if body == "hello from berth\n" { break }
            usleep(50_000)
        }
        XCTAssertEqual(body, "hello from berth\n")
        httpd.terminate()
        httpd.waitUntilExit()

        // A second network: reachable through the host until isolation is applied.
        let db = try lab.network("db", third: 1)
        let c = try lab.namespace("c")
        let attachC = try lab.attach(c, to: db)
        XCTAssertTrue(lab.ping(from: a, attachC.ip), "a → c before isolation")
        let isolation = lab.isolation
        try isolation.apply([web, db])
        try isolation.apply([web, db])  // idempotent
        let save = shell(["/usr/sbin/iptables-save", "-t", "filter"]).output
        XCTAssertEqual(save.split(separator: "\n").filter { $0.hasPrefix("-A \(isolation.chain) ") }.count,
                       Isolation.rules(for: [web, db], chain: isolation.chain).count, save)
        let nat = shell(["/usr/sbin/iptables-save", "-t", "nat"]).output
        XCTAssertTrue(nat.contains("-A \(isolation.natChain) -s \(web.subnet) ! -o \(web.bridge) -j MASQUERADE"), nat)
        XCTAssertEqual(save.split(separator: "\n").first { $0.hasPrefix("-A FORWARD ") }.map(String.init),
                       "-A FORWARD -j \(isolation.chain)")
        XCTAssertFalse(lab.ping(from: a, attachC.ip), "a → c after isolation")
        XCTAssertFalse(lab.ping(from: c, attachA.ip), "c → a after isolation")
        XCTAssertTrue(lab.ping(from: a, attachB.ip), "a → b after isolation")

        // An internal network: its gateway answers, nothing beyond it does.
        let secret = try lab.network("secret", third: 2, internal: true)
        XCTAssertTrue(secret.internal)
        let d = try lab.namespace("d")
        let attachD = try lab.attach(d, to: secret)
        try isolation.apply([web, db, secret])
        let routes = shell(["/usr/bin/nsenter", "--net=\(d.path)", "/usr/sbin/ip", "-4", "route"]).output
        XCTAssertFalse(routes.contains("default"), routes)
        XCTAssertTrue(lab.ping(from: d, attachD.gateway), "d → its gateway")
        XCTAssertFalse(lab.ping(from: d, web.gateway), "d → another host address")
        XCTAssertFalse(lab.ping(from: a, attachD.ip), "a → d")

        // DEL: b after its namespace is gone, then everything; twice (idempotent).
        try NetworkNamespace.remove(path: b.path)
        try lab.driver.remove(network: web, containerID: b.id, netnsPath: b.path)
        try lab.detachAll()
        try lab.detachAll()
        try isolation.removeAll()
        try isolation.removeAll()
        XCTAssertFalse(shell(["/usr/sbin/iptables-save", "-t", "filter"]).output.contains(isolation.chain))
        XCTAssertFalse(shell(["/usr/sbin/iptables-save", "-t", "nat"]).output.contains(isolation.natChain))
        try lab.assertNothingLeft()
    }

    func testTwentyParallelAddsGetDistinctAddresses() throws {
        let lab = try XCTUnwrap(self.lab)
        let network = try lab.network("many", third: 3)
        let namespaces = try (0..<20).map { try lab.namespace("p\($0)") }
        let addresses = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 20) { index in
            do {
                let attachment = try lab.driver.add(network: network, containerID: namespaces[index].id,
                                                    netnsPath: namespaces[index].path)
                addresses.update { $0.append(attachment.ip) }
            } catch {
                XCTFail("add \(index): \(error)")
            }
        }
        lab.markAttached(namespaces, to: network)
        XCTAssertEqual(Set(addresses.value).count, 20, "\(addresses.value)")
        DispatchQueue.concurrentPerform(iterations: 20) { index in
            do {
                try lab.driver.remove(network: network, containerID: namespaces[index].id, netnsPath: namespaces[index].path)
            } catch {
                XCTFail("remove \(index): \(error)")
            }
        }
        try lab.detachAll()
        try lab.assertNothingLeft()
    }

    func testStaticAddressAndLeaseSweep() throws {
        let network = try lab.network("fixed", third: 4)
        let a = try lab.namespace("s")
        let b = try lab.namespace("t")
        let ip = String(network.subnet.dropLast(4)) + "77"
        XCTAssertEqual(try lab.attach(b, to: network, staticIP: ip).ip, ip)
        XCTAssertNotEqual(try lab.attach(a, to: network).ip, ip)
        // The crash path: a container that died with the engine left a lease and a cached result.
        let leases = "\(lab.driver.ipamDirectory)/\(network.name)"
        let deadLease = "\(leases)/" + String(network.subnet.dropLast(4)) + "200"
        let deadResult = "\(lab.driver.resultsDirectory)/dead\(getpid())-eth0-\(network.name).json"
        try Files.create(deadLease, Array("dead\(getpid())\r\neth0".utf8))
        try Files.create(deadResult, Array("{\"containerID\":\"dead\(getpid())\"}".utf8))
        let removed = try LeaseSweeper.sweep(stateDirectory: lab.driver.stateDirectory, liveContainerIDs: [a.id, b.id])
        XCTAssertEqual(Set(removed), [deadLease, deadResult])
        XCTAssertEqual(LeaseSweeper.leases(in: leases).count, 2)
        try lab.detachAll()
        try lab.assertNothingLeft()
    }

    func testApplyPutsItsJumpsFirstAgain() throws {
        let network = try lab.network("order", third: 5)
        try lab.isolation.apply([network])
        _ = shell(["/usr/sbin/iptables", "-w", "-I", "FORWARD", "1", "-i", "lo-none", "-j", "RETURN"])
        defer { _ = shell(["/usr/sbin/iptables", "-w", "-D", "FORWARD", "-i", "lo-none", "-j", "RETURN"]) }
        try lab.isolation.apply([network])
        let forward = shell(["/usr/sbin/iptables-save", "-t", "filter"]).output.split(separator: "\n").filter { $0.hasPrefix("-A FORWARD ") }
        XCTAssertEqual(forward.first.map(String.init), "-A FORWARD -j \(lab.isolation.chain)")
        XCTAssertEqual(forward.filter { $0.hasSuffix("-j \(lab.isolation.chain)") }.count, 1, "\(forward)")
        try lab.isolation.removeAll()
        try lab.assertNothingLeft()
    }

    func testTimings() throws {
        let network = try lab.network("time", third: 5)
        var creates: [String: [Double]] = [:]
        let stale = "\(lab.root)/netns/stale"
        try Files.create(stale, [])  // left by a killed engine: reused
        try NetworkNamespace.create(path: stale)
        try NetworkNamespace.remove(path: stale)
        try NetworkNamespace.remove(path: stale)
        for method in NetworkNamespace.Method.allCases {
            for index in 0..<10 {
                let path = "\(lab.root)/netns/m-\(index)"
                creates["\(method)", default: []].append(try milliseconds { try NetworkNamespace.create(path: path, method: method) })
                XCTAssertTrue(NetworkNamespace.isMounted(path))
                XCTAssertThrowsError(try NetworkNamespace.create(path: path, method: method))
                try NetworkNamespace.remove(path: path)
                XCTAssertFalse(Files.exists(path))
            }
        }
        var adds: [Double] = []
        var addsWithPort: [Double] = []
        var removes: [Double] = []
        for index in 0..<10 {
            let ns = try lab.namespace("time\(index)")
            let ports = try PortMapping.assigningFreePorts([PortMapping(hostIP: "127.0.0.1", hostPort: 0, containerPort: 80)])
            adds.append(try milliseconds { _ = try lab.driver.add(network: network, containerID: ns.id, netnsPath: ns.path) })
            removes.append(try milliseconds { try lab.driver.remove(network: network, containerID: ns.id, netnsPath: ns.path) })
            addsWithPort.append(try milliseconds {
                _ = try lab.driver.add(network: network, containerID: ns.id, netnsPath: ns.path, portMappings: ports)
            })
            try lab.driver.remove(network: network, containerID: ns.id, netnsPath: ns.path)
        }
        let isolation = try (0..<10).map { _ in try milliseconds { try lab.isolation.apply([network]) } }
        let report = """
        TIMINGS (median of 10, ms): netns create thread=\(median(creates["thread"]!)) \
        unshare(1)=\(median(creates["unshareProgram"]!)) add=\(median(adds)) add+portmap=\(median(addsWithPort)) \
        remove=\(median(removes)) isolation.apply=\(median(isolation))
        """
        print(report)
        try lab.isolation.removeAll()
        try lab.detachAll()
        try lab.assertNothingLeft()
    }
}
