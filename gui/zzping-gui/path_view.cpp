// SPDX-License-Identifier: GPL-3.0-or-later
#include "path_view.hpp"

#include <QHeaderView>

namespace zzping::gui {

namespace {

QString trigger_text(PathTrigger trigger) {
  switch (trigger) {
    case PathTrigger::loss_burst: return "burst";
    case PathTrigger::interval: return "periodic";
    case PathTrigger::start: return "start";
  }
  return {};
}

void add_snapshot(QTreeWidget* tree, const std::string& host, const char* when, const PathSnapshot& path,
                  const DisplayZone& zone) {
  auto* top = new QTreeWidgetItem(tree);
  const QString last = QString::fromStdString(last_answering_hop(path));
  // Short enough for the dock: the date and the trace's trigger are in the tooltip.
  top->setText(0, QString("%1, %2 %3: %4")
                      .arg(QString::fromStdString(host), when, zone.format(path.t_ms).mid(11, 8),
                           path.reached ? QString("target reached")
                                        : "not reached, last answer " + (last.isEmpty() ? QString("none") : last)));
  top->setFirstColumnSpanned(true);
  QFont bold = top->font(0);
  bold.setBold(true);
  top->setFont(0, bold);
  top->setToolTip(0, QString("%1\ntrace started %2 (%3), trigger: %4")
                        .arg(top->text(0), zone.format(path.t_ms), zone.label(path.t_ms), trigger_text(path.trigger)));
  for (const PathHop& hop : path.hops) {
    auto* item = new QTreeWidgetItem(top);
    item->setText(PathView::kTtl, QString::number(hop.ttl));
    item->setText(PathView::kAddress, hop.address.empty() ? QString("*") : QString::fromStdString(hop.address));
    item->setText(PathView::kRtt, hop.rtt_us ? QString::number(*hop.rtt_us / 1000.0, 'f', 2) : QString("-"));
    item->setTextAlignment(PathView::kTtl, Qt::AlignRight | Qt::AlignVCenter);
    item->setTextAlignment(PathView::kRtt, Qt::AlignRight | Qt::AlignVCenter);
    if (hop.address.empty()) item->setForeground(PathView::kAddress, QColor(0xc6, 0x28, 0x28));
  }
  top->setExpanded(true);
}

}  // namespace

PathView::PathView(QWidget* parent) : QTreeWidget(parent) {
  setColumnCount(kColumnCount);
  setHeaderLabels({"TTL", "hop address", "RTT (ms)"});
  setRootIsDecorated(false);
  setUniformRowHeights(true);
  setSelectionMode(QAbstractItemView::NoSelection);
  setTextElideMode(Qt::ElideMiddle);
  header()->setStretchLastSection(false);
  header()->setSectionResizeMode(kTtl, QHeaderView::ResizeToContents);
  header()->setSectionResizeMode(kAddress, QHeaderView::Stretch);
  header()->setSectionResizeMode(kRtt, QHeaderView::ResizeToContents);
  setToolTip("The path to each target of the selected incident: the trace taken while it went on "
             "and the one before it (* : no answer for that TTL)");
  showPaths({}, DisplayZone(), "Select an incident to see its path snapshots");
}

void PathView::showPaths(const std::vector<IncidentPath>& paths, const DisplayZone& zone,
                         const QString& empty_reason) {
  clear();
  if (paths.empty()) {
    auto* note = new QTreeWidgetItem(this);
    note->setText(0, empty_reason);
    note->setFirstColumnSpanned(true);
    return;
  }
  for (const IncidentPath& p : paths) {
    if (p.during) add_snapshot(this, p.host, "during", *p.during, zone);
    if (p.before) add_snapshot(this, p.host, "before", *p.before, zone);
  }
}

}  // namespace zzping::gui
