// SPDX-License-Identifier: GPL-3.0-or-later
// zzpingd's TOML configuration parser (toml++ plus our key and range checks) fed arbitrary
// text: it must either return a configuration or throw ConfigError with a message, never
// crash, hang or throw anything else. Valid results also go through validation, like
// zzpingd does on start and on SIGHUP.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "zzping/daemon/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const zzping::daemon::DaemonConfig parsed = zzping::daemon::parse_config(text, "fuzz.toml");
    (void)zzping::daemon::finalize_config(parsed, zzping::daemon::ConfigOverrides{});
  } catch (const zzping::daemon::ConfigError& error) {
    // Every rejection must say what is wrong.
    if (std::string_view(error.what()).empty()) std::abort();
  }
  return 0;
}
