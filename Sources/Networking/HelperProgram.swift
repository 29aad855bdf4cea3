import CBerthShim
import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// What a helper program (a CNI plugin, iptables-restore, ip) printed and how it ended.
struct ProgramResult: Sendable {
    var status: Int32
    var stdout: [UInt8]
    var stderr: [UInt8]

    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// Runs helper programs directly, without a shell.
///
/// posix_spawn (clone(CLONE_VM|CLONE_VFORK) + exec in glibc) is safe from a threaded caller.
/// The child's stdin, stdout and stderr are memfds: the input is written before the spawn and
/// the output read after the exit, so no pipe can fill up and block either side, whatever the
/// sizes. Every other descriptor is closed in the child.
enum HelperProgram {
    /// The PATH the plugins use to find iptables and ip.
    static let path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// - Parameters:
    ///   - argv: argv[0] is the absolute path of the program.
    ///   - environment: "KEY=value" entries; PATH is added when missing.
    ///   - input: the child's stdin.
    static func run(_ argv: [String], environment: [String] = [], input: [UInt8] = []) throws -> ProgramResult {
        let stdin = try memfd("stdin")
        if !input.isEmpty {
            try stdin.writeAll(input)
            lseek(stdin.rawValue, 0, SEEK_SET)
        }
        let stdout = try memfd("stdout")
        let stderr = try memfd("stderr")

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, fd) in [stdin, stdout, stderr].enumerated() {
            posix_spawn_file_actions_adddup2(&actions, fd.rawValue, Int32(target))  // dup2 clears FD_CLOEXEC
        }
        SpawnActions.closeFrom(3, in: &actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var env = environment
        if !env.contains(where: { $0.hasPrefix("PATH=") }) { env.append("PATH=\(path)") }
        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = env.map { strdup($0) } + [nil]
        defer {
            for pointer in cArguments { free(pointer) }
            for pointer in cEnvironment { free(pointer) }
        }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
        guard code == 0 else { throw BerthError.system("run", path: argv[0], errno: code) }
        let status = Processes.exitCode(fromWaitStatus: try Processes.wait(pid))
        return ProgramResult(status: status, stdout: try readBack(stdout), stderr: try readBack(stderr))
    }

    /// Runs `argv` and fails unless it exits 0.
    /// - Throws: `.external` "<program>: <stderr>".
    @discardableResult
    static func check(_ argv: [String], input: [UInt8] = []) throws -> ProgramResult {
        let result = try run(argv, input: input)
        guard result.status == 0 else {
            let name = argv[0].split(separator: "/").last.map(String.init) ?? argv[0]
            let detail = result.stderrText.trimmingTrailingNewlines
            throw BerthError(.external, "\(name) exited with status \(result.status)\(detail.isEmpty ? "" : ": " + detail)")
        }
        return result
    }

    static func memfd(_ name: String) throws -> FileDescriptor {
        FileDescriptor(try syscall("memfd_create", path: name) { bt_memfd_create(name) })
    }

    static func readBack(_ fd: FileDescriptor) throws -> [UInt8] {
        lseek(fd.rawValue, 0, SEEK_SET)
        return try fd.readAll(limit: 16 << 20)
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var text = Substring(self)
        while let last = text.last, last.isNewline || last == " " { text.removeLast() }
        return String(text)
    }
}
