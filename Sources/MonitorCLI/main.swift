// berth-monitor CONFIG_PATH (fd 3: the sync socket): the per-container monitor.
import ContainerMonitor

#if canImport(Glibc)
import Glibc
#endif

exit(Monitor.main(CommandLine.arguments))
