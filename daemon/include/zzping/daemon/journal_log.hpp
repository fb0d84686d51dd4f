// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Log lines for the systemd journal. Under systemd a service's stderr is a stream to
// journald, which stores every line with PRIORITY=6 (info) unless the line starts with a
// syslog priority "<N>" (sd-daemon(3)). When stderr is that stream ($JOURNAL_STREAM names
// its device and inode, systemd.exec(5)), zzpingd logs "<N>message": warnings are 4,
// errors 3, and no timestamp (the journal has its own). Elsewhere the usual spdlog lines.
#include <spdlog/common.h>
#include <spdlog/formatter.h>

#include <memory>

namespace zzping::daemon {

// True when journal_stream ("DEVICE:INODE", the value of $JOURNAL_STREAM; may be null)
// names the file open on fd.
bool fd_is_journal_stream(int fd, const char* journal_stream);

// sd-daemon(3) priority of a spdlog level: trace and debug 7, info 6, warn 4, error 3,
// critical 2.
int syslog_priority(spdlog::level::level_enum level);

// "<N>message\n", each line of a multi-line message with its own "<N>".
std::unique_ptr<spdlog::formatter> make_journal_formatter();

}  // namespace zzping::daemon
