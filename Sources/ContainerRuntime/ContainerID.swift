import Diagnostics

/// Container ids: what runc accepts (letters, digits, `_ + - .`), never `.`/`..` or a `/`,
/// so an id can never name a path outside the state root.
public enum ContainerID {
    public static func validate(_ id: String) throws {
        guard !id.isEmpty else { throw BerthError.invalid("container id must not be empty") }
        guard id != "." && id != ".." && !id.contains("/") && !id.contains("..") else {
            throw BerthError.invalid("invalid container id \"\(id)\": must not contain '/' or '..'")
        }
        guard id.utf8.count <= 1024, id.utf8.allSatisfy(isAllowed) else {
            throw BerthError.invalid("invalid container id \"\(id)\": only letters, digits and _ + - . are allowed")
        }
    }

    static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "+"),
             UInt8(ascii: "-"), UInt8(ascii: "."):
            true
        default:
            false
        }
    }
}
