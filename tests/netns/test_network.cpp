// SPDX-License-Identifier: GPL-3.0-or-later
#include "test_network.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "child_process.hpp"

namespace zzping::testing {
namespace {

constexpr const char* kPrefix = "zzt";

// Deletes namespaces named zzt<pid>... whose test process no longer exists.
void remove_stale_namespaces() {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/run/netns", error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(kPrefix, 0) != 0) continue;
    const std::string digits = name.substr(3, name.find_first_not_of("0123456789", 3) - 3);
    if (digits.empty()) continue;
    const int pid = std::stoi(digits);
    if (kill(pid, 0) != 0 && errno == ESRCH) run_command({"ip", "netns", "del", name});
  }
}

bool all_ok(const std::vector<std::vector<std::string>>& commands) {
  for (const auto& command : commands) {
    if (run_command(command) != 0) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> TestNetwork::in_ns(const std::string& ns, std::vector<std::string> argv) {
  std::vector<std::string> full = {"ip", "netns", "exec", ns};
  full.insert(full.end(), argv.begin(), argv.end());
  return full;
}

std::optional<TestNetwork> TestNetwork::create(std::string& why_not) {
  if (geteuid() != 0) {
    why_not = "needs root to create network namespaces (runs in CI as root)";
    return std::nullopt;
  }
  if (run_command({"ip", "-V"}) != 0) {
    why_not = "the 'ip' command (iproute2) is not available";
    return std::nullopt;
  }
  remove_stale_namespaces();
  static std::atomic<int> counter{0};
  const int n = counter++;
  const std::string id = std::to_string(getpid()) + "n" + std::to_string(n);
  TestNetwork net;
  net.pinger_ns_ = kPrefix + id + "p";
  net.responder_ns_ = kPrefix + id + "r";
  const int a = 100 + (getpid() % 100);
  const int b = n % 250;
  const std::string v4 = "10." + std::to_string(a) + "." + std::to_string(b) + ".";
  const std::string v6 = "fd00:" + std::to_string(a) + ":" + std::to_string(b) + "::";
  net.responder_v4_ = v4 + "2";
  net.responder_v6_ = v6 + "2";
  const std::string veth_p = "zzv" + std::to_string(getpid() % 100000) + "p" + std::to_string(b);
  const std::string veth_r = "zzv" + std::to_string(getpid() % 100000) + "r" + std::to_string(b);
  if (run_command({"ip", "netns", "add", net.pinger_ns_}) != 0) {
    why_not = "'ip netns add' failed (no network namespace support here)";
    return std::nullopt;
  }
  net.owned_ = true;  // from here on the destructor cleans up
  if (run_command({"ip", "netns", "add", net.responder_ns_}) != 0) {
    why_not = "'ip netns add' failed for the second namespace";
    return std::nullopt;
  }
  const std::string& p = net.pinger_ns_;
  const std::string& r = net.responder_ns_;
  // No duplicate address detection: while a link-local address is tentative (about 1 s)
  // IPv6 neighbour discovery cannot run and the first probes would wait in a queue.
  for (const std::string& ns : {p, r}) {
    run_command(in_ns(ns, {"sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0"}));
  }
  const bool ok = all_ok({
      {"ip", "-n", p, "link", "add", veth_p, "type", "veth", "peer", "name", veth_r, "netns", r},
      {"ip", "-n", p, "addr", "add", v4 + "1/24", "dev", veth_p},
      {"ip", "-n", r, "addr", "add", v4 + "2/24", "dev", veth_r},
      {"ip", "-n", p, "addr", "add", v6 + "1/64", "dev", veth_p, "nodad"},
      {"ip", "-n", r, "addr", "add", v6 + "2/64", "dev", veth_r, "nodad"},
      {"ip", "-n", p, "link", "set", veth_p, "up"},
      {"ip", "-n", r, "link", "set", veth_r, "up"},
      {"ip", "-n", p, "link", "set", "lo", "up"},
      {"ip", "-n", r, "link", "set", "lo", "up"},
  });
  if (!ok) {
    why_not = "could not set up the veth pair and addresses";
    return std::nullopt;
  }
  // One kernel-answered ping (fping) first: the link is up and the neighbour caches are
  // filled, so the first probes of a test are not held by address resolution.
  if (!net.wait_reachable()) {
    why_not = "the veth pair did not become reachable within 5 s";
    return std::nullopt;
  }
  if (run_command(in_ns(r, {"sysctl", "-qw", "net.ipv4.icmp_echo_ignore_all=1", "net.ipv6.icmp.echo_ignore_all=1"})) != 0) {
    why_not = "could not disable kernel echo in the responder namespace";
    return std::nullopt;
  }
  return net;
}

TestNetwork::TestNetwork(TestNetwork&& other) noexcept
    : pinger_ns_(std::move(other.pinger_ns_)), responder_ns_(std::move(other.responder_ns_)),
      responder_v4_(std::move(other.responder_v4_)), responder_v6_(std::move(other.responder_v6_)),
      owned_(other.owned_) {
  other.owned_ = false;
}

TestNetwork::~TestNetwork() {
  if (!owned_) return;
  run_command({"ip", "netns", "del", pinger_ns_});
  run_command({"ip", "netns", "del", responder_ns_});
}

bool TestNetwork::wait_reachable() const {
  for (const std::string& address : {responder_v4_, responder_v6_}) {
    bool reached = false;
    for (int attempt = 0; attempt < 10 && !reached; ++attempt) {
      reached = run_command(in_ns(pinger_ns_, {"fping", "-q", "-r", "0", "-t", "1000", address})) == 0;
    }
    if (!reached) return false;
  }
  return true;
}

bool TestNetwork::enable_ping_sockets() const {
  return run_command(in_ns(pinger_ns_, {"sysctl", "-qw", "net.ipv4.ping_group_range=0 2147483647"})) == 0;
}

}  // namespace zzping::testing
