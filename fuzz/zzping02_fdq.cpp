// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: zzping 0.2 FDQ (FDCodec v101) files. Decodes arbitrary bytes to an end state,
// folds the frames (window 4, step 2), and where the format can hold them exactly checks that
// re-encoding the frames decodes to the same frames.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "zzping/formats/zzping02/fdq.hpp"
#include "zzping/formats/zzping02/fold.hpp"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace zzping::zzping02;
  const FdqFile file = decode_fdq(std::span(data, size), /*keep_records=*/true);
  check(file.end.bytes_consumed <= size);
  check(!file.end.ok() || file.end.bytes_consumed == size);
  check(file.end.ok() || !file.end.message.empty());
  if (!file.header_ok) {
    check(file.frames.empty() && file.end.kind == EndKind::kError);
    return 0;
  }
  std::size_t expected_offset = file.header.length;
  for (const FdqRecord& r : file.records) {
    check(r.offset == expected_offset);
    expected_offset += r.len;
  }
  check(expected_offset == file.end.bytes_consumed);

  (void)iter_fold(file.frames, 4, 2);

  // No exact round trip with a quantizer (decode(code) need not encode back to code), nor
  // when full_encode_secs lets a delta exceed u32 ms (the original's `as u32` truncates it).
  if (file.header.config.recv_llq || file.header.config.full_encode_secs > 4'294'966) return 0;
  FdqEncoder encoder(file.header.config);
  std::vector<std::uint8_t> again;
  encoder.append_header(again);
  for (const FdqFrame& f : file.frames) encoder.encode(f, again);
  const FdqFile reread = decode_fdq(again);
  check(reread.end.ok());
  check(reread.frames == file.frames);
  return 0;
}
