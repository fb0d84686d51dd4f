// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// How a zzping 0.2 streaming decoder stopped, and the error type of its one-shot decoders.
#include <cstddef>
#include <stdexcept>
#include <string>

namespace zzping::zzping02 {

enum class EndKind {
  kEof,        // the input ended exactly where the next frame would have begun
  kTruncated,  // the last frame is cut (power loss, kill -9): a warning, the frames before it stand
  kError,      // bad bytes or an impossible frame: the frames before it stand, nothing after
};

struct DecodeEnd {
  EndKind kind = EndKind::kEof;
  // Bytes of whole frames (and header) accepted: the input size at kEof, otherwise the offset
  // of the frame that could not be decoded (what zzping 0.2 reported as bytes consumed).
  std::size_t bytes_consumed = 0;
  // Where exactly the problem is (the cut, or the offending byte); equals bytes_consumed at kEof.
  std::size_t problem_offset = 0;
  // A one-line sentence naming the problem and its byte offset; empty at kEof.
  std::string message;

  bool ok() const { return kind == EndKind::kEof; }
  bool is_warning() const { return kind == EndKind::kTruncated; }
};

const char* to_string(EndKind kind);

// Thrown by the one-shot decoders (FrameStats, FDQ header) on bad or incomplete input.
class FormatError : public std::runtime_error {
 public:
  FormatError(const std::string& what, std::size_t offset, bool truncated)
      : std::runtime_error(what), offset_(offset), truncated_(truncated) {}
  std::size_t offset() const { return offset_; }
  // True when more bytes would have let the decode succeed.
  bool truncated() const { return truncated_; }

 private:
  std::size_t offset_;
  bool truncated_;
};

}  // namespace zzping::zzping02
