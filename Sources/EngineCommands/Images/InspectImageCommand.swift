import ArgumentParser
import Diagnostics
import ImageSpec
import ImageStore
import LiteJSON

/// `berth image inspect`: docker's image JSON.
struct InspectImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Display detailed information on one or more images.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "Format output: json (the default).") var format: String?
    @Argument(help: "IMAGE...") var images: [String]

    func run() throws {
        let store = try global.imageStore()
        var results: [JSONValue] = []
        var missing: [String] = []
        for name in images {
            do {
                results.append(try Self.json(for: try store.image(name), store: store))
            } catch let error as BerthError where error.code == .notFound {
                missing.append(error.message)
            }
        }
        let text = JSONSerializer.serialize(.array(results), options: .init(pretty: true, indent: "    "))
        emit(String(decoding: text, as: UTF8.self))
        if !missing.isEmpty { throw EngineFailure(missing.joined(separator: "\n")) }
    }

    /// The object `docker image inspect` prints for one image.
    static func json(for image: StoredImage, store: ImageStore) throws -> JSONValue {
        let raw = (try? JSONParser.parse(image.configBytes)) ?? .object([])
        let repoDigests = image.repoDigests.compactMap { try? ImageReference(parsing: $0).familiar }
        let lowers = image.diffIDs.reversed().map { store.layerDiffPath(diffID: $0) }
        var fields: [(String, JSONValue)] = [
            ("Id", .string(image.id.string)),
            ("RepoTags", .array(image.references.map { .string($0.familiar) })),
            ("RepoDigests", .array(repoDigests.map { .string($0) })),
            ("Parent", ""),
            ("Comment", .string(image.config.history?.last?.comment ?? "")),
            ("Created", .string(image.config.created ?? "")),
            ("DockerVersion", raw["docker_version"] ?? ""),
            ("Author", .string(image.config.author ?? "")),
            ("Config", raw["config"] ?? .null),
            ("Architecture", .string(image.config.architecture)),
        ]
        if let variant = image.config.variant { fields.append(("Variant", .string(variant))) }
        fields += [
            ("Os", .string(image.config.os)),
            ("Size", .number(String(image.size))),
            ("GraphDriver", .object([
                ("Data", .object([("LowerDir", .string(lowers.joined(separator: ":")))])),
                ("Name", "overlay"),
            ])),
            ("RootFS", .object([
                ("Type", .string(image.config.rootfs.type)),
                ("Layers", .array(image.diffIDs.map { .string($0.string) })),
            ])),
            ("Metadata", .object([("LastTagTime", .string(image.added ?? ""))])),
            ("Descriptor", .object([
                ("mediaType", .string(image.manifestMediaType)),
                ("digest", .string(image.manifestDigest.string)),
                ("size", .number(String(image.manifestSize))),
            ])),
        ]
        return .object(fields)
    }
}
