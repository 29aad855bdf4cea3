import Diagnostics
import LinuxSyscalls
import LiteJSON
import OCIRuntimeSpec
import Seccomp

#if canImport(Glibc)
import Glibc
#endif

enum SpecCommand: RuntimeCommand {
    static let name = "spec"
    static let usage = "[options]"
    static let abstract = "Write a default config.json into the bundle directory."
    static let options: [OptionSpec] = [
        .value("bundle", "b", help: "path to the root of the bundle directory"),
        .flag("rootless", help: "generate a configuration for a rootless container"),
    ]

    static func run(_ arguments: ParsedArguments, context: RuntimeContext) throws -> Int32 {
        _ = try arguments.requirePositionals([], command: name)
        let bundle = arguments.value("bundle") ?? "."
        let path = "\(bundle)/config.json"
        try BerthError.wrap("spec") {
            if Files.exists(path) { throw BerthError(.alreadyExists, "file \(path) exists: remove it first") }
            let bytes = try Spec.runcDefault(rootless: arguments.flag("rootless")).encode(pretty: true)
            try Files.create(path, bytes + [UInt8(ascii: "\n")], mode: 0o666 & ~currentUmask())
        }
        return 0
    }

    static func currentUmask() -> mode_t {
        let mask = umask(0)
        umask(mask)
        return mask
    }
}

enum FeaturesCommand: RuntimeCommand {
    static let name = "features"
    static let usage = ""
    static let abstract = "Print the features this runtime supports, as JSON."
    static let options: [OptionSpec] = []

    static func run(_ arguments: ParsedArguments, context: RuntimeContext) throws -> Int32 {
        _ = try arguments.requirePositionals([], command: name)
        let seccomp = SeccompFeatures(
            enabled: true, actions: SeccompFilter.supportedActions, operators: SeccompFilter.supportedOperators,
            archs: SeccompFilter.supportedArchitectures, knownFlags: SeccompFilter.flags, supportedFlags: SeccompFilter.flags)
        print(String(decoding: try LiteJSONEncoder(pretty: true).encode(Features.berth(seccomp: seccomp)), as: UTF8.self))
        return 0
    }
}
