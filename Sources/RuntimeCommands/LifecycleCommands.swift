import LinuxSyscalls
import ContainerRuntime
import Diagnostics

enum StartCommand: RuntimeCommand {
    static let name = "start"
    static let usage = "<container-id>"
    static let abstract = "Start a created container: its init executes the user's program."
    static let options: [OptionSpec] = []

    static func run(_ arguments: ParsedArguments, context: RuntimeContext) throws -> Int32 {
        let id = try arguments.requirePositionals(["<container-id>"], command: name)[0]
        try BerthError.wrap("start \(id)") {
            try Container.load(id: id, options: context.options).start(options: context.options)
        }
        return 0
    }
}

enum KillCommand: RuntimeCommand {
    static let name = "kill"
    static let usage = "[options] <container-id> [signal]"
    static let abstract = "Send a signal (default SIGTERM) to the container's init."
    static let options: [OptionSpec] = [.flag("all", "a", help: "send the signal to every process in the container")]

    static func run(_ arguments: ParsedArguments, context: RuntimeContext) throws -> Int32 {
        let words = try arguments.requirePositionals(["<container-id>", "[signal]"], optional: 1, command: name)
        let id = words[0]
        try BerthError.wrap("kill \(id)") {
            let signal = try Signals.parse(words.count > 1 ? words[1] : "SIGTERM")
            try Container.load(id: id, options: context.options).kill(signal: signal, all: arguments.flag("all"))
        }
        return 0
    }
}

enum DeleteCommand: RuntimeCommand {
    static let name = "delete"
    static let usage = "[options] <container-id>"
    static let abstract = "Delete a container: its processes (with --force), cgroup and state."
    static let options: [OptionSpec] = [.flag("force", "f", help: "kill a running container first")]

    static func run(_ arguments: ParsedArguments, context: RuntimeContext) throws -> Int32 {
        let id = try arguments.requirePositionals(["<container-id>"], command: name)[0]
        let force = arguments.flag("force")
        try BerthError.wrap("delete \(id)") {
            let container: Container
            do {
                container = try Container.load(id: id, options: context.options)
            } catch let error as BerthError where error.code == .notFound && force {
                // runc and crun: deleting an unknown container with --force succeeds.
                return
            }
            try container.delete(force: force, options: context.options)
        }
        return 0
    }
}
