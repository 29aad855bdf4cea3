import CBerthShim
import Cgroups
import ContainerInit
import Diagnostics
import LinuxSyscalls
import LiteJSON
import OCIRuntimeSpec
import Seccomp

#if canImport(Glibc)
import Glibc
#endif

/// The runtime's side of starting a container's init: spawn it into its namespaces, put it in its
/// cgroups, write its id maps, hand it the bootstrap, run the hooks it asks for, wait for `ready`.
struct InitLauncher {
    let spec: Spec
    let bootstrap: InitBootstrap
    let namespaces: NamespacePlan
    let cgroup: any CgroupManager
    /// Creates the container's cgroups and applies the limits; runs while the init starts
    /// (`create` only: `exec` joins existing ones).
    let createCgroup: (() throws -> Void)?
    let console: ConsoleTarget?
    /// The exec fifo the init waits on (`create` only).
    let fifo: FileDescriptor?
    /// The compiled seccomp filter for config.json's profile, if it has one; made while the init
    /// starts up.
    let compileSeccomp: () throws -> CompiledSeccompFilter?

    /// Starts the init and returns its host pid once it is set up and waiting for `start`.
    /// On failure the init is killed and reaped before the error is thrown.
    func launch() throws -> Int32 {
        let exe = try sealedRuntimeBinary()
        let minimumFD = Int32(3 + bootstrap.preserveFds)
        var pair: [Int32] = [0, 0]
        try syscall("socketpair") { bt_socketpair_seqpacket(&pair) }
        let parentEnd = FileDescriptor(pair[0])
        // The init's descriptors must stay clear of the fds --preserve-fds passes through.
        let childEnd = try duplicate(FileDescriptor(pair[1]), atLeast: minimumFD)
        let fifoFD = try fifo.map { try duplicate($0, atLeast: minimumFD) }
        var bootstrap = self.bootstrap
        bootstrap.fifoFD = fifoFD?.rawValue ?? -1

        let argv = ["berth-runtime", "init", String(childEnd.rawValue)]
        let timeOffsets = namespaces.timeOffsets
        let intermediate: Int32 = try withCStrings(argv) { argvC in
            try withCStrings([]) { envC in
                var config = bt_spawn_config()
                config.sync_fd = childEnd.rawValue
                config.exe_fd = exe.rawValue
                namespaces.fill(&config)
                let keep = [childEnd.rawValue] + (fifoFD.map { [$0.rawValue] } ?? [])
                config.keep_count = Int32(keep.count)
                withUnsafeMutableBytes(of: &config.keep_fds) { raw in
                    let fds = raw.bindMemory(to: Int32.self)
                    for (index, fd) in keep.enumerated() { fds[index] = fd }
                }
                return try argvC.withUnsafeBufferPointer { argvBuffer in
                    try envC.withUnsafeBufferPointer { envBuffer in
                        config.argv = UnsafePointer(argvBuffer.baseAddress)
                        config.envp = UnsafePointer(envBuffer.baseAddress)
                        return try timeOffsets.withCString { offsets in
                            if !timeOffsets.isEmpty {
                                config.timens_offsets = offsets
                                config.timens_offsets_len = timeOffsets.utf8.count
                            }
                            return try syscall("fork init") { bt_spawn(&config) }
                        }
                    }
                }
            }
        }
        childEnd.close()
        fifoFD?.close()
        let sync = SyncSocket(fd: parentEnd.rawValue)
        var initPid: Int32 = -1
        do {
            // The cgroups are made while the namespaces are made and the init starts up: the two
            // overlap, and the init waits for `proceed` before it does anything for the container.
            var cgroupError: (any Error)?
            var seccomp: CompiledSeccompFilter?
            do {
                try createCgroup?()
                seccomp = try compileSeccomp()
            } catch { cgroupError = error }
            initPid = try handOff(intermediate: intermediate, sync: sync, namespaces: namespaces)
            if let cgroupError { throw cgroupError }
            bootstrap.hasSeccomp = seccomp != nil
            try configure(initPid: initPid, sync: sync, bootstrap: bootstrap, seccomp: seccomp)
            return initPid
        } catch {
            if initPid > 0 {
                kill(initPid, SIGKILL)
                _ = try? Processes.wait(initPid)
            }
            throw error
        }
    }

    /// Phase 1, with the C spawner: id maps, the final pid.
    private func handOff(intermediate: Int32, sync: SyncSocket, namespaces: NamespacePlan) throws -> Int32 {
        var handedOff = false
        defer {
            // On failure the helper may be blocked waiting for us: end it before reaping it.
            if !handedOff { kill(intermediate, SIGKILL) }
            _ = try? Processes.wait(intermediate)
        }
        while true {
            var message = bt_spawn_msg()
            let n = read(sync.fd, &message, MemoryLayout<bt_spawn_msg>.size)
            if n < 0 && errno == EINTR { continue }
            guard n == MemoryLayout<bt_spawn_msg>.size else {
                throw BerthError(.internalError, "start init: the namespace helper exited early")
            }
            switch UInt8(truncatingIfNeeded: message.type) {
            case UInt8(ascii: "U"):
                try BerthError.wrap("write id maps") { try namespaces.writeIDMaps(pid: intermediate) }
                var ok = UInt8(ascii: "M")
                guard write(sync.fd, &ok, 1) == 1 else { throw BerthError.system("start init") }
            case UInt8(ascii: "P"):
                handedOff = true
                return message.value
            default:
                throw BerthError(.system, "start init: \(SpawnStage.describe(message.stage)): \(errnoDescription(message.value))",
                                 errno: message.value)
            }
        }
    }

    /// Phase 2, with the Swift init: oom score, bootstrap, cgroups, hooks, ready.
    private func configure(initPid: Int32, sync: SyncSocket, bootstrap: InitBootstrap, seccomp: CompiledSeccompFilter?) throws {
        if let score = spec.process?.oomScoreAdj {
            // Written from the host's /proc: the container's /proc is not to be trusted.
            try BerthError.wrap("set oom_score_adj") { try Files.writeControl("/proc/\(initPid)/oom_score_adj", String(score)) }
        }
        var bootstrap = bootstrap
        bootstrap.state.pid = initPid
        let console: FileDescriptor? = switch self.console {
        case .path(let path): try BerthError.wrap("connect console socket \(path)") { try LocalSocket.connect(path: path, type: LocalSocket.stream) }
        case .connected(let fd): fd
        case nil: nil
        }
        try sync.send(.bootstrap(try LiteJSONEncoder().encode(bootstrap)), passing: console?.rawValue ?? -1)
        console?.close()
        if let seccomp { try sync.send(.seccomp(seccomp.encoded)) }
        try BerthError.wrap("join cgroup") { try cgroup.add(pid: initPid) }
        try sync.send(.proceed)
        while true {
            guard let (message, passedFD) = try sync.receive() else {
                let status = (try? Processes.wait(initPid)).map(Processes.exitCode(fromWaitStatus:)) ?? -1
                throw BerthError(.internalError, "container init exited unexpectedly (status \(status))")
            }
            switch message {
            case .runHooks:
                var state = bootstrap.state
                state.status = .creating
                let json = try LiteJSONEncoder().encode(state)
                try HookRunner.run(spec.hooks?.prestart, phase: "prestart", stateJSON: json)
                try HookRunner.run(spec.hooks?.createRuntime, phase: "createRuntime", stateJSON: json)
                try sync.send(.hooksDone)
            case .seccompListener:
                let listener = FileDescriptor(passedFD)
                try BerthError.wrap("hand the seccomp listener to \(spec.linux?.seccomp?.listenerPath ?? "")") {
                    try SeccompAgent.send(listener, spec: spec, pid: initPid, state: bootstrap.state)
                }
            case .ready:
                return
            case .failed(let text):
                _ = try? Processes.wait(initPid)
                throw BerthError(.external, text)
            default:
                throw BerthError(.internalError, "unexpected message from init: \(message)")
            }
        }
    }

    private func duplicate(_ fd: FileDescriptor, atLeast minimum: Int32) throws -> FileDescriptor {
        if fd.rawValue >= minimum { return fd }
        return FileDescriptor(try syscall("dup") { fcntl(fd.rawValue, F_DUPFD_CLOEXEC, minimum) })
    }

    /// A descriptor of our own binary on a private read-only mount: the init is exec'd from it, so
    /// `/proc/<pid>/exe` of anything in the container can never be opened for writing
    /// (CVE-2019-5736) — without copying the binary.
    private func sealedRuntimeBinary() throws -> FileDescriptor {
        let tree = FileDescriptor(try syscall("open_tree", path: "/proc/self/exe") {
            bt_open_tree_clone(AT_FDCWD, "/proc/self/exe", 0, 0)
        })
        try syscall("mount_setattr read-only", path: "/proc/self/exe") { bt_mount_setattr_rdonly(tree.rawValue, 0) }
        return tree
    }
}

/// Where the init sends the pty master: a manager's `--console-socket`, or our own socket pair.
enum ConsoleTarget {
    case path(String)
    case connected(FileDescriptor)

    /// The target for a process with `terminal`: the socket path when given, else a socket pair
    /// whose other end (returned too) receives the master for the runtime to relay.
    static func make(socketPath: String?, terminal: Bool) throws -> (ConsoleTarget?, FileDescriptor?) {
        if let socketPath { return (.path(socketPath), nil) }
        guard terminal else { return (nil, nil) }
        let (ours, theirs) = try UnixSocket.pair()
        return (.connected(theirs), ours)
    }
}

enum SpawnStage {
    static func describe(_ stage: Int32) -> String {
        switch UInt32(stage) {
        case BT_STAGE_SETNS.rawValue: "join namespace"
        case BT_STAGE_UNSHARE_USER.rawValue: "create user namespace"
        case BT_STAGE_ID_MAPS.rawValue: "wait for id maps"
        case BT_STAGE_SETRESID.rawValue: "become root in the user namespace"
        case BT_STAGE_UNSHARE.rawValue: "create namespaces"
        case BT_STAGE_TIMENS.rawValue: "write time namespace offsets"
        case BT_STAGE_CLONE.rawValue: "clone init"
        case BT_STAGE_KEEP_FDS.rawValue: "keep descriptors"
        case BT_STAGE_EXEC.rawValue: "exec init"
        case BT_STAGE_SETSID.rawValue: "setsid"
        default: "stage \(stage)"
        }
    }
}
