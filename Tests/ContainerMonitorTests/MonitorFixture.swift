@testable import ContainerMonitor
import Diagnostics
import EngineState
import LinuxSyscalls
import LiteJSON
@testable import RuntimeClient
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// A busybox bundle, a container store with one record, and the release berth-runtime and
/// berth-monitor of this checkout, for one monitored container. Needs root and /bin/busybox.
final class MonitorFixture {
    /// `<checkout>/.build-monitor/release/<name>`, else `<checkout>/.build/release/<name>`.
    static func binary(_ name: String) -> String? {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        let checkout = parts.joined(separator: "/")
        return [".build-monitor", ".build"].map { "\(checkout)/\($0)/release/\(name)" }.first(where: RuntimeLocator.isExecutable)
    }

    /// Skips the test unless everything is there.
    static func require() throws -> (runtime: String, monitor: String) {
        guard getuid() == 0 else { throw XCTSkip("needs root") }
        guard Files.exists("/bin/busybox") else { throw XCTSkip("no /bin/busybox") }
        guard let runtime = binary("berth-runtime") else { throw XCTSkip("no release berth-runtime") }
        guard let monitor = binary("berth-monitor") else { throw XCTSkip("no release berth-monitor") }
        return (runtime, monitor)
    }

    let dir: String
    let store: ContainerStore
    let id: String
    let runtime: OCIRuntime
    let monitorPath: String
    let cgroupParent: String
    var config: MonitorConfig
    var session: MonitorSession?

    init(args: [String], tty: Bool = false, openStdin: Bool = false, restart: String = "no") throws {
        let (runtimePath, monitorPath) = try Self.require()
        self.monitorPath = monitorPath
        var template = Array("/tmp/berth-mon.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw BerthError.system("mkdtemp") }
        dir = String(cString: made)
        chmod(dir, 0o755)
        store = try ContainerStore(root: dir + "/store")
        id = try store.create(name: nil, image: "busybox", imageID: "sha256:" + String(repeating: "0", count: 64)).id
        runtime = OCIRuntime(path: runtimePath, root: dir + "/runtime", logPath: dir + "/runtime-log.json")
        cgroupParent = "berth-monitor-test-\(getpid())"
        let bundle = dir + "/bundle"
        try Self.makeBusyboxRootfs(bundle + "/rootfs")
        try runtime.run("spec", ["spec", "--bundle", bundle], global: false)
        var spec = try JSONParser.parse(try Files.read(bundle + "/config.json"))
        spec = spec.setting(["process", "args"], .array(args.map { .string($0) }))
        spec = spec.setting(["process", "terminal"], .bool(tty))
        spec = spec.setting(["linux", "cgroupsPath"], .string("/\(cgroupParent)/\(id)"))
        try Files.writeAtomically(bundle + "/config.json", spec.serialized(), mode: 0o644)
        config = MonitorConfig(
            storeRoot: store.root, containerID: id, containerDirectory: "\(store.root)/containers/\(id)",
            runtimePath: runtimePath, runtimeRoot: dir + "/runtime", runtimeLogPath: dir + "/runtime-log.json",
            bundle: bundle, pidFile: dir + "/pid", tty: tty, openStdin: openStdin, logPath: dir + "/container.log",
            logMaxSize: nil, logMaxFiles: 1, restartPolicy: restart, rootfsPath: bundle + "/rootfs",
            autoRemove: false, anonymousVolumes: [])
    }

    /// Spawns the monitor and waits for "created".
    @discardableResult
    func launch() throws -> MonitorSession {
        let session = try MonitorLauncher.launch(executable: monitorPath, configPath: dir + "/monitor.json", config: config)
        self.session = session
        return session
    }

    /// Waits (at most `seconds`) for the monitor to exit; its exit status.
    func waitForMonitor(seconds: Int = 20) throws -> Int32 {
        let pid = try XCTUnwrap(session?.monitorPid)
        var status: Int32 = 0
        for _ in 0..<(seconds * 100) {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return Processes.exitCode(fromWaitStatus: status) }
            if result < 0 { throw BerthError.system("waitpid", path: String(pid)) }
            usleep(10_000)
        }
        throw BerthError(.system, "monitor \(pid) still runs after \(seconds) s")
    }

    /// Collects what an attach client receives until the exit message or end of file.
    static func collect(_ client: AttachClient) throws -> (stdout: String, stderr: String, exit: Int32?) {
        var out: [UInt8] = [], err: [UInt8] = []
        while let message = try client.receive() {
            switch message {
            case .stdout(let bytes): out += bytes
            case .stderr(let bytes): err += bytes
            case .exit(let code): return (String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self), code)
            default: break
            }
        }
        return (String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self), nil)
    }

    func record() throws -> ContainerRecord { try store.load(id) }

    /// Kills a monitor still running, removes the runtime's container, the cgroups, the directory.
    func cleanUp() {
        if let pid = session?.monitorPid, kill(pid, 0) == 0 {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        try? runtime.delete(id: id, force: true)
        for root in Self.cgroupRoots() {
            rmdir("\(root)/\(cgroupParent)/\(id)")
            rmdir("\(root)/\(cgroupParent)")
        }
        try? Files.removeTree(dir)
    }

    static func cgroupRoots() -> [String] {
        ["/sys/fs/cgroup"] + ((try? Files.list("/sys/fs/cgroup")) ?? []).map { "/sys/fs/cgroup/\($0)" }
    }

    /// bin/busybox and the applets the tests use.
    static func makeBusyboxRootfs(_ rootfs: String) throws {
        for sub in ["bin", "dev", "proc", "sys", "etc", "tmp"] { try Files.makeDirectories(rootfs + "/" + sub) }
        try Files.create(rootfs + "/bin/busybox", try Files.read("/bin/busybox"), mode: 0o755)
        for applet in ["true", "false", "sh", "sleep", "cat", "echo", "stty", "tty"] {
            try syscall("symlink", path: applet) { symlink("/bin/busybox", rootfs + "/bin/" + applet) }
        }
    }

    /// VmRSS of `pid` from /proc/PID/status, in kB.
    static func residentKilobytes(_ pid: Int32) -> Int? {
        guard let text = try? Files.readString("/proc/\(pid)/status") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])
        }
        return nil
    }
}

extension JSONValue {
    /// This object with the member at `path` set to `value` (made when missing).
    func setting(_ path: [String], _ value: JSONValue) -> JSONValue {
        guard let key = path.first else { return value }
        var members = objectValue ?? []
        let child = self[key] ?? .object([])
        let updated = child.setting(Array(path.dropFirst()), value)
        if let index = members.lastIndex(where: { $0.0 == key }) { members[index].1 = updated } else { members.append((key, updated)) }
        return .object(members)
    }
}
