// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Reading a .zzf file from a path: the one place of the native format that does I/O. The
// file is read into memory once and parsed with StreamReader (stream_reader.hpp).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>

#include "zzping/formats/native/stream_reader.hpp"

namespace zzping::native {

class FileReader {
 public:
  // Reads the whole file; throws std::runtime_error naming the path if it cannot be read.
  explicit FileReader(const std::filesystem::path& path);
  // Reads only the first `head_bytes` and the bytes from `tail_from` to the end; the bytes
  // between are left unread (indeterminate): for a StreamReader that jumps over them
  // (StreamReader::start_at), so its cost does not grow with the part of the file skipped.
  FileReader(const std::filesystem::path& path, std::size_t head_bytes, std::size_t tail_from);

  // Which file this is (a path may be deleted and made anew): device, inode, size read.
  struct Identity {
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::size_t size = 0;
  };
  const Identity& identity() const { return identity_; }
  // The identity of the file at `path` now, without reading it; throws like the constructor.
  static Identity identify(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return path_; }
  // How many bytes were actually read (the whole size unless head and tail were asked for).
  std::size_t loaded_bytes() const { return loaded_bytes_; }
  std::span<const std::uint8_t> bytes() const { return {bytes_.get(), identity_.size}; }
  // A record-by-record reader over the file's bytes (valid while this FileReader lives).
  StreamReader stream() const { return StreamReader(bytes()); }
  // Everything in the file, as owning values.
  NativeFile read_all() const { return read_native(bytes()); }

 private:
  std::filesystem::path path_;
  Identity identity_;
  std::size_t loaded_bytes_ = 0;
  std::unique_ptr<std::uint8_t[]> bytes_;
};

// Shorthand for FileReader(path).read_all().
NativeFile read_native_file(const std::filesystem::path& path);

// Where to start reading `path` for what comes at or after target_ms, found without reading
// the file: its header from the first window, then seek_block_at_or_before (block_seek.hpp)
// over the file as it is now, with a few pread calls of small windows.
struct FileSeek {
  FileReader::Identity identity;          // of the file probed (its size then)
  std::size_t records_start = 0;          // the header's size
  std::optional<BlockIndex::Mark> mark;   // nullopt: read from records_start
  std::size_t bytes_read = 0;             // by the header and the probes
};
// nullopt when the header cannot be read (a FileReader of the whole file then says why);
// throws std::runtime_error like FileReader when the file cannot be opened or read.
std::optional<FileSeek> seek_file(const std::filesystem::path& path, std::int64_t target_ms);

}  // namespace zzping::native
