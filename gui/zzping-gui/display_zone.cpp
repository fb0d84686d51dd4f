// SPDX-License-Identifier: GPL-3.0-or-later
#include "display_zone.hpp"

#include <QDateTime>

namespace zzping::gui {

int DisplayZone::offsetAt(std::int64_t t_ms) const {
  return utc_ ? 0 : QDateTime::fromMSecsSinceEpoch(t_ms).offsetFromUtc();
}

UtcOffset DisplayZone::offset() const {
  if (utc_) return [](std::int64_t) { return 0; };
  return [](std::int64_t t_ms) { return QDateTime::fromMSecsSinceEpoch(t_ms).offsetFromUtc(); };
}

QString DisplayZone::format(std::int64_t t_ms) const {
  return QString::fromStdString(format_time(t_ms, offset()));
}

QString DisplayZone::label(std::int64_t t_ms) const {
  return QString::fromStdString(zone_label(utc_, offsetAt(t_ms)));
}

}  // namespace zzping::gui
