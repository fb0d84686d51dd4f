// SPDX-License-Identifier: GPL-3.0-or-later
#include "test_network.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

#include "child_process.hpp"
#include "zzping/daemon/icmp_packet.hpp"

namespace zzping::testing {
namespace {

constexpr const char* kPrefix = "zzt";

// Closes a file descriptor on every path out.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// Sends ICMP echo requests from a raw socket in the calling thread's network namespace to
// `address` every 100 ms until one is answered (true) or `timeout` passes (false).
bool echo_until_answered(const std::string& address, std::chrono::milliseconds timeout) {
  using zzping::daemon::Family;
  sockaddr_storage to{};
  socklen_t to_size = 0;
  Family family = Family::v4;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&to);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&to);
  if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    to_size = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    to_size = sizeof(sockaddr_in6);
    family = Family::v6;
  } else {
    return false;
  }
  const Fd socket_fd(family == Family::v4 ? socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP)
                                          : socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6));
  if (socket_fd.get() < 0) return false;
  const auto ident = static_cast<std::uint16_t>(getpid() ^ 0x5a5a);
  const std::array<std::uint8_t, 8> payload = {'z', 'z', 'r', 'e', 'a', 'c', 'h', '!'};
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (std::uint16_t seq = 1; std::chrono::steady_clock::now() < deadline; ++seq) {
    std::array<std::uint8_t, 64> request{};
    const std::size_t size = zzping::daemon::build_echo_request(family, ident, seq, payload, request);
    sendto(socket_fd.get(), request.data(), size, 0, reinterpret_cast<sockaddr*>(&to), to_size);
    const auto resend_at = std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(100));
    while (true) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(resend_at - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd ready{socket_fd.get(), POLLIN, 0};
      if (poll(&ready, 1, static_cast<int>(left.count())) <= 0) continue;
      std::array<std::uint8_t, 1500> reply{};
      const ssize_t got = recv(socket_fd.get(), reply.data(), reply.size(), 0);
      if (got <= 0) continue;
      const auto parsed = zzping::daemon::parse_icmp(family, family == Family::v4,
                                                     std::span(reply.data(), static_cast<std::size_t>(got)));
      if (parsed && parsed->kind == zzping::daemon::IcmpKind::echo_reply && parsed->ident == ident) return true;
    }
  }
  return false;
}

bool all_ok(const std::vector<std::vector<std::string>>& commands) {
  for (const auto& command : commands) {
    if (run_command(command) != 0) return false;
  }
  return true;
}

}  // namespace

bool can_create_namespaces(std::string& why_not) {
  if (geteuid() != 0) {
    why_not = "needs root to create network namespaces (runs in CI as root)";
    return false;
  }
  if (run_command({"ip", "-V"}) != 0) {
    why_not = "the 'ip' command (iproute2) is not available";
    return false;
  }
  return true;
}

void remove_stale_namespaces(const std::string& prefix) {
  std::error_code error;
  std::vector<std::string> dead;
  for (const auto& entry : std::filesystem::directory_iterator("/run/netns", error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string digits = name.substr(prefix.size(), name.find_first_not_of("0123456789", prefix.size()) - prefix.size());
    if (digits.empty() || digits.size() > 9) continue;
    if (kill(std::stoi(digits), 0) != 0 && errno == ESRCH) dead.push_back(name);
  }
  for (const auto& name : dead) run_command({"ip", "netns", "del", name});
}

bool enter_network_namespace(const std::string& name) {
  const Fd ns_fd(open(("/run/netns/" + name).c_str(), O_RDONLY | O_CLOEXEC));
  return ns_fd.get() >= 0 && setns(ns_fd.get(), CLONE_NEWNET) == 0;
}

bool echo_in_namespace(const std::string& ns, const std::string& address, std::chrono::milliseconds timeout,
                       std::string& why_not) {
  bool answered = false;
  std::thread worker([&] {
    if (!enter_network_namespace(ns)) {
      why_not = "cannot enter network namespace " + ns + ": " + std::strerror(errno);
      return;
    }
    answered = echo_until_answered(address, timeout);
    if (!answered) why_not = "no ICMP echo reply from " + address + " within " + std::to_string(timeout.count()) + " ms";
  });
  worker.join();
  return answered;
}

std::vector<std::string> TestNetwork::in_ns(const std::string& ns, std::vector<std::string> argv) {
  std::vector<std::string> full = {"ip", "netns", "exec", ns};
  full.insert(full.end(), argv.begin(), argv.end());
  return full;
}

std::optional<TestNetwork> TestNetwork::create(std::string& why_not) {
  if (!can_create_namespaces(why_not)) return std::nullopt;
  remove_stale_namespaces(kPrefix);
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
  // One kernel-answered echo each way first: the link is up and the neighbour caches are
  // filled, so the first probes of a test are not held by address resolution.
  if (!net.wait_reachable(why_not)) return std::nullopt;
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

bool TestNetwork::wait_reachable(std::string& why_not) const {
  for (const std::string& address : {responder_v4_, responder_v6_}) {
    std::string why;
    if (!echo_in_namespace(pinger_ns_, address, std::chrono::seconds(5), why)) {
      why_not = "the veth pair did not become reachable: " + why;
      return false;
    }
  }
  return true;
}

bool TestNetwork::enable_ping_sockets() const {
  return run_command(in_ns(pinger_ns_, {"sysctl", "-qw", "net.ipv4.ping_group_range=0 2147483647"})) == 0;
}

}  // namespace zzping::testing
