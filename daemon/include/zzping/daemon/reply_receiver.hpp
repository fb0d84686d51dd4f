// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The one receive thread: blocks in poll() on the ICMP sockets, and once a reply is there
// waits a millisecond for the rest of its burst, then reads them all with their kernel
// receive timestamps (recvmmsg, batched), checks identifier, sequence and token,
// and hands each valid reply to the loop through a lock-free SPSC ring. The loop drains the
// ring on its own wake-ups (no per-reply wake-up syscall); when the ring is half full the
// thread posts one extra drain so it never overflows under load.
#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

#include "zzping/daemon/icmp_packet.hpp"
#include "zzping/daemon/icmp_socket.hpp"
#include "zzping/daemon/ip_address.hpp"
#include "zzping/daemon/received_reply.hpp"
#include "zzping/daemon/spsc_ring.hpp"

namespace zzping::daemon {

struct ReceiverCounters {
  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::uint64_t> rejected{0};      // not ours: bad ident/seq/token, corrupt
  std::atomic<std::uint64_t> ring_full{0};     // valid replies dropped: the loop fell behind
};

class ReplyReceiver {
 public:
  // After the first reply of a burst wakes the thread, it sleeps this long before reading:
  // the replies to one send wake-up (every host whose deadline fell on it) then come in
  // with one wake-up and one recvmmsg, not one wake-up each, and while the thread is out of
  // poll() the kernel's delivery of each reply has no waiter to wake on the sending
  // thread's time. RTTs are unchanged: every reply carries the kernel's receive timestamp.
  // A reply reaches the ring up to this much (plus scheduling delay) after its stamp.
  static constexpr std::int64_t kBurstWaitNs = 1'000'000;

  // `request_drain` is called (from the receive thread) when the ring fills up; it must be
  // thread-safe (e.g. asio::post to the loop).
  ReplyReceiver(std::vector<const IcmpSocket*> sockets, SpscRing<ReceivedReply>& ring,
                std::function<void()> request_drain);
  ReplyReceiver(const ReplyReceiver&) = delete;
  ReplyReceiver& operator=(const ReplyReceiver&) = delete;
  ~ReplyReceiver();

  void start();
  void stop();  // wakes the thread and joins it
  const ReceiverCounters& counters() const { return counters_; }

 private:
  void run();
  // Reads up to one batch of replies; returns how many there were.
  std::size_t read_socket(const IcmpSocket& socket);
  // False when stop() was called meanwhile.
  bool sleep_unless_stopped(std::int64_t ns) const;
  void read_error_queue(const IcmpSocket& socket);
  void accept(const IcmpSocket& socket, const ParsedIcmp& icmp, const IpAddress& source,
              std::int64_t receive_mono_ns);

  std::vector<const IcmpSocket*> sockets_;
  SpscRing<ReceivedReply>& ring_;
  std::function<void()> request_drain_;
  int wake_fd_ = -1;
  std::thread thread_;
  ReceiverCounters counters_;
};

}  // namespace zzping::daemon
