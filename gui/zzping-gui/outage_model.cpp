// SPDX-License-Identifier: GPL-3.0-or-later
#include "outage_model.hpp"

#include <QStringList>
#include <sstream>

#include "incident_evidence.hpp"
#include "zzping/common/csv_text.hpp"
#include "zzping/common/view/bucket_text.hpp"

namespace zzping::gui {

namespace {

QString cause_text(const OutageRow& r) {
  return r.incident ? cause_name(r.incident->cause) : QString();
}

QString last_hop_text(const OutageRow& r) {
  if (!r.incident) return {};
  return r.incident->last_hop.empty() ? QString("-") : QString::fromStdString(r.incident->last_hop);
}

}  // namespace

QColor cause_colour(attribution::Cause cause) {
  switch (cause) {
    case attribution::Cause::local: return QColor(0xc6, 0x28, 0x28);         // red: your side
    case attribution::Cause::upstream: return QColor(0xef, 0x6c, 0x00);      // orange: the provider
    case attribution::Cause::destination: return QColor(0x6a, 0x1b, 0x9a);   // purple: one far end
    case attribution::Cause::gateway_only: return QColor(0x43, 0x8a, 0x5e);  // green: harmless
    case attribution::Cause::unknown: return QColor(0x75, 0x75, 0x75);       // grey
  }
  return Qt::gray;
}

QString cause_name(attribution::Cause cause) { return QString::fromUtf8(attribution::to_string(cause).data()); }

QString cause_legend_html() {
  QStringList parts;
  for (const attribution::Cause c : kAllCauses) {
    parts << QString("<span style=\"color:%1\">&#9632;</span>&nbsp;%2").arg(cause_colour(c).name(), cause_name(c));
  }
  return parts.join("&nbsp;&nbsp;");
}

QString cause_legend_tooltip() {
  QStringList lines{"<b>Cause</b> of an incident: the most user-affecting cause of its loss bursts"};
  for (const attribution::Cause c : kAllCauses) {
    lines << QString("<span style=\"color:%1\">&#9632;</span> <b>%2</b>: %3")
                 .arg(cause_colour(c).name(), cause_name(c), QString::fromUtf8(cause_explanation(c).data()));
  }
  return lines.join("<br>");
}

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
        case kCause: return cause_text(r);
        case kLastHop: return last_hop_text(r);
        default: return {};
      }
    case kSortRole:
      switch (index.column()) {
        case kHost: return r.host_name;
        case kStart: return QVariant::fromValue(r.event.start_ms);
        case kDuration: return QVariant::fromValue(duration);
        case kLost: return QVariant::fromValue(r.event.probes_lost);
        case kCause: return cause_text(r);
        case kLastHop: return last_hop_text(r);
        default: return {};
      }
    case Qt::DecorationRole:
      if (index.column() == kCause && r.incident) return cause_colour(r.incident->cause);
      return {};
    case Qt::ForegroundRole:
      if (index.column() == kCause && r.incident) return cause_colour(r.incident->cause);
      return {};
    case Qt::ToolTipRole: {
      QString text = QString("%1\n%2 (%3) for %4, %5 probes lost")
                         .arg(r.host_name, zone_.format(r.event.start_ms), zone_.label(r.event.start_ms),
                              QString::fromStdString(view::format_duration(duration)))
                         .arg(r.event.probes_lost);
      if (r.incident) {
        text += QString("\ncause %1: %2\nlast hop that answered: %3")
                    .arg(cause_text(r), QString::fromUtf8(cause_explanation(r.incident->cause).data()),
                         r.incident->last_hop.empty() ? QString("no trace ran during it")
                                                      : QString::fromStdString(r.incident->last_hop));
      }
      return text;
    }
    case Qt::TextAlignmentRole:
      return index.column() == kHost || index.column() >= kCause ? QVariant() : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    default: return {};
  }
}

QVariant OutageListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  if (role == Qt::DisplayRole) {
    switch (section) {
      case kHost: return incidents() ? "targets" : "host";
      case kStart: return "start";
      case kDuration: return "duration";
      case kLost: return "lost";
      case kCause: return "cause";
      case kLastHop: return "last hop";
      default: return {};
    }
  }
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case kHost: return incidents() ? "The targets that lost probes in the incident" : "";
      case kStart: return "Start, " + zone_.label(rows_.empty() ? 0 : rows_.front().event.start_ms);
      case kLost: return incidents() ? "Probes lost, all targets together" : "Probes lost in the outage";
      case kCause: return cause_legend_tooltip();
      case kLastHop:
        return "The farthest hop that still answered in a path trace taken during the incident "
               "(- : no trace ran during it)";
      default: return {};
    }
  }
  return {};
}

std::string OutageListModel::csv(const std::vector<int>& order) const {
  std::ostringstream out;
  const bool with_cause = incidents();
  out << (with_cause ? "targets" : "host") << ",start_utc,start_local,end_utc,duration_ms,probes_lost"
      << (with_cause ? ",cause,last_hop\n" : "\n");
  const auto line = [&](const OutageRow& r) {
    std::string who = r.host_name.toStdString();
    if (r.incident) {
      who.clear();
      for (const std::string& t : r.incident->targets) who += (who.empty() ? "" : " ") + t;
    }
    out << csv_field(who) << ',' << view::format_utc(r.event.start_ms) << ','
        << zone_.format(r.event.start_ms).toStdString() << format_offset(zone_.offsetAt(r.event.start_ms)) << ','
        << view::format_utc(r.event.end_ms) << ',' << r.event.end_ms - r.event.start_ms << ','
        << r.event.probes_lost;
    if (with_cause) {
      out << ',' << (r.incident ? attribution::to_string(r.incident->cause) : "") << ','
          << csv_field(r.incident ? r.incident->last_hop : std::string());
    }
    out << '\n';
  };
  if (order.empty()) {
    for (const OutageRow& r : rows_) line(r);
  } else {
    for (const int i : order) line(rows_.at(static_cast<std::size_t>(i)));
  }
  return out.str();
}

}  // namespace zzping::gui
