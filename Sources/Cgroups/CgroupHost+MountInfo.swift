extension CgroupHost {
    /// Mount options of a v1 cgroup mount that are not controllers.
    static let genericOptions: Set<String> = [
        "rw", "ro", "noprefix", "xattr", "clone_children", "cpuset_v2_mode", "favordynmods", "none",
    ]

    /// The cgroup hierarchies in /proc/self/mountinfo text, first mount of each hierarchy only.
    ///
    /// A line is `36 35 0:32 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory`:
    /// the fields after "-" are the type, the source and the super options, which name the
    /// controllers of a v1 hierarchy ("rw,cpu,cpuacct" is one hierarchy with two controllers).
    static func parseMountInfo(_ text: String, rootPrefix: String) -> [CgroupHierarchy] {
        var result: [CgroupHierarchy] = []
        var seenDevices: Set<Substring> = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let dash = fields.firstIndex(of: "-"), dash >= 6, fields.count > dash + 3 else { continue }
            let fsType = fields[dash + 1]
            guard fsType == "cgroup" || fsType == "cgroup2" else { continue }
            // The same hierarchy bind-mounted again (into a container, say) has the same device.
            guard seenDevices.insert(fields[2]).inserted else { continue }
            var controllers: [String] = []
            if fsType == "cgroup" {
                for option in fields[dash + 3].split(separator: ",") {
                    if option.hasPrefix("release_agent=") || genericOptions.contains(String(option)) { continue }
                    controllers.append(String(option))
                }
            }
            result.append(CgroupHierarchy(
                mountPoint: rootPrefix + unescapeMountInfo(fields[4]),
                root: unescapeMountInfo(fields[3]),
                fsType: String(fsType),
                controllers: controllers))
        }
        return result
    }

    /// mountinfo writes space, tab, newline and backslash as `\040`, `\011`, `\012`, `\134`.
    static func unescapeMountInfo(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var bytes: [UInt8] = []
        let utf8 = Array(field.utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "\\"), i + 3 < utf8.count, let value = octal(utf8[(i + 1)...(i + 3)]) {
                bytes.append(value)
                i += 4
            } else {
                bytes.append(utf8[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func octal(_ digits: ArraySlice<UInt8>) -> UInt8? {
        guard digits.count == 3 else { return nil }
        var value = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "7") else { return nil }
            value = value * 8 + Int(digit - UInt8(ascii: "0"))
        }
        return value <= 255 ? UInt8(value) : nil
    }
}
