// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping02/wire.hpp"

namespace zzping::zzping02::wire {

std::uint64_t read_unsigned_slow(mpk::Reader& in, const char* what) {
  const std::size_t at = in.position();
  if (!is_int_marker(in.peek())) in.fail_at(at, std::string("expected an integer ") + what);
  const std::int64_t v = in.read_int();
  if (v < 0) in.fail_at(at, std::string(what) + " is negative (" + std::to_string(v) + ")");
  return static_cast<std::uint64_t>(v);
}

FrameFailure describe_frame_failure(const char* format, std::size_t frame_index,
                                    std::size_t frame_offset, std::size_t input_size,
                                    const mpk::DecodeError& error) {
  const std::string where = std::string(format) + " frame #" + std::to_string(frame_index) +
                            " at byte " + std::to_string(frame_offset) + ": ";
  if (!error.truncated()) return {false, error.offset(), where + error.what()};
  return {true, input_size,
          "warning: " + where + "cut at byte " + std::to_string(input_size) +
              " (the input ends inside the frame); the " + std::to_string(frame_index) +
              " frames before it are complete"};
}

}  // namespace zzping::zzping02::wire
