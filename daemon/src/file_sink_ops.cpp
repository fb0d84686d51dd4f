// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/file_sink_ops.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace zzping::daemon {

int FileOps::make_directories(const std::filesystem::path& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  return error ? error.value() : 0;
}

bool FileOps::exists(const std::filesystem::path& path) {
  std::error_code error;
  // An unreadable entry counts as taken: skipping a name is harmless, reusing one is not.
  const auto status = std::filesystem::symlink_status(path, error);
  if (error && error != std::errc::no_such_file_or_directory) return true;
  return std::filesystem::exists(status);
}

int FileOps::create_exclusive(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  return fd >= 0 ? fd : -errno;
}

std::int64_t FileOps::write(int fd, const std::uint8_t* data, std::size_t size) {
  for (;;) {
    const ssize_t written = ::write(fd, data, size);
    if (written >= 0) return written;
    if (errno != EINTR) return -errno;
  }
}

int FileOps::truncate(int fd, off_t size) { return ::ftruncate(fd, size) == 0 ? 0 : errno; }

int FileOps::sync(int fd) { return ::fdatasync(fd) == 0 ? 0 : errno; }

void FileOps::close(int fd) { ::close(fd); }

FileOps& posix_file_ops() {
  static FileOps ops;
  return ops;
}

}  // namespace zzping::daemon
