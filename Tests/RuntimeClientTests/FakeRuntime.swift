import LinuxSyscalls
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// A stand-in runtime: a /bin/sh script in a temp directory that appends its argv and the targets
/// of its open fds to `calls`, prints `stdout` if present, and with a `fail` file writes that file's
/// lines to its --log file (JSON) and its stderr and exits 1.
final class FakeRuntime {
    let directory: String
    let path: String
    var callsPath: String { directory + "/calls" }

    init(name: String = "runc") throws {
        var template = Array("/tmp/berth-rtc-fake.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw XCTSkip("mkdtemp failed") }
        directory = String(cString: made)
        path = directory + "/" + name
        let script = #"""
        #!/bin/sh
        dir=$(dirname "$0")
        {
          printf 'argv:'
          for a in "$@"; do printf ' %s' "$a"; done
          echo
        } >>"$dir/calls"
        # dash applies redirections (and $(...) pipes) in the shell itself, so the fd table is read
        # by a child that opens its output file on its own.
        # dash's own descriptor for this script is left out.
        perl -e 'open(F, ">>", $ARGV[0]) or die; for $n (0..1023) {
          $t = readlink("/proc/$ARGV[1]/fd/$n"); print F "fd$n: $t\n" if defined $t && $t ne $ARGV[2] }' \
          "$dir/calls" $$ "$(readlink -f "$0")"
        log=
        prev=
        for a in "$@"; do
          [ "$prev" = "--log" ] && log=$a
          prev=$a
        done
        [ -f "$dir/stdout" ] && cat "$dir/stdout"
        if [ -f "$dir/fail" ]; then
          [ -n "$log" ] && cat "$dir/fail" >>"$log"
          cat "$dir/fail" >&2
          exit "$(cat "$dir/status" 2>/dev/null || echo 1)"
        fi
        exit "$(cat "$dir/status" 2>/dev/null || echo 0)"
        """#
        try Files.create(path, Array(script.utf8), mode: 0o755)
    }

    deinit { try? Files.removeTree(directory) }

    func set(_ file: String, _ content: String) throws {
        try? Files.removeFile(directory + "/" + file)
        try Files.create(directory + "/" + file, Array(content.utf8))
    }

    func clear(_ file: String) { try? Files.removeFile(directory + "/" + file) }

    /// Each call's recorded lines, oldest first.
    func calls() throws -> [[String]] {
        let text = (try? Files.readString(callsPath)) ?? ""
        var result: [[String]] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("argv:") { result.append([]) }
            result[result.count - 1].append(String(line))
        }
        return result
    }

    /// The argv words of each call (after the program name).
    func argvs() throws -> [[String]] {
        try calls().map { $0[0].dropFirst("argv:".count).split(separator: " ").map(String.init) }
    }

    /// fd number → target, for call `index`.
    func fds(_ index: Int) throws -> [Int: String] {
        var result: [Int: String] = [:]
        for line in try calls()[index].dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if let n = Int(parts[0].dropFirst(2)) {
                result[n] = parts.count > 1 ? String(parts[1].dropFirst()) : ""
            }
        }
        return result
    }
}
