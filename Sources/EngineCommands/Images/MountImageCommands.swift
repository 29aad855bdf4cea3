import ArgumentParser
import LinuxSyscalls

/// `berth image mount IMAGE DIR` (podman's name): the image's root filesystem, read-only, at DIR.
struct MountImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mount", abstract: "Mount an image's root filesystem read-only on a directory.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "IMAGE") var image: String
    @Argument(help: "DIR") var directory: String

    func run() throws {
        let store = try global.imageStore()
        try store.mountRootfs(of: try store.image(image), target: Files.absolute(directory))
        emit(Files.absolute(directory))
    }
}

/// `berth image unmount DIR`.
struct UnmountImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unmount", abstract: "Unmount an image mounted with 'image mount'.", aliases: ["umount"])

    @OptionGroup var global: GlobalOptions
    @Argument(help: "DIR") var directory: String

    func run() throws {
        try Mounts.unmount(Files.absolute(directory), detach: false)
    }
}
