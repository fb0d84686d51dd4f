// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The error every native-format decoder throws on bad or incomplete bytes.
#include <cstddef>
#include <stdexcept>
#include <string>

namespace zzping::native {

class FormatError : public std::runtime_error {
 public:
  // `what` names the problem; the message gets " at byte <offset>" appended.
  FormatError(const std::string& what, std::size_t offset, bool truncated)
      : std::runtime_error(what + " at byte " + std::to_string(offset)),
        problem_(what), offset_(offset), truncated_(truncated) {}
  // The message without its offset (to rethrow with an offset in a larger span).
  const std::string& problem() const { return problem_; }
  // Byte offset of the problem, relative to the decoded span.
  std::size_t offset() const { return offset_; }
  // True when more bytes would have let the decode succeed (a cut file).
  bool truncated() const { return truncated_; }

 private:
  std::string problem_;
  std::size_t offset_;
  bool truncated_;
};

}  // namespace zzping::native
