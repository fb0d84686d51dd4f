// SPDX-License-Identifier: GPL-3.0-or-later
#include "display_zone.hpp"

#include <QDateTime>

namespace zzping::gui {

int DisplayZone::offsetAt(std::int64_t t_ms) const {
  if (fixed_offset_s_) return *fixed_offset_s_;
  return utc_ ? 0 : QDateTime::fromMSecsSinceEpoch(t_ms).offsetFromUtc();
}

UtcOffset DisplayZone::offset() const {
  if (utc_) return [](std::int64_t) { return 0; };
  if (fixed_offset_s_) return [offset = *fixed_offset_s_](std::int64_t) { return offset; };
  return [](std::int64_t t_ms) { return QDateTime::fromMSecsSinceEpoch(t_ms).offsetFromUtc(); };
}

QString DisplayZone::format(std::int64_t t_ms) const {
  return QString::fromStdString(format_time(t_ms, offset()));
}

QString DisplayZone::label(std::int64_t t_ms) const {
  if (fixed_offset_s_) return QString::fromStdString(zone_label(*fixed_offset_s_ == 0, *fixed_offset_s_)).remove("local, ");
  return QString::fromStdString(zone_label(utc_, offsetAt(t_ms)));
}

}  // namespace zzping::gui
