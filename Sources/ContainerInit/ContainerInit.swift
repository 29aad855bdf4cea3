import CBerthShim
import Diagnostics
import LinuxSyscalls
import LiteJSON
import OCIRuntimeSpec
import RootFilesystem
import Seccomp

#if canImport(Glibc)
import Glibc
#endif

/// The container's init: runs in the re-executed, single-threaded `berth-runtime init`, already
/// inside the container's namespaces and cgroups, and ends in `execve` of `process.args`.
///
/// Order (runc's `standard_init_linux.go`): mounts → createRuntime hooks (by the runtime) →
/// createContainer hooks → console → pivot_root → hostname, sysctl → masked/read-only paths →
/// rlimits → identity and capabilities → cwd → ready → wait for `start` → startContainer hooks → exec.
public enum ContainerInit {
    /// Never returns: execs the container process or exits 1 after reporting the error.
    public static func main(syncFD: Int32) -> Never {
        let sync = SyncSocket(fd: syncFD)
        do {
            let plan = try receiveBootstrap(sync)
            // Decoding overlapped with the runtime joining us to the container's cgroups; nothing
            // is done for the container before that.
            try sync.expect(.proceed)
            if plan.bootstrap.cgroupNamespace {
                try syscall("unshare cgroup namespace") { bt_unshare(BT_CLONE_NEWCGROUP) }
            }
            if plan.isExec {
                // `exec`: already in the container's namespaces and root; only the process's
                // own settings remain, and it runs at once.
                try setUpProcess(plan, sync: sync, console: try plan.process.terminal == true
                    ? Console.create(socket: plan.consoleSocket, size: plan.process.consoleSize, open: openInContainer)
                    : nil)
                try sync.send(.ready)
                close(syncFD)
                try loadSeccompLate(plan)
                try plan.executable.exec()
            }
            try setUp(plan, sync: sync)
            try sync.send(.ready)
            try waitForStart(plan)
            try HookRunner.run(plan.spec.hooks?.startContainer, phase: "startContainer",
                               stateJSON: plan.stateJSON(status: .created))
            close(syncFD)
            try loadSeccompLate(plan)
            try plan.executable.exec()
        } catch {
            let message = (error as? BerthError)?.message ?? "\(error)"
            // The runtime is waiting on the socket until `ready`; after that (between `start` and
            // exec) nobody is, and stderr is the container's.
            if (try? sync.send(.failed(message))) == nil {
                let text = "berth-runtime init: \(message)\n"
                _ = text.withCString { write(2, $0, strlen($0)) }
            }
            exit(1)
        }
    }

    static func receiveBootstrap(_ sync: SyncSocket) throws -> InitPlan {
        guard let (message, passedFD) = try sync.receive(), case .bootstrap(let bytes) = message else {
            throw BerthError(.internalError, "init: no bootstrap message")
        }
        let bootstrap = try LiteJSONDecoder().decode(InitBootstrap.self, from: bytes)
        let spec = try Spec.decode(Array(bootstrap.config.utf8))
        var plan = try InitPlan(bootstrap: bootstrap, spec: spec, consoleSocket: passedFD)
        if bootstrap.hasSeccomp {
            guard let (message, _) = try sync.receive(), case .seccomp(let filter) = message else {
                throw BerthError(.internalError, "init: no seccomp message")
            }
            plan.seccomp = try CompiledSeccompFilter(encoded: filter)
        }
        return plan
    }

    static func setUp(_ plan: InitPlan, sync: SyncSocket) throws {
        let spec = plan.spec
        let process = plan.process
        if !plan.bootstrap.noNewKeyring {
            // A session keyring of its own per container, as runc does; absent keyring support is fine.
            if bt_join_session_keyring("_ses.\(plan.bootstrap.id)") < 0 && errno != ENOSYS {
                throw BerthError.system("join session keyring")
            }
        }
        let rootfs = try RootfsSetup(config: RootfsConfig(
            rootfs: plan.bootstrap.rootfs, spec: spec, noPivot: plan.bootstrap.noPivot,
            inUserNamespace: plan.bootstrap.inUserNamespace, cgroupMounts: plan.bootstrap.cgroupMounts,
            cgroupNamespace: plan.bootstrap.cgroupNamespace))
        try BerthError.wrap("set up rootfs") { try rootfs.mountAll() }

        if spec.hooks?.prestart?.isEmpty == false || spec.hooks?.createRuntime?.isEmpty == false {
            try sync.send(.runHooks)
            try sync.expect(.hooksDone)
        }
        try HookRunner.run(spec.hooks?.createContainer, phase: "createContainer",
                           stateJSON: plan.stateJSON(status: .creating))

        try BerthError.wrap("create cwd \(process.cwd)") { try rootfs.makeDirectory(inRoot: process.cwd) }

        var console: Console?
        if process.terminal == true {
            console = try BerthError.wrap("set up console") {
                let console = try Console.create(socket: plan.consoleSocket, size: process.consoleSize) {
                    try rootfs.open(inRoot: $0, flags: $1)
                }
                try rootfs.bindConsole(slave: console.slavePath)
                return console
            }
        }
        try BerthError.wrap("pivot root") { try rootfs.pivot() }
        try setHostnames(spec)
        try writeSysctls(spec.linux?.sysctl)
        try BerthError.wrap("finalize rootfs") { try rootfs.finalize() }
        try setUpProcess(plan, sync: sync, console: console)
    }

    /// What `create` and `exec` share: stdio, rlimits, identity, capabilities, cwd, descriptors,
    /// no_new_privs.
    static func setUpProcess(_ plan: InitPlan, sync: SyncSocket, console: Console?) throws {
        let process = plan.process
        try console?.attachStdio()
        var listener: FileDescriptor?
        if process.noNewPrivileges != true {
            // Without no_new_privs the kernel wants CAP_SYS_ADMIN to load a filter: before the
            // capabilities are dropped (runc does the same).
            listener = try plan.seccomp?.load()
        }
        try Identity.apply(process: process, inUserNamespace: plan.bootstrap.inUserNamespace)
        try BerthError.wrap("chdir to cwd \(process.cwd)") { try changeDirectory(process.cwd) }
        try closeStrayDescriptors(keeping: plan.bootstrap.preserveFds)
        try plan.executable.check()
        if process.noNewPrivileges == true {
            try syscall("set no_new_privs") { bt_set_no_new_privs() }
        }
        try SecurityModules.apply(process: process, spec: plan.spec)
        if process.noNewPrivileges == true && plan.seccomp?.hasListener == true {
            // The listener must reach the runtime, which only listens until `ready`.
            listener = try plan.seccomp?.load()
        }
        if let listener {
            try sync.send(.seccompListener, passing: listener.rawValue)
        }
    }

    /// With no_new_privs the filter goes on as close to execve as possible, so that the
    /// runtime's own last system calls need not be allowed by the profile (runc's order).
    static func loadSeccompLate(_ plan: InitPlan) throws {
        if plan.process.noNewPrivileges == true && plan.seccomp?.hasListener != true { try plan.seccomp?.load() }
    }

    /// Opens a path of the container from inside it (`exec` joined its mount namespace, whose
    /// root is the container's root).
    static func openInContainer(_ path: String, _ flags: Int32) throws -> FileDescriptor {
        try FileDescriptor.open(path, flags | O_NOFOLLOW)
    }

    static func setHostnames(_ spec: Spec) throws {
        if let hostname = spec.hostname, !hostname.isEmpty {
            try syscall("sethostname", path: hostname) { bt_sethostname(hostname, hostname.utf8.count) }
        }
        if let domain = spec.domainname, !domain.isEmpty {
            try syscall("setdomainname", path: domain) { bt_setdomainname(domain, domain.utf8.count) }
        }
    }

    /// Writes `linux.sysctl` into the container's own /proc/sys, which we mounted ourselves
    /// (before readonlyPaths make it read-only).
    static func writeSysctls(_ sysctl: [String: String]?) throws {
        for (key, value) in (sysctl ?? [:]).sorted(by: { $0.key < $1.key }) {
            if key.contains("..") || key.contains("/../") {
                throw BerthError.invalid("sysctl \(key): invalid key")
            }
            let path = "/proc/sys/" + key.replacingOccurrences(".", with: "/")
            try BerthError.wrap("sysctl \(key)") { try Files.writeControl(path, value) }
        }
    }

    /// chdir, then make sure the directory really is inside the new root (CVE-2024-21626: a
    /// leaked host directory fd as cwd shows up as "(unreachable)/...").
    static func changeDirectory(_ path: String) throws {
        try syscall("chdir", path: path) { chdir(path) }
        var buffer = [CChar](repeating: 0, count: 4096)
        guard let cwd = getcwd(&buffer, buffer.count) else { throw BerthError.system("getcwd") }
        let resolved = String(cString: cwd)
        guard resolved.hasPrefix("/") else {
            throw BerthError(.system, "current working directory \(resolved) is outside the container's root")
        }
    }

    /// Marks every descriptor from 3 + `keeping` up close-on-exec: only stdio and `--preserve-fds`
    /// reach the container process.
    static func closeStrayDescriptors(keeping: Int) throws {
        try syscall("close_range") { bt_close_range_cloexec(UInt32(3 + max(0, keeping))) }
    }

    static func waitForStart(_ plan: InitPlan) throws {
        // The fifo is open read-write here, so this read blocks until `start` writes its byte.
        // The descriptor stays open (close-on-exec) until the exec: `start` waits for it to
        // close before it runs the poststart hooks.
        var byte: UInt8 = 0
        let n = try syscall("read exec fifo") { read(plan.bootstrap.fifoFD, &byte, 1) }
        guard n == 1 else { throw BerthError(.internalError, "exec fifo closed before start") }
    }
}

extension String {
    func replacingOccurrences(_ target: Character, with replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
