// SPDX-License-Identifier: GPL-3.0-or-later
// Stream figures: how many frames/s one client receives (backfill of an hour, over real
// loopback TCP), the server loop's CPU per connected client at a daemon-like rate, and
// the client's decode speed.
#include <benchmark/benchmark.h>
#include <time.h>

#include <asio/executor_work_guard.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#include "posix_connection.hpp"
#include "zzping/formats/native/file_format.hpp"
#include "zzping/formats/native/layout.hpp"
#include "zzping/stream_server/disk_backfill.hpp"
#include "zzping/formats/stream/client_session.hpp"
#include "zzping/formats/stream/frame_payload.hpp"
#include "zzping/stream_server/stream_server.hpp"

namespace {

using namespace zzping;
using namespace zzping::stream;

Frame frame_at(std::int64_t t_ms) {
  Frame f;
  f.t_ms = t_ms;
  f.sent = 10;
  f.recv = 10;
  for (int i = 0; i < 10; ++i) f.rtt.add_us(800.0 + static_cast<double>((t_ms / 100 * 37 + i * 91) % 900));
  return f;
}

double thread_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

class LoopServer {
 public:
  LoopServer() : server_(io_, config()) {
    server_.start();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~LoopServer() {
    on_loop([this] { server_.stop(); });
    work_.reset();
    io_.stop();
    thread_.join();
  }
  template <typename F>
  void on_loop(F f) {
    std::promise<void> done;
    asio::post(io_, [&] {
      f();
      done.set_value();
    });
    done.get_future().get();
  }
  std::uint16_t port() { return server_.local_endpoints().at(0).port(); }
  StreamServer& server() { return server_; }
  asio::io_context& io() { return io_; }

 private:
  static StreamServerConfig config() {
    StreamServerConfig c;
    c.listen = {"127.0.0.1:0"};
    return c;
  }
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  StreamServer server_;
  std::thread thread_;
};

// Receives until `frames` frames arrived; returns them counted.
std::size_t receive_frames(std::uint16_t port, const Subscribe& sub, std::size_t frames,
                           const std::atomic<bool>* stop = nullptr) {
  auto connection = tail::PosixConnection::connect("127.0.0.1", port, 2000);
  ClientSession session(ClientConfig{}, tail::monotonic_ms());
  session.subscribe(sub, tail::monotonic_ms());
  std::size_t got = 0;
  while (got < frames && !session.closed() && !(stop && *stop)) {
    connection.exchange(session, 20);
    while (auto ev = session.poll()) {
      if (auto* f = std::get_if<ReceivedFrames>(&*ev)) got += f->frames.size();
    }
  }
  return got;
}

// One client takes one hour of one host (36 000 frames of 10 samples) from the backfill.
void BM_ClientReceivesAnHourOfBackfill(benchmark::State& state) {
  LoopServer s;
  constexpr int kFrames = 36'000;
  s.on_loop([&] {
    s.server().publish_host(HostInfo{"h", "192.0.2.1", 100, 100, 0.01});
    for (int i = 0; i < kFrames; ++i) s.server().publish_frame("h", frame_at(i * 100));
  });
  std::size_t total = 0;
  for (auto _ : state) {
    total += receive_frames(s.port(), Subscribe{{}, std::int64_t{0}, std::nullopt}, kFrames);
  }
  state.counters["frames/s"] = benchmark::Counter(static_cast<double>(total), benchmark::Counter::kIsRate);
  s.on_loop([&] { state.counters["memory_bytes_per_host_hour"] = static_cast<double>(s.server().stats().log_bytes); });
}
BENCHMARK(BM_ClientReceivesAnHourOfBackfill)->Unit(benchmark::kMillisecond)->UseRealTime();

// A client connecting at minute M of the hour asks for the last 5 minutes from disk: the
// hour file then holds M minutes, written as zzpingd writes it (100 ms frames, one block
// per 1 s flush). Blocks before `since` are stepped over without being decoded, so the
// cost should not grow with M (it did: the file was decoded from its start).
class HourFile {
 public:
  explicit HourFile(int minutes)
      : dir_(std::filesystem::temp_directory_path() /
             ("zzping-bench-backfill-" + std::to_string(getpid()) + "-" + std::to_string(minutes))) {
    native::FileHeader header;
    header.host = "h";
    header.start_ms = kHourStart;
    std::vector<std::uint8_t> bytes = native::encode_header(header);
    for (int second = 0; second < minutes * 60; ++second) {
      std::vector<Frame> block;
      for (int i = 0; i < 10; ++i) block.push_back(frame_at(kHourStart + second * 1000 + i * 100));
      native::append_frame_record(block, header, bytes);
    }
    const auto path = native::layout::raw_file(dir_, "h", kHourStart);
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                                static_cast<std::streamsize>(bytes.size()));
  }
  ~HourFile() { std::filesystem::remove_all(dir_); }
  HourFile(const HourFile&) = delete;
  HourFile& operator=(const HourFile&) = delete;
  const std::filesystem::path& dir() const { return dir_; }
  static constexpr std::int64_t kHourStart = 1'764'957'600'000;  // 2025-12-05T18:00:00Z

 private:
  std::filesystem::path dir_;
};

// The server's case: its BlockIndexCache already indexed the file (an earlier client), so a
// backfill reads the header and the last 5 minutes of the file only.
void BM_DiskBackfillLast5MinutesAtMinute(benchmark::State& state) {
  const auto minute = static_cast<int>(state.range(0));
  const HourFile file(minute);
  const std::int64_t since = HourFile::kHourStart + (minute - 5) * 60'000;
  const auto cache = std::make_shared<BlockIndexCache>();
  std::size_t frames = 0;
  for (auto _ : state) {
    DiskBackfill backfill(file.dir(), "h", since, cache);
    DiskRecord record;
    while (backfill.next(record)) frames += record.frames.size();
  }
  state.counters["frames"] = benchmark::Counter(static_cast<double>(frames), benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_DiskBackfillLast5MinutesAtMinute)->Arg(5)->Arg(10)->Arg(55)->Arg(60)->Unit(benchmark::kMicrosecond);

// The first backfill of a file since the server started (a fresh cache): the block a minute
// before since is found by bisection over the file (a few 4 kB preads), then the file is
// read from it on (before: the whole file was read and indexed).
void BM_DiskBackfillLast5MinutesAtMinuteFirstClient(benchmark::State& state) {
  const auto minute = static_cast<int>(state.range(0));
  const HourFile file(minute);
  const std::int64_t since = HourFile::kHourStart + (minute - 5) * 60'000;
  std::size_t frames = 0;
  for (auto _ : state) {
    DiskBackfill backfill(file.dir(), "h", since, std::make_shared<BlockIndexCache>());
    DiskRecord record;
    while (backfill.next(record)) frames += record.frames.size();
  }
  state.counters["frames"] = benchmark::Counter(static_cast<double>(frames), benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_DiskBackfillLast5MinutesAtMinuteFirstClient)->Arg(5)->Arg(10)->Arg(55)->Arg(60)->Unit(benchmark::kMicrosecond);

// Both cases side by side, with their ratios: every iteration runs one backfill at each of
// minutes 5, 10, 55 and 60 (order rotated), each timed in CPU time, so the load of a shared
// machine falls on all four alike. Counters: the median µs at each minute and the ratios
// 55 / 5 and 60 / 10 of those medians. Arg 1: first client (a fresh cache each time); 0: the
// server's steady state (one cache, warmed before timing).
void BM_DiskBackfillMinuteRatios(benchmark::State& state) {
  const bool first_client = state.range(0) == 1;
  constexpr std::array<int, 4> kMinutes = {5, 10, 55, 60};
  std::vector<std::unique_ptr<HourFile>> files;
  std::vector<std::shared_ptr<BlockIndexCache>> caches;
  for (const int minute : kMinutes) {
    files.push_back(std::make_unique<HourFile>(minute));
    caches.push_back(std::make_shared<BlockIndexCache>());
  }
  const auto backfill_cpu_us = [&](std::size_t i) {
    const std::int64_t since = HourFile::kHourStart + (kMinutes[i] - 5) * 60'000;
    const auto cache = first_client ? std::make_shared<BlockIndexCache>() : caches[i];
    const double start = thread_cpu_s();
    DiskBackfill backfill(files[i]->dir(), "h", since, cache);
    DiskRecord record;
    std::size_t frames = 0;
    while (backfill.next(record)) frames += record.frames.size();
    benchmark::DoNotOptimize(frames);
    return (thread_cpu_s() - start) * 1e6;
  };
  for (std::size_t i = 0; i < kMinutes.size(); ++i) backfill_cpu_us(i);  // warm the caches and the page cache
  std::array<std::vector<double>, 4> samples;
  std::size_t round = 0;
  for (auto _ : state) {
    for (std::size_t k = 0; k < kMinutes.size(); ++k) {
      const std::size_t i = (k + round) % kMinutes.size();
      samples[i].push_back(backfill_cpu_us(i));
    }
    ++round;
  }
  std::array<double, 4> median{};
  for (std::size_t i = 0; i < kMinutes.size(); ++i) {
    auto& v = samples[i];
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
    median[i] = v[v.size() / 2];
    state.counters["m" + std::to_string(kMinutes[i]) + "_us"] = median[i];
  }
  state.counters["r55_5"] = median[2] / median[0];
  state.counters["r60_10"] = median[3] / median[1];
}
BENCHMARK(BM_DiskBackfillMinuteRatios)->Arg(1)->Arg(0)->Iterations(200)->Unit(benchmark::kMillisecond);

// Live: the server publishes as fast as it can while one client reads.
void BM_ClientReceivesLiveFramesAsFastAsPublished(benchmark::State& state) {
  LoopServer s;
  s.on_loop([&] { s.server().publish_host(HostInfo{"h", "192.0.2.1", 100, 100, 0.01}); });
  constexpr std::size_t kFrames = 20'000;
  std::int64_t t = 0;
  std::size_t total = 0;
  for (auto _ : state) {
    auto reader = std::async(std::launch::async, [&] {
      return receive_frames(s.port(), Subscribe{{"h"}, std::nullopt, std::nullopt}, kFrames);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // subscribed, caught up
    for (std::size_t i = 0; i < kFrames; i += 100) {
      s.on_loop([&] {
        for (int k = 0; k < 100; ++k) s.server().publish_frame("h", frame_at((t++) * 100));
      });
    }
    total += reader.get();
  }
  state.counters["frames/s"] = benchmark::Counter(static_cast<double>(total), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ClientReceivesLiveFramesAsFastAsPublished)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// A daemon-like producer (10 hosts x 10 frames/s, plus one status per host per second)
// for 3 s with N live clients; the loop thread's CPU time per second of stream.
void BM_ServerLoopCpuWithClients(benchmark::State& state) {
  const auto clients = static_cast<int>(state.range(0));
  constexpr int kHosts = 10;
  constexpr int kSeconds = 3;
  LoopServer s;
  s.on_loop([&] {
    for (int h = 0; h < kHosts; ++h) s.server().publish_host(HostInfo{"h" + std::to_string(h), "", 100, 100, 0.01});
  });
  std::atomic<bool> stop{false};
  std::vector<std::future<std::size_t>> readers;
  for (int c = 0; c < clients; ++c) {
    readers.push_back(std::async(std::launch::async, [&] {
      return receive_frames(s.port(), Subscribe{}, SIZE_MAX, &stop);
    }));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  double cpu_s = 0;
  for (auto _ : state) {
    double cpu_start = 0;
    s.on_loop([&] { cpu_start = thread_cpu_s(); });
    for (int tick = 0; tick < kSeconds * 10; ++tick) {
      s.on_loop([&] {
        for (int h = 0; h < kHosts; ++h) {
          s.server().publish_frame("h" + std::to_string(h), frame_at(tick * 100));
          if (tick % 10 == 0) {
            s.server().publish_status(HostStatus{"h" + std::to_string(h), tick, 1, std::int64_t{5}, 100.0});
          }
        }
      });
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    double cpu_end = 0;
    s.on_loop([&] { cpu_end = thread_cpu_s(); });
    cpu_s += cpu_end - cpu_start;
  }
  stop = true;
  std::size_t received = 0;
  for (auto& r : readers) received += r.get();
  const double per_second = cpu_s / kSeconds / static_cast<double>(state.iterations());
  state.counters["loop_cpu_ms_per_s"] = per_second * 1e3;
  state.counters["loop_cpu_us_per_s_per_client"] = clients ? per_second * 1e6 / clients : 0.0;
  state.counters["frames_received"] = static_cast<double>(received);
}
BENCHMARK(BM_ServerLoopCpuWithClients)->Arg(0)->Arg(1)->Arg(10)->Arg(50)->Iterations(1)
    ->Unit(benchmark::kMillisecond)->UseRealTime();

// Client side: decoding a 100-frame block message into Frames.
void BM_ClientDecodesFrameBlocks(benchmark::State& state) {
  std::vector<Frame> frames;
  for (int i = 0; i < 100; ++i) frames.push_back(frame_at(i * 100));
  std::vector<std::uint8_t> bytes;
  append_frame_block(bytes, "h", encode_frame_payload(frames));
  std::size_t decoded = 0;
  for (auto _ : state) {
    MessageReader reader(kMaxServerMessageBytes);
    reader.feed(bytes);
    auto m = reader.next();
    auto out = decode_frame_payload(std::get<FrameBlock>(*m).block);
    decoded += out.size();
    benchmark::DoNotOptimize(out);
  }
  state.counters["frames/s"] = benchmark::Counter(static_cast<double>(decoded), benchmark::Counter::kIsRate);
  state.counters["bytes/frame"] = static_cast<double>(bytes.size()) / 100.0;
}
BENCHMARK(BM_ClientDecodesFrameBlocks);

}  // namespace

BENCHMARK_MAIN();
