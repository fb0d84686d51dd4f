// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// OutageListModel: the rows of the Outages dock (one per loss event of each host), as a
// Qt item model apart from any widget, so the list can grow into an incident list (causes,
// more columns) without touching the view: the window shows it in a sortable QTreeView.
#include <QAbstractTableModel>
#include <QString>
#include <string>
#include <vector>

#include "display_zone.hpp"
#include "zzping/common/frame.hpp"

namespace zzping::gui {

struct OutageRow {
  std::size_t host = 0;  // the window's host index
  QString host_name;
  LossEvent event;
};

class OutageListModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column : int { kHost = 0, kStart, kDuration, kLost, kColumnCount };
  // What sorting compares: the host name, or numbers (start ms, duration ms, probes lost).
  static constexpr int kSortRole = Qt::UserRole;

  explicit OutageListModel(QObject* parent = nullptr);

  void setRows(std::vector<OutageRow> rows);
  void setDisplayZone(DisplayZone zone);
  const OutageRow& row(int r) const { return rows_.at(static_cast<std::size_t>(r)); }
  const std::vector<OutageRow>& rows() const { return rows_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

  // host,start_utc,start_local,end_utc,duration_ms,probes_lost: one line per row, in
  // `order` (row numbers, e.g. the order the view sorts them in; empty: model order).
  std::string csv(const std::vector<int>& order = {}) const;

 private:
  std::vector<OutageRow> rows_;
  DisplayZone zone_;
};

}  // namespace zzping::gui
