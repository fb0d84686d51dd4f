// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The zone times are shown in: UTC, or the local zone of the machine (the default). Axes,
// hover text, lists, CSV and exports all ask here.
#include <QString>
#include <cstdint>
#include <optional>

#include "time_labels.hpp"

namespace zzping::gui {

class DisplayZone {
 public:
  explicit DisplayZone(bool utc = false) : utc_(utc) {}
  // A fixed offset east of UTC (zzping-report --tz +HH:MM), without daylight saving.
  static DisplayZone fixedOffset(int offset_s) {
    DisplayZone zone(false);
    zone.fixed_offset_s_ = offset_s;
    return zone;
  }
  bool utc() const { return utc_; }
  // Seconds east of UTC at `t_ms` (the local zone's, with its DST, or 0).
  int offsetAt(std::int64_t t_ms) const;
  UtcOffset offset() const;
  // "2021-01-01 09:00:04.218"
  QString format(std::int64_t t_ms) const;
  // "UTC" or "local, UTC+01:00" (the offset at `t_ms`).
  QString label(std::int64_t t_ms) const;
  friend bool operator==(const DisplayZone&, const DisplayZone&) = default;

 private:
  bool utc_;
  std::optional<int> fixed_offset_s_;
};

}  // namespace zzping::gui
