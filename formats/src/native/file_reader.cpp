// SPDX-License-Identifier: GPL-3.0-or-later
// The native format's only file I/O: slurping a .zzf file into memory.
#include "zzping/formats/native/file_reader.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace zzping::native {

FileReader::FileReader(const std::filesystem::path& path) : path_(path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot open " + path.string() + ": " + std::strerror(errno));
  }
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size < 0) throw std::runtime_error("cannot read " + path.string());
  bytes_.resize(static_cast<std::size_t>(size));
  if (size > 0 && !in.read(reinterpret_cast<char*>(bytes_.data()), size)) {
    throw std::runtime_error("cannot read " + path.string() + ": " + std::strerror(errno));
  }
}

NativeFile read_native_file(const std::filesystem::path& path) {
  return FileReader(path).read_all();
}

}  // namespace zzping::native
