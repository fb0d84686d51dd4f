// SPDX-License-Identifier: GPL-3.0-or-later
#include "output_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace zzping::convert {

namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
  throw std::runtime_error(path.string() + ": " + what + ": " + std::strerror(errno));
}

void write_all(int fd, std::span<const std::uint8_t> bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(path, "write failed");
    }
    bytes = bytes.subspan(static_cast<std::size_t>(n));
  }
}

}  // namespace

void write_output_file(const std::filesystem::path& path, std::span<const std::uint8_t> bytes,
                       bool overwrite) {
  if (!overwrite && std::filesystem::exists(path)) {
    throw std::runtime_error(path.string() + ": output exists (use --force to overwrite)");
  }
  std::filesystem::path tmp = path;
  tmp += ".tmp-" + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) fail(tmp, "cannot create");
  try {
    write_all(fd, bytes, tmp);
    if (::fsync(fd) != 0) fail(tmp, "fsync failed");
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  ::close(fd);
  // link() fails if the target appeared meanwhile: no silent overwrite even in a race.
  if (!overwrite) {
    if (::link(tmp.c_str(), path.c_str()) != 0) {
      const int err = errno;
      ::unlink(tmp.c_str());
      errno = err;
      fail(path, "cannot create output");
    }
    ::unlink(tmp.c_str());
  } else if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    errno = err;
    fail(path, "cannot rename output into place");
  }
}

}  // namespace zzping::convert
