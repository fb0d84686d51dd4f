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
#include <vector>

#include "zzping/formats/native/block_seek.hpp"

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

// Reads exactly [from, to) of the file into dest; false on an error or a short file.
bool read_range_into(int fd, std::uint8_t* dest, std::size_t from, std::size_t to) {
  for (std::size_t done = 0; from + done < to;) {
    const ssize_t got = pread(fd, dest + done, to - from - done, static_cast<off_t>(from + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    done += static_cast<std::size_t>(got);
  }
  return true;
}

// Reads exactly [from, to) of the file into out + from.
bool read_range(int fd, std::uint8_t* out, std::size_t from, std::size_t to) {
  return read_range_into(fd, out + from, from, to);
}

FileReader::Identity identity_of(int fd, const std::filesystem::path& path) {
  struct stat st {};
  if (fstat(fd, &st) != 0 || st.st_size < 0) {
    throw std::runtime_error("cannot read " + path.string() + ": " + std::strerror(errno));
  }
  return FileReader::Identity{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
                              static_cast<std::size_t>(st.st_size)};
}

}  // namespace

FileReader::FileReader(const std::filesystem::path& path) : FileReader(path, SIZE_MAX, 0) {}

FileReader::FileReader(const std::filesystem::path& path, std::size_t head_bytes, std::size_t tail_from)
    : path_(path) {
  const Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw std::runtime_error("cannot open " + path.string() + ": " + std::strerror(errno));
  identity_ = identity_of(fd.get(), path);
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

// Enough for every header zzpingd writes (a few hundred bytes); larger ones are read again.
constexpr std::size_t kUsualHeaderBytes = 4096;

std::optional<FileSeek> seek_file(const std::filesystem::path& path, std::int64_t target_ms) {
  const Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw std::runtime_error("cannot open " + path.string() + ": " + std::strerror(errno));
  FileSeek seek;
  seek.identity = identity_of(fd.get(), path);
  const std::size_t size = seek.identity.size;
  std::vector<std::uint8_t> buffer;
  const ReadWindow read = [&](std::size_t offset, std::size_t length) -> std::span<const std::uint8_t> {
    const std::size_t end = std::min(size, offset + length);
    if (offset >= end) return {};
    buffer.resize(end - offset);
    errno = 0;
    if (!read_range_into(fd.get(), buffer.data(), offset, end)) {
      throw std::runtime_error("cannot read " + path.string() + ": " +
                               (errno != 0 ? std::strerror(errno) : "the file shrank while read"));
    }
    return buffer;
  };
  FileHeader header;
  for (std::size_t head_bytes = kUsualHeaderBytes;; head_bytes = kMaxHeaderBytes) {
    const auto head = read(0, head_bytes);
    seek.bytes_read += head.size();
    try {
      header = decode_header(head, seek.records_start);
      break;
    } catch (const FormatError& e) {
      if (!e.truncated() || head.size() < head_bytes || head_bytes == kMaxHeaderBytes) return std::nullopt;
    }
  }
  seek.mark = seek_block_at_or_before(read, seek.records_start, size, header.block_context(), target_ms, {},
                                      &seek.bytes_read);
  return seek;
}

}  // namespace zzping::native
