import ArgumentParser
import ImageSpec
import Registry

/// `berth pull`: docker's pull, plain lines when stdout is not a terminal.
struct PullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pull", abstract: "Download an image from a registry.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Suppress verbose output.") var quiet = false
    @Option(help: "Set platform if server is multi-platform capable (os/arch[/variant]).") var platform: String?
    @Argument(help: "NAME[:TAG|@DIGEST]") var name: String

    func run() async throws {
        let store = try global.imageStore()
        let platform = try platform.map { try Platform(parsing: $0) } ?? .host
        let reference = try ImageReference(parsing: name)
        let progress = PullProgress(quiet: quiet)
        if !quiet, reference.tag == ImageReference.defaultTag, reference.digest == nil, !name.hasSuffix(":latest") {
            emit("Using default tag: latest")
        }
        _ = try await Puller(store: store).pull(reference, platform: platform) { progress.handle($0) }
        emit(reference.string)
    }
}

/// `berth push`: docker's push.
struct PushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "push", abstract: "Upload an image to a registry.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Suppress verbose output.") var quiet = false
    @Argument(help: "NAME[:TAG]") var name: String
    @Argument(help: "Push to this reference instead of NAME (podman's DESTINATION).") var destination: String?

    func run() async throws {
        let store = try global.imageStore()
        let image = try store.image(name)
        let reference = try ImageReference(parsing: destination ?? name)
        let quiet = quiet
        _ = try await Pusher(store: store).push(image, to: reference) { event in
            guard !quiet else { return }
            switch event {
            case .preparing(let reference):
                emit("The push refers to repository [\(reference.withoutTagOrDigest.familiar)]")
            case .blob(let digest, let state):
                switch state {
                case .preparing, .pushing: break
                case .alreadyExists: emit("\(digest.shortID): Layer already exists")
                case .mounted(let from): emit("\(digest.shortID): Mounted from \(from)")
                case .pushed: emit("\(digest.shortID): Pushed")
                }
            case .pushed(let tag, let digest, let size):
                emit("\(tag): digest: \(digest.string) size: \(size)")
            }
        }
        if quiet { emit(reference.string) }
    }
}
