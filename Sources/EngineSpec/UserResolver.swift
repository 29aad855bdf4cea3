import Diagnostics
import OCIRuntimeSpec

/// Resolves `-u user[:group]` against the CONTENTS of the image's /etc/passwd and /etc/group
/// (the caller reads them; nil when the file is missing), as docker's `user.GetExecUser` does.
public enum UserResolver {
    /// - Parameters:
    ///   - spec: "name", "uid", "name:group", "uid:gid", or "" (root).
    ///   - passwd: /etc/passwd's content.
    ///   - group: /etc/group's content.
    /// - Returns: uid, gid (the user's primary group unless one is named) and the supplementary
    ///   groups /etc/group lists the user in (none when a group is named explicitly).
    /// - Throws: `BerthError(.invalidArgument)`:
    ///   `unable to find user bob: no matching entries in passwd file`.
    public static func resolve(_ spec: String, passwd: String?, group: String?) throws(BerthError) -> User {
        let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let userPart = parts[0], groupPart = parts.count == 2 ? parts[1] : nil
        let users = entries(passwd)
        let groups = entries(group)

        var uid: UInt32 = 0, gid: UInt32 = 0, name: String?
        if userPart.isEmpty {
            name = users.first { $0.count > 2 && $0[2] == "0" }?.first
        } else if let entry = users.first(where: { $0.count > 3 && ($0[0] == userPart || $0[2] == userPart) }),
                  let entryUID = UInt32(entry[2]), let entryGID = UInt32(entry[3]) {
            (uid, gid, name) = (entryUID, entryGID, entry[0])
        } else if let number = UInt32(userPart) {
            uid = number
        } else {
            throw .invalid("unable to find user \(userPart): no matching entries in passwd file")
        }

        var additional: [UInt32] = []
        if let groupPart, !groupPart.isEmpty {
            if let entry = groups.first(where: { $0.count > 2 && ($0[0] == groupPart || $0[2] == groupPart) }),
               let number = UInt32(entry[2]) {
                gid = number
            } else if let number = UInt32(groupPart) {
                gid = number
            } else {
                throw .invalid("unable to find group \(groupPart): no matching entries in group file")
            }
        } else if let name {
            for entry in groups where entry.count > 3 {
                let members = entry[3].split(separator: ",").map(String.init)
                if members.contains(name), let number = UInt32(entry[2]), number != gid, !additional.contains(number) {
                    additional.append(number)
                }
            }
        }
        var user = User(uid: uid, gid: gid, additionalGids: additional.isEmpty ? nil : additional)
        user.username = name
        return user
    }

    /// Non-comment lines split on ":".
    private static func entries(_ content: String?) -> [[String]] {
        (content ?? "").split(whereSeparator: \.isNewline).compactMap { line in
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { return nil }
            return trimmed.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        }
    }
}
