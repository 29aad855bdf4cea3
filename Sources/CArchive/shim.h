// Debian's libarchive (libarchive-dev): tar reading and writing, gzip and zstd filters.
#include <archive.h>
#include <archive_entry.h>
// Extended attributes (fsetxattr, lsetxattr, flistxattr, ...): Swift's Glibc module does not
// import <sys/xattr.h>; LayerArchive needs them to keep xattrs and file capabilities in layers.
#include <sys/xattr.h>
