// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// SummaryDock: one row per shown host with the summary of the visible time range (the
// numbers `zzping-dump --summary` gives, from the same SpanAccumulator; docs/gui.md).
#include <QString>
#include <QWidget>
#include <vector>

#include "zzping/common/span_summary.hpp"

class QLabel;
class QTreeWidget;

namespace zzping::gui {

class SummaryDock : public QWidget {
  Q_OBJECT

 public:
  enum Column : int {
    kHost = 0,
    kLossPct,
    kSent,
    kLost,
    kAvailability,
    kBursts,
    kLongestBurst,
    kP50,
    kP95,
    kP99,
    kJitter,
    kMos,
    kColumnCount
  };
  // Each cell holds its number (double) under this role; absent values hold nothing and
  // show an empty cell. Sorting uses the numbers, absent values first.
  static constexpr int kValueRole = Qt::UserRole;

  struct Row {
    SpanSummary summary;
    QString source;  // which level the numbers come from (row tooltip)
    QString label = {};  // the host as listed (with its role); empty: summary.host
  };
  // The item data of the host column that holds summary.host (rowOf() finds it).
  static constexpr int kHostNameRole = Qt::UserRole + 7;

  explicit SummaryDock(QWidget* parent = nullptr);
  // Replaces the rows, keeping the sort column and order.
  void setRows(const std::vector<Row>& rows, const QString& footnote);

  QTreeWidget* tree() const { return tree_; }
  QLabel* footnote() const { return footnote_; }
  // The number in a cell; NaN when absent.
  double value(int row, Column column) const;
  // The row of `host` (summary.host, not the label shown), or -1.
  int rowOf(const QString& host) const;
  // Compact: a header, a few rows and the footnote; the plots keep the height.
  QSize sizeHint() const override;

 private:
  QTreeWidget* tree_;
  QLabel* footnote_;
};

}  // namespace zzping::gui
