import ContainerRuntime
import Diagnostics
import LinuxSyscalls
import LiteJSON

#if canImport(Glibc)
import Glibc
#endif

/// `ps [--format table|json] ID [ps options]`: the container's processes. json is the array
/// of host pids containerd's shim parses (`ctr task ps`); table is the host's `ps` output
/// (`-ef` unless options follow the id) cut down to the container's pids, as runc does.
enum PsCommand: RuntimeCommand {
    static let name = "ps"
    static let usage = "[options] <container-id> [ps options]"
    static let abstract = "List the processes running inside a container."
    static let options: [OptionSpec] = [.value("format", "f", help: "table or json (default: table)")]
    /// `ps ID -o pid,comm`: everything after the id is for ps(1).
    static let positionalsEndFlags = true

    static func run(_ arguments: ParsedArguments, context: RuntimeContext) throws -> Int32 {
        guard let id = arguments.positionals.first else {
            throw BerthError.invalid("\"ps\" requires at least 1 argument(s): <container-id> [ps options]")
        }
        let format = arguments.value("format") ?? "table"
        guard format == "table" || format == "json" else {
            throw BerthError.invalid("invalid format option \"\(format)\": use table or json")
        }
        try BerthError.wrap("ps \(id)") {
            let pids = try Container.load(id: id, options: context.options, exclusive: false).processIDs()
            if format == "json" {
                print(String(decoding: try LiteJSONEncoder().encode(pids), as: UTF8.self))
                return
            }
            let psArguments = arguments.positionals.count > 1 ? Array(arguments.positionals.dropFirst()) : ["-ef"]
            print(try table(psOutput: HostCommand.output("ps", psArguments), pids: Set(pids)), terminator: "")
        }
        return 0
    }

    /// The header of `psOutput` and its lines whose PID column is one of `pids`.
    /// - Throws: `.invalidArgument` when the header has no PID column (`ps -o comm`).
    static func table(psOutput: String, pids: Set<Int32>) throws -> String {
        let lines = psOutput.split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.first,
              let column = header.split(separator: " ").firstIndex(where: { $0 == "PID" }) else {
            throw BerthError.invalid("couldn't find PID field in ps output")
        }
        var result = header + "\n"
        for line in lines.dropFirst() {
            let fields = line.split(separator: " ")
            guard column < fields.count, let pid = Int32(fields[column]), pids.contains(pid) else { continue }
            result += line + "\n"
        }
        return String(result)
    }
}

/// Runs a host program and collects its standard output (only `ps` needs one).
enum HostCommand {
    /// Runs `program` (looked up in PATH) with `arguments`, stdin and stderr inherited.
    /// - Throws: `.external` when it cannot be started or exits non-zero.
    static func output(_ program: String, _ arguments: [String]) throws -> String {
        var pipeFDs: [Int32] = [-1, -1]
        try syscall("pipe") { pipe(&pipeFDs) }
        let reader = FileDescriptor(pipeFDs[0])
        // The read end must not reach the child, or our read would never see end of file.
        _ = fcntl(pipeFDs[0], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
        posix_spawn_file_actions_addclose(&actions, pipeFDs[0])
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let code = posix_spawnp(&pid, program, &actions, nil, argv, environ)
        close(pipeFDs[1])
        guard code == 0 else {
            throw BerthError(.external, "run \(program): \(String(cString: strerror(code)))", errno: code)
        }
        let bytes = try reader.readAll()
        let status = Processes.exitCode(fromWaitStatus: try Processes.wait(pid))
        guard status == 0 else {
            throw BerthError(.external, "\(program) \(arguments.joined(separator: " ")) exited with status \(status)")
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
