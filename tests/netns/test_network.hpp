// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Two throw-away network namespaces joined by a veth pair, for tests that ping:
//   pinger ns  (10.<n>.<m>.1/24, fd00:<n>:<m>::1/64)  <-veth->  responder ns (.2 / ::2)
// The responder namespace has kernel echo disabled (a scripted responder answers there).
// Names are unique per process; the destructor deletes both namespaces (which removes the
// veth), and create() first removes namespaces left by test processes that died.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace zzping::testing {

// True when this process can build namespaces (root, iproute2's `ip`); else the reason.
bool can_create_namespaces(std::string& why_not);
// Deletes the namespaces named PREFIX<pid>... (the pid right after the prefix) whose test
// process no longer exists: what a killed run left behind. Every helper names its
// namespaces that way.
void remove_stale_namespaces(const std::string& prefix);

// Moves the calling thread (only it: setns on a network namespace is per thread) into the
// namespace made with `ip netns add NAME`; sockets it opens from then on live there.
bool enter_network_namespace(const std::string& name);
// Sends ICMP echo requests from inside namespace `ns` (a thread of its own joins it) to
// `address` every 100 ms until one is answered (true) or `timeout` passes (false, reason
// in `why_not`).
bool echo_in_namespace(const std::string& ns, const std::string& address, std::chrono::milliseconds timeout,
                       std::string& why_not);

class TestNetwork {
 public:
  // nullopt with the reason in `why_not` when namespaces cannot be made (not root, no ip).
  static std::optional<TestNetwork> create(std::string& why_not);
  TestNetwork(TestNetwork&& other) noexcept;
  TestNetwork& operator=(TestNetwork&&) = delete;
  TestNetwork(const TestNetwork&) = delete;
  ~TestNetwork();

  const std::string& pinger_ns() const { return pinger_ns_; }
  const std::string& responder_ns() const { return responder_ns_; }
  const std::string& responder_v4() const { return responder_v4_; }
  const std::string& responder_v6() const { return responder_v6_; }
  // argv prefixed to run a command inside a namespace.
  static std::vector<std::string> in_ns(const std::string& ns, std::vector<std::string> argv);
  // Lets unprivileged ICMP datagram sockets be used in the pinger namespace.
  bool enable_ping_sockets() const;

 private:
  TestNetwork() = default;
  bool wait_reachable(std::string& why_not) const;
  std::string pinger_ns_, responder_ns_, responder_v4_, responder_v6_;
  bool owned_ = false;
};

}  // namespace zzping::testing
