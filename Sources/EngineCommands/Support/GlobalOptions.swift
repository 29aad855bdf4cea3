import ArgumentParser
import EngineState
import ImageStore

#if canImport(Glibc)
import Glibc
#endif

/// Options every `berth` command takes, before or after its name: `berth --root DIR images`.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Root directory of Berth's state (env BERTH_ROOT).", valueName: "dir"))
    var root: String?

    /// The state directory: --root, else $BERTH_ROOT, else /var/lib/berth.
    var rootPath: String {
        if let root, !root.isEmpty { return root }
        if let env = getenv("BERTH_ROOT").map({ String(cString: $0) }), !env.isEmpty { return env }
        return "/var/lib/berth"
    }

    func imageStore() throws -> ImageStore { try ImageStore(root: rootPath) }

    func volumeStore() throws -> VolumeStore { try VolumeStore(root: rootPath) }
}

import ContainerEngine

extension GlobalOptions {
    /// The container engine on this root, with the runtime and monitor found next to berth.
    func engine() throws -> Engine { try Engine.located(root: rootPath) }
}
