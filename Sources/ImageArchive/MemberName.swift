import Diagnostics
import ImageSpec

/// Names of archive members, checked and normalised. A loaded archive is never extracted as
/// paths: member names are only keys, but a key that could not be a relative path inside the
/// archive (`../x`, `/etc/passwd`, a NUL) marks the archive as malformed.
enum MemberName {
    /// `./a//b/` → `a/b`; "" for the archive root itself.
    /// - Throws: `invalidArgument` for absolute names, `..` components and NUL bytes.
    static func normalize(_ raw: String) throws -> String {
        guard !raw.utf8.contains(0) else { throw BerthError.invalid("member \(raw.debugDescription): name contains a nul byte") }
        guard !raw.hasPrefix("/") else { throw BerthError.invalid("member \(raw.debugDescription): absolute path") }
        var parts: [Substring] = []
        for part in raw.split(separator: "/") where part != "." {
            guard part != ".." else { throw BerthError.invalid("member \(raw.debugDescription): path leaves the archive") }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }

    /// The member a symbolic link named `member` points at: `target` is relative to the link's
    /// directory (older `docker save` links `<id>/layer.tar` to `../<other id>/layer.tar`).
    /// - Throws: `invalidArgument` when the target is absolute or leaves the archive.
    static func symlinkTarget(_ target: String, of member: String) throws -> String {
        guard !target.isEmpty, !target.hasPrefix("/"), !target.utf8.contains(0) else {
            throw BerthError.invalid("member \(member): link target \(target.debugDescription) is not inside the archive")
        }
        var parts = member.split(separator: "/").dropLast().map { $0 }
        for part in target.split(separator: "/") where part != "." {
            if part == ".." {
                guard !parts.isEmpty else {
                    throw BerthError.invalid("member \(member): link target \(target.debugDescription) leaves the archive")
                }
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }

    /// The hex digest a content-addressed name promises: anything under `blobs/sha256/`, or
    /// `<64 hex>.json` (the config name of older `docker save` and skopeo). Other names (legacy
    /// `<id>/layer.tar`, whose ids are not digests) promise nothing.
    static func statedDigest(_ name: String) -> String? {
        if name.hasPrefix("blobs/sha256/") { return String(name.dropFirst("blobs/sha256/".count)) }
        if !name.contains("/"), name.hasSuffix(".json"), Digest.isHex64(name.dropLast(5)) {
            return String(name.dropLast(5))
        }
        return nil
    }
}
