// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Reads the replies off the ICMP sockets, on the loop thread: on each of its wake-ups the
// loop calls read_pending(), which drains every socket with recvmmsg batches carrying the
// kernel's receive timestamps (SO_TIMESTAMPNS), checks identifier, sequence and token, and
// hands each valid reply to the loop through the reply ring. No thread of its own: a
// reply's RTT comes from its kernel stamp, not from when it is read, so reading it on the
// loop's next wake-up (at most a housekeeping period later) adds no RTT error, and costs no
// wake-up, no poll() and no context switch of a second thread per burst of replies
// (docs/benchmarks.md "Daemon"). The error queues of datagram sockets (ICMP errors, path
// trace answers) are read on each housekeeping period and whenever a read reports an error.
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "zzping/daemon/icmp_packet.hpp"
#include "zzping/daemon/icmp_socket.hpp"
#include "zzping/daemon/ip_address.hpp"
#include "zzping/daemon/received_reply.hpp"
#include "zzping/daemon/spsc_ring.hpp"

namespace zzping::daemon {

struct ReceiverCounters {
  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::uint64_t> rejected{0};   // not ours: bad ident/seq/token, corrupt
  std::atomic<std::uint64_t> ring_full{0};  // valid replies dropped: the ring had no room
};

class ReplyReceiver {
 public:
  // Probes time out (and frames close) this much later than their timeout: a reply the
  // kernel stamped just before a read may still be on its way to the socket on the other
  // core while the loop reads it.
  static constexpr std::int64_t kReadLagNs = 1'000'000;
  // Every socket, and the datagram sockets' error queues, are read at least this often
  // (more often: a socket is read on every wake-up after it sent).
  static constexpr std::int64_t kReadPeriodNs = 20'000'000;

  ReplyReceiver(std::vector<const IcmpSocket*> sockets, SpscRing<ReceivedReply>& ring);
  ~ReplyReceiver();
  ReplyReceiver(const ReplyReceiver&) = delete;
  ReplyReceiver& operator=(const ReplyReceiver&) = delete;

  // Reads every reply queued on the sockets into the ring (stops early only if the ring has
  // no room for another batch; the rest stays queued in the kernel for the next call).
  // `now_mono_ns` paces the error-queue reads.
  void read_pending(std::int64_t now_mono_ns);
  const ReceiverCounters& counters() const { return counters_; }

 private:
  // Reads up to one batch of replies; returns how many there were, or -1 on a socket error
  // (a pending ICMP error: the error queue has something).
  int read_socket(const IcmpSocket& socket);
  void read_error_queue(const IcmpSocket& socket);
  void accept(const IcmpSocket& socket, const ParsedIcmp& icmp, const IpAddress& source,
              std::int64_t receive_mono_ns);

  struct Batch;  // recvmmsg's buffers, set up once
  std::vector<const IcmpSocket*> sockets_;
  SpscRing<ReceivedReply>& ring_;
  std::unique_ptr<Batch> batch_;
  std::vector<std::uint64_t> sends_seen_;  // each socket's sends() at its last read
  std::int64_t next_periodic_read_ns_ = 0;
  ReceiverCounters counters_;
};

}  // namespace zzping::daemon
