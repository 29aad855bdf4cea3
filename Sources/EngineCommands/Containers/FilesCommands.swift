import ArgumentParser
import ContainerEngine
import ContainerFiles
import Diagnostics
import ImageSpec
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// `berth cp CONTAINER:SRC DEST|-` and `berth cp SRC|- CONTAINER:DEST`.
struct CopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cp", abstract: "Copy files/folders between a container and the local filesystem.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: [.customShort("a"), .long], help: "Archive mode (copy all uid/gid information).") var archive = false
    @Flag(name: [.customShort("L"), .customLong("follow-link")], help: "Follow a symbolic link in SRC_PATH (in the container).") var followLink = false
    @Flag(name: .shortAndLong, help: "Suppress progress output.") var quiet = false
    @Argument(help: "SRC") var source: String
    @Argument(help: "DEST") var destination: String

    /// "name:/path" → ("name", "/path"); a local path (absolute, relative with ./, or "-") → nil.
    static func split(_ argument: String) -> (String, String)? {
        guard !argument.hasPrefix("/"), !argument.hasPrefix("."), let colon = argument.firstIndex(of: ":") else { return nil }
        return (String(argument[..<colon]), String(argument[argument.index(after: colon)...]))
    }

    func run() throws {
        let engine = try global.engine()
        switch (Self.split(source), Self.split(destination)) {
        case let ((name, path)?, nil):
            let record = try engine.container(name)
            try engine.withRootfs(record) { rootfs in
                try BerthError.wrap("copy from container \(record.name)") {
                    var source = path
                    var target = destination
                    if followLink {
                        // -L: copy what the link points to (inside the container), under the link's name.
                        source = try ContainerCopy.resolvingLinks(rootfs: rootfs, path: path)
                        let name = path.split(separator: "/").last.map(String.init) ?? ""
                        if target != "-", Files.isDirectory(target), !name.isEmpty { target += "/" + name }
                    }
                    if target == "-" {
                        try ContainerCopy.copyOutArchive(rootfs: rootfs, path: source, to: STDOUT_FILENO)
                    } else {
                        try ContainerCopy.copyOut(rootfs: rootfs, path: source, toHost: target, keepingOwnership: archive)
                    }
                }
            }
        case let (nil, (name, path)?):
            let record = try engine.container(name)
            try engine.withRootfs(record) { rootfs in
                try BerthError.wrap("copy to container \(record.name)") {
                    if source == "-" {
                        try ContainerCopy.copyInArchive(from: STDIN_FILENO, rootfs: rootfs, path: path, keepingOwnership: archive)
                    } else {
                        try ContainerCopy.copyIn(fromHost: source, rootfs: rootfs, path: path, keepingOwnership: archive)
                    }
                }
            }
        case (_?, _?):
            throw EngineFailure("copying between containers is not supported")
        case (nil, nil):
            throw EngineFailure("must specify at least one container source")
        }
    }
}

/// `berth export [-o FILE] CONTAINER`: the container's file system as a tar archive.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export a container's filesystem as a tar archive.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "Write to a file, instead of STDOUT.") var output: String?
    @Argument(help: "CONTAINER") var container: String

    func run() throws {
        let engine = try global.engine()
        let record = try engine.container(container)
        if output == nil, isatty(STDOUT_FILENO) == 1 {
            throw EngineFailure("cowardly refusing to save to a terminal. Use the -o flag or redirect")
        }
        try engine.withRootfs(record) { rootfs in
            try BerthError.wrap("export container \(record.name)") {
                if let output {
                    let temporary = output + ".tmp-\(getpid())"
                    do {
                        let file = try FileDescriptor.open(temporary, O_WRONLY | O_CREAT | O_TRUNC, mode: 0o644)
                        try ContainerExport.export(rootfs: rootfs, to: file.rawValue)
                        file.close()
                        try syscall("rename", path: output) { rename(temporary, output) }
                    } catch {
                        unlink(temporary)
                        throw error
                    }
                } else {
                    try ContainerExport.export(rootfs: rootfs, to: STDOUT_FILENO)
                }
            }
        }
    }
}

/// `berth commit [-m MSG] [-a AUTHOR] [-c CHANGE] CONTAINER [REPOSITORY[:TAG]]`: prints the new image id.
struct CommitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "commit", abstract: "Create a new image from a container's changes.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "Commit message.") var message: String?
    @Option(name: .shortAndLong, help: "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\").") var author: String?
    @Option(name: .shortAndLong, help: "Apply Dockerfile instruction to the created image.") var change: [String] = []
    @Flag(name: .shortAndLong, inversion: .prefixedNo, help: "Pause container during commit.") var pause = true
    @Argument(help: "CONTAINER") var container: String
    @Argument(help: "REPOSITORY[:TAG]") var repository: String?

    func run() throws {
        let engine = try global.engine()
        let reference = try repository.map { name in
            do { return try ImageReference(parsing: name) } catch { throw EngineFailure("invalid reference format: \(name)") }
        }
        let image = try engine.commit(container, reference: reference, changes: change, message: message,
                                      author: author, pause: pause)
        emit(image.id.string)
    }
}
