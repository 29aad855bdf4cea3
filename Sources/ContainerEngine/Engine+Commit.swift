import Diagnostics
import EngineState
import ImageArchive
import ImageSpec
import ImageStore
import LinuxSyscalls

extension Engine {
    /// `berth commit`: the container's upper directory (its changes, deletions as whiteouts)
    /// becomes a new layer on its image; the new image's config is the container's own (its
    /// command, environment, working directory, user, labels) with `changes` applied.
    /// The container is paused meanwhile when `pause` and it runs.
    public func commit(_ idOrName: String, reference: ImageReference?, changes: [String], message: String?,
                       author: String?, pause: Bool = true) throws -> StoredImage {
        let record = try container(idOrName)
        let settings = try settings(of: record)
        let base = try BerthError.wrap("commit container \(record.name)") { try images.image(record.imageID) }
        let image = base.config.config
        let options = settings.options
        var config = image ?? ContainerConfig()
        if let entrypoint = options.entrypoint {
            config.entrypoint = entrypoint.isEmpty ? nil : [entrypoint]
            config.cmd = options.command.isEmpty ? nil : options.command
        } else if !options.command.isEmpty {
            config.cmd = options.command
        }
        config.env = settings.env
        config.workingDir = settings.workingDir == "/" ? image?.workingDir : settings.workingDir
        config.user = options.user ?? image?.user
        config.labels = record.labels.isEmpty ? nil : record.labels
        if options.stopSignal != nil { config.stopSignal = options.stopSignal }
        let createdBy = ([settings.path] + settings.args).joined(separator: " ")

        try Files.makeDirectory("\(directory(record.id))/upper", mode: 0o755)   // never started: no changes
        let paused = pause && record.state == .running
        if paused { try self.pause(record.id) }
        defer { if paused { _ = try? unpause(record.id) } }
        return try BerthError.wrap("commit container \(record.name)") {
            try ContainerCommitter(store: images).commit(
                upperDirectory: "\(directory(record.id))/upper", base: base, containerConfig: config, reference: reference,
                changes: changes, message: message, author: author, createdBy: createdBy)
        }
    }
}
