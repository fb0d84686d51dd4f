// SPDX-License-Identifier: GPL-3.0-or-later
// The journal's log format: "<N>message" lines only when stderr is $JOURNAL_STREAM.
#include "zzping/daemon/journal_log.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spdlog/details/log_msg.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <string>

namespace zzping::daemon {
namespace {

std::string formatted(spdlog::level::level_enum level, std::string_view text) {
  const auto formatter = make_journal_formatter();
  spdlog::details::log_msg message(spdlog::source_loc{}, "zzpingd", level,
                                   spdlog::string_view_t(text.data(), text.size()));
  spdlog::memory_buf_t out;
  formatter->format(message, out);
  return std::string(out.data(), out.size());
}

TEST(JournalLog, PrioritiesOfTheLevels) {
  EXPECT_EQ(syslog_priority(spdlog::level::trace), 7);
  EXPECT_EQ(syslog_priority(spdlog::level::debug), 7);
  EXPECT_EQ(syslog_priority(spdlog::level::info), 6);
  EXPECT_EQ(syslog_priority(spdlog::level::warn), 4);
  EXPECT_EQ(syslog_priority(spdlog::level::err), 3);
  EXPECT_EQ(syslog_priority(spdlog::level::critical), 2);
}

TEST(JournalLog, LinesStartWithTheirPriorityAndHaveNoTimestamp) {
  EXPECT_EQ(formatted(spdlog::level::info, "host 127.0.0.1: 10 probes/s"), "<6>host 127.0.0.1: 10 probes/s\n");
  EXPECT_EQ(formatted(spdlog::level::warn, "realtime refused"), "<4>realtime refused\n");
  EXPECT_EQ(formatted(spdlog::level::err, "files: create"), "<3>files: create\n");
  // journald parses the prefix per line: every line of a message carries it.
  EXPECT_EQ(formatted(spdlog::level::err, "one\ntwo"), "<3>one\n<3>two\n");
  EXPECT_EQ(formatted(spdlog::level::warn, "ends\n"), "<4>ends\n");
  EXPECT_EQ(formatted(spdlog::level::info, ""), "<6>\n");
}

TEST(JournalLog, StderrIsTheJournalOnlyWhenJournalStreamNamesIt) {
  char path[] = "/tmp/zzping-journal-log-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::unlink(path);
  struct stat status {};
  ASSERT_EQ(::fstat(fd, &status), 0);
  const std::string dev = std::to_string(status.st_dev);
  const std::string ino = std::to_string(status.st_ino);
  EXPECT_TRUE(fd_is_journal_stream(fd, (dev + ":" + ino).c_str()));
  EXPECT_FALSE(fd_is_journal_stream(fd, nullptr));
  EXPECT_FALSE(fd_is_journal_stream(fd, ""));
  EXPECT_FALSE(fd_is_journal_stream(fd, (dev + ":" + std::to_string(status.st_ino + 1)).c_str()));
  EXPECT_FALSE(fd_is_journal_stream(fd, (std::to_string(status.st_dev + 1) + ":" + ino).c_str()));
  EXPECT_FALSE(fd_is_journal_stream(fd, (dev + ":" + ino + "x").c_str()));
  EXPECT_FALSE(fd_is_journal_stream(fd, ino.c_str()));
  EXPECT_FALSE(fd_is_journal_stream(-1, (dev + ":" + ino).c_str()));
  ::close(fd);
}

}  // namespace
}  // namespace zzping::daemon
