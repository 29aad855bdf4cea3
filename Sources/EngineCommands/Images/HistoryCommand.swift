import ArgumentParser
import ImageSpec
import ImageStore

/// `berth history IMAGE`: the build steps, newest first.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "Show the history of an image.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Only show image IDs.") var quiet = false
    @Flag(name: .customLong("no-trunc"), help: "Don't truncate output.") var noTrunc = false
    @Flag(name: [.customShort("H"), .long], inversion: .prefixedNo, help: "Print sizes and dates in human readable format.") var human = true
    @Argument(help: "IMAGE") var image: String

    func run() throws {
        let store = try global.imageStore()
        let image = try store.image(image)
        var history = image.config.history ?? []
        if history.isEmpty {
            history = image.diffIDs.map { _ in ImageConfiguration.History(created: image.config.created) }
        }
        // Non-empty history entries match the layers in order, bottom first.
        var layer = 0
        var rows: [(created: String?, by: String, size: Int64, comment: String)] = []
        for entry in history {
            var size: Int64 = 0
            if entry.emptyLayer != true, layer < image.diffIDs.count {
                size = store.layerSize(diffID: image.diffIDs[layer]) ?? image.manifest.layers[layer].size
                layer += 1
            }
            rows.append((entry.created, entry.createdBy ?? "", size, entry.comment ?? ""))
        }
        rows.reverse()
        let id = noTrunc ? image.id.string : image.id.shortID
        if quiet {
            for index in rows.indices { emit(index == 0 ? id : "<missing>") }
            return
        }
        var table = Table(["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"])
        for (index, row) in rows.enumerated() {
            var by = row.by
            if !noTrunc, by.count > 45 { by = String(by.prefix(44)) + "…" }
            table.add([index == 0 ? id : "<missing>", HumanUnits.since(row.created), by, HumanUnits.size(row.size), row.comment])
        }
        FileOutput.standardOutput.write(table.render())
    }
}
