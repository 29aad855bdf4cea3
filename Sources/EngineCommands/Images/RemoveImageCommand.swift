import ArgumentParser
import Diagnostics
import ImageSpec
import ImageStore

/// `berth rmi`: untags, and deletes an image once nothing names it.
struct RemoveImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rmi", abstract: "Remove one or more images.")
    @OptionGroup var removal: ImageRemoval
    func run() throws { try removal.run() }
}

/// `berth image rm`.
struct ImageRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove one or more images.", aliases: ["remove"])
    @OptionGroup var removal: ImageRemoval
    func run() throws { try removal.run() }
}

/// The options and the work of `rmi` / `image rm`.
struct ImageRemoval: ParsableArguments {

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Force removal of the image.") var force = false
    @Flag(name: .customLong("no-prune"), help: "Do not delete untagged parents.") var noPrune = false
    @Argument(help: "IMAGE...") var images: [String]

    func validate() throws {
        if images.isEmpty { throw ValidationError("\"rmi\" requires at least 1 argument") }
    }

    func run() throws {
        let store = try global.imageStore()
        var failed: [String] = []
        for name in images {
            do {
                try remove(name, from: store)
            } catch let error as BerthError {
                failed.append(error.message)
            }
        }
        if !failed.isEmpty { throw EngineFailure(failed.joined(separator: "\n")) }
    }

    private func remove(_ name: String, from store: ImageStore) throws {
        let image = try store.image(name)
        let named = (try? ImageReference(parsing: name)).flatMap { image.references.contains($0) ? $0 : nil }
        if let named, image.references.count > 1 {
            try store.untag(named)
            emit("Untagged: \(named.familiar)")
            return
        }
        if try ImageUsers.refuseIfUsed(image, store: store, force: force) {
            for reference in image.references {
                try store.untag(reference)
                emit("Untagged: \(reference.familiar)")
            }
            // Its containers still need it: it stays, untagged (docker's dangling image).
            if (try? store.image(image.id.string)) == nil {
                try store.addImage(manifestDigest: image.manifestDigest, reference: nil)
            }
            return
        }
        if named == nil, image.references.count > 1, !force {
            throw BerthError(.invalidState, "conflict: unable to delete \(image.id.shortID) (must be forced) - image is referenced in multiple repositories")
        }
        for reference in image.references { emit("Untagged: \(reference.familiar)") }
        for repoDigest in image.repoDigests {
            if let reference = try? ImageReference(parsing: repoDigest) { emit("Untagged: \(reference.familiar)") }
        }
        try store.removeImage(image)
        let report = try store.collectGarbage(keepingLayers: try ImageUsers.layersInUse(store: store), wait: false)
        emit("Deleted: \(image.id.string)")
        for layer in report?.layers ?? [] { emit("Deleted: \(layer.string)") }
    }
}
