// SPDX-License-Identifier: GPL-3.0-or-later
// Backfill older than the server's memory, read from the host's raw hour files (synthetic
// .zzf files in a temp data dir, as FileSink lays them out) and continued from memory:
// no duplicate, no gap at the seam, cut files used up to the cut, restart files merged.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "zzping/formats/native/block_seek.hpp"
#include "zzping/formats/native/file_format.hpp"
#include "zzping/formats/native/file_reader.hpp"
#include "zzping/formats/native/layout.hpp"
#include "zzping/formats/stream/client_session.hpp"
#include "zzping/stream_server/disk_backfill.hpp"
#include "zzping/stream_server/feed.hpp"
#include "temp_data_dir.hpp"

namespace zzping::stream {
namespace {

namespace fs = std::filesystem;
namespace native = zzping::native;

constexpr std::int64_t kHourMs = 3'600'000;
constexpr std::int64_t kHour0 = 1'700'000'000'000 / kHourMs * kHourMs;  // a UTC hour start

Frame frame_at(std::int64_t t_ms) {
  Frame f;
  f.t_ms = t_ms;
  f.sent = 10;
  f.recv = 9;
  f.lost = 1;
  for (int i = 0; i < 9; ++i) f.rtt.add_us(800.0 + static_cast<double>((t_ms / 100 * 7 + i * 13) % 400));
  return f;
}

std::vector<Frame> frames_between(std::int64_t from_ms, std::int64_t to_ms) {
  std::vector<Frame> out;
  for (std::int64_t t = from_ms; t < to_ms; t += 100) out.push_back(frame_at(t));
  return out;
}

// A Feed pumping into a ServerSession whose bytes go straight into a ClientSession.
class Harness {
 public:
  explicit Harness(const std::vector<std::string>& hosts = {"h"}) {
    for (const auto& host : hosts) logs_.try_emplace(host, host, LogLimits{});
  }
  HostLog& log(const std::string& host = "h") { return logs_.at(host); }

  void subscribe(const Subscribe& s, const fs::path& data_dir) {
    server_.feed(client_.take_outgoing(), 0);
    while (server_.poll()) {
    }
    std::vector<HostInfo> hosts;
    for (const auto& [name, log] : logs_) hosts.push_back(HostInfo{name, "10.0.0.1", 10, 100, 0.01});
    server_.send_hosts(hosts, 0);
    auto feed = Feed::create(s, logs_, 0, data_dir);
    ASSERT_TRUE(std::holds_alternative<Feed>(feed));
    feed_ = std::get<Feed>(std::move(feed));
  }
  // Pumps and delivers until nothing moves; counts the pumps that yielded.
  void run() {
    for (int i = 0; i < 100'000; ++i) {
      const auto r = feed_->pump(logs_, server_, 256 * 1024, 0);
      ASSERT_NE(r, Feed::PumpResult::Lagged);
      if (r == Feed::PumpResult::Yielded) ++yields;
      const bool moved = server_.outgoing_bytes() > 0;
      deliver();
      if (!moved && r == Feed::PumpResult::Ok) return;
    }
    FAIL() << "pumping never ended";
  }
  void deliver() {
    client_.feed(server_.take_outgoing(), 0);
    while (auto ev = client_.poll()) {
      if (auto* f = std::get_if<ReceivedFrames>(&*ev)) {
        auto& v = frames[f->host];
        v.insert(v.end(), f->frames.begin(), f->frames.end());
        if (f->backfill) backfill_frames[f->host] += f->frames.size();
      } else if (auto* e = std::get_if<EventMessage>(&*ev)) {
        events.push_back(e->event);
      } else if (auto* c = std::get_if<CaughtUp>(&*ev)) {
        caught_up.push_back(c->host);
      } else if (auto* d = std::get_if<Disconnected>(&*ev)) {
        ADD_FAILURE() << d->reason;
      }
    }
  }
  std::map<std::string, std::vector<Frame>> frames;
  std::map<std::string, std::size_t> backfill_frames;
  std::vector<LossEvent> events;
  std::vector<std::string> caught_up;
  int yields = 0;

 private:
  HostLogs logs_;
  ClientSession client_{ClientConfig{}, 0};
  ServerSession server_{ServerSessionConfig{}, 0};
  std::optional<Feed> feed_;
};

std::vector<std::int64_t> times_of(const std::vector<Frame>& frames) {
  std::vector<std::int64_t> t;
  for (const auto& f : frames) t.push_back(f.t_ms);
  return t;
}

// Files: hour 0 (first file + a restart file), hour 1 cut in its last record, overlapping
// the memory, which holds the last 40 minutes. A client asking since the start of hour 0
// gets every frame exactly once, in order, identical to the files, then live frames.
TEST(DiskBackfill, FilesThenMemoryWithoutDuplicateOrGapAtTheSeam) {
  TempDataDir dir;
  const auto first = frames_between(kHour0 + 60'000, kHour0 + 1'800'000);
  const auto restart = frames_between(kHour0 + 1'850'000, kHour0 + kHourMs);  // 50 s down
  const auto hour1 = frames_between(kHour0 + kHourMs, kHour0 + kHourMs + 1'500'000);
  const LossEvent burst{kHour0 + 61'000, kHour0 + 61'500, 5};
  dir.write("h", first, 0, std::span(&burst, 1));
  dir.write("h", restart, 1);
  const fs::path cut = dir.write("h", hour1, 0);
  fs::resize_file(cut, fs::file_size(cut) - 7);  // kill -9 in the middle of the last record
  const auto on_disk = native::read_native_file(cut).frames;
  ASSERT_EQ(on_disk.size(), hour1.size() - 10);  // the cut record is lost, the rest is read

  Harness h;
  // Memory: the newest 40 minutes (overlapping the last 20 minutes of hour 1's file).
  const std::int64_t memory_from = kHour0 + kHourMs + 300'000;
  for (const auto& f : frames_between(memory_from, kHour0 + kHourMs + 2'700'000)) h.log().append_frame(f);

  h.subscribe(Subscribe{{"h"}, kHour0, std::nullopt}, dir.path());
  h.run();
  std::vector<Frame> expected = first;
  expected.insert(expected.end(), restart.begin(), restart.end());
  for (const auto& f : frames_between(kHour0 + kHourMs, memory_from)) expected.push_back(f);
  const auto memory = frames_between(memory_from, kHour0 + kHourMs + 2'700'000);
  expected.insert(expected.end(), memory.begin(), memory.end());
  ASSERT_EQ(h.frames["h"].size(), expected.size());
  EXPECT_EQ(times_of(h.frames["h"]), times_of(expected));
  EXPECT_EQ(h.frames["h"], expected);  // histograms included
  EXPECT_EQ(h.caught_up, std::vector<std::string>{"h"});
  EXPECT_EQ(h.events, std::vector<LossEvent>{burst});
  EXPECT_GT(h.yields, 0);  // ~16000 frames of files: read over several loop turns

  // Live frames continue right after.
  h.log().append_frame(frame_at(kHour0 + kHourMs + 2'700'000));
  h.run();
  EXPECT_EQ(h.frames["h"].back().t_ms, kHour0 + kHourMs + 2'700'000);
  EXPECT_EQ(h.frames["h"].size(), expected.size() + 1);
}

// "since T" in the middle of a file starts exactly at T; the memory is still empty (the
// daemon just started): everything comes from the previous run's files, then live.
TEST(DiskBackfill, SinceInsideAFileAndNothingInMemoryYet) {
  TempDataDir dir;
  const auto previous_run = frames_between(kHour0, kHour0 + 600'000);
  dir.write("h", previous_run, 0);
  Harness h;
  const std::int64_t since = kHour0 + 300'050;  // between two frames
  h.subscribe(Subscribe{{"h"}, since, std::nullopt}, dir.path());
  h.run();
  ASSERT_EQ(h.frames["h"].size(), 2999u);
  EXPECT_EQ(h.frames["h"].front().t_ms, kHour0 + 300'100);
  EXPECT_EQ(h.caught_up.size(), 1u);
  h.log().append_frame(frame_at(kHour0 + 900'000));
  h.run();
  EXPECT_EQ(h.frames["h"].back().t_ms, kHour0 + 900'000);
  EXPECT_EQ(h.backfill_frames["h"], 2999u);
}

// Frames in memory older than `since` or a subscription entirely within memory never
// touch the disk; a host without files just continues in memory.
TEST(DiskBackfill, WithinMemoryOrWithoutFilesIsMemoryOnly) {
  TempDataDir dir;
  dir.write("h", frames_between(kHour0, kHour0 + 100'000), 0);  // must not be read
  Harness h;
  for (const auto& f : frames_between(kHour0 + 50'000, kHour0 + 200'000)) h.log().append_frame(f);
  h.subscribe(Subscribe{{"h"}, kHour0 + 60'000, std::nullopt}, dir.path());
  h.run();
  EXPECT_EQ(times_of(h.frames["h"]), times_of(frames_between(kHour0 + 60'000, kHour0 + 200'000)));

  Harness empty_disk;
  for (const auto& f : frames_between(kHour0 + 50'000, kHour0 + 60'000)) empty_disk.log().append_frame(f);
  empty_disk.subscribe(Subscribe{{"h"}, kHour0, std::nullopt}, dir.path() / "nothing-here");
  empty_disk.run();
  EXPECT_EQ(empty_disk.frames["h"].size(), 100u);
}

// The file list: only the host's raw files from the day of `since` on, in time order
// (restart files after their hour's first file), tiers and foreign names ignored; a
// damaged file is used up to the damage.
TEST(DiskBackfill, ListsFilesInTimeOrderAndSurvivesDamage) {
  TempDataDir dir;
  dir.write("h", frames_between(kHour0 - 48 * kHourMs, kHour0 - 48 * kHourMs + 1000), 0);  // 2 days before
  const fs::path damaged = dir.write("h", frames_between(kHour0, kHour0 + 5000), 0);
  dir.write("h", frames_between(kHour0 + 10'000, kHour0 + 11'000), 2);
  dir.write("h", frames_between(kHour0 + 6000, kHour0 + 7000), 1);
  fs::create_directories(native::layout::tier_dir(dir.path(), "h", native::Tier::kSecond));
  std::ofstream(damaged.parent_path() / "notes.txt") << "not a frame file";
  {  // flip a byte in the third record's body: its checksum fails
    std::fstream f(damaged, std::ios::in | std::ios::out | std::ios::binary);
    const auto size = static_cast<std::streamoff>(fs::file_size(damaged));
    f.seekp(size - 40);
    f.put('\x5a');
  }
  DiskBackfill disk(dir.path(), "h", kHour0 - kHourMs);
  EXPECT_EQ(disk.file_count(), 3u);
  DiskRecord record;
  std::vector<std::int64_t> times;
  while (disk.next(record)) {
    for (const auto& f : record.frames) times.push_back(f.t_ms);
  }
  ASSERT_FALSE(times.empty());
  EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
  EXPECT_EQ(times.front(), kHour0);
  EXPECT_LT(std::count_if(times.begin(), times.end(), [](auto t) { return t < kHour0 + 5000; }), 50);
  EXPECT_EQ(times.back(), kHour0 + 10'900);
  EXPECT_EQ(std::count(times.begin(), times.end(), kHour0 + 6000), 1);
}

// Format 1.2 files: a kind 4 burst comes with its cause, incident and path records come as
// they are (from since_ms on) and are never taken for frames; a kind 2 burst still comes,
// without cause.
TEST(DiskBackfill, AttributedBurstsComeWithTheirCauseAndSoDoIncidentsAndPaths) {
  TempDataDir dir;
  const auto frames = frames_between(kHour0, kHour0 + 2000);
  const fs::path p = dir.write("h", frames, 0, std::vector<LossEvent>{{kHour0 + 100, kHour0 + 300, 3}});
  {
    native::AttributedLossEvent burst{{kHour0 + 500, kHour0 + 700, 3}, attribution::Cause::upstream, "why", {"x"}, {"gw"}};
    std::vector<std::uint8_t> more;
    native::append_attributed_event_record(burst, more);
    native::append_incident_record({kHour0 + 500, kHour0 + 700, attribution::Cause::upstream, {"h", "x"}, 6, ""}, more);
    native::append_path_record({kHour0 + 550, PathTrigger::loss_burst, false, {{1, "192.0.2.1", 10}}, false}, more);
    native::append_incident_record({kHour0 + 10, kHour0 + 90, attribution::Cause::local, {"h"}, 2, ""}, more);
    native::append_path_record({kHour0 - 50, PathTrigger::start, true, {{1, "192.0.2.1", 10}}, false}, more);
    std::ofstream(p, std::ios::binary | std::ios::app)
        .write(reinterpret_cast<const char*>(more.data()), static_cast<std::streamsize>(more.size()));
  }
  DiskBackfill disk(dir.path(), "h", kHour0 + 100);
  DiskRecord record;
  std::vector<EventMessage> events;
  std::vector<attribution::Incident> incidents;
  std::vector<PathSnapshot> paths;
  std::size_t frame_count = 0;
  while (disk.next(record)) {
    frame_count += record.frames.size();
    events.insert(events.end(), record.events.begin(), record.events.end());
    incidents.insert(incidents.end(), record.incidents.begin(), record.incidents.end());
    paths.insert(paths.end(), record.paths.begin(), record.paths.end());
  }
  EXPECT_EQ(frame_count, frames.size() - 1) << "from since_ms on";
  ASSERT_EQ(incidents.size(), 1u) << "the one ending before since_ms is left out";
  EXPECT_EQ(incidents[0].targets, (std::vector<std::string>{"h", "x"}));
  EXPECT_EQ(incidents[0].probes_lost, 6u);
  ASSERT_EQ(paths.size(), 1u) << "the one taken before since_ms is left out";
  EXPECT_EQ(paths[0].t_ms, kHour0 + 550);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_FALSE(events[0].cause.has_value());
  EXPECT_EQ(events[0].host, "h");
  ASSERT_TRUE(events[1].cause.has_value());
  EXPECT_EQ(*events[1].cause, attribution::Cause::upstream);
  EXPECT_EQ(events[1].answered, std::vector<std::string>{"gw"});
  EXPECT_EQ(events[1].event, (LossEvent{kHour0 + 500, kHour0 + 700, 3}));
}

std::vector<std::int64_t> backfill_times(DiskBackfill& disk) {
  DiskRecord record;
  std::vector<std::int64_t> times;
  while (disk.next(record)) {
    for (const auto& f : record.frames) times.push_back(f.t_ms);
  }
  return times;
}

// The server's index cache: a second backfill of a file reads only its header and its part
// from a minute before since on (DiskBackfill::kRecordLagMs), also after the file grew; a
// file replaced under the same name (another inode, or the same inode with other bytes) is
// read and indexed anew.
TEST(DiskBackfill, ASharedIndexReadsOnlyTheTailAndFollowsTheFileAsItGrows) {
  TempDataDir dir;
  const auto cache = std::make_shared<BlockIndexCache>();
  constexpr std::int64_t kMin = 60'000;
  const fs::path p = dir.write("h", frames_between(kHour0, kHour0 + 30 * kMin), 0);
  const auto size = fs::file_size(p);
  const std::int64_t since = kHour0 + 29 * kMin;  // the last minute
  {
    DiskBackfill first(dir.path(), "h", since, cache);
    EXPECT_EQ(backfill_times(first), times_of(frames_between(since, kHour0 + 30 * kMin)));
    // Not indexed yet: found by bisection (the header, a few 4 kB windows, then the tail).
    EXPECT_LT(first.bytes_read(), size / 2);
  }
  {
    DiskBackfill second(dir.path(), "h", since + 250, cache);
    EXPECT_EQ(backfill_times(second), times_of(frames_between(since + 300, kHour0 + 30 * kMin)));
    EXPECT_LT(second.bytes_read(), size / 10);  // about 2 of 30 minutes
  }
  {  // the file grows by two minutes (whole records, as FileSink appends them)
    native::FileHeader header;
    header.host = "h";
    header.start_ms = kHour0;
    std::vector<std::uint8_t> more;
    const auto later = frames_between(kHour0 + 30 * kMin, kHour0 + 32 * kMin);
    for (std::size_t i = 0; i < later.size(); i += 10) {
      native::append_frame_record(std::span(later).subspan(i, 10), header, more);
    }
    std::ofstream(p, std::ios::binary | std::ios::app)
        .write(reinterpret_cast<const char*>(more.data()), static_cast<std::streamsize>(more.size()));
  }
  const auto grown = fs::file_size(p);
  {
    DiskBackfill third(dir.path(), "h", since, cache);
    EXPECT_EQ(backfill_times(third), times_of(frames_between(since, kHour0 + 32 * kMin)));
    EXPECT_LT(third.bytes_read(), grown / 6);  // about 4 of 32 minutes
  }
  {
    DiskBackfill fourth(dir.path(), "h", kHour0 + 31 * kMin + 40'000, cache);
    EXPECT_EQ(backfill_times(fourth), times_of(frames_between(kHour0 + 31 * kMin + 40'000, kHour0 + 32 * kMin)));
    EXPECT_LT(fourth.bytes_read(), grown / 12);
  }
  // Replaced: a new file of other frames (longer, so the old index's offsets are in range).
  fs::remove(p);
  dir.write("h", frames_between(kHour0 + 3000, kHour0 + 40 * kMin + 3000), 0);
  {
    DiskBackfill fifth(dir.path(), "h", since, cache);
    EXPECT_EQ(backfill_times(fifth), times_of(frames_between(since, kHour0 + 40 * kMin + 3000)));
  }
  {
    DiskBackfill sixth(dir.path(), "h", since, cache);
    EXPECT_EQ(backfill_times(sixth), times_of(frames_between(since, kHour0 + 40 * kMin + 3000)));
    EXPECT_LT(sixth.bytes_read(), fs::file_size(p) / 2);
  }
  EXPECT_EQ(cache->size(), 1u);
}

// An incident dated after since, but written (as zzpingd does, when it is emitted) before
// the frame block holding since: an indexed backfill still returns it, since reading starts
// a minute before since; one written more than a minute before since is not returned,
// and an incident that ended before since is filtered out as always.
TEST(DiskBackfill, EvidenceWrittenBeforeTheBlockHoldingSinceIsStillBackfilled) {
  TempDataDir dir;
  const auto cache = std::make_shared<BlockIndexCache>();
  native::FileHeader header;
  header.host = "h";
  header.start_ms = kHour0;
  std::vector<std::uint8_t> bytes = native::encode_header(header);
  const auto frames = frames_between(kHour0, kHour0 + 600'000);
  const std::int64_t since = kHour0 + 300'500;
  for (std::size_t i = 0; i < frames.size(); i += 10) {
    // Written while the block of [since - 2.5 s, since - 1.5 s) is the last one out.
    if (frames[i].t_ms == since - 1'500) {
      native::append_incident_record({since + 100, since + 200, attribution::Cause::upstream, {"h"}, 3, ""}, bytes);
      native::append_incident_record({since - 900, since - 800, attribution::Cause::local, {"h"}, 2, ""}, bytes);
    }
    native::append_frame_record(std::span(frames).subspan(i, 10), header, bytes);
  }
  const fs::path p = native::layout::raw_file(dir.path(), "h", kHour0, 0);
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                           static_cast<std::streamsize>(bytes.size()));
  for (int pass = 0; pass < 2; ++pass) {  // the first reads the file whole, the second its tail
    DiskBackfill disk(dir.path(), "h", since, cache);
    DiskRecord record;
    std::vector<attribution::Incident> incidents;
    std::size_t frame_count = 0;
    while (disk.next(record)) {
      frame_count += record.frames.size();
      incidents.insert(incidents.end(), record.incidents.begin(), record.incidents.end());
    }
    EXPECT_EQ(frame_count, 2995u) << "pass " << pass;
    ASSERT_EQ(incidents.size(), 1u) << "pass " << pass;
    EXPECT_EQ(incidents[0].start_ms, since + 100);
    if (pass == 1) {
      EXPECT_LT(disk.bytes_read(), bytes.size() * 2 / 3);  // from minute 4 of 10 on
    }
  }
}

// The first backfill of a file (a fresh cache, as after a daemon start) reads about as many
// bytes at minute 55 of an hour as at minute 10, the last 5 minutes asked each time: the
// block a minute before since is found by bisection, not by reading the file from its start.
TEST(DiskBackfill, TheFirstBackfillOfAFileReadsAsMuchAtMinute55AsAtMinute10) {
  constexpr std::int64_t kMin = 60'000;
  std::map<int, std::size_t> bytes_read;
  std::map<int, std::uintmax_t> file_size;
  for (const int minute : {10, 55}) {
    TempDataDir dir;
    const fs::path p = dir.write("h", frames_between(kHour0, kHour0 + minute * kMin), 0);
    file_size[minute] = fs::file_size(p);
    const std::int64_t since = kHour0 + (minute - 5) * kMin;
    DiskBackfill disk(dir.path(), "h", since, std::make_shared<BlockIndexCache>());
    EXPECT_EQ(backfill_times(disk), times_of(frames_between(since, kHour0 + minute * kMin))) << minute;
    bytes_read[minute] = disk.bytes_read();
  }
  // A few more probe windows (their count grows with log2 of the size), not 45 more minutes.
  EXPECT_LE(bytes_read[55], bytes_read[10] + 5 * native::SeekLimits{}.window) << bytes_read[10];
  EXPECT_LT(bytes_read[55], file_size[55] / 3);
  EXPECT_GT(file_size[55] - file_size[10], 10 * native::SeekLimits{}.window);
}

// The first backfill of a damaged file: garbage over a stretch before since is stepped over
// (every frame from since on comes, exactly); garbage after since ends the file there with a
// warning, every frame before it exact; a file cut in its last record or ending in zeros (a
// write lost at power loss) gives every whole block. Never a hang, never a wrong frame.
TEST(DiskBackfill, TheFirstBackfillOfADamagedOrCutFileGivesOnlyTrueFrames) {
  constexpr std::int64_t kMin = 60'000;
  TempDataDir dir;
  const auto all = frames_between(kHour0, kHour0 + 60 * kMin);
  const fs::path p = dir.write("h", all, 0);
  std::vector<std::uint8_t> intact(fs::file_size(p));
  std::ifstream(p, std::ios::binary).read(reinterpret_cast<char*>(intact.data()), static_cast<std::streamsize>(intact.size()));
  const auto rewrite = [&](const std::vector<std::uint8_t>& bytes) {
    fs::remove(p);  // a new inode, as a new file would be
    std::ofstream(p, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  };
  const auto first_backfill = [&](std::int64_t since) {
    DiskBackfill disk(dir.path(), "h", since, std::make_shared<BlockIndexCache>());
    return backfill_times(disk);
  };
  const auto is_prefix_of_since = [&](const std::vector<std::int64_t>& got, std::int64_t since) {
    const auto want = times_of(frames_between(since, kHour0 + 60 * kMin));
    return got.size() <= want.size() && std::equal(got.begin(), got.end(), want.begin());
  };
  const std::size_t half = intact.size() / 2;  // about minute 30
  for (const std::uint8_t fill : {std::uint8_t{0x00}, std::uint8_t{0xc8}, std::uint8_t{0x5a}}) {
    auto bytes = intact;
    std::fill(bytes.begin() + static_cast<std::ptrdiff_t>(half), bytes.begin() + static_cast<std::ptrdiff_t>(half + 5000), fill);
    rewrite(bytes);
    EXPECT_EQ(first_backfill(kHour0 + 55 * kMin), times_of(frames_between(kHour0 + 55 * kMin, kHour0 + 60 * kMin)));
    const auto cut_by_damage = first_backfill(kHour0 + 29 * kMin);
    EXPECT_TRUE(is_prefix_of_since(cut_by_damage, kHour0 + 29 * kMin));
    EXPECT_GT(cut_by_damage.size(), 0u);
    EXPECT_LT(cut_by_damage.size(), times_of(frames_between(kHour0 + 29 * kMin, kHour0 + 60 * kMin)).size());
  }
  rewrite(std::vector<std::uint8_t>(intact.begin(), intact.end() - 7));  // cut in the last record
  EXPECT_EQ(first_backfill(kHour0 + 55 * kMin), times_of(frames_between(kHour0 + 55 * kMin, kHour0 + 60 * kMin - 1000)));
  auto zero_tail = intact;
  std::fill(zero_tail.end() - 1000, zero_tail.end(), std::uint8_t{0});  // ~20 blocks
  rewrite(zero_tail);
  const auto before_zeros = first_backfill(kHour0 + 55 * kMin);
  EXPECT_TRUE(is_prefix_of_since(before_zeros, kHour0 + 55 * kMin));
  EXPECT_GT(before_zeros.size(), 2500u);
  rewrite(std::vector<std::uint8_t>(intact.begin(), intact.begin() + 20));  // cut in the header
  EXPECT_TRUE(first_backfill(kHour0 + 55 * kMin).empty());
}

// Blocks out of time order (a wall clock stepped back): the bisection sees it, so the file
// is read whole and gives what reading it from its start gives (the first frames from since
// on in file order, never going back in time).
TEST(DiskBackfill, AFileWithBlocksOutOfTimeOrderIsReadWhole) {
  TempDataDir dir;
  std::vector<Frame> backwards;
  for (std::int64_t s = 599; s >= 0; --s) {
    const auto block = frames_between(kHour0 + s * 1000, kHour0 + s * 1000 + 1000);
    backwards.insert(backwards.end(), block.begin(), block.end());
  }
  const fs::path p = dir.write("h", backwards, 0);
  const auto cache = std::make_shared<BlockIndexCache>();
  for (int pass = 0; pass < 2; ++pass) {
    DiskBackfill disk(dir.path(), "h", kHour0 + 300'000, cache);
    EXPECT_EQ(backfill_times(disk), times_of(frames_between(kHour0 + 599'000, kHour0 + 600'000))) << pass;
    EXPECT_EQ(disk.bytes_read() >= fs::file_size(p), true) << pass;
  }
}

// Several hosts (one with a name that needs escaping in its folder): each gets its own
// files, then its own memory.
TEST(DiskBackfill, EveryHostGetsItsOwnFiles) {
  TempDataDir dir;
  dir.write("a", frames_between(kHour0, kHour0 + 100'000), 0);
  dir.write("b/c", frames_between(kHour0 + 1000, kHour0 + 50'000), 0);
  Harness h({"a", "b/c"});
  h.log("a").append_frame(frame_at(kHour0 + 100'000));
  h.log("b/c").append_frame(frame_at(kHour0 + 50'000));
  h.subscribe(Subscribe{{"a", "b/c"}, kHour0, std::nullopt}, dir.path());
  h.run();
  EXPECT_EQ(times_of(h.frames["a"]), times_of(frames_between(kHour0, kHour0 + 100'100)));
  EXPECT_EQ(times_of(h.frames["b/c"]), times_of(frames_between(kHour0 + 1000, kHour0 + 50'100)));
  EXPECT_EQ(h.caught_up.size(), 2u);
}

}  // namespace
}  // namespace zzping::stream
