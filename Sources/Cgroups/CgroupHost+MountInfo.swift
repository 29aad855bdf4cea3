import LinuxSyscalls

extension CgroupHost {
    /// Mount options of a v1 cgroup mount that are not controllers.
    static let genericOptions: Set<String> = [
        "rw", "ro", "noprefix", "xattr", "clone_children", "cpuset_v2_mode", "favordynmods", "none",
    ]

    /// The cgroup hierarchies in /proc/self/mountinfo text, first mount of each hierarchy only.
    /// The super options of a v1 mount name its controllers ("rw,cpu,cpuacct" is one hierarchy
    /// with two controllers).
    static func parseMountInfo(_ text: String, rootPrefix: String) -> [CgroupHierarchy] {
        var result: [CgroupHierarchy] = []
        var seenDevices: Set<String> = []
        for mount in MountInfo.parse(text) where mount.fsType == "cgroup" || mount.fsType == "cgroup2" {
            // The same hierarchy bind-mounted again (into a container, say) has the same device.
            guard seenDevices.insert(mount.device).inserted else { continue }
            var controllers: [String] = []
            if mount.fsType == "cgroup" {
                for option in mount.superOptions.split(separator: ",") {
                    if option.hasPrefix("release_agent=") || genericOptions.contains(String(option)) { continue }
                    controllers.append(String(option))
                }
            }
            result.append(CgroupHierarchy(mountPoint: rootPrefix + mount.mountPoint, root: mount.root,
                                          fsType: mount.fsType, controllers: controllers))
        }
        return result
    }
}
