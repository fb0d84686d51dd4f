// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// DetailController: detail on demand for data directory hosts (docs/gui.md). After a
// redraw (which knows the level the view wants) it plans what to load and evict
// (view::plan_detail), hands the DetailLoader its wish list, feeds arrived chunks to the
// hosts and asks for one redraw per kRedrawMs at most.
#include <QObject>
#include <QString>
#include <QTimer>
#include <memory>
#include <vector>

#include "host_record.hpp"
#include "zzping/common/view/detail_planner.hpp"

namespace zzping::gui {

class DetailLoader;
class PlotPanel;
struct LoadedChunk;

class DetailController : public QObject {
  Q_OBJECT

 public:
  static constexpr int kRedrawMs = 100;

  // `hosts` is the window's host list (it grows and is reordered: chunks name their host
  // by HostRecord::id); the incidents and paths of arrived raw hours go to `evidence`;
  // `panel` says what is shown.
  DetailController(const std::vector<HostRecord>& hosts, Evidence& evidence, PlotPanel& panel,
                   QObject* parent = nullptr);

  // Plans once the event loop runs (any number of calls give one plan).
  void schedulePlan();
  // No detail is being planned, read or waiting to be drawn.
  bool idle() const;
  void setBudget(view::DetailBudget budget) { budget_ = budget; }
  const view::DetailBudget& budget() const { return budget_; }
  DetailLoader* loader() const { return loader_; }

 signals:
  // Chunks arrived since the last one: redraw (and refresh the outage list if
  // `events_changed`: new outages, incidents or paths).
  void detailArrived(bool events_changed);
  void problem(QString text);

 private:
  void plan();
  void onChunkLoaded(std::size_t host_id, const std::shared_ptr<LoadedChunk>& loaded);

  const std::vector<HostRecord>& hosts_;
  Evidence& evidence_;
  PlotPanel& panel_;
  DetailLoader* loader_;
  view::DetailBudget budget_;
  QTimer plan_timer_;
  QTimer redraw_timer_;
  bool events_changed_ = false;
};

}  // namespace zzping::gui
