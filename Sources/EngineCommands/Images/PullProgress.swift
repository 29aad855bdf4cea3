import ImageSpec
import Registry
import Synchronization

/// Renders pull events as docker does: on a terminal one line per layer, redrawn in place with a
/// progress bar; otherwise plain lines, each layer's state printed once when it changes.
final class PullProgress: Sendable {
    private struct State {
        var order: [Digest] = []
        var lines: [Digest: String] = [:]
        var drawn = 0
        var printedStates: [Digest: String] = [:]
        var lastDraw = 0.0
    }

    private let output: FileOutput
    private let quiet: Bool
    private let state = Mutex(State())

    init(output: FileOutput = .standardOutput, quiet: Bool) {
        self.output = output
        self.quiet = quiet
    }

    func handle(_ event: PullEvent) {
        guard !quiet else { return }
        switch event {
        case .resolving(let reference):
            output.write("\(reference.digest?.string ?? reference.tag ?? "latest"): Pulling from \(reference.path)\n")
        case .layer(let digest, let progress):
            layer(digest, progress)
        case .digest(let digest):
            finishLayers()
            output.write("Digest: \(digest.string)\n")
        case .status(let status):
            finishLayers()
            output.write("Status: \(status)\n")
        }
    }

    private func layer(_ digest: Digest, _ progress: LayerProgress) {
        let (label, bar): (String, String?) = switch progress {
        case .waiting: ("Waiting", nil)
        case .downloading(let bytes, let total): ("Downloading", Self.bar(bytes, total))
        case .extracting: ("Extracting", nil)
        case .complete: ("Pull complete", nil)
        case .alreadyExists: ("Already exists", nil)
        }
        state.withLock { state in
            if state.lines[digest] == nil { state.order.append(digest) }
            state.lines[digest] = "\(digest.shortID): \(label)" + (bar.map { " \($0)" } ?? "")
            if output.isTerminal {
                // Byte counts arrive many times a second: redraw them at most 20 times a second.
                let now = HumanUnits.now()
                if label == "Downloading", now - state.lastDraw < 0.05 { return }
                state.lastDraw = now
                redraw(&state)
            } else if state.printedStates[digest] != label, label != "Downloading" || state.printedStates[digest] == nil {
                state.printedStates[digest] = label
                output.write("\(digest.shortID): \(label == "Downloading" ? "Pulling fs layer" : label)\n")
            }
        }
    }

    private func redraw(_ state: inout State) {
        var text = state.drawn > 0 ? "\u{1b}[\(state.drawn)A" : ""
        for digest in state.order {
            text += "\u{1b}[2K\(state.lines[digest] ?? "")\n"
        }
        state.drawn = state.order.count
        output.write(text)
    }

    private func finishLayers() {
        state.withLock { state in
            if output.isTerminal, state.drawn > 0 { redraw(&state) }
            state.order.removeAll()
            state.drawn = 0
        }
    }

    /// `[=====>      ]  1.2MB/2.1MB`
    static func bar(_ bytes: Int64, _ total: Int64) -> String {
        let width = 50
        let filled = total > 0 ? min(width, Int(Double(bytes) / Double(total) * Double(width))) : 0
        let arrow = filled < width ? String(repeating: "=", count: max(0, filled - 1)) + ">" + String(repeating: " ", count: width - filled)
                                   : String(repeating: "=", count: width)
        return "[\(arrow)]  \(HumanUnits.size(bytes))/\(HumanUnits.size(total))"
    }
}
