// SPDX-License-Identifier: GPL-3.0-or-later
#include "outage_model.hpp"

#include <sstream>

#include "zzping/common/view/bucket_text.hpp"

namespace zzping::gui {

namespace {

// A host name as one CSV field (quoted when it holds a comma, quote or line break).
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

}  // namespace

OutageListModel::OutageListModel(QObject* parent) : QAbstractTableModel(parent) {}

void OutageListModel::setRows(std::vector<OutageRow> rows) {
  beginResetModel();
  rows_ = std::move(rows);
  endResetModel();
}

void OutageListModel::setDisplayZone(DisplayZone zone) {
  zone_ = zone;
  if (!rows_.empty()) emit dataChanged(index(0, kStart), index(rowCount() - 1, kStart));
  emit headerDataChanged(Qt::Horizontal, kStart, kStart);
}

int OutageListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int OutageListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : kColumnCount; }

QVariant OutageListModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const OutageRow& r = rows_[static_cast<std::size_t>(index.row())];
  const std::int64_t duration = r.event.end_ms - r.event.start_ms;
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case kHost: return r.host_name;
        // Seconds are enough in the list (outages start on 100 ms frames); the tooltip
        // has the milliseconds and the zone.
        case kStart: return zone_.format(r.event.start_ms).left(19);
        case kDuration: return QString::fromStdString(view::format_duration(duration));
        case kLost: return QVariant::fromValue(r.event.probes_lost);
        default: return {};
      }
    case kSortRole:
      switch (index.column()) {
        case kHost: return r.host_name;
        case kStart: return QVariant::fromValue(r.event.start_ms);
        case kDuration: return QVariant::fromValue(duration);
        case kLost: return QVariant::fromValue(r.event.probes_lost);
        default: return {};
      }
    case Qt::ToolTipRole:
      return QString("%1\n%2 (%3) for %4, %5 probes lost")
          .arg(r.host_name, zone_.format(r.event.start_ms), zone_.label(r.event.start_ms),
               QString::fromStdString(view::format_duration(duration)))
          .arg(r.event.probes_lost);
    case Qt::TextAlignmentRole:
      return index.column() == kHost ? QVariant() : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    default: return {};
  }
}

QVariant OutageListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  if (role == Qt::DisplayRole) {
    switch (section) {
      case kHost: return "host";
      case kStart: return "start";
      case kDuration: return "duration";
      case kLost: return "lost";
      default: return {};
    }
  }
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case kStart: return "Start, " + zone_.label(rows_.empty() ? 0 : rows_.front().event.start_ms);
      case kLost: return "Probes lost in the outage";
      default: return {};
    }
  }
  return {};
}

std::string OutageListModel::csv(const std::vector<int>& order) const {
  std::ostringstream out;
  out << "host,start_utc,start_local,end_utc,duration_ms,probes_lost\n";
  const auto line = [&](const OutageRow& r) {
    out << csv_field(r.host_name.toStdString()) << ',' << view::format_utc(r.event.start_ms) << ','
        << zone_.format(r.event.start_ms).toStdString() << format_offset(zone_.offsetAt(r.event.start_ms)) << ','
        << view::format_utc(r.event.end_ms) << ',' << r.event.end_ms - r.event.start_ms << ','
        << r.event.probes_lost << '\n';
  };
  if (order.empty()) {
    for (const OutageRow& r : rows_) line(r);
  } else {
    for (const int i : order) line(rows_.at(static_cast<std::size_t>(i)));
  }
  return out.str();
}

}  // namespace zzping::gui
