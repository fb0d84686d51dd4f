// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// zzping-gui's command line, parsed and checked before any window system is touched, so
// --help, --version and bad options work over ssh without a display. QtCore only.
#include <QString>
#include <QStringList>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace zzping::gui {

struct DaemonAddress {
  QString host;
  std::uint16_t port = 0;
};

struct GuiOptions {
  QStringList paths;                  // files and data directories
  std::vector<DaemonAddress> daemons;  // --connect
  std::optional<std::string> token;   // --token or $ZZPING_STREAM_TOKEN
  std::uint64_t backfill_s = 3600;
  std::optional<QString> screenshot;  // PNG path
  std::optional<std::pair<int, int>> size;
  std::optional<std::uint64_t> detail_mb;
  std::optional<double> live_detail_hours;
  std::optional<int> select_row;  // --select: 1-based row of the Outages list, once loaded
};

// What main() does: run with options, or print `text` and exit with `exit_code`
// (0 to stdout for --help/--version, 2 to stderr for a bad command line).
struct CommandLine {
  std::optional<GuiOptions> options;
  QString text;
  int exit_code = 0;
};

// `arguments` includes the program name first, as QCoreApplication::arguments() would.
CommandLine parse_command_line(const QStringList& arguments);

}  // namespace zzping::gui
