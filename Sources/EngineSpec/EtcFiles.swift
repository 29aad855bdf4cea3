/// The per-container /etc/hosts, /etc/hostname and /etc/resolv.conf the engine writes and
/// bind-mounts (docker's and libnetwork's contents).
public enum EtcFiles {
    /// /etc/hosts: the loopback names and the container's hostname.
    public static func hosts(hostname: String) -> String {
        """
        127.0.0.1\tlocalhost
        ::1\tlocalhost ip6-localhost ip6-loopback
        fe00::0\tip6-localnet
        ff00::0\tip6-mcastprefix
        ff02::1\tip6-allnodes
        ff02::2\tip6-allrouters
        127.0.1.1\t\(hostname)

        """
    }

    /// /etc/hostname.
    public static func hostname(_ hostname: String) -> String { hostname + "\n" }

    /// Google's resolvers: what docker writes when no usable nameserver is left.
    public static let defaultNameservers = ["8.8.8.8", "8.8.4.4", "2001:4860:4860::8888", "2001:4860:4860::8844"]

    /// /etc/resolv.conf, docker's way.
    ///
    /// With `--network host` the host's file is copied as it is (the container shares the host's
    /// loopback, so 127.x resolvers work). With its own network namespace (`none`, later
    /// bridges), libnetwork's `FilterResolvDNS` drops localhost nameservers (127.0.0.0/8 and
    /// ::1), which cannot be reached from inside, and when none remains it writes Google's.
    /// - Parameters:
    ///   - hostResolvConf: the host's /etc/resolv.conf content.
    ///   - hostNetwork: `--network host`.
    /// /etc/resolv.conf with `--dns`, `--dns-search`, `--dns-option`: those replace the host's
    /// nameserver, search and options lines (docker keeps the rest of the host's file).
    public static func resolvConf(hostResolvConf: String, hostNetwork: Bool, dns: [String], search: [String],
                                  options: [String]) -> String {
        guard !dns.isEmpty || !search.isEmpty || !options.isEmpty else {
            return resolvConf(hostResolvConf: hostResolvConf, hostNetwork: hostNetwork)
        }
        let base = resolvConf(hostResolvConf: hostResolvConf, hostNetwork: hostNetwork)
        var lines: [String] = []
        for line in base.split(separator: "\n", omittingEmptySubsequences: false) {
            let word = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first
            if word == "nameserver" && !dns.isEmpty { continue }
            if (word == "search" || word == "domain") && !search.isEmpty { continue }
            if word == "options" && !options.isEmpty { continue }
            lines.append(String(line))
        }
        while lines.last == "" { lines.removeLast() }
        lines += dns.map { "nameserver \($0)" }
        if !search.isEmpty { lines.append("search " + search.joined(separator: " ")) }
        if !options.isEmpty { lines.append("options " + options.joined(separator: " ")) }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func resolvConf(hostResolvConf: String, hostNetwork: Bool) -> String {
        if hostNetwork { return hostResolvConf }
        var lines: [String] = []
        var nameservers = 0
        for line in hostResolvConf.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.first == "nameserver", fields.count > 1 {
                let address = fields[1]
                if address.hasPrefix("127.") || address == "::1" { continue }
                nameservers += 1
            }
            lines.append(String(line))
        }
        while lines.last == "" { lines.removeLast() }
        if nameservers == 0 {
            lines += defaultNameservers.map { "nameserver \($0)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
