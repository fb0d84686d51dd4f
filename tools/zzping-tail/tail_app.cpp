// SPDX-License-Identifier: GPL-3.0-or-later
#include "tail_app.hpp"

#include <algorithm>
#include <map>
#include <thread>

#include "posix_connection.hpp"
#include "zzping/formats/stream/client_session.hpp"

namespace zzping::tail {

namespace {

// Why a session ended, and whether trying again can help.
struct SessionEnd {
  std::string reason;
  bool fatal = false;
  bool done = false;  // --count reached or stop requested
  bool was_connected = false;
};

// A refused token or an incompatible server will refuse us again: do not retry.
bool is_fatal(const stream::Disconnected& d) {
  return d.reason.find("authentication failed") != std::string::npos ||
         d.reason.find("protocol version") != std::string::npos ||
         d.reason.find("unknown host") != std::string::npos;
}

class Tail {
 public:
  Tail(const TailOptions& options, std::ostream& out, std::ostream& err,
       const std::atomic<bool>& stop)
      : options_(options), printer_(out, options.format), out_(out), err_(err), stop_(stop) {}

  int run() {
    int backoff = options_.initial_backoff_ms;
    std::uint32_t failures = 0;
    while (!stop_) {
      const SessionEnd end = run_one_session();
      if (end.done) return 0;
      if (end.fatal) {
        err_ << "zzping-tail: " << end.reason << '\n';
        return 1;
      }
      if (end.was_connected) {
        backoff = options_.initial_backoff_ms;
        failures = 0;
      }
      ++failures;
      if (options_.max_attempts && failures >= *options_.max_attempts) {
        err_ << "zzping-tail: " << end.reason << '\n';
        return 1;
      }
      err_ << "zzping-tail: warning: " << end.reason << "; reconnecting in " << backoff
           << " ms\n";
      sleep_unless_stopped(backoff);
      backoff = std::min(backoff * 2, options_.max_backoff_ms);
    }
    return 0;
  }

 private:
  SessionEnd run_one_session() {
    std::optional<PosixConnection> connection;
    try {
      connection.emplace(PosixConnection::connect(options_.server_host, options_.server_port,
                                                  options_.connect_timeout_ms));
    } catch (const std::exception& e) {
      return SessionEnd{e.what()};
    }
    stream::ClientConfig config;
    config.software = std::string("zzping-tail ") + ZZPING_VERSION;
    config.token = options_.token;
    stream::ClientSession session(config, monotonic_ms());
    session.subscribe(subscription(), monotonic_ms());
    SessionEnd end;
    while (!stop_) {
      connection->exchange(session, 200);
      while (auto event = session.poll()) {
        if (auto* d = std::get_if<stream::Disconnected>(&*event)) {
          end.reason = d->reason;
          end.fatal = is_fatal(*d);
          return end;
        }
        if (std::holds_alternative<stream::HostList>(*event)) end.was_connected = true;
        if (handle(*event)) {
          out_.flush();
          session.close("done", monotonic_ms());
          connection->drain(session, 500);
          end.done = true;
          return end;
        }
      }
      out_.flush();
    }
    session.close("stopped", monotonic_ms());
    connection->drain(session, 500);
    end.done = true;
    return end;
  }

  // After a reconnect, ask from the end of what we printed, so nothing is missed while the
  // daemon still holds it; frames already printed are filtered out by next_t_ms_.
  stream::Subscribe subscription() const {
    stream::Subscribe s;
    s.hosts = options_.hosts;
    if (!next_t_ms_.empty()) {
      std::int64_t since = INT64_MAX;
      for (const auto& [host, t] : next_t_ms_) since = std::min(since, t);
      s.since_ms = since;
    } else if (options_.backfill_s) {
      s.backfill_ms = std::uint64_t{*options_.backfill_s} * 1000;
    }
    return s;
  }

  // True when --count is reached.
  bool handle(const stream::ClientEvent& event) {
    if (const auto* f = std::get_if<stream::ReceivedFrames>(&event)) {
      for (const Frame& frame : f->frames) {
        auto next = next_t_ms_.find(f->host);
        if (next != next_t_ms_.end() && frame.t_ms < next->second) continue;  // seen already
        next_t_ms_[f->host] = frame.t_ms + frame.length_ms;
        tools::OutputFrame o = tools::output_from_native(frame);
        o.host = f->host;
        printer_.print(o);
        if (options_.count && ++printed_ >= *options_.count) return true;
      }
    } else if (const auto* e = std::get_if<stream::EventMessage>(&event)) {
      tools::OutputEvent out{e->host, e->event};
      if (e->cause) out.attribution = attribution::Attribution{*e->cause, e->reason, e->lost_too, e->answered};
      printer_.print(out);
    } else if (const auto* i = std::get_if<stream::IncidentMessage>(&event)) {
      printer_.print(tools::OutputIncident{stream::to_incident(*i)});
    } else if (const auto* p = std::get_if<stream::PathMessage>(&event)) {
      printer_.print(tools::OutputPath{p->host, p->path});
    }
    return false;
  }

  void sleep_unless_stopped(int ms) {
    const std::int64_t until = monotonic_ms() + ms;
    while (!stop_ && monotonic_ms() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min<std::int64_t>(50, until - monotonic_ms())));
    }
  }

  const TailOptions& options_;
  tools::FramePrinter printer_;
  std::ostream& out_;
  std::ostream& err_;
  const std::atomic<bool>& stop_;
  std::map<std::string, std::int64_t> next_t_ms_;  // per host: end of the last printed frame
  std::uint64_t printed_ = 0;
};

}  // namespace

int run_tail(const TailOptions& options, std::ostream& out, std::ostream& err,
             const std::atomic<bool>& stop) {
  return Tail(options, out, err, stop).run();
}

}  // namespace zzping::tail
