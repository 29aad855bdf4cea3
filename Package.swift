// swift-tools-version:6.0
// Berth: a container engine (`berth`) and a runc-compatible OCI runtime (`berth-runtime`).
// Dependencies point down only:
//   CLIs → Commands → ContainerRuntime → ContainerInit → RootFilesystem → Cgroups
//        → OCIRuntimeSpec → LiteJSON;  everything → LinuxSyscalls → CBerthShim; Diagnostics.
//   EngineCommands → (Registry, ImageArchive) → ImageStore → (LayerArchive, ImageSpec, Hashing).
import PackageDescription

let package = Package(
    name: "Berth",
    products: [
        .executable(name: "berth-runtime", targets: ["RuntimeCLI"]),
        .executable(name: "berth", targets: ["EngineCLI"]),
        .executable(name: "berth-monitor", targets: ["MonitorCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The only C: syscalls without a libc wrapper, declarations Glibc hides, and the
        // async-signal-safe namespace spawner. Every symbol starts with `bt_`.
        .target(name: "CBerthShim"),
        .target(name: "Diagnostics"),
        .target(name: "LinuxSyscalls", dependencies: ["CBerthShim", "Diagnostics"]),
        .target(name: "LiteJSON"),
        .target(name: "OCIRuntimeSpec", dependencies: ["LiteJSON", "Diagnostics"]),
        .target(name: "Cgroups", dependencies: ["LinuxSyscalls", "OCIRuntimeSpec", "Diagnostics"]),
        .target(name: "RootFilesystem", dependencies: ["Cgroups", "LinuxSyscalls", "OCIRuntimeSpec", "Diagnostics"]),
        // Debian's libseccomp (libseccomp-dev): the static berth-runtime links libseccomp.a.
        .systemLibrary(name: "CSeccomp", path: "Sources/CSeccomp"),
        .target(name: "Seccomp", dependencies: ["CSeccomp", "CBerthShim", "LinuxSyscalls", "OCIRuntimeSpec", "Diagnostics"]),
        .target(name: "ContainerInit", dependencies: ["Seccomp", "Cgroups", "RootFilesystem", "LinuxSyscalls", "OCIRuntimeSpec", "LiteJSON", "Diagnostics"]),
        .target(name: "ContainerRuntime", dependencies: ["ContainerInit", "Seccomp", "Cgroups", "RootFilesystem", "LinuxSyscalls", "OCIRuntimeSpec", "LiteJSON", "Diagnostics"]),
        .target(name: "RuntimeCommands", dependencies: ["ContainerRuntime", "LinuxSyscalls", "Seccomp", "Cgroups", "OCIRuntimeSpec", "LiteJSON", "Diagnostics"]),
        // berth-runtime is fully static: ~1 ms start-up, no shared libraries to resolve.
        .executableTarget(
            name: "RuntimeCLI", dependencies: ["RuntimeCommands"],
            linkerSettings: [.unsafeFlags(["-static-executable"])]),
        // Images: OCI types, sha256 (OpenSSL's libcrypto), layer tarballs (libarchive), the store,
        // the registry client and image archives.
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto"),
        .target(name: "Hashing", dependencies: ["CCrypto"]),
        .target(name: "ImageSpec", dependencies: ["Hashing", "LiteJSON", "Diagnostics"]),
        .systemLibrary(name: "CArchive", path: "Sources/CArchive"),
        .target(name: "LayerArchive", dependencies: ["CArchive", "ImageSpec", "Hashing", "LinuxSyscalls", "CBerthShim", "Diagnostics"]),
        .target(name: "ImageStore", dependencies: ["LayerArchive", "ImageSpec", "Hashing", "LinuxSyscalls", "LiteJSON", "Diagnostics"]),
        .target(name: "Registry", dependencies: ["ImageStore", "LayerArchive", "ImageSpec", "Hashing", "LinuxSyscalls", "LiteJSON", "Diagnostics"]),
        .target(name: "ImageArchive", dependencies: ["ImageStore", "LayerArchive", "ImageSpec", "Hashing", "LinuxSyscalls", "LiteJSON", "Diagnostics"]),
        // The engine's containers: their records, names and volumes (EngineState), and the OCI
        // spec docker's flags and an image config make (EngineSpec).
        .target(name: "EngineState", dependencies: ["LinuxSyscalls", "LiteJSON", "Diagnostics"]),
        .target(name: "EngineSpec", dependencies: ["OCIRuntimeSpec", "ImageSpec", "LiteJSON", "Diagnostics"]),
        // Container logs in docker's json-file format, and the OCI runtime driven as a program.
        .target(name: "ContainerLogs", dependencies: ["LinuxSyscalls", "LiteJSON", "Diagnostics"]),
        .target(name: "RuntimeClient", dependencies: ["OCIRuntimeSpec", "LinuxSyscalls", "LiteJSON", "Diagnostics"]),
        // The per-container monitor (conmon's job): a small static executable, and the attach
        // protocol's client side the CLI uses.
        .target(name: "ContainerMonitor", dependencies: [
            "ContainerLogs", "RuntimeClient", "EngineState", "LinuxSyscalls", "CBerthShim", "LiteJSON", "Diagnostics"]),
        .executableTarget(
            name: "MonitorCLI", dependencies: ["ContainerMonitor"],
            linkerSettings: [.unsafeFlags(["-static-executable"])]),
        // Files in and out of a container's root: cp, export.
        .target(name: "ContainerFiles", dependencies: ["LayerArchive", "LinuxSyscalls", "CBerthShim", "Diagnostics"]),
        // Networks: bridges through Debian's CNI plugins, IPAM, published ports, hosts files.
        .target(name: "Networking", dependencies: ["LinuxSyscalls", "CBerthShim", "LiteJSON", "Diagnostics"]),
        // Containers as the engine runs them: records + spec + image + monitor + runtime.
        .target(name: "ContainerEngine", dependencies: [
            "Networking", "ContainerMonitor", "ContainerFiles", "ContainerLogs", "RuntimeClient", "EngineSpec", "EngineState",
            "ImageArchive", "ImageStore", "ImageSpec", "OCIRuntimeSpec", "LinuxSyscalls", "LiteJSON", "Diagnostics"]),
        .target(name: "EngineCommands", dependencies: [
            "ContainerEngine", "Networking", "ContainerMonitor", "ContainerFiles", "ContainerLogs", "EngineSpec", "RuntimeClient",
            "Registry", "ImageArchive", "ImageStore", "EngineState", "ImageSpec", "LinuxSyscalls", "LiteJSON", "Diagnostics",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // `make build` links berth with --static-swift-stdlib (the Swift runtime and Foundation
        // inside the binary): fewer shared libraries to load and relocate at every start.
        .executableTarget(name: "EngineCLI", dependencies: ["EngineCommands"]),

        .testTarget(name: "LinuxSyscallsTests", dependencies: ["LinuxSyscalls"]),
        .testTarget(name: "LiteJSONTests", dependencies: ["LiteJSON"]),
        .testTarget(name: "OCIRuntimeSpecTests", dependencies: ["OCIRuntimeSpec", "LiteJSON"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CgroupsTests", dependencies: ["Cgroups", "OCIRuntimeSpec", "LiteJSON", "LinuxSyscalls", "Diagnostics"]),
        .testTarget(name: "RootFilesystemTests", dependencies: ["Cgroups", "RootFilesystem", "OCIRuntimeSpec", "LinuxSyscalls"]),
        .testTarget(name: "RuntimeCommandsTests", dependencies: ["RuntimeCommands", "LinuxSyscalls", "ContainerRuntime", "Seccomp", "OCIRuntimeSpec", "Diagnostics"]),
        .testTarget(name: "SeccompTests", dependencies: ["Seccomp", "CSeccomp", "OCIRuntimeSpec", "LiteJSON", "Diagnostics"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "ImageSpecTests", dependencies: ["ImageSpec", "Hashing", "LiteJSON", "Diagnostics"]),
        .testTarget(name: "LayerArchiveTests", dependencies: ["LayerArchive", "ImageSpec", "Hashing", "LinuxSyscalls", "Diagnostics"]),
        .testTarget(name: "ImageStoreTests", dependencies: ["ImageStore", "LayerArchive", "ImageSpec", "LinuxSyscalls", "Diagnostics"]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "ImageStore", "ImageSpec", "LiteJSON", "LinuxSyscalls", "Diagnostics"]),
        .testTarget(name: "ImageArchiveTests", dependencies: ["ImageArchive", "ImageStore", "LayerArchive", "ImageSpec", "LinuxSyscalls", "Diagnostics"]),
        .testTarget(name: "EngineStateTests", dependencies: ["EngineState", "LinuxSyscalls", "Diagnostics"]),
        .testTarget(name: "EngineSpecTests", dependencies: ["EngineSpec", "OCIRuntimeSpec", "ImageSpec", "LiteJSON", "Diagnostics"]),
        .testTarget(name: "ContainerLogsTests", dependencies: ["ContainerLogs", "LinuxSyscalls", "LiteJSON", "Diagnostics"]),
        .testTarget(name: "RuntimeClientTests", dependencies: ["RuntimeClient", "OCIRuntimeSpec", "LinuxSyscalls", "Diagnostics"]),
        .testTarget(name: "ContainerMonitorTests", dependencies: ["ContainerMonitor", "ContainerLogs", "RuntimeClient", "EngineState", "LinuxSyscalls", "LiteJSON", "Diagnostics"]),
        .testTarget(name: "NetworkingTests", dependencies: ["Networking", "LinuxSyscalls", "LiteJSON", "Diagnostics"]),
        .testTarget(name: "ContainerFilesTests", dependencies: ["ContainerFiles", "LayerArchive", "LinuxSyscalls", "Diagnostics"]),
        .testTarget(name: "ContainerEngineTests", dependencies: ["ContainerEngine", "EngineSpec", "EngineState", "ImageArchive", "ImageSpec", "LayerArchive", "LinuxSyscalls", "Diagnostics"]),
        .testTarget(name: "PrivilegedTests", dependencies: ["Cgroups", "RootFilesystem", "LinuxSyscalls", "OCIRuntimeSpec", "CBerthShim", "Diagnostics"]),
    ]
)
