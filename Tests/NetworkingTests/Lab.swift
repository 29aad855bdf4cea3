import Diagnostics
import Foundation
import LinuxSyscalls
@testable import Networking
import XCTest

/// Everything a privileged test makes, so that tearDown can remove it all: a state root in /tmp,
/// namespaces, networks on 10.199.X.0/24 with bridges named bt<pid><n>, attachments, an
/// isolation chain of its own, and the CNI plugins' shared chains when the test created them.
final class Lab: @unchecked Sendable {
    struct Namespace: Sendable {
        var id: String
        var path: String
    }

    let root: String
    let tag: String
    let store: NetworkStore
    let driver: CNIDriver
    let isolation: Isolation
    private let lock = NSLock()
    private var namespaces: [Namespace] = []
    private var networks: [NetworkDefinition] = []
    private var attached: [(Namespace, NetworkDefinition)] = []
    private var processes: [Process] = []
    private let chainsBefore: [String: Set<String>]

    init() throws {
        root = try makeTemporaryDirectory("lab")
        tag = String(getpid())
        store = try NetworkStore(root: root)
        driver = CNIDriver(stateDirectory: "\(root)/networks/cni")
        isolation = Isolation(chain: "BT-ISO-\(tag)", natChain: "BT-NAT-\(tag)")
        try Files.makeDirectories("\(root)/netns")
        chainsBefore = Self.chains()
    }

    /// A network on 10.199.<pid-derived + third>.0/24 with the bridge bt<pid><letter>.
    func network(_ name: String, third: Int, internal: Bool = false) throws -> NetworkDefinition {
        let octet = (Int(getpid()) % 40) * 6 + third
        var network = try store.create(name: "\(name)\(tag)", subnet: "10.199.\(octet).0/24", internal: `internal`)
        network.bridge = "bt\(tag)\(["a", "b", "c", "d", "e", "f"][third])"
        lock.withLock { networks.append(network) }
        return network
    }

    func namespace(_ name: String) throws -> Namespace {
        let namespace = Namespace(id: "bt\(tag)\(name)", path: "\(root)/netns/\(name)")
        try NetworkNamespace.create(path: namespace.path)
        lock.withLock { namespaces.append(namespace) }
        return namespace
    }

    func attach(_ namespace: Namespace, to network: NetworkDefinition, staticIP: String? = nil,
                portMappings: [PortMapping] = []) throws -> Attachment {
        lock.withLock { attached.append((namespace, network)) }
        return try driver.add(network: network, containerID: namespace.id, netnsPath: namespace.path,
                              staticIP: staticIP, portMappings: portMappings)
    }

    func markAttached(_ namespaces: [Namespace], to network: NetworkDefinition) {
        lock.withLock { attached += namespaces.map { ($0, network) } }
    }

    func directory(_ name: String) throws -> String {
        let path = "\(root)/\(name)"
        try Files.makeDirectories(path)
        return path
    }

    func background(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        lock.withLock { processes.append(process) }
        return process
    }

    /// One ICMP echo from inside `namespace`, one second to answer.
    func ping(from namespace: Namespace, _ ip: String) -> Bool {
        shell(["/usr/bin/nsenter", "--net=\(namespace.path)", "/usr/bin/busybox", "ping", "-c1", "-W1", ip]).status == 0
    }

    /// DEL of every attachment made (idempotent), then the namespaces.
    func detachAll() throws {
        let pairs = lock.withLock { attached }
        for (namespace, network) in pairs {
            try driver.remove(network: network, containerID: namespace.id, netnsPath: namespace.path)
        }
        for namespace in lock.withLock({ namespaces }) { try NetworkNamespace.remove(path: namespace.path) }
    }

    /// No veth on the test's bridges, no lease, no cached result, no rule naming a test container.
    func assertNothingLeft(file: StaticString = #filePath, line: UInt = #line) throws {
        for network in lock.withLock({ networks }) {
            let links = shell(["/usr/sbin/ip", "-o", "link", "show", "master", network.bridge]).output
            XCTAssertFalse(links.contains("veth"), "veths left on \(network.bridge): \(links)", file: file, line: line)
            let leases = LeaseSweeper.leases(in: "\(driver.ipamDirectory)/\(network.name)")
            XCTAssertEqual(leases, [], "leases left", file: file, line: line)
        }
        XCTAssertEqual((try? Files.list(driver.resultsDirectory)) ?? [], [], "cached results left", file: file, line: line)
        let save = shell(["/usr/sbin/iptables-save"]).output
        for rule in save.split(separator: "\n") where rule.contains("bt\(tag)") {
            XCTFail("iptables rule left: \(rule)", file: file, line: line)
        }
        let addresses = Set(lock.withLock { networks }.map { String($0.subnet.dropLast(4)) })
        for rule in save.split(separator: "\n") where addresses.contains(where: { rule.contains(" \($0)") }) {
            XCTFail("iptables rule for a test address left: \(rule)", file: file, line: line)
        }
    }

    func tearDown() throws {
        for process in lock.withLock({ processes }) where process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        for (namespace, network) in lock.withLock({ attached }) {
            try? driver.remove(network: network, containerID: namespace.id, netnsPath: namespace.path)
        }
        for namespace in lock.withLock({ namespaces }) { try? NetworkNamespace.remove(path: namespace.path) }
        for network in lock.withLock({ networks }) { try? driver.removeNetwork(network) }
        try? isolation.removeAll()
        Self.removeChains(createdSince: chainsBefore)
        // The namespace directory was made a shared bind mount of itself.
        _ = shell(["/usr/bin/umount", "-l", "\(root)/netns"])
        try Files.removeTree(root)
    }

    // MARK: - The plugins' shared chains

    /// The chains of filter and nat, by table.
    static func chains() -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        for table in ["filter", "nat"] {
            let save = shell(["/usr/sbin/iptables-save", "-t", table]).output
            result[table] = Set(save.split(separator: "\n").filter { $0.hasPrefix(":") }.map {
                String($0.dropFirst().split(separator: " ")[0])
            })
        }
        return result
    }

    /// Removes the chains (CNI-FORWARD, CNI-HOSTPORT-DNAT, …) that appeared during the test, and the
    /// jumps to them, so a host that had none is left with none.
    static func removeChains(createdSince before: [String: Set<String>]) {
        for (table, now) in chains() {
            let created = now.subtracting(before[table] ?? [])
            guard !created.isEmpty else { continue }
            let save = shell(["/usr/sbin/iptables-save", "-t", table]).output
            var input = ["*\(table)"]
            for rule in save.split(separator: "\n") where rule.hasPrefix("-A ") {
                let words = rule.split(separator: " ")
                guard let jump = words.firstIndex(of: "-j"), jump + 1 < words.count,
                      created.contains(String(words[jump + 1])), !created.contains(String(words[1])) else { continue }
                input.append("-D" + rule.dropFirst(2))
            }
            input += created.sorted().map { ":\($0) - [0:0]" }
            input += created.sorted().map { "-X \($0)" }
            input.append("COMMIT")
            let result = shell(["/usr/sbin/iptables-restore", "-w", "--noflush"], input: input.joined(separator: "\n") + "\n")
            if result.status != 0 { print("removing chains \(created): \(result.output)") }
        }
    }
}
