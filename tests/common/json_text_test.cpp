// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/json_text.hpp"

#include <gtest/gtest.h>

namespace zzping {
namespace {

TEST(JsonText, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(json_escape("plain 10.0.0.1"), "plain 10.0.0.1");
  EXPECT_EQ(json_escape("a\"b\\c"), "a\\\"b\\\\c");
  EXPECT_EQ(json_escape("l1\nl2\tx"), "l1\\nl2\\tx");
  EXPECT_EQ(json_escape(std::string_view("\x01\x1f", 2)), "\\u0001\\u001f");
  EXPECT_EQ(json_escape("caf\xc3\xa9"), "caf\xc3\xa9");  // UTF-8 as is
  EXPECT_EQ(json_string("r\"1"), "\"r\\\"1\"");
  EXPECT_EQ(json_string(""), "\"\"");
}

}  // namespace
}  // namespace zzping
