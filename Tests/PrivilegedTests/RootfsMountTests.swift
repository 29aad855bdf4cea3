import Diagnostics
import LinuxSyscalls
import OCIRuntimeSpec
import RootFilesystem
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// mountAll, pivot and finalize for real. The test process has threads, so it must not unshare:
/// it re-runs its own binary under `unshare --mount --propagation private`, where
/// `RootfsChildScenario` (enabled only there, by BERTH_ROOTFS_CHILD) does the setup and checks
/// the result from inside the new root. The parent then checks that nothing escaped the root.
@Suite(.serialized, .enabled(if: getuid() == 0, "needs root"))
struct RootfsMountTests {
    @Test(arguments: [false, true])
    func setUpPivotFinalize(noPivot: Bool) throws {
        let root = try HostileRoot()
        let source = try makeTemporaryDirectory("berth-rootfs-src")
        defer {
            root.remove()
            try? Files.removeTree(source)
        }
        try Files.create("\(source)/hello", Array("hello".utf8))
        // proc -> /etc would (rightly) be refused; the other hostile links stay.
        try Files.removeFile("\(root.path)/proc")
        let status = try runChild(environment: [
            "BERTH_ROOTFS_CHILD=\(root.path)", "BERTH_ROOTFS_SOURCE=\(source)", "BERTH_ROOTFS_TAG=\(root.tag)",
            "BERTH_ROOTFS_NOPIVOT=\(noPivot ? 1 : 0)",
        ])
        #expect(status == 0, "child scenario failed (see its output above)")
        // The targets behind /mnt -> /tmp and /x -> ../../../../../tmp were made inside the root.
        #expect(Files.isDirectory("\(root.path)/tmp/\(root.tag)-dir"))
        #expect(Files.exists("\(root.path)/tmp/\(root.tag)-file"))
        #expect(!Files.exists("/tmp/\(root.tag)-dir") && !Files.exists("/tmp/\(root.tag)-file"))
    }

    private func runChild(environment extra: [String]) throws -> Int32 {
        let executable = try Files.readLink("/proc/self/exe")
        let arguments = ["unshare", "--mount", "--propagation", "private", "--", executable,
                         "--testing-library", "swift-testing", "--filter", "RootfsChildScenario"]
        var environment: [String] = []
        var entry = environ
        while let pointer = entry.pointee {
            environment.append(String(cString: pointer))
            entry += 1
        }
        environment += extra
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, "unshare", nil, nil, argv, envp)
        guard result == 0 else { throw BerthError.system("posix_spawn unshare", errno: result) }
        return Processes.exitCode(fromWaitStatus: try Processes.wait(pid))
    }
}

/// Runs only in the child started by `RootfsMountTests`, inside a private mount namespace.
@Suite(.enabled(if: getenv("BERTH_ROOTFS_CHILD") != nil, "runs in the child of RootfsMountTests"))
struct RootfsChildScenario {
    @Test func scenario() throws {
        let env = { (name: String) in getenv(name).map { String(cString: $0) } ?? "" }
        let rootfs = env("BERTH_ROOTFS_CHILD")
        let source = env("BERTH_ROOTFS_SOURCE")
        let tag = env("BERTH_ROOTFS_TAG")
        var linux = Linux(namespaces: [Namespace(type: .mount)])
        linux.maskedPaths = ["/proc/kcore", "/proc/acpi", "/proc/\(tag)-missing"]
        linux.readonlyPaths = ["/proc/sys", "/proc/\(tag)-missing"]
        let spec = Spec(root: Root(path: rootfs, readonly: true), mounts: [
            Mount(destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"]),
            Mount(destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "strictatime", "mode=755", "size=1m"]),
            Mount(destination: "/dev/pts", type: "devpts", source: "devpts",
                  options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]),
            Mount(destination: "/dev/shm", type: "tmpfs", source: "shm", options: ["nosuid", "noexec", "nodev", "mode=1777"]),
            Mount(destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"]),
            Mount(destination: "/mnt/\(tag)-dir", type: "bind", source: source, options: ["rbind", "ro", "rprivate"]),
            Mount(destination: "/x/\(tag)-file", type: "bind", source: "\(source)/hello", options: ["bind", "nosuid"]),
            Mount(destination: "/ro", type: "tmpfs", source: "tmpfs", options: ["ro", "size=1m"]),
        ], linux: linux)
        let setup = try RootfsSetup(config: RootfsConfig(
            rootfs: rootfs, spec: spec, noPivot: env("BERTH_ROOTFS_NOPIVOT") == "1"))
        try setup.mountAll()
        let ptmx = try setup.open(inRoot: "/dev/pts/ptmx", flags: O_RDWR | O_NOCTTY)
        #expect(ptmx.rawValue >= 0)
        try setup.pivot()
        try setup.finalize()

        var buffer = [CChar](repeating: 0, count: 4096)
        #expect(getcwd(&buffer, buffer.count).map { String(cString: $0) } == "/")
        #expect(try Files.readString("/tmp/\(tag)-dir/hello") == "hello")
        #expect(try Files.readString("/tmp/\(tag)-file") == "hello")
        #expect(open("/tmp/\(tag)-dir/new", O_WRONLY | O_CREAT, 0o644) == -1 && errno == EROFS)
        #expect(isReadOnly("/") && isReadOnly("/ro") && isReadOnly("/proc/sys") && isReadOnly("/sys"))
        #expect(!isReadOnly("/dev") && !isReadOnly("/dev/shm") && !isReadOnly("/proc"))
        #expect(mkdir("/\(tag)-new", 0o755) == -1 && errno == EROFS)
        #expect(isNullDevice("/dev/null"))
        if Files.exists("/proc/kcore") { #expect(isNullDevice("/proc/kcore")) }
        #expect(try Files.readLink("/dev/ptmx") == "pts/ptmx")
        #expect(try Files.readLink("/dev/fd") == "/proc/self/fd")
        #expect(try Files.readLink("/dev/stderr") == "/proc/self/fd/2")
        #expect(Files.exists("/proc/self/exe"))
    }

    private func isReadOnly(_ path: String) -> Bool {
        var info = statvfs()
        return statvfs(path, &info) == 0 && info.f_flag & UInt(ST_RDONLY) != 0
    }

    private func isNullDevice(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFCHR else { return false }
        return DeviceNode.split(UInt64(info.st_rdev)) == (1, 3)
    }
}
