import Diagnostics
import LiteJSON

extension Spec {
    /// The `linux.namespaces` entries, empty when there is no `linux`.
    private var namespaceList: [Namespace] { linux?.namespaces ?? [] }

    private func namespace(_ type: NamespaceType) -> Namespace? { namespaceList.first { $0.type == type } }

    /// No type twice, and a mount namespace: the rootfs setup must never touch the host's mounts.
    func validateNamespaces() throws(BerthError) {
        var seen: Set<NamespaceType> = []
        for (index, namespace) in namespaceList.enumerated() where !seen.insert(namespace.type).inserted {
            throw Spec.invalid("linux.namespaces[\(index)].type", "duplicate namespace \(quoted(namespace.type.rawValue))")
        }
        guard seen.contains(.mount) else {
            throw Spec.invalid("linux.namespaces", "a mount namespace is required")
        }
    }

    /// Mappings only with a user namespace; a new user namespace needs both mappings (a joined
    /// one already has them).
    func validateIDMappings() throws(BerthError) {
        let mappings = [("linux.uidMappings", linux?.uidMappings ?? []), ("linux.gidMappings", linux?.gidMappings ?? [])]
        guard let user = namespace(.user) else {
            for (path, list) in mappings where !list.isEmpty {
                throw Spec.invalid(path, "given without a user namespace")
            }
            return
        }
        guard user.path?.isEmpty ?? true else { return }
        for (path, list) in mappings where list.isEmpty {
            throw Spec.invalid(path, "missing, a new user namespace needs them")
        }
    }

    /// Clock offsets only apply inside a time namespace, and only these two clocks have one.
    func validateTimeOffsets() throws(BerthError) {
        guard let offsets = linux?.timeOffsets, !offsets.isEmpty else { return }
        guard namespace(.time) != nil else {
            throw Spec.invalid("linux.timeOffsets", "given without a time namespace")
        }
        for clock in offsets.keys.sorted() where clock != "monotonic" && clock != "boottime" {
            throw Spec.invalid(JSONPath.appending(key: clock, to: "linux.timeOffsets"),
                               "unknown clock, want \"monotonic\" or \"boottime\"")
        }
    }

    /// Setting a name without a uts namespace would rename the host.
    func validateNames() throws(BerthError) {
        guard namespace(.uts) == nil else { return }
        if let hostname, !hostname.isEmpty { throw Spec.invalid("hostname", "needs a uts namespace") }
        if let domainname, !domainname.isEmpty { throw Spec.invalid("domainname", "needs a uts namespace") }
    }

    static let propagations = ["shared", "slave", "private", "unbindable", "rshared", "rslave", "rprivate", "runbindable"]

    func validateRootfsPropagation() throws(BerthError) {
        guard let propagation = linux?.rootfsPropagation, !propagation.isEmpty else { return }
        guard Spec.propagations.contains(propagation) else {
            throw Spec.invalid("linux.rootfsPropagation",
                               "unknown propagation \(quoted(propagation)), want one of \(Spec.propagations.joined(separator: ", "))")
        }
    }

    /// Character (`c`, `u`) and block (`b`) nodes need numbers; fifos (`p`) do not.
    func validateDevices() throws(BerthError) {
        for (index, device) in (linux?.devices ?? []).enumerated() {
            let path = "linux.devices[\(index)]"
            guard ["c", "b", "u", "p"].contains(device.type) else {
                throw Spec.invalid("\(path).type", "unknown device type \(quoted(device.type)), want c, b, u or p")
            }
            guard !device.path.isEmpty else { throw Spec.invalid("\(path).path", "must not be empty") }
            if device.type != "p" && (device.major == nil || device.minor == nil) {
                throw Spec.invalid(path, "type \(quoted(device.type)) needs major and minor")
            }
        }
    }

    /// Only sysctls of a namespace the container has of its own, as runc's validator allows:
    /// writing any other would change the host.
    /// https://github.com/opencontainers/runc/blob/v1.1.5/libcontainer/configs/validate/validator.go
    func validateSysctl(isHostNetworkNamespace: (String) -> Bool) throws(BerthError) {
        guard let sysctl = linux?.sysctl else { return }
        for key in sysctl.keys.sorted() {
            let path = JSONPath.appending(key: key, to: "linux.sysctl")
            if key.hasPrefix("kernel.msg") || key == "kernel.sem" || key.hasPrefix("kernel.shm")
                || key.hasPrefix("fs.mqueue.")
            {
                guard namespace(.ipc) != nil else { throw Spec.invalid(path, "needs an ipc namespace") }
            } else if key.hasPrefix("net.") {
                guard let network = namespace(.network) else { throw Spec.invalid(path, "needs a network namespace") }
                if let joined = network.path, !joined.isEmpty, isHostNetworkNamespace(joined) {
                    throw Spec.invalid(path, "not allowed in the host's network namespace \(joined)")
                }
            } else if key == "kernel.hostname" || key == "kernel.domainname" {
                guard namespace(.uts) != nil else { throw Spec.invalid(path, "needs a uts namespace") }
            } else {
                throw Spec.invalid(path, "not in a namespace of the container's own")
            }
        }
    }
}
