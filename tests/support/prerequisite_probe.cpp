// SPDX-License-Identifier: GPL-3.0-or-later
// Run only by prerequisite_test.cpp as a child process: requires a program that does not
// exist, so it skips or fails depending on the environment the parent gives it.
#include "prerequisite.hpp"

TEST(PrerequisiteProbe, MissingProgram) { ZZPING_REQUIRE_PROGRAM("zzping-no-such-program-7f3a"); }
