import ArgumentParser
import ContainerEngine
import ContainerLogs
import Diagnostics
import LinuxSyscalls

/// `berth logs`: the container's json-file log, docker's flags.
struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logs", abstract: "Fetch the logs of a container.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Follow log output.") var follow = false
    @Option(name: [.customShort("n"), .customLong("tail")], help: "Number of lines to show from the end of the logs (or \"all\").") var tail = "all"
    @Option(help: "Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes).") var since: String?
    @Option(help: "Show logs before a timestamp or relative time.") var until: String?
    @Flag(name: .shortAndLong, help: "Show timestamps.") var timestamps = false
    @Flag(help: "Show extra details provided to logs.") var details = false
    @Argument(help: "CONTAINER") var container: String

    func run() throws {
        let engine = try global.engine()
        let record = try engine.container(container)
        let sinceTime = try since.map { text in
            guard let time = LogTime.parseSince(text) else { throw EngineFailure("invalid value for \"since\": \(text)") }
            return time
        }
        let untilTime = try until.map { text in
            guard let time = LogTime.parseSince(text) else { throw EngineFailure("invalid value for \"until\": \(text)") }
            return time
        }
        let reader = JSONFileLogReader(path: engine.logPath(record.id))
        for entry in try reader.entries(since: sinceTime, until: untilTime, tail: try JSONFileLogReader.parseTail(tail)) {
            try LogRenderer.write(entry, timestamps: timestamps)
        }
        guard follow, untilTime == nil else { return }
        let position = try reader.endPosition()
        var last = milliseconds()
        try reader.follow(from: position, onEntry: { try LogRenderer.write($0, timestamps: timestamps) }, stopWhen: {
            // Checking the record costs a few reads: do it at most every 200 ms.
            guard milliseconds() - last >= 200 else { return false }
            last = milliseconds()
            guard let current = try? engine.container(record.id) else { return true }
            return !(current.state == .running || current.state == .paused || current.state == .restarting)
        })
    }
}

func milliseconds() -> Int64 {
    let now = Timestamp.now()
    return now.seconds * 1000 + now.nanoseconds / 1_000_000
}
