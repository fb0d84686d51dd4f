// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Local alerts in the daemon (docs/alerts.md, "Local alerts"): the FrameSink that feeds the
// AlertEngine with final frames, attributed bursts and incidents, and for each start or end
// writes a structured journal entry (or a log line) and runs the alert's command through
// the AlertRunner. SIGHUP: on_config_reloaded hands the new [[alert]] list to the engine.
#include <memory>
#include <string>
#include <string_view>

#include "zzping/daemon/alert_engine.hpp"
#include "zzping/daemon/alert_runner.hpp"
#include "zzping/daemon/frame_sink.hpp"

namespace asio { class io_context; }

namespace zzping::daemon {

// `journalctl MESSAGE_ID=c2c5e46e782d4c1b9612ada5126a3c76` lists every alert start and end.
inline constexpr std::string_view kAlertMessageId = "c2c5e46e782d4c1b9612ada5126a3c76";
inline constexpr const char* kJournalSocket = "/run/systemd/journal/socket";

// One line: "alert upstream start: incident, cause upstream, targets a b, 12 probes lost".
std::string describe(const AlertEvent& event);

// systemd's native journal protocol (a datagram of KEY=VALUE lines; systemd.journal-fields(7)):
// MESSAGE, MESSAGE_ID, PRIORITY (start 4 warning, end 5 notice), SYSLOG_IDENTIFIER=zzpingd
// and every ZZPING_* variable of the event.
class AlertJournal {
 public:
  explicit AlertJournal(std::string socket_path = kJournalSocket);
  AlertJournal(const AlertJournal&) = delete;
  AlertJournal& operator=(const AlertJournal&) = delete;
  ~AlertJournal();
  // False when no journal takes it (no socket, refused, full): the caller logs the line.
  bool send(const AlertEvent& event);
  static std::string entry(const AlertEvent& event);

 private:
  std::string path_;
  int fd_ = -1;
};

struct AlertSinkOptions {
  bool stderr_is_journal = false;  // log lines reach the journal already: no duplicate line
  std::string journal_socket = kJournalSocket;
  std::size_t max_running = AlertRunner::kMaxRunning;
  std::size_t max_queued = AlertRunner::kMaxQueued;
};

class AlertSink final : public FrameSink {
 public:
  AlertSink(asio::io_context& io, const DaemonConfig& config, AlertSinkOptions options = {});
  // At the daemon's stop: delivers the ends still in their hold-down (AlertEngine::finish).
  ~AlertSink() override;
  void on_frame(const HostInfo& host, const Frame& frame) override;
  void on_event(const HostInfo& host, const LossEvent& event) override;
  void on_burst_attributed(const HostInfo& host, const attribution::AttributedBurst& burst) override;
  void on_incident(const attribution::Incident& incident) override;
  void on_status(const HostInfo& host, const HostStatus& status) override;
  void on_host_removed(const HostInfo& host) override;
  void flush() override;
  void on_config_reloaded(const DaemonConfig& effective) override;

  AlertRunner& runner() { return runner_; }

 private:
  void dispatch(const std::vector<AlertEvent>& events, const std::vector<AlertConfig>& configs);

  AlertSinkOptions options_;
  AlertEngine engine_;
  AlertJournal journal_;
  AlertRunner runner_;
};

}  // namespace zzping::daemon
