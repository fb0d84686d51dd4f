// SPDX-License-Identifier: GPL-3.0-or-later
// The native format's only file I/O: reading a .zzf file (or its head and tail) into memory.
#include "zzping/formats/native/file_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace zzping::native {
namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Reads exactly [from, to) of the file into out + from; false on an error or a short file.
bool read_range(int fd, std::uint8_t* out, std::size_t from, std::size_t to) {
  while (from < to) {
    const ssize_t got = pread(fd, out + from, to - from, static_cast<off_t>(from));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    from += static_cast<std::size_t>(got);
  }
  return true;
}

}  // namespace

FileReader::FileReader(const std::filesystem::path& path) : FileReader(path, SIZE_MAX, 0) {}

FileReader::FileReader(const std::filesystem::path& path, std::size_t head_bytes, std::size_t tail_from)
    : path_(path) {
  const Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw std::runtime_error("cannot open " + path.string() + ": " + std::strerror(errno));
  struct stat st {};
  if (fstat(fd.get(), &st) != 0 || st.st_size < 0) {
    throw std::runtime_error("cannot read " + path.string() + ": " + std::strerror(errno));
  }
  identity_ = Identity{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
                       static_cast<std::size_t>(st.st_size)};
  const std::size_t size = identity_.size;
  bytes_.reset(new std::uint8_t[std::max<std::size_t>(size, 1)]);  // not zeroed: only what is read is used
  const std::size_t head_end = std::min(head_bytes, size);
  const std::size_t tail_start = std::max(head_end, std::min(tail_from, size));
  loaded_bytes_ = head_end + (size - tail_start);
  errno = 0;
  if (!read_range(fd.get(), bytes_.get(), 0, head_end) || !read_range(fd.get(), bytes_.get(), tail_start, size)) {
    throw std::runtime_error("cannot read " + path.string() + ": " +
                             (errno != 0 ? std::strerror(errno) : "the file shrank while read"));
  }
}

FileReader::Identity FileReader::identify(const std::filesystem::path& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0 || st.st_size < 0) {
    throw std::runtime_error("cannot open " + path.string() + ": " + std::strerror(errno));
  }
  return Identity{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
                  static_cast<std::size_t>(st.st_size)};
}

NativeFile read_native_file(const std::filesystem::path& path) {
  return FileReader(path).read_all();
}

}  // namespace zzping::native
