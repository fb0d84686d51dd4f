#include "zzping/stream_server/feed.hpp"

namespace zzping::stream {

std::variant<Feed, std::string> Feed::create(const Subscribe& request, const HostLogs& logs,
                                             std::int64_t wall_now_ms) {
  if (request.since_ms && request.backfill_ms) {
    return std::string("subscribe: give since_ms or backfill_ms, not both");
  }
  std::vector<std::string> hosts = request.hosts;
  if (hosts.empty()) {
    for (const auto& [name, log] : logs) hosts.push_back(name);
  }
  std::optional<std::int64_t> since = request.since_ms;
  if (request.backfill_ms) {
    const auto span = static_cast<std::int64_t>(std::min<std::uint64_t>(*request.backfill_ms, INT64_MAX / 2));
    since = wall_now_ms - span;
  }
  Feed feed;
  feed.all_hosts_ = request.hosts.empty();
  for (const auto& host : hosts) {
    const auto it = logs.find(host);
    if (it == logs.end()) return "subscribe: unknown host '" + host + "'";
    const HostLog& log = it->second;
    const std::uint64_t start = since ? log.seq_at_or_after(*since) : log.end_seq();
    feed.cursors_.push_back(Cursor{host, start, false});
  }
  return feed;
}

Feed::PumpResult Feed::pump(HostLogs& logs, ServerSession& session, std::size_t high_water_bytes,
                            std::int64_t now_ms) {
  bool progress = true;
  while (progress && session.outgoing_bytes() < high_water_bytes && !session.closed()) {
    progress = false;
    for (std::size_t i = 0; i < cursors_.size(); ++i) {
      Cursor& cursor = cursors_[(round_robin_ + i) % cursors_.size()];
      const auto it = logs.find(cursor.host);
      if (it == logs.end()) continue;  // host removed by a reload: nothing more to send
      if (cursor.next_seq < it->second.begin_seq()) {
        lagged_host_ = cursor.host;
        return PumpResult::Lagged;
      }
      progress |= advance(cursor, it->second, session, now_ms);
    }
    round_robin_ = cursors_.empty() ? 0 : (round_robin_ + 1) % cursors_.size();
  }
  return PumpResult::Ok;
}

bool Feed::advance(Cursor& cursor, HostLog& log, ServerSession& session, std::int64_t now_ms) {
  if (cursor.next_seq < log.end_seq()) {
    const LogPiece piece = log.piece_from(cursor.next_seq);
    session.send_encoded(piece.bytes, now_ms);
    cursor.next_seq = piece.next_seq;
    return true;
  }
  if (!cursor.caught_up) {
    cursor.caught_up = true;
    session.send_caught_up(cursor.host, now_ms);
    return true;
  }
  return false;
}

void Feed::add_host_if_all(const std::string& host, const HostLogs& logs) {
  if (!all_hosts_) return;
  const auto it = logs.find(host);
  if (it == logs.end()) return;
  remove_host(host);
  cursors_.push_back(Cursor{host, it->second.begin_seq(), false});
}

void Feed::remove_host(std::string_view host) {
  std::erase_if(cursors_, [&](const Cursor& c) { return c.host == host; });
  round_robin_ = 0;
}

bool Feed::is_live_for(std::string_view host) const {
  for (const auto& c : cursors_) {
    if (c.host == host) return c.caught_up;
  }
  return false;
}

std::string Feed::lag_description() const {
  return "fell behind the backfill memory of host '" + lagged_host_ + "'";
}

}  // namespace zzping::stream
