// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/journal_log.hpp"

#include <spdlog/details/log_msg.h>
#include <sys/stat.h>

#include <cinttypes>
#include <cstdio>
#include <string_view>

namespace zzping::daemon {

bool fd_is_journal_stream(int fd, const char* journal_stream) {
  if (journal_stream == nullptr) return false;
  std::uintmax_t device = 0;
  std::uintmax_t inode = 0;
  char rest = 0;
  // systemd writes it as "%" PRIu64 ":" "%" PRIu64; anything else is not ours to trust.
  if (std::sscanf(journal_stream, "%" SCNuMAX ":%" SCNuMAX "%c", &device, &inode, &rest) != 2) return false;
  struct stat status {};
  if (::fstat(fd, &status) != 0) return false;
  return static_cast<std::uintmax_t>(status.st_dev) == device && static_cast<std::uintmax_t>(status.st_ino) == inode;
}

int syslog_priority(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return 7;  // LOG_DEBUG
    case spdlog::level::info:
      return 6;  // LOG_INFO
    case spdlog::level::warn:
      return 4;  // LOG_WARNING
    case spdlog::level::err:
      return 3;  // LOG_ERR
    case spdlog::level::critical:
      return 2;  // LOG_CRIT
    default:
      return 6;
  }
}

namespace {

class JournalFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& message, spdlog::memory_buf_t& out) override {
    const char prefix[] = {'<', static_cast<char>('0' + syslog_priority(message.level)), '>'};
    const std::string_view payload(message.payload.data(), message.payload.size());
    std::size_t start = 0;
    for (;;) {
      const std::size_t end = payload.find('\n', start);
      const std::string_view line = payload.substr(start, end == std::string_view::npos ? end : end - start);
      out.append(prefix, prefix + sizeof prefix);
      out.append(line.data(), line.data() + line.size());
      out.push_back('\n');
      if (end == std::string_view::npos || end + 1 == payload.size()) break;
      start = end + 1;
    }
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JournalFormatter>(); }
};

}  // namespace

std::unique_ptr<spdlog::formatter> make_journal_formatter() { return std::make_unique<JournalFormatter>(); }

}  // namespace zzping::daemon
