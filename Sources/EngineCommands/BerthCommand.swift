import ArgumentParser

/// The `berth` root command: a docker-like container engine.
///
/// Executables call ``BerthCommand/runMain()``; every subcommand lives in its own file, one
/// folder per noun, and is listed here in its help group.
public struct BerthCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "berth",
        abstract: "Run and manage containers.",
        discussion: "Berth drives an OCI runtime (berth-runtime, runc or crun) the way docker and podman do.",
        version: BerthVersion.engine,
        groupedSubcommands: [
            CommandGroup(name: "Containers", subcommands: [
                RunCommand.self, CreateCommand.self, StartCommand.self, StopCommand.self, RestartCommand.self,
                KillCommand.self, RemoveCommand.self, PauseCommand.self, UnpauseCommand.self, WaitCommand.self,
                AttachCommand.self, PsCommand.self, LogsCommand.self, ExecCommand.self, InspectCommand.self,
                TopCommand.self, StatsCommand.self, RenameCommand.self, CopyCommand.self, ExportCommand.self,
                CommitCommand.self, PortCommand.self,
            ]),
            CommandGroup(name: "Images", subcommands: [
                PullCommand.self, PushCommand.self, ImagesCommand.self, RemoveImageCommand.self, TagCommand.self,
                HistoryCommand.self, SaveCommand.self, LoadCommand.self, ImportCommand.self,
            ]),
            CommandGroup(name: "Registries", subcommands: [LoginCommand.self, LogoutCommand.self]),
            CommandGroup(name: "Management", subcommands: [
                ContainerCommand.self, ImageCommand.self, NetworkCommand.self, VolumeCommand.self, SystemCommand.self,
            ]),
            CommandGroup(name: "System", subcommands: [SystemInfo.self, SystemVersion.self]),
        ]
    )

    @OptionGroup var global: GlobalOptions

    public init() {}
}

/// `berth image …`: docker's image management group.
struct ImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Manage images.",
        subcommands: [
            ImageListCommand.self, PullCommand.self, PushCommand.self, ImageRemoveCommand.self, TagCommand.self,
            InspectImageCommand.self, HistoryCommand.self, SaveCommand.self, LoadCommand.self, ImportCommand.self,
            PruneImagesCommand.self, MountImageCommand.self, UnmountImageCommand.self,
        ]
    )
}
