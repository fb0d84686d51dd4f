// SPDX-License-Identifier: GPL-3.0-or-later
// IcmpSocket against zzping-responder across a veth pair (tests/netns; root only, skips
// otherwise): an ICMP error quoting an earlier probe, still unread, must not eat the next
// probe. On a datagram socket (IP_RECVERR) the kernel keeps that error's errno pending
// and the next sendto returns it instead of sending; zzpingd's receive thread usually
// drains the error first, but under load it did not and a probe went missing.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <signal.h>

#include <array>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include "child_process.hpp"
#include "prerequisite.hpp"
#include "test_files.hpp"
#include "test_network.hpp"
#include "zzping/daemon/icmp_socket.hpp"
#include "zzping/daemon/probe_token.hpp"

using namespace std::chrono_literals;
using zzping::daemon::Family;
using zzping::daemon::IcmpSocket;
using zzping::daemon::IpAddress;
using zzping::testing::ChildProcess;
using zzping::testing::TestNetwork;

namespace {

struct SendResults {
  bool opened = false;
  bool error_pending = false;  // the first probe's ICMP error reached the socket
  int first = -1, second = -1;  // the two sends' results (0 or errno)
  int errors_read = 0;          // ICMP errors read from the error queue at the end
};

// Reads the socket's error queue until `wanted` ICMP errors came or 5 s passed.
int read_errors(int fd, int wanted) {
  int read = 0;
  while (read < wanted) {
    pollfd ready{fd, 0, 0};
    if (poll(&ready, 1, 5000) != 1) break;
    std::array<std::uint8_t, 512> data{}, control{};
    iovec iov{data.data(), data.size()};
    msghdr header{};
    header.msg_iov = &iov;
    header.msg_iovlen = 1;
    header.msg_control = control.data();
    header.msg_controllen = control.size();
    if (recvmsg(fd, &header, MSG_ERRQUEUE | MSG_DONTWAIT) >= 0) ++read;
  }
  return read;
}

// In the pinger namespace: a datagram socket sends probe 0, waits until the responder's
// "unreachable" for it is pending on the socket (left unread, as a busy receive thread
// would), then sends probe 1 and reads both probes' errors (the responder answered both).
SendResults send_two_probes(const std::string& ns, const IpAddress& destination) {
  SendResults results;
  std::thread worker([&] {
    if (!zzping::testing::enter_network_namespace(ns)) return;
    std::string why;
    IcmpSocket socket = IcmpSocket::open(destination.family, zzping::daemon::SocketMode::dgram, why);
    results.opened = true;
    std::array<std::uint8_t, 64> packet{};
    const auto send = [&](std::uint64_t counter) {
      const auto token = zzping::daemon::encode_probe_token({1, counter, 0});
      const std::size_t size =
          zzping::daemon::build_echo_request(destination.family, socket.ident(), static_cast<std::uint16_t>(counter), token, packet);
      return socket.send_to(destination, std::span(packet).first(size));
    };
    results.first = send(0);
    pollfd ready{socket.fd(), 0, 0};  // POLLERR is reported whatever the events asked
    results.error_pending = poll(&ready, 1, 5000) == 1 && (ready.revents & POLLERR) != 0;
    results.second = send(1);
    results.errors_read = read_errors(socket.fd(), 2);
  });
  worker.join();
  return results;
}

class IcmpSocketNetns : public ::testing::TestWithParam<Family> {};

TEST_P(IcmpSocketNetns, PendingIcmpErrorDoesNotEatTheNextProbe) {
  std::string why;
  auto net = TestNetwork::create(why);
  ZZPING_REQUIRE(net.has_value(), "namespace test: " + why);
  ASSERT_TRUE(net->enable_ping_sockets());
  zzping::testing::TestDirectory dir;
  dir.make("zzping-icmp-socket-netns", GetParam() == Family::v4 ? "v4" : "v6");
  ChildProcess responder(TestNetwork::in_ns(net->responder_ns(), {RESPONDER_PATH, "--unreach", "1", "--log",
                                                                  dir.path("responder.jsonl")}),
                         dir.path("responder.out"));
  ASSERT_TRUE(zzping::testing::wait_for_text(dir.path("responder.out"), "ready", 5s));
  const auto destination = IpAddress::parse(GetParam() == Family::v4 ? net->responder_v4() : net->responder_v6());
  ASSERT_TRUE(destination.has_value());

  const SendResults results = send_two_probes(net->pinger_ns(), *destination);
  ASSERT_TRUE(results.opened);
  EXPECT_EQ(results.first, 0);
  ASSERT_TRUE(results.error_pending) << "the responder's unreachable never reached the socket";
  EXPECT_EQ(results.second, 0) << "the second probe was not sent: " << std::strerror(results.second);
  EXPECT_EQ(results.errors_read, 2) << "an unreachable for each probe";
  responder.signal(SIGTERM);
  ASSERT_EQ(responder.wait(5s).value_or(-1), 0);
  std::size_t requests = 0;
  for (const auto& entry : zzping::testing::read_json_lines(dir.path("responder.jsonl"))) {
    if (entry["counter"].is_number()) ++requests;
  }
  EXPECT_EQ(requests, 2u) << "both probes reached the responder";
  dir.remove_unless(HasFailure());
}

INSTANTIATE_TEST_SUITE_P(Families, IcmpSocketNetns, ::testing::Values(Family::v4, Family::v6),
                         [](const auto& test_param) { return test_param.param == Family::v4 ? "v4" : "v6"; });

}  // namespace
