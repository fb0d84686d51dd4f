// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/csv_text.hpp"

#include <gtest/gtest.h>

namespace zzping {
namespace {

TEST(CsvText, QuotesOnlyFieldsThatNeedIt) {
  EXPECT_EQ(csv_field("10.0.0.1"), "10.0.0.1");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("l1\nl2"), "\"l1\nl2\"");
  EXPECT_EQ(csv_field("cr\r"), "\"cr\r\"");
}

}  // namespace
}  // namespace zzping
