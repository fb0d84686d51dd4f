// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: the ICMP parsers of the daemon's receive path (daemon/src/core/icmp_packet.cpp)
// on arbitrary bytes, the only decoder that reads what anyone on the network can send.
// The bytes are parsed as a received packet in all four ways a socket can deliver one
// (IPv4 / IPv6, with / without the IP header), and as an echo request (the datagram-socket
// error queue, the test responder). Beyond "no crash", each result must be consistent:
//   - a parsed payload lies inside the input, and ends where the packet ends;
//   - the kind matches the ICMP type of its family; an echo reply's ident and seq are the
//     bytes at offsets 4..7 of the ICMP header; a v4 result has a valid checksum;
//   - IPv6 ignores with_ip_header; IPv4 with the IP header parses like the same packet
//     without it;
//   - a probe token found in a payload re-encodes to the same 28 bytes.
// The same bytes then drive the builder (ident, seq, payload): for both families a request
// built by build_echo_request parses back to its fields, its reply (and for IPv4 the reply
// behind an IP header, and an unreachable error quoting it) parses to the same ident, seq
// and payload, and any single flipped bit of a v4 reply is caught by the checksum.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <vector>

#include "zzping/daemon/icmp_packet.hpp"
#include "zzping/daemon/probe_token.hpp"

namespace {

using namespace zzping::daemon;
using Bytes = std::span<const std::uint8_t>;

void check(bool condition) {
  if (!condition) std::abort();
}

bool inside(Bytes part, Bytes whole) {
  if (part.empty()) return true;
  const std::uint8_t* begin = whole.data();
  const std::uint8_t* end = whole.data() + whole.size();
  return part.data() >= begin && part.data() + part.size() <= end;
}

bool same(const std::optional<ParsedIcmp>& a, const std::optional<ParsedIcmp>& b) {
  if (a.has_value() != b.has_value()) return false;
  if (!a) return true;
  return a->kind == b->kind && a->type == b->type && a->code == b->code && a->ident == b->ident &&
         a->seq == b->seq && a->payload.data() == b->payload.data() &&
         a->payload.size() == b->payload.size();
}

bool same_bytes(Bytes a, Bytes b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

std::uint16_t be16(Bytes b, std::size_t at) {
  return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}

void check_token(Bytes payload) {
  const auto token = decode_probe_token(payload);
  if (!token) return;
  const auto again = encode_probe_token(*token);
  check(same_bytes(again, payload.first(kProbeTokenSize)));
}

// What every successful parse of `icmp` (the ICMP message, IP header already removed) must satisfy.
void check_parsed(Family family, Bytes icmp, const ParsedIcmp& p) {
  check(icmp.size() >= kIcmpHeaderSize);
  check(p.type == icmp[0] && p.code == icmp[1]);
  check(inside(p.payload, icmp));
  // The payload always runs to the end of the packet (an error quotes a request to its end).
  check(p.payload.data() + p.payload.size() == icmp.data() + icmp.size());
  if (family == Family::v4) check(internet_checksum(icmp) == 0);
  const bool v4 = family == Family::v4;
  switch (p.kind) {
    case IcmpKind::echo_reply:
      check(p.type == (v4 ? 0 : 129));
      check(p.ident == be16(icmp, 4) && p.seq == be16(icmp, 6));
      check(p.payload.size() == icmp.size() - kIcmpHeaderSize);
      break;
    case IcmpKind::dest_unreachable:
      check(p.type == (v4 ? 3 : 1));
      // error header + quoted IP header (>= 20 / 40) + quoted ICMP header
      check(p.payload.size() + kIcmpHeaderSize + (v4 ? 20 : 40) + kIcmpHeaderSize <= icmp.size());
      break;
    case IcmpKind::time_exceeded:
      check(p.type == (v4 ? 11 : 3));
      check(p.payload.size() + kIcmpHeaderSize + (v4 ? 20 : 40) + kIcmpHeaderSize <= icmp.size());
      break;
  }
  check_token(p.payload);
}

void fuzz_received(Bytes bytes) {
  // IPv6 sockets never deliver the IP header: the flag must not matter.
  const auto v6 = parse_icmp(Family::v6, false, bytes);
  check(same(v6, parse_icmp(Family::v6, true, bytes)));
  if (v6) check_parsed(Family::v6, bytes, *v6);

  const auto v4_bare = parse_icmp(Family::v4, false, bytes);
  if (v4_bare) check_parsed(Family::v4, bytes, *v4_bare);

  const auto v4_raw = parse_icmp(Family::v4, true, bytes);
  if (v4_raw) {
    check(bytes.size() >= 20 && (bytes[0] >> 4) == 4 && bytes[9] == 1);
    const std::size_t ihl = static_cast<std::size_t>(bytes[0] & 0x0f) * 4;
    check(ihl >= 20 && ihl <= bytes.size());
    const Bytes icmp = bytes.subspan(ihl);
    check_parsed(Family::v4, icmp, *v4_raw);
    check(same(v4_raw, parse_icmp(Family::v4, false, icmp)));
  }
}

void fuzz_echo_request(Bytes bytes) {
  for (const Family family : {Family::v4, Family::v6}) {
    const auto parsed = parse_echo_request(family, bytes);
    if (!parsed) continue;
    check(bytes.size() >= kIcmpHeaderSize);
    check(parsed->kind == IcmpKind::echo_reply);  // the default: requests have no kind of their own
    check(parsed->type == (family == Family::v4 ? 8 : 128) && parsed->type == bytes[0]);
    check(parsed->code == bytes[1] && parsed->ident == be16(bytes, 4) && parsed->seq == be16(bytes, 6));
    check(parsed->payload.data() == bytes.data() + kIcmpHeaderSize);
    check(parsed->payload.size() == bytes.size() - kIcmpHeaderSize);
    check_token(parsed->payload);
  }
}

void set_checksum(std::vector<std::uint8_t>& icmp) {
  icmp[2] = icmp[3] = 0;
  const std::uint16_t sum = internet_checksum(icmp);
  icmp[2] = static_cast<std::uint8_t>(sum >> 8);
  icmp[3] = static_cast<std::uint8_t>(sum);
}

std::vector<std::uint8_t> ipv4_header(std::size_t payload, std::uint8_t options_words) {
  std::vector<std::uint8_t> h(20 + 4u * options_words, 0);
  h[0] = static_cast<std::uint8_t>(0x40 | (5 + options_words));
  const std::size_t total = h.size() + payload;
  h[2] = static_cast<std::uint8_t>(total >> 8);
  h[3] = static_cast<std::uint8_t>(total);
  h[8] = 64;
  h[9] = 1;
  return h;
}

void check_fields(const std::optional<ParsedIcmp>& p, IcmpKind kind, std::uint16_t ident,
                  std::uint16_t seq, Bytes payload) {
  check(p.has_value());
  check(p->kind == kind && p->ident == ident && p->seq == seq);
  check(same_bytes(p->payload, payload));
}

// Builds with the input as ident (2 bytes), seq (2 bytes) and payload, then parses back.
void fuzz_round_trip(Bytes bytes) {
  if (bytes.size() < 5) return;
  const std::uint16_t ident = be16(bytes, 0);
  const std::uint16_t seq = be16(bytes, 2);
  const std::uint8_t options_words = bytes[4] % 11;  // IPv4 options: 0..40 bytes
  const Bytes payload = bytes.subspan(5);
  std::vector<std::uint8_t> request(kIcmpHeaderSize + payload.size());

  for (const Family family : {Family::v4, Family::v6}) {
    const bool v4 = family == Family::v4;
    check(build_echo_request(family, ident, seq, payload, request) == request.size());
    if (v4) check(internet_checksum(request) == 0);
    check_fields(parse_echo_request(family, request), IcmpKind::echo_reply, ident, seq, payload);
    // A request is never taken for a reply.
    check(!parse_icmp(family, false, request));

    // The reply the peer sends back: same bytes, reply type (the kernel fixes the v6 checksum).
    std::vector<std::uint8_t> reply = request;
    reply[0] = v4 ? 0 : 129;
    if (v4) set_checksum(reply);
    check_fields(parse_icmp(family, false, reply), IcmpKind::echo_reply, ident, seq, payload);
    if (v4) {
      std::vector<std::uint8_t> packet = ipv4_header(reply.size(), options_words);
      packet.insert(packet.end(), reply.begin(), reply.end());
      check_fields(parse_icmp(family, true, packet), IcmpKind::echo_reply, ident, seq, payload);
      // One's-complement sums catch every single-bit error: flip the bit the input picks.
      const std::size_t bit = (static_cast<std::size_t>(ident) << 16 | seq) % (reply.size() * 8);
      std::vector<std::uint8_t> flipped = reply;
      flipped[bit / 8] = static_cast<std::uint8_t>(flipped[bit / 8] ^ (1u << (bit % 8)));
      check(!parse_icmp(family, false, flipped));
    }

    // A router's error quoting the request: error header, the request's IP header, the request.
    std::vector<std::uint8_t> error = {static_cast<std::uint8_t>(v4 ? 3 : 1), bytes[4], 0, 0, 0, 0, 0, 0};
    if (v4) {
      const auto quoted_ip = ipv4_header(request.size(), options_words);
      error.insert(error.end(), quoted_ip.begin(), quoted_ip.end());
    } else {
      std::vector<std::uint8_t> ip6(40, 0);
      ip6[0] = 0x60;
      ip6[6] = 58;
      error.insert(error.end(), ip6.begin(), ip6.end());
    }
    error.insert(error.end(), request.begin(), request.end());
    if (v4) set_checksum(error);
    const auto unreachable = parse_icmp(family, false, error);
    check_fields(unreachable, IcmpKind::dest_unreachable, ident, seq, payload);
    check(unreachable->code == bytes[4]);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Bytes bytes(data, size);
  fuzz_received(bytes);
  fuzz_echo_request(bytes);
  fuzz_round_trip(bytes);
  return 0;
}
