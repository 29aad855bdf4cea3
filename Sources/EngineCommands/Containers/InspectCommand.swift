import ArgumentParser
import ContainerEngine
import Diagnostics
import LiteJSON

/// `berth inspect` (containers, then images) and `berth container inspect`: docker's JSON array,
/// or one line per object with `--format`.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Return low-level information on containers or images.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "Format output using a Go template, or json.") var format: String?
    @Option(name: .long, help: "Only inspect objects of the given type (container or image).") var type: String?
    @Argument(help: "NAME|ID") var names: [String]

    func run() throws {
        let engine = try global.engine()
        var documents: [JSONValue] = []
        var missing: [String] = []
        for name in names {
            if type != "image", let record = try? engine.container(name) {
                documents.append(try ContainerInspect.document(record, engine: engine))
            } else if type != "container", let image = try? engine.images.image(name) {
                documents.append(try InspectImageCommand.json(for: image, store: engine.images))
            } else {
                missing.append("no such object: \(name)")
            }
        }
        try printInspected(documents, format: format)
        if !missing.isEmpty { throw EngineFailure(missing.joined(separator: "\n")) }
    }
}

/// `berth container inspect CONTAINER...`.
struct ContainerInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Display detailed information on one or more containers.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "Format output using a Go template, or json.") var format: String?
    @Argument(help: "CONTAINER") var containers: [String]

    func run() throws {
        let engine = try global.engine()
        var documents: [JSONValue] = []
        var missing: [String] = []
        for name in containers {
            do {
                documents.append(try ContainerInspect.document(try engine.container(name), engine: engine))
            } catch let error as BerthError where error.code == .notFound {
                missing.append(error.message)
            }
        }
        try printInspected(documents, format: format)
        if !missing.isEmpty { throw EngineFailure(missing.joined(separator: "\n")) }
    }
}

/// docker's inspect output: a pretty JSON array, or the template once per object.
func printInspected(_ documents: [JSONValue], format: String?) throws {
    if let format, format != "json" {
        let template = try GoTemplate(format)
        for document in documents { emit(template.render(document)) }
        return
    }
    let text = JSONSerializer.serialize(.array(documents), options: .init(pretty: true, indent: "    "))
    emit(String(decoding: text, as: UTF8.self))
}
