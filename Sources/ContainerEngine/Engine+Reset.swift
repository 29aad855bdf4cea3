import Diagnostics
import EngineState
import LinuxSyscalls
import Networking

#if canImport(Glibc)
import Glibc
#endif

extension Engine {
    /// `berth system reset`: removes every container (killed first), network (the default one
    /// too: bridges, iptables chains, leases), volume and image, then the state root itself —
    /// podman's reset. Fails, keeping the root, when something is still mounted under it.
    public func reset() throws {
        var problems: [String] = []
        for record in try containers.list() {
            do { _ = try remove(record.id, force: true, volumes: true) } catch let error as BerthError {
                problems.append(error.message)
            }
        }
        for network in try networks.list() {
            do { _ = try removeNetwork(network.id, force: true) } catch let error as BerthError { problems.append(error.message) }
        }
        try? isolation.removeAll()
        // The namespaces' directory is a shared bind mount of itself (see NetworkNamespace).
        while mountPoints().contains(netnsDirectory) {
            try Mounts.unmount(netnsDirectory, detach: true)
        }
        guard problems.isEmpty else { throw BerthError(.external, "reset \(root): " + problems.joined(separator: "; ")) }
        let mounted = mountPoints()
        guard mounted.isEmpty else {
            throw BerthError(.invalidState, "reset \(root): still mounted: \(mounted.joined(separator: ", "))")
        }
        try BerthError.wrap("reset \(root)") { try Files.removeTree(root) }
    }

    /// Mount points at or under the state root.
    func mountPoints() -> [String] {
        ((try? Files.readString("/proc/self/mountinfo")) ?? "").split(separator: "\n")
            .compactMap { MountInfo.parseLine($0)?.mountPoint }.filter { $0 == root || $0.hasPrefix(root + "/") }
    }
}
