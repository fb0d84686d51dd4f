// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// LiveController: live mode's data side. It owns the DaemonLinks, adds one host record per
// (daemon, host) to the window's host list, appends arriving frames and loss events to the
// host's timeline and live log, and only sets dirty flags: every kRedrawMs, changes() asks
// the window to redraw once, however many hosts and frames arrived.
#include <QObject>
#include <QTimer>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "daemon_link.hpp"
#include "host_record.hpp"
#include "incident_evidence.hpp"

namespace zzping::gui {

class LiveController : public QObject {
  Q_OBJECT

 public:
  static constexpr int kRedrawMs = 250;
  static constexpr std::int64_t kDefaultDetailWindowMs = 6 * 3'600'000;

  // `hosts` is the window's host list: live hosts are appended to it (the window may
  // reorder it: hosts are found by HostRecord::id). Incidents and paths go to `evidence`.
  LiveController(std::vector<HostRecord>& hosts, Evidence& evidence, QObject* parent = nullptr);

  DaemonLink* connectDaemon(DaemonLink::Options options);
  const std::vector<DaemonLink*>& daemons() const { return daemons_; }
  // Raw frames and levels finer than 1 min are kept this long per host added afterwards.
  void setDetailWindow(std::int64_t window_ms) { detail_window_ms_ = window_ms; }
  // Something arrived that is not drawn yet.
  bool dirty() const { return hosts_dirty_ || frames_dirty_ || events_dirty_; }
  // Every daemon's backfill arrived.
  bool caughtUp() const;
  // What a screenshot still waits for: a daemon's backfill, or its drawing (not the live
  // frames that keep arriving after it); empty when nothing.
  QString waitingFor() const;

 signals:
  // At most every kRedrawMs: what changed since the last time.
  void changes(bool hosts_added, bool frames, bool events);
  // A daemon's state changed (the text for the status bar).
  void daemonsChanged(QString status);

 private:
  void addHost(DaemonLink* link, const std::string& host, attribution::Role role);
  HostRecord* record(const DaemonLink* link, const std::string& host);
  // The window's name of a daemon's host ("host @ HOST:PORT" with several daemons).
  std::string label(const DaemonLink* link, const std::string& host) const;

  std::vector<HostRecord>& hosts_;
  Evidence& evidence_;
  std::vector<DaemonLink*> daemons_;
  std::map<std::pair<const DaemonLink*, std::string>, std::size_t> index_;  // -> HostRecord::id
  std::int64_t detail_window_ms_ = kDefaultDetailWindowMs;
  QTimer timer_;
  bool hosts_dirty_ = false;
  bool frames_dirty_ = false;
  bool events_dirty_ = false;
  bool backfill_drawn_ = false;  // every daemon caught up and what came before was drawn
};

}  // namespace zzping::gui
