# SPDX-License-Identifier: GPL-3.0-or-later
# Third-party packages (Debian bookworm). See README.md for the apt list.
find_package(msgpack 4 REQUIRED CONFIG NAMES msgpack-cxx msgpackc-cxx msgpack)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SYSTEMD IMPORTED_TARGET libsystemd)

# Asio ships no CMake config: an INTERFACE target over its header path.
find_path(ASIO_INCLUDE_DIR asio.hpp REQUIRED)
add_library(zzping_asio INTERFACE)
target_include_directories(zzping_asio SYSTEM INTERFACE ${ASIO_INCLUDE_DIR})
# ASIO_DISABLE_STD_ALIGNED_ALLOC: asio 1.22 picks aligned_alloc()/free() or operator
# new/delete for its handler memory by testing _GLIBCXX_HAVE_ALIGNED_ALLOC, which is only
# defined once a libstdc++ header was included before asio's config.hpp. Translation units
# then disagree on the inline aligned_new/aligned_delete (an ODR violation) and ASan
# reports alloc-dealloc-mismatch inside the recycling allocator. One choice everywhere:
# operator new/delete (handler memory needs no over-alignment).
target_compile_definitions(zzping_asio INTERFACE ASIO_STANDALONE ASIO_NO_DEPRECATED
                                                 ASIO_DISABLE_STD_ALIGNED_ALLOC)
find_package(Threads REQUIRED)
target_link_libraries(zzping_asio INTERFACE Threads::Threads)

if(ZZPING_BUILD_GUI)
  find_package(Qt6 REQUIRED COMPONENTS Widgets PrintSupport Network Test)
  find_package(QCustomPlotQt6 REQUIRED)
endif()
if(ZZPING_BUILD_TESTS)
  find_package(GTest REQUIRED)
  find_package(nlohmann_json 3 REQUIRED)  # tests only: reading golden .expected.jsonl files
  include(GoogleTest)
endif()
if(ZZPING_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
