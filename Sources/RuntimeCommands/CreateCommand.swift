import ContainerRuntime
import Diagnostics

/// The options `create` and `run` share.
enum CreateFlags {
    static let options: [OptionSpec] = [
        .value("bundle", "b", help: "path to the root of the bundle directory (default: current directory)"),
        .value("console-socket", help: "path to an AF_UNIX socket which will receive the pty master"),
        .value("pid-file", help: "file to write the init process's pid to"),
        .flag("no-pivot", help: "do not use pivot_root (MS_MOVE + chroot instead)"),
        .flag("no-new-keyring", help: "do not create a new session keyring for the container"),
        .value("preserve-fds", help: "pass N additional file descriptors to the container (3 ..< 3+N)"),
    ]

    static func createOptions(_ arguments: ParsedArguments) throws -> CreateOptions {
        var preserve = 0
        if let text = arguments.value("preserve-fds") {
            guard let value = Int(text), value >= 0 else {
                throw BerthError.invalid("invalid value \"\(text)\" for --preserve-fds")
            }
            preserve = value
        }
        return CreateOptions(
            bundle: arguments.value("bundle") ?? ".", pidFile: arguments.value("pid-file"),
            consoleSocket: arguments.value("console-socket"), noPivot: arguments.flag("no-pivot"),
            noNewKeyring: arguments.flag("no-new-keyring"), preserveFds: preserve)
    }
}

enum CreateCommand: RuntimeCommand {
    static let name = "create"
    static let usage = "[options] <container-id>"
    static let abstract = "Create a container: set it up and leave its init waiting for start."
    static let options = CreateFlags.options

    static func run(_ arguments: ParsedArguments, context: RuntimeContext) throws -> Int32 {
        let id = try arguments.requirePositionals(["<container-id>"], command: name)[0]
        _ = try BerthError.wrap("create \(id)") {
            try Container.create(id: id, try CreateFlags.createOptions(arguments), options: context.options)
        }
        return 0
    }
}

enum RunCommand: RuntimeCommand {
    static let name = "run"
    static let usage = "[options] <container-id>"
    static let abstract = "Create and start a container; wait for it unless detached."
    static let options = CreateFlags.options + [.flag("detach", "d", help: "detach from the container's process")]

    static func run(_ arguments: ParsedArguments, context: RuntimeContext) throws -> Int32 {
        let id = try arguments.requirePositionals(["<container-id>"], command: name)[0]
        return try BerthError.wrap("run \(id)") {
            try Container.run(id: id, try CreateFlags.createOptions(arguments),
                              detach: arguments.flag("detach"), options: context.options)
        }
    }
}
