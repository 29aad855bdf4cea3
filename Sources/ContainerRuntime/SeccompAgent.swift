import CBerthShim
import Diagnostics
import LinuxSyscalls
import LiteJSON
import OCIRuntimeSpec

/// Hands a seccomp notification listener to the agent at `linux.seccomp.listenerPath`, as the
/// runtime-spec describes: one message on a stream socket carrying the container process state
/// (JSON) and the descriptor (SCM_RIGHTS).
/// https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#the-container-process-state
enum SeccompAgent {
    struct ContainerProcessState: Codable {
        var ociVersion: String
        var fds: [String]
        var pid: Int32
        var metadata: String?
        var state: State
    }

    static func send(_ listener: FileDescriptor, spec: Spec, pid: Int32, state: State) throws {
        guard let path = spec.linux?.seccomp?.listenerPath, !path.isEmpty else {
            throw BerthError.invalid("config.json: linux.seccomp.listenerPath: required by SCMP_ACT_NOTIFY")
        }
        var state = state
        state.pid = pid
        let message = ContainerProcessState(ociVersion: Spec.version, fds: ["seccompFd"], pid: pid,
                                            metadata: spec.linux?.seccomp?.listenerMetadata, state: state)
        let bytes = try LiteJSONEncoder(sortedKeys: false).encode(message)
        let socket = try LocalSocket.connect(path: path, type: LocalSocket.stream)
        try syscall("send to seccomp agent", path: path) { bt_send_fd(socket.rawValue, bytes, bytes.count, listener.rawValue) }
    }
}
