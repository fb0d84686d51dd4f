// SPDX-License-Identifier: GPL-3.0-or-later
// The real zzpingd killed with SIGKILL at random moments: every file it left reads back to
// its last complete record (at most a truncation warning, never an error), files of earlier
// runs are never touched again, and a restart in the same hour keeps the earlier data.
// Root only (ICMP sockets); pings 127.0.0.1 only.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <thread>

#include "zzping/formats/native/file_reader.hpp"
#include "zzping/formats/native/layout.hpp"

#include "temp_dir.hpp"
#include "prerequisite.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

using zzping::test_support::TempDir;

Bytes file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_config(const fs::path& config, const fs::path& data_dir) {
  std::ofstream out(config);
  out << "[daemon]\n"
      << "frame_ms = 100\n"
      << "timeout_ms = 200\n"
      << "flush_ms = 100\n"
      << "fsync_s = 1\n"
      << "listen = \"127.0.0.1:0\"\n"
      << "console = \"off\"\n"
      << "data_dir = \"" << data_dir.string() << "\"\n"
      << "[[target]]\nhost = \"127.0.0.1\"\nrate = 100\n";
}

pid_t start_zzpingd(const fs::path& config, const fs::path& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::string path = ZZPINGD_PATH;
  std::string option = "--config";
  std::string file = config.string();
  char* argv[] = {path.data(), option.data(), file.data(), nullptr};
  pid_t pid = -1;
  const int error = posix_spawn(&pid, path.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) throw std::runtime_error("posix_spawn zzpingd failed");
  return pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

struct Survey {
  std::map<fs::path, Bytes> files;
  std::size_t raw_frames = 0;
  std::size_t raw_files = 0;
  std::size_t truncated = 0;
};

// Reads every file under the data dir; no file may end in an error.
Survey survey(const fs::path& data_dir) {
  Survey result;
  if (!fs::exists(data_dir)) return result;
  for (const auto& entry : fs::recursive_directory_iterator(data_dir)) {
    if (!entry.is_regular_file()) continue;
    result.files[entry.path()] = file_bytes(entry.path());
    const zzping::native::NativeFile file = zzping::native::read_native_file(entry.path());
    EXPECT_NE(file.end.kind, zzping::native::EndKind::kError) << entry.path() << ": " << file.end.message;
    if (file.end.kind == zzping::native::EndKind::kTruncated) ++result.truncated;
    const bool raw = zzping::native::layout::parse_raw_file_name(entry.path().filename().string()).has_value();
    if (!raw) continue;
    ++result.raw_files;
    result.raw_frames += file.frames.size();
    for (const zzping::Frame& frame : file.frames) {
      EXPECT_GT(frame.sent, 0u);
      EXPECT_EQ(frame.sent, frame.recv + frame.lost);
    }
  }
  return result;
}

TEST(ZzpingdCrash, KillNineLeavesReadableFilesAndRestartsNeverOverwrite) {
  ZZPING_REQUIRE(geteuid() == 0, "needs root for ICMP sockets to ping 127.0.0.1");
  TempDir dir;
  const fs::path data_dir = dir.path() / "data";
  const fs::path config = dir.path() / "zzpingd.toml";
  write_config(config, data_dir);
  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> lifetime_ms(300, 2000);

  Survey before;
  std::size_t runs_that_wrote = 0;
  for (int run = 0; run < 10; ++run) {
    const pid_t pid = start_zzpingd(config, dir.path() / "zzpingd.log");
    const int lived_ms = lifetime_ms(random);
    std::this_thread::sleep_for(std::chrono::milliseconds(lived_ms));
    kill(pid, SIGKILL);
    wait_for(pid);
    SCOPED_TRACE("run " + std::to_string(run) + " killed after " + std::to_string(lived_ms) + " ms");
    const Survey after = survey(data_dir);
    for (const auto& [path, bytes] : before.files) {
      const auto it = after.files.find(path);
      ASSERT_NE(it, after.files.end()) << path << " disappeared";
      EXPECT_EQ(it->second, bytes) << path << " was changed by a later run";
    }
    EXPECT_GE(after.raw_frames, before.raw_frames);
    if (after.raw_frames > before.raw_frames) {
      ++runs_that_wrote;
      EXPECT_GT(after.raw_files, before.raw_files) << "a restart writes a new numbered file";
    }
    before = after;
  }
  EXPECT_GE(runs_that_wrote, 5u) << "most runs lived long enough to write frames";

  // A clean stop (SIGINT) writes everything, ends every new file after a whole record and
  // exits 0.
  const pid_t pid = start_zzpingd(config, dir.path() / "zzpingd.log");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  kill(pid, SIGINT);
  const int status = wait_for(pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  const Survey last = survey(data_dir);
  EXPECT_GT(last.raw_frames, before.raw_frames + 5);
  for (const auto& [path, bytes] : last.files) {
    if (before.files.count(path) != 0) continue;
    const zzping::native::NativeFile file = zzping::native::read_native_file(path);
    EXPECT_EQ(file.end.kind, zzping::native::EndKind::kEof) << path << ": " << file.end.message;
    EXPECT_FALSE(file.frames.empty()) << path;
  }
  std::printf("crash test: %zu files, %zu raw frames, %zu truncated by kill -9, %zu of 10 runs wrote\n",
              last.files.size(), last.raw_frames, last.truncated, runs_that_wrote);
}

}  // namespace
