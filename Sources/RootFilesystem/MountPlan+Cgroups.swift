import Cgroups
import LinuxSyscalls

extension MountPlan {
    /// `cgroup` and `cgroup2` mounts (runc's mountCgroupV1/V2). On a v1 or hybrid host a `cgroup`
    /// mount is a tmpfs holding one directory per hierarchy, each a bind of the container's own
    /// cgroup (or, in a cgroup namespace, a fresh mount that the namespace already confines), plus
    /// links for joined hierarchies ("cpu" → "cpu,cpuacct"). On a pure v2 host, and for `cgroup2`,
    /// it is the one unified hierarchy.
    static func cgroupSteps(type: String, destination: String, options: MountOptions, config: RootfsConfig) -> [MountStep] {
        let sources = config.cgroupMounts
        let pureV2 = sources.count == 1 && sources[0].name.isEmpty
        if type == "cgroup2" || pureV2 {
            let unified = sources.first { $0.fsType == "cgroup2" && $0.name.isEmpty }
                ?? sources.first { $0.fsType == "cgroup2" }
            return [.mount(hierarchy(unified, at: destination, fsType: "cgroup2", options: options, config: config))]
        }

        var steps: [MountStep] = [.mount(MountOperation(
            source: "tmpfs", destination: destination, fsType: "tmpfs", flags: [.noSetUID, .noDevices, .noExec],
            data: "mode=755", propagation: options.propagation))]
        for source in sources where !source.name.isEmpty {
            let path = destination == "/" ? "/" + source.name : destination + "/" + source.name
            steps.append(.mount(hierarchy(source, at: path, fsType: source.fsType, options: options, config: config)))
            let parts = source.name.split(separator: ",").map(String.init)
            if parts.count > 1 {
                for part in parts {
                    steps.append(.symlink(target: source.name, path: destination + "/" + part))
                }
            }
        }
        if options.flags.contains(.readOnly) {
            steps.append(.remount(destination: destination, flags: [.bind, .remount, .readOnly, .noSetUID, .noDevices, .noExec]))
        }
        return steps
    }

    /// One hierarchy: a fresh mount in a cgroup namespace (or when there is nothing to bind),
    /// else a bind of the container's cgroup directory with the mount's flags.
    private static func hierarchy(_ source: CgroupMountSource?, at destination: String, fsType: String,
                                  options: MountOptions, config: RootfsConfig) -> MountOperation {
        let flags = options.flags.subtracting([.bind, .recursive, .remount])
        guard let source, !config.cgroupNamespace else {
            return MountOperation(source: fsType, destination: destination, fsType: fsType, flags: flags,
                                  data: source?.options ?? options.dataString, clearedFlags: options.clearedFlags,
                                  propagation: options.propagation)
        }
        var bindOptions = options
        bindOptions.flags = flags
        return .bind(source: source.hostPath, destination: destination, options: bindOptions, recursive: true,
                     target: .directory)
    }
}
