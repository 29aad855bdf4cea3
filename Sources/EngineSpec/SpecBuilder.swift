import Diagnostics
import ImageSpec
import OCIRuntimeSpec

/// Turns an image config and docker's `run` flags into the OCI spec of a container, with
/// docker's defaults. Pure: everything that takes I/O comes in `ResolvedInputs`.
public enum SpecBuilder {
    /// - Throws: `BerthError(.invalidArgument)` for a bad flag value, in docker's wording
    ///   (`invalid argument "12q" for "-m, --memory" flag: invalid size: '12q'`).
    public static func build(image: ImageConfiguration, options: RunOptions,
                             resolved: ResolvedInputs) throws(BerthError) -> Spec {
        let security = try options.securityOpts.map { (text) throws(BerthError) in try SecurityOption.parse(text) }
        let hostname = options.hostname ?? resolved.defaultHostname

        var process = Process(terminal: options.tty, user: resolved.user,
                              args: try arguments(image: image.config, options: options, initProcess: options.initProcess),
                              env: try environment(image: image.config, options: options, resolved: resolved, hostname: hostname),
                              cwd: try workingDirectory(image: image.config, options: options),
                              capabilities: try capabilities(options),
                              rlimits: try rlimits(options, raiseNofile: resolved.raiseNofileLimit),
                              noNewPrivileges: noNewPrivileges(security))
        if options.initProcess && resolved.initPath == nil {
            throw BerthError(.internalError, "--init: no init binary is configured")
        }
        process.user.username = nil   // Windows-only in the runtime spec; UserResolver fills it for callers.

        var linux = Linux(namespaces: namespaces(options, networkPath: resolved.networkNamespacePath))
        linux.cgroupsPath = resolved.cgroupsPath
        linux.resources = try resources(options)
        if !options.privileged {
            linux.maskedPaths = maskedPaths
            linux.readonlyPaths = readonlyPaths
        }
        linux.seccomp = try seccomp(security, privileged: options.privileged, profile: resolved.seccompProfile)

        return Spec(process: process, root: Root(path: resolved.rootfsPath, readonly: options.readOnly),
                    hostname: hostname, mounts: try mounts(options, resolved: resolved),
                    annotations: annotations(options.labels), linux: linux)
    }

    /// The user `-u` names, else the image's ("" is root): what the caller resolves with
    /// `UserResolver` before building.
    public static func userSpec(image: ImageConfiguration, options: RunOptions) -> String {
        options.user ?? image.config?.user ?? ""
    }

    /// Where `--init` binds the init binary.
    public static let initDestination = "/sbin/init-berth"

    /// docker's masked paths.
    public static let maskedPaths = [
        "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ]

    /// docker's read-only paths.
    public static let readonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]

    /// `--label k=v` → annotations; nil when there are none.
    public static func annotations(_ labels: [String]) -> [String: String]? {
        guard !labels.isEmpty else { return nil }
        var result: [String: String] = [:]
        for label in labels {
            let pair = label.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            result[String(pair[0])] = pair.count == 2 ? String(pair[1]) : ""
        }
        return result
    }
}
