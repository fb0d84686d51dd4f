// SPDX-License-Identifier: GPL-3.0-or-later
// Writes the seed corpus of the icmp_parse fuzz target with our own builder: packets as
// each kind of socket delivers them (raw IPv4 with its IP header, datagram IPv4, IPv6),
// carrying a probe token as the daemon sends it.
//   icmp_make_corpus <fuzz/corpus folder>
// Not a test: run it by hand when the packet code changes, and commit the (small) files.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "zzping/daemon/icmp_packet.hpp"
#include "zzping/daemon/probe_token.hpp"

namespace {

using namespace zzping::daemon;
using Bytes = std::vector<std::uint8_t>;

void write(const std::filesystem::path& dir, const std::string& name, const Bytes& bytes) {
  std::filesystem::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

Bytes request(Family family, std::uint16_t ident, std::uint64_t counter) {
  const auto token = encode_probe_token(ProbeToken{0x0123456789abcdefULL, counter, 1'700'000'000'000'000'000});
  Bytes out(kIcmpHeaderSize + token.size());
  build_echo_request(family, ident, sequence_of(counter), token, out);
  return out;
}

void set_checksum(Bytes& icmp) {
  icmp[2] = icmp[3] = 0;
  const std::uint16_t sum = internet_checksum(icmp);
  icmp[2] = static_cast<std::uint8_t>(sum >> 8);
  icmp[3] = static_cast<std::uint8_t>(sum);
}

Bytes reply_of(Family family, Bytes icmp) {
  icmp[0] = family == Family::v4 ? 0 : 129;
  if (family == Family::v4) set_checksum(icmp);
  return icmp;
}

Bytes ipv4_header(std::size_t payload, std::size_t options_words = 0) {
  Bytes h(20 + 4 * options_words, 0);
  h[0] = static_cast<std::uint8_t>(0x40 | (5 + options_words));
  const std::size_t total = h.size() + payload;
  h[2] = static_cast<std::uint8_t>(total >> 8);
  h[3] = static_cast<std::uint8_t>(total);
  h[8] = 64;
  h[9] = 1;                                  // ICMP
  h[12] = 127, h[15] = 1, h[16] = 127, h[19] = 1;  // 127.0.0.1 -> 127.0.0.1
  for (std::size_t i = 20; i < h.size(); ++i) h[i] = 1;  // NOP options
  return h;
}

Bytes ipv6_header(std::uint8_t next_header = 58) {
  Bytes h(40, 0);
  h[0] = 0x60;
  h[6] = next_header;
  h[7] = 64;
  h[23] = 1, h[39] = 1;  // ::1 -> ::1
  return h;
}

Bytes concat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// An ICMP error of `type`/`code` quoting `quoted` (an IP header and what followed it).
Bytes error_of(Family family, std::uint8_t type, std::uint8_t code, const Bytes& quoted) {
  Bytes e = concat(Bytes{type, code, 0, 0, 0, 0, 0, 0}, quoted);
  if (family == Family::v4) set_checksum(e);
  return e;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: icmp_make_corpus <fuzz/corpus folder>\n");
    return 2;
  }
  const std::filesystem::path dir = std::filesystem::path(argv[1]) / "icmp_parse";
  const Bytes req4 = request(Family::v4, 0x7a7a, 70000);
  const Bytes req6 = request(Family::v6, 0x7a7a, 70001);
  const Bytes reply4 = reply_of(Family::v4, req4);
  const Bytes reply6 = reply_of(Family::v6, req6);

  write(dir, "v4_raw_reply", concat(ipv4_header(reply4.size()), reply4));
  write(dir, "v4_raw_reply_ip_options", concat(ipv4_header(reply4.size(), 2), reply4));
  write(dir, "v4_dgram_reply", reply4);
  write(dir, "v6_reply", reply6);
  write(dir, "v4_request", req4);
  write(dir, "v6_request", req6);
  const Bytes quoted4 = concat(ipv4_header(req4.size()), req4);
  const Bytes unreachable4 = error_of(Family::v4, 3, 1, quoted4);
  write(dir, "v4_raw_unreachable", concat(ipv4_header(unreachable4.size()), unreachable4));
  // RFC 792 routers quote the IP header and only 8 bytes after it.
  write(dir, "v4_dgram_time_exceeded_short_quote",
        error_of(Family::v4, 11, 0, Bytes(quoted4.begin(), quoted4.begin() + 28)));
  write(dir, "v6_unreachable", error_of(Family::v6, 1, 3, concat(ipv6_header(), req6)));
  write(dir, "v6_time_exceeded", error_of(Family::v6, 3, 0, concat(ipv6_header(), req6)));
  write(dir, "v6_error_quoting_udp", error_of(Family::v6, 1, 4, concat(ipv6_header(17), Bytes(16, 0))));
  return 0;
}
