import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// `<root>/staging/`: everything half-made or half-removed. Each entry is named
/// `<kind>-<pid>-<start time>-<rest>` after the process that made it, so that whoever finds it
/// later can tell whether its owner is still at work (pid alive with the same start time) or
/// was killed, and only then removes it.
struct Staging {
    let path: String
    let owner: String

    init(path: String) {
        self.path = path
        let pid = getpid()
        owner = "\(pid)-\(Processes.startTime(pid) ?? 0)"
    }

    /// A new path in staging/ owned by this process (nothing is created).
    func newPath(_ kind: String, _ rest: String = randomHex(8)) -> String {
        "\(path)/\(kind)-\(owner)-\(rest)"
    }

    /// Removes the entries whose owner is dead; returns their names.
    func removeOrphans() throws -> [String] {
        var removed: [String] = []
        for entry in try Files.list(path) {
            let parts = entry.split(separator: "-", maxSplits: 3)
            if parts.count == 4, let pid = Int32(parts[1]), let start = UInt64(parts[2]),
               Processes.isAlive(pid, startTime: start) {
                continue
            }
            // Another reconciler may be removing the same entry: ignore what vanishes under us.
            try? Files.removeTree("\(path)/\(entry)")
            removed.append(entry)
        }
        return removed
    }
}

/// `count` random bytes as lower-case hex.
func randomHex(_ count: Int) -> String {
    var generator = SystemRandomNumberGenerator()
    var text = ""
    for _ in 0..<count {
        let byte = UInt8.random(in: 0...255, using: &generator)
        text += String(byte >> 4, radix: 16) + String(byte & 0xf, radix: 16)
    }
    return text
}

/// A new 64-hex id, as docker's.
func newID() -> String { randomHex(32) }

func isFullID(_ text: String) -> Bool {
    text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
}

/// rename(2), reporting the source path.
func renamePath(_ from: String, _ to: String) throws {
    try syscall("rename", path: from) { rename(from, to) }
}
