// SPDX-License-Identifier: GPL-3.0-or-later
#include "detail_controller.hpp"

#include <algorithm>

#include "detail_loader.hpp"
#include "plot_panel.hpp"

namespace zzping::gui {

DetailController::DetailController(const std::vector<HostRecord>& hosts, Evidence& evidence, PlotPanel& panel,
                                   QObject* parent)
    : QObject(parent), hosts_(hosts), evidence_(evidence), panel_(panel), loader_(new DetailLoader(this)) {
  connect(loader_, &DetailLoader::chunkLoaded, this, &DetailController::onChunkLoaded);
  plan_timer_.setSingleShot(true);
  plan_timer_.setInterval(0);
  connect(&plan_timer_, &QTimer::timeout, this, &DetailController::plan);
  redraw_timer_.setSingleShot(true);
  redraw_timer_.setInterval(kRedrawMs);
  connect(&redraw_timer_, &QTimer::timeout, this, [this] {
    const bool changed = events_changed_;
    events_changed_ = false;
    emit detailArrived(changed);
  });
}

void DetailController::schedulePlan() {
  if (!plan_timer_.isActive()) plan_timer_.start();
}

void DetailController::plan() {
  std::vector<ChunkRequest> requests;
  for (std::size_t h = 0; h < hosts_.size(); ++h) {
    view::HostTimeline& host = *hosts_[h].timeline;
    if (!host.chunked() || !hosts_[h].files) continue;
    if (!panel_.hostVisible(h)) {
      // A hidden host draws nothing: its fine detail would only hold memory.
      for (const view::LoadedChunkInfo& c : host.loaded_chunks()) {
        if (!view::is_pinned(c.period.key.resolution)) host.evict_chunk(c.period.key);
      }
      continue;
    }
    const std::uint32_t bucket_ms = host.level_bucket_ms(panel_.levelShown(h));
    const view::DetailPlan plan =
        view::plan_detail(host.chunk_index(), host.loaded_chunks(), panel_.timeRange(), bucket_ms, budget_);
    // Evicted chunks lie outside the view and its margin: nothing drawn changes.
    for (const view::ChunkKey& key : plan.evict) host.evict_chunk(key);
    for (const view::ChunkPeriod& p : plan.load) {
      const auto files = hosts_[h].files->chunks.find(p.key);
      if (files != hosts_[h].files->chunks.end()) requests.push_back({hosts_[h].id, p, files->second});
    }
  }
  loader_->request(std::move(requests));
}

void DetailController::onChunkLoaded(std::size_t host_id, const std::shared_ptr<LoadedChunk>& loaded) {
  const auto host = std::find_if(hosts_.begin(), hosts_.end(), [&](const HostRecord& r) { return r.id == host_id; });
  if (host == hosts_.end() || !loaded->chunk) return;
  if (!loaded->errors.isEmpty()) emit problem(loaded->errors.join("; "));
  view::HostTimeline& timeline = *host->timeline;
  const std::size_t events_before = timeline.events().size();
  timeline.add_chunk(loaded->chunk, loaded->recorded, loaded->detected);
  bool evidence_added = false;
  for (const attribution::Incident& i : loaded->incidents) evidence_added = evidence_.add_incident(i) || evidence_added;
  for (const auto& [name, path] : loaded->paths) evidence_added = evidence_.add_path(name, path) || evidence_added;
  events_changed_ = events_changed_ || evidence_added || timeline.events().size() != events_before;
  if (!redraw_timer_.isActive()) redraw_timer_.start();
}

bool DetailController::idle() const {
  return loader_->idle() && !plan_timer_.isActive() && !redraw_timer_.isActive();
}

}  // namespace zzping::gui
