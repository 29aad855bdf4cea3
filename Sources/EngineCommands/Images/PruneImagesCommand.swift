import ArgumentParser
import ImageStore

/// `berth image prune`: removes untagged images (all unused ones with -a), then every blob and
/// unpacked layer nothing references.
struct PruneImagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "prune", abstract: "Remove unused images.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Remove all unused images, not just dangling ones.") var all = false
    @Flag(name: .shortAndLong, help: "Do not prompt for confirmation.") var force = false

    func run() throws {
        let store = try global.imageStore()
        var removed: [String] = []
        for image in try store.images() where all || image.references.isEmpty {
            for reference in image.references { removed.append("untagged: \(reference.familiar)") }
            try store.removeImage(image)
            removed.append("deleted: \(image.id.string)")
        }
        let report = try store.collectGarbage(keepingLayers: try ImageUsers.layersInUse(store: store))
        for layer in report?.layers ?? [] { removed.append("deleted: \(layer.string)") }
        if !removed.isEmpty {
            emit("Deleted Images:")
            removed.forEach { emit($0) }
            emit("")
        }
        emit("Total reclaimed space: \(HumanUnits.size(report?.bytes ?? 0))")
    }
}
