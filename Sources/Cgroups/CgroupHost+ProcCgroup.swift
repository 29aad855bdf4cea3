extension CgroupHost {
    /// /proc/PID/cgroup text → controller → cgroup path.
    ///
    /// A line is `hierarchy-id:controllers:path`: `4:memory:/user.slice`, `2:cpu,cpuacct:/`,
    /// `9:name=systemd:/init.scope`, and `0::/` for cgroup2. Each controller of a shared
    /// hierarchy gets its own entry; cgroup2 is the key "".
    public static func parseProcCgroup(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            let path = String(parts[2])
            if parts[1].isEmpty {
                result[""] = path
            } else {
                for controller in parts[1].split(separator: ",") { result[String(controller)] = path }
            }
        }
        return result
    }
}
