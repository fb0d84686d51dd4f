// SPDX-License-Identifier: GPL-3.0-or-later
// FileSink: the native files zzpingd writes (hourly raw files, tiers, flushing, restarts,
// disk errors), read back with the native reader.
#include "zzping/daemon/file_sink.hpp"

#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <random>

#include "zzping/formats/native/file_reader.hpp"
#include "zzping/formats/native/layout.hpp"
#include "zzping/formats/native/tiers.hpp"

#include "temp_dir.hpp"
#include "prerequisite.hpp"

namespace zzping::daemon {
namespace {

namespace fs = std::filesystem;
namespace layout = native::layout;
using native::Tier;

constexpr double kPrecision = 0.01;
// 2021-03-04T10:59:58Z: two seconds before an hour boundary.
constexpr std::int64_t kBeforeHour = 1614855598000;

using zzping::test_support::TempDir;

HostInfo host_info(const std::string& name = "h1") {
  HostInfo host;
  host.name = name;
  host.address = "127.0.0.1";
  host.rate = 100;
  host.frame_ms = 100;
  host.precision = kPrecision;
  return host;
}

// A frame of 10 probes with RTTs drawn from `random` (some lost).
Frame random_frame(std::int64_t t_ms, std::mt19937& random) {
  Frame frame;
  frame.t_ms = t_ms;
  frame.length_ms = 100;
  frame.rtt = RttHistogram(RttQuantiser(kPrecision));
  frame.sent = 10;
  frame.lost = static_cast<std::uint32_t>(random() % 3);
  frame.recv = frame.sent - frame.lost;
  frame.dup = static_cast<std::uint32_t>(random() % 2);
  frame.inflight = static_cast<std::uint32_t>(random() % 4);
  std::lognormal_distribution<double> rtt_us(6.0, 0.5);
  for (std::uint32_t i = 0; i < frame.recv; ++i) frame.rtt.add_us(rtt_us(random));
  return frame;
}

std::vector<Frame> frames_from(std::int64_t start_ms, std::size_t count, unsigned seed = 1) {
  std::mt19937 random(seed);
  std::vector<Frame> frames;
  for (std::size_t i = 0; i < count; ++i) {
    frames.push_back(random_frame(start_ms + static_cast<std::int64_t>(i) * 100, random));
  }
  return frames;
}

std::vector<std::uint8_t> file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::size_t record_count(const fs::path& path) {
  native::FileReader file(path);
  native::StreamReader reader = file.stream();
  native::Record record;
  std::size_t count = 0;
  while (reader.next(record)) ++count;
  EXPECT_EQ(reader.end().kind, native::EndKind::kEof) << reader.end().message;
  return count;
}

// Reads a file that must end cleanly after its last record.
native::NativeFile read_clean(const fs::path& path) {
  native::NativeFile file = native::read_native_file(path);
  EXPECT_TRUE(file.header.has_value()) << path;
  EXPECT_EQ(file.end.kind, native::EndKind::kEof) << path << ": " << file.end.message;
  return file;
}

struct FakeClock {
  std::int64_t now = 1'000'000;
  std::function<std::int64_t()> function() {
    return [this] { return now; };
  }
};

FileSinkOptions options_for(const fs::path& dir, FakeClock& clock) {
  FileSinkOptions options;
  options.data_dir = dir;
  options.monotonic_ms = clock.function();
  return options;
}

// Expected tier frames, computed independently of TierAggregator: merge every frame into
// the bucket of its start time.
std::map<std::int64_t, Frame> merged_buckets(const std::vector<Frame>& frames, std::uint32_t length_ms) {
  std::map<std::int64_t, Frame> buckets;
  for (const Frame& frame : frames) {
    const std::int64_t start = frame.t_ms / length_ms * length_ms;
    const auto [it, fresh] = buckets.try_emplace(start, frame);
    if (!fresh) merge_into(it->second, frame);
    it->second.t_ms = start;
    it->second.length_ms = length_ms;
  }
  return buckets;
}

std::vector<Frame> values(const std::map<std::int64_t, Frame>& buckets) {
  std::vector<Frame> out;
  for (const auto& [start, frame] : buckets) out.push_back(frame);
  return out;
}

TEST(FileSink, WritesHeaderAndOneRecordPerFlush) {
  TempDir dir;
  FakeClock clock;
  const HostInfo host = host_info();
  const std::vector<Frame> frames = frames_from(kBeforeHour - 60'000, 20);
  const fs::path raw = layout::raw_file(dir.path(), host.name, frames[0].t_ms);
  {
    FileSink sink(options_for(dir.path(), clock));
    for (std::size_t i = 0; i < 10; ++i) sink.on_frame(host, frames[i]);
    EXPECT_FALSE(fs::exists(raw)) << "nothing is written before the flush";
    sink.flush();
    EXPECT_EQ(record_count(raw), 1u);
    for (std::size_t i = 10; i < 20; ++i) sink.on_frame(host, frames[i]);
    sink.on_event(host, LossEvent{frames[12].t_ms, frames[13].t_ms, 4});
    sink.flush();
    EXPECT_EQ(record_count(raw), 2u) << "one frame record more; on_event writes nothing";
    sink.on_burst_attributed(host, {{host.name, frames[12].t_ms, frames[13].t_ms, 4},
                                    {attribution::Cause::destination, "others answered", {}, {"h2"}}});
    sink.flush();
    EXPECT_EQ(record_count(raw), 3u) << "the attributed burst";
    sink.on_host_removed(host);
  }
  const native::NativeFile file = read_clean(raw);
  const native::FileHeader& header = *file.header;
  EXPECT_EQ(header.host, "h1");
  EXPECT_EQ(header.address, "127.0.0.1");
  EXPECT_EQ(header.frame_ms, 100u);
  EXPECT_DOUBLE_EQ(header.precision, kPrecision);
  EXPECT_EQ(header.software, std::string("zzpingd ") + ZZPING_VERSION);
  EXPECT_EQ(header.source, native::source::kDaemon);
  EXPECT_EQ(header.start_ms, frames[0].t_ms);
  EXPECT_EQ(header.tier_ms, 0u);
  EXPECT_EQ(header.counters, native::kAllCounters);
  EXPECT_EQ(header.role, attribution::Role::internet);
  EXPECT_EQ(file.frames, frames);
  ASSERT_EQ(file.events.size(), 1u);
  EXPECT_EQ(file.events[0], (LossEvent{frames[12].t_ms, frames[13].t_ms, 4}));
  ASSERT_EQ(file.attributed.size(), 1u);
  EXPECT_EQ(file.attributed[0].cause, attribution::Cause::destination);
  EXPECT_EQ(file.attributed[0].answered, std::vector<std::string>{"h2"});
}

// Since format 1.2: the header's role and probe timeout (raw and tier files), the attributed burst instead of
// the plain event, the incident in the raw file of every target hit this sink has, the path.
TEST(FileSink, WritesRoleAttributedBurstsIncidentsAndPaths) {
  TempDir dir;
  FakeClock clock;
  HostInfo gw = host_info("gw");
  gw.role = attribution::Role::gateway;
  gw.timeout_ms = 750;  // the configured probe timeout; "one" and "two" leave it unknown (0)
  HostInfo one = host_info("one");
  HostInfo two = host_info("two");
  two.role = attribution::Role::isp;
  const std::vector<Frame> frames = frames_from(kBeforeHour - 60'000, 30);
  const attribution::AttributedBurst burst{{"one", frames[3].t_ms, frames[5].t_ms, 6},
                                           {attribution::Cause::local, "the gateway lost too", {"gw"}, {}}};
  const attribution::Incident incident{frames[3].t_ms, frames[6].t_ms, attribution::Cause::local,
                                       {"elsewhere", "gw", "one"}, 9, "192.0.2.1"};
  const PathSnapshot path{frames[4].t_ms, PathTrigger::loss_burst, false,
                          {{1, "192.0.2.1", 500}, {2, "", std::nullopt}}, true};
  {
    FileSink sink(options_for(dir.path(), clock));
    for (const Frame& frame : frames) {
      for (const HostInfo* host : {&gw, &one, &two}) sink.on_frame(*host, frame);
    }
    sink.on_event(one, LossEvent{burst.burst.start_ms, burst.burst.end_ms, 6});
    sink.on_path(one, path);
    sink.on_burst_attributed(one, burst);
    sink.on_incident(incident);
    // The sink is stopped as the daemon stops it: hosts removed, then flushed.
    for (const HostInfo* host : {&gw, &one, &two}) sink.on_host_removed(*host);
    sink.flush();
  }
  auto raw = [&](const std::string& name) { return read_clean(layout::raw_file(dir.path(), name, frames[0].t_ms)); };
  const native::NativeFile gw_file = raw("gw");
  const native::NativeFile one_file = raw("one");
  const native::NativeFile two_file = raw("two");
  EXPECT_EQ(gw_file.header->role, attribution::Role::gateway);
  EXPECT_EQ(one_file.header->role, attribution::Role::internet);
  EXPECT_EQ(two_file.header->role, attribution::Role::isp);
  const native::NativeFile tier = read_clean(layout::tier_file(dir.path(), "gw", Tier::kSecond, frames[0].t_ms));
  EXPECT_EQ(tier.header->role, attribution::Role::gateway);
  EXPECT_EQ(gw_file.header->timeout_ms, 750u);
  EXPECT_EQ(tier.header->timeout_ms, 750u) << "tier files carry the timeout along";
  EXPECT_FALSE(one_file.header->timeout_ms.has_value()) << "an unknown timeout is not written";
  // one: its burst (kind 4 only, no kind 2), its path, the incident.
  ASSERT_EQ(one_file.attributed.size(), 1u);
  EXPECT_EQ(one_file.attributed[0], native::to_record(burst));
  ASSERT_EQ(one_file.events.size(), 1u);
  EXPECT_EQ(one_file.events[0], (LossEvent{burst.burst.start_ms, burst.burst.end_ms, 6}));
  ASSERT_EQ(one_file.paths.size(), 1u);
  EXPECT_EQ(one_file.paths[0], path);
  ASSERT_EQ(one_file.incidents.size(), 1u);
  EXPECT_TRUE(native::same_incident(one_file.incidents[0], incident));
  // gw: the incident only; two (not hit): nothing; "elsewhere" (not a host here): no folder.
  ASSERT_EQ(gw_file.incidents.size(), 1u);
  EXPECT_TRUE(native::same_incident(gw_file.incidents[0], incident));
  EXPECT_TRUE(gw_file.attributed.empty() && gw_file.paths.empty() && gw_file.events.empty());
  EXPECT_TRUE(two_file.incidents.empty() && two_file.attributed.empty() && two_file.paths.empty());
  EXPECT_FALSE(fs::exists(dir.path() / "elsewhere"));
  EXPECT_EQ(one_file.frames, frames);
}

TEST(FileSink, AnEvidenceRecordTheFormatCannotHoldIsDroppedAlone) {
  TempDir dir;
  FakeClock clock;
  const HostInfo host = host_info();
  const std::vector<Frame> frames = frames_from(kBeforeHour - 60'000, 10);
  {
    FileSink sink(options_for(dir.path(), clock));
    for (const Frame& frame : frames) sink.on_frame(host, frame);
    PathSnapshot too_long{frames[0].t_ms, PathTrigger::start, false, {}, false};
    too_long.hops.resize(300, PathHop{1, "", std::nullopt});
    sink.on_path(host, too_long);
    sink.on_path(host, PathSnapshot{frames[1].t_ms, PathTrigger::interval, true, {{1, "127.0.0.1", 20}}, false});
    sink.flush();
  }
  const native::NativeFile file = read_clean(layout::raw_file(dir.path(), host.name, frames[0].t_ms));
  EXPECT_EQ(file.frames, frames);
  ASSERT_EQ(file.paths.size(), 1u);
  EXPECT_EQ(file.paths[0].trigger, PathTrigger::interval);
}

TEST(FileSink, HourRolloverClosesTheOldFileAndOpensTheNext) {
  TempDir dir;
  FakeClock clock;
  const HostInfo host = host_info();
  const std::vector<Frame> frames = frames_from(kBeforeHour, 40);  // 10:59:58 .. 11:00:01.9
  {
    FileSink sink(options_for(dir.path(), clock));
    for (const Frame& frame : frames) sink.on_frame(host, frame);
    sink.flush();
  }
  const auto boundary = std::find_if(frames.begin(), frames.end(),
                                     [](const Frame& f) { return f.t_ms >= kBeforeHour + 2000; });
  const native::NativeFile before = read_clean(layout::raw_file(dir.path(), "h1", kBeforeHour));
  const native::NativeFile after = read_clean(layout::raw_file(dir.path(), "h1", kBeforeHour + 2000));
  EXPECT_EQ(before.frames, std::vector<Frame>(frames.begin(), boundary));
  EXPECT_EQ(after.frames, std::vector<Frame>(boundary, frames.end()));
  EXPECT_EQ(after.header->start_ms, kBeforeHour + 2000);
  EXPECT_EQ(layout::raw_file(dir.path(), "h1", kBeforeHour).filename(), "2021-03-04T10Z.zzf");
}

TEST(FileSink, RestartInTheSameHourStartsTheNextNumberedFileAndLeavesTheFirstUntouched) {
  TempDir dir;
  FakeClock clock;
  const HostInfo host = host_info();
  const std::vector<Frame> first = frames_from(kBeforeHour - 600'000, 30, 1);
  const std::vector<Frame> second = frames_from(kBeforeHour - 300'000, 30, 2);
  const fs::path file0 = layout::raw_file(dir.path(), "h1", first[0].t_ms, 0);
  const fs::path file1 = layout::raw_file(dir.path(), "h1", first[0].t_ms, 1);
  {
    FileSink sink(options_for(dir.path(), clock));
    for (const Frame& frame : first) sink.on_frame(host, frame);
  }  // the process ends
  const std::vector<std::uint8_t> bytes0 = file_bytes(file0);
  ASSERT_FALSE(bytes0.empty());
  {
    FileSink sink(options_for(dir.path(), clock));
    for (const Frame& frame : second) sink.on_frame(host, frame);
  }
  EXPECT_EQ(file_bytes(file0), bytes0);
  EXPECT_EQ(file1.filename(), "2021-03-04T10Z.1.zzf");
  EXPECT_EQ(read_clean(file0).frames, first);
  EXPECT_EQ(read_clean(file1).frames, second);
  // The tier files of the day were started twice as well.
  EXPECT_TRUE(fs::exists(layout::tier_file(dir.path(), "h1", Tier::kSecond, first[0].t_ms, 1)));
}

TEST(FileSink, TierFilesHoldTheExactMergeOfTheFrames) {
  TempDir dir;
  FakeClock clock;
  const HostInfo host = host_info();
  // 2.5 minutes crossing the hour, flushed every second as the Pinger does.
  const std::vector<Frame> frames = frames_from(kBeforeHour - 90'000, 1500, 7);
  {
    FileSink sink(options_for(dir.path(), clock));
    for (std::size_t i = 0; i < frames.size(); ++i) {
      sink.on_frame(host, frames[i]);
      if (i % 10 == 9) sink.flush();
    }
    sink.on_host_removed(host);  // shutdown: emits the open buckets
  }
  for (const Tier tier : native::kTiers) {
    const fs::path path = layout::tier_file(dir.path(), "h1", tier, frames[0].t_ms);
    const native::NativeFile file = read_clean(path);
    EXPECT_EQ(file.header->tier_ms, native::tier_length_ms(tier));
    EXPECT_EQ(file.header->frame_ms, native::tier_length_ms(tier));
    EXPECT_EQ(file.frames, values(merged_buckets(frames, native::tier_length_ms(tier)))) << native::tier_name(tier);
  }
  EXPECT_EQ(read_clean(layout::tier_file(dir.path(), "h1", Tier::kSecond, frames[0].t_ms)).frames.size(), 150u);
}

TEST(FileSink, TierFilesRollOverAtDayMonthAndYearBoundaries) {
  TempDir dir;
  FakeClock clock;
  const HostInfo host = host_info();
  const std::int64_t new_year = 1640995200000;  // 2022-01-01T00:00:00Z
  const std::vector<Frame> frames = frames_from(new_year - 1000, 20);
  {
    FileSink sink(options_for(dir.path(), clock));
    for (const Frame& frame : frames) sink.on_frame(host, frame);
  }
  for (const Tier tier : native::kTiers) {
    const native::NativeFile old_period = read_clean(layout::tier_file(dir.path(), "h1", tier, new_year - 1));
    const native::NativeFile new_period = read_clean(layout::tier_file(dir.path(), "h1", tier, new_year));
    ASSERT_EQ(old_period.frames.size(), 1u) << native::tier_name(tier);
    ASSERT_EQ(new_period.frames.size(), 1u) << native::tier_name(tier);
    EXPECT_EQ(new_period.frames[0].t_ms, new_year);
    EXPECT_EQ(old_period.frames[0].sent + new_period.frames[0].sent, 200u);
  }
  EXPECT_EQ(layout::tier_file(dir.path(), "h1", Tier::kHour, new_year - 1).filename(), "2021.zzf");
}

TEST(FileSink, FrameOfAnotherPrecisionIsRefusedAloneAndTheOthersAreStored) {
  TempDir dir;
  FakeClock clock;
  const HostInfo host = host_info();
  const std::vector<Frame> frames = frames_from(kBeforeHour - 60'000, 20);
  Frame foreign = frames[5];
  foreign.t_ms += 50;
  foreign.rtt = RttHistogram(RttQuantiser(0.05));
  foreign.rtt.add_us(100.0);
  {
    FileSink sink(options_for(dir.path(), clock));
    for (std::size_t i = 0; i < frames.size(); ++i) {
      sink.on_frame(host, frames[i]);
      if (i == 5) sink.on_frame(host, foreign);
    }
    sink.flush();
    EXPECT_EQ(sink.frames_dropped(), 0u);
  }
  EXPECT_EQ(read_clean(layout::raw_file(dir.path(), "h1", frames[0].t_ms)).frames, frames);
  EXPECT_EQ(read_clean(layout::tier_file(dir.path(), "h1", Tier::kSecond, frames[0].t_ms)).frames,
            values(merged_buckets(frames, 1000)));
}

// FileOps whose writes can be made to fail (disk full), partly or entirely.
class FlakyOps : public FileOps {
 public:
  int error = 0;                 // errno of every write (0: writes work)
  std::size_t short_write = 0;   // if > 0 and failing: write this many bytes, then stop
  int create_error = 0;          // errno of make_directories
  std::size_t writes = 0;        // attempts
  std::size_t syncs = 0;

  int make_directories(const fs::path& path) override {
    return create_error != 0 ? create_error : FileOps::make_directories(path);
  }
  std::int64_t write(int fd, const std::uint8_t* data, std::size_t size) override {
    ++writes;
    if (error == 0) return FileOps::write(fd, data, size);
    if (short_write > 0 && short_write < size) return FileOps::write(fd, data, short_write);
    return -error;
  }
  int sync(int fd) override {
    ++syncs;
    return FileOps::sync(fd);
  }
};

TEST(FileSink, DiskFullKeepsABoundedBacklogRetriesAndResumes) {
  TempDir dir;
  FakeClock clock;
  FlakyOps ops;
  FileSinkOptions options = options_for(dir.path(), clock);
  options.ops = &ops;
  options.retry_ms = 5000;
  options.max_backlog_bytes = 4096;
  const HostInfo host = host_info();
  const std::vector<Frame> frames = frames_from(kBeforeHour - 1'200'000, 3000, 3);
  const fs::path raw = layout::raw_file(dir.path(), "h1", frames[0].t_ms);
  FileSink sink(options);
  auto feed = [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) sink.on_frame(host, frames[i]);
    sink.flush();
    clock.now += 1000;
  };
  feed(0, 10);
  const std::vector<std::uint8_t> good = file_bytes(raw);

  ops.error = ENOSPC;
  ops.short_write = 7;  // the first failing write tears a record: it must be cut off again
  for (std::size_t second = 1; second < 100; ++second) feed(second * 10, second * 10 + 10);
  EXPECT_EQ(file_bytes(raw), good) << "a torn record is cut off again";
  EXPECT_GT(sink.frames_dropped(), 0u) << "the backlog is bounded";
  // Retried every 5 s, not at every flush (4 files: raw and three tiers).
  EXPECT_LE(ops.writes, 4u * (99u / 5u + 2u));

  ops.error = 0;
  for (std::size_t second = 100; second < 106; ++second) feed(second * 10, second * 10 + 10);
  // The file holds the frames written before the failure, then (the oldest of the backlog
  // having been dropped) an unbroken run up to the newest frame.
  const native::NativeFile file = read_clean(raw);
  ASSERT_GT(file.frames.size(), 20u) << "the backlog was written after the recovery";
  ASSERT_LT(file.frames.size(), 1060u) << "the backlog was bounded";
  std::vector<Frame> expected(frames.begin(), frames.begin() + 10);
  expected.insert(expected.end(), frames.begin() + static_cast<std::ptrdiff_t>(1060 - (file.frames.size() - 10)),
                  frames.begin() + 1060);
  EXPECT_EQ(file.frames, expected);
}

TEST(FileSink, UncreatableFolderIsRetriedAndNothingIsLostWithinTheBacklog) {
  TempDir dir;
  FakeClock clock;
  FlakyOps ops;
  ops.create_error = EACCES;
  FileSinkOptions options = options_for(dir.path(), clock);
  options.ops = &ops;
  options.retry_ms = 2000;
  const HostInfo host = host_info();
  const std::vector<Frame> frames = frames_from(kBeforeHour - 1'200'000, 100, 4);
  FileSink sink(options);
  for (std::size_t second = 0; second < 5; ++second) {
    for (std::size_t i = second * 10; i < second * 10 + 10; ++i) sink.on_frame(host, frames[i]);
    sink.flush();
    clock.now += 1000;
  }
  EXPECT_FALSE(fs::exists(dir.path() / "h1"));
  ops.create_error = 0;
  for (std::size_t second = 5; second < 10; ++second) {
    for (std::size_t i = second * 10; i < second * 10 + 10; ++i) sink.on_frame(host, frames[i]);
    sink.flush();
    clock.now += 1000;
  }
  EXPECT_EQ(read_clean(layout::raw_file(dir.path(), "h1", frames[0].t_ms)).frames, frames);
  EXPECT_EQ(sink.frames_dropped(), 0u);
}

TEST(FileSink, FsyncEveryFsyncSecondsAndAtClose) {
  TempDir dir;
  FakeClock clock;
  FlakyOps ops;
  FileSinkOptions options = options_for(dir.path(), clock);
  options.ops = &ops;
  options.fsync_s = 10;
  const HostInfo host = host_info();
  const std::vector<Frame> frames = frames_from(kBeforeHour - 1'200'000, 300, 5);
  FileSink sink(options);
  std::vector<std::size_t> syncs_after_second;
  for (std::size_t second = 0; second < 25; ++second) {
    for (std::size_t i = second * 10; i < second * 10 + 10; ++i) sink.on_frame(host, frames[i]);
    clock.now += 1000;
    sink.flush();
    syncs_after_second.push_back(ops.syncs);
  }
  EXPECT_EQ(syncs_after_second[8], 0u);
  EXPECT_GT(syncs_after_second[9], 0u) << "synced at 10 s";
  EXPECT_EQ(syncs_after_second[18], syncs_after_second[9]);
  EXPECT_GT(syncs_after_second[19], syncs_after_second[18]) << "and again at 20 s";
  const std::size_t before_close = ops.syncs;
  sink.on_host_removed(host);
  EXPECT_GT(ops.syncs, before_close) << "shutdown syncs what it wrote";
}

TEST(FileSink, FsyncZeroNeverSyncs) {
  TempDir dir;
  FakeClock clock;
  FlakyOps ops;
  FileSinkOptions options = options_for(dir.path(), clock);
  options.ops = &ops;
  options.fsync_s = 0;
  const HostInfo host = host_info();
  {
    FileSink sink(options);
    for (const Frame& frame : frames_from(kBeforeHour - 1'200'000, 300, 6)) {
      sink.on_frame(host, frame);
      clock.now += 100;
      if (clock.now % 1000 == 0) sink.flush();
    }
  }
  EXPECT_EQ(ops.syncs, 0u);
}

// A real full disk: the data dir on a 64 KiB tmpfs (root only).
TEST(FileSink, RealDiskFullOnATinyTmpfs) {
  ZZPING_REQUIRE(geteuid() == 0, "needs root to mount a 64 KiB tmpfs");
  TempDir dir;
  const bool mounted = mount("zzping-test", dir.path().c_str(), "tmpfs", 0, "size=64k") == 0;
  ZZPING_REQUIRE(mounted, std::string("mount tmpfs: ") + std::strerror(errno));
  struct Unmount {
    fs::path path;
    ~Unmount() { umount2(path.c_str(), MNT_DETACH); }
  } unmount{dir.path()};
  FakeClock clock;
  FileSinkOptions options = options_for(dir.path(), clock);
  options.retry_ms = 1000;
  options.max_backlog_bytes = 16 * 1024;
  const HostInfo host = host_info();
  // Over half an hour of frames: far more than 64 KiB.
  const std::vector<Frame> frames = frames_from(kBeforeHour - 3'000'000, 20'100, 8);
  const fs::path raw = layout::raw_file(dir.path(), "h1", frames[0].t_ms);
  {
    FileSink sink(options);
    auto feed = [&](std::size_t from, std::size_t to) {
      for (std::size_t i = from; i < to; ++i) {
        sink.on_frame(host, frames[i]);
        if (i % 10 == 9) {
          clock.now += 1000;
          sink.flush();
        }
      }
    };
    feed(0, 20'000);
    EXPECT_GT(sink.frames_dropped(), 0u) << "the backlog is bounded";
    ASSERT_EQ(mount("zzping-test", dir.path().c_str(), "tmpfs", MS_REMOUNT, "size=4m"), 0) << std::strerror(errno);
    feed(20'000, 20'100);
    EXPECT_EQ(read_clean(raw).frames.back(), frames.back()) << "writing resumed once there was room";
  }
  // Every file that exists reads back to a clean end: the failed writes were cut off.
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir.path())) {
    if (!entry.is_regular_file() || entry.file_size() == 0) continue;
    ++files;
    const native::NativeFile file = native::read_native_file(entry.path());
    EXPECT_NE(file.end.kind, native::EndKind::kError) << entry.path() << ": " << file.end.message;
  }
  EXPECT_GE(files, 1u);
}

}  // namespace
}  // namespace zzping::daemon
