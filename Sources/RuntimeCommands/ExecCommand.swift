import ContainerRuntime
import Diagnostics
import LinuxSyscalls
import OCIRuntimeSpec

enum ExecCommand: RuntimeCommand {
    static let name = "exec"
    static let usage = "[options] <container-id> [command [args...]]"
    static let abstract = "Run a new process in a running container."
    static let positionalsEndFlags = true
    static let options: [OptionSpec] = [
        .value("process", "p", help: "a JSON file with the process to run (instead of the command and flags)"),
        .flag("tty", "t", help: "allocate a pseudo-terminal"),
        .value("console-socket", help: "path to an AF_UNIX socket which will receive the pty master"),
        .value("pid-file", help: "file to write the process's pid to"),
        .flag("detach", "d", help: "do not wait for the process"),
        .value("cwd", help: "current working directory in the container"),
        .value("env", "e", help: "set an environment variable (repeatable)"),
        .value("user", "u", help: "uid[:gid] to run as"),
        .value("additional-gids", "g", help: "an additional group id (repeatable)"),
        .value("cap", "c", help: "add a capability (repeatable)"),
        .flag("no-new-privs", help: "set no_new_privs"),
        .value("preserve-fds", help: "pass N additional file descriptors (3 ..< 3+N)"),
        .value("apparmor", help: "accepted for runc compatibility; AppArmor is not applied"),
        .value("process-label", help: "accepted for runc compatibility; SELinux is not applied"),
        .flag("ignore-paused", help: "accepted for runc compatibility"),
    ]

    static func run(_ arguments: ParsedArguments, context: RuntimeContext) throws -> Int32 {
        guard let id = arguments.positionals.first else {
            throw BerthError.invalid("\"exec\" requires at least 1 argument: <container-id>")
        }
        return try BerthError.wrap("exec \(id)") {
            let container = try Container.load(id: id, options: context.options, exclusive: false)
            let process = try makeProcess(arguments, container: container)
            var preserve = 0
            if let text = arguments.value("preserve-fds") {
                guard let value = Int(text), value >= 0 else { throw BerthError.invalid("invalid value \"\(text)\" for --preserve-fds") }
                preserve = value
            }
            return try container.exec(
                ExecOptions(process: process, consoleSocket: arguments.value("console-socket"),
                            pidFile: arguments.value("pid-file"), detach: arguments.flag("detach"),
                            preserveFds: preserve),
                options: context.options)
        }
    }

    /// The process from `--process`, or config.json's process with the command and flags applied
    /// (runc's `getProcess`).
    static func makeProcess(_ arguments: ParsedArguments, container: Container) throws -> Process {
        if let path = arguments.value("process") {
            let bytes = try BerthError.wrap("load process") { try Files.read(path, limit: 4 << 20) }
            let process = try Process.decode(bytes, file: path)
            guard let args = process.args, !args.isEmpty else { throw BerthError.invalid("\(path): args: must not be empty") }
            guard process.cwd.hasPrefix("/") else { throw BerthError.invalid("\(path): cwd: must be an absolute path") }
            return process
        }
        let command = Array(arguments.positionals.dropFirst())
        guard !command.isEmpty else { throw BerthError.invalid("exec: no command given (and no --process)") }
        let (spec, _) = try container.loadSpec()
        var process = spec.process ?? Process()
        return try apply(arguments, to: &process, command: command)
    }

    static func apply(_ arguments: ParsedArguments, to process: inout Process, command: [String]) throws -> Process {
        process.args = command
        process.terminal = arguments.flag("tty")
        process.consoleSize = nil
        process.env = (process.env ?? []) + arguments.values("env")
        if let cwd = arguments.value("cwd") { process.cwd = cwd }
        if let user = arguments.value("user") {
            let parts = user.split(separator: ":", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let uid = UInt32(parts[0]),
                  parts.count == 1 || UInt32(parts[1]) != nil else {
                throw BerthError.invalid("invalid --user \"\(user)\": use uid[:gid] with numbers")
            }
            process.user.uid = uid
            process.user.gid = parts.count == 2 ? UInt32(parts[1])! : 0
        }
        for text in arguments.values("additional-gids") {
            guard let gid = UInt32(text) else { throw BerthError.invalid("invalid --additional-gids \"\(text)\"") }
            process.user.additionalGids = (process.user.additionalGids ?? []) + [gid]
        }
        for cap in arguments.values("cap") {
            guard CapabilityName.number(cap) != nil else { throw BerthError.invalid("unknown capability \"\(cap)\"") }
            var caps = process.capabilities ?? Capabilities()
            caps.bounding = (caps.bounding ?? []) + [cap]
            caps.effective = (caps.effective ?? []) + [cap]
            caps.permitted = (caps.permitted ?? []) + [cap]
            caps.inheritable = (caps.inheritable ?? []) + [cap]
            caps.ambient = (caps.ambient ?? []) + [cap]
            process.capabilities = caps
        }
        if arguments.flag("no-new-privs") { process.noNewPrivileges = true }
        return process
    }
}
