// shim.h: libseccomp for Swift.
//
// Only <seccomp.h>: its SCMP_ACT_* and SCMP_ARCH_* values are function-like or composed macros
// that Swift cannot import, so the Seccomp module spells the action values out and resolves
// architectures by name (seccomp_arch_resolve_name).
#ifndef BERTH_CSECCOMP_SHIM_H
#define BERTH_CSECCOMP_SHIM_H

#include <seccomp.h>

#endif
