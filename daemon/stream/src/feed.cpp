// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/stream_server/feed.hpp"

#include "zzping/formats/native/block_codec.hpp"
#include "zzping/formats/stream/frame_payload.hpp"

#include <algorithm>

namespace zzping::stream {

std::variant<Feed, std::string> Feed::create(const Subscribe& request, const HostLogs& logs,
                                             std::int64_t wall_now_ms,
                                             const std::filesystem::path& data_dir,
                                             const EvidenceLog* evidence) {
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
  feed.evidence_ = evidence;
  for (const auto& host : hosts) {
    const auto it = logs.find(host);
    if (it == logs.end()) return "subscribe: unknown host '" + host + "'";
    const HostLog& log = it->second;
    const std::uint64_t start = since ? log.seq_at_or_after(*since) : log.end_seq();
    Cursor cursor{host, start, false, nullptr, since.value_or(0), std::nullopt, since.has_value()};
    const auto oldest = log.first_frame_ms();
    if (since && !data_dir.empty() && (!oldest || *since < *oldest)) {
      cursor.disk = std::make_unique<DiskBackfill>(data_dir, host, *since);
    }
    feed.cursors_.push_back(std::move(cursor));
  }
  return feed;
}

Feed::PumpResult Feed::pump(HostLogs& logs, ServerSession& session, std::size_t high_water_bytes,
                            std::int64_t now_ms) {
  bool progress = true;
  std::size_t disk_budget = kDiskRecordsPerPump;
  while (progress && session.outgoing_bytes() < high_water_bytes && !session.closed()) {
    progress = false;
    for (std::size_t i = 0; i < cursors_.size(); ++i) {
      Cursor& cursor = cursors_[(round_robin_ + i) % cursors_.size()];
      const auto it = logs.find(cursor.host);
      if (it == logs.end()) continue;  // host removed by a reload: nothing more to send
      if (cursor.disk) {
        if (disk_budget == 0) return PumpResult::Yielded;
        if (!may_read_disk(cursor)) continue;
        advance_on_disk(cursor, it->second, session, now_ms, disk_budget);
        progress = true;
        continue;
      }
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

// One host's files at a time (the first in subscription order), so a client holds at most
// one file's bytes however many hosts it asked for.
bool Feed::may_read_disk(const Cursor& cursor) const {
  for (const Cursor& c : cursors_) {
    if (c.disk) return &c == &cursor;
  }
  return false;
}

void Feed::advance_on_disk(Cursor& cursor, HostLog& log, ServerSession& session,
                           std::int64_t now_ms, std::size_t& budget) {
  // The seam: memory holds every frame from its oldest on; the files are read up to it.
  const std::optional<std::int64_t> seam = log.first_frame_ms();
  std::vector<Frame> batch;
  const auto send_batch = [&] {
    if (batch.empty()) return;
    session.send_frames(cursor.host, encode_frame_payload(batch), now_ms, encode_frame_jitter(batch));
    cursor.last_disk_frame_ms = batch.back().t_ms;
    batch.clear();
  };
  DiskRecord record;
  bool reached_memory = false;
  // A handful of records per call: one message of up to ~1000 frames, then the other hosts
  // and the queue bound get their turn.
  for (std::size_t n = 0; n < 100 && budget > 0 && !reached_memory; ++n) {
    --budget;
    if (!cursor.disk->next(record)) {
      reached_memory = true;
      break;
    }
    for (EventMessage& event : record.events) {
      if (seam && event.event.start_ms >= *seam) continue;  // the memory holds it
      send_batch();
      session.send_event(std::move(event), now_ms);
    }
    if (!record.incidents.empty() || !record.paths.empty()) send_batch();
    for (const auto& incident : record.incidents) send_once(incident, session, now_ms);
    for (const auto& path : record.paths) send_once(cursor.host, path, session, now_ms);
    for (Frame& frame : record.frames) {
      if (seam && frame.t_ms >= *seam) {
        reached_memory = true;
        break;
      }
      batch.push_back(std::move(frame));
      if (batch.size() == native::kMaxFramesPerBlock) send_batch();
    }
  }
  send_batch();
  if (reached_memory) continue_in_memory(cursor, log);
}

void Feed::continue_in_memory(Cursor& cursor, const HostLog& log) {
  const std::int64_t from = cursor.last_disk_frame_ms ? *cursor.last_disk_frame_ms + 1 : cursor.since_ms;
  cursor.next_seq = log.seq_at_or_after(from);
  cursor.disk.reset();
}

bool Feed::advance(Cursor& cursor, HostLog& log, ServerSession& session, std::int64_t now_ms) {
  if (cursor.next_seq < log.end_seq()) {
    const LogPiece piece = log.piece_from(cursor.next_seq);
    session.send_encoded(piece.bytes, now_ms);
    cursor.next_seq = piece.next_seq;
    return true;
  }
  if (!cursor.caught_up) {
    send_remembered_evidence(cursor, session, now_ms);
    cursor.caught_up = true;
    session.send_caught_up(cursor.host, now_ms);
    if (std::all_of(cursors_.begin(), cursors_.end(), [](const Cursor& c) { return c.caught_up; })) {
      sent_evidence_.clear();  // nothing left to repeat: live messages go to live hosts only
    }
    return true;
  }
  return false;
}

void Feed::send_remembered_evidence(const Cursor& cursor, ServerSession& session, std::int64_t now_ms) {
  if (!cursor.evidence || evidence_ == nullptr) return;
  for (const auto& incident : evidence_->incidents_of(cursor.host, cursor.since_ms)) send_once(incident, session, now_ms);
  for (const auto& path : evidence_->paths_of(cursor.host, cursor.since_ms)) send_once(cursor.host, path, session, now_ms);
}

void Feed::send_once(const attribution::Incident& incident, ServerSession& session, std::int64_t now_ms) {
  if (sent_evidence_.insert(evidence_key(incident)).second) session.send_incident(incident, now_ms);
}

void Feed::send_once(const std::string& host, const PathSnapshot& path, ServerSession& session, std::int64_t now_ms) {
  if (sent_evidence_.insert(evidence_key(host, path)).second) session.send_path(host, path, now_ms);
}

void Feed::note_live(const attribution::Incident& incident) {
  const bool backfilling = std::any_of(cursors_.begin(), cursors_.end(), [](const Cursor& c) { return !c.caught_up; });
  if (backfilling) sent_evidence_.insert(evidence_key(incident));
}

void Feed::add_host_if_all(const std::string& host, const HostLogs& logs) {
  if (!all_hosts_) return;
  const auto it = logs.find(host);
  if (it == logs.end()) return;
  remove_host(host);
  cursors_.push_back(Cursor{host, it->second.begin_seq(), false, nullptr, 0, std::nullopt, false});
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
