// SPDX-License-Identifier: GPL-3.0-or-later
// zzping-convert as a user runs it: byte-exact FDQ output for every golden configuration,
// zzping 0.2's aggregation reproduced, native round trips, refusals and error messages.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "../convert/golden.hpp"
#include "run_command.hpp"
#include "zzping/formats/zzping02/fdq.hpp"

namespace zzping::test {
namespace {

const std::string kConvert = ZZPING_CONVERT_BIN;

std::string golden(const std::string& relative) { return shell_quote(golden_path(relative).string()); }

struct FdqCase {
  std::string config;   // golden folder under fdq/
  std::string input;    // path under framedata/
  std::string flags;    // converter flags for that folder
};

class ConvertToFdq : public ::testing::TestWithParam<FdqCase> {};

// What the original datareadq wrote, for every golden configuration and input.
TEST_P(ConvertToFdq, ReproducesTheOriginalConverterByteForByte) {
  const FdqCase& c = GetParam();
  TempDir dir;
  const auto out = dir / "out.fdq";
  const auto r = run_command(kConvert + " --to fdq101 " + c.flags + " " +
                                 golden("framedata/" + c.input) + " -o " + shell_quote(out.string()),
                             dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto want = read_bytes(golden_path("fdq/" + c.config + "/" + c.input + ".fdq.log"));
  EXPECT_EQ(read_bytes(out), want);
}

const std::string kA = "pingd-log-192.168.0.1-20210101T08.log";
const std::string kB = "pingd-log-1.1.1.1-20210101T08.log";
const std::string kC = "truncated/pingd-log-192.168.0.1-20210101T08.log";
const std::string kD = "pingd-log-192.168.0.1-20210101T09.log";
const std::string kE = "edge/pingd-log-10.0.0.1-20210101T10.log";
const std::string kF = "edge/pingd-log-10.0.0.2-20210101T10.log";

INSTANTIATE_TEST_SUITE_P(
    Golden, ConvertToFdq,
    ::testing::Values(
        FdqCase{"llq-none_fes-60", kA, "--full-encode-secs 60"},
        FdqCase{"llq-none_fes-60", kB, "--full-encode-secs 60"},
        FdqCase{"llq-none_fes-60", kC, "--full-encode-secs 60"},
        FdqCase{"llq-none_fes-60", kD, "--full-encode-secs 60"},
        FdqCase{"llq-none_fes-60", kE, "--full-encode-secs 60"},
        // (f) starts with a delta frame: zzping 0.2 read 0 frames and wrote a bare header.
        FdqCase{"llq-none_fes-60", kF, "--full-encode-secs 60 --salvage"},
        FdqCase{"llq-0.01_fes-60", kA, "--llq 0.01"},
        FdqCase{"llq-0.01_fes-60", kB, "--llq 0.01"},
        FdqCase{"llq-0.1_fes-60", kA, "--llq 0.1"},
        FdqCase{"llq-0.1_fes-60", kB, "--llq 0.1"},
        FdqCase{"llq-0.1_fes-60", kE, "--llq 0.1"},
        FdqCase{"llq-none_fes-5", kB, "--full-encode-secs 5"},
        FdqCase{"llq-none_fes-5", kD, "--full-encode-secs 5"},
        FdqCase{"llq-0.1_fes-5", kD, "--llq 0.1 --full-encode-secs 5"},
        FdqCase{"llq-0.1_fes-60_delta-enc", kB, "--llq 0.1 --delta-enc"}));

// There is no fes-5 golden file for (a): its frames are those of fes 60, only the header
// byte of full_encode_secs differs (3c -> 05), as the testdata README explains.
TEST(ConvertToFdq, TenMinuteLogWithFes5DiffersOnlyInTheHeader) {
  TempDir dir;
  const auto out = dir / "out.fdq";
  const auto r = run_command(kConvert + " --to fdq101 --full-encode-secs 5 " +
                                 golden("framedata/" + kA) + " -o " + shell_quote(out.string()),
                             dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto want = read_bytes(golden_path("fdq/llq-none_fes-60/" + kA + ".fdq.log"));
  const auto got = read_bytes(out);
  ASSERT_EQ(got.size(), want.size());
  std::size_t differing = 0;
  for (std::size_t i = 0; i < got.size(); ++i) differing += got[i] != want[i];
  EXPECT_EQ(differing, 1u);
}

struct AggCase {
  std::size_t window, step;
  std::string folder;
};

class ConvertAggregate : public ::testing::TestWithParam<AggCase> {};

// fdqread --agg-window/--agg-step: the original's fold, byte for byte.
TEST_P(ConvertAggregate, ReproducesFdqreadByteForByte) {
  const AggCase& c = GetParam();
  TempDir dir;
  const auto out = dir / "agg.fdq";
  const auto r = run_command(kConvert + " --to fdq101 --agg-window " + std::to_string(c.window) +
                                 " --agg-step " + std::to_string(c.step) + " " +
                                 golden("fdq/llq-none_fes-60/" + kA + ".fdq.log") + " -o " +
                                 shell_quote(out.string()),
                             dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_bytes(out), read_bytes(golden_path("fdq-agg/" + c.folder + "/" + kA + ".fdq.log")));
}

INSTANTIATE_TEST_SUITE_P(Golden, ConvertAggregate,
                         ::testing::Values(AggCase{10, 10, "w10-s10"}, AggCase{32, 8, "w32-s8"}));

TEST(ConvertCli, RefusesToOverwriteUnlessForced) {
  TempDir dir;
  const auto out = dir / "exists.fdq";
  { std::ofstream(out) << "keep me"; }
  const std::string cmd = kConvert + " --to fdq101 " + golden("framedata/" + kB) + " -o " +
                          shell_quote(out.string());
  auto r = run_command(cmd, dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("exists"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(out), "keep me");
  r = run_command(cmd + " --force", dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_bytes(out), read_bytes(golden_path("fdq/llq-none_fes-60/" + kB + ".fdq.log")));
}

TEST(ConvertCli, UnknownInputIsAOneLineError) {
  TempDir dir;
  const auto in = dir / "notes.txt";
  { std::ofstream(in) << "hello, this is not a frame file\n"; }
  const auto r = run_command(kConvert + " " + shell_quote(in.string()) + " -o " +
                                 shell_quote((dir / "out").string()),
                             dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("unknown file format"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));
}

TEST(ConvertCli, CorruptInputIsRefusedUnlessSalvaged) {
  TempDir dir;
  auto bytes = read_bytes(golden_path("framedata/" + kB));
  bytes[46 + 27] = 0xc1;  // frame #2's time: an invalid MessagePack marker
  const auto in = dir / "corrupt.log";
  {
    std::ofstream f(in, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
  auto r = run_command(kConvert + " --to fdq101 " + shell_quote(in.string()) + " -o " +
                           shell_quote((dir / "out").string()),
                       dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("byte 73"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));
  r = run_command(kConvert + " --salvage --to fdq101 " + shell_quote(in.string()) + " -o " +
                      shell_quote((dir / "out").string()),
                  dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning"), std::string::npos) << r.err;
  EXPECT_EQ(zzping02::decode_fdq(read_bytes(dir / "out")).frames.size(), 2u);
}

TEST(ConvertCli, ConcatenatesInputsInOrder) {
  TempDir dir;
  const auto r = run_command(kConvert + " --to fdq101 " + golden("framedata/" + kB) + " " +
                                 golden("framedata/" + kE) + " -o " +
                                 shell_quote((dir / "both").string()),
                             dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto both = zzping02::decode_fdq(read_bytes(dir / "both"));
  const auto b = zzping02::decode_fdq(read_bytes(golden_path("fdq/llq-none_fes-60/" + kB + ".fdq.log")));
  const auto e = zzping02::decode_fdq(read_bytes(golden_path("fdq/llq-none_fes-60/" + kE + ".fdq.log")));
  ASSERT_EQ(both.frames.size(), b.frames.size() + e.frames.size());
  for (std::size_t i = 0; i < b.frames.size(); ++i) EXPECT_EQ(both.frames[i], b.frames[i]);
  for (std::size_t i = 0; i < e.frames.size(); ++i) {
    EXPECT_EQ(both.frames[b.frames.size() + i], e.frames[i]);
  }
}

TEST(ConvertCli, HelpVersionAndUsageErrors) {
  TempDir dir;
  auto r = run_command(kConvert + " --version", dir);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("zzping-convert"), std::string::npos);
  r = run_command(kConvert + " --help", dir);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--agg-window"), std::string::npos);
  r = run_command(kConvert + " " + golden("framedata/" + kB) + " -o x --to csv", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--to"), std::string::npos) << r.err;
  r = run_command(kConvert + " " + golden("framedata/" + kB) + " -o x --agg-window 4", dir);
  EXPECT_EQ(r.exit_code, 1);
  r = run_command(kConvert + " " + golden("framedata/" + kB) + " -o x --to native --delta-enc", dir);
  EXPECT_EQ(r.exit_code, 1);
}

}  // namespace
}  // namespace zzping::test
