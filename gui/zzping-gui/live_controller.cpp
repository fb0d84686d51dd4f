// SPDX-License-Identifier: GPL-3.0-or-later
#include "live_controller.hpp"

#include <algorithm>

namespace zzping::gui {

LiveController::LiveController(std::vector<HostRecord>& hosts, Evidence& evidence, QObject* parent)
    : QObject(parent), hosts_(hosts), evidence_(evidence) {
  timer_.setInterval(kRedrawMs);
  connect(&timer_, &QTimer::timeout, this, [this] {
    // Every frame of a backfill arrived before its caught_up: once all daemons said it,
    // this tick's changes() draws the last of them. Live frames keep arriving (dirty()
    // is seldom false with a real daemon); they are not what a screenshot waits for.
    const bool all_caught_up = std::all_of(daemons_.begin(), daemons_.end(),
                                           [](const DaemonLink* l) { return l->caughtUp(); });
    if (dirty()) {
      const bool hosts_added = hosts_dirty_, frames = frames_dirty_, events = events_dirty_;
      hosts_dirty_ = frames_dirty_ = events_dirty_ = false;
      emit changes(hosts_added, frames, events);
    }
    if (all_caught_up) backfill_drawn_ = true;
  });
}

DaemonLink* LiveController::connectDaemon(DaemonLink::Options options) {
  auto* link = new DaemonLink(std::move(options), this);
  daemons_.push_back(link);
  connect(link, &DaemonLink::stateChanged, this, [this, link] {
    emit daemonsChanged(link->address() + ": " + view::link_state_name(link->state()) +
                        (link->lastReason().isEmpty() ? "" : " (" + link->lastReason() + ")"));
  });
  connect(link, &DaemonLink::hostListed, this,
          [this, link](const std::string& host, attribution::Role role) { addHost(link, host, role); });
  // Incidents name the daemon's targets; with several daemons the host rows carry the
  // daemon in their name, and the paths are kept under that name too.
  connect(link, &DaemonLink::incidentReceived, this, [this, link](const attribution::Incident& incident) {
    attribution::Incident named = incident;
    for (std::string& t : named.targets) t = label(link, t);
    if (evidence_.add_incident(named)) events_dirty_ = true;
  });
  connect(link, &DaemonLink::pathReceived, this, [this, link](const std::string& host, const PathSnapshot& path) {
    if (evidence_.add_path(label(link, host), path)) events_dirty_ = true;
  });
  connect(link, &DaemonLink::framesReceived, this,
          [this, link](const std::string& host, const std::vector<Frame>& frames) {
            HostRecord* r = record(link, host);
            if (!r) return;  // not in the host list: the session rejects that already
            for (const Frame& f : frames) {
              r->timeline->append(f);
              r->live->append(f);
            }
            frames_dirty_ = true;
          });
  connect(link, &DaemonLink::lossEventReceived, this,
          [this, link](const std::string& host, const LossEvent& event) {
            if (HostRecord* r = record(link, host)) {
              r->timeline->add_recorded_event(event);
              r->live->add_event(event);
              events_dirty_ = true;
            }
          });
  timer_.start();
  link->start();
  return link;
}

std::string LiveController::label(const DaemonLink* link, const std::string& host) const {
  return view::live_host_label(host, link->address().toStdString(), daemons_.size());
}

void LiveController::addHost(DaemonLink* link, const std::string& host, attribution::Role role) {
  auto timeline = std::make_shared<view::HostTimeline>(label(link, host));
  timeline->set_fine_retention(detail_window_ms_);
  HostRecord record{std::move(timeline), nullptr, std::make_shared<LiveFrameLog>(), role};
  index_[{link, host}] = record.id;
  hosts_.push_back(std::move(record));
  hosts_dirty_ = true;
  emit daemonsChanged({});
}

HostRecord* LiveController::record(const DaemonLink* link, const std::string& host) {
  const auto it = index_.find({link, host});
  if (it == index_.end()) return nullptr;
  for (HostRecord& r : hosts_) {
    if (r.id == it->second) return &r;
  }
  return nullptr;
}

bool LiveController::caughtUp() const { return waitingFor().isEmpty(); }

QString LiveController::waitingFor() const {
  for (const DaemonLink* link : daemons_) {
    if (!link->caughtUp()) return link->address() + "'s backfill";
  }
  return backfill_drawn_ || daemons_.empty() ? QString() : QString("the backfill not drawn yet");
}

}  // namespace zzping::gui
