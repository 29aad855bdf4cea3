import CBerthShim
import Diagnostics
import LinuxSyscalls
import OCIRuntimeSpec

#if canImport(Glibc)
import Glibc
#endif

/// `linux.namespaces` turned into what the spawner does: namespaces to join (opened here, user
/// first), clone flags for new ones, id maps and time offsets.
struct NamespacePlan {
    var joins: [(FileDescriptor, Int32)] = []
    var unshareFlags: Int32 = 0
    var newUser = false
    var inUserNamespace = false
    var uidMappings: [IDMapping] = []
    var gidMappings: [IDMapping] = []
    var timeOffsets = ""

    /// The order namespaces are joined in: user first (the others are owned by it), mount last.
    static let joinOrder: [NamespaceType] = [.user, .ipc, .uts, .network, .pid, .cgroup, .time, .mount]

    static func cloneFlag(_ type: NamespaceType) -> Int32 {
        switch type {
        case .pid: BT_CLONE_NEWPID
        case .network: BT_CLONE_NEWNET
        case .mount: BT_CLONE_NEWNS
        case .ipc: BT_CLONE_NEWIPC
        case .uts: BT_CLONE_NEWUTS
        case .user: BT_CLONE_NEWUSER
        case .cgroup: BT_CLONE_NEWCGROUP
        case .time: BT_CLONE_NEWTIME
        }
    }

    init(spec: Spec) throws {
        let namespaces = spec.linux?.namespaces ?? []
        for type in NamespacePlan.joinOrder {
            guard let namespace = namespaces.first(where: { $0.type == type }) else { continue }
            if type == .user { inUserNamespace = true }
            if let path = namespace.path, !path.isEmpty {
                let fd = try BerthError.wrap("open \(type.rawValue) namespace") {
                    try FileDescriptor.open(path, O_RDONLY)
                }
                joins.append((fd, NamespacePlan.cloneFlag(type)))
            } else if type == .user {
                newUser = true
            } else if type == .cgroup {
                // A new cgroup namespace is rooted at the cgroup its creator is in: the init
                // makes it itself once it has joined the container's cgroups.
                continue
            } else {
                unshareFlags |= NamespacePlan.cloneFlag(type)
            }
        }
        uidMappings = spec.linux?.uidMappings ?? []
        gidMappings = spec.linux?.gidMappings ?? []
        for (clock, offset) in (spec.linux?.timeOffsets ?? [:]).sorted(by: { $0.key < $1.key }) {
            timeOffsets += "\(clock) \(offset.secs ?? 0) \(offset.nanosecs ?? 0)\n"
        }
    }

    /// The file names under /proc/PID/ns.
    static func procName(_ type: NamespaceType) -> String {
        switch type {
        case .network: "net"
        case .mount: "mnt"
        default: type.rawValue
        }
    }

    /// `exec`: join every namespace of the process `pid` that differs from ours (setns into the
    /// namespace one is already in fails for a user namespace, and is pointless for the others).
    init(joining pid: Int32) throws {
        for type in NamespacePlan.joinOrder {
            let name = NamespacePlan.procName(type)
            let path = "/proc/\(pid)/ns/\(name)"
            var theirs = stat(), ours = stat()
            guard stat(path, &theirs) == 0 else { continue }  // a namespace type the kernel lacks
            if stat("/proc/self/ns/\(name)", &ours) == 0 && ours.st_ino == theirs.st_ino && ours.st_dev == theirs.st_dev {
                continue
            }
            let fd = try BerthError.wrap("open \(type.rawValue) namespace of \(pid)") { try FileDescriptor.open(path, O_RDONLY) }
            joins.append((fd, NamespacePlan.cloneFlag(type)))
            if type == .user { inUserNamespace = true }
        }
    }

    func fill(_ config: inout bt_spawn_config) {
        withUnsafeMutableBytes(of: &config.ns_fds) { raw in
            let fds = raw.bindMemory(to: Int32.self)
            for (index, join) in joins.enumerated() { fds[index] = join.0.rawValue }
        }
        withUnsafeMutableBytes(of: &config.ns_types) { raw in
            let types = raw.bindMemory(to: Int32.self)
            for (index, join) in joins.enumerated() { types[index] = join.1 }
        }
        config.ns_count = Int32(joins.count)
        config.new_user = newUser ? 1 : 0
        config.become_root = inUserNamespace ? 1 : 0
        config.unshare_flags = unshareFlags
    }

    /// True when `path` is the network namespace this runtime runs in: `net.*` sysctls written
    /// there would change the host.
    static func isHostNetworkNamespace(_ path: String) -> Bool {
        var ours = stat(), theirs = stat()
        guard stat("/proc/self/ns/net", &ours) == 0, stat(path, &theirs) == 0 else { return false }
        return ours.st_dev == theirs.st_dev && ours.st_ino == theirs.st_ino
    }

    /// Writes /proc/PID/{uid,gid}_map for the process that created the user namespace.
    func writeIDMaps(pid: Int32) throws {
        func text(_ mappings: [IDMapping]) -> String {
            mappings.map { "\($0.containerID) \($0.hostID) \($0.size)\n" }.joined()
        }
        try Files.writeControl("/proc/\(pid)/uid_map", text(uidMappings))
        try Files.writeControl("/proc/\(pid)/gid_map", text(gidMappings))
    }
}
