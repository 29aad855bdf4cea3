import ArgumentParser
import Diagnostics

/// An error `berth` reports and the exit status it leaves with: docker's CLI exits 1 when a
/// command fails, 125 when the engine could not run a container, 126/127 when the command in
/// the container cannot be invoked / found.
public struct EngineFailure: Error, CustomStringConvertible {
    public var message: String
    public var exitCode: Int32

    public init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }

    public var description: String { message }
}

extension BerthCommand {
    /// Parses the command line, runs the command and exits: errors print one line,
    /// `Error: <lower-case message>`, on stderr; usage errors exit 125 as docker's do.
    public static func runMain() async -> Never {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(withError: nil)
        } catch let failure as EngineFailure {
            FileOutput.standardError.write("Error: \(failure.message)\n")
            exit(withError: ExitCode(failure.exitCode))
        } catch let error as BerthError {
            FileOutput.standardError.write("Error: \(error.message)\n")
            exit(withError: ExitCode(1))
        } catch {
            let code = exitCode(for: error)
            if code == .success || code.rawValue == 0 {
                exit(withError: error)
            }
            if code == .validationFailure {
                // One line, docker's shape: "Error: unknown flag: --bogus" (exit 125).
                FileOutput.standardError.write("Error: \(usageLine(message(for: error)))\n")
                exit(withError: ExitCode(125))
            }
            exit(withError: error)
        }
    }
}

/// Runs `body`; a `BerthError` becomes an `EngineFailure` with docker's exit status `code`
/// (125 when the engine could not make or start a container).
func failing<T>(_ code: Int32, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as BerthError {
        throw EngineFailure(error.message, exitCode: code)
    }
}

/// The first line of an argument-parser message, lower-case first, without its "Error: ".
func usageLine(_ message: String) -> String {
    var line = Substring(message.split(separator: "\n").first ?? "")
    if line.hasPrefix("Error: ") { line = line.dropFirst(7) }
    guard let first = line.first else { return "invalid arguments" }
    return first.lowercased() + line.dropFirst()
}
