// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/formats/native/evidence_scan.hpp"

#include <limits>

namespace zzping::native {

EvidenceScan scan_evidence(std::span<const std::uint8_t> bytes) {
  StreamReader reader(bytes);
  // Only the evidence records: frame blocks are stepped over unread (no CRC).
  reader.skip_frame_blocks();
  reader.skip_frame_blocks_before(std::numeric_limits<std::int64_t>::max());
  EvidenceScan out;
  out.header = reader.header();
  Record record;
  while (reader.next(record)) {
    switch (record.kind) {
      case RecordKind::kLossEvents: out.events.insert(out.events.end(), record.events.begin(), record.events.end()); break;
      case RecordKind::kAttributedEvent: out.events.push_back(record.attributed.event); break;
      case RecordKind::kIncident: out.incidents.push_back(record.incident); break;
      case RecordKind::kPath: out.paths.push_back(record.path); break;
      default: break;
    }
  }
  out.end = reader.end();
  return out;
}

}  // namespace zzping::native
