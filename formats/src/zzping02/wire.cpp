#include "zzping02/wire.hpp"

namespace zzping::zzping02::wire {

std::uint64_t read_unsigned_slow(mpk::Reader& in, const char* what) {
  const std::size_t at = in.position();
  if (!is_int_marker(in.peek())) in.fail_at(at, std::string("expected an integer ") + what);
  const std::int64_t v = in.read_int();
  if (v < 0) in.fail_at(at, std::string(what) + " is negative (" + std::to_string(v) + ")");
  return static_cast<std::uint64_t>(v);
}

}  // namespace zzping::zzping02::wire
