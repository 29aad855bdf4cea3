import ArgumentParser
import ContainerEngine
import Diagnostics
import Foundation

/// `berth top CONTAINER [ps OPTIONS]`: the host's `ps` (default `-ef`) limited to the container's processes.
struct TopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "top", abstract: "Display the running processes of a container.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "CONTAINER") var container: String
    @Argument(parsing: .captureForPassthrough, help: "[ps OPTIONS]") var psOptions: [String] = []

    func run() throws {
        let engine = try global.engine()
        let record = try engine.container(container)
        guard record.state == .running || record.state == .paused else {
            throw EngineFailure("container \(record.name) is not running")
        }
        let pids = Set(try engine.processes(record.id))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/ps")
        process.arguments = psOptions.isEmpty ? ["-ef"] : psOptions
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        guard let header = lines.first else { return }
        let columns = header.split(separator: " ")
        guard let pidColumn = columns.firstIndex(of: "PID") else {
            throw EngineFailure("couldn't find PID field in ps output")
        }
        emit(String(header))
        for line in lines.dropFirst() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if pidColumn < fields.count, let pid = Int32(fields[pidColumn]), pids.contains(pid) { emit(String(line)) }
        }
    }
}
