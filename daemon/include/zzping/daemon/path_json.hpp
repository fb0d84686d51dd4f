// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Path snapshots as JSON lines (frames_jsonl; the same fields as zzping-dump's jsonl):
//   {"host":"h","event":"path","t_ms":..,"trigger":"start"|"interval"|"loss_burst",
//    "reached":true|false,"hops":[{"ttl":1,"addr":"10.0.0.1"|null,"rtt_us":812|null},..]}
//   {"host":"h","event":"route_change","t_ms":..,"hops":["10.0.0.1",null,..]}
// (a route_change line follows the path line of a snapshot with route_changed set).
#include <string>

#include "zzping/common/path.hpp"

namespace zzping::daemon {

std::string path_to_json(const std::string& host, const PathSnapshot& path);
std::string route_change_to_json(const std::string& host, const PathSnapshot& path);

}  // namespace zzping::daemon
