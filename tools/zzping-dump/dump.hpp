// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// zzping-dump's work: print the frames of one file of any supported format.
#include <filesystem>
#include <ostream>

#include "zzping/tools/frame_output.hpp"

namespace zzping::dump {

struct DumpResult {
  std::size_t frames = 0;
  bool truncated = false;  // a cut last frame/block (a warning was printed)
  bool failed = false;     // stopped at bad bytes (an error was printed)
};

// Prints every frame (and event) of `path` to `printer`; warnings and errors go to stderr
// as one line naming the file, the problem and its byte offset. Throws on I/O failure or
// an undetectable format.
DumpResult dump_file(const std::filesystem::path& path, tools::FramePrinter& printer);

// Prints what a file is (format, header fields, frames, how it ends) instead of frames.
DumpResult describe_file(const std::filesystem::path& path, std::ostream& out);

}  // namespace zzping::dump
