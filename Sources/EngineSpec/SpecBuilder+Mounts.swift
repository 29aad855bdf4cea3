import Diagnostics
import OCIRuntimeSpec

extension SpecBuilder {
    /// docker's default mounts; /sys and its cgroup mount are writable when privileged.
    static func defaultMounts(privileged: Bool) -> [Mount] {
        let ro = privileged ? [] : ["ro"]
        return [
            Mount(destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"]),
            Mount(destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            Mount(destination: "/dev/pts", type: "devpts", source: "devpts",
                  options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
            Mount(destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev"] + ro),
            Mount(destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup",
                  options: ["nosuid", "noexec", "nodev", "relatime"] + ro),
            Mount(destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"]),
            Mount(destination: "/dev/shm", type: "tmpfs", source: "shm",
                  options: ["nosuid", "noexec", "nodev", "mode=1777", "size=67108864"]),
        ]
    }

    /// The default mounts, the /etc binds, the `--init` binary, then the user's mounts sorted by
    /// depth (parents first, as docker sorts them); a user mount replaces a default or /etc
    /// mount at the same destination.
    static func mounts(_ options: RunOptions, resolved: ResolvedInputs) throws(BerthError) -> [Mount] {
        var requests: [MountRequest] = []
        for spec in options.volumes { requests.append(try MountRequest.parseVolume(spec)) }
        for spec in options.mounts { requests.append(try MountRequest.parseMount(spec)) }
        for spec in options.tmpfs { requests.append(try MountRequest.parseTmpfs(spec)) }
        var user: [Mount] = []
        for request in requests {
            let mount = try ociMount(request, resolved: resolved)
            if user.contains(where: { $0.destination == mount.destination }) {
                throw .invalid("duplicate mount point: \(mount.destination)")
            }
            user.append(mount)
        }
        user = user.enumerated().sorted { a, b in
            let (da, db) = (depth(a.element.destination), depth(b.element.destination))
            return da != db ? da < db : a.offset < b.offset
        }.map(\.element)

        let etcOptions = ["rbind", "rprivate"] + (options.readOnly ? ["ro"] : [])
        var system = defaultMounts(privileged: options.privileged)
        for (destination, source) in [("/etc/resolv.conf", resolved.resolvConfPath),
                                      ("/etc/hostname", resolved.hostnamePath),
                                      ("/etc/hosts", resolved.hostsPath)] {
            if let source { system.append(Mount(destination: destination, type: "bind", source: source, options: etcOptions)) }
        }
        if options.initProcess, let initPath = resolved.initPath {
            system.append(Mount(destination: initDestination, type: "bind", source: initPath,
                                options: ["rbind", "ro", "nosuid", "nodev", "rprivate"]))
        }
        let taken = Set(user.map(\.destination))
        return system.filter { !taken.contains($0.destination) } + user
    }

    private static func depth(_ path: String) -> Int { path.split(separator: "/").count }

    /// A request as an OCI mount; volumes become binds of their host directories.
    static func ociMount(_ request: MountRequest, resolved: ResolvedInputs) throws(BerthError) -> Mount {
        let access = request.readOnly ? "ro" : "rw"
        switch request.kind {
        case .tmpfs:
            let options = request.options.contains("nosuid") ? request.options : ["nosuid", "nodev"] + request.options
            return Mount(destination: request.destination, type: "tmpfs", source: "tmpfs", options: options + [access])
        case .bind, .volume:
            var source = request.source
            if request.kind == .volume {
                let key = request.source ?? request.destination
                guard let path = resolved.volumePaths[key] else {
                    throw BerthError(.internalError, "volume \(key): no host path resolved")
                }
                source = path
            }
            let propagations: Set<String> = ["private", "rprivate", "shared", "rshared", "slave", "rslave"]
            let propagation = request.options.first { propagations.contains($0) } ?? "rprivate"
            return Mount(destination: request.destination, type: "bind", source: source,
                         options: ["rbind", access, propagation])
        }
    }
}
