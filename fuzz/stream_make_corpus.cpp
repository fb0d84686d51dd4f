// SPDX-License-Identifier: GPL-3.0-or-later
// Writes the seed corpora of the stream fuzzers with our own encoders:
//   stream_make_corpus <fuzz/corpus folder>
// Each seed starts with the chunk-size byte the fuzz targets read first.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "zzping/formats/stream/frame_payload.hpp"
#include "zzping/formats/stream/messages.hpp"

namespace {

using namespace zzping::stream;

void write(const std::filesystem::path& dir, const std::string& name, std::uint8_t chunk,
           const std::vector<Message>& messages) {
  std::filesystem::create_directories(dir);
  std::vector<std::uint8_t> bytes{chunk};
  for (const auto& m : messages) append_message(bytes, m);
  std::ofstream(dir / name, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::vector<zzping::Frame> frames() {
  std::vector<zzping::Frame> out;
  for (int i = 0; i < 5; ++i) {
    zzping::Frame f;
    f.t_ms = 1'700'000'000'000 + i * 100;
    f.sent = 10;
    f.recv = 9;
    f.lost = 1;
    for (int k = 0; k < 9; ++k) f.rtt.add_us(800.0 + k * 55.0 + i);
    out.push_back(f);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: stream_make_corpus <fuzz/corpus folder>\n");
    return 2;
  }
  const std::filesystem::path root = argv[1];
  const auto server = root / "stream_server_parser";
  const Hello client_hello{1, 0, "seed", std::string("fuzz"), 5000};
  write(server, "hello_subscribe", 63, {client_hello, Subscribe{{"a", "b"}, std::int64_t{5}, std::nullopt}});
  write(server, "hello_backfill_heartbeat", 3, {client_hello, Subscribe{{}, std::nullopt, std::uint64_t{60'000}}, Heartbeat{9}});
  write(server, "hello_close", 0, {client_hello, Close{"bye"}});
  write(server, "wrong_token", 63, {Hello{1, 0, "seed", std::string("nope"), 5000}});
  write(server, "server_only_message", 63, {client_hello, CaughtUp{"a"}});

  const auto client = root / "stream_client_parser";
  const Hello server_hello{1, 0, "zzpingd", std::nullopt, 5000};
  const HostList hosts{{HostInfo{"a", "192.0.2.1", 100, 100, 0.01}}};
  write(client, "session", 63,
        {server_hello, hosts, FrameBlock{"a", encode_frame_payload(frames())}, CaughtUp{"a"},
         EventMessage{"a", zzping::LossEvent{1, 2, 3}},
         HostStatus{"a", 5, 1, std::int64_t{3}, 99.5}, Heartbeat{1}, Close{"shutdown"}});
  write(client, "session_small_chunks", 1, {server_hello, hosts, FrameBlock{"a", encode_frame_payload(frames())}});
  std::printf("wrote seeds under %s\n", root.c_str());
  return 0;
}
