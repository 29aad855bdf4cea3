import ArgumentParser
import ImageSpec

/// `berth tag SOURCE TARGET`.
struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tag", abstract: "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "SOURCE_IMAGE[:TAG]") var source: String
    @Argument(help: "TARGET_IMAGE[:TAG]") var target: String

    func run() throws {
        let store = try global.imageStore()
        let reference = try ImageReference(parsing: target)
        guard reference.digest == nil else { throw EngineFailure("refusing to create a tag with a digest reference: \(target)") }
        try store.tag(try store.image(source), as: reference)
    }
}
