import ArgumentParser
import ImageSpec
import ImageStore
import LiteJSON

/// `berth images`: docker's image table.
struct ImagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "images", abstract: "List images.")
    @OptionGroup var listing: ImageListing
    func run() throws { try listing.run() }
}

/// `berth image ls`.
struct ImageListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List images.", aliases: ["list"])
    @OptionGroup var listing: ImageListing
    func run() throws { try listing.run() }
}

/// The options and the work of `images` / `image ls`.
struct ImageListing: ParsableArguments {

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Only show image IDs.") var quiet = false
    @Flag(help: "Show digests.") var digests = false
    @Flag(name: .customLong("no-trunc"), help: "Don't truncate output.") var noTrunc = false
    @Flag(name: .shortAndLong, help: "Show all images (default hides intermediate images).") var all = false
    @Option(help: "Format output: table or json.") var format: String?
    @Argument(help: "Only images of this repository[:tag].") var repository: String?

    /// One line of the listing: an image under one of its names.
    struct Row {
        var image: StoredImage
        var repository: String
        var tag: String
        var digest: String
    }

    func run() throws {
        let store = try global.imageStore()
        let images = try store.images().sorted { ($0.config.created ?? "") > ($1.config.created ?? "") }
        var rows: [Row] = []
        for image in images {
            let digest = image.repoDigests.first.flatMap { $0.split(separator: "@").last.map(String.init) } ?? "<none>"
            if image.references.isEmpty {
                let repo = image.repoDigests.first.flatMap { try? ImageReference(parsing: $0) }?.familiarRepository ?? "<none>"
                rows.append(Row(image: image, repository: repo, tag: "<none>", digest: digest))
            }
            for reference in image.references {
                rows.append(Row(image: image, repository: reference.familiarRepository, tag: reference.tag ?? "<none>", digest: digest))
            }
        }
        if let repository {
            let wanted = try ImageReference(parsing: repository, defaultTag: false)
            rows = rows.filter { row in
                guard let reference = row.image.references.first(where: { $0.familiarRepository == row.repository && $0.tag == row.tag })
                else { return false }
                return reference.repository == wanted.repository && (wanted.tag == nil || wanted.tag == reference.tag)
            }
        }
        if quiet {
            var seen = Set<Digest>()
            for row in rows where seen.insert(row.image.id).inserted {
                emit(noTrunc ? row.image.id.string : row.image.id.shortID)
            }
            return
        }
        if let format, format != "table" {
            guard format == "json" || format == "{{json .}}" else {
                throw EngineFailure("unsupported --format \(format.debugDescription): use table or json", exitCode: 125)
            }
            for row in rows { emit(String(decoding: JSONSerializer.serialize(json(row)), as: UTF8.self)) }
            return
        }
        var table = Table(digests
            ? ["REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE"]
            : ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"])
        for row in rows {
            var cells = [row.repository, row.tag]
            if digests { cells.append(row.digest) }
            cells += [noTrunc ? row.image.id.string : row.image.id.shortID, HumanUnits.since(row.image.config.created),
                      HumanUnits.size(row.image.size)]
            table.add(cells)
        }
        FileOutput.standardOutput.write(table.render())
    }

    /// docker's `--format json` object for one row.
    private func json(_ row: Row) -> JSONValue {
        .object([
            ("Containers", "N/A"),
            ("CreatedAt", .string(RFC3339.dockerDate(row.image.config.created))),
            ("CreatedSince", .string(HumanUnits.since(row.image.config.created))),
            ("Digest", .string(row.digest)),
            ("ID", .string(noTrunc ? row.image.id.string : row.image.id.shortID)),
            ("Repository", .string(row.repository)),
            ("SharedSize", "N/A"),
            ("Size", .string(HumanUnits.size(row.image.size))),
            ("Tag", .string(row.tag)),
            ("UniqueSize", "N/A"),
            ("VirtualSize", .string(HumanUnits.size(row.image.size))),
        ])
    }
}
