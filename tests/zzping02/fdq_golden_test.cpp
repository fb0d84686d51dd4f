// SPDX-License-Identifier: GPL-3.0-or-later
// Every FDQ golden file (fdq/** and fdq-agg/**) decodes to exactly its .expected.jsonl, and
// encoding the golden FrameData inputs reproduces every FDQ file byte for byte.
#include <gtest/gtest.h>

#include <optional>
#include <string_view>

#include "golden.hpp"
#include "zzping/formats/zzping02/fdq.hpp"
#include "zzping/formats/zzping02/fold.hpp"

namespace zzping::zzping02 {
namespace {

using nlohmann::json;

json header_to_json(const FdqHeader& h) {
  json j;
  j["schema"] = "FDCodec";
  j["version"] = h.version;
  j["full_encode_secs"] = h.config.full_encode_secs;
  j["recv_llq"] = h.config.recv_llq ? json(*h.config.recv_llq) : json(nullptr);
  j["delta_enc"] = h.config.delta_enc;
  return json{{"header", j}, {"header_len", h.length}};
}

json frame_to_json(const FdqFrame& f, const FdqRecord& r, bool with_enc, bool llq) {
  json j;
  j["offset"] = r.offset;
  j["len"] = r.len;
  if (with_enc) {
    json enc;
    enc["timestamp"] = r.full ? json(r.timestamp_s) : json(nullptr);
    enc["subsec_ms"] = r.subsec_ms;
    if (llq && r.has_recv) enc["recv"] = r.recv;
    j["enc"] = enc;
  }
  j["timestamp_ms"] = f.timestamp_ms;
  j["inflight"] = f.inflight;
  j["lost_packets"] = f.lost_packets;
  j["recv_us_len"] = f.recv_us_len;
  j["recv_us"] = f.recv_us;
  return j;
}

class FdqGolden : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(FdqGolden, DecodesToExpectedJsonl) {
  const auto bytes = golden::read_bytes(GetParam());
  const auto expected = golden::read_jsonl(golden::expected_of(GetParam()));
  ASSERT_GE(expected.size(), 2u);
  const FdqFile file = decode_fdq(bytes, /*keep_records=*/true);
  ASSERT_TRUE(file.header_ok) << file.end.message;

  EXPECT_EQ(header_to_json(file.header), expected.front());
  ASSERT_EQ(file.frames.size() + 2, expected.size());
  const bool with_enc = file.frames.size() <= 1000;  // the golden files omit "enc" above that
  const bool llq = file.header.config.recv_llq.has_value();
  for (std::size_t i = 0; i < file.frames.size(); ++i) {
    ASSERT_EQ(frame_to_json(file.frames[i], file.records[i], with_enc, llq), expected[i + 1])
        << "frame #" << i;
  }
  const json& end = expected.back().at("end");
  EXPECT_EQ(file.frames.size(), end.at("frames").get<std::size_t>());
  EXPECT_EQ(file.end.bytes_consumed, end.at("bytes_consumed").get<std::size_t>());
  EXPECT_EQ(bytes.size(), end.at("file_bytes").get<std::size_t>());
  EXPECT_EQ(golden::golden_result(file.end), end.at("result").get<std::string>());
  // Where the original FDCodecIter panicked (a cut frame), we end with a warning instead.
  if (end.contains("fdcodeciter")) {
    EXPECT_EQ(file.end.kind, EndKind::kTruncated);
  }
}

INSTANTIATE_TEST_SUITE_P(Fdq, FdqGolden, ::testing::ValuesIn(golden::binaries_under("fdq")),
                         [](const auto& param_info) { return golden::test_name(param_info.param); });
INSTANTIATE_TEST_SUITE_P(FdqAgg, FdqGolden, ::testing::ValuesIn(golden::binaries_under("fdq-agg")),
                         [](const auto& param_info) { return golden::test_name(param_info.param); });

// fdq/<llq-X_fes-N[_delta-enc]>/<input>.fdq.log: its config and its FrameData input.
struct Conversion {
  std::filesystem::path fdq;
  std::filesystem::path input;
  FdqConfig config;
};

// "llq-X_fes-N[_delta-enc]" (X a number or "none") as a config; nullopt for other names.
// (No std::regex: GCC 12 warns inside it under the sanitizers, an error with ZZPING_WERROR.)
std::optional<FdqConfig> config_of_folder(const std::string& name) {
  const auto digits = [](std::string_view s, bool dot) {
    return !s.empty() && s.find_first_not_of(dot ? "0123456789." : "0123456789") == std::string_view::npos;
  };
  std::string_view rest = name;
  if (!rest.starts_with("llq-")) return std::nullopt;
  rest.remove_prefix(4);
  const std::size_t fes = rest.find("_fes-");
  if (fes == std::string_view::npos) return std::nullopt;
  const std::string_view llq = rest.substr(0, fes);
  rest.remove_prefix(fes + 5);
  FdqConfig config;
  config.delta_enc = rest.ends_with("_delta-enc");
  if (config.delta_enc) rest.remove_suffix(std::string_view("_delta-enc").size());
  if ((llq != "none" && !digits(llq, true)) || !digits(rest, false)) return std::nullopt;
  if (llq != "none") config.recv_llq = std::stod(std::string(llq));
  config.full_encode_secs = std::stoll(std::string(rest));
  return config;
}

TEST(FdqGoldenFolders, NamesParseAsTheirConfig) {
  const auto a = config_of_folder("llq-0.1_fes-60_delta-enc");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->recv_llq, 0.1);
  EXPECT_EQ(a->full_encode_secs, 60);
  EXPECT_TRUE(a->delta_enc);
  const auto b = config_of_folder("llq-none_fes-0");
  ASSERT_TRUE(b);
  EXPECT_FALSE(b->recv_llq.has_value());
  EXPECT_EQ(b->full_encode_secs, 0);
  EXPECT_FALSE(b->delta_enc);
  for (const char* other : {"truncated-llq-0.1_fes-60", "llq-0.1_fes-", "llq-x_fes-60",
                            "llq-0.1_fes-60_delta", "llq-_fes-60"}) {
    EXPECT_FALSE(config_of_folder(other)) << other;
  }
}

std::vector<Conversion> conversions() {
  std::vector<Conversion> out;
  for (const auto& path : golden::binaries_under("fdq")) {
    const auto rel = std::filesystem::relative(path, golden::root() / "fdq");
    const std::string config_dir = rel.begin()->string();
    const auto config = config_of_folder(config_dir);
    if (!config) continue;  // e.g. truncated-llq-…: a byte prefix
    Conversion c;
    c.fdq = path;
    c.config = *config;
    std::string input = std::filesystem::relative(rel, config_dir).string();
    input.resize(input.size() - std::string(".fdq.log").size());
    c.input = golden::root() / "framedata" / input;
    out.push_back(c);
  }
  return out;
}

class FdqEncodeGolden : public ::testing::TestWithParam<Conversion> {};

TEST_P(FdqEncodeGolden, ReproducesTheFileByteForByte) {
  const Conversion& c = GetParam();
  const auto input = golden::read_bytes(c.input);
  const auto expected = golden::read_bytes(c.fdq);
  const FdqConversion result = convert_framedata_to_fdq(input, c.config);
  EXPECT_EQ(result.bytes.size(), expected.size());
  EXPECT_TRUE(result.bytes == expected);
}

TEST_P(FdqEncodeGolden, EncoderRecordsMatchDecodedRecords) {
  const Conversion& c = GetParam();
  const FrameDataFile input = decode_framedata(golden::read_bytes(c.input));
  const FdqFile decoded = decode_fdq(golden::read_bytes(c.fdq), true);
  ASSERT_EQ(input.frames.size(), decoded.records.size());
  FdqEncoder encoder(c.config);
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < input.frames.size(); ++i) {
    const LegacyFrame& f = input.frames[i];
    FdqRecord planned = encoder.encode(fdq_frame_from_legacy(f), fdq_time_of(f), out);
    planned.offset = decoded.records[i].offset;
    planned.len = decoded.records[i].len;
    ASSERT_EQ(planned, decoded.records[i]) << "frame #" << i;
  }
}

INSTANTIATE_TEST_SUITE_P(AllConfigs, FdqEncodeGolden, ::testing::ValuesIn(conversions()),
                         [](const auto& param_info) { return golden::test_name(param_info.param.fdq); });

TEST(FdqEncodeGoldenExtra, EveryGoldenConversionIsCovered) {
  EXPECT_EQ(conversions().size(), 15u);  // README table: 6 + 2 + 3 + 2 + 1 + 1
}

TEST(FdqEncodeGoldenExtra, Fes5OfTheTenMinuteLogDiffersOnlyInTheHeaderByte) {
  const auto input = golden::read_bytes(golden::root() / "framedata/pingd-log-192.168.0.1-20210101T08.log");
  auto expected = golden::read_bytes(golden::root() /
                                     "fdq/llq-none_fes-60/pingd-log-192.168.0.1-20210101T08.log.fdq.log");
  FdqConfig config;
  config.full_encode_secs = 5;
  const FdqConversion result = convert_framedata_to_fdq(input, config);
  // "full_encode_secs" is the 3rd key; its value byte follows the key string.
  const std::size_t value_at = 0x2a;
  ASSERT_EQ(expected[value_at], 0x3c);
  expected[value_at] = 0x05;
  EXPECT_TRUE(result.bytes == expected);
}

TEST(FdqEncodeGoldenExtra, DeltaBeforeKeyframeGivesTheHeaderOnlyFile) {
  const auto input = golden::read_bytes(golden::root() / "framedata/edge/pingd-log-10.0.0.2-20210101T10.log");
  const FdqConversion result = convert_framedata_to_fdq(input, FdqConfig{});
  EXPECT_EQ(result.bytes.size(), 64u);
  EXPECT_EQ(result.frames, 0u);
  EXPECT_EQ(result.input_end.kind, EndKind::kError);
  EXPECT_TRUE(result.bytes == golden::read_bytes(golden::root() /
                                                 "fdq/llq-none_fes-60/edge/pingd-log-10.0.0.2-20210101T10.log.fdq.log"));
}

TEST(FdqEncodeGoldenExtra, TruncatedGoldenIsAPrefixOfTheEncoding) {
  const auto input = golden::read_bytes(golden::root() / "framedata/pingd-log-1.1.1.1-20210101T08.log");
  const auto cut = golden::read_bytes(golden::root() /
                                      "fdq/truncated-llq-0.01_fes-60/pingd-log-1.1.1.1-20210101T08.log.fdq.log");
  FdqConfig config;
  config.recv_llq = 0.01;
  const FdqConversion result = convert_framedata_to_fdq(input, config);
  ASSERT_GT(result.bytes.size(), cut.size());
  EXPECT_TRUE(std::equal(cut.begin(), cut.end(), result.bytes.begin()));
}

TEST(FdqEncodeGoldenExtra, HeaderBytesAndLengths) {
  std::vector<std::uint8_t> plain;
  append_fdq_header(FdqConfig{}, plain);
  EXPECT_EQ(plain.size(), 64u);
  FdqConfig quantized;
  quantized.recv_llq = 0.1;
  quantized.delta_enc = true;
  std::vector<std::uint8_t> with_llq;
  append_fdq_header(quantized, with_llq);
  EXPECT_EQ(with_llq.size(), 72u);
  const auto golden_file = golden::read_bytes(golden::root() /
                                              "fdq/llq-0.1_fes-60_delta-enc/pingd-log-1.1.1.1-20210101T08.log.fdq.log");
  EXPECT_TRUE(std::equal(with_llq.begin(), with_llq.end(), golden_file.begin()));
  const FdqHeader h = decode_fdq_header(with_llq);
  EXPECT_EQ(h.config, quantized);
  EXPECT_EQ(h.length, 72u);
  EXPECT_EQ(h.version, 101u);
}

// fdqread --agg-window W --agg-step S over the llq-none FDQ of (a).
void expect_fold_reproduces(std::size_t window, std::size_t step, const std::string& golden_dir) {
  const FdqFile source = decode_fdq(golden::read_bytes(
      golden::root() / "fdq/llq-none_fes-60/pingd-log-192.168.0.1-20210101T08.log.fdq.log"));
  ASSERT_TRUE(source.end.ok());
  const std::vector<FdqFrame> folded = iter_fold(source.frames, window, step);
  FdqEncoder encoder(FdqConfig{});
  std::vector<std::uint8_t> out;
  encoder.append_header(out);
  for (const FdqFrame& f : folded) encoder.encode(f, out);
  const auto expected = golden::read_bytes(golden::root() / "fdq-agg" / golden_dir /
                                           "pingd-log-192.168.0.1-20210101T08.log.fdq.log");
  EXPECT_EQ(out.size(), expected.size());
  EXPECT_TRUE(out == expected);
}

TEST(FoldGolden, Window10Step10ReproducesTheFile) { expect_fold_reproduces(10, 10, "w10-s10"); }
TEST(FoldGolden, Window32Step8ReproducesTheFile) { expect_fold_reproduces(32, 8, "w32-s8"); }

}  // namespace
}  // namespace zzping::zzping02
