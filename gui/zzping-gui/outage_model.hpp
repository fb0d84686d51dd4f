// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// OutageListModel: the rows of the Outages dock, as a Qt item model apart from any widget
// (the window shows it in a sortable QTreeView). Two kinds of rows: incidents (native 1.2
// data, a 1.2 daemon's stream: one row per incident of all targets, with its cause, the
// targets hit and the last hop that answered) or, for data without incidents (zzping 0.2
// imports, older files), one row per loss event of each host.
#include <QAbstractTableModel>
#include <QColor>
#include <optional>
#include <QString>
#include <string>
#include <vector>

#include "display_zone.hpp"
#include "zzping/common/attribution.hpp"
#include "zzping/common/frame.hpp"

namespace zzping::gui {

struct OutageRow {
  std::size_t host = 0;  // outage rows: the window's host index
  QString host_name;     // outage rows: the host; incident rows: the targets hit
  LossEvent event;       // start, end and probes lost (of the incident, for incident rows)
  std::optional<attribution::Incident> incident;
};

// One colour per cause (the list, its legend) and what the cause means (docs/attribution.md).
QColor cause_colour(attribution::Cause cause);
QString cause_name(attribution::Cause cause);
// Coloured swatches naming every cause, and a tooltip explaining each.
QString cause_legend_html();
QString cause_legend_tooltip();

class OutageListModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  // kHost is "host" for outage rows and "targets" for incident rows; kCause and kLastHop
  // are empty for outage rows (the window hides them then).
  enum Column : int { kHost = 0, kStart, kDuration, kLost, kCause, kLastHop, kColumnCount };
  // What sorting compares: text (host, cause, last hop), or numbers (start ms, duration ms,
  // probes lost).
  static constexpr int kSortRole = Qt::UserRole;

  explicit OutageListModel(QObject* parent = nullptr);

  void setRows(std::vector<OutageRow> rows);
  // The rows are incidents (all of them are: the window shows one kind at a time).
  bool incidents() const { return !rows_.empty() && rows_.front().incident.has_value(); }
  void setDisplayZone(DisplayZone zone);
  const OutageRow& row(int r) const { return rows_.at(static_cast<std::size_t>(r)); }
  const std::vector<OutageRow>& rows() const { return rows_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

  // host,start_utc,start_local,end_utc,duration_ms,probes_lost (outage rows; incident
  // rows: targets instead of host, then ,cause,last_hop; targets separated by spaces): one
  // line per row, in `order` (row numbers, e.g. the order the view sorts them in; empty:
  // model order).
  std::string csv(const std::vector<int>& order = {}) const;

 private:
  std::vector<OutageRow> rows_;
  DisplayZone zone_;
};

}  // namespace zzping::gui
