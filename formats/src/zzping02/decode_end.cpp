// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/formats/zzping02/decode_end.hpp"

namespace zzping::zzping02 {

const char* to_string(EndKind kind) {
  switch (kind) {
    case EndKind::kEof: return "eof";
    case EndKind::kTruncated: return "truncated";
    case EndKind::kError: return "error";
  }
  return "?";
}

}  // namespace zzping::zzping02
