// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// DaemonLink: one live connection to a zzpingd stream server (docs/protocol.md), driven
// from a QTcpSocket on the GUI thread. It runs the sans-I/O stream::ClientSession, keeps
// reconnecting with backoff (resuming where the frames stopped), and hands out frames
// and loss events of each host as Qt signals. It stops retrying on refusals that would
// repeat (wrong token, incompatible version).
#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "zzping/common/attribution.hpp"
#include "zzping/common/frame.hpp"
#include "zzping/common/path.hpp"
#include "zzping/common/view/live_link.hpp"

class QTcpSocket;

namespace zzping::stream {
class ClientSession;
}

namespace zzping::gui {

class DaemonLink : public QObject {
  Q_OBJECT

 public:
  struct Options {
    QString host;
    quint16 port = 7878;
    std::optional<std::string> token;
    std::uint64_t backfill_ms = 3'600'000;  // asked for on the first connection
    int initial_backoff_ms = 250;
    int max_backoff_ms = 10'000;
  };

  DaemonLink(Options options, QObject* parent = nullptr);
  ~DaemonLink() override;

  // Connects (and keeps reconnecting until refused or destroyed).
  void start();
  // "HOST:PORT", as the user wrote it.
  QString address() const;
  view::LinkState state() const { return state_; }
  // Why the last session ended (empty while the first one runs).
  QString lastReason() const { return last_reason_; }
  // Host names of the daemon's latest host list.
  const std::vector<std::string>& hosts() const { return hosts_; }
  // Connected, and the backfill of every listed host has arrived (the daemon said
  // caught_up for each): what follows is live.
  bool caughtUp() const;

 signals:
  void stateChanged();
  // The first time each host appears, with its role (internet from a 1.1 daemon).
  void hostListed(const std::string& host, zzping::attribution::Role role);
  void framesReceived(const std::string& host, const std::vector<zzping::Frame>& frames);
  void lossEventReceived(const std::string& host, const zzping::LossEvent& event);
  // Since stream 1.2: incidents (bursts of several targets merged) and path snapshots.
  void incidentReceived(const zzping::attribution::Incident& incident);
  void pathReceived(const std::string& host, const zzping::PathSnapshot& path);
  void caughtUpChanged();

 private:
  std::int64_t now_ms() const { return clock_.elapsed(); }
  void connectNow();
  void onConnected();
  void onReadyRead();
  void onSocketGone();
  void onTick();
  void pump();
  void endSession(const std::string& reason);
  void setState(view::LinkState state);
  void handleHostList(const std::vector<std::pair<std::string, attribution::Role>>& hosts);

  Options options_;
  QTcpSocket* socket_;
  std::unique_ptr<stream::ClientSession> session_;
  QTimer tick_timer_;
  QTimer retry_timer_;
  QElapsedTimer clock_;
  view::ReconnectBackoff backoff_;
  view::ResumeCursor cursor_;
  view::LinkState state_ = view::LinkState::Connecting;
  QString last_reason_;
  std::vector<std::string> hosts_;
  std::set<std::string> caught_up_;
};

}  // namespace zzping::gui
