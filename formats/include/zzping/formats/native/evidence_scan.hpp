// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The evidence records of a raw .zzf file image (loss bursts, kinds 2 and 4; incidents,
// kind 5; path snapshots, kind 6) read fast: frame blocks are stepped over unread, so their
// CRC is not checked (a reader that decodes the frames checks them). Shared by
// zzping-report and the GUI's incident list, which read these records of every raw hour.
#include <optional>
#include <span>
#include <vector>

#include "zzping/common/attribution.hpp"
#include "zzping/common/frame.hpp"
#include "zzping/common/path.hpp"
#include "zzping/formats/native/stream_reader.hpp"

namespace zzping::native {

struct EvidenceScan {
  std::optional<FileHeader> header;             // empty when it could not be read
  std::vector<LossEvent> events;                // kinds 2 and 4, in file order
  std::vector<attribution::Incident> incidents;  // kind 5
  std::vector<PathSnapshot> paths;              // kind 6 (the file's host)
  ReadEnd end;                                  // kError: damaged bytes (message names the offset)
};

// `bytes`: the whole file image. Never throws for bad bytes: they end the scan (see end).
EvidenceScan scan_evidence(std::span<const std::uint8_t> bytes);

}  // namespace zzping::native
