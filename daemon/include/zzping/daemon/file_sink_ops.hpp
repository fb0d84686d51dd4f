// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The few system calls the native file writer makes, behind a seam so that tests can make
// them fail (disk full, I/O error) without a real full disk. The default implementation is
// plain POSIX. Every call reports failure as an errno value, never by throwing: a disk
// error must not stop the daemon.
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>

namespace zzping::daemon {

class FileOps {
 public:
  virtual ~FileOps() = default;
  // Creates the folders leading to `dir`; 0 or an errno value.
  virtual int make_directories(const std::filesystem::path& dir);
  // True if `path` exists (a name a new file must not take).
  virtual bool exists(const std::filesystem::path& path);
  // open(O_WRONLY|O_APPEND|O_CREAT|O_EXCL|O_CLOEXEC, 0644): an earlier file is never
  // reused, and after a cut (truncate) the next write lands at the new end, not after a hole.
  // Returns the descriptor, or -errno.
  virtual int create_exclusive(const std::filesystem::path& path);
  // One write(2) call (retried on EINTR only). Returns the bytes written, or -errno.
  virtual std::int64_t write(int fd, const std::uint8_t* data, std::size_t size);
  // ftruncate(2): cuts a partly written record off again. 0 or an errno value.
  virtual int truncate(int fd, off_t size);
  // fdatasync(2). 0 or an errno value.
  virtual int sync(int fd);
  virtual void close(int fd);
};

// The process-wide POSIX implementation.
FileOps& posix_file_ops();

}  // namespace zzping::daemon
