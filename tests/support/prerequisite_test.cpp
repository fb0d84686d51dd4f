// SPDX-License-Identifier: GPL-3.0-or-later
// The prerequisite switch: a test whose program is missing from PATH skips and names the
// program; under CI=true or ZZPING_REQUIRE_ALL_TESTS=1 the same test fails with that reason.
// Both the gtest macro (prerequisite_probe) and the shell helper are run for real, in child
// processes whose environment this test sets.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include "prerequisite.hpp"

namespace {

constexpr const char* kMissing = "zzping-no-such-program-7f3a";

struct Outcome {
  int exit_code = -1;
  std::string output;
};

// Runs `command` through /bin/sh and captures its output and exit code.
Outcome run(const std::string& command) {
  Outcome outcome;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return outcome;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) outcome.output += buffer.data();
  const int status = pclose(pipe);
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return outcome;
}

// Environment prefixes: neither switch, CI=true, ZZPING_REQUIRE_ALL_TESTS=1.
const std::string kNoSwitch = "env -u CI -u ZZPING_REQUIRE_ALL_TESTS ";
const std::string kCi = "env -u ZZPING_REQUIRE_ALL_TESTS CI=true ";
const std::string kRequireAll = "env -u CI ZZPING_REQUIRE_ALL_TESTS=1 ";

// The probe binary (prerequisite_probe.cpp): one test that requires kMissing.
std::string probe_command() { return PREREQUISITE_PROBE; }

}  // namespace

TEST(Prerequisite, FindsProgramsInPath) {
  EXPECT_FALSE(zzping::testing::find_program("sh").empty());
  EXPECT_TRUE(zzping::testing::find_program(kMissing).empty());
}

TEST(Prerequisite, GtestSkipsWithoutTheSwitchAndNamesTheProgram) {
  const Outcome outcome = run(kNoSwitch + probe_command());
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("[  SKIPPED ] PrerequisiteProbe.MissingProgram"), std::string::npos)
      << outcome.output;
  EXPECT_NE(outcome.output.find(kMissing), std::string::npos) << outcome.output;
}

TEST(Prerequisite, GtestFailsUnderCi) {
  for (const std::string& env : {kCi, kRequireAll}) {
    const Outcome outcome = run(env + probe_command());
    EXPECT_NE(outcome.exit_code, 0) << env << outcome.output;
    EXPECT_NE(outcome.output.find("[  FAILED  ] PrerequisiteProbe.MissingProgram"), std::string::npos)
        << env << outcome.output;
    EXPECT_NE(outcome.output.find("missing prerequisite"), std::string::npos) << env << outcome.output;
    EXPECT_NE(outcome.output.find(kMissing), std::string::npos) << env << outcome.output;
  }
}

// The shell helper with a PATH that lacks a real program (`ip`, which the suite uses).
TEST(Prerequisite, ShellSkipsWithoutTheSwitchAndFailsUnderCi) {
  const std::string script = std::string("bash -c 'source ") + PREREQUISITE_SH +
                             "; PATH=/nonexistent; zzping_require_program ip; echo reached'";
  const Outcome skipped = run(kNoSwitch + script);
  EXPECT_EQ(skipped.exit_code, 77) << skipped.output;
  EXPECT_NE(skipped.output.find("SKIP: missing prerequisite: the program 'ip'"), std::string::npos) << skipped.output;
  EXPECT_EQ(skipped.output.find("reached"), std::string::npos) << skipped.output;
  for (const std::string& env : {kCi, kRequireAll}) {
    const Outcome failed = run(env + script);
    EXPECT_EQ(failed.exit_code, 1) << env << failed.output;
    EXPECT_NE(failed.output.find("FAILED: missing prerequisite"), std::string::npos) << env << failed.output;
    EXPECT_NE(failed.output.find("'ip'"), std::string::npos) << env << failed.output;
  }
  const Outcome present = run(kCi + std::string("bash -c 'source ") + PREREQUISITE_SH +
                              "; zzping_require_program sh; echo reached'");
  EXPECT_EQ(present.exit_code, 0) << present.output;
  EXPECT_NE(present.output.find("reached"), std::string::npos) << present.output;
}
