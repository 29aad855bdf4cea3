import ArgumentParser
import ContainerEngine
import Diagnostics

/// `berth container prune [-f]`: removes every stopped container.
struct ContainerPruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "prune", abstract: "Remove all stopped containers.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Do not prompt for confirmation.") var force = false
    @Option(help: "Provide filter values (e.g. 'label=<key>=<value>').") var filter: [String] = []

    func run() throws {
        let engine = try global.engine()
        if !force {
            FileOutput.standardOutput.write("WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ")
            guard let answer = readLine(), answer.lowercased().hasPrefix("y") else { return }
        }
        let filters = try PsFilter(filter)
        var removed: [String] = []
        var reclaimed: Int64 = 0
        for record in try engine.allContainers() where (record.state == .exited || record.state == .created) && filters.matches(record) {
            let size = DiskUsage.bytes(under: "\(engine.directory(record.id))/upper")
            do {
                _ = try engine.remove(record.id)
                removed.append(record.id)
                reclaimed += size
            } catch let error as BerthError {
                FileOutput.standardError.write("Error: \(error.message)\n")
            }
        }
        if !removed.isEmpty { emit("Deleted Containers:\n" + removed.joined(separator: "\n") + "\n") }
        emit("Total reclaimed space: \(HumanUnits.size(reclaimed))")
    }
}
