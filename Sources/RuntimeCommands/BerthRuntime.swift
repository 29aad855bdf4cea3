import ContainerInit
import ContainerRuntime
import Diagnostics
import OCIRuntimeSpec

#if canImport(Glibc)
import Glibc
#endif

/// `berth-runtime`: a runc-compatible OCI runtime. The executable's `main` calls `main(_:)`.
public enum BerthRuntime {
    public static let version = "0.1.0"

    static let commands: [any RuntimeCommand.Type] = [
        CreateCommand.self, StartCommand.self, RunCommand.self, ExecCommand.self, StateCommand.self, KillCommand.self,
        DeleteCommand.self, ListCommand.self, PsCommand.self, PauseCommand.self, ResumeCommand.self,
        UpdateCommand.self, EventsCommand.self, SpecCommand.self, FeaturesCommand.self,
    ]

    static let globalOptions: [OptionSpec] = [
        .value("root", help: "root directory for container state (default: \(RuntimeOptions.defaultRoot))"),
        .value("log", help: "append errors and warnings to this file"),
        .value("log-format", help: "text or json (default: text)"),
        .flag("debug", help: "more detailed logging"),
        .flag("systemd-cgroup", help: "cgroupsPath is slice:prefix:name, laid out as systemd would"),
        .value("rootless", help: "ignored, accepted for runc compatibility"),
        .value("criu", help: "ignored, accepted for runc compatibility"),
        .flag("help", "h", help: "show help"),
        .flag("version", "v", help: "print the version"),
    ]

    /// Runs the command line `argv` (argv[0] included) and returns the exit status.
    public static func main(_ argv: [String]) -> Int32 {
        // The hidden re-exec entry: `berth-runtime init <sync-fd>`, inside the container.
        if argv.count == 3, argv[1] == "init", let fd = Int32(argv[2]) {
            ContainerInit.main(syncFD: fd)
        }
        // A client that closes a pipe must not kill us half-way through a command.
        signal(SIGPIPE, SIG_IGN)
        var log = RuntimeLog(path: nil, json: false, debug: false)
        do {
            // Global options end at the first other word, the command: an unknown command's own
            // flags are not taken for global ones, and --log is set up before anything can fail.
            let global = try ParsedArguments(argv.dropFirst(), options: globalOptions, positionalsEndFlags: true)
            log = RuntimeLog(path: global.value("log"), json: global.value("log-format") == "json", debug: global.flag("debug"))
            if let format = global.value("log-format"), format != "json" && format != "text" {
                throw BerthError.invalid("invalid log format \"\(format)\": use text or json")
            }
            if global.flag("version") {
                print("berth-runtime version \(version)\nspec: \(Spec.version)")
                return 0
            }
            guard let name = global.positionals.first else { print(helpText); return 0 }
            guard let command = commands.first(where: { $0.name == name }) else {
                throw BerthError.invalid("no such command: \(name)")
            }
            let arguments = try ParsedArguments(global.positionals.dropFirst(), options: command.options + [.flag("help", "h", help: "show help")],
                                                positionalsEndFlags: command.positionalsEndFlags)
            if arguments.flag("help") {
                print(command.helpText)
                return 0
            }
            let runtimeLog = log
            let options = RuntimeOptions(
                root: global.value("root") ?? RuntimeOptions.defaultRoot,
                systemdCgroup: global.flag("systemd-cgroup"),
                warn: { runtimeLog.warning($0) })
            return try command.run(arguments, context: RuntimeContext(options: options, log: log))
        } catch let error as BerthError {
            log.error(error.message)
            return 1
        } catch {
            log.error("\(error)")
            return 1
        }
    }

    static var helpText: String {
        var text = "berth-runtime: a runc-compatible OCI runtime\n\n"
        text += "Usage: berth-runtime [global options] command [command options] [arguments...]\n\nCommands:\n"
        for command in commands { text += "   \(command.name.padding(toLength: 12))\(command.abstract)\n" }
        text += "\nGlobal options:\n"
        for option in globalOptions {
            let names = option.names.map { $0.count == 1 ? "-\($0)" : "--\($0)" }.joined(separator: ", ")
            text += "   \((option.takesValue ? "\(names) value" : names).padding(toLength: 28))\(option.help)\n"
        }
        return text
    }
}
