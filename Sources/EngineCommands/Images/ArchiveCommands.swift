import ArgumentParser
import Diagnostics
import ImageArchive
import ImageSpec
import ImageStore
import LayerArchive
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// `berth save -o FILE IMAGE...`: docker-archive (default) or oci-archive.
struct SaveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "save", abstract: "Save one or more images to a tar archive.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "Write to a file, instead of STDOUT.") var output: String?
    @Option(help: "Archive format: docker-archive or oci-archive.") var format = "docker-archive"
    @Argument(help: "IMAGE...") var images: [String]

    func validate() throws {
        if images.isEmpty { throw ValidationError("\"save\" requires at least 1 argument") }
    }

    func run() throws {
        let store = try global.imageStore()
        let format = try ArchiveFormat(parsing: format)
        var selected: [(image: StoredImage, references: [ImageReference])] = []
        for name in images {
            let image = try store.image(name)
            // A name saves that name; an id saves the image with all its tags, as docker does.
            let reference = (try? ImageReference(parsing: name)).flatMap { image.references.contains($0) ? $0 : nil }
            selected.append((image, reference.map { [$0] } ?? image.references))
        }
        if let output {
            try ImageSaver(store: store).save(selected, format: format, to: output)
        } else {
            guard isatty(1) == 0 else {
                throw EngineFailure("cowardly refusing to save to a terminal. Use the -o flag or redirect")
            }
            try ImageSaver(store: store).save(selected, format: format, to: FileDescriptor(dup(1)))
        }
    }
}

/// `berth load -i FILE|DIR`: docker-archive, OCI archive or OCI layout directory.
struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "load", abstract: "Load an image from a tar archive or an OCI layout directory.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "Read from tar archive file (or OCI layout directory), instead of STDIN.") var input: String?
    @Flag(name: .shortAndLong, help: "Suppress the load progress (the loaded names are still printed, as docker does).") var quiet = false

    func run() throws {
        let store = try global.imageStore()
        // Standard input is copied to a temporary file in the store first (archives need
        // seeking), under the pull lock so that no other command takes it for a stale leftover.
        let loaded = try store.withPullLock {
            guard input == nil else { return try ImageLoader(store: store).load(from: input!) }
            let temp = "\(store.tmpPath)/load-stdin-\(getpid())"
            defer { unlink(temp) }
            let fd = try FileDescriptor.open(temp, O_WRONLY | O_CREAT | O_TRUNC, mode: 0o600)
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let n = try syscall("read stdin") { read(0, &buffer, buffer.count) }
                if n == 0 { break }
                try fd.writeAll(buffer[0..<n])
            }
            fd.close()
            return try ImageLoader(store: store).load(from: temp)
        }
        loaded.forEach { emit($0.message) }
    }
}

/// `berth import TARBALL|- [REPOSITORY[:TAG]]`: a root filesystem tarball becomes a one-layer image.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Import the contents from a tarball to create a filesystem image.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "Apply Dockerfile instruction to the created image.") var change: [String] = []
    @Option(name: .shortAndLong, help: "Set commit message for imported image.") var message: String?
    @Argument(help: "file|-") var file: String
    @Argument(help: "REPOSITORY[:TAG]") var reference: String?

    func run() throws {
        let store = try global.imageStore()
        let reference = try reference.map { try ImageReference(parsing: $0) }
        let fd = file == "-" ? FileDescriptor(dup(0)) : try FileDescriptor.open(file, O_RDONLY)
        let image = try ImageImporter(store: store).importTarball(
            source: FileByteSource(fd: fd), reference: reference, changes: change, message: message)
        emit(image.id.string)
    }
}
