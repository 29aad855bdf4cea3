import Diagnostics
import OCIRuntimeSpec

extension CgroupV1 {
    /// The v1 devices controller: devices.deny and devices.allow.
    public enum Devices {
        /// What every container may use whatever its spec says: runc's AllowedDevices.
        public static let defaultRules: [DeviceRule] = [
            // mknod of any device; using one still needs rw below.
            DeviceRule(allow: true, type: "c", access: "m"),
            DeviceRule(allow: true, type: "b", access: "m"),
            DeviceRule(allow: true, type: "c", major: 1, minor: 3, access: "rwm"),    // /dev/null
            DeviceRule(allow: true, type: "c", major: 1, minor: 5, access: "rwm"),    // /dev/zero
            DeviceRule(allow: true, type: "c", major: 1, minor: 7, access: "rwm"),    // /dev/full
            DeviceRule(allow: true, type: "c", major: 1, minor: 8, access: "rwm"),    // /dev/random
            DeviceRule(allow: true, type: "c", major: 1, minor: 9, access: "rwm"),    // /dev/urandom
            DeviceRule(allow: true, type: "c", major: 5, minor: 0, access: "rwm"),    // /dev/tty
            DeviceRule(allow: true, type: "c", major: 5, minor: 1, access: "rwm"),    // /dev/console
            DeviceRule(allow: true, type: "c", major: 5, minor: 2, access: "rwm"),    // /dev/ptmx
            DeviceRule(allow: true, type: "c", major: 136, access: "rwm"),            // /dev/pts/*
            DeviceRule(allow: true, type: "c", major: 10, minor: 200, access: "rwm"), // /dev/net/tun
        ]

        /// Denies everything, then writes `rules` followed by `defaultRules`, in order, each to
        /// devices.allow or devices.deny. Starting from deny-all makes the result the same as
        /// runc's device emulator computes: a white-list built from the rules.
        /// - Throws: `BerthError` `.invalidArgument` for a malformed rule (before any write),
        ///   else naming the file the kernel refused.
        public static func apply(_ rules: [DeviceRule], directory: String,
                                 files: any CgroupFiles = HostCgroupFiles()) throws {
            let all = rules + defaultRules
            let lines = try all.map { try line(for: $0) }
            try files.write(directory, "devices.deny", "a")
            var denyingAll = true
            for (rule, line) in zip(all, lines) {
                let isDenyAll = !rule.allow && line.hasPrefix("a")
                // The spec's usual leading deny-all repeats what was just written.
                if isDenyAll && denyingAll { continue }
                try files.write(directory, rule.allow ? "devices.allow" : "devices.deny", line)
                denyingAll = isDenyAll
            }
        }

        /// The kernel's text for a rule: "c 1:3 rwm", "b *:* m", "a *:* rwm".
        /// - Throws: `BerthError` `.invalidArgument` for a type other than a, b, c or an access
        ///   other than letters of "rwm".
        public static func line(for rule: DeviceRule) throws -> String {
            let type = rule.type ?? "a"
            guard type == "a" || type == "b" || type == "c" else {
                throw BerthError.invalid("linux.resources.devices: invalid device type \"\(type)\"")
            }
            let access = rule.access ?? "rwm"
            guard !access.isEmpty, access.allSatisfy({ $0 == "r" || $0 == "w" || $0 == "m" }) else {
                throw BerthError.invalid("linux.resources.devices: invalid access \"\(access)\"")
            }
            func number(_ value: Int64?) -> String {
                guard let value, value >= 0 else { return "*" }
                return String(value)
            }
            return "\(type) \(number(rule.major)):\(number(rule.minor)) \(access)"
        }
    }
}
