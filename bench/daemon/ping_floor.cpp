// SPDX-License-Identifier: GPL-3.0-or-later
// The floor of a pinger's CPU per probe (bench, not zzping): the least a process can do to
// send N hosts x R echo requests per second and read every reply with its kernel stamp.
// One thread, the socket options of zzpingd's IcmpSocket (raw, SO_TIMESTAMPNS, a 4 MiB
// receive buffer, ICMP type filter, BPF identifier filter); every host's deadline falls on
// the same grid, so each burst is one clock_nanosleep, one sendto per probe (or one
// sendmmsg for the burst with --sendmmsg) and recvmmsg until the socket is empty, nothing
// else: no statistics, no files. On loopback the kernel's echo reply is computed (and its
// CPU charged) inside the sender's send call, as for every pinger.
// Usage (root, in a namespace): ping_floor [--sendmmsg] [--df] SECONDS RATE HOST...
//   --df sets IP_PMTUDISC_PROBE (DF set, IP ID 0) instead of the default PMTU mode.
// Prints "sent S received R" on stdout.
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/icmp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

constexpr std::int64_t kNsPerS = 1'000'000'000;
constexpr std::size_t kBatch = 32;
constexpr std::size_t kPacketBytes = 1500;
constexpr std::size_t kControlBytes = 256;
constexpr std::size_t kPayloadBytes = 28;  // zzpingd's probe token

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "ping_floor: %s: %s\n", what, std::strerror(errno));
  std::exit(1);
}

std::int64_t now_ns(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * kNsPerS + ts.tv_nsec;
}

std::uint16_t checksum(const std::uint8_t* data, std::size_t size) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < size; i += 2) sum += static_cast<std::uint32_t>(data[i] << 8 | data[i + 1]);
  if (size % 2 != 0) sum += static_cast<std::uint32_t>(data[size - 1] << 8);
  while (sum >> 16 != 0) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

// zzpingd's raw IPv4 socket: SO_TIMESTAMPNS, 4 MiB receive buffer, ICMP type filter and a
// BPF filter dropping echo replies with another identifier.
int open_socket(std::uint16_t ident, bool df) {
  const int fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
  if (fd < 0) die("socket");
  int one = 1;
  if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)) != 0) die("SO_TIMESTAMPNS");
  int size = 4 * 1024 * 1024;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
  icmp_filter filter{};
  filter.data = ~((1u << ICMP_ECHOREPLY) | (1u << ICMP_DEST_UNREACH) | (1u << ICMP_TIME_EXCEEDED));
  if (setsockopt(fd, SOL_RAW, ICMP_FILTER, &filter, sizeof(filter)) != 0) die("ICMP_FILTER");
  sock_filter code[] = {
      BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
      BPF_STMT(BPF_LD | BPF_B | BPF_IND, 0),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ICMP_ECHOREPLY, 0, 3),
      BPF_STMT(BPF_LD | BPF_H | BPF_IND, 4),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ident, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, 0),
      BPF_STMT(BPF_RET | BPF_K, 0xffff),
  };
  sock_fprog program{static_cast<unsigned short>(sizeof(code) / sizeof(code[0])), code};
  if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof(program)) != 0) die("SO_ATTACH_FILTER");
  if (df) {
    int mode = IP_PMTUDISC_PROBE;
    if (setsockopt(fd, SOL_IP, IP_MTU_DISCOVER, &mode, sizeof(mode)) != 0) die("IP_MTU_DISCOVER");
  }
  return fd;
}

struct Request {
  sockaddr_in destination{};
  std::array<std::uint8_t, 8 + kPayloadBytes> bytes{};
};

// One echo request, stamped like zzpingd's (clock read right before it is built).
void build(Request& request, std::uint16_t ident, std::uint16_t seq) {
  auto& b = request.bytes;
  b.fill(0);
  b[0] = ICMP_ECHO;
  b[4] = static_cast<std::uint8_t>(ident >> 8);
  b[5] = static_cast<std::uint8_t>(ident);
  b[6] = static_cast<std::uint8_t>(seq >> 8);
  b[7] = static_cast<std::uint8_t>(seq);
  const std::int64_t wall = now_ns(CLOCK_REALTIME);
  std::memcpy(&b[8], &wall, sizeof(wall));
  const std::uint16_t sum = checksum(b.data(), b.size());
  b[2] = static_cast<std::uint8_t>(sum >> 8);
  b[3] = static_cast<std::uint8_t>(sum);
}

// Reads every queued reply (recvmmsg until the socket is empty); returns how many had our
// identifier and a kernel stamp.
std::uint64_t drain(int fd, std::uint16_t ident) {
  static std::array<std::array<std::uint8_t, kPacketBytes>, kBatch> packets;
  static std::array<std::array<std::uint8_t, kControlBytes>, kBatch> controls;
  static std::array<sockaddr_in, kBatch> sources;
  static std::array<iovec, kBatch> iovs;
  static std::array<mmsghdr, kBatch> messages;
  std::uint64_t received = 0;
  for (;;) {
    for (std::size_t i = 0; i < kBatch; ++i) {
      iovs[i] = iovec{packets[i].data(), packets[i].size()};
      messages[i].msg_hdr = msghdr{};
      messages[i].msg_hdr.msg_name = &sources[i];
      messages[i].msg_hdr.msg_namelen = sizeof(sources[i]);
      messages[i].msg_hdr.msg_iov = &iovs[i];
      messages[i].msg_hdr.msg_iovlen = 1;
      messages[i].msg_hdr.msg_control = controls[i].data();
      messages[i].msg_hdr.msg_controllen = controls[i].size();
    }
    const int count = recvmmsg(fd, messages.data(), kBatch, MSG_DONTWAIT, nullptr);
    if (count <= 0) return received;
    for (int i = 0; i < count; ++i) {
      msghdr& header = messages[static_cast<std::size_t>(i)].msg_hdr;
      const std::uint8_t* ip = packets[static_cast<std::size_t>(i)].data();
      const std::size_t header_bytes = static_cast<std::size_t>(ip[0] & 0x0f) * 4;
      const std::uint8_t* icmp = ip + header_bytes;
      const bool ours = icmp[0] == ICMP_ECHOREPLY && (icmp[4] << 8 | icmp[5]) == ident;
      bool stamped = false;
      for (cmsghdr* c = CMSG_FIRSTHDR(&header); c != nullptr; c = CMSG_NXTHDR(&header, c)) {
        stamped |= c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS;
      }
      if (ours && stamped) ++received;
    }
    if (static_cast<std::size_t>(count) < kBatch) return received;
  }
}

}  // namespace

int main(int argc, char** argv) {
  bool use_sendmmsg = false;
  bool df = false;
  int arg = 1;
  for (; arg < argc && argv[arg][0] == '-'; ++arg) {
    const std::string flag = argv[arg];
    if (flag == "--sendmmsg") use_sendmmsg = true;
    else if (flag == "--df") df = true;
    else {
      std::fprintf(stderr, "ping_floor: unknown option %s\n", argv[arg]);
      return 2;
    }
  }
  if (argc - arg < 3) {
    std::fprintf(stderr, "usage: ping_floor [--sendmmsg] [--df] SECONDS RATE HOST...\n");
    return 2;
  }
  const double seconds = std::atof(argv[arg]);
  const long rate = std::atol(argv[arg + 1]);
  std::vector<Request> requests;
  for (int i = arg + 2; i < argc; ++i) {
    Request request;
    request.destination.sin_family = AF_INET;
    if (inet_pton(AF_INET, argv[i], &request.destination.sin_addr) != 1) {
      std::fprintf(stderr, "ping_floor: not an IPv4 address: %s\n", argv[i]);
      return 2;
    }
    requests.push_back(request);
  }
  if (rate <= 0 || seconds <= 0) {
    std::fprintf(stderr, "ping_floor: SECONDS and RATE must be > 0\n");
    return 2;
  }
  const auto ident = static_cast<std::uint16_t>(std::random_device{}());
  const int fd = open_socket(ident, df);
  std::vector<iovec> iovs(requests.size());
  std::vector<mmsghdr> messages(requests.size());

  const std::int64_t period = kNsPerS / rate;
  const auto bursts = static_cast<std::int64_t>(seconds * static_cast<double>(rate));
  const std::int64_t start = now_ns(CLOCK_MONOTONIC) + 10'000'000;
  std::uint64_t sent = 0;
  std::uint64_t received = 0;
  for (std::int64_t burst = 0; burst < bursts; ++burst) {
    const std::int64_t deadline = start + burst * period;
    const timespec at{static_cast<time_t>(deadline / kNsPerS), static_cast<long>(deadline % kNsPerS)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, nullptr) == EINTR) {
    }
    const auto seq = static_cast<std::uint16_t>(burst);
    if (use_sendmmsg) {
      for (std::size_t i = 0; i < requests.size(); ++i) {
        build(requests[i], ident, seq);
        iovs[i] = iovec{requests[i].bytes.data(), requests[i].bytes.size()};
        messages[i] = mmsghdr{};
        messages[i].msg_hdr.msg_name = &requests[i].destination;
        messages[i].msg_hdr.msg_namelen = sizeof(sockaddr_in);
        messages[i].msg_hdr.msg_iov = &iovs[i];
        messages[i].msg_hdr.msg_iovlen = 1;
      }
      const int done = sendmmsg(fd, messages.data(), static_cast<unsigned>(messages.size()), MSG_DONTWAIT);
      if (done > 0) sent += static_cast<std::uint64_t>(done);
    } else {
      for (Request& request : requests) {
        build(request, ident, seq);
        const ssize_t done = sendto(fd, request.bytes.data(), request.bytes.size(), MSG_DONTWAIT,
                                    reinterpret_cast<const sockaddr*>(&request.destination), sizeof(sockaddr_in));
        if (done > 0) ++sent;
      }
    }
    received += drain(fd, ident);
  }
  // The last burst's replies of a slower (non-loopback) path.
  const timespec grace{0, 200'000'000};
  nanosleep(&grace, nullptr);
  received += drain(fd, ident);
  close(fd);
  std::printf("sent %llu received %llu\n", static_cast<unsigned long long>(sent),
              static_cast<unsigned long long>(received));
  return 0;
}
