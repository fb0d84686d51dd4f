// SPDX-License-Identifier: GPL-3.0-or-later
#include <string>
#include <string_view>

#include "mpk.hpp"
#include "zzping/formats/zzping02/fdq.hpp"
#include "zzping02/wire.hpp"

namespace zzping::zzping02 {
namespace {

constexpr std::string_view kSchema = "FDCodec";
constexpr std::uint32_t kMaxHeaderEntries = 64;
constexpr std::size_t kMaxKeyLength = 256;

struct HeaderFields {
  bool schema = false, version = false, full_encode_secs = false, recv_llq = false,
       delta_enc = false;
};

// Reads the value of one known key into `header`; unknown keys are skipped, as the
// original's hash-map lookup ignored them. A repeated key: the last one wins, as there.
void read_entry(mpk::Reader& in, std::string_view key, FdqHeader& header, HeaderFields& seen) {
  const std::size_t at = in.position();
  if (key == "schema") {
    if (!wire::is_str_marker(in.peek())) in.fail_at(at, "schema is not a string");
    if (in.read_str(kMaxKeyLength) != kSchema) {
      in.fail_at(at, "schema is not \"FDCodec\" (not an FDQ file)");
    }
    seen.schema = true;
  } else if (key == "version") {
    if (!wire::is_int_marker(in.peek())) in.fail_at(at, "version is not an integer");
    header.version = wire::read_integer_bits(in);  // `as u64`: a negative one is huge
    if (header.version > kFdqVersion) {
      in.fail_at(at, "version " + std::to_string(header.version) +
                         " is newer than the supported 101");
    }
    seen.version = true;
  } else if (key == "full_encode_secs") {
    if (!wire::is_int_marker(in.peek())) in.fail_at(at, "full_encode_secs is not an integer");
    header.config.full_encode_secs = static_cast<std::int64_t>(wire::read_integer_bits(in));
    seen.full_encode_secs = true;
  } else if (key == "recv_llq") {
    const std::uint8_t m = in.peek();
    if (m == 0xc0) {
      in.read_nil();
      header.config.recv_llq.reset();
    } else if (m == 0xca || m == 0xcb) {
      header.config.recv_llq = in.read_float();
    } else {
      in.fail_at(at, "recv_llq is neither nil nor a float");
    }
    seen.recv_llq = true;
  } else if (key == "delta_enc") {
    const std::uint8_t m = in.peek();
    if (m != 0xc2 && m != 0xc3) in.fail_at(at, "delta_enc is not a bool");
    header.config.delta_enc = in.read_bool();
    seen.delta_enc = true;
  } else {
    in.skip();
  }
}

void require(const mpk::Reader& in, bool present, const char* field) {
  if (!present) in.fail_at(0, std::string("field \"") + field + "\" is missing");
}

}  // namespace

void append_fdq_header(const FdqConfig& config, std::vector<std::uint8_t>& out) {
  mpk::Writer w(out);
  w.map_header(5);
  w.str("schema");
  w.str(kSchema);
  w.str("version");
  w.uint(kFdqVersion);
  w.str("full_encode_secs");
  w.uint(static_cast<std::uint64_t>(config.full_encode_secs));  // `as u64`, as written
  w.str("recv_llq");
  if (config.recv_llq) {
    w.f64(*config.recv_llq);
  } else {
    w.nil();
  }
  w.str("delta_enc");
  w.boolean(config.delta_enc);
}

FdqHeader decode_fdq_header(std::span<const std::uint8_t> bytes) {
  mpk::Reader in(bytes);
  FdqHeader header;
  HeaderFields seen;
  try {
    if (in.at_end()) in.fail_at(0, "the file is empty");
    if ((in.peek() & 0xf0) != 0x80 && in.peek() != 0xde && in.peek() != 0xdf) {
      in.fail_at(0, "not a MessagePack map (not an FDQ file)");
    }
    const std::uint32_t entries = in.read_map_header(kMaxHeaderEntries);
    for (std::uint32_t i = 0; i < entries; ++i) {
      if (!wire::is_str_marker(in.peek())) in.fail_at(in.position(), "a key is not a string");
      const std::string_view key = in.read_str(kMaxKeyLength);
      read_entry(in, key, header, seen);
    }
    require(in, seen.schema, "schema");
    require(in, seen.version, "version");
    require(in, seen.full_encode_secs, "full_encode_secs");
    require(in, seen.recv_llq, "recv_llq");
    require(in, seen.delta_enc, "delta_enc");
  } catch (const mpk::DecodeError& e) {
    throw FormatError(std::string("FDQ header: ") + e.what(), e.offset(), e.truncated());
  }
  header.length = in.position();
  return header;
}

}  // namespace zzping::zzping02
