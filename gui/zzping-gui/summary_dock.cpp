// SPDX-License-Identifier: GPL-3.0-or-later
#include "summary_dock.hpp"

#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <cmath>
#include <limits>
#include <optional>

#include "zzping/common/view/bucket_text.hpp"

namespace zzping::gui {

namespace {

// Sorts numeric columns by the number under kValueRole (absent first), the host by text.
class SummaryItem : public QTreeWidgetItem {
 public:
  using QTreeWidgetItem::QTreeWidgetItem;
  bool operator<(const QTreeWidgetItem& other) const override {
    const int column = treeWidget() ? treeWidget()->sortColumn() : 0;
    if (column == SummaryDock::kHost) return text(column) < other.text(column);
    const QVariant a = data(column, SummaryDock::kValueRole);
    const QVariant b = other.data(column, SummaryDock::kValueRole);
    if (!a.isValid() || !b.isValid()) return !a.isValid() && b.isValid();
    return a.toDouble() < b.toDouble();
  }
};

void setNumber(QTreeWidgetItem* item, int column, std::optional<double> value, int decimals) {
  item->setTextAlignment(column, Qt::AlignRight | Qt::AlignVCenter);
  if (!value) return;  // absent: empty cell, no number
  item->setData(column, SummaryDock::kValueRole, *value);
  item->setText(column, QString::number(*value, 'f', decimals));
}

std::optional<double> ms_of_us(const std::optional<std::array<double, 5>>& q, std::size_t i) {
  if (!q) return std::nullopt;
  return (*q)[i] / 1000.0;
}

}  // namespace

SummaryDock::SummaryDock(QWidget* parent)
    : QWidget(parent), tree_(new QTreeWidget(this)), footnote_(new QLabel(this)) {
  tree_->setColumnCount(kColumnCount);
  tree_->setHeaderLabels({"host", "loss %", "sent", "lost", "availability %", "loss bursts",
                          "longest burst", "p50 ms", "p95 ms", "p99 ms", "jitter ms", "MOS"});
  tree_->headerItem()->setToolTip(kAvailability, "Covered time not inside a recorded loss burst");
  tree_->headerItem()->setToolTip(kBursts, "Loss bursts recorded by zzpingd (>= 2 consecutive lost probes)");
  tree_->headerItem()->setToolTip(kJitter, "Mean |delta RTT| of consecutive answered probes; "
                                           "empty when not measured (zzping 0.2 data) or no pair");
  const QString quantile =
      "From the merged histogram of the span (within the quantiser's precision), as "
      "zzping-dump --summary gives it. Empty for hosts whose histograms cannot be read "
      "again (hover the row for why)";
  for (int c : {kP50, kP95, kP99}) tree_->headerItem()->setToolTip(c, quantile);
  tree_->headerItem()->setToolTip(kMos, "MOS estimate (docs/summary.md) from p50, jitter and loss. " + quantile);
  tree_->setRootIsDecorated(false);
  tree_->setUniformRowHeights(true);
  // A header and a few rows stay visible however tall the plots want to be.
  tree_->setMinimumHeight(tree_->fontMetrics().height() * 5);
  tree_->setSortingEnabled(true);
  tree_->sortByColumn(kHost, Qt::AscendingOrder);
  tree_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
  tree_->header()->setStretchLastSection(false);
  footnote_->setWordWrap(true);
  footnote_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  footnote_->setToolTip(
      "Computed off the GUI thread as zzping-dump --summary --from ... --to ... does: a data "
      "directory from its 1 h tier inside the span and raw hours at its edges, files from "
      "the files, a live host from the frames received in the last hour. Frames count when "
      "their start is in the range.");
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->addWidget(tree_, 1);
  layout->addWidget(footnote_);
}

void SummaryDock::setRows(const std::vector<Row>& rows, const QString& footnote) {
  tree_->setSortingEnabled(false);
  tree_->clear();
  for (const Row& row : rows) {
    const SpanSummary& s = row.summary;
    auto* item = new SummaryItem(tree_);
    item->setText(kHost, row.label.isEmpty() ? QString::fromStdString(s.host) : row.label);
    item->setData(kHost, kHostNameRole, QString::fromStdString(s.host));
    setNumber(item, kLossPct, s.loss_pct, 3);
    setNumber(item, kSent, static_cast<double>(s.sent), 0);
    setNumber(item, kLost, static_cast<double>(s.lost), 0);
    setNumber(item, kAvailability, s.availability_pct, 3);
    if (const auto& bursts = s.loss_bursts) {
      setNumber(item, kBursts, static_cast<double>(bursts->count), 0);
      setNumber(item, kLongestBurst,
                bursts->longest_start_ms ? std::optional<double>(static_cast<double>(bursts->longest_ms) / 1000.0)
                                         : std::nullopt,
                0);
      if (bursts->longest_start_ms) {
        item->setText(kLongestBurst, QString::fromStdString(view::format_duration(bursts->longest_ms)));
        item->setToolTip(kLongestBurst, "from " + QString::fromStdString(view::format_utc(*bursts->longest_start_ms)));
      }
    } else {
      // Lost probes in data without loss-event records (zzping 0.2, pruned raw hours):
      // no number rather than 0 bursts and 100 % (docs/summary.md, "Loss bursts").
      const QString why = "not recorded: lost probes in data that does not record loss bursts";
      for (int c : {kBursts, kLongestBurst, kAvailability}) {
        item->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
        item->setText(c, "n/a");
        item->setToolTip(c, why);
      }
    }
    setNumber(item, kP50, ms_of_us(s.rtt_us, 1), 3);
    setNumber(item, kP95, ms_of_us(s.rtt_us, 2), 3);
    setNumber(item, kP99, ms_of_us(s.rtt_us, 3), 3);
    setNumber(item, kJitter, s.jitter_us ? std::optional<double>(*s.jitter_us / 1000.0) : std::nullopt, 3);
    setNumber(item, kMos, s.mos, 2);
    for (int c = 0; c < kColumnCount; ++c) item->setToolTip(c, item->toolTip(c).isEmpty() ? row.source : item->toolTip(c));
  }
  tree_->setSortingEnabled(true);
  footnote_->setText(footnote);
}

QSize SummaryDock::sizeHint() const { return {900, fontMetrics().height() * 9}; }

double SummaryDock::value(int row, Column column) const {
  const QTreeWidgetItem* item = tree_->topLevelItem(row);
  if (!item) return std::numeric_limits<double>::quiet_NaN();
  const QVariant v = item->data(column, kValueRole);
  return v.isValid() ? v.toDouble() : std::numeric_limits<double>::quiet_NaN();
}

int SummaryDock::rowOf(const QString& host) const {
  for (int r = 0; r < tree_->topLevelItemCount(); ++r) {
    if (tree_->topLevelItem(r)->data(kHost, kHostNameRole).toString() == host) return r;
  }
  return -1;
}

}  // namespace zzping::gui
