// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A test that cannot run here (not root, a program missing, no namespaces) says why. Under
// CI (CI=true) or with ZZPING_REQUIRE_ALL_TESTS=1 a missing prerequisite is a FAILURE with
// that reason, so a green run never hides a test that did not run; elsewhere it is a skip.
//
//   ZZPING_REQUIRE(geteuid() == 0, "needs root for ICMP sockets");
//   ZZPING_REQUIRE_PROGRAM("curl");
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <string_view>

namespace zzping::testing {

// True when every prerequisite must be present: CI=true or ZZPING_REQUIRE_ALL_TESTS=1.
inline bool all_tests_required() {
  const char* ci = std::getenv("CI");
  const char* all = std::getenv("ZZPING_REQUIRE_ALL_TESTS");
  return (ci != nullptr && std::string_view(ci) == "true") ||
         (all != nullptr && std::string_view(all) == "1");
}

// The full path of `program` found in $PATH, or "" when it is not there.
inline std::string find_program(std::string_view program) {
  const char* path = std::getenv("PATH");
  std::string_view rest = path != nullptr ? path : "";
  while (true) {
    const std::size_t colon = rest.find(':');
    const std::string_view dir = rest.substr(0, colon);
    if (!dir.empty()) {
      std::string candidate = std::string(dir) + "/" + std::string(program);
      if (access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    if (colon == std::string_view::npos) return {};
    rest.remove_prefix(colon + 1);
  }
}

}  // namespace zzping::testing

#define ZZPING_REQUIRE(condition, reason)                                                     \
  do {                                                                                        \
    if (!(condition)) {                                                                       \
      if (::zzping::testing::all_tests_required()) {                                          \
        GTEST_FAIL() << "missing prerequisite (CI=true or ZZPING_REQUIRE_ALL_TESTS=1 make "    \
                        "this a failure): "                                                   \
                     << (reason);                                                             \
      } else {                                                                                \
        GTEST_SKIP() << "skipped, missing prerequisite: " << (reason);                        \
      }                                                                                       \
    }                                                                                         \
  } while (false)

#define ZZPING_REQUIRE_PROGRAM(program)                                                       \
  ZZPING_REQUIRE(!::zzping::testing::find_program(program).empty(),                           \
                 std::string("the program '") + (program) +                                   \
                     "' is not in PATH (scripts/install-deps.sh installs it)")
