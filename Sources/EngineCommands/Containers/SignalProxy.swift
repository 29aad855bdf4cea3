import ContainerEngine
import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// docker's `--sig-proxy`: while `run` or `start -a` is attached without a terminal, the
/// signals the CLI receives (ctrl-c's SIGINT, SIGTERM, ...) go to the container instead of
/// ending the CLI. With `-t` the terminal is raw and ctrl-c reaches the container as a byte.
final class SignalProxy {
    static let forwarded: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2]
    private var sources: [DispatchSourceSignal] = []

    init(engine: Engine, container id: String) {
        for number in Self.forwarded {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                _ = try? engine.kill(id, signal: String(number))
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
        for number in Self.forwarded { signal(number, SIG_DFL) }
    }
}
