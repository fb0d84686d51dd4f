// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What one subscribed client still has to receive: a cursor per host into the host logs.
// pump() copies ready-made messages into the client's session until its queue reaches the
// high-water mark, so a client's memory is bounded by the mark, whatever it subscribed to
// and however slowly it reads.
//
// A backfill reaching further back than a host's memory starts on disk (DiskBackfill): the
// host's files are sent up to the oldest frame the memory holds at that moment (the seam),
// then the cursor continues in memory right after the last frame sent, so no frame is sent
// twice or skipped. One host's files are read at a time per client.
//
// Incidents and path snapshots of a backfill (docs/protocol.md) come from the files as they
// are read, and from the server's EvidenceLog when the host catches up (just before its
// caught_up); each once per client, though an incident is in every target's file and may
// be in memory too.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "zzping/formats/stream/messages.hpp"
#include "zzping/formats/stream/server_session.hpp"
#include "zzping/stream_server/disk_backfill.hpp"
#include "zzping/stream_server/evidence_log.hpp"
#include "zzping/stream_server/host_log.hpp"

namespace zzping::stream {

using HostLogs = std::map<std::string, HostLog, std::less<>>;

class Feed {
 public:
  // A feed for `request`, or the reason it is refused (unknown host, conflicting fields).
  // `data_dir`: where older frames are read from (empty: memory only); `evidence`: the
  // recent incidents and paths a backfill includes (null: none from memory).
  static std::variant<Feed, std::string> create(const Subscribe& request, const HostLogs& logs,
                                                std::int64_t wall_now_ms,
                                                const std::filesystem::path& data_dir = {},
                                                const EvidenceLog* evidence = nullptr);

  // Records read from disk per pump() call, at most: bounds the time one call holds the
  // daemon's loop (about 10 frames per record at the default settings).
  static constexpr std::size_t kDiskRecordsPerPump = 200;

  enum class PumpResult { Ok, Lagged, Yielded };
  // Queues messages until session.outgoing_bytes() >= high_water_bytes or nothing is left.
  // Lagged: the client fell so far behind that the log dropped what it still needed.
  // Yielded: it stopped after kDiskRecordsPerPump records with more on disk; call again.
  PumpResult pump(HostLogs& logs, ServerSession& session, std::size_t high_water_bytes,
                  std::int64_t now_ms);

  // A host appeared: a subscription to all hosts follows it from its first entry.
  void add_host_if_all(const std::string& host, const HostLogs& logs);
  void remove_host(std::string_view host);

  // Status messages go only to clients that are live for that host.
  bool is_live_for(std::string_view host) const;
  // A live incident is sent to this client (live on one of its targets): remembered while
  // another of its targets is still in backfill, whose catch-up must not send it again.
  void note_live(const attribution::Incident& incident);
  std::string lag_description() const;

 private:
  struct Cursor {
    std::string host;
    std::uint64_t next_seq = 0;
    bool caught_up = false;
    std::unique_ptr<DiskBackfill> disk;  // set while the files come first
    std::int64_t since_ms = 0;
    std::optional<std::int64_t> last_disk_frame_ms;
    bool evidence = false;  // a backfill: incidents and paths since since_ms come too
  };
  // Sends one piece of `cursor`'s host; false when it had nothing to send.
  bool advance(Cursor& cursor, HostLog& log, ServerSession& session, std::int64_t now_ms);
  // Sends up to `budget` records of the files (counting them down), or switches to memory.
  void advance_on_disk(Cursor& cursor, HostLog& log, ServerSession& session, std::int64_t now_ms,
                       std::size_t& budget);
  void continue_in_memory(Cursor& cursor, const HostLog& log);
  bool may_read_disk(const Cursor& cursor) const;
  // Sends an incident / a path unless this client had it already.
  void send_once(const attribution::Incident& incident, ServerSession& session, std::int64_t now_ms);
  void send_once(const std::string& host, const PathSnapshot& path, ServerSession& session, std::int64_t now_ms);
  void send_remembered_evidence(const Cursor& cursor, ServerSession& session, std::int64_t now_ms);

  std::vector<Cursor> cursors_;
  bool all_hosts_ = false;
  std::size_t round_robin_ = 0;
  std::string lagged_host_;
  const EvidenceLog* evidence_ = nullptr;
  std::set<std::string> sent_evidence_;  // evidence_key()s; emptied once every host is live
};

}  // namespace zzping::stream
