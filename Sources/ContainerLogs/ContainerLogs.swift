// ContainerLogs: see Package.swift.
