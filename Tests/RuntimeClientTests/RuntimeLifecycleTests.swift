import Diagnostics
import LinuxSyscalls
import OCIRuntimeSpec
@testable import RuntimeClient
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// One real create → start → state → delete with the release berth-runtime and a busybox bundle.
/// Needs root, /bin/busybox and the release berth-runtime of this checkout (`make build`); skipped otherwise.
final class RuntimeLifecycleTests: XCTestCase {
    /// <checkout>/.build/release/berth-runtime, found from this file's path.
    static let runtimePath: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/.build/release/berth-runtime"
    }()

    func testBusyboxTrue() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root") }
        guard RuntimeLocator.isExecutable(Self.runtimePath) else { throw XCTSkip("no \(Self.runtimePath)") }
        guard Files.exists("/bin/busybox") else { throw XCTSkip("no /bin/busybox") }

        var template = Array("/tmp/berth-rtc-life.XXXXXX".utf8CString)
        let dir = String(cString: try XCTUnwrap(mkdtemp(&template)))
        let cgroupParent = "berth-rtc-test-\(getpid())"
        let id = "rtc-\(getpid())"
        let runtime = OCIRuntime(path: Self.runtimePath, root: dir + "/state", logPath: dir + "/log.json")
        defer {
            try? runtime.delete(id: id, force: true)
            Self.removeCgroups(parent: cgroupParent, id: id)
            try? Files.removeTree(dir)
        }
        chmod(dir, 0o755)
        let bundle = dir + "/bundle"
        try Self.makeBusyboxRootfs(bundle + "/rootfs")
        // `spec` is not part of the client's API: the internal runner is enough for a test.
        try runtime.run("spec", ["spec", "--bundle", bundle], global: false)
        var spec = try Spec.decode(Files.read(bundle + "/config.json"))
        spec.process?.args = ["true"]
        spec.process?.terminal = false
        spec.linux?.cgroupsPath = "/\(cgroupParent)/\(id)"
        try Files.writeAtomically(bundle + "/config.json", try spec.encode(), mode: 0o644)

        try runtime.create(id: id, bundle: bundle, pidFile: dir + "/pid")
        let created = try runtime.state(id: id)
        XCTAssertEqual(created.status, .created)
        XCTAssertEqual(created.id, id)
        let pidText = try Files.readString(dir + "/pid")
        XCTAssertEqual(Int32(pidText), created.pid)
        XCTAssertGreaterThan(created.pid, 0)
        XCTAssertFalse(Self.cgroupDirectories(parent: cgroupParent).isEmpty, "no cgroup /\(cgroupParent)")

        try runtime.start(id: id)
        // `true` exits at once; the test process is its subreaper-less grandparent, so just poll.
        var state = try runtime.state(id: id)
        for _ in 0..<100 where state.status != .stopped {
            usleep(20_000)
            state = try runtime.state(id: id)
        }
        XCTAssertEqual(state.status, .stopped)
        XCTAssertEqual(state.bundle, bundle)

        XCTAssertThrowsError(try runtime.start(id: id)) { error in
            XCTAssertTrue("\(error)".hasPrefix("start \(id): "), "\(error)")
        }
        try runtime.delete(id: id)
        XCTAssertThrowsError(try runtime.state(id: id)) { error in
            XCTAssertTrue("\(error)".hasPrefix("state \(id): "), "\(error)")
            XCTAssertEqual((error as? BerthError)?.code, .notFound, "\(error)")
        }
        XCTAssertFalse(try runtime.version().isEmpty)
        XCTAssertNotNil(try runtime.features())
    }

    /// bin/busybox and a few applet links (the links point at /bin/busybox inside the rootfs).
    static func makeBusyboxRootfs(_ rootfs: String) throws {
        for sub in ["bin", "dev", "proc", "sys", "etc", "tmp"] { try Files.makeDirectories(rootfs + "/" + sub) }
        try Files.create(rootfs + "/bin/busybox", try Files.read("/bin/busybox"), mode: 0o755)
        for applet in ["true", "false", "sh", "sleep", "cat", "echo", "ls"] {
            try syscall("symlink", path: applet) { symlink("/bin/busybox", rootfs + "/bin/" + applet) }
        }
    }

    /// Removes the test's cgroups in every hierarchy (v1 controllers and the v2 mounts).
    static func removeCgroups(parent: String, id: String) {
        for directory in cgroupDirectories(parent: parent) {
            rmdir(directory + "/" + id)
            rmdir(directory)
        }
    }

    /// `<hierarchy>/<parent>` wherever it exists.
    static func cgroupDirectories(parent: String) -> [String] {
        var roots = ["/sys/fs/cgroup"]
        for name in (try? Files.list("/sys/fs/cgroup")) ?? [] { roots.append("/sys/fs/cgroup/" + name) }
        return roots.map { $0 + "/" + parent }.filter(Files.isDirectory)
    }
}
