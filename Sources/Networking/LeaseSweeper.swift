import Diagnostics
import LinuxSyscalls
import LiteJSON

#if canImport(Glibc)
import Glibc
#endif

/// Cleans what a killed engine left behind: host-local leases and cached results of containers
/// that no longer exist. Leases are files named by address in `<ipam>/<network>/`, holding
/// "<container id>\r\n<ifname>" (containernetworking-plugins 1.1.1's disk store).
public enum LeaseSweeper {
    public struct Lease: Sendable, Equatable {
        public var path: String
        public var address: IPv4Address
        public var containerID: String
        public var interface: String
    }

    /// The leases in one host-local network directory; other files (lock, last_reserved_ip.0) are skipped.
    public static func leases(in directory: String) -> [Lease] {
        var result: [Lease] = []
        for name in (try? Files.list(directory)) ?? [] {
            guard let address = IPv4Address(name), let text = try? Files.readString("\(directory)/\(name)") else { continue }
            let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: " \t") }
            result.append(Lease(path: "\(directory)/\(name)", address: address, containerID: lines.first ?? "",
                                interface: lines.count > 1 ? lines[1] : ""))
        }
        return result.sorted { $0.address < $1.address }
    }

    /// Removes the leases and cached results of containers not in `liveContainerIDs`.
    /// - Parameter stateDirectory: the CNI driver's state directory (`<root>/networks/cni`).
    /// - Returns: the paths removed.
    @discardableResult
    public static func sweep(stateDirectory: String, liveContainerIDs: Set<String>) throws -> [String] {
        var removed: [String] = []
        let ipam = "\(stateDirectory)/ipam"
        for network in (try? Files.listDirectories(ipam)) ?? [] {
            let directory = "\(ipam)/\(network)"
            // host-local's own lock, so a concurrent ADD never sees a half-swept directory.
            let lock = try FileLock.exclusive("\(directory)/lock")
            defer { lock.unlock() }
            for lease in leases(in: directory) where !liveContainerIDs.contains(lease.containerID) {
                if unlink(lease.path) == 0 { removed.append(lease.path) }
            }
        }
        let results = "\(stateDirectory)/results"
        for name in (try? Files.list(results)) ?? [] where name.hasSuffix(".json") {
            let path = "\(results)/\(name)"
            guard let bytes = try? Files.read(path), let cache = try? LiteJSON.JSONParser.parse(bytes),
                  let owner = cache["containerID"]?.stringValue else { continue }
            if !liveContainerIDs.contains(owner), unlink(path) == 0 { removed.append(path) }
        }
        return removed
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var text = self
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return String(text)
    }
}
