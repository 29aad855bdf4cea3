import ContainerRuntime
import Diagnostics

/// `pause ID`: freeze every process of a running container (podman pause, ctr task pause).
enum PauseCommand: RuntimeCommand {
    static let name = "pause"
    static let usage = "<container-id>"
    static let abstract = "Suspend every process in a running container."
    static let options: [OptionSpec] = []

    static func run(_ arguments: ParsedArguments, context: RuntimeContext) throws -> Int32 {
        let id = try arguments.requirePositionals(["<container-id>"], command: name)[0]
        try BerthError.wrap("pause \(id)") { try Container.load(id: id, options: context.options).pause() }
        return 0
    }
}

/// `resume ID`: thaw a paused container.
enum ResumeCommand: RuntimeCommand {
    static let name = "resume"
    static let usage = "<container-id>"
    static let abstract = "Resume every process in a paused container."
    static let options: [OptionSpec] = []

    static func run(_ arguments: ParsedArguments, context: RuntimeContext) throws -> Int32 {
        let id = try arguments.requirePositionals(["<container-id>"], command: name)[0]
        try BerthError.wrap("resume \(id)") { try Container.load(id: id, options: context.options).resume() }
        return 0
    }
}
