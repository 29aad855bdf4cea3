import Diagnostics
import Foundation
import LinuxSyscalls
@testable import Networking
import XCTest

final class NetworkStoreTests: XCTestCase {
    var root = ""

    override func setUpWithError() throws { root = try makeTemporaryDirectory("store") }
    override func tearDownWithError() throws { try Files.removeTree(root) }

    func store(host: [String] = []) throws -> NetworkStore {
        try NetworkStore(root: root, hostNetworks: .fixed(host.compactMap { IPv4Subnet($0) }))
    }

    func testFirstFreeSkipsHostRoutesAndNetworks() throws {
        let pool = try XCTUnwrap(IPv4Subnet("10.97.0.0/16"))
        let taken = ["10.97.0.0/24", "10.97.1.128/25", "10.97.2.5/32"].compactMap { IPv4Subnet($0) }
        XCTAssertEqual(try NetworkStore.firstFree(in: pool, prefixLength: 24, avoiding: taken).description, "10.97.3.0/24")
        XCTAssertEqual(try NetworkStore.firstFree(in: pool, prefixLength: 24, avoiding: [IPv4Subnet("10.97.0.0/17")!]).description,
                       "10.97.128.0/24")
        XCTAssertThrowsError(try NetworkStore.firstFree(in: pool, prefixLength: 24, avoiding: [IPv4Subnet("10.0.0.0/8")!])) {
            XCTAssertEqual(($0 as? BerthError)?.code, .invalidArgument)
        }
    }

    func testCreateChoosesSubnetsAroundAFakeHost() throws {
        let store = try store(host: ["10.97.0.0/24", "10.97.1.7/32", "192.168.1.0/24"])
        let first = try store.create(name: "one")
        XCTAssertEqual(first.subnet, "10.97.2.0/24")
        XCTAssertEqual(first.gateway, "10.97.2.1")
        XCTAssertEqual(first.driver, "bridge")
        XCTAssertEqual(first.id.count, 64)
        XCTAssertTrue(first.id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        XCTAssertEqual(first.bridge, "br-" + first.id.prefix(12))
        XCTAssertLessThanOrEqual(first.bridge.count, 15)
        XCTAssertNotNil(Timestamp(rfc3339: first.created))
        let second = try store.create(name: "two", internal: true, labels: ["a": "b"])
        XCTAssertEqual(second.subnet, "10.97.3.0/24")
        XCTAssertTrue(second.internal)
        XCTAssertEqual(second.labels, ["a": "b"])
        XCTAssertTrue(Files.exists("\(root)/networks/\(first.id).json"))
        XCTAssertEqual(try store.list().map(\.name), ["one", "two"])
    }

    func testExplicitSubnetAndGateway() throws {
        let store = try store(host: ["192.168.1.0/24"])
        let custom = try store.create(name: "custom", subnet: "10.98.0.0/16", gateway: "10.98.0.254")
        XCTAssertEqual(custom.subnet, "10.98.0.0/16")
        XCTAssertEqual(custom.gateway, "10.98.0.254")
        let overlap = "invalid pool request: pool overlaps with other one on this address space"
        for subnet in ["10.98.7.0/24", "10.0.0.0/8", "192.168.1.128/25"] {
            XCTAssertThrowsError(try store.create(name: "x", subnet: subnet)) {
                XCTAssertEqual($0 as? BerthError, BerthError(.invalidArgument, overlap), subnet)
            }
        }
        XCTAssertThrowsError(try store.create(name: "x", subnet: "10.99.0.0/24", gateway: "10.100.0.1")) {
            XCTAssertEqual(($0 as? BerthError)?.code, .invalidArgument)
        }
        XCTAssertThrowsError(try store.create(name: "x", subnet: "bad"))
        XCTAssertEqual(try store.list().count, 1)
    }

    func testNameRules() throws {
        let store = try store()
        for good in ["a", "A9", "web_net.1-x", "0"] { XCTAssertNoThrow(try store.create(name: good), good) }
        for bad in ["", "-a", ".a", "_a", "a b", "a/b", "é", "a:b"] {
            XCTAssertThrowsError(try store.create(name: bad), bad) { XCTAssertEqual(($0 as? BerthError)?.code, .invalidArgument) }
        }
        XCTAssertThrowsError(try store.create(name: "a")) {
            XCTAssertEqual($0 as? BerthError, BerthError(.alreadyExists, "network with name a already exists"))
        }
    }

    func testInspectRemoveAndDefault() throws {
        let store = try store()
        let bridge = try store.ensureDefault()
        XCTAssertEqual(bridge.name, "bridge")
        XCTAssertEqual(bridge.bridge, "br-" + bridge.id.prefix(12))
        XCTAssertEqual(bridge.subnet, "10.97.0.0/24")
        XCTAssertEqual(try store.ensureDefault(), bridge)
        let web = try store.create(name: "web")
        XCTAssertEqual(try store.inspect("web"), web)
        XCTAssertEqual(try store.inspect(web.id), web)
        XCTAssertEqual(try store.inspect(String(web.id.prefix(5))), web)
        XCTAssertThrowsError(try store.inspect("nope")) {
            XCTAssertEqual($0 as? BerthError, BerthError(.notFound, "network nope not found"))
        }
        XCTAssertThrowsError(try store.remove("bridge")) {
            XCTAssertEqual($0 as? BerthError,
                           BerthError(.invalidArgument, "bridge is a pre-defined network and cannot be removed"))
        }
        XCTAssertEqual(try store.remove(String(web.id.prefix(12))), web)
        XCTAssertThrowsError(try store.inspect("web"))
        XCTAssertEqual(try store.list(), [bridge])
    }

    func testParallelCreatesOfOneNameMakeOne() throws {
        let store = try store()
        let successes = Locked(0)
        let conflicts = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 20) { _ in
            do {
                _ = try store.create(name: "same")
                successes.update { $0 += 1 }
            } catch let error as BerthError where error.code == .alreadyExists {
                conflicts.update { $0 += 1 }
            } catch {
                XCTFail("\(error)")
            }
        }
        XCTAssertEqual(successes.value, 1)
        XCTAssertEqual(conflicts.value, 19)
        XCTAssertEqual(try store.list().count, 1)
    }

    func testParallelCreatesGetDistinctSubnets() throws {
        let store = try store()
        DispatchQueue.concurrentPerform(iterations: 20) { index in
            do { _ = try store.create(name: "n\(index)") } catch { XCTFail("\(error)") }
        }
        let subnets = try store.list().map(\.subnet)
        XCTAssertEqual(Set(subnets).count, 20)
    }
}

/// A value shared by test threads.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func update(_ body: (inout Value) -> Void) { lock.withLock { body(&stored) } }
}
