import ArgumentParser

/// The `berth` root command: a docker-like container engine.
///
/// Executables call ``BerthCommand/main()``; every subcommand lives in its own
/// file, one folder per noun, and is listed here in its help group.
public struct BerthCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "berth",
        abstract: "Run and manage containers.",
        discussion: "Berth drives an OCI runtime (berth-runtime, runc or crun) the way docker and podman do.",
        version: BerthVersion.engine,
        groupedSubcommands: [
            CommandGroup(name: "System", subcommands: [SystemVersion.self]),
        ]
    )

    public init() {}
}
