import Cgroups
import Diagnostics
import LinuxSyscalls
import LiteJSON

#if canImport(Glibc)
import Glibc
#endif

/// A fresh directory under /tmp. Call `remove()` in a `defer`: that also keeps the value alive
/// to the end of the test (an unused binding may be released at once).
final class TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/berth-cgroups-test-XXXXXX".utf8CString)
        guard let result = mkdtemp(&template) else { throw BerthError.system("mkdtemp") }
        path = String(cString: result)
    }

    deinit { remove() }

    func remove() { try? Files.removeTree(path) }

    /// Creates `directory` (relative to the temp dir, with parents) holding `files`
    /// (name → content); returns its absolute path.
    @discardableResult
    func makeCgroup(_ directory: String, _ files: [String: String] = [:]) throws -> String {
        let full = directory.isEmpty ? path : "\(path)/\(directory)"
        try Files.makeDirectories(full)
        for (name, content) in files { try Files.writeAtomically("\(full)/\(name)", Array(content.utf8), mode: 0o644) }
        return full
    }

    func read(_ file: String) throws -> String { try Files.readString("\(path)/\(file)") }
}

/// The real file operations on a temporary tree, recording every write in order and failing
/// chosen writes the way the kernel would.
final class RecordingCgroupFiles: CgroupFiles {
    struct Write: Equatable, CustomStringConvertible {
        var file: String
        var value: String
        var description: String { "\(file)=\(value)" }
    }

    private let host = HostCgroupFiles()
    private(set) var writes: [Write] = []
    /// file name → errnos the next writes of it fail with, in order (0: that write succeeds).
    var failures: [String: [Int32]] = [:]
    /// file name → what a read returns after a write (the kernel's echo, e.g. clamped shares).
    var readBack: [String: String] = [:]
    /// Create files that do not exist on write, as a kernel cgroup would already have them.
    var createMissingFiles = false
    /// Remove directories with their (fake control) files, since a temp dir is no cgroupfs.
    var removeRecursively = true

    func read(_ directory: String, _ file: String) throws -> String {
        if let value = readBack[file] { return value }
        if createMissingFiles && !host.exists(directory, file) { return "" }
        return try host.read(directory, file)
    }

    func write(_ directory: String, _ file: String, _ value: String) throws {
        if let code = nextFailure(file) {
            writes.append(Write(file: file, value: "!" + value))
            throw BerthError(code == ENOENT ? .notFound : .system,
                             "set cgroup \(file) \(directory): \(errnoDescription(code))", errno: code)
        }
        if createMissingFiles && !host.exists(directory, file) {
            try Files.create("\(directory)/\(file)", [])
        }
        // A control file keeps the last value written, like most cgroup files read back.
        if host.exists(directory, file) {
            try Files.writeAtomically("\(directory)/\(file)", Array(value.utf8), mode: 0o644)
        } else {
            try host.write(directory, file, value)
        }
        writes.append(Write(file: file, value: value))
    }

    /// The errno the next write of `file` fails with; 0 in the queue lets one write through.
    private func nextFailure(_ file: String) -> Int32? {
        guard var queue = failures[file], !queue.isEmpty else { return nil }
        let code = queue.removeFirst()
        failures[file] = queue
        return code == 0 ? nil : code
    }

    func exists(_ directory: String, _ file: String) -> Bool { host.exists(directory, file) }

    func makeDirectory(_ path: String) throws { try host.makeDirectory(path) }

    func removeDirectory(_ path: String) throws {
        guard Files.isDirectory(path) else { throw BerthError.system("rmdir", path: path, errno: ENOENT) }
        if removeRecursively {
            // Only the plain files: a sub-directory is a child cgroup and must make rmdir fail.
            for name in try Files.list(path) where !Files.isDirectory("\(path)/\(name)") {
                try Files.removeFile("\(path)/\(name)")
            }
        }
        try host.removeDirectory(path)
    }

    func subdirectories(_ path: String) throws -> [String] { try host.subdirectories(path) }

    /// The writes as "file=value" strings, for compact expectations.
    var log: [String] { writes.map(\.description) }
}

/// Real lines from this machine's /proc/self/mountinfo (cgroup hybrid mode) and a few others.
enum Samples {
    static let hybridMountInfo = """
        23 1 0:21 / / rw,relatime - overlay overlay rw,lowerdir=/l,upperdir=/u,workdir=/w
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
        34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
        37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
        38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
        39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
        40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw

        """

    static let hybridProcCgroup = """
        9:name=systemd:/
        8:pids:/
        7:blkio:/
        6:freezer:/
        5:devices:/
        4:memory:/process_api/46a15285a0961e61c19bc04ce5e778e4
        3:cpuset:/
        2:cpuacct:/
        1:cpu:/
        0::/

        """

    /// A Debian 10 style v1 host: cpu and cpuacct share a hierarchy, with systemd's options.
    static let v1MountInfo = """
        25 30 0:23 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:4 - tmpfs tmpfs ro,mode=755
        27 25 0:25 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:6 - cgroup cgroup rw,xattr,release_agent=/lib/systemd/systemd-cgroups-agent,name=systemd
        30 25 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,cpu,cpuacct
        31 25 0:29 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,memory
        32 25 0:30 / /sys/fs/cgroup/devices rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,devices
        33 25 0:31 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,net_cls,net_prio
        34 25 0:32 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,cpuset,clone_children
        35 25 0:33 / /sys/fs/cgroup/freezer rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,freezer
        36 25 0:34 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:17 - cgroup cgroup rw,pids
        37 25 0:35 / /sys/fs/cgroup/blkio rw,nosuid,nodev,noexec,relatime shared:18 - cgroup cgroup rw,blkio
        90 80 0:31 /docker/abc /var/lib/x/sys/fs/cgroup/net_cls,net_prio ro,relatime - cgroup cgroup rw,net_cls,net_prio

        """

    static let v1ProcCgroup = """
        10:blkio:/user.slice
        9:pids:/user.slice/user-0.slice/session-1.scope
        8:freezer:/
        7:cpuset:/
        6:net_cls,net_prio:/
        5:devices:/user.slice
        4:memory:/user.slice/user-0.slice/session-1.scope
        3:cpu,cpuacct:/user.slice
        1:name=systemd:/user.slice/user-0.slice/session-1.scope

        """

    static let v2MountInfo = """
        24 30 0:22 / /sys ro,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
        26 24 0:24 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot

        """

    static let v2ProcCgroup = "0::/user.slice/user-1000.slice/session-2.scope\n"
}

/// A spec value from its config.json form: `WeightDevice`, `ThrottleDevice` and
/// `HugepageLimit` have no public memberwise initializer.
func spec<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
    try LiteJSONDecoder().decode(type, from: json)
}
