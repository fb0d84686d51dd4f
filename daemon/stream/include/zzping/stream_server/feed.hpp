#pragma once
// What one subscribed client still has to receive: a cursor per host into the host logs.
// pump() copies ready-made messages into the client's session until its queue reaches the
// high-water mark, so a client's memory is bounded by the mark, whatever it subscribed to
// and however slowly it reads.
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "zzping/formats/stream/messages.hpp"
#include "zzping/formats/stream/server_session.hpp"
#include "zzping/stream_server/host_log.hpp"

namespace zzping::stream {

using HostLogs = std::map<std::string, HostLog, std::less<>>;

class Feed {
 public:
  // A feed for `request`, or the reason it is refused (unknown host, conflicting fields).
  static std::variant<Feed, std::string> create(const Subscribe& request, const HostLogs& logs,
                                                std::int64_t wall_now_ms);

  enum class PumpResult { Ok, Lagged };
  // Queues messages until session.outgoing_bytes() >= high_water_bytes or nothing is left.
  // Lagged: the client fell so far behind that the log dropped what it still needed.
  PumpResult pump(HostLogs& logs, ServerSession& session, std::size_t high_water_bytes,
                  std::int64_t now_ms);

  // A host appeared: a subscription to all hosts follows it from its first entry.
  void add_host_if_all(const std::string& host, const HostLogs& logs);
  void remove_host(std::string_view host);

  // Status messages go only to clients that are live for that host.
  bool is_live_for(std::string_view host) const;
  std::string lag_description() const;

 private:
  struct Cursor {
    std::string host;
    std::uint64_t next_seq = 0;
    bool caught_up = false;
  };
  // Sends one piece of `cursor`'s host; false when it had nothing to send.
  bool advance(Cursor& cursor, HostLog& log, ServerSession& session, std::int64_t now_ms);

  std::vector<Cursor> cursors_;
  bool all_hosts_ = false;
  std::size_t round_robin_ = 0;
  std::string lagged_host_;
};

}  // namespace zzping::stream
