// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// CSV field text for every CSV the project writes (GUI bucket and incident exports, the
// report's CSV files): one quoting rule (RFC 4180) for all of them.
#include <string>
#include <string_view>

namespace zzping {

// `text` as one CSV field: as is, or in double quotes with inner quotes doubled when it
// holds a comma, a quote or a line break.
std::string csv_field(std::string_view text);

}  // namespace zzping
