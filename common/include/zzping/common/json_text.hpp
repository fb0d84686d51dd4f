// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// JSON string text for the jsonl outputs (zzpingd's frames_jsonl and alert events,
// zzping-dump, zzping-tail): one escaping rule for all of them.
#include <string>
#include <string_view>

namespace zzping {

// The text between the quotes: `"` and `\` escaped, \n and \t by name, other control
// characters as \u00XX; everything else (UTF-8 included) as is.
std::string json_escape(std::string_view text);
// The same in quotes: a JSON string.
std::string json_string(std::string_view text);

}  // namespace zzping
