// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// zzping stream protocol v1: the messages and their byte codec (see docs/protocol.md).
//
// On the wire every message is a 4-byte big-endian body length followed by the body: one
// MessagePack array [type, {key: value...}]. Pure functions, no I/O.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "zzping/common/attribution.hpp"
#include "zzping/common/frame.hpp"
#include "zzping/common/path.hpp"

namespace zzping::stream {

inline constexpr const char* kProtocolName = "zzping-stream";
inline constexpr std::uint32_t kProtocolMajor = 1;
// 1: frames carry `jitter`; 2: host roles, the cause on events, incident and path messages.
inline constexpr std::uint32_t kProtocolMinor = 2;
inline constexpr std::size_t kLengthPrefixBytes = 4;

// Limits applied to every decoded field, so hostile lengths never allocate.
inline constexpr std::size_t kMaxNameBytes = 255;      // host names, addresses
inline constexpr std::size_t kMaxTextBytes = 1024;     // software, token, reasons
inline constexpr std::uint32_t kMaxHosts = 4096;       // host list and subscription
// Largest message each side accepts by default: clients only send small control messages;
// the server sends frame blocks, bounded by the server's chunk size.
inline constexpr std::size_t kMaxClientMessageBytes = 64 * 1024;
inline constexpr std::size_t kMaxServerMessageBytes = 16 * 1024 * 1024;

// A malformed, oversized or unexpected message. `offset` is the byte offset in the stream
// (from the first byte received on the connection) where the problem was found.
class ProtocolError : public std::runtime_error {
 public:
  ProtocolError(const std::string& what, std::size_t offset)
      : std::runtime_error(what + " at stream byte " + std::to_string(offset)), offset_(offset) {}
  std::size_t offset() const { return offset_; }

 private:
  std::size_t offset_;
};

struct HostInfo {
  std::string name;
  std::string address;
  double rate_hz = 0;        // probes per second
  std::uint32_t frame_ms = 100;
  double precision = 0.01;   // RTT quantiser precision of this host's frames
  // Since 1.2; an older server sends none, which reads as internet (the default role).
  attribution::Role role = attribution::Role::internet;
  friend bool operator==(const HostInfo&, const HostInfo&) = default;
};

struct Hello {  // both ways, first message
  std::uint32_t major = kProtocolMajor;
  std::uint32_t minor = kProtocolMinor;
  std::string software;
  std::optional<std::string> token;  // client to server only
  std::uint32_t heartbeat_ms = 5000; // how often the sender sends heartbeats
  friend bool operator==(const Hello&, const Hello&) = default;
};

struct HostList {  // server to client: after the client's hello, then on every change
  std::vector<HostInfo> hosts;
  friend bool operator==(const HostList&, const HostList&) = default;
};

struct Subscribe {  // client to server, once
  std::vector<std::string> hosts;        // empty: all hosts
  std::optional<std::int64_t> since_ms;  // backfill: every frame with t_ms >= since_ms
  std::optional<std::uint64_t> backfill_ms;  // backfill: frames of the last N ms
  friend bool operator==(const Subscribe&, const Subscribe&) = default;
};

struct FrameBlock {  // server to client: consecutive frames of one host, native block bytes
  std::string host;
  std::vector<std::uint8_t> block;  // see frame_payload.hpp
  std::vector<std::uint8_t> jitter = {};  // optional field: empty when absent
  friend bool operator==(const FrameBlock&, const FrameBlock&) = default;
};

struct EventMessage {  // server to client: a loss burst or outage
  std::string host;
  LossEvent event;
  // Since 1.2, the burst's attribution (docs/attribution.md): zzpingd 1.2 sends the event
  // once its cause is known. Absent from older servers and from bursts read from 1.0/1.1
  // files; the lists are empty then.
  std::optional<attribution::Cause> cause = {};
  std::string reason = {};
  std::vector<std::string> lost_too = {};
  std::vector<std::string> answered = {};
  friend bool operator==(const EventMessage&, const EventMessage&) = default;
};

struct IncidentMessage {  // server to client (1.2): bursts of several targets merged
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  attribution::Cause cause = attribution::Cause::unknown;
  std::vector<std::string> targets;
  std::uint32_t probes_lost = 0;
  std::string last_hop;  // "" (nil on the wire) when no trace ran during it
  friend bool operator==(const IncidentMessage&, const IncidentMessage&) = default;
};
IncidentMessage to_message(const attribution::Incident& incident);
attribution::Incident to_incident(const IncidentMessage& message);

struct PathMessage {  // server to client (1.2): a path snapshot of one host
  std::string host;
  PathSnapshot path;
  friend bool operator==(const PathMessage&, const PathMessage&) = default;
};

struct HostStatus {  // server to client, once per frame interval per host
  std::string host;
  std::int64_t t_ms = 0;                        // wall clock of the status, ms since epoch
  std::uint32_t inflight = 0;
  std::optional<std::int64_t> since_reply_ms;  // none before the first reply
  double rate_hz = 0;                           // current achieved probe rate
  friend bool operator==(const HostStatus&, const HostStatus&) = default;
};

struct CaughtUp {  // server to client: backfill of `host` complete; what follows is live
  std::string host;
  friend bool operator==(const CaughtUp&, const CaughtUp&) = default;
};

struct Heartbeat {  // both ways
  std::int64_t t_ms = 0;
  friend bool operator==(const Heartbeat&, const Heartbeat&) = default;
};

struct Close {  // either way, last message before closing deliberately
  std::string reason;
  friend bool operator==(const Close&, const Close&) = default;
};

using Message = std::variant<Hello, HostList, Subscribe, FrameBlock, EventMessage, HostStatus,
                             CaughtUp, Heartbeat, Close, IncidentMessage, PathMessage>;

// Type codes on the wire (first element of the body array).
enum class MessageType : std::uint8_t {
  Hello = 1, HostList = 2, Subscribe = 3, FrameBlock = 4, Event = 5, Status = 6,
  CaughtUp = 7, Heartbeat = 8, Close = 9,
  Incident = 10, Path = 11,  // since 1.2: sent only to peers whose hello says minor >= 2
};
// The minor version that introduced a message type.
std::uint32_t minor_of(MessageType type);
MessageType type_of(const Message& message);
const char* name_of(MessageType type);

// Appends the length prefix and body of `message` to `out`.
void append_message(std::vector<std::uint8_t>& out, const Message& message);
std::vector<std::uint8_t> encode_message(const Message& message);
// The same bytes as append_message(FrameBlock{host, payload, jitter}) without copying the
// payload into a message first (the server encodes each block once for all clients).
void append_frame_block(std::vector<std::uint8_t>& out, std::string_view host,
                        std::span<const std::uint8_t> payload,
                        std::span<const std::uint8_t> jitter = {});

// Decodes one body (without the length prefix). `stream_offset` is the body's position in
// the stream, used in errors. Throws ProtocolError.
Message decode_body(std::span<const std::uint8_t> body, std::size_t stream_offset = 0);

// Splits a byte stream into messages: feed() any chunking of the bytes, then next() until it
// returns nothing. A length above `max_message_bytes` or a bad body throws ProtocolError
// before anything is allocated for it.
class MessageReader {
 public:
  explicit MessageReader(std::size_t max_message_bytes) : max_message_bytes_(max_message_bytes) {}
  void feed(std::span<const std::uint8_t> bytes);
  std::optional<Message> next();
  std::size_t buffered_bytes() const { return buffer_.size() - consumed_; }

 private:
  void compact();
  std::size_t max_message_bytes_;
  std::vector<std::uint8_t> buffer_;
  std::size_t consumed_ = 0;       // bytes of buffer_ already decoded
  std::size_t stream_offset_ = 0;  // stream position of buffer_[0]
};

}  // namespace zzping::stream
