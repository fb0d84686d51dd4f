// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/formats/any_format.hpp"

#include <gtest/gtest.h>

#include "golden.hpp"

namespace zzping::formats {
namespace {

TEST(AnyFormat, HostFromZzping02FileNames) {
  EXPECT_EQ(legacy_host_from_file_name("pingd-log-192.168.0.1-20210101T08.log"), "192.168.0.1");
  EXPECT_EQ(legacy_host_from_file_name("pingd-log-1.1.1.1-20210101T08.log.fdq.log"), "1.1.1.1");
  EXPECT_EQ(legacy_host_from_file_name("pingd-log-::1-20210101T08.log"), "::1");
  EXPECT_EQ(legacy_host_from_file_name("pingd-log-a-b-20210101T08.log"), "a-b");
  EXPECT_EQ(legacy_host_from_file_name("pingd-log--20210101T08.log"), std::nullopt);
  EXPECT_EQ(legacy_host_from_file_name("pingd-log-1.1.1.1-2021010T08.log"), std::nullopt);
  EXPECT_EQ(legacy_host_from_file_name("notes.log"), std::nullopt);
}

TEST(AnyFormat, DetectsEveryGoldenFormat) {
  const auto head = [](const std::string& relative) {
    auto bytes = test::read_bytes(test::golden_path(relative));
    bytes.resize(std::min<std::size_t>(bytes.size(), 64));
    return bytes;
  };
  EXPECT_EQ(detect_format(head("framedata/pingd-log-1.1.1.1-20210101T08.log")), FileFormat::kFrameData);
  // Starts with a delta frame (a sized integer), still FrameData.
  EXPECT_EQ(detect_format(head("framedata/edge/pingd-log-10.0.0.2-20210101T10.log")),
            FileFormat::kFrameData);
  EXPECT_EQ(detect_format(head("fdq/llq-0.1_fes-60/pingd-log-1.1.1.1-20210101T08.log.fdq.log")),
            FileFormat::kFdq101);
}

TEST(AnyFormat, RefusesWhatIsNoFrameFile) {
  const std::vector<std::uint8_t> text = {'h', 'e', 'l', 'l', 'o'};
  EXPECT_THROW(detect_format(text), std::runtime_error);
  EXPECT_THROW(detect_format({}), std::runtime_error);
  const std::vector<std::uint8_t> other_map = {0x81, 0xa3, 'k', 'e', 'y', 0x01};
  EXPECT_THROW(detect_format(other_map), std::runtime_error);
}

}  // namespace
}  // namespace zzping::formats
