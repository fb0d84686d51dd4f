// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// TempDir: a fresh, empty folder for one test, removed with everything in it by the
// destructor (shared by every test executable: zzping_add_gtest puts tests/support on the
// include path).
#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

namespace zzping::test_support {

class TempDir {
 public:
  // `prefix` names the folder under $TMPDIR, so a leftover says which test made it.
  explicit TempDir(const std::string& prefix = "zzping-test") {
    std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed: " + pattern);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace zzping::test_support
