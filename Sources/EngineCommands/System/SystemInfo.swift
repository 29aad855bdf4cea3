import ArgumentParser
import ContainerEngine
import EngineState
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// `berth info`: docker's system-wide summary.
struct SystemInfo: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Display system-wide information.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let engine = try global.engine()
        let containers = try engine.allContainers()
        let running = containers.filter { $0.state == .running || $0.state == .restarting }.count
        let paused = containers.filter { $0.state == .paused }.count
        var system = utsname()
        uname(&system)
        let kernel = withUnsafeBytes(of: system.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let os = ((try? Files.readString("/etc/os-release")) ?? "").split(separator: "\n")
            .first { $0.hasPrefix("PRETTY_NAME=") }.map { $0.dropFirst(12).filter { $0 != "\"" } } ?? "Linux"
        let cgroupVersion = Files.exists("/sys/fs/cgroup/cgroup.controllers") ? "2"
            : Files.exists("/sys/fs/cgroup/unified") ? "1 (hybrid)" : "1"
        let memory = StatsCommand.hostMemory()
        let lines = [
            SystemVersion.report(),
            "",
            "Server:",
            " Containers: \(containers.count)",
            "  Running: \(running)",
            "  Paused: \(paused)",
            "  Stopped: \(containers.count - running - paused)",
            " Images: \(try engine.images.images().count)",
            " Server Version: \(BerthVersion.engine)",
            " Storage Driver: overlay2",
            " Logging Driver: json-file",
            " Cgroup Driver: cgroupfs",
            " Cgroup Version: \(cgroupVersion)",
            " Default Runtime: \(engine.runtimePath)",
            " Monitor: \(engine.monitorPath)",
            " Kernel Version: \(kernel)",
            " Operating System: \(os)",
            " Architecture: \(BerthVersion.arch)",
            " CPUs: \(sysconf(Int32(_SC_NPROCESSORS_ONLN)))",
            " Total Memory: \(StatsCommand.binarySize(memory))",
            " Docker Root Dir: \(engine.root)",
        ]
        emit(lines.joined(separator: "\n"))
    }
}

/// `berth system df`: disk used by images, containers and volumes.
struct SystemDiskUsage: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "df", abstract: "Show docker disk usage.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let engine = try global.engine()
        let containers = try engine.allContainers()
        let images = try engine.images.images()
        let usedImages = Set(containers.map(\.imageID))
        let imageSize = images.reduce(Int64(0)) { $0 + $1.size }
        let unusedImageSize = images.filter { !usedImages.contains($0.id.string) }.reduce(Int64(0)) { $0 + $1.size }
        var containerSize: Int64 = 0, stoppedSize: Int64 = 0
        for record in containers {
            let size = DiskUsage.bytes(under: "\(engine.directory(record.id))/upper")
            containerSize += size
            if record.state == .exited || record.state == .created { stoppedSize += size }
        }
        let volumes = try engine.volumes.list()
        let usedVolumes = Set(containers.flatMap { (try? engine.settings(of: $0).volumes.values.map { $0 }) ?? [] })
        var volumeSize: Int64 = 0, unusedVolumeSize: Int64 = 0
        for volume in volumes {
            let size = DiskUsage.bytes(under: volume.mountpoint)
            volumeSize += size
            if !usedVolumes.contains(volume.name) { unusedVolumeSize += size }
        }
        func percent(_ part: Int64, _ whole: Int64) -> String {
            whole == 0 ? "0B" : "\(HumanUnits.size(part)) (\(Int(Double(part) / Double(whole) * 100))%)"
        }
        var table = Table(["TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE"])
        table.add(["Images", String(images.count), String(images.filter { usedImages.contains($0.id.string) }.count),
                   HumanUnits.size(imageSize), percent(unusedImageSize, imageSize)])
        table.add(["Containers", String(containers.count),
                   String(containers.filter { $0.state == .running || $0.state == .paused }.count),
                   HumanUnits.size(containerSize), percent(stoppedSize, containerSize)])
        table.add(["Local Volumes", String(volumes.count), String(volumes.filter { usedVolumes.contains($0.name) }.count),
                   HumanUnits.size(volumeSize), percent(unusedVolumeSize, volumeSize)])
        table.add(["Build Cache", "0", "0", "0B", "0B"])
        FileOutput.standardOutput.write(table.render())
    }
}

/// `berth system …`.
struct SystemCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "system", abstract: "Manage Berth.",
                                                    subcommands: [SystemDiskUsage.self, SystemInfo.self, SystemReset.self, SystemVersion.self])
}

/// `berth system reset [-f]`: podman's reset — every container, network, volume and image, and
/// the state directory.
struct SystemReset: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reset", abstract: "Reset Berth's storage back to its initial state.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Do not prompt for confirmation.") var force = false

    func run() throws {
        if !force {
            FileOutput.standardOutput.write("WARNING! This will remove all containers, networks, volumes and images of \(global.rootPath).\nAre you sure you want to continue? [y/N] ")
            guard let answer = readLine(), answer.lowercased().hasPrefix("y") else { return }
        }
        try global.engine().reset()
    }
}
