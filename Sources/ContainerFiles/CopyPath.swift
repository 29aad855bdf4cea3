/// A path as `docker cp` reads it: folded lexically ("//", ".", ".." as `filepath.Clean` does),
/// remembering whether it ended with "/" (a directory is meant) or "/." (a directory's contents).
struct CopyPath: Equatable {
    /// The path as given, for messages.
    let original: String
    /// The components below the root, with no "", "." or "..".
    let components: [String]
    /// Ends with "/" or "/.": the path must be a directory, and symlinks at its end are followed.
    let trailingSlash: Bool
    /// Ends with "/." (or is the root): what is copied is the directory's contents, not the directory.
    let contentsOnly: Bool

    init(_ path: String) {
        original = path
        var parts: [String] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(String(part))
        }
        components = parts
        contentsOnly = path == "." || path.hasSuffix("/.") || parts.isEmpty
        trailingSlash = contentsOnly || path.hasSuffix("/")
    }

    /// The last component; nil for the root.
    var name: String? { components.last }

    /// The parent's components (empty for the root and its children).
    var parentComponents: [String] { Array(components.dropLast()) }

    /// The components joined by "/" ("." for the root): a path relative to a tree's root.
    static func relative(_ components: [String]) -> String {
        components.isEmpty ? "." : components.joined(separator: "/")
    }

    /// The components as an absolute path, for messages.
    static func absolute(_ components: [String]) -> String { "/" + components.joined(separator: "/") }
}
