// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Reading a .zzf file from a path: the one place of the native format that does I/O. The
// file is read into memory once and parsed with StreamReader (stream_reader.hpp).
#include <cstdint>
#include <filesystem>
#include <vector>

#include "zzping/formats/native/stream_reader.hpp"

namespace zzping::native {

class FileReader {
 public:
  // Reads the whole file; throws std::runtime_error naming the path if it cannot be read.
  explicit FileReader(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return path_; }
  std::span<const std::uint8_t> bytes() const { return bytes_; }
  // A record-by-record reader over the file's bytes (valid while this FileReader lives).
  StreamReader stream() const { return StreamReader(bytes_); }
  // Everything in the file, as owning values.
  NativeFile read_all() const { return read_native(bytes_); }

 private:
  std::filesystem::path path_;
  std::vector<std::uint8_t> bytes_;
};

// Shorthand for FileReader(path).read_all().
NativeFile read_native_file(const std::filesystem::path& path);

}  // namespace zzping::native
