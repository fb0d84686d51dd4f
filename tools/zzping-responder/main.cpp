// SPDX-License-Identifier: GPL-3.0-or-later
// zzping-responder: answers ICMP echo requests (IPv4 and IPv6) per a scripted plan and logs
// what it did with every request as one JSON object per line:
//   {"rx_wall_ns":..,"family":4,"src":"10.0.0.1","ident":..,"seq":..,"counter":..,
//    "send_wall_ns":..,"action":"reply","hold_ns":..}
//    "tx_wall_ns":..,"tx_kernel":true}
// send_wall_ns and counter come from a zzpingd probe token (null for other pingers);
// tx_wall_ns is when the reply left: the kernel's software transmit stamp (tx_kernel true),
// else the clock read just before sendto; hold_ns = tx_wall_ns - rx_wall_ns (both null if
// none sent; action "unsent" marks replies still held when the responder stopped). On a
// veth pair the pinger's kernel stamps the reply's arrival within the same send, so
// tx_wall_ns - send_wall_ns is the RTT that pinger must measure, however late either
// program ran.
// Run it where kernel echo is off (net.ipv4.icmp_echo_ignore_all=1,
// net.ipv6.icmp.echo_ignore_all=1), e.g. inside a test network namespace. Needs CAP_NET_RAW.
#include <arpa/inet.h>
#include <linux/errqueue.h>
#include <linux/icmp.h>
#include <linux/net_tstamp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <vector>

#include "response_plan.hpp"
#include "zzping/daemon/clock.hpp"
#include "zzping/daemon/icmp_packet.hpp"
#include "zzping/daemon/ip_address.hpp"
#include "zzping/daemon/probe_token.hpp"

namespace {

using zzping::daemon::Family;
using zzping::daemon::IpAddress;
using namespace zzping::responder;

volatile std::sig_atomic_t g_stop = 0;
void on_stop_signal(int) { g_stop = 1; }

struct Request {
  Family family = Family::v4;
  IpAddress source;
  IpAddress destination;  // our address the request was sent to
  std::vector<std::uint8_t> ip_header;  // IPv4 only (for quoting in errors)
  std::vector<std::uint8_t> icmp;       // the echo request as received
  std::int64_t rx_mono_ns = 0;
  std::int64_t rx_wall_ns = 0;
};

struct PendingSend {
  Request request;
  Decision decision;
  bool second_copy = false;  // the extra reply of a "dup"
};

int open_socket(Family family) {
  const int domain = family == Family::v4 ? AF_INET : AF_INET6;
  const int protocol = family == Family::v4 ? static_cast<int>(IPPROTO_ICMP) : static_cast<int>(IPPROTO_ICMPV6);
  const int fd = socket(domain, SOCK_RAW | SOCK_CLOEXEC, protocol);
  if (fd < 0) {
    std::perror("zzping-responder: raw ICMP socket (needs CAP_NET_RAW)");
    std::exit(1);
  }
  const int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
  // Transmit stamps (read back from the error queue right after each send): when the reply
  // really left, not when we meant to send it.
  const int tx_stamps = SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_OPT_TSONLY;
  setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &tx_stamps, sizeof(tx_stamps));
  if (family == Family::v4) {
    icmp_filter filter{};
    filter.data = ~(1u << ICMP_ECHO);
    setsockopt(fd, SOL_RAW, ICMP_FILTER, &filter, sizeof(filter));
  } else {
    icmp6_filter filter{};
    ICMP6_FILTER_SETBLOCKALL(&filter);
    ICMP6_FILTER_SETPASS(ICMP6_ECHO_REQUEST, &filter);
    setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof(filter));
    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on));
  }
  return fd;
}

std::optional<Request> receive(int fd, Family family) {
  std::uint8_t buffer[2048];
  std::uint8_t control[512];
  sockaddr_storage from{};
  iovec iov{buffer, sizeof(buffer)};
  msghdr header{};
  header.msg_name = &from;
  header.msg_namelen = sizeof(from);
  header.msg_iov = &iov;
  header.msg_iovlen = 1;
  header.msg_control = control;
  header.msg_controllen = sizeof(control);
  const ssize_t size = recvmsg(fd, &header, MSG_DONTWAIT);
  if (size <= 0) return std::nullopt;
  const auto clocks = zzping::daemon::read_clocks();
  Request request;
  request.family = family;
  std::int64_t stamp = 0;
  for (cmsghdr* c = CMSG_FIRSTHDR(&header); c != nullptr; c = CMSG_NXTHDR(&header, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
      timespec ts{};
      std::memcpy(&ts, CMSG_DATA(c), sizeof(ts));
      stamp = ts.tv_sec * 1'000'000'000LL + ts.tv_nsec;
    }
    if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
      in6_pktinfo info{};
      std::memcpy(&info, CMSG_DATA(c), sizeof(info));
      request.destination.family = Family::v6;
      std::memcpy(request.destination.bytes.data(), &info.ipi6_addr, 16);
    }
  }
  request.rx_wall_ns = stamp != 0 ? stamp : clocks.wall_ns;
  request.rx_mono_ns = zzping::daemon::kernel_stamp_to_monotonic(stamp, clocks);
  const auto source = IpAddress::from_sockaddr(reinterpret_cast<sockaddr*>(&from));
  if (!source) return std::nullopt;
  request.source = *source;
  std::span<const std::uint8_t> bytes(buffer, static_cast<std::size_t>(size));
  if (family == Family::v4) {
    const std::size_t ihl = static_cast<std::size_t>(buffer[0] & 0x0f) * 4;
    if (bytes.size() < ihl + 8) return std::nullopt;
    request.ip_header.assign(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(ihl));
    request.destination.family = Family::v4;
    std::memcpy(request.destination.bytes.data(), buffer + 16, 4);
    bytes = bytes.subspan(ihl);
  }
  if (!zzping::daemon::parse_echo_request(family, bytes)) return std::nullopt;
  request.icmp.assign(bytes.begin(), bytes.end());
  return request;
}

// The kernel's software transmit stamp of the packet just sent on `fd` (wall clock, ns),
// 0 if none is queued (a driver without transmit stamps).
std::int64_t take_tx_stamp(int fd) {
  std::int64_t stamp = 0;
  while (true) {
    alignas(cmsghdr) std::uint8_t control[256];
    std::uint8_t data[64];
    iovec iov{data, sizeof(data)};
    msghdr header{};
    header.msg_iov = &iov;
    header.msg_iovlen = 1;
    header.msg_control = control;
    header.msg_controllen = sizeof(control);
    if (recvmsg(fd, &header, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) return stamp;
    for (cmsghdr* c = CMSG_FIRSTHDR(&header); c != nullptr; c = CMSG_NXTHDR(&header, c)) {
      if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPING) continue;
      scm_timestamping stamps{};
      std::memcpy(&stamps, CMSG_DATA(c), sizeof(stamps));
      stamp = stamps.ts[0].tv_sec * 1'000'000'000LL + stamps.ts[0].tv_nsec;
    }
  }
}

void set_checksum(Family family, std::vector<std::uint8_t>& icmp) {
  icmp[2] = icmp[3] = 0;
  if (family == Family::v6) return;  // the kernel computes ICMPv6 checksums
  const std::uint16_t sum = zzping::daemon::internet_checksum(icmp);
  icmp[2] = static_cast<std::uint8_t>(sum >> 8);
  icmp[3] = static_cast<std::uint8_t>(sum);
}

std::vector<std::uint8_t> build_reply(const Request& request, Action action) {
  std::vector<std::uint8_t> icmp = request.icmp;
  icmp[0] = request.family == Family::v4 ? 0 : 129;
  if (action == Action::corrupt && icmp.size() > 20) icmp[20] ^= 0x5a;  // inside the token's counter
  if (action == Action::foreign) icmp[5] = static_cast<std::uint8_t>(icmp[5] + 1);
  set_checksum(request.family, icmp);
  return icmp;
}

std::vector<std::uint8_t> build_unreachable(const Request& request) {
  std::vector<std::uint8_t> icmp = {static_cast<std::uint8_t>(request.family == Family::v4 ? 3 : 1),
                                    static_cast<std::uint8_t>(request.family == Family::v4 ? 1 : 3), 0, 0, 0, 0, 0, 0};
  if (request.family == Family::v4) {
    icmp.insert(icmp.end(), request.ip_header.begin(), request.ip_header.end());
  } else {
    std::vector<std::uint8_t> ip6(40, 0);
    ip6[0] = 0x60;
    ip6[4] = static_cast<std::uint8_t>(request.icmp.size() >> 8);
    ip6[5] = static_cast<std::uint8_t>(request.icmp.size());
    ip6[6] = 58;
    ip6[7] = 64;
    std::memcpy(ip6.data() + 8, request.source.bytes.data(), 16);
    std::memcpy(ip6.data() + 24, request.destination.bytes.data(), 16);
    icmp.insert(icmp.end(), ip6.begin(), ip6.end());
  }
  icmp.insert(icmp.end(), request.icmp.begin(), request.icmp.end());
  set_checksum(request.family, icmp);
  return icmp;
}

class Responder {
 public:
  Responder(ResponsePlan plan, std::FILE* log) : plan_(std::move(plan)), log_(log) {
    fds_[0] = open_socket(Family::v4);
    fds_[1] = open_socket(Family::v6);
  }

  void run() {
    std::printf("ready\n");
    std::fflush(stdout);
    while (g_stop == 0) {
      pollfd polls[2] = {{fds_[0], POLLIN, 0}, {fds_[1], POLLIN, 0}};
      timespec wait{1, 0};
      if (!pending_.empty()) {
        const std::int64_t left = std::max<std::int64_t>(0, pending_.begin()->first - zzping::daemon::monotonic_ns());
        wait = timespec{left / 1'000'000'000, left % 1'000'000'000};
      }
      const int ready = ppoll(polls, 2, &wait, nullptr);
      if (ready > 0) {
        for (int i = 0; i < 2; ++i) {
          if ((polls[i].revents & POLLIN) != 0) receive_all(i);
        }
      }
      send_due();
    }
    // Requests still queued when told to stop (a starved responder) reached us too: they
    // are logged like the rest, so the log holds every request that arrived.
    for (int i = 0; i < 2; ++i) receive_all(i);
    // Replies still held (e.g. "late" ones) were never sent: say so, so every request is logged.
    for (const auto& [due, pending] : pending_) {
      if (!pending.second_copy) log(pending.request, pending.decision.action, std::nullopt, true);
    }
    std::fflush(log_);
  }

 private:
  void receive_all(int socket_index) {
    const Family family = socket_index == 0 ? Family::v4 : Family::v6;
    while (auto request = receive(fds_[socket_index], family)) handle(std::move(*request));
  }

  void handle(Request request) {
    std::uint64_t& index = per_source_[request.source.to_string()];
    if (first_rx_mono_ns_ == 0) first_rx_mono_ns_ = request.rx_mono_ns;
    const Decision decision = plan_.decide(index++, request.rx_mono_ns - first_rx_mono_ns_);
    if (decision.action == Action::drop) {
      log(request, decision.action, std::nullopt);
      return;
    }
    const std::int64_t due = request.rx_mono_ns + decision.hold_ns;
    pending_.emplace(due, PendingSend{std::move(request), decision, false});
  }

  void send_due() {
    while (!pending_.empty() && pending_.begin()->first <= zzping::daemon::monotonic_ns()) {
      PendingSend send = std::move(pending_.begin()->second);
      pending_.erase(pending_.begin());
      const Request& request = send.request;
      const auto packet = send.decision.action == Action::unreach ? build_unreachable(request)
                                                                  : build_reply(request, send.decision.action);
      sockaddr_storage to{};
      const socklen_t length = request.source.to_sockaddr(to);
      const int fd = fds_[request.family == Family::v4 ? 0 : 1];
      const auto before = zzping::daemon::read_clocks();
      sendto(fd, packet.data(), packet.size(), 0, reinterpret_cast<sockaddr*>(&to), length);
      const std::int64_t kernel_tx = take_tx_stamp(fd);
      if (send.second_copy) continue;  // logged with the first copy
      log(request, send.decision.action, Sent{kernel_tx != 0 ? kernel_tx : before.wall_ns, kernel_tx != 0});
      if (send.decision.action == Action::dup) {
        pending_.emplace(before.mono_ns + 1'000'000, PendingSend{request, send.decision, true});
      }
    }
  }

  struct Sent {
    std::int64_t wall_ns = 0;
    bool kernel_stamp = false;
  };

  void log(const Request& request, Action action, std::optional<Sent> sent, bool unsent = false) {
    const auto parsed = zzping::daemon::parse_echo_request(request.family, request.icmp);
    const auto token = zzping::daemon::decode_probe_token(parsed->payload);
    std::fprintf(log_, "{\"rx_wall_ns\":%lld,\"family\":%d,\"src\":\"%s\",\"ident\":%u,\"seq\":%u,",
                 static_cast<long long>(request.rx_wall_ns), request.family == Family::v4 ? 4 : 6,
                 request.source.to_string().c_str(), parsed->ident, parsed->seq);
    if (token) {
      std::fprintf(log_, "\"counter\":%llu,\"send_wall_ns\":%lld,", static_cast<unsigned long long>(token->counter),
                   static_cast<long long>(token->send_wall_ns));
    } else {
      std::fprintf(log_, "\"counter\":null,\"send_wall_ns\":null,");
    }
    if (sent) {
      std::fprintf(log_, "\"action\":\"%s\",\"hold_ns\":%lld,\"tx_wall_ns\":%lld,\"tx_kernel\":%s}\n",
                   to_string(action), static_cast<long long>(sent->wall_ns - request.rx_wall_ns),
                   static_cast<long long>(sent->wall_ns), sent->kernel_stamp ? "true" : "false");
    } else {
      std::fprintf(log_, "\"action\":\"%s\",\"hold_ns\":null,\"tx_wall_ns\":null,\"tx_kernel\":false}\n",
                   unsent ? "unsent" : to_string(action));
    }
  }

  ResponsePlan plan_;
  std::FILE* log_;
  int fds_[2] = {-1, -1};
  std::multimap<std::int64_t, PendingSend> pending_;
  std::map<std::string, std::uint64_t> per_source_;
  std::int64_t first_rx_mono_ns_ = 0;
};

Outage parse_outage(const std::string& text) {
  long long start = 0;
  long long length = 0;
  if (std::sscanf(text.c_str(), "%lld:%lld", &start, &length) != 2 || start < 0 || length <= 0) {
    throw CLI::ValidationError("--outage", "expected START_MS:LENGTH_MS, got '" + text + "'");
  }
  return Outage{start, length};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"zzping-responder: scriptable ICMP echo responder for tests (kernel echo must be off)"};
  app.set_version_flag("--version", std::string("zzping-responder ") + ZZPING_VERSION);
  PlanSettings plan;
  std::vector<std::string> outages;
  std::string log_path = "-";
  app.add_option("--delay-ms", plan.delay_ms, "hold every reply this long");
  app.add_option("--jitter-ms", plan.jitter_ms, "plus a uniform random extra hold in [0, jitter)");
  app.add_option("--alternate-ms", plan.alternate_ms,
                 "plus this extra hold on every odd request: holds alternate, |delta| = this (jitter tests)");
  app.add_option("--loss", plan.loss, "probability of dropping a request");
  app.add_option("--burst-every", plan.burst_every, "loss bursts: period in requests (per source)");
  app.add_option("--burst-length", plan.burst_length, "loss bursts: requests dropped at the end of each period");
  app.add_option("--outage", outages, "START_MS:LENGTH_MS after the first request: drop everything (repeatable)");
  app.add_option("--dup", plan.dup, "probability of a duplicate reply (1 ms after the first)");
  app.add_option("--reorder", plan.reorder, "probability of an extra --reorder-ms hold");
  app.add_option("--reorder-ms", plan.reorder_ms, "extra hold for reordered replies");
  app.add_option("--corrupt", plan.corrupt, "probability of a corrupted reply (damaged token) instead of the reply");
  app.add_option("--foreign", plan.foreign, "probability of a reply with a foreign identifier instead");
  app.add_option("--unreach", plan.unreach, "probability of an ICMP destination unreachable instead");
  app.add_option("--late", plan.late, "probability of holding the reply --late-ms");
  app.add_option("--late-ms", plan.late_ms, "hold of late replies (beyond the pinger's timeout)");
  app.add_option("--seed", plan.seed, "random seed (default 1)");
  app.add_option("--log", log_path, "JSON-lines log of every request ('-' = stdout)");
  try {
    app.parse(argc, argv);
    for (const auto& text : outages) plan.outages.push_back(parse_outage(text));
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  }
  std::FILE* log = log_path == "-" ? stdout : std::fopen(log_path.c_str(), "w");
  if (log == nullptr) {
    std::fprintf(stderr, "zzping-responder: cannot open log %s: %s\n", log_path.c_str(), std::strerror(errno));
    return 1;
  }
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
  Responder responder{ResponsePlan(plan), log};
  responder.run();
  if (log != stdout) std::fclose(log);
  return 0;
}
