import ArgumentParser

/// `berth container …`: docker's container management group.
struct ContainerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "container",
        abstract: "Manage containers.",
        subcommands: [
            CreateCommand.self, RunCommand.self, StartCommand.self, StopCommand.self, RestartCommand.self,
            KillCommand.self, RemoveCommand.self, PauseCommand.self, UnpauseCommand.self, WaitCommand.self,
            AttachCommand.self, PsCommand.self, LogsCommand.self, ExecCommand.self, ContainerInspectCommand.self,
            TopCommand.self, StatsCommand.self, RenameCommand.self, CopyCommand.self, ExportCommand.self,
            CommitCommand.self, ContainerPruneCommand.self, PortCommand.self, CleanupCommand.self,
        ]
    )
}
