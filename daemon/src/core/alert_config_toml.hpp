// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The [[alert]] reader for config.cpp (private to zzping_daemon_core: it exposes toml++).
#include <toml++/toml.h>

#include <cstddef>
#include <string_view>

#include "zzping/daemon/alert_config.hpp"

namespace zzping::daemon {

// One [[alert]] table; `index` is its position (errors say "alert[2]" until the name is
// known). Throws ConfigError naming origin:line:column, the key and the value.
AlertConfig read_alert(const toml::node& node, std::string_view origin, std::size_t index);

}  // namespace zzping::daemon
